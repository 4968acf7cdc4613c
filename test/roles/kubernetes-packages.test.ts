/**
 * kubernetes-packages' steps for each package family, through a recording role context (the
 * apt path also runs for real on the lab, against the stand-in repository).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import role from '../../roles/kubernetes-packages/index.ts';
import type { RoleContext, StepResult } from '../../src/roles/define.ts';

interface Call {
  helper: string;
  params: Record<string, unknown>;
  name?: string;
}

function recordingContext(
  pkgMgr: string,
  answers: Record<string, string>,
): { ctx: RoleContext; calls: Call[] } {
  const calls: Call[] = [];
  const step =
    (helper: string) =>
    async (params: Record<string, unknown>, options?: { name?: string }): Promise<StepResult> => {
      calls.push({ helper, params, name: options?.name });
      const cmd = String(params.cmd ?? '');
      const stdout = Object.entries(answers).find(([k]) => cmd.includes(k))?.[1] ?? '';
      return { changed: helper !== 'query', result: { stdout, rc: 0 } };
    };
  const ctx = new Proxy({ facts: { pkg_mgr: pkgMgr }, host: 'cp1', vars: {} } as unknown as RoleContext, {
    get(target, key) {
      if (key in target) return target[key as keyof RoleContext];
      if (key === 'fail')
        return (m: string) => {
          throw new Error(m);
        };
      return step(String(key));
    },
  });
  return { ctx, calls };
}

// gpg's answers are kept on the controller (kept-answers.ts): this file's own folder for them
process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'quorum-packages-kept-'));
const keyFile = (inode: number) =>
  `/etc/apt/keyrings/kubernetes-apt-keyring.gpg 1191 1796505227.000000000 1796505227.000000000 ${inode}\n`;

const params = {
  kubernetes_version: '1.35.3',
  kubernetes_package_revision: '*',
  kubernetes_repo_base: 'https://pkgs.k8s.io/core:/stable:',
  kubernetes_packages: ['kubelet', 'kubeadm', 'kubectl'],
  kubernetes_tool_packages: ['cri-tools'],
};

describe('kubernetes-packages', () => {
  it('RHEL family: a repository of the minor with its key and excludes, exact versions with --disableexcludes', async () => {
    const { ctx, calls } = recordingContext('dnf', {});
    await role.run(ctx, params);
    const repo = calls.find((c) => c.helper === 'copy')!;
    expect(repo.params.dest).toBe('/etc/yum.repos.d/kubernetes.repo');
    expect(String(repo.params.content).split('\n')).toEqual(
      expect.arrayContaining([
        'baseurl=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/',
        'gpgkey=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/repodata/repomd.xml.key',
        'gpgcheck=1',
        'exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni',
      ]),
    );
    expect(calls.find((c) => c.helper === 'command')?.params.cmd).toBe(
      'dnf install -y --disableexcludes=kubernetes kubelet-1.35.3 kubeadm-1.35.3 kubectl-1.35.3 cri-tools',
    );
    expect(calls.at(-1)).toMatchObject({ helper: 'service', params: { name: 'kubelet', enabled: true } });
  });

  it('RHEL family, installed at the version: nothing to install', async () => {
    const { ctx, calls } = recordingContext('dnf', {
      'rpm -q': 'kubelet 1.35.3\nkubeadm 1.35.3\nkubectl 1.35.3\ncri-tools 1.35.0\n',
    });
    await role.run(ctx, params);
    expect(calls.some((c) => c.helper === 'command')).toBe(false);
  });

  it('Debian family: signed-by list of the minor, pins, cri-tools, holds only what is not held', async () => {
    const { ctx, calls } = recordingContext('apt', {
      'dpkg-query': `kubelet 1.35.3-1.1 hold\nkubeadm 1.34.2-1.1 hold\n--key--\n${keyFile(1)}`,
      'gpg --homedir': 'never\n',
    });
    await role.run(ctx, { ...params, kubernetes_repo_base: 'http://mirror.example/core:/stable:/' });
    const list = calls.find((c) => c.helper === 'copy')!;
    expect(list.params.content).toBe(
      'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] http://mirror.example/core:/stable:/v1.35/deb/ /\n',
    );
    const shells = calls.filter((c) => c.helper === 'shell').map((c) => String(c.params.cmd));
    // the list "changed" in this recording: the key of the (new) minor is fetched again
    expect(shells[0]).toBe(
      'curl -fsSL http://mirror.example/core:/stable:/v1.35/deb/Release.key | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg',
    );
    // the repository's own revision of the version ('*'), and cri-tools at its own version
    expect(shells.at(-1)).toMatch(
      /apt-get install .* 'kubeadm=1\.35\.3-\*' 'kubectl=1\.35\.3-\*' 'cri-tools'$/,
    );
    expect(
      calls.find((c) => c.helper === 'command' && String(c.params.cmd).startsWith('apt-mark hold'))?.params
        .cmd,
    ).toBe('apt-mark hold kubectl cri-tools');
    // what is installed and held is read from dpkg's database, not apt's cache (apt-mark showhold)
    expect(calls.some((c) => String(c.params.cmd ?? '').includes('apt-mark showhold'))).toBe(false);
  });

  it('Debian family, converged: the key is kept while it is valid for another day, nothing installed', async () => {
    const inAYear = Math.floor(Date.now() / 1000) + 365 * 86400;
    const converged =
      'kubelet 1.35.3-1.5 hold\nkubeadm 1.35.3-1.5 hold\nkubectl 1.35.3-1.5 hold\ncri-tools 1.35.0-1.1 hold\n';
    // the keyring as stat lists it; each case its own file (inode), as gpg's answer is kept per listing
    const unchanged = (expiry: string, inode: number) => {
      const r = recordingContext('apt', {
        'dpkg-query': `${converged}--key--\n${keyFile(inode)}`,
        'gpg --homedir': `${expiry}\n`,
      });
      // a converged host: copy reports no change
      const ctx = new Proxy(r.ctx, {
        get(target, key) {
          if (key === 'copy')
            return async (params: Record<string, unknown>) => {
              r.calls.push({ helper: 'copy', params });
              return { changed: false, result: {} };
            };
          return target[key as keyof RoleContext];
        },
      });
      return { ctx, calls: r.calls };
    };
    const commands = (calls: Call[]) =>
      calls.filter((c) => c.helper === 'shell' || c.helper === 'command').map((c) => c.params.cmd);
    const fresh = unchanged(String(inAYear), 10);
    await role.run(fresh.ctx, params);
    expect(commands(fresh.calls)).toEqual([]);
    expect(fresh.calls.filter((c) => c.name === 'repository key expiry')).toHaveLength(1);
    // the same file again: gpg's answer is the kept one, gpg is not started
    const again = unchanged('gpg is not asked', 10);
    await role.run(again.ctx, params);
    expect(commands(again.calls)).toEqual([]);
    expect(again.calls.filter((c) => c.name === 'repository key expiry')).toHaveLength(0);
    // a key that expires within a day is fetched again
    const expiring = unchanged(String(Math.floor(Date.now() / 1000) + 3600), 11);
    await role.run(expiring.ctx, params);
    expect(expiring.calls.filter((c) => c.helper === 'shell').map((c) => String(c.params.cmd))).toEqual([
      expect.stringMatching(/^curl -fsSL .*Release\.key \| gpg --dearmor/),
    ]);
    // a revision pinned by the site must match exactly
    const pinned = unchanged('never', 12);
    await role.run(pinned.ctx, { ...params, kubernetes_package_revision: '1.1' });
    expect(
      pinned.calls
        .filter((c) => c.helper === 'shell')
        .map((c) => String(c.params.cmd))
        .at(-1),
    ).toMatch(/'kubelet=1\.35\.3-1\.1' 'kubeadm=1\.35\.3-1\.1' 'kubectl=1\.35\.3-1\.1'$/);
  });

  it('refuses a host without apt or dnf', async () => {
    const { ctx } = recordingContext('', {});
    await expect(role.run(ctx, params)).rejects.toThrow(/no way to install Kubernetes packages/);
  });
});
