/**
 * ansible.posix.synchronize held to the collection's module (Debian 13's ansible 12.0.0 under
 * ansible-core 2.19): rsync over OpenSSH to an sshd on loopback started by this test (push and
 * pull, delete, excludes, archive off, checksum, a relative src found in files/, delegated to its
 * own host), and between local paths on a local connection. The same statuses task by task, the same itemized lines
 * registered, the same trees left (paths, types, modes, contents); a check run writes nothing
 * and, on the converged trees, plans nothing.
 */
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorumAsync } from '../helpers/cli.ts';
import { validateCli, workspace, writeFiles } from '../helpers/run-local.ts';
import { cliSideBySide, loopbackHost } from '../helpers/ssh-side-by-side.ts';
import { canRunSshd } from '../helpers/sshd.ts';

/** Every path under `dir` with its type, mode and content (a link's target). */
function tree(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel))
    .sort()
    .flatMap((name) => {
      const path = join(rel, name);
      const st = lstatSync(join(dir, path));
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) return [`${path} -> ${readlinkSync(join(dir, path))}`];
      if (st.isDirectory()) return [`${path}/ ${mode}`, ...tree(dir, path)];
      return [`${path} ${mode} ${readFileSync(join(dir, path), 'utf8')}`];
    });
}

function sourceTree(dir: string) {
  writeFiles(dir, {
    'a.txt': 'alpha\n',
    'sub/b.conf': 'beta\n',
    'sub/deep/c.log': 'gamma\n',
    'skip.tmp': 'x\n',
  });
  chmodSync(join(dir, 'sub/b.conf'), 0o640);
  symlinkSync('a.txt', join(dir, 'link'));
}

const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: push a tree
      ansible.posix.synchronize: { src: tree/, dest: ${d}/out/, delete: true, rsync_opts: ["--exclude=*.tmp"] }
      register: first
    - name: push it again
      ansible.posix.synchronize: { src: tree/, dest: ${d}/out/, delete: true, rsync_opts: ["--exclude=*.tmp"] }
    - name: a stray file on the host
      copy: { content: "stray\\n", dest: ${d}/out/stray.txt }
    - name: delete removes it
      ansible.posix.synchronize: { src: tree/, dest: ${d}/out/, delete: true, rsync_opts: ["--exclude=*.tmp"] }
    - name: pull one file back
      ansible.posix.synchronize: { mode: pull, src: ${d}/out/sub/b.conf, dest: ${d}/pulled.conf }
    - name: on the host itself
      ansible.posix.synchronize: { src: ${d}/out/sub/, dest: ${d}/onhost/, delete: true }
      delegate_to: "{{ inventory_hostname }}"
    - name: on the host itself again
      ansible.posix.synchronize: { src: ${d}/out/sub/, dest: ${d}/onhost/, delete: true }
      delegate_to: "{{ inventory_hostname }}"
    - name: archive off, recursive on
      ansible.posix.synchronize: { src: tree/sub, dest: ${d}/plain, archive: false, recursive: true, checksum: true }
    - name: a source that is not there
      ansible.posix.synchronize: { src: ${d}/nowhere/, dest: ${d}/out2/ }
      ignore_errors: true
    - name: what the first push listed
      copy: { content: "{{ first.stdout_lines | sort | to_json }}\\n", dest: ${d}/listed }
`;

describe.skipIf(!canRunSshd)('synchronize, as ansible.posix (ansible-core 2.19)', () => {
  const dir = workspace();
  const host = loopbackHost(dir, 'sync');

  const side = (name: string, hosts: string) => {
    const d = join(dir, name);
    mkdirSync(join(d, 'files'), { recursive: true });
    sourceTree(join(d, 'files/tree'));
    writeFiles(d, { 'play.yml': play(d), 'hosts.ini': hosts });
    return d;
  };
  const overSsh = host.inventory;
  const bothSides = cliSideBySide;

  for (const [how, hosts] of [
    ['over SSH', overSsh],
    ['on a local connection', () => 'h1 ansible_connection=local\n'],
  ] as const) {
    it(`changes what rsync changes, task by task, and leaves the same trees (${how})`, async () => {
      const tag = how === 'over SSH' ? 's' : 'l';
      const [q, a] = [side(`q${tag}`, hosts()), side(`a${tag}`, hosts())];
      const { mine, theirs, statuses, ansible } = await bothSides(q, a);
      expect(theirs.code, theirs.stdout).toBe(0);
      expect(mine.code, mine.stderr).toBe(0);
      expect(statuses).toEqual(ansible);
      expect(statuses).toMatchObject({
        'push a tree': 'changed',
        'push it again': 'ok',
        'delete removes it': 'changed',
        'on the host itself': 'changed',
        'on the host itself again': 'ok',
        'a source that is not there': 'failed',
      });
      for (const t of ['out', 'plain', 'onhost']) expect(tree(q, t), t).toEqual(tree(a, t));
      expect(tree(q, 'out')).not.toContain('skip.tmp 644 x\n');
      expect(readFileSync(join(q, 'pulled.conf'), 'utf8')).toBe(readFileSync(join(a, 'pulled.conf'), 'utf8'));
      // the itemized lines rsync printed, each side's folder named alike
      const listed = (d: string) => readFileSync(join(d, 'listed'), 'utf8').replaceAll(d, 'DIR');
      expect(listed(q)).toBe(listed(a));
      expect(listed(q)).toContain('cL+++++++++ link -> a.txt');
    }, 180_000);
  }

  it('a check run writes nothing, and plans nothing on the converged trees', async () => {
    const [q, a] = [side('qc', overSsh()), side('ac', overSsh())];
    // the pushes alone: the other tasks read what an apply run leaves
    const pushes = (d: string) => play(d).split('    - name: a stray file')[0];
    for (const d of [q, a]) writeFiles(d, { 'play.yml': pushes(d) });
    const fresh = await bothSides(q, a, ['--check']);
    expect(fresh.statuses).toEqual({ 'push a tree': 'would_change', 'push it again': 'would_change' });
    expect(fresh.ansible).toEqual({ 'push a tree': 'changed', 'push it again': 'changed' });
    for (const d of [q, a]) expect(readdirSync(d)).not.toContain('out');
    await quorumAsync(['play', join(q, 'play.yml'), '-i', join(q, 'hosts.ini'), '--no-journal']);
    const converged = await bothSides(q, a, ['--check']);
    expect(converged.statuses).toEqual({ 'push a tree': 'ok', 'push it again': 'ok' });
  }, 180_000);

  it('refuses delegate_to (rsync run on another host) before any host, with its place', () => {
    const r = validateCli(
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.posix.synchronize: { src: /etc/hostname, dest: /tmp/x }\n      delegate_to: h1\n',
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/play\.yml:5:\d+/);
    expect(r.stderr).toContain('synchronize with delegate_to');
  });
});
