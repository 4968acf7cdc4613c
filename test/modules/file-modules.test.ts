import { describe, expect, it } from 'vitest';
import { blockinfileModule, editBlock } from '../../src/modules/blockinfile.ts';
import { copyModule } from '../../src/modules/copy.ts';
import { fileModule } from '../../src/modules/file.ts';
import { editLines, lineinfileModule } from '../../src/modules/lines.ts';
import { fakeProbe, STAT_PROBE, stat } from '../helpers/fake-probe.ts';

const summaries = (o: { changes: Array<{ summary: string }> }) => o.changes.map((c) => c.summary);

describe('file module: probe result + params -> changes', () => {
  it.each([
    [
      'absent dir is created with its mode',
      stat.absent,
      { path: '/d', state: 'directory', mode: '0750' },
      ['create directory /d', 'mode 0750'],
    ],
    [
      'dir with other mode gets chmod',
      stat.dir('755'),
      { path: '/d', state: 'directory', mode: '0750' },
      ['mode 0755 -> 0750'],
    ],
    [
      'dir with other owner gets chown',
      stat.dir('750', 'nobody'),
      { path: '/d', state: 'directory', owner: 'root' },
      ['owner nobody -> root'],
    ],
    [
      'converged dir: nothing',
      stat.dir('750'),
      { path: '/d', state: 'directory', mode: '0750', owner: 'root', group: 'root' },
      [],
    ],
    ['YAML octal mode (493) is 0755', stat.dir('755'), { path: '/d', state: 'directory', mode: 493 }, []],
    [
      'symbolic mode u+x on 0644 file',
      stat.file('x'),
      { path: '/f', state: 'file', mode: 'u+x' },
      ['mode 0644 -> 0744'],
    ],
    ['absent: existing file is removed', stat.file('x'), { path: '/f', state: 'absent' }, ['remove file /f']],
    ['absent: nothing there, nothing to do', stat.absent, { path: '/f', state: 'absent' }, []],
    ['touch creates', stat.absent, { path: '/f', state: 'touch' }, ['create file /f']],
    ['link converged', stat.link('/t'), { path: '/l', state: 'link', src: '/t' }, []],
  ])('%s', async (_name, probe, params, expected) => {
    const ctx = fakeProbe([[STAT_PROBE, probe]]);
    const out = await fileModule.plan(ctx, params as never);
    expect(out.failed).toBeUndefined();
    expect(summaries(out)).toEqual(expected);
  });

  describe('state=link, as Ansible: a file is replaced and a missing src linked only with force', () => {
    /** The link's path /d/l holds `atPath`; its src /d/t (or ../t relative) holds `atSrc`. */
    const plan = (atPath: string, atSrc: string, params: Record<string, unknown>) =>
      fileModule.plan(
        fakeProbe([
          [/for p in \/d\/l;/, atPath],
          [/for p in \/(d\/)?t;/, atSrc],
        ]),
        { path: '/d/l', state: 'link', ...params } as never,
      );
    it.each([
      ['created', stat.absent, stat.file('x'), { src: '/d/t' }, ['link /d/l -> /d/t']],
      [
        'relative src resolved beside the link',
        stat.absent,
        stat.file('x'),
        { src: '../t' },
        ['link /d/l -> ../t'],
      ],
      [
        'a missing src with force',
        stat.absent,
        stat.absent,
        { src: '/d/t', force: true },
        ['link /d/l -> /d/t'],
      ],
      [
        'a file replaced with force',
        stat.file('x'),
        stat.file('y'),
        { src: '/d/t', force: true },
        ['link /d/l -> /d/t'],
      ],
      [
        'a link elsewhere is repointed',
        stat.link('/old'),
        stat.file('y'),
        { src: '/d/t' },
        ['link /d/l -> /d/t'],
      ],
    ])('%s', async (_name, atPath, atSrc, params, expected) => {
      const out = await plan(atPath, atSrc, params);
      expect(out.failed).toBeUndefined();
      expect(summaries(out)).toEqual(expected);
    });
    it.each([
      [
        'a missing src',
        stat.absent,
        stat.absent,
        { src: '/d/t' },
        'src file /d/t does not exist (force: true links to it anyway)',
      ],
      [
        'a file in the way',
        stat.file('x'),
        stat.file('y'),
        { src: '/d/t' },
        'refusing to convert from file to symlink for /d/l (force: true does)',
      ],
    ])('refuses %s', async (_name, atPath, atSrc, params, failed) => {
      const out = await plan(atPath, atSrc, params);
      expect(out.failed).toBe(failed);
      expect(out.changes).toEqual([]);
    });
  });

  it("follows a link to the directory it leads to (Ansible's default), or not with follow: false", async () => {
    const probes = fakeProbe([
      [/for p in \/etc\/app;/, stat.link('/srv/app')],
      [/readlink -f/, '/srv/app\n'],
      [/for p in \/srv\/app;/, stat.dir('700')],
    ]);
    const followed = await fileModule.plan(probes, { path: '/etc/app', state: 'directory', mode: '0755' });
    expect(followed.failed).toBeUndefined();
    expect(followed.changes.map((c) => (c.action as { command: string }).command)).toEqual([
      'chmod 00755 /srv/app',
    ]);
    const not = await fileModule.plan(probes, { path: '/etc/app', state: 'directory', follow: false });
    expect(not.failed).toBe('/etc/app exists and is a link, not a directory');
  });

  it('refuses to turn a file into a directory', async () => {
    const out = await fileModule.plan(fakeProbe([[STAT_PROBE, stat.file('x')]]), {
      path: '/f',
      state: 'directory',
    });
    expect(out.failed).toMatch(/not a directory/);
  });
});

