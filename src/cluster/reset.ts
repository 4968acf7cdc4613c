/**
 * `kubeadm reset -f` for a node being recovered, keeping the static pod manifests that are not
 * kubeadm's own: reset empties /etc/kubernetes/manifests, and kube-vip's manifest there (written
 * before the join, CLUSTER.md 1.5) would be gone until the next run.
 */
import type { RoleContext } from '../roles/define.ts';

const KUBEADM_PODS = 'etcd.yaml|kube-apiserver.yaml|kube-controller-manager.yaml|kube-scheduler.yaml';
const DIR = '/etc/kubernetes/manifests';

export const RESET_KEEPING_MANIFESTS = [
  'd=$(mktemp -d) || exit 1',
  `for f in ${DIR}/*.yaml; do [ -e "$f" ] || continue; case \${f##*/} in ${KUBEADM_PODS}) ;; *) cp -p "$f" "$d/" ;; esac; done`,
  'kubeadm reset -f; rc=$?',
  `mkdir -p ${DIR} && for f in "$d"/*; do [ -e "$f" ] && cp -p "$f" ${DIR}/; done`,
  'rm -rf "$d"; exit $rc',
].join('; ');

export async function resetKeepingManifests(ctx: RoleContext, why = 'reset the node') {
  await ctx.shell(
    { cmd: RESET_KEEPING_MANIFESTS },
    { name: `kubeadm reset (${why}), other static pods kept` },
  );
}
