/**
 * meta: reset_connection on real SSH: the commands after it run in a new login session (another
 * sshd session process), directly and through the connection keeper (--persist); without it,
 * one session serves the whole run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { quorum } from '../helpers/cli.ts';
import { canRunLab, ensureLab, labInventory } from '../helpers/lab.ts';

const play = (reset: boolean) => `
- hosts: cp1
  gather_facts: false
  tasks:
    - shell: echo $PPID
      register: before
      changed_when: false
${reset ? '    - meta: reset_connection\n' : ''}    - shell: echo $PPID
      register: after
      changed_when: false
    - name: sessions
      debug: { msg: "{{ before.stdout }} {{ after.stdout }}" }
`;

describe.runIf(canRunLab)('meta: reset_connection on the lab', () => {
  let dir: string;
  beforeAll(async () => {
    await ensureLab();
    dir = mkdtempSync(join(tmpdir(), 'quorum-reset-'));
  });

  /** The sshd session PIDs of the commands before and after the meta task. */
  const sessions = (reset: boolean, args: string[] = [], env: NodeJS.ProcessEnv = {}) => {
    const file = join(dir, `play-${reset}.yml`);
    writeFileSync(file, play(reset));
    const r = quorum(['play', file, '-i', labInventory(), '--json', ...args], { env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const events: RunEvent[] = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const shown = events.find((e) => e.type === 'step' && e.task === 'sessions');
    return String(shown?.type === 'step' ? shown.message : '').split(' ');
  };

  it('a new session after it, directly and through the keeper; one session without it', () => {
    const [a, b] = sessions(true);
    expect(Number(a)).toBeGreaterThan(1);
    expect(b).not.toBe(a);
    const [c, d] = sessions(false);
    expect(d).toBe(c);
    const keeper = { QUORUM_KEEPER_DIR: mkdtempSync(join(tmpdir(), 'quorum-reset-keeper-')) };
    const [e, f] = sessions(true, ['--persist', '30'], keeper);
    expect(f).not.toBe(e);
    // the keeper holds the new session for the next run
    const [g] = sessions(false, ['--persist', '30'], keeper);
    expect(g).toBe(f);
    quorum(['keeper', 'stop'], { env: keeper });
  });
});
