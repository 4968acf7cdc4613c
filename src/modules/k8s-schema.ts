/**
 * Custom resources checked offline against CRDs a playbook ships, as an API server with strict
 * field validation checks them: the served version's openAPIV3Schema, unknown fields refused
 * unless the schema keeps them (x-kubernetes-preserve-unknown-fields).
 */
import { validator } from '../schema/ajv.ts';
import { parseManifest } from './k8s-manifest.ts';

type Schema = Record<string, unknown>;

/** The schema with unknown properties refused and `format` left to the server. */
export function strictSchema(schema: Schema): Schema {
  const out: Schema = { ...schema };
  delete out.format;
  if (out.properties && typeof out.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Record<string, Schema>).map(([k, v]) => [k, strictSchema(v)]),
    );
    if (out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields'])
      out.additionalProperties = false;
  }
  if (out.items && typeof out.items === 'object') out.items = strictSchema(out.items as Schema);
  if (out.additionalProperties && typeof out.additionalProperties === 'object')
    out.additionalProperties = strictSchema(out.additionalProperties as Schema);
  return out;
}

interface Crd {
  group: string;
  names: { kind: string };
  versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema: Schema } }>;
}

export interface CrdSchemas {
  groups: Set<string>;
  byKind: Map<string, Schema>;
}

/** Every served version of every CRD in the manifests. */
export function crdSchemas(manifests: string[]): CrdSchemas {
  return crdSchemasOf(manifests.flatMap(parseManifest));
}

export function crdSchemasOf(objects: Array<{ kind?: string; spec?: unknown }>): CrdSchemas {
  const out: CrdSchemas = { groups: new Set(), byKind: new Map() };
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = o.spec as Crd;
    out.groups.add(spec.group);
    for (const v of spec.versions.filter((x) => x.served && x.schema)) {
      const schema = strictSchema(v.schema!.openAPIV3Schema);
      // metadata is the API server's to check, not the CRD's
      schema.properties = { ...(schema.properties as object), metadata: { type: 'object' } };
      out.byKind.set(`${spec.group}/${v.name} ${spec.names.kind}`, schema);
    }
  }
  return out;
}

/** What the API server would refuse in `object`; nothing for a group the CRDs do not cover. */
export function crdErrors(object: { apiVersion: string; kind: string }, schemas: CrdSchemas): string[] {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  if (!schemas.groups.has(group)) return [];
  const schema = schemas.byKind.get(`${object.apiVersion} ${object.kind}`);
  if (!schema) return [`no CRD serves ${object.apiVersion} ${object.kind}`];
  const check = validator(schema);
  // a copy: the validator fills in defaults
  if (check(structuredClone(object))) return [];
  return (check.errors ?? []).map(
    (e) =>
      `${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` ("${(e.params as { additionalProperty: string }).additionalProperty}")` : ''}`,
  );
}
