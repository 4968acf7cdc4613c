/** Manifests as the k8s module handles them: parsed, written back, Secret values, kubectl diff's sides. */
import { parseAllDocuments, stringify } from 'yaml';
import { namespaceOfObject } from './k8s-namespaces.ts';
import type { K8sObject } from './k8s-object.ts';

export type { K8sObject };

/** The manifest as YAML text, every object given the namespace when it has none. */
export function manifestText(objects: K8sObject[], namespace?: string): string {
  return objects
    .map((o) => {
      const scoped = namespaceOfObject(o, namespace) !== undefined;
      const withNs =
        namespace && scoped && !o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace } } : o;
      return stringify(withNs, { lineWidth: 0 });
    })
    .join('---\n');
}

export function parseManifest(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}

/** Values of Secret objects (data and stringData): they are redacted everywhere. */
export function secretValues(objects: K8sObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'Secret')
    .flatMap((o) => [
      ...Object.values((o.data as Record<string, string>) ?? {}),
      ...Object.values((o.stringData as Record<string, string>) ?? {}),
    ])
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** kubectl diff's unified diff as before/after texts (headers dropped, context kept). */
export function diffSides(text: string): { before: string; after: string } {
  const before: string[] = [];
  const after: string[] = [];
  for (const line of text.split('\n')) {
    if (/^(diff |--- |\+\+\+ |@@ )/.test(line)) continue;
    if (line.startsWith('-')) before.push(line.slice(1));
    else if (line.startsWith('+')) after.push(line.slice(1));
    else if (line.startsWith(' ')) {
      before.push(line.slice(1));
      after.push(line.slice(1));
    }
  }
  return { before: before.join('\n'), after: after.join('\n') };
}
