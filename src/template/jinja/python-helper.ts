/**
 * A call of a plugin of the content's own (filter, test, lookup) in the Python of the installed
 * ansible-core (module-utils.ts finds it), run by the run's one Python process (python-server.ts):
 * a request as JSON on the helper's stdin, one JSON answer on its stdout ({ok} or {error}).
 */
import { resolve } from 'node:path';
import { ansibleInstall, ansiblePython } from '../../modules/library/module-utils.ts';
import { FilterError } from './filter-error.ts';
import { runInServer } from './python-server.ts';

/**
 * Python's side of a value coming back (the request's `kind` names the plugin): plain data as JSON carries it. A whole float is refused
 * (the engine keeps none: 2.0 would print as 2), as is anything JSON has no form for.
 */
export const PY_PLAIN = String.raw`
from collections.abc import Iterator
def plain(v):
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset)) or isinstance(v, Iterator):
        return [plain(x) for x in v]
    if isinstance(v, float) and v.is_integer():
        raise TypeError('the %s returned the float %r, which quorum would print as %d (a whole float is not carried)' % (req['kind'], v, v))
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    raise TypeError('the %s returned a %s, which quorum cannot carry' % (req['kind'], type(v).__name__))
`;

/**
 * Python's \`trusted(value)\`: the host's variables, which come from the content's own files,
 * trusted as templates as ansible-core 2.19 trusts them (before 2.19 every string is one).
 */
export const PY_TRUSTED = String.raw`
try:
    from ansible.template import trust_as_template
except ImportError:
    trust_as_template = lambda v: v
def trusted(v):
    if isinstance(v, str):
        return trust_as_template(v)
    if isinstance(v, dict):
        return {k: trusted(x) for k, x in v.items()}
    if isinstance(v, list):
        return [trusted(x) for x in v]
    return v
`;

/** The ansible_collections folders the plugins' collections are found in (the playbook's, the configured ones). */
let collectionRoots: string[] = [];
export const setPluginCollectionRoots = (roots: string[]) => {
  collectionRoots = roots;
};
export const pluginCollectionRoots = () => collectionRoots;

/** `what` names the plugin kind in the error when no ansible-core is installed. */
export function runPythonHelper(helper: string, request: Record<string, unknown>, what: string): unknown {
  const found = ansibleInstall();
  if (found instanceof Error) throw new FilterError(found.message.replace('a Python module', what));
  const paths = [found.root, ...collectionRoots.map((r) => resolve(r, '..'))];
  const r = runInServer(ansiblePython(), helper, JSON.stringify({ ...request, paths }), 120_000);
  if ('timeout' in r) throw new FilterError(`${what} did not answer in 120 s`);
  let answer: { ok?: unknown; error?: string };
  try {
    if (!('text' in r)) throw new Error();
    answer = JSON.parse(r.text);
  } catch {
    const why =
      'stderr' in r ? r.stderr.trim().split('\n').at(-1) || `Python exited (${r.exit})` : 'no answer';
    throw new FilterError(`${what} could not run: ${why}`);
  }
  if (answer.error !== undefined) throw new FilterError(answer.error);
  return answer.ok;
}
