/**
 * ctx.delegateTo returns the other host with the step helpers only (typed as DelegatedContext):
 * its steps run there, are reported as the delegating host's, and count as its changes; the
 * rest of RoleContext (hosts, fail, lookup ...) is not there to be made async by mistake.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, expectTypeOf, it } from 'vitest';
import type { DelegatedContext, RoleContext } from '../../src/index.ts';
import { STEP_HELPERS } from '../../src/roles/define.ts';
import { changedSteps, nodeEnds, runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

it('runs the step helpers on the other host, reported and counted as the delegating host', async () => {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini':
      'h1 ansible_connection=local colour=red\nh2 ansible_connection=local colour=blue\nh3 ansible_connection=local colour=green\n',
    'play.yml': `- hosts: all\n  roles:\n    - { role: delegator, dir: ${dir} }\n`,
  });
  const check = await runLocal(dir, { check: true });
  expect(check.code).toBe(0);
  expect(changedSteps(check)).toEqual([
    'h1 delegator (on h2): note for h2',
    'h1 delegator (on h3): note for h3',
  ]);
  const r = await runLocal(dir);
  expect(r.code).toBe(0);
  expect(changedSteps(r)).toEqual(changedSteps(check));
  // the other host's own variables and facts, not the delegating host's
  expect(readFileSync(join(dir, 'h2.txt'), 'utf8')).toBe('blue string\n');
  expect(readFileSync(join(dir, 'h3.txt'), 'utf8')).toBe('green string\n');
  expect(nodeEnds(r).find((e) => e.host === 'h1')?.status).toBe('changed');
  expect(changedSteps(await runLocal(dir))).toEqual([]);
});

it('is typed as what it returns: the step helpers, host, facts and vars, nothing else', () => {
  expectTypeOf<DelegatedContext['query']>().toEqualTypeOf<RoleContext['query']>();
  expectTypeOf<DelegatedContext['host']>().toEqualTypeOf<string>();
  // what was async by accident through the old Proxy is not there at all
  expectTypeOf<DelegatedContext>().not.toHaveProperty('hosts');
  expectTypeOf<DelegatedContext>().not.toHaveProperty('fail');
  expectTypeOf<DelegatedContext>().not.toHaveProperty('lookup');
  expect([...STEP_HELPERS].sort()).toContain('query');
});
