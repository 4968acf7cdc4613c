/** module_defaults as written on a play, a block or a task, checked against the module registry. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { InputError, type SourceLocation } from '../errors.ts';
import { findInstalledModule } from '../modules/library/installed.ts';
import { sysPathCollections } from '../modules/library/module-utils.ts';
import { findModule } from '../modules/registry.ts';
import { entryLocation } from '../yaml/load.ts';
import { collectionRoots } from './role-path.ts';

const fail = (message: string, where: SourceLocation): never => {
  throw new InputError('SCHEMA', message, where);
};

/** The key of an installed module's defaults (one quorum runs from ansible-core or a collection): its full name. */
export const installedDefaultsKey = (fqcn: string) => `installed:${fqcn}`;

/**
 * The collections of the play being read (its playbook's collections/ first): module_defaults
 * are read deep inside a play, where only load.ts knows the playbook's folder.
 */
let playCollections: string[] | undefined;
export function readingPlayIn(collections: string[]): void {
  playCollections = collections;
}
const collections = () => playCollections ?? collectionRoots();

function installedKey(name: string): string | undefined {
  try {
    const found = findInstalledModule(name, collections());
    return found ? installedDefaultsKey(found.fqcn) : undefined;
  } catch {
    return undefined; // removed from its collection: no task can name it either
  }
}

/**
 * The modules of an action group (`group/NS.COLL.GROUP`), as the collection's meta/runtime.yml
 * lists them under action_groups (a short name is the collection's own module); undefined where
 * no installed collection has the group.
 */
function actionGroup(name: string): string[] | undefined {
  const m = /^group\/(\w+)\.(\w+)\.(\w+)$/.exec(name);
  if (!m) return undefined;
  const [, ns, coll, group] = m;
  for (const root of [...collections(), ...sysPathCollections()]) {
    const file = join(root, ns, coll, 'meta', 'runtime.yml');
    if (!existsSync(file)) continue;
    const meta = parse(readFileSync(file, 'utf8')) as { action_groups?: Record<string, unknown> } | null;
    const members = meta?.action_groups?.[group];
    if (!Array.isArray(members)) return undefined;
    // a `metadata: {extend_group: ...}` entry names other groups: not followed
    return members
      .filter((x): x is string => typeof x === 'string')
      .map((x) => (x.includes('.') ? x : `${ns}.${coll}.${x}`));
  }
  return undefined;
}

/** The modules of each action group named so far, by the keys module_defaults keeps them under. */
const groupMembers = new Map<string, Set<string>>();

/**
 * module_defaults (of a play, a block or a task): parameters a module's tasks get unless they set
 * them, by the module's own name (an FQCN or alias names the same module; a module quorum runs
 * from the installed ansible-core or a collection by its full name, after redirects), or by an
 * action group of an installed collection (community.grafana's role: `group/community.grafana.grafana`),
 * kept under the group's name: withDefaults lays a group's under the module's own.
 */
export function moduleDefaults(
  raw: Record<string, unknown>,
  where: SourceLocation,
): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const given = (raw.module_defaults ?? {}) as Record<string, unknown>;
  for (const [name, params] of Object.entries(given)) {
    const at = entryLocation(given, name) ?? where;
    if (!params || typeof params !== 'object' || Array.isArray(params))
      fail(`module_defaults: ${name} needs a mapping of parameters`, at);
    if (name.startsWith('group/')) {
      const members = actionGroup(name);
      // a short name is ansible.builtin's, which has no group a task can use (ansible-core's _resolve_group)
      const full = name.slice(6).split('.').length === 3 ? name.slice(6) : `ansible.builtin.${name.slice(6)}`;
      if (!members)
        fail(
          `module_defaults: could not resolve the action group ${full} (no installed collection has it)`,
          at,
        );
      const keys = members!.map((m) => findModule(m)?.name ?? installedKey(m));
      groupMembers.set(name, new Set(keys.filter((k) => k !== undefined)));
      out.set(name, params as Record<string, unknown>);
      continue;
    }
    const key = findModule(name)?.name ?? installedKey(name);
    if (!key) fail(`module_defaults: unknown module "${name}"`, at);
    // two names of one module in one mapping (file, ansible.builtin.file): both apply
    out.set(key!, { ...out.get(key!), ...(params as Record<string, unknown>) });
  }
  return out;
}

/**
 * A task's parameters with the defaults that name its module, its groups' first, then its own
 * (ansible-core's get_action_args_with_defaults): merged under the task's own; for a module run
 * from the installed ansible-core or a collection, under its arguments.
 */
export function withDefaults(
  module: string,
  params: Record<string, unknown>,
  defaults: ReadonlyMap<string, Record<string, unknown>> | undefined,
): Record<string, unknown> {
  if (!defaults?.size) return params;
  const fqcn = module === 'library_module' || module === 'ansible_action' ? params.fqcn : undefined;
  const key = typeof fqcn === 'string' ? installedDefaultsKey(fqcn) : module;
  let given: Record<string, unknown> | undefined;
  for (const [name, values] of defaults)
    if (name.startsWith('group/') && groupMembers.get(name)?.has(key)) given = { ...given, ...values };
  const own = defaults.get(key);
  if (own) given = { ...given, ...own };
  if (!given) return params;
  return typeof fqcn === 'string'
    ? { ...params, args: { ...given, ...(params.args as Record<string, unknown>) } }
    : { ...given, ...params };
}
