/**
 * A role's params for one host: each param takes the first value found in -e extra vars,
 * the playbook's role params, play and runtime vars, then inventory vars, then the schema's
 * default. Rendered, then validated with the role's schema; errors are located.
 */
import { InputError, type SourceLocation } from '../errors.ts';
import { didYouMean, explainParam, mostUseful } from '../playbook/errors.ts';
import type { RoleRef } from '../playbook/model.ts';
import { validator } from '../schema/ajv.ts';
import { MissingVariable, renderDeep } from '../template/render.ts';
import { entryLocation } from '../yaml/load.ts';
import { type AnyRole, secretParams } from './define.ts';

export interface ParamLayers {
  inventory: Record<string, unknown>;
  play: Record<string, unknown>;
  extra: Record<string, unknown>;
  /** Everything merged, for templates. */
  all: Record<string, unknown>;
}

export function resolveRoleParams(
  role: AnyRole,
  ref: RoleRef,
  layers: ParamLayers,
  host: string,
): Record<string, unknown> {
  const props = (role.params as { properties?: Record<string, unknown> }).properties ?? {};
  const names = Object.keys(props);
  for (const key of Object.keys(ref.params)) {
    if (!names.includes(key)) {
      const guess = didYouMean(key, names);
      throw new InputError(
        'ROLE_PARAM',
        `role ${role.name} has no parameter "${key}"`,
        entryLocation(ref.paramsNode, key) ?? ref.location,
        guess ? `did you mean "${guess}"?` : `parameters: ${names.join(', ') || '(none)'}`,
      );
    }
  }
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const key of names) {
    for (const [layer, source] of [
      ['-e', layers.extra],
      ['playbook', ref.params],
      ['play vars', layers.play],
      ['inventory', layers.inventory],
    ] as const) {
      if (key in source && source[key] !== undefined) {
        raw[key] = source[key];
        origin[key] = layer;
        break;
      }
    }
  }
  const where = (key: string): SourceLocation =>
    origin[key] === 'playbook' ? (entryLocation(ref.paramsNode, key) ?? ref.location) : ref.location;
  let params: Record<string, unknown>;
  try {
    params = renderDeep(raw, layers.all) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof MissingVariable) {
      const key = Object.keys(raw).find((k) => JSON.stringify(raw[k]).includes(e.variable)) ?? '';
      throw new InputError('TEMPLATE', `${e.message} (role ${role.name}, host ${host})`, where(key));
    }
    throw e;
  }
  const check = validator(role.params, `role ${role.name}`);
  if (!check(params)) {
    const err = mostUseful(check.errors!);
    const problem = explainParam(
      err,
      params,
      Object.keys(role.params.properties ?? {}),
      secretParams(role.params as never),
    );
    const key = problem.key;
    const from = origin[key]
      ? ` (value from ${origin[key]}${origin[key] === 'inventory' ? ` of host ${host}` : ''})`
      : '';
    throw new InputError(
      'ROLE_PARAM',
      `role ${role.name} on ${host}: ${problem.message}${from}`,
      where(key),
      err.keyword === 'required' ? `set "${key}" in the playbook, the inventory or with -e` : problem.hint,
    );
  }
  return params;
}
