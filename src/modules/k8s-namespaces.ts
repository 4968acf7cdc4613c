/**
 * Objects in a namespace that does not exist yet. `kubectl diff --server-side` dry-runs each
 * object on the server, and a namespaced object whose namespace is missing fails there with
 * `namespaces "X" not found` (exit > 1), even when the same manifest creates that namespace:
 * the dry run creates nothing (kubectl pkg/cmd/diff/diff.go; kubernetes#83562, #114141,
 * kubectl#1331). flannel's, MetalLB's and ingress-nginx's manifests all create their own
 * namespace, so a first run on a fresh cluster meets this every time. Such objects are "will
 * be created"; the namespaces are applied first, then the whole manifest.
 */
import type { K8sObject } from './k8s-object.ts';

/** Built-in kinds without a namespace (kubectl api-resources --namespaced=false, 1.35). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'RuntimeClass',
  'PriorityClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'IPAddress',
  'ServiceCIDR',
  'DeviceClass',
]);

/** The names kubectl's errors say are missing. */
export function missingFromError(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/namespaces "([^"]+)" not found/g)].map((m) => m[1]))];
}

/** Custom kinds that a CRD of the same manifest declares cluster-scoped. */
function clusterScopedCustomKinds(objects: K8sObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = o.spec as { scope?: string; group?: string; names?: { kind?: string } } | undefined;
    if (spec?.scope === 'Cluster' && spec.names?.kind) out.add(`${spec.group}/${spec.names.kind}`);
  }
  return out;
}

/** The namespace an object lands in, or undefined for a cluster-scoped one. */
export function namespaceOfObject(
  o: K8sObject,
  defaultNamespace: string | undefined,
  customCluster: Set<string> = new Set(),
): string | undefined {
  if (CLUSTER_SCOPED.has(o.kind)) return undefined;
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  if (customCluster.has(`${group}/${o.kind}`)) return undefined;
  return o.metadata.namespace ?? defaultNamespace ?? 'default';
}

export interface NamespaceSplit {
  /** Every namespace the manifest's objects land in. */
  referenced: string[];
  /** The missing namespaces and the objects in them: created by the apply, nothing to diff. */
  pending: K8sObject[];
  /** Every other object: diffed as usual. */
  rest: K8sObject[];
  /** The manifest's Namespace objects for the missing namespaces, applied first. */
  namespaces: K8sObject[];
  /** Missing namespaces the manifest does not create: the apply would fail. */
  uncreated: string[];
}

export function referencedNamespaces(objects: K8sObject[], defaultNamespace?: string): string[] {
  const custom = clusterScopedCustomKinds(objects);
  const names = objects.map((o) => namespaceOfObject(o, defaultNamespace, custom));
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

export function splitByNamespace(
  objects: K8sObject[],
  missing: Set<string>,
  defaultNamespace?: string,
): NamespaceSplit {
  const custom = clusterScopedCustomKinds(objects);
  const pending: K8sObject[] = [];
  const rest: K8sObject[] = [];
  for (const o of objects) {
    const ns = namespaceOfObject(o, defaultNamespace, custom);
    const createdHere = o.kind === 'Namespace' && missing.has(o.metadata.name ?? '');
    (createdHere || (ns !== undefined && missing.has(ns)) ? pending : rest).push(o);
  }
  const namespaces = objects.filter((o) => o.kind === 'Namespace' && missing.has(o.metadata.name ?? ''));
  const created = new Set(namespaces.map((o) => o.metadata.name));
  return {
    referenced: referencedNamespaces(objects, defaultNamespace),
    pending,
    rest,
    namespaces,
    uncreated: [...missing].filter((n) => !created.has(n)),
  };
}
