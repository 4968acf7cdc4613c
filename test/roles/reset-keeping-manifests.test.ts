/** The recovery's kubeadm reset keeps the static pods that are not kubeadm's (kube-vip's), in a real shell. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESET_KEEPING_MANIFESTS } from '../../src/cluster/reset.ts';

describe('reset keeping other static pods', () => {
  it("kube-vip's manifest survives kubeadm reset (which empties the folder); reset's exit code is kept", () => {
    const root = mkdtempSync(join(tmpdir(), 'quorum-reset-'));
    const manifests = join(root, 'manifests');
    const bin = join(root, 'bin');
    mkdirSync(manifests);
    mkdirSync(bin);
    for (const f of ['etcd.yaml', 'kube-apiserver.yaml', 'kube-vip.yaml'])
      writeFileSync(join(manifests, f), f);
    // kubeadm reset as upstream does it to this folder: everything in it removed
    const fake = (rc: number) => {
      writeFileSync(join(bin, 'kubeadm'), `#!/bin/sh\nrm -rf ${manifests}\nexit ${rc}\n`);
      chmodSync(join(bin, 'kubeadm'), 0o755);
    };
    const script = RESET_KEEPING_MANIFESTS.replaceAll('/etc/kubernetes/manifests', manifests);
    const run = () => {
      try {
        execFileSync('sh', ['-c', script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      }
    };
    fake(0);
    expect(run()).toBe(0);
    expect(readdirSync(manifests)).toEqual(['kube-vip.yaml']);
    expect(readFileSync(join(manifests, 'kube-vip.yaml'), 'utf8')).toBe('kube-vip.yaml');
    fake(3);
    expect(run()).toBe(3);
    expect(readdirSync(manifests)).toEqual(['kube-vip.yaml']);
    rmSync(root, { recursive: true });
  });
});
