/**
 * Offline checks of a cluster's plan (CLUSTER.md 4), run by `quorum validate` and at the start
 * of `play`, before any host is touched. Each message names the value at fault.
 */
import type { CheckContext } from '../roles/define.ts';
import { type ClusterSettings, kubeMinor, SUPPORTED_MINORS } from './kubeadm-config.ts';
import { contains, type Ipv4Range, ipToInt, nodeAddress, overlaps, parseRange, subnetOf } from './net.ts';

export interface ClusterPlan extends ClusterSettings {
  control_plane_group: string;
  workers_group: string;
  control_plane_prefix: number;
  api_lb: 'haproxy' | 'kube-vip';
  ingress_controller: 'ingress-nginx' | 'gateway' | 'both';
  metallb_pool?: string;
}

const RFC1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function clusterPreflight(p: ClusterPlan, initHosts: string[], ctx: CheckContext): string[] {
  const errors: string[] = [];
  const cps = ctx.hosts(p.control_plane_group);
  const workers = ctx.hosts(p.workers_group);
  if (initHosts.length !== 1)
    errors.push(
      `kubeadm-init must run on exactly one host, the plan has ${initHosts.length} (${initHosts.join(', ')})`,
    );
  else if (cps[0]?.name !== initHosts[0])
    errors.push(
      `kubeadm-init runs on ${initHosts[0]}, but the first host of group "${p.control_plane_group}" is ${cps[0]?.name ?? '(none)'}: the init node must be the VIP's first owner`,
    );
  if (cps.length < 3 || cps.length % 2 === 0)
    errors.push(
      `group "${p.control_plane_group}" has ${cps.length} host(s): stacked etcd needs an odd number, at least 3`,
    );

  const minor = kubeMinor(p.kubernetes_version);
  if (!(minor >= SUPPORTED_MINORS.min && minor <= SUPPORTED_MINORS.max))
    errors.push(
      `kubernetes_version ${p.kubernetes_version} is not supported: quorum supports the maintained minors 1.${SUPPORTED_MINORS.min} to 1.${SUPPORTED_MINORS.max} (kubeadm.k8s.io/v1beta4 config; 1.34 reached its end of life on 2026-10-27)`,
    );

  const nodes = [...cps, ...workers];
  const seenIp = new Map<string, string>();
  for (const n of nodes) {
    if (!RFC1123.test(n.name) || n.name.length > 63)
      errors.push(
        `host name "${n.name}" is not a lowercase RFC 1123 name: it becomes the Kubernetes node name`,
      );
    const ip = nodeAddress(n.name, n.vars);
    if (ipToInt(ip) === undefined) errors.push(`${n.name}: ansible_host "${ip}" is not an IPv4 address`);
    const other = seenIp.get(ip);
    if (other && other !== n.name) errors.push(`${n.name} and ${other} have the same address ${ip}`);
    seenIp.set(ip, n.name);
  }

  if (p.api_lb === 'haproxy' && p.control_plane_port === p.apiserver_port)
    errors.push(
      `control_plane_port ${p.control_plane_port} is the apiserver's own port: haproxy on the control-plane nodes needs another frontend port (8443)`,
    );
  if (p.api_lb === 'kube-vip' && p.control_plane_port !== p.apiserver_port)
    errors.push(
      `control_plane_port ${p.control_plane_port} with api_lb kube-vip: the VIP forwards to the apiserver's own port ${p.apiserver_port}`,
    );
  const lbRoles = p.api_lb === 'haproxy' ? ['kube-vip'] : ['haproxy', 'keepalived'];
  for (const r of lbRoles.filter((r) => ctx.roles.includes(r)))
    errors.push(`api_lb is ${p.api_lb}, but the playbook also runs role ${r} on some host`);
  if (p.ingress_controller !== 'both')
    for (const r of ['ingress-nginx', 'gateway'].filter(
      (r) => r !== p.ingress_controller && ctx.roles.includes(r),
    ))
      errors.push(
        `ingress_controller is ${p.ingress_controller}, but the playbook also runs role ${r} on some host (ingress_controller: both runs the two side by side)`,
      );

  const ranges: Array<[string, Ipv4Range | undefined, string]> = [
    ['pod_subnet', parseRange(p.pod_subnet), p.pod_subnet],
    ['service_subnet', parseRange(p.service_subnet), p.service_subnet],
  ];
  const firstIp = cps[0] ? nodeAddress(cps[0].name, cps[0].vars) : undefined;
  const nodeNet = firstIp ? subnetOf(firstIp, p.control_plane_prefix) : undefined;
  if (nodeNet) ranges.push([`the node subnet (from ${cps[0].name})`, nodeNet, nodeNet.text]);
  const pool = p.metallb_pool ? parseRange(p.metallb_pool) : undefined;
  if (p.metallb_pool && !pool)
    errors.push(`metallb_pool "${p.metallb_pool}" is not an address range or CIDR`);
  for (const [name, r, text] of ranges)
    if (!r && !name.startsWith('the')) errors.push(`${name} "${text}" is not a CIDR`);
  for (let i = 0; i < ranges.length; i++)
    for (let j = i + 1; j < ranges.length; j++) {
      const [an, a, at] = ranges[i];
      const [bn, b, bt] = ranges[j];
      if (a && b && overlaps(a, b)) errors.push(`${an} ${at} overlaps ${bn} ${bt}`);
    }

  const vip = parseRange(p.control_plane_vip);
  if (!vip || vip.first !== vip.last)
    errors.push(`control_plane_vip "${p.control_plane_vip}" is not an IPv4 address`);
  else {
    if (nodeNet && !contains(nodeNet, vip))
      errors.push(`control_plane_vip ${p.control_plane_vip} is outside the node subnet ${nodeNet.text}`);
    const owner = seenIp.get(p.control_plane_vip);
    if (owner) errors.push(`control_plane_vip ${p.control_plane_vip} is the address of ${owner}`);
    if (pool && contains(pool, vip))
      errors.push(`control_plane_vip ${p.control_plane_vip} lies in metallb_pool ${p.metallb_pool}`);
  }
  if (pool) {
    if (nodeNet && !contains(nodeNet, pool))
      errors.push(
        `metallb_pool ${p.metallb_pool} is outside the node subnet ${nodeNet.text} (Layer 2 answers ARP only there)`,
      );
    for (const [ip, name] of seenIp) {
      const x = ipToInt(ip);
      if (x !== undefined && x >= pool.first && x <= pool.last)
        errors.push(`metallb_pool ${p.metallb_pool} contains ${name}'s address ${ip}`);
    }
    for (const [name, r] of ranges.slice(0, 2))
      if (r && overlaps(pool, r)) errors.push(`metallb_pool ${p.metallb_pool} overlaps ${name} ${r.text}`);
  }
  return errors;
}
