/**
 * Facts over SSH on a lab host, held to ansible-core 2.19's gathering of the same host: both
 * engines gather cp1's facts (a read-only act) and write them to this machine, and every fact
 * quorum gives is Ansible's (test/helpers/same-facts.ts says what differs by nature). The lab
 * host is another network namespace, PID 1 and overlay root than the controller the unit test
 * compares on: interfaces, service manager, mounts and chroot read from its own sources.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canRunLab, ensureLab, playJsonAsync } from '../helpers/lab.ts';
import { workspace } from '../helpers/run-local.ts';
import { blockDevices, type Facts, sameFacts, whileUnchanged } from '../helpers/same-facts.ts';
import { ansibleResults } from './ansible-diff.ts';

const play = (out: string) => `
- hosts: cp1
  tasks:
    - name: facts
      copy: { dest: ${out}/facts.json, content: "{{ ansible_facts | to_json }}" }
      delegate_to: localhost
`;

describe.runIf(canRunLab)('facts over SSH, as ansible-core 2.19 gathers them on a lab host', () => {
  beforeAll(ensureLab, 300_000);

  it("every fact quorum gathers on cp1 is the one Ansible's setup gathers there", async () => {
    const gather = async () => {
      const dir = workspace();
      for (const side of ['a', 'q']) {
        mkdirSync(join(dir, side));
        writeFileSync(join(dir, `${side}.yml`), play(join(dir, side)));
      }
      const [theirs, mine] = await Promise.all([
        ansibleResults(join(dir, 'a.yml'), 'cp1', false),
        playJsonAsync(join(dir, 'q.yml'), ['--limit', 'cp1']),
      ]);
      return { dir, theirs, mine };
    };
    // the host sees this machine's block devices, which a unit test beside the lab pass attaches
    // and detaches (test/facts/ansible-devices.test.ts): compare a gathering they stayed the same around
    const { dir, theirs, mine } = await whileUnchanged(blockDevices, gather);
    expect(theirs.map((r) => r.status)).toEqual(['changed']);
    expect(mine.code).toBe(0);
    const read = (side: string) => JSON.parse(readFileSync(join(dir, side, 'facts.json'), 'utf8')) as Facts;
    sameFacts(read('q'), read('a'));
    expect(read('q').default_ipv4).toMatchObject({ address: '198.51.100.11' });
  }, 120_000);
});
