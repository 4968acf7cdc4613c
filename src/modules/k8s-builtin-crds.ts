/**
 * CRD schemas quorum knows without a playbook shipping them: the Gateway API's standard channel
 * (the version the gateway role installs), so an HTTPRoute or Gateway in any playbook is checked
 * offline. Kept in src/modules/crds/ as the CRDs' served versions with their descriptions
 * dropped (test/helpers/builtin-crds.ts makes the file from the byte-exact upstream files in
 * test/fixtures/upstream/, and a test holds it to them); read on first use only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';
import { type CrdSchemas, crdSchemasOf } from './k8s-schema.ts';

export const BUILTIN_CRD_FILE = 'src/modules/crds/gateway-api-v1.5.1-standard.json';

/** The groups of those CRDs (a test holds this to the file). */
export const BUILTIN_CRD_GROUPS = new Set(['gateway.networking.k8s.io']);

let builtin: CrdSchemas | undefined;

export function builtinCrdSchemas(): CrdSchemas {
  builtin ??= crdSchemasOf(JSON.parse(readFileSync(join(PROJECT_ROOT, BUILTIN_CRD_FILE), 'utf8')));
  return builtin;
}

type Node = unknown;

/** A CRD reduced to what validation reads: group, kind, scope and served versions' schemas. */
export function compactCrd(crd: {
  spec: { group: string; names: { kind: string }; scope: string; versions: Array<Record<string, unknown>> };
}) {
  return {
    kind: 'CustomResourceDefinition',
    spec: {
      group: crd.spec.group,
      names: { kind: crd.spec.names.kind },
      scope: crd.spec.scope,
      versions: crd.spec.versions
        .filter((v) => v.served)
        .map((v) => ({
          name: v.name,
          served: true,
          schema: {
            openAPIV3Schema: withoutDescriptions((v.schema as { openAPIV3Schema: Node }).openAPIV3Schema),
          },
        })),
    },
  };
}

/** The schema without `description` keywords (a property named "description" stays). */
function withoutDescriptions(schema: Node): Node {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, Node> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description' && typeof v === 'string') continue;
    out[k] =
      k === 'properties' && v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([name, s]) => [name, withoutDescriptions(s)]))
        : withoutDescriptions(v);
  }
  return out;
}
