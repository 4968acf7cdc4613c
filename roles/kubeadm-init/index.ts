// kubeadm-init: the first control-plane node (CLUSTER.md 1.6-1.7). Writes the v1beta4 config
// (checked by `kubeadm config validate`), runs `kubeadm init --upload-certs` once (a finished
// init is one whose kubeadm-config ConfigMap is in etcd; an init that stopped earlier is reset
// and run again, a finished one never again), gives root the admin
// kubeconfig, and publishes what joins need: the endpoint, the CA hash, and a bootstrap token
// and certificate key that are minted only when a join asks for them, with their lifetimes.

import type { RoleContext, RoleDefinition } from 'quorum';
import {
  type ClusterPlan,
  type ClusterSettings,
  clusterPreflight,
  initConfig,
  kubeMinor,
  nodeAddress,
  resetKeepingManifests,
} from 'quorum/cluster';
import { duplicateIdentities, type NodeIdentityFacts } from '../node-preflight/facts.ts';
import { initState } from './init-state.ts';
import { clusterParamSchema, clusterRequired } from './schema.ts';

export interface KubeadmInitParams extends ClusterPlan {
  kubeadm_config_path: string;
}

/** kubeadm's fixed 2 h for the uploaded certificates, the token's 24 h; a margin for the join itself. */
const CERT_KEY_LIFETIME_MS = 2 * 3600_000;
const TOKEN_TTL = '24h0m0s';
const TOKEN_LIFETIME_MS = 24 * 3600_000;

const out = (r: { result: Record<string, unknown> }) =>
  typeof r.result.stdout === 'string' ? r.result.stdout.trim() : r.result.stdout;

function publishJoinMaterial(ctx: RoleContext) {
  const mintToken = async () => {
    const started = Date.now();
    const r = await ctx.command(
      { cmd: `kubeadm token create --ttl ${TOKEN_TTL}` },
      { name: 'mint a bootstrap token', noLog: true },
    );
    const token = out(r);
    ctx.publish('token', typeof token === 'string' ? token.split('\n').pop() : token, {
      secret: true,
      expiresAt: started + TOKEN_LIFETIME_MS,
      refresh: mintToken,
    });
  };
  const uploadCerts = async () => {
    const started = Date.now();
    const r = await ctx.command(
      { cmd: 'kubeadm init phase upload-certs --upload-certs' },
      { name: 'upload certificates for control-plane joins', noLog: true },
    );
    const key = out(r);
    // the key is the last line kubeadm prints
    ctx.publish('certificate_key', typeof key === 'string' ? key.split('\n').pop() : key, {
      secret: true,
      expiresAt: started + CERT_KEY_LIFETIME_MS,
      refresh: uploadCerts,
    });
  };
  // nothing minted until a join asks: a converged cluster's run changes nothing
  ctx.publish('token', undefined, { secret: true, expiresAt: 0, refresh: mintToken });
  ctx.publish('certificate_key', undefined, { secret: true, expiresAt: 0, refresh: uploadCerts });
}

