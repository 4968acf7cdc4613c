/**
 * A role's tasks for Windows hosts (ansible-community.consul's handlers: `win_service` under
 * `when: ansible_os_family == "Windows"`): quorum does not run PowerShell modules, so such a
 * task fails where it would run, said up front by validate, instead of refusing the whole play
 * for Linux hosts that never reach it. Without a `when` it would run everywhere: refused. The
 * same for a task or include whose vars connect another way (`ansible_connection: httpapi`).
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { quorum } from '../helpers/cli.ts';
import { validateCli, workspace, writeFiles } from '../helpers/run-local.ts';

const play = (when: string) => `
- hosts: all
  gather_facts: false
  vars: { family: Debian }
  tasks:
    - name: on Linux
      debug: { msg: linux }
      when: family != "Windows"
    - name: on Windows
      ansible.windows.win_service: { name: consul, state: restarted }
${when}
    - name: after
      debug: { msg: done }
`;

describe('tasks of Windows modules', () => {
  it('under a when: a warning with the place, skipped where the when is false, failing where it is true', () => {
    const guarded = play('      when: family == "Windows"');
    const v = validateCli(guarded);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(
      /^warning: a task quorum cannot run; a host that reaches it fails there: .*play\.yml:\d+:7: ansible\.windows\.win_service is a Windows \(PowerShell\) module/m,
    );
    const dir = workspace();
    writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': guarded });
    const linux = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--json']);
    expect(linux.code, linux.stderr).toBe(0);
    const statuses = (out: string) =>
      Object.fromEntries(
        (
          out
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l)) as RunEvent[]
        ).flatMap((e) => (e.type === 'step' ? [[e.task, e.status]] : [])),
      );
    expect(statuses(linux.stdout)).toEqual({ 'on Linux': 'ok', 'on Windows': 'skipped', after: 'ok' });
    const windows = quorum([
      ...['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--json'],
      ...['-e', 'family=Windows'],
    ]);
    expect(windows.code).toBe(2);
    expect(statuses(windows.stdout)).toEqual({ 'on Linux': 'skipped', 'on Windows': 'failed' });
    expect(windows.stdout).toContain('is a Windows (PowerShell) module, which quorum does not run');
  });

  it('without a when (it runs everywhere), or with a module of another name: refused before any host', () => {
    const always = validateCli(play(''));
    expect(always.code).toBe(1);
    expect(always.stderr).toMatch(
      /play\.yml:\d+:7: unknown module or task keyword "ansible\.windows\.win_service"/,
    );
    const typo = validateCli(
      play('      when: family == "Windows"').replace('ansible.windows.win_service', 'win_servce_x'),
    );
    // any win_ name is taken for a Windows module (ansible-core redirects them to ansible.windows): it fails where it runs
    expect(typo.code).toBe(0);
    const other = validateCli(
      play('      when: family == "Windows"').replace('ansible.windows.win_service', 'linux_servce'),
    );
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/unknown module or task keyword "linux_servce"/);
  });
});

/** community.zabbix's zabbix_agent: its API calls, an include over `ansible_connection: httpapi`, when asked for. */
const api = (when: string) => `
- hosts: all
  gather_facts: false
  vars: { api: false }
  tasks:
    - name: API calls
      vars: { ansible_connection: httpapi }
      include_tasks: api.yml
${when}
    - name: after
      debug: { msg: done }
`;

describe('a task or include whose vars connect another way', () => {
  it('under a when: warned with its place, skipped where the when is false, failing where it is true', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': api('      when: api | bool'),
      'api.yml': '- debug: { msg: api }\n',
    });
    const v = validateCli(api('      when: api | bool'), undefined, { 'api.yml': '- debug: { msg: api }\n' });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(
      /warning: a task quorum cannot run; a host that reaches it fails there: .*play\.yml:7:15: ansible_connection in a task's or block's vars/,
    );
    const run = (...extra: string[]) =>
      quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--json', ...extra]);
    const off = run();
    expect(off.code, off.stderr).toBe(0);
    const steps = (out: string) =>
      (
        out
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)) as RunEvent[]
      ).flatMap((e) => (e.type === 'step' ? [[e.task, e.status]] : []));
    expect(steps(off.stdout)).toEqual([
      ['API calls', 'skipped'],
      ['after', 'ok'],
    ]);
    const on = run('-e', 'api=true');
    expect(on.code).toBe(2);
    expect(steps(on.stdout)).toEqual([['API calls', 'failed']]);
  });

  it('without a when: refused before any host', () => {
    const always = validateCli(api(''), undefined, { 'api.yml': '- debug: { msg: api }\n' });
    expect(always.code).toBe(1);
    expect(always.stderr).toMatch(/play\.yml:7:15: ansible_connection in a task's or block's vars/);
  });
});
