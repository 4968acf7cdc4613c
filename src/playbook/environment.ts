/**
 * Ansible's `environment` keyword on plays, blocks, roles and tasks: a mapping, or a template
 * that renders to one (`environment: "{{ envs | combine(base) }}"`). The levels combine, inner
 * over outer, as ansible-core does it; a template level is kept under a key no variable name
 * can have and rendered with the task's variables when the task runs.
 */
import { InputError, type SourceLocation } from '../errors.ts';

const TEMPLATE = '\u0000template:';

export type Environment = Record<string, unknown>;

/** One level's `environment` as written, checked: undefined where none is written. */
export function environmentLevel(v: unknown, where: SourceLocation | undefined): Environment | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.includes('{{')) return { [`${TEMPLATE}${v}`]: v };
  if (typeof v !== 'object' || Array.isArray(v))
    throw new InputError(
      'TASK',
      'environment must be a mapping of variable names to values, or a template of one',
      where,
    );
  for (const k of Object.keys(v))
    if (!/^[A-Za-z_]\w*$/.test(k))
      throw new InputError('TASK', `environment: "${k}" is not a variable name`, where);
  return v as Environment;
}

/** The outer level with the inner one over it (a name given again moves to the inner place). */
export function innerEnvironment(
  outer: Environment | undefined,
  inner: Environment | undefined,
): Environment | undefined {
  if (!outer || !inner) return inner ?? outer;
  const kept = Object.entries(outer).filter(([k]) => !(k in inner));
  return { ...Object.fromEntries(kept), ...inner };
}

/** The variables a step exports, each level rendered in order; a template must render to a mapping. */
export function renderEnvironment(
  env: Environment,
  render: (value: unknown) => unknown,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith(TEMPLATE)) {
      delete out[k];
      out[k] = String(render(v));
      continue;
    }
    const value = render(v);
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new Error(`environment: ${String(v)} must render to a mapping of variable names to values`);
    for (const [name, text] of Object.entries(value)) {
      delete out[name];
      out[name] = String(text);
    }
  }
  return out;
}
