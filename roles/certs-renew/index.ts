// certs-renew: `kubeadm certs renew all` on each control-plane node whose certificates expire
// within `certs_renew_days` (a second run finds them fresh and changes nothing), then that
// node's control plane restarted so it serves the new ones (its static pods' containers
// stopped, the kubelet starts them again), waited for (API server ready, etcd healthy) before
// the next node starts: one node at a time. Root's kubeconfig follows the renewed admin.conf.
import { known, type RoleDefinition } from 'quorum';
import {
  allVoting,
  CHECK_EXPIRATION,
  describeExpiry,
  expiringWithin,
  parseExpiration,
  waitForMembers,
} from 'quorum/cluster';

export interface CertsRenewParams {
  certs_renew_days: number;
  apiserver_port: number;
  etcd_gate_retries: number;
}

const CONTROL_PLANE = "'^(kube-apiserver|kube-controller-manager|kube-scheduler|etcd)$'";

const role: RoleDefinition<CertsRenewParams> = {
  name: 'certs-renew',
  description: 'kubeadm certs renew all where they expire soon, control plane restarted one node at a time',
  throttle: 1,
  publishes: [],
  params: {
    type: 'object',
    properties: {
      certs_renew_days: {
        type: 'integer',
        minimum: 1,
        default: 30,
        description: 'renew when a certificate expires within this many days (400: every one, now)',
      },
      apiserver_port: { type: 'integer', default: 6443, description: "the node's API server port" },
      etcd_gate_retries: {
        type: 'integer',
        minimum: 0,
        default: 30,
        description: 'tries (2 s apart) for etcd to be healthy again',
      },
    },
    required: [],
    additionalProperties: false,
  },
  async run(ctx, p) {
    const r = await ctx.query({ cmd: CHECK_EXPIRATION }, { name: 'kubeadm certs check-expiration' });
    const out = known(r.result.stdout);
    if (out === undefined) return;
    const { leaves } = expiringWithin(parseExpiration(out), p.certs_renew_days);
    if (leaves.length === 0) return;
    ctx.warn(`renewing: ${leaves.map(describeExpiry).join(', ')}`);
    await ctx.command({ cmd: 'kubeadm certs renew all' }, { name: 'kubeadm certs renew all' });
    await ctx.shell(
      { cmd: `crictl ps --name ${CONTROL_PLANE} --state running -q | xargs -r crictl stop` },
      { name: 'restart the control plane (its containers stopped, the kubelet starts them)' },
    );
    await ctx.waitFor({ url: `https://127.0.0.1:${p.apiserver_port}/readyz`, timeout: 240 });
    await waitForMembers(ctx, 'etcd healthy again, every member voting', allVoting, p.etcd_gate_retries);
    // kubeadm renewed admin.conf's client certificate too: root's copy (kubeadm-init's) follows
    await ctx.shell(
      {
        cmd: 'test ! -e /root/.kube/config || install -m 0600 /etc/kubernetes/admin.conf /root/.kube/config',
      },
      { name: "root's kubeconfig from the renewed admin.conf" },
    );
  },
};

export default role;
