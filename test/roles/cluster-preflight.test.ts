/**
 * Offline preflight of playbooks/cluster.yml: `quorum validate` against inventory/example.yml
 * passes, and each rule refuses a bad value (given with -e, the highest layer), naming it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const ROOT = join(import.meta.dirname, '../..');
const CLUSTER = join(ROOT, 'playbooks/cluster.yml');
const EXAMPLE = join(ROOT, 'inventory/example.yml');

const validate = (extra: Record<string, unknown>, inventory = EXAMPLE) =>
  quorum(['validate', CLUSTER, '-i', inventory, '-e', JSON.stringify(extra)]);

describe('cluster preflight (kubeadm-init)', () => {
  it('passes on the example inventory, with haproxy and with kube-vip', () => {
    const haproxy = validate({});
    expect(haproxy.stderr).toBe('');
    expect(haproxy.code).toBe(0);
    const kubeVip = validate({ api_lb: 'kube-vip', control_plane_port: 6443 });
    expect(kubeVip.stderr).toBe('');
    expect(kubeVip.code).toBe(0);
  });

  it('checks the whole plan with --limit: one BACKUP alone is no keepalived error, a bad subnet still is', () => {
    for (const limit of ['w2', 'cp3']) {
      const r = quorum(['validate', CLUSTER, '-i', EXAMPLE, '--limit', limit]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const bad = quorum([
      'validate',
      CLUSTER,
      '-i',
      EXAMPLE,
      '--limit',
      'w2',
      '-e',
      'pod_subnet=10.96.0.0/16',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/pod_subnet 10\.96\.0\.0\/16 overlaps service_subnet/);
  });

  it.each([
    [
      'pod and service subnets overlap',
      { pod_subnet: '10.96.0.0/16' },
      /pod_subnet 10\.96\.0\.0\/16 overlaps service_subnet 10\.96\.0\.0\/12/,
    ],
    [
      'the pod subnet overlaps the nodes',
      { pod_subnet: '198.51.0.0/16' },
      /pod_subnet 198\.51\.0\.0\/16 overlaps the node subnet \(from cp1\) 198\.51\.100\.0\/24/,
    ],
    [
      'a pod subnet with host bits',
      { pod_subnet: '10.244.1.0/16' },
      /pod_subnet "10\.244\.1\.0\/16" is not a CIDR/,
    ],
    [
      'a VIP outside the node subnet',
      { control_plane_vip: '203.0.113.10' },
      /control_plane_vip 203\.0\.113\.10 is outside the node subnet 198\.51\.100\.0\/24/,
    ],
    [
      'a VIP that is a node',
      { control_plane_vip: '198.51.100.21' },
      /control_plane_vip 198\.51\.100\.21 is the address of w1/,
    ],
    [
      'a MetalLB pool holding the VIP',
      { metallb_pool: '198.51.100.5-198.51.100.10' },
      /control_plane_vip 198\.51\.100\.10 lies in metallb_pool 198\.51\.100\.5-198\.51\.100\.10/,
    ],
    [
      'a MetalLB pool holding a node',
      { metallb_pool: '198.51.100.20-198.51.100.30' },
      /metallb_pool 198\.51\.100\.20-198\.51\.100\.30 contains w1's address 198\.51\.100\.21/,
    ],
    [
      'a MetalLB pool outside the node subnet',
      { metallb_pool: '203.0.113.0/28' },
      /metallb_pool 203\.0\.113\.0\/28 is outside the node subnet/,
    ],
    [
      'a version past its end of life (1.34)',
      { kubernetes_version: '1.34.5' },
      /kubernetes_version 1\.34\.5 is not supported: .*1\.35 to 1\.37/,
    ],
    [
      'a minor not yet released',
      { kubernetes_version: '1.38.0' },
      /kubernetes_version 1\.38\.0 is not supported: .*1\.35 to 1\.37/,
    ],
    [
      'haproxy on the apiserver port',
      { control_plane_port: 6443 },
      /control_plane_port 6443 is the apiserver's own port/,
    ],
    [
      'kube-vip on the haproxy port',
      { api_lb: 'kube-vip', control_plane_port: 8443 },
      /control_plane_port 8443 with api_lb kube-vip: the VIP forwards to the apiserver's own port 6443/,
    ],
  ])('refuses %s', (_name, extra, message) => {
    const r = validate(extra);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('CHANGEME');
  });

  it('refuses node names that cannot be Kubernetes node names, and shared addresses', () => {
    const dir = workspace();
    writeFiles(dir, {
      'inv.yml': `all:
  vars: { kubernetes_version: 1.35.3, control_plane_vip: 198.51.100.10, keepalived_auth_pass: x, metallb_pool: 198.51.100.200/29 }
  children:
    control_plane:
      hosts:
        cp1: { ansible_host: 198.51.100.11 }
        CP_2: { ansible_host: 198.51.100.12 }
        cp3: { ansible_host: 198.51.100.12 }
    workers:
      hosts:
        w1: { ansible_host: 198.51.100.21 }
`,
    });
    const r = validate({}, join(dir, 'inv.yml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/host name "CP_2" is not a lowercase RFC 1123 name/);
    expect(r.stderr).toMatch(/cp3 and CP_2 have the same address 198\.51\.100\.12/);
  });

  it('a site value without a default is required, by name', () => {
    const dir = workspace();
    writeFiles(dir, {
      'inv.yml': `all:
  vars: { kubernetes_version: 1.35.3, keepalived_auth_pass: x, control_plane_vip: 198.51.100.10, metallb_pool: 198.51.100.200/29 }
  children:
    control_plane: { hosts: { cp1: { ansible_host: 198.51.100.11 }, cp2: { ansible_host: 198.51.100.12 }, cp3: { ansible_host: 198.51.100.13 } } }
`,
    });
    const ok = validate({}, join(dir, 'inv.yml'));
    expect(ok.code).toBe(0);
    const r = quorum(['validate', CLUSTER, '-i', join(dir, 'inv.yml'), '-e', '{"kubernetes_version": null}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/kubernetes_version/);
  });
});
