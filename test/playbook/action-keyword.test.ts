/**
 * Older forms real roles still write, held to ansible-core 2.19 side by side: `action:` (a module
 * and its arguments, as words or a mapping, run where the task runs) and `wait_for` with only a
 * timeout (a pause of that many seconds). quorum refused both.
 */
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: words
      action: command echo from action
      register: r0
    - name: mapping
      action: { module: copy, dest: "${d}/made", content: "x\\n" }
      register: r1
    - name: a pause
      wait_for: { timeout: 1 }
${resultsTask(`${d}/results.json`, 2, ['invocation', 'start', 'end', 'delta', 'src', 'checksum', 'dest', 'gid', 'group', 'md5sum', 'mode', 'owner', 'size', 'state', 'uid', 'diff'])}
`;

describe('action: and a wait_for pause, as ansible-core 2.19', () => {
  it('runs them as Ansible does', async () => {
    const sides = await sideBySide(play);
    expect(sameStatuses(sides)).toMatchObject({ words: 'changed', mapping: 'changed', 'a pause': 'ok' });
    const [r0] = sameResults(sides.out);
    expect(r0.stdout).toBe('from action');
    expect(steps(sides.run).find((s) => s.task === 'a pause')?.message).toBe('wait 1 s');
  });
});
