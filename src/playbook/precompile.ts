/**
 * Build-time only (bin/build.mjs): quorum's own schemas as one module of standalone validator
 * code, which the bundle uses in place of precompiled.ts. Nothing at run time imports this.
 */
import { Ajv } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { findModule, moduleNames } from '../modules/registry.ts';
import { AJV_OPTIONS } from '../schema/ajv.ts';
import { playbookSchema, playSchema } from './schema.ts';

/** The playbook's schemas (the whole file's, one play's) and every built-in module's. */
export function ownSchemas(): object[] {
  return [playbookSchema, playSchema, ...moduleNames().map((n) => findModule(n)!.schema)];
}

/**
 * ES module source exporting `precompiled`: schema JSON text -> validator, compiled with the
 * engine's options. Its code calls require() for ajv's runtime helpers (the bundle has one).
 */
export function validatorsModule(schemas: object[]): string {
  const byText = new Map(schemas.map((s) => [JSON.stringify(s), s]));
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const ids = [...byText.values()].map((schema, i) => {
    ajv.addSchema(schema, `v${i}`);
    return `v${i}`;
  });
  const code = standaloneModule.default(ajv, Object.fromEntries(ids.map((id) => [id, id])));
  const entries = [...byText.keys()].map((text, i) => `[${JSON.stringify(text)}, ${ids[i]}]`);
  return `${code}\nexport const precompiled = new Map([${entries.join(', ')}]);\n`;
}
