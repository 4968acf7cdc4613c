/**
 * Reads kept on the controller while the files they depend on list the same (kept-probes.ts):
 * a role's `query` with `kept_by`, and the package module's dpkg-query. The host's answer is
 * what the run acts on each time; what is counted is whether the command went to the host.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCountingProbes } from '../helpers/probe-count.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

// the answer (a digest of db) written to a file: the host shows what the role was told
const ROLE = `
import type { RoleDefinition } from 'quorum';
const role: RoleDefinition<{ dir: string }> = {
  name: 'kept',
  description: 'a read kept by the files it reads',
  params: { type: 'object', properties: { dir: { type: 'string' } }, required: ['dir'], additionalProperties: false },
  async run(ctx, p) {
    const r = await ctx.query({ cmd: 'md5sum < ' + p.dir + '/db; echo kept-read', kept_by: [p.dir + '/db', p.dir + '/journal'] }, { name: 'read db' });
    await ctx.copy({ dest: p.dir + '/seen', content: String(r.result.stdout) }, { name: 'seen' });
  },
};
export default role;
`;

function project() {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': `- hosts: all\n  gather_facts: false\n  roles:\n    - { role: kept, dir: ${dir} }\n`,
    'roles/kept/index.ts': ROLE,
    db: 'first\n',
  });
  return dir;
}

async function run(dir: string) {
  const r = await runCountingProbes(dir);
  expect(r.code).toBe(0);
  const md5 = createHash('md5')
    .update(readFileSync(join(dir, 'db')))
    .digest('hex');
  // whatever answered, the role acted on db as it is now
  expect(readFileSync(join(dir, 'seen'), 'utf8')).toBe(`${md5}  -\nkept-read\n`);
  return { ran: r.probes.some((c) => c.includes('echo kept-read')), steps: r.steps.map((s) => s.status) };
}

describe('reads kept while their files list the same', () => {
  it('a role query with kept_by: run once, then answered from the controller until a file changes', async () => {
    const dir = project();
    expect(await run(dir)).toEqual({ ran: true, steps: ['ok', 'changed'] });
    expect(await run(dir)).toEqual({ ran: false, steps: ['ok', 'ok'] });
    // the same size, other bytes (a rewrite by rename, as dpkg writes its status file)
    writeFileSync(join(dir, 'db.new'), 'other\n');
    renameSync(join(dir, 'db.new'), join(dir, 'db'));
    expect(await run(dir)).toEqual({ ran: true, steps: ['ok', 'changed'] });
    expect((await run(dir)).ran).toBe(false);
    // a file of the listing appearing (dpkg's journal) is a change too
    writeFileSync(join(dir, 'journal'), 'x');
    expect((await run(dir)).ran).toBe(true);
    expect((await run(dir)).ran).toBe(false);
  });

  it('nothing is kept where the first file is missing: the command runs every time', async () => {
    const dir = project();
    writeFileSync(join(dir, 'db'), '');
    const play = readFileSync(join(dir, 'roles/kept/index.ts'), 'utf8').replace(
      "kept_by: [p.dir + '/db', p.dir + '/journal']",
      "kept_by: [p.dir + '/nothing-here', p.dir + '/db']",
    );
    writeFileSync(join(dir, 'roles/kept/index.ts'), play);
    expect((await run(dir)).ran).toBe(true);
    expect((await run(dir)).ran).toBe(true);
  });

  it("the package module's dpkg-query is kept by dpkg's database: a converged check sends none", async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml':
        '- hosts: all\n  gather_facts: false\n  tasks:\n    - package: { name: [coreutils, dpkg], state: present }\n',
    });
    const dpkgQueries = (r: Awaited<ReturnType<typeof runCountingProbes>>) =>
      r.probes.filter((c) => c.includes('dpkg-query')).length;
    const first = await runCountingProbes(dir, true);
    expect(first.steps.map((s) => s.status)).toEqual(['ok']);
    expect(dpkgQueries(first)).toBe(1);
    const again = await runCountingProbes(dir, true);
    expect(again.steps.map((s) => s.status)).toEqual(['ok']);
    expect(dpkgQueries(again)).toBe(0);
    // other names are another read: asked of the host once
    writeFileSync(
      join(dir, 'play.yml'),
      readFileSync(join(dir, 'play.yml'), 'utf8').replace('dpkg]', 'dpkg, tar]'),
    );
    expect(dpkgQueries(await runCountingProbes(dir, true))).toBe(1);
    expect(dpkgQueries(await runCountingProbes(dir, true))).toBe(0);
  });
});
