/**
 * Filter plugins written in Python that quorum has no filter for: a role's or the playbook's
 * `filter_plugins/`, ansible.cfg's filter_plugins folders, and an installed collection's
 * `plugins/filter/` (named in full, `ns.coll.name`). They run as ansible-core runs them, in the
 * Python of the installed ansible-core (module-utils.ts finds it): a FilterModule's filters(),
 * called with the value and arguments as JSON and answering JSON. One Python start per call not
 * answered before (a call with the same value and arguments is answered from memory: filters are
 * functions of their arguments). A plugin's short name goes over quorum's filter of that name, as
 * in ansible-core.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ansibleInstall, sysPathCollections } from '../../modules/library/module-utils.ts';
import {
  PY_PLAIN,
  pluginCollectionRoots,
  runPythonHelper,
  setPluginCollectionRoots,
} from './python-helper.ts';
import { addLookupPluginDir } from './python-lookups.ts';

const HELPER = String.raw`
import importlib.util, inspect, json, os, sys
${PY_PLAIN}
req = json.load(sys.stdin)
sys.path[:0] = req['paths']
def load(path, n):
    spec = importlib.util.spec_from_file_location('quorum_plugin_%d' % n, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.TestModule().tests() if req['kind'] == 'test' else mod.FilterModule().filters()
try:
    if req['op'] == 'names':
        out = {}
        for n, path in enumerate(req['files']):
            try:
                out[path] = sorted(load(path, n))
            except Exception as e:
                out[path] = {'error': '%s: %s' % (type(e).__name__, e)}
        print(json.dumps({'ok': out}))
    else:
        f = load(req['file'], 0)[req['name']]
        args = list(req['args'])
        kwargs = {}
        try:
            params = list(inspect.signature(f).parameters.values())[1:]
            anything = any(p.kind == p.VAR_KEYWORD for p in params)
        except (TypeError, ValueError):
            # a builtin without a signature (itertools.zip_longest): it says nothing, so any names
            params, anything = [], True
        named = [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        # the engine hands keyword arguments over as a last dict: of the filter's parameter names,
        # or any names where it takes **kwargs
        if args and isinstance(args[-1], dict) and args[-1] and (anything or all(k in named for k in args[-1])):
            kwargs = args.pop()
        print(json.dumps({'ok': plain(f(req['value'], *args, **kwargs))}))
except Exception as e:
    print(json.dumps({'error': '%s: %s' % (type(e).__name__, e) if not str(e) else str(e)}))
`;

export type PluginKind = 'filter' | 'test';

export interface PluginFilter {
  kind: PluginKind;
  file: string;
  /** The name the filter function has in its FilterModule. */
  name: string;
  /** The name the template engine knows it by (an FQCN's is mangled: the engine takes no dots). */
  engineName: string;
}

/** By kind and the name a template writes (`filter:to_upper`, `test:acme.tools.even`). */
const filters = new Map<string, PluginFilter>();
/** The same, by the name the engine knows them by. */
const byEngineName = new Map<string, PluginFilter>();
const scannedDirs = new Set<string>();
const collectionsTried = new Set<string>();
let version = 0;

const python = (request: Record<string, unknown>) =>
  runPythonHelper(HELPER, request, 'a Python filter plugin');

const pyFiles = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.py') && !f.startsWith('_'))
        .sort()
        .map((f) => join(dir, f))
    : [];

/** The filters of every plugin file in `files`, each under `prefix` + its name; those named twice: the first file's. */
function learn(kind: PluginKind, files: string[], prefix: string, keep: (name: string) => boolean): void {
  if (!files.length || ansibleInstall() instanceof Error) return;
  const names = python({ op: 'names', kind, files }) as Record<string, string[] | { error: string }>;
  for (const file of files) {
    const got = names[file];
    if (!Array.isArray(got)) continue;
    for (const name of got) {
      const full = prefix + name;
      if (filters.has(`${kind}:${full}`) || !keep(full)) continue;
      const engineName = full.includes('.') ? `__quorum_py${kind}_${full.replaceAll('.', '__')}` : full;
      const plugin: PluginFilter = { kind, file, name, engineName };
      filters.set(`${kind}:${full}`, plugin);
      byEngineName.set(`${kind}:${engineName}`, plugin);
      version++;
    }
  }
}

