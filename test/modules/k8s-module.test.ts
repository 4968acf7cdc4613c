/** The k8s module: kubectl diff --server-side as the probe, server-side apply as the action, waits. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { diffSides, k8sModule, manifestText, parseManifest, secretValues } from '../../src/modules/k8s.ts';
import type { Action } from '../../src/modules/types.ts';
import { fakeProbe } from '../helpers/fake-probe.ts';

const pool = {
  apiVersion: 'metallb.io/v1beta1',
  kind: 'IPAddressPool',
  metadata: { name: 'lab' },
  spec: { addresses: ['198.51.100.200-198.51.100.210'] },
};
const DIFF = `diff -u -N /tmp/LIVE/metallb.io.v1beta1.IPAddressPool.metallb-system.lab /tmp/MERGED/metallb.io.v1beta1.IPAddressPool.metallb-system.lab
--- /tmp/LIVE/x
+++ /tmp/MERGED/x
@@ -5,4 +5,4 @@
 spec:
   addresses:
-  - 198.51.100.200-198.51.100.205
+  - 198.51.100.200-198.51.100.210
`;

describe('k8s module', () => {
  it('no change when kubectl diff exits 0; the manifest reaches kubectl through a one-line probe', async () => {
    const ctx = fakeProbe([[/kubectl .* diff --server-side/, { code: 0 }]]);
    const out = await k8sModule.plan(ctx, { definition: pool, namespace: 'metallb-system' });
    expect(out.changes).toEqual([]);
    expect(ctx.seen).toHaveLength(1);
    expect(ctx.seen[0]).not.toContain('\n');
    // what the probe feeds kubectl is the manifest, namespace added
    const encoded = /printf %s (\S+) \|/.exec(ctx.seen[0])![1];
    expect(parseManifest(Buffer.from(encoded, 'base64').toString())).toEqual([
      { ...pool, metadata: { name: 'lab', namespace: 'metallb-system' } },
    ]);
  });

  it('exit 1: one change, a server-side apply with field manager quorum, its diff as before/after', async () => {
    const ctx = fakeProbe([[/kubectl .* diff --server-side/, { code: 1, stdout: DIFF }]]);
    const out = await k8sModule.plan(ctx, { definition: [pool], namespace: 'metallb-system' });
    expect(out.changes).toHaveLength(1);
    const action = out.changes[0].action as Extract<Action, { kind: 'exec' }>;
    expect(action.command).toMatch(/apply --server-side --field-manager=quorum --force-conflicts -f -$/);
    expect(parseManifest(action.stdin!)[0].metadata).toEqual({ name: 'lab', namespace: 'metallb-system' });
    expect(out.changes[0].diff).toEqual({
      path: 'IPAddressPool/lab',
      before: 'spec:\n  addresses:\n  - 198.51.100.200-198.51.100.205',
      after: 'spec:\n  addresses:\n  - 198.51.100.200-198.51.100.210',
    });
  });

  it('exit 2 or more is a failure with kubectl stderr, never a change', async () => {
    const ctx = fakeProbe([
      [/diff/, { code: 2, stderr: 'error: unable to recognize "STDIN": no matches for kind "IPAdressPool"' }],
    ]);
    const out = await k8sModule.plan(ctx, { definition: pool });
    expect(out.changes).toEqual([]);
    expect(out.failed).toMatch(/kubectl diff failed \(exit 2\): .*no matches for kind/);
  });

  it('a manifest on the host is diffed and applied by path; waits follow, never a change', async () => {
    const ctx = fakeProbe([
      [/diff --server-side .* -f \/etc\/kubernetes\/addons\/m\.yaml$/, { code: 1, stdout: '' }],
    ]);
    const out = await k8sModule.plan(ctx, {
      path: '/etc/kubernetes/addons/m.yaml',
      wait: { for: 'condition=ready', resource: 'pod', selector: 'app=metallb', timeout: 90 },
      namespace: 'metallb-system',
    });
    expect(out.changes).toHaveLength(1);
    expect((out.changes[0].action as { command: string }).command).toContain('apply --server-side');
    expect(out.waits?.map((w) => (w as { command: string }).command)).toEqual([
      'kubectl --kubeconfig /etc/kubernetes/admin.conf -n metallb-system wait --for=condition=ready pod --selector=app=metallb --timeout=90s',
    ]);
  });

  it('state absent deletes what exists, and nothing when kubectl finds nothing', async () => {
    const present = await k8sModule.plan(
      fakeProbe([[/ get --ignore-not-found/, 'ipaddresspool.metallb.io/lab\n']]),
      {
        definition: pool,
        state: 'absent',
      },
    );
    expect(present.changes.map((c) => c.summary)).toEqual(['delete ipaddresspool.metallb.io/lab']);
    const gone = await k8sModule.plan(fakeProbe([[/ get --ignore-not-found/, '']]), {
      definition: pool,
      state: 'absent',
    });
    expect(gone.changes).toEqual([]);
  });

  it("marks a Secret's data and stringData secret", () => {
    const objects = parseManifest(
      manifestText([
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's' },
          data: { k: 'c2VjcmV0' },
          stringData: { p: 'hunter22' },
        },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'public' } },
      ]),
    );
    expect(secretValues(objects)).toEqual(['c2VjcmV0', 'hunter22']);
  });

  it('reads a unified diff into before and after', () => {
    expect(diffSides(' a\n-b\n+c\n d')).toEqual({ before: 'a\nb\nd', after: 'a\nc\nd' });
  });

  it('the probe command decodes to the manifest in a real shell', async () => {
    const ctx = fakeProbe([[/diff/, { code: 0 }]]);
    await k8sModule.plan(ctx, { definition: pool });
    const fed = execFileSync('sh', ['-c', ctx.seen[0].replace(/\| kubectl .*$/, '')], { encoding: 'utf8' });
    expect(parseManifest(fed)).toEqual([pool]);
  });
});