describe('copy module', () => {
  it('creates an absent file with a diff from nothing', async () => {
    const out = await copyModule.plan(fakeProbe([[STAT_PROBE, stat.absent]]), {
      dest: '/f',
      content: 'a\n',
      mode: '0600',
    });
    expect(out.changes).toHaveLength(1);
    expect(out.changes[0].diff).toEqual({ path: '/f', before: '', after: 'a\n' });
    expect(out.changes[0].action).toMatchObject({ kind: 'write', path: '/f', content: 'a\n', mode: '0600' });
  });

  it('updates different content and reports the diff', async () => {
    const out = await copyModule.plan(fakeProbe([[STAT_PROBE, stat.file('old\n')]]), {
      dest: '/f',
      content: 'new\n',
    });
    expect(summaries(out)).toEqual(['update /f']);
    expect(out.changes[0].diff).toEqual({ path: '/f', before: 'old\n', after: 'new\n' });
  });

  it('converged: same content and attributes, no change', async () => {
    const out = await copyModule.plan(fakeProbe([[STAT_PROBE, stat.file('same\n', '600')]]), {
      dest: '/f',
      content: 'same\n',
      mode: '0600',
    });
    expect(out.changes).toEqual([]);
  });

  it('reads src from the controller', async () => {
    const out = await copyModule.plan(fakeProbe([[STAT_PROBE, stat.absent]]), { dest: '/f', src: 'motd' });
    expect(out.changes[0].action).toMatchObject({ content: 'local:motd' });
  });
});

describe('lineinfile / blockinfile editing', () => {
  it.each([
    ['appends a missing line', 'a\nb\n', { line: 'c' }, 'a\nb\nc\n'],
    ['keeps a present line', 'a\nc\n', { line: 'c' }, 'a\nc\n'],
    ['replaces the last regexp match', 'x=1\ny=2\nx=3\n', { regexp: '^x=', line: 'x=9' }, 'x=1\ny=2\nx=9\n'],
    ['inserts after the last match', 'a\nb\na\nz\n', { line: 'n', insertafter: '^a' }, 'a\nb\na\nn\nz\n'],
    ['inserts before', 'a\nb\n', { line: 'n', insertbefore: '^b' }, 'a\nn\nb\n'],
    ['inserts at BOF', 'a\n', { line: 'n', insertbefore: 'BOF' }, 'n\na\n'],
    ['removes by regexp', 'a\nswap x\nb\n', { regexp: 'swap', state: 'absent' }, 'a\nb\n'],
    ['adds a newline to a file without one', 'a', { line: 'b' }, 'a\nb\n'],
  ])('%s', (_n, before, p, after) => {
    expect(editLines(before, { path: '/f', ...(p as object) })).toBe(after);
  });

  it('blockinfile inserts, replaces in place and removes its block', () => {
    const once = editBlock('top\n', { path: '/f', block: 'x=1\ny=2' });
    expect(once).toBe('top\n# BEGIN ANSIBLE MANAGED BLOCK\nx=1\ny=2\n# END ANSIBLE MANAGED BLOCK\n');
    expect(editBlock(`${once}tail\n`, { path: '/f', block: 'z=3' })).toBe(
      'top\n# BEGIN ANSIBLE MANAGED BLOCK\nz=3\n# END ANSIBLE MANAGED BLOCK\ntail\n',
    );
    expect(editBlock(once, { path: '/f', block: 'x=1\ny=2' })).toBe(once);
    expect(editBlock(once, { path: '/f', state: 'absent' })).toBe('top\n');
  });

  it('lineinfile on a missing file fails unless create is set', async () => {
    const missing = fakeProbe([[STAT_PROBE, stat.absent]]);
    expect((await lineinfileModule.plan(missing, { path: '/f', line: 'x' })).failed).toMatch(
      /does not exist/,
    );
    expect(summaries(await lineinfileModule.plan(missing, { path: '/f', line: 'x', create: true }))).toEqual([
      'create /f',
    ]);
  });

  it('blockinfile converged: nothing', async () => {
    const text = '# BEGIN ANSIBLE MANAGED BLOCK\nk=v\n# END ANSIBLE MANAGED BLOCK\n';
    expect(
      (await blockinfileModule.plan(fakeProbe([[STAT_PROBE, stat.file(text)]]), { path: '/f', block: 'k=v' }))
        .changes,
    ).toEqual([]);
  });
});
