/**
 * Makes src/modules/crds/gateway-api-v1.5.1-standard.json from the byte-exact upstream CRDs in
 * test/fixtures/upstream/ (k8s-builtin-crds.ts says why):
 *   node --import tsx test/helpers/builtin-crds.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_CRD_FILE, compactCrd } from '../../src/modules/k8s-builtin-crds.ts';
import { parseManifest } from '../../src/modules/k8s-manifest.ts';

const ROOT = join(import.meta.dirname, '../..');
export const GATEWAY_API_CRDS = join(ROOT, 'test/fixtures/upstream/gateway-api-v1.5.1-standard');

export function builtinCrdsText(): string {
  const crds = readdirSync(GATEWAY_API_CRDS)
    .sort()
    .flatMap((f) => parseManifest(readFileSync(join(GATEWAY_API_CRDS, f), 'utf8')))
    .filter((o) => o.kind === 'CustomResourceDefinition')
    .map((o) => compactCrd(o as unknown as Parameters<typeof compactCrd>[0]));
  return `${JSON.stringify(crds)}\n`;
}

if (process.argv[1] === import.meta.filename) writeFileSync(join(ROOT, BUILTIN_CRD_FILE), builtinCrdsText());
