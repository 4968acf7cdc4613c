/**
 * A task naming a module of the content's own: a key that is neither a task keyword nor a
 * built-in module, found in a `library/` folder ansible-core would search (the role's, the roles
 * around it, the playbook's). The task becomes a `library_module` task with the module's path and
 * its arguments in every form Ansible takes them (a mapping, key=value words, `args:`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { findLibraryModule } from '../modules/library/find.ts';
import { findInstalledModule, type InstalledModule } from '../modules/library/installed.ts';
import { findModule } from '../modules/registry.ts';
import { copyLocations, entryLocation } from '../yaml/load.ts';
import { splitKeyValues } from './free-form.ts';
import { isLoopKey } from './loops.ts';
import { collectionRoots, configuredPluginDirs } from './role-path.ts';
import { TASK_KEYWORDS } from './schema.ts';

export interface LibraryDirs {
  /** library/ folders, searched in order. */
  modules: string[];
  /** module_utils/ folders of the same places. */
  moduleUtils: string[];
  /** ansible_collections folders (the playbook's collections/, the configured ones). */
  collections: string[];
  /** The collections a short name is looked for in first (`collections:` of the play, a role's own). */
  searchList: string[];
  /** action_plugins/ folders of the same places, then ansible.cfg's. */
  actions: string[];
}

/** A short name as one of the listed collections' modules, in their order (ansible-core's collection search list). */
function shortNameModule(key: string, dirs: LibraryDirs): InstalledModule | undefined {
  if (key.includes('.')) return undefined;
  for (const c of dirs.searchList) {
    if (c === 'ansible.builtin' || c === 'ansible.legacy' || !/^\w+\.\w+$/.test(c)) continue;
    const hit = findInstalledModule(`${c}.${key}`, dirs.collections);
    if (hit) return hit;
  }
  return undefined;
}

const KEYWORDS = new Set<string>(TASK_KEYWORDS);

export function libraryTask(
  task: Record<string, unknown>,
  libraryDirs: (() => LibraryDirs) | undefined,
  where: SourceLocation,
): Record<string, unknown> {
  if (!libraryDirs) return task;
  const unknown = Object.keys(task).filter((k) => !KEYWORDS.has(k) && !isLoopKey(k) && !findModule(k));
  if (unknown.length !== 1) return task;
  const key = unknown[0];
  const dirs = libraryDirs();
  const at = entryLocation(task, key) ?? where;
  const own = key.startsWith('ansible.legacy.') ? key.slice('ansible.legacy.'.length) : key;
  const path = findLibraryModule(own, dirs.modules);
  // an action plugin of the content's own goes first, as ansible-core's action loader finds it
  const ownAction = /^\w+$/.test(own) && dirs.actions.some((d) => existsSync(join(d, `${own}.py`)));
  let found: InstalledModule | undefined;
  try {
    found = ownAction
      ? { path: path ?? '', name: own, fqcn: own, action: true }
      : path
        ? { path, name: own, fqcn: own }
        : (shortNameModule(key, dirs) ?? findInstalledModule(key, dirs.collections));
  } catch (e) {
    throw new InputError('TASK', (e as Error).message, at);
  }
  if (!found) return task;
  const raw = task[key];
  let args: Record<string, unknown>;
  if (raw === null || raw === undefined) args = {};
  else if (typeof raw === 'string') args = splitKeyValues(raw) ?? { _raw_params: raw };
  else if (typeof raw === 'object' && !Array.isArray(raw)) args = raw as Record<string, unknown>;
  else throw new InputError('TASK', `arguments of "${key}" must be a mapping or key=value words`, at);
  if (task.args !== undefined && (typeof task.args !== 'object' || Array.isArray(task.args)))
    throw new InputError('TASK', 'args must be a mapping', entryLocation(task, 'args') ?? at);
  const { [key]: _, args: extra, ...rest } = task;
  const shared = {
    fqcn: found.fqcn,
    collections: dirs.collections,
    args: { ...((extra as object) ?? {}), ...args },
  };
  const [form, params] = found.action
    ? // ansible-core finds the action and its module again by the name the task gives
      [
        'ansible_action',
        { ...shared, name: found.fqcn === own ? key : found.fqcn, action_dirs: dirs.actions },
      ]
    : [
        'library_module',
        {
          ...shared,
          name: found.name,
          path: found.path,
          ...(found.package ? { package: found.package } : {}),
          module_utils: dirs.moduleUtils,
        },
      ];
  copyLocations(args, params.args);
  const out = { name: key, ...rest, [form]: params };
  copyLocations(task, out, { [form]: key });
  return out;
}

/**
 * Where a task's own modules are looked for: its role's folder, the roles' that include it, the
 * play's; then the collections ansible-core would search. Asked only for a task whose module
 * quorum does not have.
 */
export function libraryDirsOf(scope: {
  role?: { dir: string; parentDirs?: string[] };
  playDir?: string;
  collections?: string[];
}): LibraryDirs {
  const bases = [scope.role?.dir, ...(scope.role?.parentDirs ?? []), scope.playDir].filter(
    (d): d is string => d !== undefined,
  );
  const unique = [...new Set(bases)];
  // ansible-core's plugin loader: the folders roles and the playbook add, then the configured ones
  return {
    modules: [
      ...unique.map((d) => join(d, 'library')),
      ...configuredPluginDirs('DEFAULT_MODULE_PATH', 'modules'),
    ],
    moduleUtils: [
      ...unique.map((d) => join(d, 'module_utils')).filter((d) => existsSync(d)),
      ...configuredPluginDirs('DEFAULT_MODULE_UTILS_PATH', 'module_utils'),
    ],
    collections: collectionRoots(scope.playDir),
    searchList: scope.collections ?? [],
    actions: [
      ...unique.map((d) => join(d, 'action_plugins')).filter((d) => existsSync(d)),
      ...configuredPluginDirs('DEFAULT_ACTION_PLUGIN_PATH', 'action'),
    ],
  };
}
