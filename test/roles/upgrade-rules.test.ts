/** What upgrade.yml reads on a node and what it refuses before any change. */
import { describe, expect, it } from 'vitest';
import {
  type NodeVersions,
  nodeUpgraded,
  parseNodeVersions,
  removedApiUse,
  upgradeRefusals,
} from '../../src/cluster/upgrade.ts';

const at = (kubelet: string, controlPlane = ''): NodeVersions => ({
  kubeadm: kubelet,
  kubelet,
  kubectl: kubelet,
  controlPlane,
  drained: false,
});

describe('upgrade rules', () => {
  it("reads dpkg's versions, the API server's image tag and a drain left behind", () => {
    const v = parseNodeVersions(
      'kubeadm 1.36.1-1.1\nkubelet 1.35.3-1.1\nkubectl 1.35.3-1.1\nkube-apiserver 1.36.1\ndrained\n',
    );
    expect(v).toEqual({
      kubeadm: '1.36.1',
      kubelet: '1.35.3',
      kubectl: '1.35.3',
      controlPlane: '1.36.1',
      drained: true,
    });
    expect(parseNodeVersions('kubeadm 1.35.3-1.1\n').controlPlane).toBe('');
  });

  it('a node is done when every package, its control plane and its schedulability are', () => {
    expect(nodeUpgraded(at('1.36.1', '1.36.1'), '1.36.1', true)).toBe(true);
    expect(nodeUpgraded(at('1.36.1', '1.35.3'), '1.36.1', true)).toBe(false);
    expect(nodeUpgraded(at('1.36.1'), '1.36.1', false)).toBe(true);
    expect(nodeUpgraded({ ...at('1.36.1'), drained: true }, '1.36.1', false)).toBe(false);
    expect(nodeUpgraded({ ...at('1.36.1'), kubeadm: '1.35.3' }, '1.36.1', false)).toBe(false);
  });

  const cluster = (cp2 = '1.35.3', w1 = '1.35.3') => [
    { name: 'cp1', controlPlane: true, versions: at('1.35.3', '1.35.3') },
    { name: 'cp2', controlPlane: true, versions: at(cp2, cp2) },
    { name: 'w1', controlPlane: false, versions: at(w1) },
  ];

  it('one minor up, or a patch, is allowed; a cluster half way there too', () => {
    expect(upgradeRefusals('1.36.1', cluster())).toEqual([]);
    expect(upgradeRefusals('1.35.4', cluster())).toEqual([]);
    expect(upgradeRefusals('1.36.1', cluster('1.36.1'))).toEqual([]);
  });

  it('refuses a skipped minor, from the oldest API server, naming the step between', () => {
    expect(upgradeRefusals('1.37.0', cluster('1.36.1'))).toEqual([
      'kubernetes_version 1.37.0 skips a minor: the control plane is at 1.35.3, and kubeadm upgrades one minor at a time (to 1.36.x first)',
    ]);
  });

  it('refuses a downgrade and a kubelet newer than the target', () => {
    expect(upgradeRefusals('1.35.2', cluster())[0]).toBe(
      'kubernetes_version 1.35.2 is older than the control plane (1.35.3 on cp1): downgrades are not supported',
    );
    expect(upgradeRefusals('1.36.0', cluster('1.35.3', '1.36.1'))).toEqual([
      'kubelets newer than 1.36.0 (the control plane they would talk to): w1 1.36.1',
    ]);
  });

  it('a cluster without an API server has nothing to upgrade', () => {
    expect(
      upgradeRefusals('1.36.1', [{ name: 'w1', controlPlane: false, versions: at('1.35.3') }])[0],
    ).toMatch(/no control-plane node runs an API server/);
  });

  // the gauge as kube-apiserver prints it (k8s.io/apiserver/pkg/endpoints/deprecation, metrics
  // reference: apiserver_requested_deprecated_apis, labels in Prometheus' sorted order)
  const gauge = (group: string, version: string, resource: string, removed: string, value = 1) =>
    `apiserver_requested_deprecated_apis{group="${group}",removed_release="${removed}",resource="${resource}",subresource="",version="${version}"} ${value}`;

  it("reads the API server's requested deprecated APIs from the same read, and when /metrics did not answer", () => {
    const v = parseNodeVersions(
      [
        'kubeadm 1.35.3-1.1',
        'kube-apiserver 1.35.3',
        gauge('standin.k8s.io', 'v1beta1', 'widgets', '1.36'),
        gauge('', 'v1', 'componentstatuses', ''),
        gauge('batch', 'v1beta1', 'cronjobs', '1.25', 0),
      ].join('\n'),
    );
    expect(v.requestedDeprecated).toEqual([
      { group: 'standin.k8s.io', version: 'v1beta1', resource: 'widgets', removedRelease: '1.36' },
      { group: '', version: 'v1', resource: 'componentstatuses', removedRelease: '' },
    ]);
    expect(v.kubeadm).toBe('1.35.3');
    expect(parseNodeVersions('kube-apiserver 1.35.3\nmetrics-unread\n').metricsUnread).toBe(true);
  });

  it('names the APIs removed by the target that an API server was asked for, per node', () => {
    const asked = (...lines: string[]) => ({
      ...at('1.35.3', '1.35.3'),
      ...parseNodeVersions(lines.join('\n')),
    });
    const nodes = [
      {
        name: 'cp1',
        controlPlane: true,
        versions: asked(gauge('standin.k8s.io', 'v1beta1', 'widgets', '1.36')),
      },
      // deprecated without a removal release, and one removed later than the target: no refusal
      {
        name: 'cp2',
        controlPlane: true,
        versions: asked(
          gauge('', 'v1', 'componentstatuses', ''),
          gauge('x.k8s.io', 'v1beta2', 'things', '1.37'),
        ),
      },
      { name: 'cp3', controlPlane: true, versions: asked('metrics-unread') },
    ];
    expect(removedApiUse('1.36.1', nodes)).toEqual({
      inUse: [
        "cp1's API server was asked for APIs that 1.36.1 no longer serves: standin.k8s.io/v1beta1 widgets (removed in 1.36)",
      ],
      unread: ['cp3'],
    });
    expect(removedApiUse('1.37.0', nodes).inUse[1]).toBe(
      "cp2's API server was asked for APIs that 1.37.0 no longer serves: x.k8s.io/v1beta2 things (removed in 1.37)",
    );
    expect(removedApiUse('1.35.4', nodes).inUse).toEqual([]);
  });
});
