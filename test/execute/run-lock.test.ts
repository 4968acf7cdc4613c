/** Run leases on a real host (this machine, through the local transport): one run changes a host at a time. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostBusy, RunLocks } from '../../src/execute/run-lock.ts';
import { LocalTransport } from '../../src/transport/local.ts';
import { QUORUM_BIN } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const FILE = process.getuid?.() === 0 ? '/run/quorum.lock' : '/tmp/quorum.lock';

describe('run locks', () => {
  it('a second run waits, then fails saying whose the host is; once released, it takes it', async () => {
    const t = new LocalTransport('h1');
    const first = new RunLocks();
    await first.take('h1', t, false);
    expect(readFileSync(FILE, 'utf8')).toContain(`${first.me.id} ${process.pid}`);
    const warnings: string[] = [];
    const second = new RunLocks((m) => warnings.push(m), 3);
    const err = await second.take('h1', t, false).catch((e) => e);
    expect(err).toBeInstanceOf(HostBusy);
    expect(err.message).toMatch(
      new RegExp(
        `h1 is being changed by another quorum run \\(pid ${process.pid} on .+, since .+\\); nothing was changed here`,
      ),
    );
    expect(warnings).toEqual([expect.stringMatching(/waiting up to 3 s for it to finish/)]);
    await first.releaseAll();
    const third = new RunLocks();
    await third.take('h1', t, false);
    await third.releaseAll();
  }, 20_000);

  it('a lease whose run died ends by itself', async () => {
    const t = new LocalTransport('h1');
    const now = Math.floor(Date.now() / 1000);
    writeFileSync(FILE, `deadbeef 1 elsewhere ${now - 120} ${now - 1}\n`);
    const locks = new RunLocks();
    await locks.take('h1', t, false);
    await locks.releaseAll();
  });

  it('a lease left by a dead run of this controller is taken over at once, with a warning; a live one is waited for', async () => {
    const t = new LocalTransport('h1');
    const now = Math.floor(Date.now() / 1000);
    // a process that has exited: its pid is free
    const gone = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    writeFileSync(FILE, `deadbeef ${gone} ${hostname()} ${now - 5} ${now + 55}\n`);
    const warnings: string[] = [];
    const locks = new RunLocks((m) => warnings.push(m), 2);
    const started = Date.now();
    await locks.take('h1', t, false);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `h1: the run lock of run deadbeef \\(pid ${gone} on this controller, .*\\) was left by a run that no longer exists: taken over`,
        ),
      ),
    ]);
    expect(readFileSync(FILE, 'utf8')).toContain(locks.me.id);
    await locks.releaseAll();
    // a live process of this controller (this test's own) holding it: waited for, then refused
    writeFileSync(FILE, `cafebabe ${process.pid} ${hostname()} ${now} ${now + 55}\n`);
    const other = await new RunLocks(() => {}, 1).take('h1', t, false).catch((e) => e);
    expect(other).toBeInstanceOf(HostBusy);
    writeFileSync(FILE, '');
  }, 20_000);

  it('Ctrl-C (SIGINT) during a run releases its lease: the next run does not wait', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'inv.yml': 'all:\n  hosts:\n    localhost: { ansible_connection: local }\n',
      'play.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 30\n`,
    });
    // leases on: the unit suite turns them off for its plays
    const env = { ...process.env, QUORUM_RUN_LOCK: 'on' };
    const child = spawn(
      process.execPath,
      [QUORUM_BIN, 'play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml')],
      {
        env,
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    for (
      let i = 0;
      i < 100 && !(existsSync(FILE) && readFileSync(FILE, 'utf8').includes(` ${child.pid} `));
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(FILE, 'utf8')).toContain(` ${child.pid} `);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(existsSync(FILE) ? readFileSync(FILE, 'utf8') : '').toBe('');
  }, 30_000);
});
