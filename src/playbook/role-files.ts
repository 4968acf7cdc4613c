/**
 * Where an Ansible role's parts are: its folder in the roles path (or an installed
 * collection's), its tasks/handlers/meta files and its defaults and vars (files or `main/`
 * folders), as ansible-core's Role finds them.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { sysPathCollections } from '../modules/library/module-utils.ts';
import { loadVarsFile } from './vars-file.ts';

const EXTENSIONS = ['.yml', '.yaml', '.json'];
const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/**
 * A role's files as ansible-core's Role._load_role_yaml finds them in `dir`: `main.yml`,
 * `main.yaml`, `main.json`, then `main` itself (a named file, `tasks_from: x`, is tried bare
 * first); the first that exists wins. With `allowDir` (vars and defaults), a folder `main/`
 * stands for every file in it, sorted, recursing into folders without an extension.
 */
export function roleFiles(dir: string, name = 'main', allowDir = false): string[] {
  const extensions = name === 'main' ? [...EXTENSIONS, ''] : ['', ...EXTENSIONS];
  for (const ext of extensions) {
    const f = join(dir, name + ext);
    if (!existsSync(f)) continue;
    if (!isDir(f)) return [f];
    if (allowDir) return varsFilesIn(f);
  }
  return [];
}

/** DataLoader._get_dir_vars_files: hidden files and backups (`~`) skipped. */
function varsFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .filter((n) => !n.startsWith('.') && !n.endsWith('~'))
    .flatMap((n) => {
      const full = join(dir, n);
      const ext = extname(n);
      if (isDir(full)) return ext ? [] : varsFilesIn(full);
      return !ext || EXTENSIONS.includes(ext) ? [full] : [];
    });
}

export const yamlFile = (dir: string, name = 'main'): string | undefined => roleFiles(dir, name)[0];

/** An Ansible role's defaults and vars: `main.yml`, or every file of a `main/` folder, merged. */
export function ansibleRoleVars(
  dir: string,
  from: { defaults?: string; vars?: string; location?: SourceLocation } = {},
): {
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
} {
  const read = (sub: 'defaults' | 'vars') => {
    const files = roleFiles(join(dir, sub), from[sub] ?? 'main', true);
    // defaults_from / vars_from name a file the role must have (Ansible: "Could not find specified file")
    if (from[sub] !== undefined && files.length === 0)
      throw new InputError(
        'ROLE_UNKNOWN',
        `Could not find specified file in role: ${sub}/${from[sub]}`,
        from.location,
      );
    return Object.assign({}, ...files.map((f) => loadVarsFile(f) ?? {}));
  };
  return { defaults: read('defaults'), vars: read('vars') };
}

/** Folders that make a folder of the roles path an Ansible role (it may have only vars/ or defaults/). */
const ROLE_PARTS = ['tasks', 'handlers', 'defaults', 'vars', 'meta', 'files', 'templates'];

/** A collection's role by its full name: namespace, collection, role. */
const FQCN_ROLE = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.(\w[\w-]*)$/;

/**
 * The folder of role `name` if the first one in the path is in Ansible's layout; a full name
 * (`prometheus.prometheus.node_exporter`) is also looked for in the installed collections.
 */
export function ansibleRoleDir(
  name: string,
  searchPath: string[],
  collections: string[] = [],
  searchList: string[] = [],
): string | undefined {
  return findAnsibleRole(name, searchPath, collections, searchList)?.dir;
}

/**
 * Role `name` as ansible-core's RoleDefinition finds it: a short name in each collection of the
 * search list first (the including role's own collection and its meta `collections`, or the
 * play's `collections` keyword), then in the roles path; its full name where a collection has it.
 */
export function findAnsibleRole(
  name: string,
  searchPath: string[],
  collections: string[] = [],
  searchList: string[] = [],
): { dir: string; name: string } | undefined {
  if (!FQCN_ROLE.test(name) && !isAbsolute(name))
    for (const c of searchList) {
      // ansible.builtin and ansible.legacy hold no roles (and asking sys.path starts Python)
      if (c === 'ansible.builtin' || c === 'ansible.legacy') continue;
      const full = `${c}.${name}`;
      const dir = collectionRoleDir(full, collections);
      if (dir) return { dir, name: full };
    }
  // a path (`role: "{{ playbook_dir }}"`, `role: ../x`): ansible-core takes the folder itself
  const candidates = isAbsolute(name) ? [name] : searchPath.map((base) => join(base, name));
  for (const dir of candidates) {
    if (!existsSync(dir)) continue;
    if (existsSync(join(dir, 'index.ts'))) return undefined;
    if (ROLE_PARTS.some((p) => isDir(join(dir, p)))) return { dir, name };
  }
  const dir = collectionRoleDir(name, collections);
  return dir ? { dir, name } : undefined;
}

/** A role of an installed collection by its full name: the given roots, then sys.path's. */
function collectionRoleDir(name: string, collections: string[]): string | undefined {
  const fq = FQCN_ROLE.exec(name);
  if (!fq) return undefined;
  // then sys.path, as ansible-core's collection loader (asked only now: it starts Python)
  for (const roots of [() => collections, sysPathCollections])
    for (const root of roots()) {
      const dir = join(root, fq[1], fq[2], 'roles', fq[3]);
      if (ROLE_PARTS.some((p) => isDir(join(dir, p)))) return dir;
    }
  return undefined;
}

/** role_name: a collection's role by its own name (ansible_role_name keeps the full one). */
export const shortName = (name: string) => FQCN_ROLE.exec(name)?.[3] ?? name;
/** ansible_collection_name: the role's collection, None for a role of the roles path. */
export const collectionOf = (name: string) => {
  const fq = FQCN_ROLE.exec(name);
  return fq ? `${fq[1]}.${fq[2]}` : null;
};
