/** Run leases on a real host (this machine, through the local transport): one run changes a host at a time. */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HostBusy, RunLocks } from '../../src/execute/run-lock.ts';
import { LocalTransport } from '../../src/transport/local.ts';

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
});
