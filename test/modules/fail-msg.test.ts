/**
 * fail's msg as 2.19's action takes it: any value (artis3n.tailscale fails with a list of
 * lines), registered as given, the error showing Python's str() of it; none given, "Failed as
 * requested from task". quorum required text and refused the role before any host.
 */
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: lines
      fail:
        msg: "{{ 'a\\\\nb' | split('\\\\n') }}"
      ignore_errors: true
      register: r0
    - name: a dict
      fail: { msg: { a: 1 } }
      ignore_errors: true
      register: r1
    - name: nothing said
      fail:
      ignore_errors: true
      register: r2
${resultsTask(`${out}/results.json`, 3, [])}
`;

describe('fail msg', () => {
  it('takes any value and registers it as 2.19', async () => {
    const side = await sideBySide(play);
    expect(sameStatuses(side)).toMatchObject({ lines: 'failed', 'a dict': 'failed' });
    const mine = sameResults(side.out);
    expect(mine.map((r) => r.msg)).toEqual([['a', 'b'], { a: 1 }, 'Failed as requested from task']);
    const errors = steps(side.run)
      .filter((e) => e.status === 'failed')
      .map((e) => e.error?.message);
    expect(errors).toEqual(["['a', 'b']", "{'a': 1}", 'Failed as requested from task']);
    expect(side.oracle.stdout).toContain("Action failed: ['a', 'b']");
  }, 60_000);
});
