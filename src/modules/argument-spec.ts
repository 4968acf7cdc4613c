/**
 * `validate_argument_spec`: a role's meta/argument_specs.yml checked against the values it is
 * given, as ansible-core's ArgumentSpecValidator checks them (module_utils/common/validation.py):
 * required options, choices, and the types str, int, float, bool, list, dict, path, raw with
 * Python's conversions (a "5" is an int, "yes" a bool, "a,b" a list), elements and suboptions.
 * Ansible inserts it as a role's first task; quorum does the same (playbook/ansible-role.ts).
 */
import { pyRepr, pyStr, pyTypeName } from '../template/jinja/values.ts';
import { defineModule } from './types.ts';

interface Option {
  type?: string;
  required?: boolean;
  choices?: unknown[];
  elements?: string;
  options?: Record<string, Option>;
}

interface ArgumentSpecParams {
  argument_spec: Record<string, Option>;
  provided_arguments?: Record<string, unknown>;
  validate_args_context?: Record<string, unknown>;
}

const TRUE = ['y', 'yes', 'on', '1', 'true', 't', '1.0'];
const FALSE = ['n', 'no', 'off', '0', 'false', 'f', '0.0'];
const article = (type: string) => (type === 'int' ? 'an int' : `a ${type}`);

/** The value converted to the type as Ansible converts it, or why it cannot be. */
function convert(v: unknown, type: string): { ok: true; value: unknown } | { ok: false } {
  switch (type) {
    case 'str':
    case 'path':
      // Python's str() of anything else, as check_type_str converts it (with a warning)
      return { ok: true, value: pyStr(v) };
    case 'raw':
      return { ok: true, value: v };
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return { ok: true, value: v };
      if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return { ok: true, value: Number(v) };
      return { ok: false };
    case 'float':
      if (typeof v === 'number') return { ok: true, value: v };
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)))
        return { ok: true, value: Number(v) };
      return { ok: false };
    case 'bool': {
      if (typeof v === 'boolean') return { ok: true, value: v };
      const s = String(v).toLowerCase();
      if (typeof v !== 'object' && TRUE.includes(s)) return { ok: true, value: true };
      if (typeof v !== 'object' && FALSE.includes(s)) return { ok: true, value: false };
      return { ok: false };
    }
    case 'list':
      if (Array.isArray(v)) return { ok: true, value: v };
      if (typeof v === 'string') return { ok: true, value: v.split(',') };
      if (typeof v === 'number') return { ok: true, value: [String(v)] };
      return { ok: false };
    case 'dict':
      if (v && typeof v === 'object' && !Array.isArray(v)) return { ok: true, value: v };
      return { ok: false };
    default:
      return { ok: false };
  }
}

/**
 * Ansible's messages for what is wrong with `given` under `spec` (option names prefixed with
 * `at` inside suboptions), in its order: missing required options, types, choices, suboptions,
 * then keys the spec does not have (a role's params; variables count only under the spec's names).
 */
export function argumentErrors(
  spec: Record<string, Option>,
  given: Record<string, unknown>,
  at = '',
  nestedUnsupported: Array<{ names: string[]; message: string }> = [],
): string[] {
  const errors: string[] = [];
  const missing = Object.entries(spec)
    .filter(([k, o]) => o.required && (given[k] === undefined || given[k] === null))
    .map(([k]) => k);
  if (missing.length)
    errors.push(
      `missing required arguments: ${missing.sort().join(', ')}${at ? ` found in ${at.slice(0, -1)}` : ''}`,
    );
  const values: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(spec)) {
    const v = given[name];
    if (v === undefined || v === null) continue;
    const type = o.type ?? 'str';
    const c = convert(v, type);
    if (c.ok) values[name] = c.value;
    else
      errors.push(
        `argument '${at}${name}' is of type ${pyTypeName(v)} and we were unable to convert to ${type}: "${pyRepr(v)}" cannot be converted to ${article(type)}`,
      );
  }
  for (const [name, value] of Object.entries(values)) {
    const o = spec[name];
    const type = o.type ?? 'str';
    if (!o.choices) continue;
    const items = Array.isArray(value) && type === 'list' ? value : [value];
    const bad = items.filter((x) => !o.choices?.some((ch) => String(ch) === String(x)));
    if (bad.length)
      errors.push(
        `value of ${at}${name} must be ${type === 'list' ? 'one or more of' : 'one of'}: ${o.choices.join(', ')}, got: ${bad.join(', ')}`,
      );
  }
  for (const [name, value] of Object.entries(values)) {
    const o = spec[name];
    if (o.type === 'list' && o.elements && Array.isArray(value))
      value.forEach((el, i) => {
        if (o.elements === 'dict' && o.options && el && typeof el === 'object')
          errors.push(
            ...argumentErrors(
              o.options,
              el as Record<string, unknown>,
              `${at}${name}[${i}].`,
              nestedUnsupported,
            ),
          );
        else if (!convert(el, o.elements as string).ok)
          errors.push(
            `Elements value for option '${at}${name}' is of type ${pyTypeName(el)} and we were unable to convert to ${o.elements}: "${pyRepr(el)}" cannot be converted to ${article(o.elements as string)}`,
          );
      });
    if (o.type === 'dict' && o.options)
      errors.push(
        ...argumentErrors(o.options, value as Record<string, unknown>, `${at}${name}.`, nestedUnsupported),
      );
  }
  const unsupported = Object.keys(given)
    .filter((k) => !(k in spec))
    .map((k) => `${at}${k}`);
  const supported = `Supported parameters include: ${Object.keys(spec).sort().join(', ')}.`;
  if (at) {
    // a suboption's unknown keys: a message of its own, unless the top level has some too
    if (unsupported.length)
      nestedUnsupported.push({
        names: unsupported,
        message: `${unsupported.sort().join(', ')}. ${supported}`,
      });
    return errors;
  }
  // as ansible-core: with unknown keys at the top, one message names them all, nested ones too
  if (unsupported.length)
    errors.push(
      `${[...unsupported, ...nestedUnsupported.flatMap((u) => u.names)].sort().join(', ')}. ${supported}`,
    );
  else errors.push(...nestedUnsupported.map((u) => u.message));
  return errors;
}

export const validateArgumentSpecModule = defineModule<ArgumentSpecParams>({
  name: 'validate_argument_spec',
  schema: {
    type: 'object',
    properties: {
      argument_spec: { type: 'object' },
      provided_arguments: { type: 'object' },
      validate_args_context: { type: 'object' },
    },
    required: ['argument_spec'],
    additionalProperties: false,
  },
  async plan(_ctx, p) {
    const errors = argumentErrors(p.argument_spec, p.provided_arguments ?? {});
    if (errors.length)
      return { changes: [], failed: `Validation of arguments failed:\n${errors.join('\n')}` };
    return { changes: [], message: 'The arg spec validation passed' };
  },
});