/**
 * A role's or a playbook's filter_plugins/ (or a configured folder): its filters by their short
 * names, over quorum's of the same name (ansible-core's short names look in these folders first).
 */
export function addFilterPluginDir(dir: string, kind: PluginKind = 'filter'): void {
  const key = resolve(dir);
  if (scannedDirs.has(key)) return;
  scannedDirs.add(key);
  learn(kind, pyFiles(key), '', () => true);
}

/** A role's or a playbook's folder: its lookup_plugins/, filter_plugins/ and test_plugins/. */
export function addPluginDirsOf(base: string): void {
  addLookupPluginDir(join(base, 'lookup_plugins'));
  addFilterPluginDir(join(base, 'filter_plugins'));
  addFilterPluginDir(join(base, 'test_plugins'), 'test');
}

/** The ansible_collections folders an FQCN filter is looked for in (the playbook's, the configured ones). */
export const setFilterCollectionRoots = setPluginCollectionRoots;

/** `ns.coll.name`: the installed collection's filter, if it has one (its plugins/filter/ read once). */
export function collectionFilter(fqcn: string, kind: PluginKind = 'filter'): PluginFilter | undefined {
  const known = filters.get(`${kind}:${fqcn}`);
  if (known) return known;
  const parts = fqcn.split('.');
  if (parts.length !== 3) return undefined;
  const collection = `${parts[0]}.${parts[1]}`;
  if (!collectionsTried.has(`${kind}:${collection}`)) {
    collectionsTried.add(`${kind}:${collection}`);
    const roots = [...pluginCollectionRoots(), ...sysPathCollections()];
    const dir = roots.map((r) => join(r, parts[0], parts[1])).find((d) => existsSync(d));
    if (dir) learn(kind, pyFiles(join(dir, 'plugins', kind)), `${collection}.`, () => true);
  }
  return filters.get(`${kind}:${fqcn}`);
}

/** ansible-core's own filters quorum has in its own way (vault-filters.ts): never through Python. */
const CORE_NOT_CARRIED = new Set(['vault', 'unvault']);
let coreTried = false;

/**
 * A short name quorum has no filter for, as ansible-core's own filter (its plugins/filter/ of the
 * installed ansible-core, read once when such a name is first met): `zip_longest`, `log` ...
 */
export function coreFilter(name: string, quorumHas: (n: string) => boolean): PluginFilter | undefined {
  if (!coreTried && !CORE_NOT_CARRIED.has(name)) {
    coreTried = true;
    const found = ansibleInstall();
    if (!(found instanceof Error))
      learn(
        'filter',
        pyFiles(join(found.root, 'ansible', 'plugins', 'filter')),
        '',
        (n) => !quorumHas(n) && !CORE_NOT_CARRIED.has(n),
      );
  }
  return filters.get(`filter:${name}`);
}

export const pluginFilter = (name: string, kind: PluginKind = 'filter'): PluginFilter | undefined =>
  filters.get(`${kind}:${name}`);
export const pluginByEngineName = (name: string, kind: PluginKind = 'filter'): PluginFilter | undefined =>
  byEngineName.get(`${kind}:${name}`);
export const isPluginEngineName = (name: string, kind: PluginKind) =>
  name.startsWith('__quorum_py') && byEngineName.has(`${kind}:${name}`);
export const pluginFilterVersion = () => version;
export const pluginFilters = () => [...filters.values()];

const answers = new Map<string, unknown>();

export function callPluginFilter(f: PluginFilter, value: unknown, args: unknown[]): unknown {
  const key = JSON.stringify([f.kind, f.file, f.name, value, args]);
  if (answers.has(key)) return answers.get(key);
  const out = python({ op: 'call', kind: f.kind, file: f.file, name: f.name, value, args });
  if (answers.size > 10_000) answers.clear();
  answers.set(key, out);
  return out;
}
