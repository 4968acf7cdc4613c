/**
 * ansible-core 2.19's validate_variable_name (utils/vars.py): an ASCII identifier that is not a
 * name Jinja reserves (true, false, none in either case, not).
 */
const JINJA_KEYWORDS = new Set(['true', 'false', 'none', 'True', 'False', 'None', 'not']);

export const isVariableName = (name: unknown): name is string =>
  typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !JINJA_KEYWORDS.has(name);

const TYPE_NAMES: Record<string, string> = { boolean: 'bool', number: 'int', object: 'dict' };

/** validate_variable_name's message for a name it refuses (Python's str() and type name of a scalar). */
export function invalidVariableName(name: unknown): string {
  if (typeof name === 'string') return `Invalid variable name '${name}'.`;
  const text = typeof name === 'boolean' ? (name ? 'True' : 'False') : name === null ? 'None' : String(name);
  const type =
    name === null ? 'NoneType' : Array.isArray(name) ? 'list' : (TYPE_NAMES[typeof name] ?? typeof name);
  const scalar = name === null || ['boolean', 'number'].includes(typeof name);
  return `Invalid variable ${scalar ? `name '${text}'` : 'name'} of type '${type}'.`;
}
