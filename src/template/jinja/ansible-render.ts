/**
 * A template file quorum's engine cannot run, rendered by the installed ansible-core's own
 * templar: one that changes a list or dict in place in a shape mutations.ts does not rewrite (a
 * list handed to a macro that appends to it, `.pop()`, a dict's `.update()` inside nested loops:
 * debops' templates build their values so). The engine's values are immutable; Jinja2's are
 * not, and ansible-core's templar is Jinja2 with Ansible's rules, so its text is Ansible's by
 * construction. It runs in the run's Python process (python-server.ts), with the template's
 * search path (its includes and imports) and the variables the template and the files it
 * includes name, rendered first as quorum renders a variable's template.
 *
 * What stays quorum's: a value known only after apply makes the text one too (a prediction);
 * a secret the template reads makes its text one; without an installed ansible-core the
 * template is refused before the run, as before (check.ts).
 */
import { deriveSecret, isSecretValue } from '../secret-taint.ts';
import { containsUnknown, isUnknown, UNKNOWN_SENTINEL } from '../unknown.ts';
import { isUnsafe } from '../unsafe.ts';
import { hasInPlaceCall } from './mutations.ts';
import { PY_PLAIN, runPythonHelper } from './python-helper.ts';
import { isPathHead } from './rewrite.ts';
import { type Block, ScanError, scan } from './scan.ts';
import { filesNamed, type TemplateLoader } from './template-imports.ts';
import { magicVars, renderVarValue, withTemplatedValues } from './templated-values.ts';

const HELPER = String.raw`
import json, sys
${PY_PLAIN}
req = json.load(sys.stdin)
sys.path[:0] = req['paths']
try:
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar
    try:
        from ansible.template import trust_as_template
        current = True
    except ImportError:
        from ansible.utils.unsafe_proxy import AnsibleUnsafeText
        current = False
    try:
        from ansible.plugins.loader import init_plugin_loader
        init_plugin_loader()
    except ImportError:
        pass  # ansible-core before 2.15 sets its collection loader up on import
    def revive(v):
        # the content's own strings are templates (trusted); a !unsafe one or a registered
        # result never is; quorum hands variables already rendered where it rendered them
        if isinstance(v, dict):
            if len(v) == 1 and '__ansible_unsafe' in v:
                return v['__ansible_unsafe'] if current else AnsibleUnsafeText(v['__ansible_unsafe'])
            return {k: revive(x) for k, x in v.items()}
        if isinstance(v, list):
            return [revive(x) for x in v]
        if isinstance(v, str) and current:
            return trust_as_template(v)
        return v
    loader = DataLoader()
    loader.set_basedir(req['basedir'])
    variables = revive(req['variables'])
    templar = Templar(loader, variables=variables)
    options = req['options']
    if current:
        t = templar.copy_with_new_env(searchpath=req['searchpath'], available_variables=variables)
        out = t.template(trust_as_template(req['text']), escape_backslashes=False, overrides=options)
    else:
        from ansible.template import AnsibleEnvironment
        t = templar.copy_with_new_env(environment_class=AnsibleEnvironment, searchpath=req['searchpath'], available_variables=variables, **options)
        out = t.do_template(req['text'], preserve_trailing_newlines=True, escape_backslashes=False)
    print(json.dumps({'ok': '' if out is None else str(out)}))
except Exception as e:
    print(json.dumps({'error': str(e) if str(e) else type(e).__name__}))
`;

function blocksOf(text: string): Block[] | undefined {
  try {
    return scan(text, false);
  } catch (e) {
    if (e instanceof ScanError) return undefined;
    throw e;
  }
}

/** The files `source` includes or imports, and theirs (a name built by an expression names none). */
const filesOf = (source: string, load: TemplateLoader) =>
  filesNamed(blocksOf(source) ?? [], load, blocksOf, false);

/** Whether the template, or a file it includes or imports, needs ansible-core's templar. */
export function needsAnsible(source: string, load?: TemplateLoader): boolean {
  if (hasInPlaceCall(source)) return true;
  return load && /\{%-?\s*(include|import|from|extends)\b/.test(source)
    ? filesOf(source, load).some((f) => hasInPlaceCall(f.text))
    : false;
}

const PARSE = String.raw`
import json, sys
req = json.load(sys.stdin)
sys.path[:0] = req['paths']
try:
    from jinja2 import Environment, TemplateSyntaxError
    try:
        Environment(extensions=['jinja2.ext.do', 'jinja2.ext.loopcontrols']).parse(req['text'])
        print(json.dumps({'ok': None}))
    except TemplateSyntaxError as e:
        print(json.dumps({'ok': {'message': e.message, 'line': e.lineno}}))
except Exception as e:
    print(json.dumps({'error': str(e) if str(e) else type(e).__name__}))
`;

/** Jinja2's syntax error in a file ansible-core's templar will render (validate's check), or undefined. */
export function ansibleSyntaxProblem(text: string): { message: string; line: number } | undefined {
  const r = runPythonHelper(PARSE, { kind: 'parse', text }, "ansible-core's Jinja2") as {
    message: string;
    line: number;
  } | null;
  return r ?? undefined;
}

export interface AnsibleRenderOptions {
  load?: TemplateLoader;
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
}

/** The template's text as ansible-core's templar renders it; `unknown` when it reads a value known after apply. */
export function renderWithAnsible(
  source: string,
  vars: Record<string, unknown>,
  options: AnsibleRenderOptions,
): { text: string; unknown: boolean } {
  const withVars = [
    source,
    ...(options.load ? filesOf(source, options.load) : []).filter((f) => f.context).map((f) => f.text),
  ];
  const blocks = withVars.flatMap((text) => blocksOf(text) ?? []);
  const names = new Set<string>();
  for (const b of blocks) for (const [i, t] of b.toks.entries()) if (isPathHead(b.toks, i)) names.add(t.v);
  let scope = names.has('vars') && !('vars' in vars) ? { ...vars, vars: magicVars(vars) } : vars;
  scope = withTemplatedValues(scope, blocks);
  const variables: Record<string, unknown> = {};
  let secret = false;
  for (const name of names) {
    // a variable whose own template names what is not defined (a fact before facts are
    // gathered): that name's error, as where the engine renders the template
    if (!Object.hasOwn(scope, name) && Object.hasOwn(vars, name)) renderVarValue(vars[name], vars);
    if (!Object.hasOwn(scope, name)) continue;
    const value = scope[name];
    if (isUnknown(value) || containsUnknown(value)) return { text: UNKNOWN_SENTINEL, unknown: true };
    secret ||= isSecretValue(value);
    variables[name] = value;
  }
  const text = runPythonHelper(
    HELPER,
    {
      kind: 'template',
      text: source,
      variables: JSON.parse(
        JSON.stringify(variables, (_k, v) =>
          typeof v === 'bigint' ? Number(v) : isUnsafe(v) ? { __ansible_unsafe: v.text } : v,
        ),
      ),
      searchpath: options.load?.searchPath ?? [],
      basedir: typeof vars.playbook_dir === 'string' ? vars.playbook_dir : process.cwd(),
      options: { trim_blocks: options.trimBlocks ?? true, lstrip_blocks: options.lstripBlocks ?? false },
    },
    "ansible-core's templar",
  ) as string;
  if (secret) deriveSecret(text);
  return { text, unknown: false };
}
