/**
 * file with recurse against Ansible's own file module: the same tree, the same params, through
 * `ansible localhost -m file` and through a quorum run, ends with the same modes (an octal mode
 * on files too; a symbolic one per entry, X for folders and files already executable); a second
 * quorum run and a check run change nothing.
 */
import { chmodSync, cpSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansible } from '../helpers/ansible-oracle.ts';
import { changedSteps, runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

function modes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      out[relative(root, p)] = (statSync(p).mode & 0o7777).toString(8);
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

function seed(): string {
  const root = join(workspace(), 'tree');
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  for (const [f, m] of [
    ['a.conf', 0o600],
    ['run.sh', 0o700],
    ['sub/b.conf', 0o644],
    ['sub/deeper/c.conf', 0o640],
  ] as const) {
    writeFileSync(join(root, f), `${f}\n`);
    chmodSync(join(root, f), m);
  }
  chmodSync(join(root, 'sub', 'deeper'), 0o700);
  return root;
}

describe('file recurse, as Ansible sets it', () => {
  it.each(['0750', 'u=rwX,g=rX,o=', 'go+rX'])(
    'mode %s',
    async (mode) => {
      const theirs = seed();
      const mine = join(workspace(), 'tree');
      cpSync(theirs, mine, { recursive: true });
      const r = await ansible('ansible', [
        'localhost',
        '-c',
        'local',
        '-m',
        'file',
        '-a',
        JSON.stringify({ path: theirs, state: 'directory', recurse: true, mode }),
      ]);
      expect(r.code, r.stdout).toBe(0);
      const dir = workspace();
      const task = { file: { path: mine, state: 'directory', recurse: true, mode } };
      writeFiles(dir, {
        'hosts.ini': 'h1 ansible_connection=local\n',
        'play.yml': JSON.stringify([{ hosts: 'all', tasks: [task] }]),
      });
      const before = modes(mine);
      expect(modes(theirs)).not.toEqual(before);
      const check = await runLocal(dir, { check: true });
      expect(modes(mine)).toEqual(before);
      const run = await runLocal(dir);
      expect(run.code).toBe(0);
      expect(modes(mine)).toEqual(modes(theirs));
      // the check run predicted a change exactly when the run made one
      expect(changedSteps(check).length).toBe(changedSteps(run).length);
      expect(changedSteps(await runLocal(dir))).toEqual([]);
      expect(changedSteps(await runLocal(dir, { check: true }))).toEqual([]);
    },
    60_000,
  );
});
