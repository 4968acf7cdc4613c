/**
 * community.general.capabilities held to the collection's module (Debian 13's ansible 12.0.0
 * under ansible-core 2.19) on this machine's setcap/getcap: a file per side, the same tasks
 * through ansible-playbook and quorum: the same status task by task (the module's `+ep` that
 * never converges included), the same registered fields and the same `getcap` left; then a
 * check run of the tasks whose end state the play keeps plans nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkPlansNothing,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
  tableTasks,
} from '../helpers/side-by-side.ts';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/setcap');

const TASKS = (d: string): Array<[string, string, boolean?]> => [
  ['+ep, as roles write it', `path: ${d}/bin, capability: cap_net_bind_service+ep`],
  ['+ep again: getcap says =ep', `path: ${d}/bin, capability: cap_net_bind_service+ep`],
  ['=ep', `path: ${d}/bin, capability: cap_net_bind_service=ep`],
  ['=ep again', `path: ${d}/bin, capability: cap_net_bind_service=ep`],
  ['another, by its aliases', `key: ${d}/bin, cap: CAP_CHOWN=ep`],
  ['that again', `path: ${d}/bin, capability: cap_chown=ep`],
  ['removed by name', `path: ${d}/bin, capability: cap_net_bind_service, state: absent`],
  ['removed again', `path: ${d}/bin, capability: cap_net_bind_service, state: absent`],
  ['no operator', `path: ${d}/bin, capability: cap_net_raw`, true],
  ['a path not there', `path: ${d}/none, capability: cap_net_raw=ep`, true],
];

const play = (d: string, tasks = TASKS(d)) => `
- hosts: all
  gather_facts: false
  tasks:
${tableTasks('community.general.capabilities', tasks)}
${resultsTask(`${d}/results.json`, tasks.length, ['invocation'])}
`;

describe.skipIf(!canRun)('capabilities, as community.general (ansible-core 2.19)', () => {
  it('sets and removes what the module does, task by task', async () => {
    const { dir, out, run, oracle } = await sideBySide((d) => {
      writeFileSync(join(d, 'bin'), '#!/bin/sh\n', { mode: 0o755 });
      return play(d);
    });
    const mine = sameStatuses({ run, oracle });
    expect(mine).toMatchObject({
      '+ep again: getcap says =ep': 'changed',
      '=ep again': 'ok',
      'that again': 'ok',
      'removed again': 'ok',
      'no operator': 'failed',
    });
    const _results = sameResults(out);
    const getcap = (d: string) =>
      execFileSync('getcap', ['-v', join(d, 'bin')], { encoding: 'utf8' }).replace(d, 'DIR');
    expect(getcap(out.quorum)).toBe(getcap(out.ansible));
    expect(getcap(out.quorum)).toBe('DIR/bin cap_chown=ep\n');

    const kept = TASKS(out.quorum).filter(
      ([n, , fails]) => !fails && !n.includes('+ep') && !n.startsWith('=ep'),
    );
    await checkPlansNothing(dir, play(out.quorum, kept));
  }, 120_000);
});