/** A published value, or undefined where its role is not in this playbook (or did not run there). */
function published(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const role: RoleDefinition<KubeadmInitParams> = {
  name: 'kubeadm-init',
  description:
    'kubeadm init on the first control-plane node; publishes join material (secrets with lifetimes)',
  needs: ['node-preflight', 'kubernetes-packages', 'containerd', 'haproxy', 'keepalived', 'kube-vip'],
  publishes: ['endpoint', 'ca_cert_hash', 'host', 'nodes', 'token', 'certificate_key'],
  params: {
    type: 'object',
    properties: {
      ...clusterParamSchema,
      kubeadm_config_path: {
        type: 'string',
        default: '/etc/kubernetes/kubeadm.yaml',
        description: 'where the kubeadm configuration is written',
      },
    },
    required: [...clusterRequired],
    additionalProperties: false,
  },
  check(entries, ctx) {
    if (entries.length === 0) return [];
    return clusterPreflight(
      entries[0].params,
      entries.map((e) => e.host),
      ctx,
    );
  },
  async run(ctx, p) {
    const ip = nodeAddress(ctx.host, ctx.vars);
    const clash = duplicateIdentities(
      ctx.hosts(`${p.control_plane_group}:${p.workers_group}`).flatMap((h) => {
        const id = published(() => ctx.lookup('node-preflight', 'identity', h));
        return id && typeof id === 'object'
          ? [[h, id as NodeIdentityFacts] as [string, NodeIdentityFacts]]
          : [];
      }),
    );
    if (clash.length) ctx.fail(clash.join('; '));
    const settings: ClusterSettings = p;
    await ctx.file({ path: '/etc/kubernetes', state: 'directory', mode: '0755' });
    await ctx.copy(
      {
        dest: p.kubeadm_config_path,
        content: initConfig(settings, { name: ctx.host, ip }),
        mode: '0600',
        validate: 'kubeadm config validate --config %s',
      },
      { name: 'kubeadm config' },
    );
    const state = await initState(ctx);
    if (state === 'half') {
      ctx.warn(
        `${ctx.host}: a kubeadm init stopped before it finished (admin.conf is there, the cluster has no kubeadm-config ConfigMap, so no node can have joined): kubeadm reset, init again`,
      );
      await resetKeepingManifests(ctx, 'unfinished init');
    }
    if (state !== 'done') {
      // the images first, so the init itself does not time out on a slow registry
      await ctx.command(
        { cmd: `kubeadm config images pull --config ${p.kubeadm_config_path}` },
        { name: 'pull the control-plane images' },
      );
      await ctx.command(
        { cmd: `kubeadm init --config ${p.kubeadm_config_path} --upload-certs` },
        // its output carries the first token and certificate key
        { name: 'kubeadm init', noLog: true },
      );
    }
    if (p.api_lb === 'kube-vip' && kubeMinor(p.kubernetes_version) >= 29) {
      // kube-vip needed super-admin.conf while admin.conf was not yet bound (CLUSTER.md 1.5)
      const manifest = '/etc/kubernetes/manifests/kube-vip.yaml';
      const uses = await ctx.query(
        { cmd: `grep -c /etc/kubernetes/super-admin.conf ${manifest}`, ok_codes: [0, 1, 2] },
        { name: 'kube-vip still on super-admin.conf?' },
      );
      if (uses.result.rc !== 1 && uses.result.rc !== 2)
        await ctx.command(
          { cmd: `sed -i s#/etc/kubernetes/super-admin.conf#/etc/kubernetes/admin.conf# ${manifest}` },
          { name: 'kube-vip back to admin.conf' },
        );
    }
    await ctx.file({ path: '/root/.kube', state: 'directory', mode: '0700' });
    await ctx.command(
      { cmd: 'install -m 0600 /etc/kubernetes/admin.conf /root/.kube/config', creates: '/root/.kube/config' },
      { name: 'admin kubeconfig for root' },
    );
    await ctx.waitFor({ url: `https://127.0.0.1:${p.apiserver_port}/readyz`, timeout: 240 });
    // what every join goes through: the load balancer must see this apiserver first
    await ctx.waitFor({ url: `https://${p.control_plane_vip}:${p.control_plane_port}/readyz`, timeout: 120 });
    const hash = await ctx.query(
      {
        // without the CA (check mode before init) the pipeline would hash nothing: no answer instead
        cmd: 'test -s /etc/kubernetes/pki/ca.crt && openssl x509 -pubkey -noout -in /etc/kubernetes/pki/ca.crt | openssl pkey -pubin -outform der | sha256sum',
      },
      { name: 'CA public key hash' },
    );
    const h = out(hash);
    ctx.publish('ca_cert_hash', typeof h === 'string' ? `sha256:${h.split(' ')[0]}` : h);
    ctx.publish('endpoint', `${p.control_plane_vip}:${p.control_plane_port}`);
    ctx.publish('host', ctx.host);
    // the cluster's Nodes as they are before the joins: a worker with kubelet.conf but no Node
    // stopped half way through its join
    const nodes = await ctx.query(
      { cmd: 'kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name' },
      { name: 'nodes of the cluster' },
    );
    const listed = out(nodes);
    ctx.publish(
      'nodes',
      typeof listed === 'string'
        ? listed
            .split('\n')
            .filter(Boolean)
            .map((n) => n.replace(/^node\//, ''))
        : listed,
    );
    publishJoinMaterial(ctx);
  },
};

export default role;
