/** The one seam to ajv: a shared instance, compiled validators cached by schema. */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

// Checking a schema against JSON Schema's meta-schema costs ~45 ms per process (compiling the
// meta-schema). quorum's own schemas (playbook, modules) are covered by its tests, so only
// schemas from roles are checked, and those with a clear error.
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, validateSchema: false });
const cache = new WeakMap<object, ValidateFunction>();

export function validator(schema: object, owner?: string): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    if (owner && !ajv.validateSchema(schema))
      throw new Error(`${owner}: its params schema is not valid JSON Schema: ${ajv.errorsText(ajv.errors)}`);
    fn = ajv.compile(schema);
    cache.set(schema, fn);
  }
  return fn;
}

export type { ErrorObject };
