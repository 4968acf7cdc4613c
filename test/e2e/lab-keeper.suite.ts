/**
 * Kept connections (`play --persist`, the connection keeper) against the lab: later runs use
 * the SSH sessions earlier runs opened, the keeper ends on stop or after the persist time,
 * and failures still come back as data. Each test run has its own keeper folder.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOurs } from '../../src/processes.ts';
import type { RunEvent } from '../../src/report/events.ts';
import { quorum } from '../helpers/cli.ts';
import { canRunLab, ensureLab, labInventory } from '../helpers/lab.ts';

const HOSTS = ['cp1', 'cp2', 'cp3', 'w1', 'w2'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether the keeper process still runs (ended, or a zombie: no command line). */
const alive = (pid: number) => isOurs(pid, 'keeper\0serve');

describe.runIf(canRunLab)('kept connections (--persist) on the lab', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let sessionPlay: string;

  const play = (playbook: string, args: string[] = [], inventory = labInventory()) => {
    const r = quorum(['play', playbook, '-i', inventory, '--json', ...args], { env });
    const events: RunEvent[] = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    return { ...r, events };
  };
  /** Per host, the PID of the sshd session process serving its commands in this run. */
  const sessions = (args: string[] = []) => {
    const r = play(sessionPlay, args);
    expect(r.code).toBe(0);
    return Object.fromEntries(
      r.events.flatMap((e) => (e.type === 'step' && e.task === 'show' ? [[e.host, e.message]] : [])),
    );
  };
  const keeperPid = () => Number(readFileSync(join(dir, 'keeper.pid'), 'utf8'));

  beforeAll(async () => {
    await ensureLab();
    dir = mkdtempSync(join(tmpdir(), 'quorum-keeper-'));
    env = { QUORUM_KEEPER_DIR: dir };
    sessionPlay = join(dir, 'session.yml');
    // $PPID of the persistent remote shell is the sshd process of the SSH session
    writeFileSync(
      sessionPlay,
      `
- hosts: all
  tasks:
    - shell: echo $PPID
      register: out
      changed_when: false
    - name: show
      debug: { msg: "session {{ out.stdout }}" }
`,
    );
  }, 120_000);

  afterAll(() => {
    quorum(['keeper', 'stop'], { env });
  });

  it('a second run uses the SSH sessions of the first; without --persist each run opens its own', () => {
    const first = sessions(['--persist', '60']);
    expect(Object.keys(first).sort()).toEqual([...HOSTS].sort());
    for (const m of Object.values(first)) expect(m).toMatch(/^session \d+$/);
    expect(sessions(['--persist', '60'])).toEqual(first);
    const direct = sessions();
    const again = sessions();
    for (const h of HOSTS) {
      expect(direct[h]).not.toBe(first[h]);
      expect(again[h]).not.toBe(direct[h]);
    }
  }, 120_000);

  it('keeper status lists the kept hosts; stop ends the keeper by its PID and removes its socket', () => {
    sessions(['--persist', '60']);
    const pid = keeperPid();
    const status = quorum(['keeper', 'status'], { env });
    expect(status.stdout).toContain(`keeper: running, pid ${pid}`);
    for (const h of HOSTS) expect(status.stdout).toMatch(new RegExp(`^  ${h}$`, 'm'));
    expect(quorum(['keeper', 'stop'], { env }).stdout).toContain(`keeper: stopped (pid ${pid})`);
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(dir, 'keeper.sock'))).toBe(false);
    expect(quorum(['keeper', 'status'], { env }).stdout).toContain('keeper: not running');
  }, 60_000);

  it('the keeper ends by itself once no run has used it for the persist time', async () => {
    sessions(['--persist', '1']);
    const pid = keeperPid();
    expect(alive(pid)).toBe(true);
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(dir, 'keeper.pid'))).toBe(false);
  }, 60_000);

  it('a host the keeper cannot reach is reported unreachable while the others run (exit 4)', () => {
    const inv = join(dir, 'with-ghost.yml');
    // cp1's address on a port where nothing listens: refused at once, lab traffic only
    writeFileSync(
      inv,
      readFileSync(labInventory(), 'utf8').replace(
        /^(\s+)cp1: /m,
        '$1ghost: { ansible_host: 198.51.100.11, ansible_port: 2 }\n$1cp1: ',
      ),
    );
    const r = play(sessionPlay, ['--persist', '60', '-T', '2'], inv);
    expect(r.code).toBe(4);
    const unreachable = r.events.flatMap((e) => (e.type === 'unreachable' ? [e.host] : []));
    expect(unreachable).toEqual(['ghost']);
    const shown = r.events.flatMap((e) => (e.type === 'step' && e.task === 'show' ? [e.host] : []));
    expect(shown.sort()).toEqual([...HOSTS].sort());
  }, 120_000);
});
