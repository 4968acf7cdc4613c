/** The cni role's manifest: flannel's Network tied to the cluster's pod subnet, nothing else touched. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { withPodSubnet } from '../../roles/cni/flannel.ts';
import { quorum } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '../..');
const MANIFEST = readFileSync(join(ROOT, 'test/fixtures/k8s-standin/flannel-test.yml'), 'utf8');
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

describe('cni (flannel)', () => {
  it("sets net-conf.json's Network to the pod subnet and keeps every document", () => {
    const out = withPodSubnet(MANIFEST, '10.32.0.0/12');
    const before = docs(MANIFEST);
    const after = docs(out);
    expect(after).toHaveLength(3);
    expect(JSON.parse(after[1].data['net-conf.json'])).toEqual({
      ...JSON.parse(before[1].data['net-conf.json']),
      Network: '10.32.0.0/12',
    });
    expect(after[1].data['cni-conf.json']).toBe(before[1].data['cni-conf.json']);
    expect([after[0], after[2]]).toEqual([before[0], before[2]]);
    expect(withPodSubnet(out, '10.32.0.0/12')).toBe(out);
  });

  it("--iface joins flanneld's args (as upstream lays them out), once", () => {
    const out = withPodSubnet(MANIFEST, '10.244.0.0/16', 'eth1');
    const container = docs(out)[2].spec.template.spec.containers[0];
    expect(container.args).toEqual(['--ip-masq', '--kube-subnet-mgr', '--iface=eth1']);
    expect(container.command).toEqual(['/opt/bin/flanneld']);
    const again = docs(withPodSubnet(out, '10.244.0.0/16', 'bond0'))[2].spec.template.spec.containers[0];
    expect(again.args).toEqual(['--ip-masq', '--kube-subnet-mgr', '--iface=bond0']);
    // without cni_iface the DaemonSet is upstream's
    expect(docs(withPodSubnet(MANIFEST, '10.244.0.0/16'))[2]).toEqual(docs(MANIFEST)[2]);
  });

  it("refuses a manifest that is not flannel's", () => {
    expect(() =>
      withPodSubnet('apiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n', '10.244.0.0/16'),
    ).toThrow(/no ConfigMap kube-flannel-cfg/);
  });

  it('preflight refuses a CNI pod CIDR that is not the cluster pod subnet', () => {
    const r = quorum([
      'validate',
      join(ROOT, 'playbooks/cluster.yml'),
      '-i',
      join(ROOT, 'inventory/example.yml'),
      '-e',
      '{"cni_pod_cidr": "10.32.0.0/12"}',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /cni: cp1: cni_pod_cidr 10\.32\.0\.0\/12 differs from pod_subnet 10\.244\.0\.0\/16/,
    );
  });
});
