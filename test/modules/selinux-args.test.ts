/**
 * seuser/serole/setype/selevel on the file modules: nothing where the host runs without
 * SELinux, as 2.19's set_context_if_different (held side by side on this machine, which has no
 * selinuxfs); a task that sets a context where SELinux runs fails in quorum's words.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findModule } from '../../src/modules/registry.ts';
import { fakeProbe } from '../helpers/fake-probe.ts';
import {
  bothSucceeded,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
} from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: a template in a type
      template: { src: t.j2, dest: "${out}/t", setype: httpd_sys_content_t, seuser: system_u }
      register: r0
    - name: a copy at a level
      copy: { content: "x\\n", dest: "${out}/c", selevel: s0, serole: object_r }
      register: r1
    - name: a folder in a type
      file: { path: "${out}/d", state: directory, setype: _default }
      register: r2
    - name: a line in a type
      lineinfile: { path: "${out}/c", line: "y", setype: etc_t }
      register: r3
    - name: the same again
      file: { path: "${out}/d", state: directory, setype: tmp_t }
      register: r4
${resultsTask(`${out}/results.json`, 5, ['diff', 'src', 'md5sum', 'checksum', 'backup', 'msg'])}
`;

describe('SELinux context arguments', () => {
  it('change nothing where the host runs without SELinux, as 2.19', async () => {
    expect(existsSync('/sys/fs/selinux/enforce')).toBe(false);
    const side = await sideBySide(play, { 't.j2': 'hello {{ inventory_hostname }}\n' });
    bothSucceeded(side);
    expect(sameStatuses(side)['the same again']).toBe('ok');
    const mine = sameResults(side.out);
    expect(mine.map((r) => r.changed)).toEqual([true, true, true, true, false]);
  }, 60_000);

  it('fail the task where SELinux runs, naming what quorum does not do', async () => {
    const ctx = fakeProbe([[/selinux\/enforce/, 'on\n']]);
    const out = await findModule('file')!.plan(ctx, { path: '/srv/x', state: 'directory', setype: 'tmp_t' });
    expect(out.failed).toMatch(
      /SELinux is enabled on h1 and quorum does not set SELinux contexts \(setype\)/,
    );
    expect(out.changes).toEqual([]);
  });

  it('cost no read where a task gives none', async () => {
    const ctx = fakeProbe([[/./, { code: 1 }]]);
    await findModule('copy')!
      .plan(ctx, { dest: '/srv/x', content: 'x' })
      .catch(() => undefined);
    expect(ctx.seen.some((c) => c.includes('selinux'))).toBe(false);
  });
});
