/** The k8s module: kubectl diff --server-side as the probe, server-side apply as the action, waits. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSides, k8sModule, manifestText, parseManifest, secretValues } from '../../src/modules/k8s.ts';
import { besideDiff, untilFirstMatch, untilMatched, waitHeld } from '../../src/modules/k8s-pending.ts';
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
    expect(parseManifest(String(action.stdin))[0].metadata).toEqual({
      name: 'lab',
      namespace: 'metallb-system',
    });
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
      [/diff --server-side .* -f \/etc\/kubernetes\/addons\/m\.yaml; r=\$\?/, { code: 1, stdout: '' }],
    ]);
    const out = await k8sModule.plan(ctx, {
      path: '/etc/kubernetes/addons/m.yaml',
      wait: { for: 'condition=ready', resource: 'pod', selector: 'app=metallb', timeout: 90 },
      namespace: 'metallb-system',
    });
    expect(out.changes).toHaveLength(1);
    expect((out.changes[0].action as { command: string }).command).toContain('apply --server-side');
    const waits = out.waits?.map((w) => (w as { command: string }).command) ?? [];
    expect(waits).toHaveLength(1);
    // the wait itself first; on "no matching resources found" the bounded loop, then the wait again
    const kubectl = 'kubectl --kubeconfig /etc/kubernetes/admin.conf -n metallb-system';
    expect(waits[0]).toContain(
      `if out=$(${kubectl} wait --for=condition=ready pod --selector=app=metallb --timeout=90s 2>&1)`,
    );
    expect(waits[0]).toContain(`until ${kubectl} get pod --selector=app=metallb -o name`);
    expect(waits[0]).toContain('[ $i -ge 90 ] && break');
  });

  it('a converged add-on whose pods are ready waits for nothing; one whose pods are not, waits', async () => {
    const plan = (marker: string) =>
      k8sModule.plan(
        fakeProbe([[/wait .*--timeout=0s .* diff --server-side/, { code: 0, stderr: `${marker}\n` }]]),
        {
          path: '/etc/kubernetes/addons/m.yaml',
          wait: { for: 'condition=ready', resource: 'pod', selector: 'app=metallb', timeout: 90 },
        },
      );
    const ready = await plan('quorum-wait-once 0');
    expect([ready.changes, ready.waits]).toEqual([[], []]);
    const notYet = await plan('quorum-wait-once 1');
    expect(notYet.changes).toEqual([]);
    expect(notYet.waits?.map((w) => (w as { command: string }).command)).toEqual([
      expect.stringContaining('wait --for=condition=ready pod --selector=app=metallb --timeout=90s'),
    ]);
  });

  it('the readiness check runs beside the diff in a real shell: the diff keeps its stdin, code and output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-k8s-'));
    const log = join(dir, 'calls');
    // stand-ins for kubectl: commands that take the arguments appended to them
    const wait = (code: number) => `sh -c 'sleep 0.2; echo wait >> ${log}; exit ${code}' _`;
    // the diff reads the manifest from stdin (a definition is piped in), answers 1 with its output;
    // it logs as it starts: beside the wait, it is in the log before the slower wait is
    const diff = `sh -c 'echo diff >> ${log}; cat > ${dir}/seen; echo "+ changed"; echo "a warning" >&2; exit 1'`;
    const run = (code: number) => {
      try {
        execFileSync('sh', ['-c', `printf 'kind: X' | ${besideDiff(diff, wait(code))}`], { stdio: 'pipe' });
        return { code: 0, out: '', err: '' };
      } catch (e) {
        const r = e as { status: number; stdout: Buffer; stderr: Buffer };
        return { code: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
      }
    };
    const held = run(0);
    expect(held.code).toBe(1);
    expect(held.out).toBe('+ changed\n');
    expect(waitHeld(held.err)).toEqual({ held: true, stderr: 'a warning\n' });
    expect(readFileSync(join(dir, 'seen'), 'utf8')).toBe('kind: X');
    expect(waitHeld(run(1).err)).toEqual({ held: false, stderr: 'a warning\n' });
    // side by side, and both waited for: each diff logged before its wait, every answer there at the end
    expect(readFileSync(log, 'utf8')).toBe('diff\nwait\ndiff\nwait\n');
    rmSync(dir, { recursive: true });
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

  describe('a namespace that does not exist yet (kubectl diff exits 2: the dry run creates nothing)', () => {
    const manifest = [
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-flannel\n',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: flannel\nrules: []\n',
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: kube-flannel-ds\n  namespace: kube-flannel\nspec: {}\n',
    ].join('---\n');
    const notFound = {
      code: 2,
      stderr: 'Error from server (NotFound): namespaces "kube-flannel" not found',
    };

    it('objects in it will be created, the rest is diffed, and the namespace is applied first', async () => {
      const ctx = fakeProbe([
        [/-f \/etc\/kubernetes\/addons\/f\.yml$/, notFound],
        [/^cat /, manifest],
        [/get namespace kube-flannel --ignore-not-found -o name$/, ''],
        [/diff --server-side .* -f -$/, { code: 1, stdout: '--- a\n+++ b\n+kind: ClusterRole\n' }],
      ]);
      const out = await k8sModule.plan(ctx, { path: '/etc/kubernetes/addons/f.yml' });
      expect(out.failed).toBeUndefined();
      expect(out.changes.map((c) => c.summary)).toEqual([
        'create namespace kube-flannel first (1 object(s) of the manifest live in it)',
        'apply /etc/kubernetes/addons/f.yml (server-side, field manager quorum)',
      ]);
      const first = out.changes[0].action as Extract<Action, { kind: 'exec' }>;
      expect(first.command).toMatch(/ apply --server-side --field-manager=quorum --force-conflicts -f -$/);
      expect(parseManifest(String(first.stdin))).toEqual([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-flannel' } },
      ]);
      // only the ClusterRole went to the server-side dry run; the DaemonSet shows as created
      const dryRun = ctx.seen.find((c) => c.endsWith('-f -'))!;
      const fed = Buffer.from(/printf %s (\S+) \|/.exec(dryRun)![1], 'base64').toString();
      expect(parseManifest(fed).map((o) => o.kind)).toEqual(['ClusterRole']);
      expect(out.changes[1].diff?.after).toContain('kind: ClusterRole');
      expect(out.changes[1].diff?.after).toContain('name: kube-flannel-ds');
      expect(out.changes[1].diff?.before).toBe('');
    });

    it('a namespace the manifest does not create fails the step before anything is applied', async () => {
      const ctx = fakeProbe([
        [/diff --server-side/, notFound],
        [/get namespace/, ''],
      ]);
      const deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'kube-flannel' },
      };
      const out = await k8sModule.plan(ctx, { definition: deployment });
      expect(out.changes).toEqual([]);
      expect(out.failed).toBe(
        'namespace "kube-flannel" does not exist and the manifest does not create it: kubectl apply would fail',
      );
    });

    it('a namespace that exists after all is a failure, never a guess', async () => {
      const ctx = fakeProbe([
        [/diff --server-side/, notFound],
        [/get namespace/, 'namespace/kube-flannel\n'],
      ]);
      const out = await k8sModule.plan(ctx, { definition: parseManifest(manifest) });
      // the namespace exists (created meanwhile): no guess, the step fails and says so
      expect(out.changes).toEqual([]);
      expect(out.failed).toMatch(/yet every namespace of the manifest exists \(kube-flannel\)/);
    });
  });

  it('the wait for a first match is a bounded loop in a real shell', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-k8s-'));
    const count = (answer: string, seconds: number) => {
      const log = join(dir, `${answer ? 'match' : 'none'}-${seconds}`);
      execFileSync('sh', ['-c', untilMatched(`{ echo try >> ${log}; printf '${answer}'; }`, seconds)]);
      return readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    };
    // nothing matches: asked once a second, `seconds` times, then it gives up (kubectl wait says why)
    expect(count('', 2)).toBe(2);
    // a match at once: asked once
    expect(count('pod/x', 30)).toBe(1);
    rmSync(dir, { recursive: true });
  });

  it('a wait on a selector is one call when it matches, and loops only for want of a match', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-k8s-'));
    /** A stand-in `kubectl wait` failing its first `misses` calls with `error`, and its log of calls. */
    const run = (misses: number, error: string, listed: string) => {
      const log = join(dir, `w-${misses}-${listed ? 'match' : 'none'}-${error.length}`);
      const wait = `{ echo wait >> ${log}; [ $(grep -c wait ${log}) -gt ${misses} ] && echo 'pod/p condition met' || { echo 'error: ${error}' >&2; false; }; }`;
      const list = `{ echo list >> ${log}; printf '${listed}'; }`;
      try {
        const out = execFileSync('sh', ['-c', untilFirstMatch(wait, list, 3)], { stdio: 'pipe' }).toString();
        return { code: 0, out, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
      } catch (e) {
        const err = e as { status: number; stderr: Buffer };
        return {
          code: err.status,
          out: err.stderr.toString(),
          calls: readFileSync(log, 'utf8').split('\n').filter(Boolean),
        };
      }
    };
    // converged: the pods are there, one call
    expect(run(0, '', 'pod/p')).toEqual({ code: 0, out: 'pod/p condition met\n', calls: ['wait'] });
    // right after an apply: no match at once, then the list until it matches, then the wait again
    expect(run(1, 'no matching resources found', 'pod/p')).toEqual({
      code: 0,
      out: 'pod/p condition met\n',
      calls: ['wait', 'list', 'wait'],
    });
    // another failure is the step's failure, with kubectl's words and code, and no loop
    expect(run(5, 'timed out waiting for the condition on pods/p', 'pod/p')).toEqual({
      code: 1,
      out: 'error: timed out waiting for the condition on pods/p\n',
      calls: ['wait'],
    });
    // nothing ever matches: the loop is bounded (3 tries), then the wait says why
    const never = run(5, 'no matching resources found', '');
    expect(never.code).toBe(1);
    expect(never.calls).toEqual(['wait', 'list', 'list', 'list', 'wait']);
    expect(never.out).toContain('no matching resources found');
    rmSync(dir, { recursive: true });
  });
});
