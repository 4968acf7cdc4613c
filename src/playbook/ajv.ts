/** The one seam to ajv: a shared instance, compiled validators cached by schema. */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });
const cache = new WeakMap<object, ValidateFunction>();

export function validator(schema: object): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    cache.set(schema, fn);
  }
  return fn;
}

export type { ErrorObject };
