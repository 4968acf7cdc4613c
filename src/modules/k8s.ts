/**
 * `k8s` (Ansible's kubernetes.core.k8s, the agentless way): Kubernetes objects applied with the
 * host's kubectl and kubeconfig. `kubectl diff --server-side` is the probe (exit 0: nothing to
 * do, 1: differences, more: an error), so check mode and --diff are exact; the action is a
 * server-side apply with field manager `quorum`. Waits (kubectl wait, rollout status) run after
 * it and are never a change.
 */
import { sh } from '../transport/shell.ts';
import { BUILTIN_CRD_GROUPS, builtinCrdSchemas } from './k8s-builtin-crds.ts';
import { diffSides, type K8sObject, manifestText, parseManifest, secretValues } from './k8s-manifest.ts';
import { crdErrors, crdSchemas } from './k8s-schema.ts';

export { diffSides, manifestText, parseManifest, secretValues };

import { missingFromError } from './k8s-namespaces.ts';
import { besideDiff, planMissingNamespaces, untilFirstMatch, waitHeld } from './k8s-pending.ts';
import { type Action, type Change, defineModule } from './types.ts';

export interface K8sWait {
  /** kubectl wait's --for (condition=Available, condition=ready, delete, ...). */
  for?: string;
  /** Wait on these instead of the objects applied: a resource type with a selector. */
  resource?: string;
  selector?: string;
  /** rollout status of every Deployment, DaemonSet and StatefulSet applied. */
  rollout?: boolean;
  timeout?: number;
}

export interface K8sParams {
  /** Objects inline: one or a list. */
  definition?: Record<string, unknown> | Array<Record<string, unknown>>;
  /** A manifest on the controller (the role's or playbook's files/). */
  src?: string;
  /** A manifest already on the host (downloaded there with get_url). */
  path?: string;
  state?: 'present' | 'absent';
  namespace?: string;
  kubeconfig?: string;
  field_manager?: string;
  wait?: K8sWait;
  /** Manifests on the controller (files/) whose CRDs describe these objects: checked offline. */
  schemas?: string[];
}

const objectSchema = { type: 'object', required: ['apiVersion', 'kind', 'metadata'] };

const schema = {
  type: 'object',
  properties: {
    definition: { anyOf: [objectSchema, { type: 'array', items: objectSchema, minItems: 1 }] },
    src: { type: 'string', minLength: 1 },
    path: { type: 'string', minLength: 1 },
    state: { enum: ['present', 'absent'] },
    namespace: { type: 'string', minLength: 1 },
    kubeconfig: { type: 'string', minLength: 1 },
    field_manager: { type: 'string', minLength: 1 },
    schemas: { type: 'array', items: { type: 'string', minLength: 1 } },
    wait: {
      type: 'object',
      properties: {
        for: { type: 'string', minLength: 1 },
        resource: { type: 'string', minLength: 1 },
        selector: { type: 'string', minLength: 1 },
        rollout: { type: 'boolean' },
        timeout: { type: 'integer', minimum: 1 },
      },
      additionalProperties: false,
    },
  },
  oneOf: [{ required: ['definition'] }, { required: ['src'] }, { required: ['path'] }],
  additionalProperties: false,
};

/** quorum's own schemas of a group, read only when an object of it is checked. */
function builtinGroup(group: string) {
  return BUILTIN_CRD_GROUPS.has(group) ? builtinCrdSchemas() : undefined;
}

const ROLLOUT_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

