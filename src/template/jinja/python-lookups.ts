/**
 * Lookup plugins written in Python that quorum has none of: a role's or the playbook's
 * `lookup_plugins/`, ansible.cfg's lookup_plugins folders, an installed collection's
 * `plugins/lookup/` (by full name), and ansible-core's own that quorum lacks (`config`). They run
 * as ansible-core runs them: found and loaded by ansible-core's own plugin loader in the Python of
 * the installed ansible-core, `run(terms, variables, **kwargs)` with the host's variables, the
 * answer as JSON. A short name in a lookup_plugins folder goes over quorum's lookup of that name,
 * as ansible-core looks in those folders first.
 *
 * One Python start per call not answered before: an answer is kept with the variables the plugin
 * read (by name) and serves a later call of the same terms whose variables of those names are the
 * same (another host, another render of the task); a plugin that walks all variables is asked
 * again each time.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ansibleInstall } from '../../modules/library/module-utils.ts';
import { ControllerStateError, FilterError } from './filter-error.ts';
import { PY_PLAIN, PY_TRUSTED, pluginCollectionRoots, runPythonHelper } from './python-helper.ts';

const HELPER = String.raw`
import json, os, sys
${PY_PLAIN}
req = json.load(sys.stdin)
sys.path[:0] = req['paths']
os.environ['ANSIBLE_COLLECTIONS_PATH'] = os.pathsep.join(req['collections'])
# a plugin's display output must not mix with the answer
answer, sys.stdout = sys.stdout, sys.stderr
def reply(v):
    answer.write(json.dumps(v))
${PY_TRUSTED}
try:
    from ansible import constants as C
    from ansible.plugins.loader import lookup_loader
    try:
        from ansible.plugins.loader import init_plugin_loader
        init_plugin_loader()
    except ImportError:
        pass  # ansible-core before 2.15 sets its collection loader up on import
    for d in req['dirs']:
        lookup_loader.add_directory(d)
    if req['op'] == 'find':
        out = {}
        for name in req['names']:
            ctx = lookup_loader.find_plugin_with_context(name)
            if not ctx.resolved:
                continue
            try:
                lookup_loader.get(name, class_only=True)
                options = sorted(C.config.get_configuration_definitions('lookup', ctx.plugin_resolved_name) or {})
            except Exception:
                options = []  # loading fails where it runs, as in ansible-core
            out[name] = {'resolved': ctx.plugin_resolved_name, 'options': options}
        reply({'ok': out})
    else:
        from ansible.parsing.dataloader import DataLoader
        from ansible.template import Templar
        class Recorded(dict):
            """The variables, noting which the plugin reads: the answer serves others that agree on them."""
            read, every = set(), False
            def __getitem__(self, k):
                Recorded.read.add(k)
                return dict.__getitem__(self, k)
            def get(self, k, default=None):
                Recorded.read.add(k)
                return dict.get(self, k, default)
            def __contains__(self, k):
                Recorded.read.add(k)
                return dict.__contains__(self, k)
            def __bool__(self):
                # \`variables and ...\` (ansible-core's config manager): never empty, a host has its magic variables
                return dict.__len__(self) > 0
        def whole(f):
            # a read of every variable: the answer may depend on any of them
            def walk(self, *a, **kw):
                Recorded.every = True
                return f(self, *a, **kw)
            return walk
        for m in ('__iter__', 'keys', 'items', 'values', 'copy', '__len__', '__repr__', '__eq__', '__or__', '__ror__'):
            setattr(Recorded, m, whole(getattr(dict, m)))
        loader = DataLoader()
        loader.set_basedir(req['basedir'])
        variables = Recorded(trusted(req['variables']))
        templar = Templar(loader, variables=variables)
        plugin = lookup_loader.get(req['name'], loader=loader, templar=templar)
        if plugin is None:
            raise KeyError('The lookup plugin %r was not found.' % req['name'])
        try:
            got = plugin.run(req['terms'], variables=variables, **req['kwargs'])
            if not isinstance(got, (list, tuple)):
                raise TypeError('returned %s instead of %s' % (type(got), list))
            got = plain(got)
        except Exception as e:
            raise RuntimeError('The lookup plugin %r failed: %s' % (req['name'], e if str(e) else type(e).__name__))
        reply({'ok': {'values': got, 'read': None if Recorded.every else sorted(str(k) for k in Recorded.read)}})
except Exception as e:
    reply({'error': str(e) if str(e) else type(e).__name__})
`;

const dirs: string[] = [];
/** Short names of the files in those folders: they go over quorum's own lookups. */
const shortNames = new Set<string>();

