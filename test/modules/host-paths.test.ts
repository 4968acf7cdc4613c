/**
 * Path parameters expanded on the host as Ansible's modules expand a parameter of type path
 * (Python's expanduser(expandvars())): `~`, `$VAR` and `${VAR}` from the task's environment,
 * an unset variable left as written. Held to ansible-core 2.19 side by side; quorum took
 * `~/made` for a folder named `~` in its working directory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bothSucceeded, sameStatuses, seenTask, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  environment: { HOME: ${out}, QDIR: ${out} }
  tasks:
    - name: a folder under ~
      file: { path: "~/made", state: directory }
      register: r0
    - name: lines under $QDIR
      lineinfile: { path: "$QDIR/made/lines", line: a, create: true }
      register: r1
    - name: stat under \${QDIR}
      stat: { path: "\${QDIR}/made/lines" }
      register: r2
    - name: find under ~
      find: { paths: ["~/made"] }
      register: r3
    - name: replace under ~
      replace: { path: "~/made/lines", regexp: a, replace: b }
      register: r4
    - name: a block under ~
      blockinfile: { path: "~/made/block", block: x, create: true }
      register: r5
    - name: an unset variable stays
      file: { path: "$NOPE_QUORUM/x", state: absent }
      register: r6
${seenTask(out, 'seen', "[r0.path, r2.stat.exists, r3.files | map(attribute='path') | sort, r6.path]")}
`;

describe('host path parameters, as 2.19 expands them', () => {
  it('expands ~ and environment variables on the host', async () => {
    const side = await sideBySide(play);
    bothSucceeded(side);
    expect(sameStatuses(side)).toMatchObject({
      'lines under $QDIR': 'changed',
      'a block under ~': 'changed',
    });
    const seen = (dir: string) => readFileSync(join(dir, 'seen'), 'utf8').replaceAll(dir, 'OUT');
    expect(seen(side.out.quorum)).toBe(seen(side.out.ansible));
    expect(JSON.parse(seen(side.out.quorum))).toEqual([
      'OUT/made',
      true,
      ['OUT/made/lines'],
      '$NOPE_QUORUM/x',
    ]);
    expect(readFileSync(join(side.out.quorum, 'made/lines'), 'utf8')).toBe('b\n');
  }, 60_000);
});
