/** node-preflight: what it reads on a host and what it refuses before anything changes. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { duplicateIdentities, HOST_FACTS, parseHostFacts } from '../../roles/node-preflight/facts.ts';
import { hostProblems, type NodePreflightParams, versionProblem } from '../../roles/node-preflight/index.ts';

const facts = (over: Record<string, string> = {}, listen = '0016\n20FB\n') =>
  parseHostFacts(
    [
      `kubeadm=${over.kubeadm ?? '1.35.3-1.1'}`,
      `joined=${over.joined ?? 'no'}`,
      `state=${over.state ?? ''}`,
      `cgroup=${over.cgroup ?? 'cgroup2fs'}`,
      'uuid=4c4c4544-0042-3510-8052-b4c04f4e3332',
      `swap=${over.swap ?? '0'}`,
      `ntp=${over.ntp ?? 'yes'}`,
      '--addrs--',
      // ip -o -4 addr show
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      '2: eth0    inet 10.0.0.11/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever preferred_lft forever',
      '3: eth1    inet 198.51.100.11/24 scope global eth1\\       valid_lft forever preferred_lft forever',
      '--links--',
      'eth0 52:54:00:aa:bb:01',
      'eth1 52:54:00:aa:bb:02',
      'lo 00:00:00:00:00:00',
      '--listen--',
      listen,
    ].join('\n'),
  );
const p: NodePreflightParams = {
  kubernetes_version: '1.35.3',
  control_plane_group: 'control_plane',
  containerd_manage_kernel: true,
  preflight_ignore: [],
};
const cp = { ip: '198.51.100.11', controlPlane: true };

const sh = (script: string) => execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim();

describe('node-preflight', () => {
  it('reads this machine as the programs it once started say (ls, stat -f, cat, tail, ip, awk)', () => {
    const f = parseHostFacts(sh(HOST_FACTS));
    const addresses = new Map<string, string[]>();
    for (const line of sh("ip -o -4 addr show | awk '{print $2, $4}'").split('\n')) {
      const [dev, cidr] = line.split(' ');
      addresses.set(dev, [...(addresses.get(dev) ?? []), cidr.split('/')[0]]);
    }
    const listening = sh(`cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A" {print $2}'`)
      .split('\n')
      .map((l) => Number.parseInt(l.split(':').pop() ?? '', 16));
    expect(f.addresses).toEqual(addresses);
    expect(f.listening).toEqual(new Set(listening));
    expect(f.macs).toEqual(
      new Map(
        readdirSync('/sys/class/net').map((d) => [
          d,
          readFileSync(`/sys/class/net/${d}/address`, 'utf8').trim(),
        ]),
      ),
    );
    expect(f.cgroup).toBe(sh('stat -fc %T /sys/fs/cgroup'));
    expect(f.swapDevices).toBe(Number(sh('tail -n +2 /proc/swaps | wc -l')));
    expect(f.productUuid).toBe(sh('cat /sys/class/dmi/id/product_uuid 2>/dev/null || true'));
    expect(f.kubeadmState).toBe(
      sh(
        'ls /etc/kubernetes/kubelet.conf /etc/kubernetes/admin.conf /etc/kubernetes/pki/ca.crt 2>/dev/null | head -n1',
      ) !== '',
    );
    // two programs where each line started its own (no systemd here: no timedatectl); the
    // installed kubeadm is read apart, kept while dpkg's database lists the same
    const strace = spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve', 'sh', '-c', HOST_FACTS], {
      encoding: 'utf8',
    });
    const programs = [...strace.stderr.matchAll(/execve\("([^"]+)"/g)].map((m) => m[1].split('/').pop());
    expect(programs.slice(1).sort()).toEqual(
      ['awk', 'ip', ...(f.cgroup === 'cgroup2fs' ? [] : ['stat'])].sort(),
    );
  });

  it('reads versions without the package revision, addresses per NIC, listening ports', () => {
    const f = facts();
    expect(f.kubeadm).toBe('1.35.3');
    expect(f.addresses.get('eth1')).toEqual(['198.51.100.11']);
    expect(f.macs.get('eth1')).toBe('52:54:00:aa:bb:02');
    expect([...f.listening].sort((a, b) => a - b)).toEqual([22, 8443]);
    expect(hostProblems(f, p, cp)).toEqual({ errors: [], warnings: [] });
  });

  it('a live node at another version: minor and patch changes are refused, naming the upgrade', () => {
    expect(versionProblem('1.35.3', true, '1.36.0')).toMatch(
      /minor upgrade .* kubeadm upgrade .*playbooks\/upgrade\.yml/,
    );
    expect(versionProblem('1.36.0', true, '1.35.3')).toMatch(/minor downgrade/);
    expect(versionProblem('1.35.3', true, '1.35.4')).toMatch(/patch change/);
    // a node not yet in a cluster installs whatever is asked; the same version is no change
    expect(versionProblem('1.34.1', false, '1.35.3')).toBeUndefined();
    expect(versionProblem('1.35.3', true, '1.35.3')).toBeUndefined();
  });

  it('cgroup v1, a node IP on no NIC, busy ports, swap kept, an unsynchronised clock', () => {
    const f = facts({ cgroup: 'tmpfs', swap: '1', ntp: 'no' }, '192B\n0950\n');
    const out = hostProblems(
      f,
      { ...p, containerd_manage_kernel: false },
      { ip: '198.51.100.99', controlPlane: true },
    );
    expect(out.errors).toHaveLength(4);
    expect(out.errors[0]).toMatch(/not cgroup v2: kubelet 1\.35\+ refuses cgroup v1/);
    expect(out.errors[1]).toMatch(/node address 198\.51\.100\.99 is on no interface .* node_ip/);
    // 0x192B is 6443 (the apiserver's); 0x0950 (2384) is nobody's business
    expect(out.errors[2]).toBe('port(s) 6443 already in use, on a node without any Kubernetes state yet');
    expect(out.errors[3]).toMatch(/swap is on \(1 device\(s\)\) and containerd_manage_kernel is false/);
    expect(out.warnings).toEqual([expect.stringMatching(/clock is not synchronised/)]);
    // a joined node owns its ports, and so does one a join or init left half made (a recovery
    // resets it); ignored checks are not made
    expect(hostProblems(facts({ joined: 'yes' }, '192B\n'), p, cp).errors).toEqual([]);
    expect(
      hostProblems(facts({ state: '/etc/kubernetes/manifests/etcd.yaml' }, '094F\n'), p, cp).errors,
    ).toEqual([]);
    expect(
      hostProblems(
        f,
        {
          ...p,
          containerd_manage_kernel: false,
          preflight_ignore: ['cgroup-v2', 'swap', 'node-ip', 'ports'],
        },
        { ip: '198.51.100.99', controlPlane: true },
      ).errors,
    ).toEqual([]);
  });

  it('cloned machines: a shared product_uuid or MAC is named with its hosts', () => {
    expect(
      duplicateIdentities([
        ['cp1', { productUuid: 'u1', mac: 'm1' }],
        ['cp2', { productUuid: 'u1', mac: 'm2' }],
        ['w1', { productUuid: '', mac: 'm2' }],
      ]),
    ).toEqual([
      expect.stringMatching(/^cp1, cp2 share the product_uuid u1/),
      expect.stringMatching(/^cp2, w1 share the MAC address m2/),
    ]);
  });
});