/** A role's or the playbook's lookup_plugins/ (or a configured folder), in the order ansible-core adds them. */
export function addLookupPluginDir(dir: string): void {
  const key = resolve(dir);
  if (dirs.includes(key) || !existsSync(key)) return;
  dirs.push(key);
  for (const f of readdirSync(key))
    if (f.endsWith('.py') && !f.startsWith('_')) shortNames.add(f.slice(0, -3));
  found.clear();
}

export interface Found {
  resolved: string;
  options: string[];
}
const found = new Map<string, Found | null>();

const request = (op: string, fields: Record<string, unknown>) =>
  runPythonHelper(
    HELPER,
    {
      op,
      kind: 'lookup',
      dirs,
      collections: pluginCollectionRoots().map((r) => resolve(r, '..')),
      ...fields,
    },
    'a Python lookup plugin',
  );

/**
 * The Python lookup plugin a template's name reaches, if it goes to one: a short name of a
 * lookup_plugins folder always; another name only where quorum has no lookup of it (`has`) and
 * ansible-core's loader finds one. Asked once per name.
 */
export function pythonLookup(name: string, has: (name: string) => boolean): Found | undefined {
  if (!shortNames.has(name) && has(name)) return undefined;
  if (!found.has(name)) {
    if (ansibleInstall() instanceof Error) return undefined;
    let answer: Record<string, Found> = {};
    try {
      answer = request('find', { names: [name] }) as Record<string, Found>;
    } catch {
      // an ansible-core whose loader does not start here: no plugin found, the name refused as unknown
    }
    found.set(name, answer[name] ?? null);
  }
  return found.get(name) ?? undefined;
}

interface Kept {
  read: string[];
  values: string;
  answer: unknown[];
}
const kept = new Map<string, Kept[]>();
const MAX_KEPT = 10_000;

const ABSENT = { quorumAbsent: true };
const jsonOf = (v: unknown) =>
  JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : typeof x === 'function' ? undefined : x));
const valuesOf = (read: string[], vars: Record<string, unknown>) =>
  jsonOf(read.map((k) => (Object.hasOwn(vars, k) ? vars[k] : ABSENT)));

/** The plugin's list for these terms and keyword arguments, with these variables. */
export function callPythonLookup(
  name: string,
  terms: unknown[],
  kwargs: Record<string, unknown>,
  vars: Record<string, unknown>,
): unknown[] {
  const key = jsonOf([name, terms, kwargs]);
  const earlier = kept.get(key) ?? [];
  for (const k of earlier) if (k.values === valuesOf(k.read, vars)) return k.answer;
  const basedir = typeof vars.playbook_dir === 'string' ? vars.playbook_dir : process.cwd();
  let out: { values: unknown[]; read: string[] | null };
  try {
    out = request('run', { name, terms, kwargs, basedir, variables: JSON.parse(jsonOf(vars)) }) as typeof out;
  } catch (e) {
    // the plugin's own failure: it may read anything on the controller (a file an earlier task
    // writes, a service), so validate warns and the task fails where it runs, as in ansible-core
    if (e instanceof FilterError && !(e instanceof ControllerStateError))
      throw new ControllerStateError(e.message);
    throw e;
  }
  if (out.read) {
    if (kept.size >= MAX_KEPT) kept.clear();
    kept.set(key, [...earlier, { read: out.read, values: valuesOf(out.read, vars), answer: out.values }]);
  }
  return out.values;
}
