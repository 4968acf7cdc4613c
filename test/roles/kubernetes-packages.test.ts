/**
 * kubernetes-packages' steps for each package family, through a recording role context (the
 * apt path also runs for real on the lab, against the stand-in repository).
 */
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

const params = {
  kubernetes_version: '1.35.3',
  kubernetes_package_revision: '1.1',
  kubernetes_repo_base: 'https://pkgs.k8s.io/core:/stable:',
  kubernetes_packages: ['kubelet', 'kubeadm', 'kubectl'],
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
      'dnf install -y --disableexcludes=kubernetes kubelet-1.35.3 kubeadm-1.35.3 kubectl-1.35.3',
    );
    expect(calls.at(-1)).toMatchObject({ helper: 'service', params: { name: 'kubelet', enabled: true } });
  });

  it('RHEL family, installed at the version: nothing to install', async () => {
    const { ctx, calls } = recordingContext('dnf', {
      'rpm -q': 'kubelet 1.35.3\nkubeadm 1.35.3\nkubectl 1.35.3\n',
    });
    await role.run(ctx, params);
    expect(calls.some((c) => c.helper === 'command')).toBe(false);
  });

  it('Debian family: keyring, signed-by list of the minor, pins, holds only what is not held', async () => {
    const { ctx, calls } = recordingContext('apt', {
      'dpkg-query': 'kubelet 1.35.3-1.1\nkubeadm 1.34.2-1.1\n',
      'apt-mark showhold': 'kubelet\n',
    });
    await role.run(ctx, { ...params, kubernetes_repo_base: 'http://mirror.example/core:/stable:/' });
    const list = calls.find((c) => c.helper === 'copy')!;
    expect(list.params.content).toBe(
      'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] http://mirror.example/core:/stable:/v1.35/deb/ /\n',
    );
    const installs = calls.filter((c) => c.helper === 'shell').map((c) => String(c.params.cmd));
    expect(installs.at(-1)).toMatch(/apt-get install .* kubeadm=1\.35\.3-1\.1 kubectl=1\.35\.3-1\.1$/);
    expect(
      calls.find((c) => c.helper === 'command' && String(c.params.cmd).startsWith('apt-mark hold'))?.params
        .cmd,
    ).toBe('apt-mark hold kubeadm kubectl');
  });

  it('refuses a host without apt or dnf', async () => {
    const { ctx } = recordingContext('', {});
    await expect(role.run(ctx, params)).rejects.toThrow(/no way to install Kubernetes packages/);
  });
});
