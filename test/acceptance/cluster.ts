/**
 * Acceptance on real machines (it cannot run in CI here: no Kubernetes binaries install on
 * these machines). For an operator with five Linux VMs and an inventory like
 * inventory/example.yml:
 *
 *   npm run test:cluster -- -i inventory/site.yml [-e @secrets.yml ...]
 *
 * 1. playbooks/cluster.yml converges (exit 0), and a second run changes nothing;
 * 2. every inventory node is a Ready Kubernetes node (flannel from the cni role);
 * 3. etcd has one started, voting member per control-plane node;
 * 4. /readyz through the VIP keeps answering while the last control-plane node's kubelet and
 *    containers are stopped (crictl there, and its apiserver really down; started again afterwards);
 * 5. for ingress_controller (ingress-nginx, gateway or both): each LoadBalancer Service has an
 *    address from the MetalLB pool (the pinned one), and an Ingress / an HTTPRoute on the Gateway
 *    (to a test echo server, removed afterwards) answers through it (http-in.ts).
 * Then the day-2 checks of day2.ts (backup, scale-out with --limit, a control-plane node
 * replaced, and with --upgrade-to VERSION the upgrade).
 * Every loop is bounded; the only traffic is to the inventory's hosts and VIP.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { etcdctl, withEtcd } from '../../src/cluster/etcd.ts';
import { loadInventory } from '../../src/inventory/load.ts';
import { PatternMatcher } from '../../src/inventory/patterns.ts';
import { hostVars } from '../../src/inventory/vars.ts';
import { sshTransportFor } from '../../src/transport/connect.ts';
import { statusOf } from '../helpers/http-status.ts';
import { day2 } from './day2.ts';
import { checkHttpIn } from './http-in.ts';

const ROOT = join(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const upgradeAt = argv.indexOf('--upgrade-to');
const upgradeTo = upgradeAt >= 0 ? argv[upgradeAt + 1] : undefined;
const args = upgradeAt >= 0 ? [...argv.slice(0, upgradeAt), ...argv.slice(upgradeAt + 2)] : argv;
const inventories = args.flatMap((a, i) => (a === '-i' ? [args[i + 1]] : []));
if (inventories.length === 0) {
  console.error('usage: npm run test:cluster -- -i INVENTORY [quorum play options]');
  process.exit(1);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let failures = 0;
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};

function play(): { code: number; changed: number } {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/quorum.js'), 'play', join(ROOT, 'playbooks/cluster.yml'), ...args, '--json'],
    {
      encoding: 'utf8',
      stdio: ['inherit', 'pipe', 'inherit'],
    },
  );
  const changed = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{"type":"step"'))
    .filter((l) => /"status":"(changed|would_change)"/.test(l)).length;
  return { code: r.status ?? -1, changed };
}

const readyz = (host: string, port: number) => statusOf({ https: true, host, port, path: '/readyz' });

const first = play();
check(first.code === 0, `cluster.yml converges (exit ${first.code})`);
const second = play();
check(second.code === 0 && second.changed === 0, `a second run changes nothing (${second.changed} changes)`);

const inv = loadInventory(inventories);
const hosts = new PatternMatcher(inv.data);
const cps = hosts.hosts('control_plane');
const nodes = hosts.hosts('control_plane:workers');
const vars = hostVars(inv, cps[0]);
const cp1 = sshTransportFor(cps[0].name, vars);
const run = async (t: typeof cp1, cmd: string) => (await t.exec(cmd, { purpose: 'action' })).stdout;

const listed = JSON.parse(
  await run(cp1, 'kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o json'),
) as {
  items: Array<{
    metadata: { name: string };
    status: { conditions: Array<{ type: string; status: string }> };
  }>;
};
const ready = listed.items.filter((n) =>
  n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
);
check(
  nodes.every((n) => ready.some((r) => r.metadata.name === n.name)),
  `every node is Ready (${ready.map((r) => r.metadata.name).join(', ')} of ${nodes.map((n) => n.name).join(', ')})`,
);

const members = (await run(cp1, withEtcd(etcdctl('member list -w simple'))))
  .trim()
  .split('\n')
  .map((l) => l.split(', '));
const voters = members.filter((m) => m[1] === 'started' && m[5] === 'false');
check(voters.length === cps.length, `etcd has ${voters.length} started voting members of ${cps.length}`);

const vip = String(vars.control_plane_vip);
const port = Number(vars.control_plane_port ?? 8443);
const last = sshTransportFor(cps.at(-1)!.name, hostVars(inv, cps.at(-1)!));
// crictl comes from cri-tools, which kubeadm packages no longer pull in (kubernetes-packages
// installs it): without it nothing would stop and the check below would pass with nothing down
check((await run(last, 'command -v crictl || true')).trim() !== '', `crictl is on ${cps.at(-1)!.name}`);
await run(last, 'systemctl stop kubelet; crictl stop $(crictl ps -q) >/dev/null 2>&1; true');
const lastIp = String(hostVars(inv, cps.at(-1)!).node_ip ?? hostVars(inv, cps.at(-1)!).ansible_host);
const stillUp = (
  await run(
    cp1,
    `curl -sk --max-time 2 -o /dev/null -w '%{http_code}' https://${lastIp}:6443/healthz || true`,
  )
).trim();
check(
  stillUp !== '200',
  `${cps.at(-1)!.name}'s apiserver is down for the failover check (it answered ${stillUp || 'nothing'})`,
);
const codes: number[] = [];
for (let i = 0; i < 60; i++) {
  codes.push(await readyz(vip, port));
  await sleep(1000);
}
await run(last, 'systemctl start kubelet');
const answered = codes.slice(15).filter((c) => c === 200).length;
check(
  answered === codes.length - 15,
  `/readyz through ${vip}:${port} with ${cps.at(-1)!.name} down: ${answered} of ${codes.length - 15} after the first 15 s`,
);
await checkHttpIn({
  vars,
  check,
  onCp1: async (cmd, stdin) =>
    (await cp1.exec(cmd, { purpose: 'action', ...(stdin ? { stdin } : {}) })).stdout,
});
await day2({
  args,
  cps: cps.map((h) => h.name),
  workers: hosts.hosts('workers').map((h) => h.name),
  check,
  onCp1: (cmd) => run(cp1, cmd),
  upgradeTo,
});
await cp1.close();
await last.close();
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
