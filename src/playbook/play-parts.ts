/**
 * The parts of a play read from its own keywords: any_errors_fatal as ansible-core reads it,
 * its role references, and the vars_files named per host or read now.
 */
import { join } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { refuseJinja } from '../template/jinja-guard.ts';
import { renderString } from '../template/render.ts';
import { entryLocation, noteWarning } from '../yaml/load.ts';
import { findVarsFile, isLate, type LateVarsFile } from './late-vars-files.ts';
import type { RoleRef } from './model.ts';
import { list } from './tasks.ts';

const fail = (message: string, where: SourceLocation, hint?: string): never => {
  throw new InputError('SCHEMA', message, where, hint);
};

/**
 * ansible-core (2.14 and 2.19) does not render a templated any_errors_fatal: the text is true,
 * whatever it would render to. quorum does the same, and says so where it stands.
 */
export function anyErrorsFatal(
  raw: Record<string, unknown>,
  where: SourceLocation,
  configured: unknown,
): boolean {
  const v = raw.any_errors_fatal ?? configured;
  if (typeof v !== 'string') return v === true;
  noteWarning(
    `any_errors_fatal: ${JSON.stringify(v)} is not rendered by ansible-core: the text counts as true whatever it would render to (quorum does the same); write true or false`,
    entryLocation(raw, 'any_errors_fatal') ?? where,
  );
  return true;
}

export function roleRef(raw: unknown, where: SourceLocation, vars: Record<string, unknown> = {}): RoleRef {
  if (typeof raw === 'string')
    return { role: roleName(raw, vars, where), params: {}, tags: [], location: where, paramsNode: {} };
  const r = raw as Record<string, unknown>;
  // `role:` or its other name `name:` (RoleDefinition reads both)
  const given = r.role ?? r.name;
  if (typeof given !== 'string') throw new InputError('SCHEMA', 'a role entry needs its role: name', where);
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r))
    if (!['role', 'name', 'tags', 'when', 'throttle'].includes(k)) params[k] = v;
  refuseJinja(params, (key) => entryLocation(r, key) ?? where);
  return {
    role: roleName(given, vars, where),
    params,
    tags: list(r.tags),
    when: r.when,
    throttle: r.throttle as number | undefined,
    location: where,
    paramsNode: r,
  };
}

/**
 * A role name that is a template (`role: "{{ playbook_dir }}"`), rendered as ansible-core renders
 * it: with the play's variables and the extra vars, before any host (a role's tasks are read
 * with the playbook). A value naming another template is rendered again, a few levels deep.
 */
function roleName(name: string, vars: Record<string, unknown>, where: SourceLocation): string {
  let out = name;
  for (let pass = 0; pass < 5 && out.includes('{{'); pass++) {
    try {
      out = String(renderString(out, vars));
    } catch (e) {
      throw new InputError('SCHEMA', `the role name ${JSON.stringify(name)}: ${(e as Error).message}`, where);
    }
  }
  return out;
}

/** The vars_files entries read per host (a templated name, a list of alternatives), or none. */
export function lateVarsFiles(
  raw: Record<string, unknown>,
  where: SourceLocation,
): LateVarsFile[] | undefined {
  const entries = ((raw.vars_files as unknown[]) ?? []).flatMap((vf, i) =>
    isLate(vf)
      ? [
          {
            candidates: [vf].flat().map(String),
            location: entryLocation(raw.vars_files as object, i) ?? where,
          },
        ]
      : [],
  );
  return entries.length ? entries : undefined;
}

/** A vars_files name read with the playbook: found as Ansible finds it, else refused at its place. */
export function staticVarsFile(dir: string, name: string, at: SourceLocation): string {
  const found = findVarsFile(dir, name);
  if (found) return found;
  // ansible-core 2.19 skips a vars file it cannot find without a word: quorum says so
  return fail(
    `vars file ${name} was not found (looked in ${join(dir, 'vars')} and ${dir})`,
    at,
    'ansible-core 2.19 would skip it silently; write it as a list, [name, other.yml], to make it optional',
  );
}
