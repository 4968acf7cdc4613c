/**
 * The plan of a manifest some of whose namespaces do not exist yet (see k8s-namespaces.ts):
 * which namespaces are missing (asked of the cluster), the objects that land in them shown as
 * created, every other object diffed server-side as usual, and the namespaces applied first.
 */
import { sh } from '../transport/shell.ts';
import { diffSides, type K8sObject, manifestText } from './k8s-manifest.ts';
import { referencedNamespaces, splitByNamespace } from './k8s-namespaces.ts';
import type { Change, ProbeContext } from './types.ts';

interface Commands {
  kubectl: string;
  diffCmd: string;
  applyCmd: string;
}

const viaStdin = (text: string, cmd: string) =>
  `printf %s ${Buffer.from(text).toString('base64')} | base64 -d | ${cmd}`;

export async function planMissingNamespaces(
  ctx: ProbeContext,
  objects: K8sObject[],
  defaultNamespace: string | undefined,
  c: Commands,
): Promise<{ first: Change; sides: { before: string; after: string } } | { failed: string }> {
  const wanted = referencedNamespaces(objects, defaultNamespace);
  const got = await ctx.probe(`${c.kubectl} get namespace ${sh`${wanted}`} --ignore-not-found -o name`);
  if (got.code !== 0)
    return { failed: `kubectl get namespace failed (exit ${got.code}): ${got.stderr.trim()}` };
  const existing = new Set(got.stdout.split('\n').map((l) => l.trim().replace(/^namespace\//, '')));
  const missing = new Set(wanted.filter((n) => !existing.has(n)));
  if (missing.size === 0)
    return {
      failed: `kubectl diff said a namespace is missing, yet every namespace of the manifest exists (${wanted.join(', ')}): run again`,
    };
  const split = splitByNamespace(objects, missing, defaultNamespace);
  if (split.uncreated.length)
    return {
      failed: `namespace ${split.uncreated.map((n) => `"${n}"`).join(', ')} does not exist and the manifest does not create it: kubectl apply would fail`,
    };
  let sides = { before: '', after: '' };
  if (split.rest.length) {
    const text = manifestText(split.rest, defaultNamespace);
    const d = await ctx.probe(viaStdin(text, `${c.diffCmd} -`));
    if (d.code > 1)
      return {
        failed: `kubectl diff failed (exit ${d.code}): ${d.stderr.trim().split('\n').slice(-3).join(' ')}`,
      };
    if (d.code === 1) sides = diffSides(d.stdout);
  }
  const created = manifestText(split.pending, defaultNamespace).trimEnd();
  const nsText = manifestText(split.namespaces);
  return {
    first: {
      summary: `create namespace ${split.namespaces.map((o) => o.metadata.name).join(', ')} first (${split.pending.length - split.namespaces.length} object(s) of the manifest live in it)`,
      action: { kind: 'exec', command: `${c.applyCmd} -`, stdin: nsText },
      diff: { path: 'namespaces', before: '', after: nsText.trimEnd() },
    },
    sides: { before: sides.before, after: [sides.after, created].filter(Boolean).join('\n') },
  };
}

/** A shell loop: until `listCmd` prints something, at most `seconds` tries one second apart. */
export function untilMatched(listCmd: string, seconds: number): string {
  return `i=0; until ${listCmd} 2>/dev/null | grep -q .; do i=$((i+1)); [ $i -ge ${seconds} ] && break; sleep 1; done`;
}

/**
 * `waitCmd` (a kubectl wait on a selector) once; only when it fails for want of a match, as it
 * does at once right after an apply, the bounded loop for a first match, then the wait again. On
 * a converged cluster the pods are there: one kubectl call, not a list and then a wait.
 */
export function untilFirstMatch(waitCmd: string, listCmd: string, seconds: number): string {
  return [
    `(if out=$(${waitCmd} 2>&1); then printf '%s\\n' "$out"; else rc=$?;`,
    `case "$out" in *'no matching resources found'*) ${untilMatched(listCmd, seconds)}; ${waitCmd} ;;`,
    `*) printf '%s\\n' "$out" >&2; exit $rc ;; esac; fi)`,
  ].join(' ');
}

/** The marker of `besideDiff`'s answer on stderr. */
const ALREADY = 'quorum-wait-once';

/**
 * `diffCmd` with `waitCmd` checked once beside it (`--timeout=0s`: kubectl's "check once and
 * don't wait"): both read-only, run at once on the host. The diff's exit code and output are the
 * command's; whether the wait already holds is a marker line on stderr (`waitHeld`).
 */
export function besideDiff(diffCmd: string, waitCmd: string): string {
  // braces: a manifest piped in is the diff's stdin (a background job reads /dev/null)
  return `{ (${waitCmd} --timeout=0s >/dev/null 2>&1; echo "${ALREADY} $?" >&2) & ${diffCmd}; r=$?; wait; exit $r; }`;
}

/** What `besideDiff` said of its wait, and the diff's own stderr without the marker. */
export function waitHeld(stderr: string): { held: boolean; stderr: string } {
  const held = new RegExp(`^${ALREADY} 0$`, 'm').test(stderr);
  return { held, stderr: stderr.replace(new RegExp(`^${ALREADY} \\d+\\n?`, 'm'), '') };
}
