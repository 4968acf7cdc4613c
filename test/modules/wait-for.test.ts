/** wait_for's sleep, msg and timeout messages, held to ansible-core 2.19's module side by side. */
import { describe, expect, it } from 'vitest';
import { resultsTask, sameResults, sameStatuses, sideBySide, tableTasks } from '../helpers/side-by-side.ts';

const TASKS = [
  ['a path there', 'path: /etc/hostname, sleep: 2'],
  ['a path never there, with msg', 'path: /nonexistent/q, timeout: 1, sleep: 1, msg: "never came"', true],
  ['a path never there', 'path: /nonexistent/q, timeout: 1', true],
  ['a path that stays', 'path: /etc/hostname, state: absent, timeout: 1', true],
  ['a closed port', 'port: 9, host: 127.0.0.1, timeout: 1, connect_timeout: 1', true],
] as const;

// a path found: 2.19 also registers the file's attributes, quorum does not (README, wait_for)
const FILE_ATTRS = ['gid', 'group', 'mode', 'owner', 'size', 'uid'];

describe('wait_for, as ansible-core 2.19', () => {
  it('waits with its sleep and fails in the module words, or msg', async () => {
    const side = await sideBySide(
      (out) =>
        `- hosts: all\n  gather_facts: false\n  tasks:\n${tableTasks('wait_for', TASKS)}\n${resultsTask(`${out}/results.json`, TASKS.length, [...['elapsed', 'invocation', 'path', 'port', 'search_regex', 'match_groups', 'match_groupdict', 'state'], ...FILE_ATTRS])}\n`,
    );
    sameStatuses(side);
    const results = sameResults(side.out);
    expect(results.map((r) => r.msg ?? null)).toEqual([
      null,
      'never came',
      'Timeout when waiting for file /nonexistent/q',
      'Timeout when waiting for /etc/hostname to be absent.',
      'Timeout when waiting for 127.0.0.1:9',
    ]);
  });
});
