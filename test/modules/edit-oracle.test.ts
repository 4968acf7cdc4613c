/**
 * Text edits against Ansible's own modules: the same file and params through `ansible
 * localhost -m MODULE` (ansible-core 2.19, local connection) and through quorum's pure edit.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editBlock } from '../../src/modules/blockinfile.ts';
import { editLines, editReplace } from '../../src/modules/lines.ts';
import { aptRepositoryFile } from '../../src/modules/repos.ts';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';

async function viaAnsible(module: string, text: string, args: Record<string, unknown>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'quorum-edit-'));
  const path = join(dir, 'f');
  writeFileSync(path, text);
  const r = await ansibleCurrent('ansible', [
    'localhost',
    '-c',
    'local',
    '-m',
    module,
    '-a',
    JSON.stringify({ path, ...args }),
  ]);
  if (r.code !== 0) throw new Error(`ansible ${module}: ${r.stdout}${r.stderr}`);
  return readFileSync(path, 'utf8');
}

const TEXT =
  'PermitRootLogin yes\n#Port 22\nListenAddress 0.0.0.0\nMaxSessions 10\n\n[main]\nenabled = 0\nname=x\n';

describe('edits as Ansible makes them', () => {
  it.each([
    ['replace', { regexp: '^#?Port \\d+', replace: 'Port 2222' }],
    ['replace', { regexp: '(\\w+)Address (\\S+)', replace: '\\1Address 127.0.0.1 # was \\2' }],
    ['replace', { regexp: '^(\\w+) (\\d+)$', replace: '\\1=\\2', after: 'ListenAddress' }],
    ['lineinfile', { regexp: '^PermitRootLogin', line: 'PermitRootLogin no' }],
    ['lineinfile', { regexp: '^MaxSessions (\\d+)', line: 'MaxSessions \\1 # kept', backrefs: true }],
    ['lineinfile', { regexp: '^Nothing (\\d+)', line: 'x', backrefs: true }],
    ['lineinfile', { line: 'UseDNS no', insertafter: '^#Port' }],
    ['lineinfile', { search_string: 'Address 0.0', line: 'ListenAddress ::' }],
    ['lineinfile', { search_string: '=', line: 'name=y', firstmatch: true }],
    ['lineinfile', { search_string: '=', line: 'name=y' }],
    ['lineinfile', { search_string: '=', state: 'absent' }],
    ['lineinfile', { search_string: 'nowhere', line: 'added = 1', insertbefore: '^\\[main\\]' }],
    ['lineinfile', { line: 'X 1', insertafter: '^\\w+', firstmatch: true }],
    ['lineinfile', { line: 'X 1', insertbefore: '^\\w+' }],
    ['lineinfile', { line: 'X 1', insertbefore: 'BOF' }],
    ['lineinfile', { regexp: '^MaxSessions', line: 'MaxSessions 10' }],
    ['lineinfile', { regexp: '^enabled', state: 'absent' }],
    ['lineinfile', { line: 'MaxSessions 10', state: 'absent' }],
    ['lineinfile', { regexp: '\\d$', line: 'digits' }],
    ['lineinfile', { regexp: '\\d$', line: 'digits', firstmatch: true }],
    ['blockinfile', { block: 'a\nb' }],
    ['blockinfile', { block: 'x', insertafter: '^#Port' }],
    ['blockinfile', { block: 'x', insertbefore: 'BOF' }],
    [
      'blockinfile',
      { block: 'x', insertbefore: '^\\w', marker: '; {mark} Q', marker_begin: 'S', marker_end: 'E' },
    ],
    [
      'blockinfile',
      { block: 'x', insertafter: '^ListenAddress', prepend_newline: true, append_newline: true },
    ],
    ['blockinfile', { block: 'x', insertafter: '(?m)^MaxSessions \\d+$' }],
    ['blockinfile', { block: 'x', insertbefore: 'nowhere' }],
  ])(
    '%s %j',
    async (module, args) => {
      const expected = await viaAnsible(module, TEXT, args);
      const p = { path: '/f', ...args } as never;
      // (ini_file lives in community.general, which ansible-core does not ship: no oracle here)
      const mine =
        module === 'replace'
          ? editReplace(TEXT, p)
          : module === 'blockinfile'
            ? editBlock(TEXT, p)
            : editLines(TEXT, p);
      expect(mine).toBe(expected);
    },
    30_000,
  );

  const BLOCK = 'first\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nlast';
  it.each([
    [{ block: 'new' }],
    [{ content: 'new\nlines\n' }],
    [{ state: 'absent' }],
    [{ block: '' }],
    [{ block: 'new', marker_begin: 'START' }],
  ])(
    'blockinfile over a block already there, %j',
    async (args) => {
      const expected = await viaAnsible('blockinfile', BLOCK, args);
      const { content, ...rest } = args as Record<string, unknown>;
      const p = { path: '/f', ...rest, ...(content === undefined ? {} : { block: content }) } as never;
      expect(editBlock(BLOCK, p)).toBe(expected);
    },
    30_000,
  );

  it('apt_repository names its file as Ansible does', () => {
    expect(
      aptRepositoryFile({
        repo: 'deb [arch=amd64 signed-by=/k.gpg] https://download.docker.com/linux/debian bookworm stable',
      }),
    ).toBe('/etc/apt/sources.list.d/download_docker_com_linux_debian.list');
    expect(aptRepositoryFile({ repo: 'deb http://deb.example.test/x y main', filename: 'mine' })).toBe(
      '/etc/apt/sources.list.d/mine.list',
    );
  });
});
