/** ping, pause, wait_for_connection, raw and dpkg_selections: run on this machine, or planned against probe answers. */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dpkgSelectionsModule } from '../../src/modules/control.ts';
import { fakeProbe } from '../helpers/fake-probe.ts';
import { changedSteps, playCli, runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

describe('ping, pause, wait_for_connection, raw', () => {
  it('answer, wait and run as Ansible registers them; raw runs through the shell and always changes', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - ping: {}\n      register: p\n    - wait_for_connection: { timeout: 5 }\n    - pause: { seconds: 0 }\n      register: z\n    - raw: echo "{{ p.ping }} {{ z.stdout }}" > ${dir}/out\n`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('pong Paused for 0 seconds\n');
    expect(changedSteps(r)).toEqual(['h1 raw']);
    const again = await runLocal(dir, { check: true });
    expect(steps(again).map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'would_change']);
  });

  it('refuses a pause that waits for a key press, located, before any host', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': '- hosts: all\n  tasks:\n    - pause: { prompt: "go on?" }\n',
    });
    const r = playCli(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /play\.yml:3:\d+: pause for host h1: pause without seconds or minutes waits for a key press/,
    );
  });
});

describe('dpkg_selections', () => {
  it.each([
    ['holds an installed package', 'kubelet\t\t\t\t\tinstall\n', 'hold', ['kubelet: install -> hold']],
    ['leaves a held one', 'kubelet\t\t\t\t\thold\n', 'hold', []],
    ['selects a package dpkg does not know', '', 'install', ['kubelet: not present -> install']],
  ])('%s', async (_name, answer, selection, expected) => {
    const out = await dpkgSelectionsModule.plan(fakeProbe([[/dpkg --get-selections kubelet/, answer]]), {
      name: 'kubelet',
      selection: selection as 'hold',
    });
    expect(out.changes.map((c) => c.summary)).toEqual(expected);
    if (expected.length) expect(out.changes[0].action).toMatchObject({ stdin: `kubelet ${selection}\n` });
  });
});

describe('script', () => {
  it('runs a files/ script on the host with its #! line and arguments, guarded by creates; a missing one is refused before any host', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'files'));
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'files/say.sh': '#!/bin/sh\nprintf "%s|" "$@" > "$OUT"\necho done\n',
      'play.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - script: say.sh "two words" "it's" creates=${dir}/said\n      environment: { OUT: "${dir}/said" }\n      register: r\n    - copy: { dest: "${dir}/stdout", content: "{{ r.stdout }}" }\n`,
    });
    const first = await runLocal(dir);
    expect(first.code).toBe(0);
    expect(readFileSync(join(dir, 'said'), 'utf8')).toBe("two words|it's|");
    // registered as printed, its newline kept, as the script action plugin registers it
    expect(readFileSync(join(dir, 'stdout'), 'utf8')).toBe('done\n');
    expect(steps(await runLocal(dir)).find((s) => s.module === 'script')?.status).toBe('ok');
    writeFiles(dir, { 'play.yml': '- hosts: all\n  tasks:\n    - script: nope.sh\n' });
    const missing = playCli(dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/play\.yml:3:\d+: cannot find file "nope\.sh"/);
  });
});