export const k8sModule = defineModule<K8sParams>({
  name: 'k8s',
  aliases: ['kubernetes.core.k8s'],
  schema,
  // kubectl diff answers for the cluster, not this host's files: probe on the step's own turn
  prefetch: false,
  check(p, readLocal) {
    if (p.path !== undefined) return [];
    const shipped = crdSchemas((p.schemas ?? []).map((f) => readLocal(f, 'files')));
    const objects =
      p.definition !== undefined
        ? ((Array.isArray(p.definition) ? p.definition : [p.definition]) as K8sObject[])
        : parseManifest(readLocal(p.src!, 'files'));
    return objects.flatMap((o) => {
      // CRDs the playbook ships win; else the ones quorum knows (the Gateway API)
      const group = String(o.apiVersion ?? '').split('/')[0];
      const schemas = shipped.groups.has(group) ? shipped : builtinGroup(group);
      return schemas ? crdErrors(o, schemas).map((e) => `${o.kind} "${o.metadata?.name ?? '?'}": ${e}`) : [];
    });
  },
  async plan(ctx, p) {
    const kubectl = sh`kubectl --kubeconfig ${p.kubeconfig ?? '/etc/kubernetes/admin.conf'}`;
    const manager = sh`--field-manager=${p.field_manager ?? 'quorum'}`;
    const ns = p.namespace ? sh`-n ${p.namespace}` : '';
    let objects: K8sObject[] = [];
    let input: { file: string; stdin?: string; probe: (cmd: string) => string };
    if (p.path !== undefined) {
      const file = sh`${p.path}`;
      input = { file, probe: (cmd) => cmd };
    } else {
      objects =
        p.definition !== undefined
          ? ((Array.isArray(p.definition) ? p.definition : [p.definition]) as K8sObject[])
          : parseManifest(ctx.readLocal(p.src!, 'files'));
      if (objects.length === 0) return { changes: [], failed: 'the manifest holds no object' };
      const text = manifestText(objects, p.namespace);
      // the probe is one line: the manifest travels base64-encoded into kubectl's stdin
      const encoded = Buffer.from(text).toString('base64');
      input = { file: '-', stdin: text, probe: (cmd) => `printf %s ${encoded} | base64 -d | ${cmd}` };
    }
    const secrets = secretValues(objects);
    const what =
      p.path ??
      (objects.length === 1 ? `${objects[0].kind}/${objects[0].metadata.name}` : `${objects.length} objects`);
    const apply = (command: string): Action => ({
      kind: 'exec',
      command,
      ...(input.stdin ? { stdin: input.stdin } : {}),
    });
    const changes: Change[] = [];
    if (p.state === 'absent') {
      const r = await ctx.probe(
        input.probe(`${kubectl} ${ns} get --ignore-not-found -o name -f ${input.file}`),
      );
      if (r.code !== 0)
        return { changes: [], failed: `kubectl get failed (exit ${r.code}): ${r.stderr.trim()}`, secrets };
      if (r.stdout.trim())
        changes.push({
          summary: `delete ${r.stdout.trim().split('\n').join(', ')}`,
          action: apply(`${kubectl} ${ns} delete --ignore-not-found -f ${input.file}`),
        });
      return { changes, secrets };
    }
    const applyCmd = `${kubectl} ${ns} apply --server-side ${manager} --force-conflicts -f`;
    const diffCmd = `${kubectl} ${ns} diff --server-side ${manager} --force-conflicts -f`;
    const timeout = `--timeout=${p.wait?.timeout ?? 300}s`;
    const waitCmd = (target: string) => `${kubectl} ${ns} wait ${sh`--for=${p.wait!.for!}`} ${target}`;
    const selector =
      p.wait?.for && p.wait.resource
        ? `${sh`${p.wait.resource}`}${p.wait.selector ? sh` --selector=${p.wait.selector}` : ' --all'}`
        : undefined;
    // a converged add-on: its pods' readiness checked once beside the diff, not waited for after it
    const probed = await ctx.probe(
      input.probe(
        selector ? besideDiff(`${diffCmd} ${input.file}`, waitCmd(selector)) : `${diffCmd} ${input.file}`,
      ),
    );
    const { held, stderr } = selector ? waitHeld(probed.stderr) : { held: false, stderr: probed.stderr };
    const diff = { ...probed, stderr };
    const summary = `apply ${what} (server-side, field manager ${p.field_manager ?? 'quorum'})`;
    if (diff.code > 1 && missingFromError(diff.stderr).length > 0) {
      // objects whose namespace is not there yet cannot be dry-run: read the manifest itself
      if (p.path !== undefined) {
        const read = await ctx.probe(sh`cat ${p.path}`);
        if (read.code !== 0) return { changes: [], failed: `cannot read ${p.path}: ${read.stderr.trim()}` };
        objects = parseManifest(read.stdout);
      }
      const pending = await planMissingNamespaces(ctx, objects, p.namespace, { kubectl, diffCmd, applyCmd });
      if ('failed' in pending) return { changes: [], failed: pending.failed, secrets: secretValues(objects) };
      changes.push(pending.first, {
        summary,
        action: apply(`${applyCmd} ${input.file}`),
        diff: { path: what, ...pending.sides },
      });
    } else if (diff.code > 1)
      return {
        changes: [],
        failed: `kubectl diff failed (exit ${diff.code}): ${diff.stderr.trim().split('\n').slice(-3).join(' ')}`,
        secrets,
      };
    else if (diff.code === 1)
      changes.push({
        summary,
        action: apply(`${applyCmd} ${input.file}`),
        diff: { path: what, ...diffSides(diff.stdout) },
      });
    const waits: Action[] = [];
    if (selector && !(held && changes.length === 0))
      waits.push(
        apply(
          untilFirstMatch(
            `${waitCmd(selector)} ${timeout}`,
            `${kubectl} ${ns} get ${selector} -o name`,
            p.wait!.timeout ?? 300,
          ),
        ),
      );
    else if (p.wait?.for && !selector) waits.push(apply(`${waitCmd(`-f ${input.file}`)} ${timeout}`));
    if (p.wait?.rollout)
      for (const o of objects.filter((x) => ROLLOUT_KINDS.has(x.kind))) {
        const on = sh`-n ${o.metadata.namespace ?? p.namespace ?? 'default'}`;
        waits.push({
          kind: 'exec',
          command: `${kubectl} ${on} rollout status ${sh`${o.kind.toLowerCase()}/${o.metadata.name ?? ''}`} ${timeout}`,
        });
      }
    return {
      changes,
      waits,
      secrets,
      message: waits.length ? `then wait: ${waits.length} check(s)` : undefined,
    };
  },
});
