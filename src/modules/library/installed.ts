/**
 * A module quorum does not have, found where ansible-core would find it on this machine: one of
 * ansible-core's own (ansible/modules/NAME.py) or one of an installed collection's
 * (ansible_collections/NS/COLL/plugins/modules/NAME.py, the collection's meta/runtime.yml
 * redirects followed, a removed one refused with its words). A module ansible-core runs through
 * an action plugin of the same name (code on the controller around the module) is marked so: it
 * runs through ansible-core's action (action-bridge.ts), not as a module alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ansibleInstall, sysPathCollections } from './module-utils.ts';

export interface InstalledModule {
  path: string;
  name: string;
  fqcn: string;
  /** A collection's module: its package, where its relative imports start. */
  package?: string[];
  /** ansible-core runs it through an action plugin of its name. */
  action?: true;
}

const routingFiles = new Map<string, Record<string, unknown> | undefined>();

/** A module's entry in a runtime.yml's plugin_routing (read once per file). */
function routingIn(file: string, name: string): Record<string, unknown> | undefined {
  if (!routingFiles.has(file)) {
    let modules: Record<string, unknown> | undefined;
    try {
      const meta = existsSync(file)
        ? (parse(readFileSync(file, 'utf8')) as { plugin_routing?: { modules?: Record<string, unknown> } })
        : undefined;
      modules = meta?.plugin_routing?.modules;
    } catch {
      modules = undefined;
    }
    routingFiles.set(file, modules);
  }
  const entry = routingFiles.get(file)?.[name];
  return entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : undefined;
}

const routing = (collection: string, name: string) =>
  routingIn(join(collection, 'meta', 'runtime.yml'), name);

const hasActionPlugin = (actions: string, name: string) => existsSync(join(actions, `${name}.py`));

/** `collections`: the ansible_collections folders searched (the playbook's, the configured ones). */
export function findInstalledModule(
  key: string,
  collections: string[],
  hops = 0,
): InstalledModule | undefined {
  const install = ansibleInstall();
  if (install instanceof Error || hops > 5) return undefined;
  const parts = key.split('.');
  const builtin =
    parts.length === 1 ||
    (parts.length === 3 && parts[0] === 'ansible' && ['builtin', 'legacy'].includes(parts[1]));
  if (builtin) {
    const name = parts.at(-1)!;
    const path = join(install.root, 'ansible', 'modules', `${name}.py`);
    if (!/^\w+$/.test(name)) return undefined;
    if (!existsSync(path)) {
      // a module that left ansible-core for a collection (`zypper`: community.general.zypper)
      const moved = routingIn(join(install.root, 'ansible', 'config', 'ansible_builtin_runtime.yml'), name);
      return typeof moved?.redirect === 'string'
        ? findInstalledModule(moved.redirect, collections, hops + 1)
        : undefined;
    }
    const action = hasActionPlugin(join(install.root, 'ansible', 'plugins', 'action'), name);
    return { path, name, fqcn: `ansible.builtin.${name}`, ...(action ? { action } : {}) };
  }
  if (parts.length !== 3 || !parts.every((p) => /^\w+$/.test(p))) return undefined;
  const [ns, coll, name] = parts;
  // the first folder holding the collection is the one ansible-core loads
  const dir = [...collections, ...sysPathCollections()]
    .map((c) => join(c, ns, coll))
    .find((c) => existsSync(c));
  if (!dir) return undefined;
  const route = routing(dir, name);
  if (route?.tombstone) {
    const why = (route.tombstone as { warning_text?: string }).warning_text;
    throw new Error(`${key} was removed from ${ns}.${coll}${why ? `: ${why}` : ''}`);
  }
  if (typeof route?.redirect === 'string') return findInstalledModule(route.redirect, collections, hops + 1);
  const path = join(dir, 'plugins', 'modules', `${name}.py`);
  // an action plugin may stand alone, its module file only its documentation
  const action = hasActionPlugin(join(dir, 'plugins', 'action'), name);
  if (!existsSync(path) && !action) return undefined;
  const pkg = ['ansible_collections', ns, coll, 'plugins', 'modules'];
  return { path, name, fqcn: key, package: pkg, ...(action ? { action } : {}) };
}
