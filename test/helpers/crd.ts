/** Objects against the CRDs of an upstream manifest, with quorum's own offline check. */
import { crdErrors, crdSchemas } from '../../src/modules/k8s-schema.ts';

export function crdValidator(manifest: string) {
  const schemas = crdSchemas([manifest]);
  return (object: { apiVersion: string; kind: string }): string[] =>
    schemas.groups.has(object.apiVersion.split('/')[0])
      ? crdErrors(object, schemas)
      : [`no CRD in the manifest serves ${object.apiVersion} ${object.kind}`];
}
