/**
 * Validates objects against the CustomResourceDefinitions of an upstream manifest, as an API
 * server with strict field validation would: the served version's openAPIV3Schema, unknown
 * fields refused unless the schema preserves them.
 */
import { Ajv } from 'ajv';
import { parseManifest } from '../../src/modules/k8s.ts';

type Schema = Record<string, unknown>;

function strict(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (out.properties && typeof out.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Record<string, Schema>).map(([k, v]) => [k, strict(v)]),
    );
    if (out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields'])
      out.additionalProperties = false;
  }
  if (out.items && typeof out.items === 'object') out.items = strict(out.items as Schema);
  if (out.additionalProperties && typeof out.additionalProperties === 'object')
    out.additionalProperties = strict(out.additionalProperties as Schema);
  return out;
}

export function crdValidator(manifest: string) {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const byKind = new Map<string, ReturnType<Ajv['compile']>>();
  for (const o of parseManifest(manifest)) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = o.spec as {
      group: string;
      names: { kind: string };
      versions: Array<{ name: string; served: boolean; schema: { openAPIV3Schema: Schema } }>;
    };
    for (const v of spec.versions.filter((x) => x.served)) {
      const schema = strict(v.schema.openAPIV3Schema);
      // metadata is the API server's to check, not the CRD's
      (schema.properties as Record<string, Schema>).metadata = { type: 'object' };
      byKind.set(`${spec.group}/${v.name} ${spec.names.kind}`, ajv.compile(schema));
    }
  }
  return (object: { apiVersion: string; kind: string }): string[] => {
    const check = byKind.get(`${object.apiVersion} ${object.kind}`);
    if (!check) return [`no CRD in the manifest serves ${object.apiVersion} ${object.kind}`];
    return check(object) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  };
}
