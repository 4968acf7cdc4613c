/**
 * Probes sent ahead (probe-cache.ts, speculate.ts) against this machine through the local
 * transport: a converged host's probes go out together and every one is used; an action
 * drops what was sent ahead, so no step is judged on a state from before an earlier change.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPlaybook } from '../../src/execute/run.ts';
import type { RunEvent } from '../../src/report/events.ts';
import { LocalTransport } from '../../src/transport/local.ts';
import type { ExecOptions, ExecResult } from '../../src/transport/types.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

/** Runs play.yml on one local host; counts probes and the most of them awaiting an answer at once. */
async function run(dir: string, check = false) {
  const events: RunEvent[] = [];
  const probes: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const code = await runPlaybook({
    playbook: join(dir, 'play.yml'),
    inventory: [join(dir, 'hosts.ini')],
    check,
    reporters: [(e) => events.push(e)],
    transportFactory: (host) => {
      const local = new LocalTransport(host);
      return {
        host,
        close: () => local.close(),
        async exec(command: string, o: ExecOptions): Promise<ExecResult> {
          if (o.purpose !== 'probe') return local.exec(command, o);
          probes.push(command);
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          try {
            return await local.exec(command, o);
          } finally {
            inFlight--;
          }
        },
      };
    },
  });
  const steps = events.flatMap((e) => (e.type === 'step' ? [e] : []));
  return { code, steps, probes, maxInFlight };
}

describe('probes sent ahead', () => {
  it("send a converged host's probes together, and every one is used", async () => {
    const dir = workspace();
    const tasks = Array.from(
      { length: 12 },
      (_, i) => `    - file: { path: "${dir}/d${i}", state: directory, mode: "0755" }`,
    );
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  tasks:\n${tasks.join('\n')}\n`,
    });
    expect((await run(dir)).code).toBe(0);
    const again = await run(dir);
    expect(again.code).toBe(0);
    expect(again.steps.map((s) => s.status)).toEqual(Array(12).fill('ok'));
    expect(again.maxInFlight).toBeGreaterThanOrEqual(8);
    // one probe for the facts, one per step: nothing sent ahead went unused
    expect(again.probes).toHaveLength(13);
    expect(new Set(again.probes).size).toBe(13);
    const check = await run(dir, true);
    expect(check.steps.map((s) => s.status)).toEqual(Array(12).fill('ok'));
    expect(check.maxInFlight).toBeGreaterThanOrEqual(8);
  });

  it('are dropped by an action: a step after a change sees the changed host', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'sub'));
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `
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
    });
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
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  tasks:\n${tasks.join('\n')}\n`,
    });
    const first = await run(dir);
    expect(first.steps.map((s) => s.status)).toEqual(Array(steps).fill('changed'));
    // the facts and one probe per step are needed; the rest were sent ahead and thrown away
    const wasted = first.probes.length - 1 - steps;
    expect(wasted).toBeLessThan(steps / 2);
  });
});
