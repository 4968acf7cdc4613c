/**
 * Probes sent ahead (probe-cache.ts, speculate.ts) against this machine through the local
 * transport: a converged host's path probes go out together, in one batch command per look
 * ahead, and every one is used; an action drops what was sent ahead, so no step is judged on
 * a state from before an earlier change.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FACTS_SCRIPT } from '../../src/facts/gather.ts';
import { runCountingProbes as run } from '../helpers/probe-count.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

/** play.yml and an inventory of one local host, h1, in dir. */
function onOneHost(dir: string, play: string) {
  writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': play });
}

describe('probes sent ahead', () => {
  it("send a converged host's probes together, and every one is used", async () => {
    const dir = workspace();
    const tasks = Array.from(
      { length: 40 },
      (_, i) => `    - file: { path: "${dir}/d${i}", state: directory, mode: "0755" }`,
    );
    onOneHost(dir, `- hosts: all\n  tasks:\n${tasks.join('\n')}\n`);
    expect((await run(dir)).code).toBe(0);
    const again = await run(dir);
    expect(again.code).toBe(0);
    expect(again.steps.map((s) => s.status)).toEqual(Array(40).fill('ok'));
    // the steps' paths in two batches (the first looks 32 ahead, the next 64); no step asked
    // for facts
    expect(again.probes).toHaveLength(2);
    expect(again.batchSizes).toEqual([33, 7]);
    const check = await run(dir, true);
    expect(check.steps.map((s) => s.status)).toEqual(Array(40).fill('ok'));
    expect(check.batchSizes).toEqual([33, 7]);
  });

  it('gather facts only when a step asks for them, once per host', async () => {
    const play = (tasks: string[]) => {
      const dir = workspace();
      const body = tasks.map((t) => `    - ${t}\n`).join('');
      onOneHost(dir, `- hosts: all\n  tasks:\n${body}`);
      return run(dir, true);
    };
    const dirTask = `file: { path: "${tmpdir()}", state: directory }`;
    const withPackages = await play([
      dirTask,
      'package: { name: coreutils }',
      'package: { name: coreutils }',
    ]);
    expect(withPackages.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok']);
    expect(withPackages.probes.filter((p) => p === FACTS_SCRIPT)).toHaveLength(1);
    const filesOnly = await play([dirTask, dirTask]);
    expect(filesOnly.steps.map((s) => s.status)).toEqual(['ok', 'ok']);
    expect(filesOnly.probes.filter((p) => p === FACTS_SCRIPT)).toHaveLength(0);
  });

  it('are dropped by an action: a step after a change sees the changed host', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'sub'));
    onOneHost(
      dir,
      `
- hosts: all
  tasks:
    - file: { path: "${dir}/a", state: directory }
    - file: { path: "${dir}/a", state: directory }
    - copy: { dest: "${dir}/sub/f", content: "one\\n" }
    - copy: { dest: "${dir}/sub/f", content: "one\\n" }
    - lineinfile: { path: "${dir}/sub/f", line: "two" }
    - lineinfile: { path: "${dir}/sub/f", line: "two" }
    - file: { path: "${dir}/a", state: absent }
    - stat: { path: "${dir}/a" }
      register: st
    - assert: { that: ["not st.stat.exists"] }
`,
    );
    const first = await run(dir);
    expect(first.code).toBe(0);
    expect(first.steps.map((s) => s.status)).toEqual([
      'changed',
      'ok',
      'changed',
      'ok',
      'changed',
      'ok',
      'changed',
      'ok',
      'ok',
    ]);
  });

  it('are sent sparingly when every step changes the host (a first run)', async () => {
    const dir = workspace();
    const steps = 40;
    const tasks = Array.from(
      { length: steps },
      (_, i) => `    - file: { path: "${dir}/d${i}", state: directory }`,
    );
    onOneHost(dir, `- hosts: all\n  tasks:\n${tasks.join('\n')}\n`);
    const first = await run(dir);
    expect(first.steps.map((s) => s.status)).toEqual(Array(steps).fill('changed'));
    // one path per step is needed; the rest were sent ahead and thrown away
    // (looking 32 ahead at every step, as on a converged host, would throw away ~750)
    const wasted = first.pathsAsked - steps;
    expect(wasted).toBeLessThan(2 * steps);
    // looking ahead never costs a command of its own
    expect(first.probes).toHaveLength(steps);
  });

  it('probe a step whose condition waits on a registered value with the others', async () => {
    const dir = workspace();
    onOneHost(
      dir,
      `
- hosts: all
  tasks:
    - copy: { dest: "${dir}/conf", content: "x\\n" }
    - stat: { path: "${dir}/conf" }
      register: conf
    - copy: { dest: "${dir}/ready", content: "ready\\n" }
      when: conf.stat.exists
    - copy: { dest: "${dir}/never", content: "no\\n" }
      when: not conf.stat.exists
`,
    );
    expect((await run(dir)).code).toBe(0);
    const again = await run(dir);
    expect(again.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'skipped']);
    // one command: the guarded steps' paths went out with the first batch (the last one's unused)
    expect(again.probes).toHaveLength(1);
    expect(again.batchSizes).toEqual([4]);
  });

  it("read the durable handlers' record with the first batch, where become changes nothing", async () => {
    const dir = workspace();
    onOneHost(
      dir,
      `
- hosts: all
  tasks:
    - copy: { dest: "${dir}/f", content: "x\\n" }
      notify: prefetch test handler ${dir}
  handlers:
    - name: prefetch test handler ${dir}
      copy: { dest: "${dir}/ran", content: "ran\\n" }
`,
    );
    expect((await run(dir, false, { asRoot: true })).code).toBe(0);
    const asRoot = await run(dir, false, { asRoot: true });
    expect(asRoot.steps.map((s) => s.status)).toEqual(['ok']);
    // the task's path and the record's, in one command
    expect(asRoot.probes).toHaveLength(1);
    expect(asRoot.batchSizes).toEqual([2]);
    // a user for whom become means sudo: the record is read on its own when the handlers are due
    const sudo = await run(dir, false, { asRoot: false });
    expect(sudo.batchSizes).toEqual([1, 1]);
  });
});
