/** What upgrade.yml reads on a node and what it refuses before any change. */
import { describe, expect, it } from 'vitest';
import {
  type NodeVersions,
  nodeUpgraded,
  parseNodeVersions,
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
});
