/**
 * copy with a folder as src against Ansible's own copy module: the same folder copied by
 * `ansible localhost -m copy` and by a quorum run on this machine gives the same tree, with
 * and without the trailing slash; a second quorum run changes nothing.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansible } from '../helpers/ansible-oracle.ts';
import { changedSteps, runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

/** Every path under `root` with its content (folders as "dir") and mode. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = statSync(p);
      const key = relative(root, p);
      if (st.isDirectory()) {
        out[key] = `dir ${(st.mode & 0o777).toString(8)}`;
        walk(p);
      } else out[key] = `${readFileSync(p, 'utf8')} ${(st.mode & 0o777).toString(8)}`;
    }
  };
  walk(root);
  return out;
}

describe('copy of a folder, as Ansible copies it', () => {
  const src = join(workspace(), 'conf.d');
  mkdirSync(join(src, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(src, 'a.conf'), 'a\n');
  writeFileSync(join(src, 'sub', 'b.conf'), 'b\n');
  writeFileSync(join(src, 'sub', 'deeper', 'c.conf'), 'c\n');

  it.each([
    ['with a trailing slash (its contents)', `${src}/`],
    ['without (the folder itself)', src],
  ])(
    '%s',
    async (_name, from) => {
      const mine = workspace();
      const theirs = workspace();
      const args = { mode: '0640', directory_mode: '0750' };
      const r = await ansible('ansible', [
        'localhost',
        '-c',
        'local',
        '-m',
        'copy',
        '-a',
        JSON.stringify({ src: from, dest: `${theirs}/out/`, ...args }),
      ]);
      expect(r.code, r.stdout).toBe(0);
      writeFiles(mine, {
        'hosts.ini': 'h1 ansible_connection=local\n',
        'play.yml': JSON.stringify([
          {
            hosts: 'all',
            gather_facts: false,
            tasks: [{ copy: { src: from, dest: `${mine}/out/`, ...args } }],
          },
        ]),
      });
      const run = await runLocal(mine);
      expect(run.code).toBe(0);
      const expected = tree(join(theirs, 'out'));
      expect(Object.keys(expected).length).toBeGreaterThan(3);
      expect(tree(join(mine, 'out'))).toEqual(expected);
      expect(changedSteps(await runLocal(mine))).toEqual([]);
    },
    30_000,
  );
});
