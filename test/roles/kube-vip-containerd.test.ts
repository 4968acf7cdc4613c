/** Roles run through the real engine against this machine (local transport, temp folders, or check mode). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../src/yaml/load.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const ROLES = join(import.meta.dirname, '../../roles');

function cpInventory(dir: string, extra = ''): string {
  const hosts = ['cp1', 'cp2', 'cp3'].map(
    (h) => `        ${h}: { ansible_connection: local, kube_vip_manifest_dir: "${dir}/${h}" }`,
  );
  return `all:\n  vars:\n    control_plane_vip: 198.51.100.10\n${extra}  children:\n    control_plane:\n      hosts:\n${hosts.join('\n')}\n`;
}

type Pod = {
  spec: {
    containers: Array<{ env: Array<{ name: string; value: string }>; image: string }>;
    volumes: Array<{ hostPath: { path: string } }>;
    hostNetwork: boolean;
  };
};

describe('kube-vip', () => {
  it('writes an ARP + leader-election static pod; super-admin.conf on the first node for Kubernetes >= 1.29', () => {
    const dir = workspace();
    writeFiles(dir, {
      'inv.yml': cpInventory(dir),
      'play.yml': '- hosts: control_plane\n  roles: [kube-vip]\n',
    });
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml'), '--roles-path', ROLES]);
    expect(r.code).toBe(0);
    const pod = (h: string) =>
      loadYaml(readFileSync(join(dir, h, 'kube-vip.yaml'), 'utf8'), 'kube-vip.yaml') as Pod;
    const env = Object.fromEntries(pod('cp1').spec.containers[0].env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      vip_arp: 'true',
      cp_enable: 'true',
      vip_leaderelection: 'true',
      vip_leasename: 'plndr-cp-lock',
      address: '198.51.100.10',
      port: '6443',
      svc_enable: 'false',
    });
    expect(pod('cp1').spec.containers[0].image).toBe('ghcr.io/kube-vip/kube-vip:v1.0.3');
    expect(pod('cp1').spec.hostNetwork).toBe(true);
    expect(pod('cp1').spec.volumes[0].hostPath.path).toBe('/etc/kubernetes/super-admin.conf');
    expect(pod('cp2').spec.volumes[0].hostPath.path).toBe('/etc/kubernetes/admin.conf');
    const again = quorum([
      'play',
      join(dir, 'play.yml'),
      '-i',
      join(dir, 'inv.yml'),
      '--roles-path',
      ROLES,
      '--json',
    ]);
    expect(again.code).toBe(0);
    const steps = again.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'step');
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.filter((e) => e.status !== 'ok')).toEqual([]);
  });

  it('keeps admin.conf on the first node before Kubernetes 1.29', () => {
    const dir = workspace();
    writeFiles(dir, {
      'inv.yml': cpInventory(dir, '    kubernetes_version: v1.28.9\n'),
      'play.yml': '- hosts: control_plane\n  roles: [kube-vip]\n',
    });
    expect(
      quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml'), '--roles-path', ROLES]).code,
    ).toBe(0);
    expect(readFileSync(join(dir, 'cp1', 'kube-vip.yaml'), 'utf8')).toContain(
      'path: /etc/kubernetes/admin.conf',
    );
  });
});

describe('containerd from a configured apt repository', () => {
  it('plans the key, the sources list and a cache refresh before the packages (check mode, nothing written)', () => {
    const dir = workspace();
    writeFiles(dir, {
      'inv.yml': 'all:\n  hosts:\n    localhost: { ansible_connection: local }\n',
      'play.yml': `- hosts: all
  roles:
    - role: containerd
      containerd_manage_kernel: false
      containerd_packages: [containerd.io]
      containerd_apt_repo:
        deb: "deb [signed-by=/etc/apt/keyrings/containerd.asc] https://download.docker.com/linux/debian bookworm stable"
        key_url: https://download.docker.com/linux/debian/gpg
`,
    });
    const r = quorum([
      'play',
      join(dir, 'play.yml'),
      '-i',
      join(dir, 'inv.yml'),
      '--roles-path',
      ROLES,
      '--check',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const steps = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'step' && e.status === 'would_change')
      .map((e) => e.changes.map((c: { summary: string }) => c.summary).join('; '));
    expect(steps).toEqual(
      expect.arrayContaining([
        'download https://download.docker.com/linux/debian/gpg to /etc/apt/keyrings/containerd.asc',
        'create /etc/apt/sources.list.d/containerd.list',
        // a cache refresh comes first only when this machine's apt cache is older than an hour
        expect.stringMatching(/^(refresh the apt cache; )?install containerd\.io$/),
      ]),
    );
    expect(existsSync('/etc/apt/sources.list.d/containerd.list')).toBe(false);
  });
});
