/**
 * The control-plane load balancer on real daemons in the lab: haproxy + keepalived on
 * cp1-cp3, containerd on all five hosts, a kube-apiserver stand-in (test fixture) on 6443.
 */
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load.ts';
import { hostVars } from '../../src/inventory/vars.ts';
import { sshTransportFor } from '../../src/transport/connect.ts';
import type { Transport } from '../../src/transport/types.ts';
import { quorum } from '../helpers/cli.ts';
import {
  canRunLab,
  changedCount,
  ensureLab,
  labInventory,
  playJsonAsync,
  upperSnapshot,
} from '../helpers/lab.ts';

const ROOT = join(import.meta.dirname, '../..');
const LB = join(ROOT, 'playbooks/lb.yml');
const STANDIN = join(ROOT, 'test/fixtures/playbooks/apiserver-standin.yml');
const VIP = '198.51.100.10';
const CPS = ['cp1', 'cp2', 'cp3'];
const HOSTS = [...CPS, 'w1', 'w2'];

/** One HTTPS request to the VIP's frontend: the name of the backend that answered. */
function viaVip(): Promise<string> {
  return new Promise((resolve) => {
    const req = request(
      { host: VIP, port: 8443, path: '/healthz', rejectUnauthorized: false, agent: false, timeout: 2000 },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve(body.trim()));
      },
    );
    req.on('error', () => resolve('error'));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(canRunLab)('haproxy + keepalived + containerd on the lab', () => {
  const conns = new Map<string, Transport>();
  const sh = async (host: string, cmd: string) =>
    (await conns.get(host)!.exec(cmd, { purpose: 'action' })).stdout.trim();
  const owners = async () =>
    (
      await Promise.all(
        CPS.map(async (h) => ((await sh(h, 'ip -4 addr show eth0')).includes(`${VIP}/`) ? h : '')),
      )
    ).filter(Boolean);
  /**
   * Bounded poll: the owners list once it has stayed the same, with `ok` true, for `settleMs`
   * in a row, or whatever it is when the deadline passes. Settling matters: when the master
   * leaves, backups whose priorities differ by one take over after skew times ~4 ms apart, so
   * under CPU load the lower one may win for a moment until the higher one preempts it (VRRP
   * master-down interval: 3 adverts + skew, under 4 s here).
   */
  const waitOwners = async (ok: (o: string[]) => boolean, ms: number, settleMs = 5000) => {
    const deadline = Date.now() + ms;
    let o = await owners();
    let since = ok(o) ? Date.now() : 0;
    while ((!since || Date.now() - since < settleMs) && Date.now() < deadline) {
      await sleep(250);
      const next = await owners();
      if (!ok(next)) since = 0;
      else if (!since || next.join() !== o.join()) since = Date.now();
      o = next;
    }
    return o;
  };

  beforeAll(async () => {
    quorum(['lab', 'down']);
    await ensureLab();
  }, 120_000);

  afterAll(async () => {
    for (const c of conns.values()) await c.close();
  });

  it('a check run on fresh hosts lists every change and writes nothing', async () => {
    const before = Object.fromEntries(HOSTS.map((h) => [h, upperSnapshot(h)]));
    const r = await playJsonAsync(LB, ['--check']);
    expect(r.code).toBe(0);
    const changed = new Set(
      r.events.flatMap((e) =>
        e.type === 'step' && e.status === 'would_change' ? [`${e.host} ${e.task}`] : [],
      ),
    );
    for (const h of HOSTS) expect(changed).toContain(`${h} containerd: package containerd, runc`);
    for (const h of CPS) {
      expect(changed).toContain(`${h} haproxy: haproxy.cfg`);
      expect(changed).toContain(`${h} keepalived: keepalived.conf`);
    }
    for (const h of HOSTS) expect(upperSnapshot(h)).toEqual(before[h]);
  });

  it('converges, then the second run reports zero changes', async () => {
    const first = await playJsonAsync(LB);
    expect(first.code).toBe(0);
    const second = await playJsonAsync(LB);
    expect(second.code).toBe(0);
    expect(changedCount(second.events)).toBe(0);
    expect(JSON.stringify(first.events)).not.toContain('labvrrp1');
  }, 600_000);

  it('containerd runs in a lab host', async () => {
    const inv = loadInventory([labInventory()]);
    for (const h of HOSTS) {
      const host = inv.data.hosts.get(h)!;
      conns.set(h, sshTransportFor(h, hostVars(inv, host)));
    }
    // the daemon answers on its socket: ctr prints a Server section only when it does
    const version = await sh('w1', 'ctr version 2>&1');
    expect(version).toMatch(/Server:\s*\n\s*Version:\s+\S+/);
    const dump = await sh('w1', 'containerd config dump 2>/dev/null');
    expect(dump).toMatch(/SystemdCgroup = true/);
    expect(dump).toMatch(/registry\.k8s\.io\/pause:3\.10\.1/);
  });

  it('VIP:8443 reaches all three backends in turn; a stopped backend leaves the rotation', async () => {
    expect((await playJsonAsync(STANDIN)).code).toBe(0);
    let seen: string[] = [];
    for (let i = 0; i < 20 && new Set(seen).size < 3; i++) {
      seen = await Promise.all(Array.from({ length: 6 }, () => viaVip()));
      if (new Set(seen).size < 3) await sleep(500);
    }
    expect(new Set(seen)).toEqual(new Set(CPS));
    await sh('cp2', 'kill "$(cat /run/apiserver-standin.pid)"');
    let after: string[] = [];
    for (let i = 0; i < 30; i++) {
      await sleep(500);
      after = [];
      for (let j = 0; j < 6; j++) after.push(await viaVip());
      if (!after.includes('cp2') && !after.includes('error')) break;
    }
    expect(new Set(after)).toEqual(new Set(['cp1', 'cp3']));
    expect((await playJsonAsync(STANDIN)).code).toBe(0);
  }, 120_000);

  it('the VIP moves when keepalived stops on its owner, and comes back to exactly one owner', async () => {
    // after the stand-in came up, checks recover (rise 2 x 2 s) and cp1 preempts
    expect(await waitOwners((o) => o.length === 1 && o[0] === 'cp1', 30_000)).toEqual(['cp1']);
    // the init script's stop returns before keepalived has exited; a start before that is lost
    await sh(
      'cp1',
      '/etc/init.d/keepalived stop; i=0; while pidof keepalived >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done',
    );
    const moved = await waitOwners((o) => o.length === 1 && o[0] !== 'cp1', 30_000);
    expect(moved).toEqual(['cp2']);
    expect(['cp1', 'cp2', 'cp3']).toContain(await viaVip());
    await sh('cp1', '/etc/init.d/keepalived start');
    const back = await waitOwners((o) => o.length === 1 && o[0] === 'cp1', 45_000);
    expect(back).toEqual(['cp1']);
    for (let i = 0; i < 12; i++) {
      expect((await owners()).length).toBeLessThanOrEqual(1);
      await sleep(250);
    }
  }, 120_000);

  it('a failing check (haproxy down on cp1) moves the VIP away; recovery brings it back', async () => {
    await sh(
      'cp1',
      '/etc/init.d/haproxy stop; i=0; while pidof haproxy >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done',
    );
    expect(await waitOwners((o) => o.length === 1 && o[0] !== 'cp1', 30_000)).toEqual(['cp2']);
    expect(['cp1', 'cp2', 'cp3']).toContain(await viaVip());
    await sh('cp1', '/etc/init.d/haproxy start');
    expect(await waitOwners((o) => o.length === 1 && o[0] === 'cp1', 45_000)).toEqual(['cp1']);
  }, 120_000);

  it('the demo playbook (npm run demo) converges and then reports zero changes', async () => {
    const demo = join(ROOT, 'playbooks/demo.yml');
    const first = await playJsonAsync(demo);
    expect(first.code).toBe(0);
    expect(changedCount((await playJsonAsync(demo)).events)).toBe(0);
    expect(changedCount((await playJsonAsync(demo, ['--check'])).events)).toBe(0);
  }, 300_000);
});
