// Has kubeadm init finished on this node? admin.conf is written early (phase kubeconfig),
// before etcd, the control plane and the kubelet are up, so it proves nothing. The
// kubeadm-config ConfigMap is uploaded only after the control plane answered (phase
// upload-config), and every join reads it: present in etcd, the init finished; absent while
// etcd answers, the init stopped half way and no node can have joined. etcd is read inside its
// static pod (crictl), so an API server that never came up does not hide the answer.
import { known, type RoleContext } from 'quorum';
import { etcdctl, withEtcd } from 'quorum/cluster';

export type InitState = 'fresh' | 'half' | 'done';

const KEY = '/registry/configmaps/kube-system/kubeadm-config';

export const INIT_STATE = [
  '[ -e /etc/kubernetes/admin.conf ] || { echo fresh; exit 0; }',
  // no answer is a failure (retried below), not a state: a check run after a predicted change
  // on this node then reads it as known after apply
  `k=$(${withEtcd(etcdctl(`get ${KEY} --keys-only`))} 2>/dev/null) || { echo "etcd does not answer on this node: cannot tell a finished kubeadm init from a failed one" >&2; exit 1; }`,
  '[ -n "$k" ] && echo done || echo half',
].join('\n');

export async function initState(ctx: RoleContext): Promise<InitState | undefined> {
  const r = await ctx.query(
    { cmd: INIT_STATE },
    {
      name: 'kubeadm init finished?',
      // etcd may still be starting (a node just booted): up to a minute
      until: () => true,
      retries: 30,
      delay: 2,
    },
  );
  const answer = known(r.result.stdout)?.trim();
  return answer === 'fresh' || answer === 'half' || answer === 'done' ? answer : undefined;
}
