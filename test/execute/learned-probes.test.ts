/**
 * A TypeScript role's probes learned from the last run (learned-probes.ts): on a converged host
 * the node's paths go out in one batch at its first probe, every step is judged as before, and a
 * file changed between runs, or by the node's own earlier step, is seen as it is.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCountingProbes } from '../helpers/probe-count.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

/** Runs play.yml on h1 (local): the steps' names and statuses, the paths of each path batch. */
async function run(dir: string, check = false) {
  const r = await runCountingProbes(dir, check);
  const steps = r.steps.map((e) => `${e.task.replace(/^learn: /, '')} ${e.status}`);
  return { code: r.code, steps, batchSizes: r.batchSizes };
}

// six paths; the last step's content is what the first wrote (read back through the host)
const ROLE = `
import type { RoleDefinition } from 'quorum';
const role: RoleDefinition<{ dir: string; version: string }> = {
  name: 'learn',
  description: 'files, a directory and a read of its own first file',
  params: {
    type: 'object',
    properties: { dir: { type: 'string' }, version: { type: 'string' } },
    required: ['dir', 'version'],
    additionalProperties: false,
  },
  async run(ctx, p) {
    await ctx.copy({ dest: p.dir + '/app.conf', content: 'version ' + p.version + '\\n' }, { name: 'app.conf' });
    await ctx.file({ path: p.dir + '/data', state: 'directory', mode: '0750' }, { name: 'data' });
    for (const n of [1, 2, 3]) await ctx.copy({ dest: p.dir + '/data/' + n, content: String(n) }, { name: 'data ' + n });
    await ctx.copy({ dest: p.dir + '/seen', content: 'app.conf says ' + p.version + '\\n' }, { name: 'seen' });
    // neither is learned: a user command (query may not go ahead of its turn), a no_log step
    await ctx.query({ cmd: 'echo learn-query' }, { name: 'query' });
    await ctx.copy({ dest: p.dir + '/hidden', content: 'h' }, { name: 'hidden', noLog: true });
  },
};
export default role;
`;

const STEPS = ['app.conf', 'data', 'data 1', 'data 2', 'data 3', 'seen', 'query', 'hidden'];
const ok = (s: string) => (s === 'query' ? 'query ok' : `${s} ok`);

function project(version: string) {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': `- hosts: all\n  gather_facts: false\n  roles:\n    - { role: learn, dir: ${dir}/out, version: "${version}" }\n`,
    'roles/learn/index.ts': ROLE,
  });
  writeFiles(join(dir, 'out'), { '.keep': '' });
  return dir;
}

describe('probes learned from the last run', () => {
  it("send a converged role node's paths in one batch, each step judged as before", async () => {
    const dir = project('1');
    const first = await run(dir);
    expect(first.code).toBe(0);
    expect(first.steps).toEqual(STEPS.map((s) => (s === 'query' ? 'query ok' : `${s} changed`)));
    // nothing learned yet: a batch per step
    expect(first.batchSizes).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const again = await run(dir);
    expect(again.steps).toEqual(STEPS.map(ok));
    // the six learned paths at the first probe; the no_log step's on its own turn
    expect(again.batchSizes).toEqual([6, 1]);
    const check = await run(dir, true);
    expect(check.steps).toEqual(STEPS.map(ok));
    expect(check.batchSizes).toEqual([6, 1]);
    // what is kept, in the test's own cache folder: the six paths, not the query nor the no_log path
    const folder = join(String(process.env.XDG_CACHE_HOME), 'quorum', 'probes');
    expect(readdirSync(folder)).toEqual(['h1.json']);
    const kept = readFileSync(join(folder, 'h1.json'), 'utf8');
    expect(kept).toContain(`${dir}/out/data/3`);
    expect(kept).not.toContain('learn-query');
    expect(kept).not.toContain('hidden');
  });

  it('a file changed between runs is seen; a change by the node drops what was sent ahead', async () => {
    const dir = project('1');
    await run(dir);
    await run(dir);
    writeFileSync(join(dir, 'out/data/2'), 'two');
    const edited = await run(dir);
    expect(edited.steps).toEqual([
      'app.conf ok',
      'data ok',
      'data 1 ok',
      'data 2 changed',
      'data 3 ok',
      'seen ok',
      'query ok',
      'hidden ok',
    ]);
    expect(readFileSync(join(dir, 'out/data/2'), 'utf8')).toBe('2');
    // the change at data 2 dropped the batch's answers: data 3 and seen are probed again
    expect(edited.batchSizes).toEqual([6, 1, 1, 1]);
    // a new version: the first step changes, every later one reads the host anew
    writeFileSync(join(dir, 'play.yml'), readFileSync(join(dir, 'play.yml'), 'utf8').replace('"1"', '"2"'));
    const upgraded = await run(dir);
    expect(upgraded.steps).toEqual([
      'app.conf changed',
      ...['data', 'data 1', 'data 2', 'data 3'].map(ok),
      'seen changed',
      'query ok',
      'hidden ok',
    ]);
    expect(readFileSync(join(dir, 'out/seen'), 'utf8')).toBe('app.conf says 2\n');
  });
});
