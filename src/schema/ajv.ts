/** The one seam to ajv: a shared instance, compiled validators cached by schema. */
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { precompiled } from './precompiled.ts';

// Checking a schema against JSON Schema's meta-schema costs ~45 ms per process (compiling the
// meta-schema). quorum's own schemas (playbook, modules) are covered by its tests, so only
// schemas from roles are checked, and those with a clear error.
// coerceTypes: Jinja2 makes text ("{{ port + 1 }}" is "8081"), and Ansible's modules convert
// their arguments to the type they declare; so do quorum's
export const AJV_OPTIONS = {
  allErrors: true,
  strict: false,
  useDefaults: true,
  validateSchema: false,
  coerceTypes: true,
};
const cache = new WeakMap<object, ValidateFunction>();
let compiler: Ajv | undefined;
const compiledHere: object[] = [];

/** The schemas this process compiled (none were precompiled for them): a test of the build's list. */
export function schemasCompiledAtRunTime(): readonly object[] {
  return compiledHere;
}

/**
 * Loaded on first use: the bundle has quorum's own schemas compiled already, so most runs
 * never need the compiler, and loading it costs every start ~20 ms.
 */
function ajv(): Ajv {
  if (!compiler) {
    const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    compiler = new AjvClass(AJV_OPTIONS);
  }
  return compiler;
}

export function validator(schema: object, owner?: string): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    fn = precompiled.get(JSON.stringify(schema)) ?? compile(schema, owner);
    cache.set(schema, fn);
  }
  return fn;
}

function compile(schema: object, owner?: string): ValidateFunction {
  if (owner && !ajv().validateSchema(schema))
    throw new Error(
      `${owner}: its params schema is not valid JSON Schema: ${ajv().errorsText(ajv().errors)}`,
    );
  compiledHere.push(schema);
  return ajv().compile(schema);
}

export type { ErrorObject };
