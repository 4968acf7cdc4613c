/**
 * gather_facts: false, as ansible-core 2.19 has it: a play that does not gather sees no facts
 * (`is defined` false, in hostvars too) unless they were gathered before in the run (an earlier
 * play, a setup task); quorum gathers lazily, so this is the only way the difference shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, seenTask, sideBySide } from '../helpers/side-by-side.ts';

const seen = (out: string, file: string) =>
  seenTask(
    out,
    file,
    '[ansible_os_family is defined, hostvars[inventory_hostname].ansible_os_family is defined, ansible_facts.os_family is defined]',
  );

const play = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:${seen(out, 'first')}
- hosts: all
  gather_facts: false
  tasks:
    - name: setup
      setup:${seen(out, 'after-setup')}
- hosts: all
  gather_facts: false
  tasks:${seen(out, 'next-play')}
`;

describe('gather_facts: false, as ansible-core 2.19', () => {
  it('shows no facts until they are gathered, then keeps them for later plays', async () => {
    const { out, run, oracle } = await sideBySide(play);
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    expect(Object.fromEntries(steps(run).map((s) => [s.task, s.status]))).toEqual(
      ansibleStatuses(oracle.stdout),
    );
    const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
    for (const f of ['first', 'after-setup', 'next-play'])
      expect(read(out.quorum, f), f).toBe(read(out.ansible, f));
    expect(read(out.quorum, 'first')).toBe('[false, false, false]\n');
    expect(read(out.quorum, 'next-play')).toBe('[true, true, true]\n');
  }, 60_000);
});
