/**
 * Ansible's lookups that real roles use: env, file, template, vars, first_found, fileglob, pipe,
 * password (lookup-password.ts), varnames.
 * They read the controller, as in Ansible. Any other lookup is refused by validate (see check.ts).
 */

import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { globToRegExp } from '../../glob.ts';
import { readBoundedText } from '../../input-file.ts';
import { InventoryData } from '../../inventory/model.ts';
import { PatternMatcher } from '../../inventory/patterns.ts';
import { templateVars } from '../../modules/template-vars.ts';
import { pySplitLines } from '../../py-splitlines.ts';
import { addVaultPlaintexts, openVault } from '../../vault/secrets.ts';
import { isVaultText } from '../../vault/vault.ts';
import { lookupLoader } from '../template-search.ts';
import { templateWarning } from '../template-warnings.ts';
import { unsortedNames } from './fileglob.ts';
import { kwargs } from './filter-args.ts';
import { ControllerStateError, FilterError } from './filter-error.ts';
import { LIST_LOOKUPS } from './list-lookups.ts';
import { CSVFILE_OPTIONS, csvfileLookup } from './lookup-csvfile.ts';
import { firstFoundCandidates } from './lookup-first-found.ts';
import { filetreeLookup, RANDOM_STRING_OPTIONS, randomStringLookup } from './lookup-general.ts';
import { INI_OPTIONS, iniLookup } from './lookup-ini.ts';
import { MERGE_VARIABLES_OPTIONS, mergeVariablesLookup } from './lookup-merge-variables.ts';
import { passwordLookup } from './lookup-password.ts';
import { URL_OPTIONS, urlLookup } from './lookup-url.ts';
import { callPythonLookup, pythonLookup } from './python-lookups.ts';
import { pyRegex } from './regex.ts';
import { BUILTIN_COLLECTIONS, lineCol, ScanError } from './scan.ts';
import type { TemplateLoader } from './template-imports.ts';
import { renderVarValue } from './templated-values.ts';
import { pyRepr } from './values.ts';

export const LOOKUPS = new Set([
  ...[
    'env',
    'file',
    'template',
    'vars',
    'first_found',
    'fileglob',
    'pipe',
    'password',
    'varnames',
    'unvault',
  ],
  ...['lines', 'random_choice', 'inventory_hostnames'],
  ...Object.keys(LIST_LOOKUPS),
  ...['ini', 'csvfile', 'url'],
  // community.general's (bare filetree is routed there by ansible-core's runtime.yml)
  ...['filetree', 'random_string', 'merge_variables'],
]);
/** quorum's own host variables (include gates, block failures): no name a playbook wrote. */
const INTERNAL = /^quorum_(include_\d+|block_failed_)/;

const PIPE_SECONDS = 300;
const PIPE_BYTES = 16 * 1024 * 1024;
const piped = new Map<string, string>();

/**
 * lookup('pipe', CMD): CMD through /bin/sh on the controller in the playbook's folder, its output
 * without trailing whitespace; a non-zero exit is an error (ansible-core's pipe.py). Run once per
 * command and folder in a quorum process, where Ansible runs it at every render: `validate` and
 * every host would start it again (a clock read in it is the same for every host here).
 */
function pipe(command: string, plugin = 'pipe'): string {
  const cwd = typeof scope.playbook_dir === 'string' ? scope.playbook_dir : process.cwd();
  const key = JSON.stringify([command, cwd]);
  let out = piped.get(key);
  if (out === undefined) {
    try {
      out = execFileSync('/bin/sh', ['-c', command], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: PIPE_SECONDS * 1000,
        maxBuffer: PIPE_BYTES,
      });
    } catch (e) {
      const status = (e as { status?: number | null }).status;
      throw new ControllerStateError(
        status == null
          ? `lookup_plugin.${plugin}(${command}) did not finish within ${PIPE_SECONDS} s or wrote more than ${PIPE_BYTES} bytes`
          : `lookup_plugin.${plugin}(${command}) returned ${status}`,
      );
    }
    piped.set(key, out);
  }
  // lines keeps the output's lines as they are (Python's splitlines); pipe strips its end
  return plugin === 'lines' ? out : out.replace(/\s+$/, '');
}

/** lookup('inventory_hostnames'): the hosts a pattern names, from `groups` as ansible-core rebuilds it. */
function inventoryHostnames(terms: unknown[]): string[] {
  const data = new InventoryData();
  for (const [group, hosts] of Object.entries((scope.groups ?? {}) as Record<string, string[]>)) {
    data.addGroup(group);
    for (const host of hosts) data.addHost(host, group);
  }
  return new PatternMatcher(data).hosts(terms.map(String)).map((h) => h.name);
}

let scope: Record<string, unknown> = {};
type TemplateRenderer = (text: string, vars: Record<string, unknown>, load: TemplateLoader) => string;
let renderTemplate: TemplateRenderer | undefined;

export function lookupScope(): Record<string, unknown> {
  return scope;
}

export function setLookupScope(vars: Record<string, unknown>): void {
  scope = vars;
}
/** The engine's text renderer, for lookup('template'). */
export function setTemplateRenderer(f: TemplateRenderer): void {
  renderTemplate = f;
}

/**
 * Where a relative path is looked for: the role's files/templates, then the playbook's. Without a
 * folder (first_found called as lookup(), where ansible-core 2.19 passes none): the role's and
 * the playbook's own folders only.
 */
/** The role's folder, then the playbook's. */
function searchFolders(): string[] {
  return [scope.role_path, scope.playbook_dir].filter((b): b is string => typeof b === 'string');
}

function findFile(name: string, sub: 'files' | 'templates' | undefined): string {
  if (isAbsolute(name)) {
    if (existsSync(name)) return name;
  } else {
    for (const base of searchFolders())
      for (const candidate of sub ? [join(base, sub, name), join(base, name)] : [join(base, name)])
        if (existsSync(candidate)) return candidate;
  }
  throw new ControllerStateError(
    `lookup: could not find "${name}" (looked in the role's ${sub ? `${sub}/ and ` : ''}folder and the playbook's)`,
  );
}

/** A file's text, decrypted when it is an Ansible Vault (the loader decrypts for file, template and unvault). */
function plainText(file: string, what: string): string {
  const text = readBoundedText(file, what);
  if (!isVaultText(text)) return text;
  try {
    const plain = openVault(text, { file, line: 1, col: 1 });
    // the file lookup strips it: what it returns is as secret as the file
    addVaultPlaintexts([plain.trimEnd(), plain.trim(), plain.trimStart()]);
    return plain;
  } catch (e) {
    throw new FilterError(`${file}: ${(e as Error).message}`);
  }
}

function one(name: string, term: unknown, kw: Record<string, unknown>): unknown {
  switch (name) {
    case 'env':
      return process.env[String(term)] ?? kw.default ?? '';
    case 'file': {
      const text = plainText(findFile(String(term), 'files'), 'the file');
      const right = kw.rstrip === false ? text : text.replace(/\s+$/, '');
      return kw.lstrip === true ? right.replace(/^\s+/, '') : right;
    }
    case 'template': {
      if (!renderTemplate) throw new FilterError('lookup("template") is not available here');
      const other = TEMPLATE_SYNTAX.find((k) => kw[k] !== undefined);
      if (other)
        throw new FilterError(
          `lookup("template"): ${other} is not supported (the engine has Jinja2's own delimiters only)`,
        );
      const extra = kw.template_vars ?? {};
      if (typeof extra !== 'object' || extra === null || Array.isArray(extra))
        throw new FilterError('lookup("template"): template_vars must be a dict');
      const file = findFile(String(term), 'templates');
      // the template action's variables too (lookup/template.py): template_* over the task's,
      // ansible_managed only where no variable of that name is set
      const { ansible_managed, ...own } = templateVars(String(term), file, null);
      const text = plainText(file, 'the template');
      try {
        return renderTemplate(
          text,
          {
            ...('ansible_managed' in scope ? {} : { ansible_managed }),
            ...scope,
            ...own,
            ...extra,
          },
          lookupLoader(file, searchFolders()),
        );
      } catch (e) {
        if (!(e instanceof ScanError)) throw e;
        const { line, col } = lineCol(text, e.offset);
        throw new FilterError(`lookup("template"): ${file}:${line}:${col}: ${e.message}`);
      }
    }
    case 'unvault':
      // the file as it is, decrypted when a vault: no whitespace stripped (unvault.py)
      return plainText(findFile(String(term), 'files'), 'the file');
    case 'pipe':
      return pipe(String(term));
    case 'password':
      return passwordLookup(
        String(term),
        kw,
        typeof scope.playbook_dir === 'string' ? scope.playbook_dir : process.cwd(),
      );
    case 'varnames': {
      // ansible-core's varnames: every variable whose name the (Python) regex finds
      const re = pyRegex(String(term), {});
      return Object.keys(scope).filter((k) => !INTERNAL.test(k) && re.test(k));
    }
    case 'vars':
      if (!(String(term) in scope)) {
        if ('default' in kw) return kw.default;
        throw new FilterError(`lookup("vars"): "${String(term)}" is undefined`);
      }
      // the variable's own template rendered, as ansible-core's vars lookup templates it
      return renderVarValue(scope[String(term)], scope);
    default:
      throw new FilterError(`lookup("${name}") is not supported; quorum has ${[...LOOKUPS].join(', ')}`);
  }
}

/** Controller files matching a glob in its last part (`files/*.conf`), in the role's files/ or beside the playbook. */
function fileglob(pattern: string): string[] {
  const slash = pattern.lastIndexOf('/');
  const folder = slash < 0 ? '' : pattern.slice(0, slash);
  const re = globToRegExp(pattern.slice(slash + 1));
  const bases = isAbsolute(pattern)
    ? ['']
    : [scope.role_path, scope.playbook_dir]
        .filter((b): b is string => typeof b === 'string')
        .flatMap((b) => [join(b, 'files'), b]);
  for (const base of bases) {
    const dir = join(base, folder);
    if (!existsSync(dir)) continue;
    // glob's order: the folder's own, as the OS lists it
    const found = unsortedNames(dir)
      .filter((n) => re.test(n))
      .map((n) => join(dir, n));
    if (found.length) return found;
  }
  return [];
}

/** A lookup's name without a builtin collection prefix (`ansible.builtin.env` is `env`). */
export function lookupName(name: string): string {
  if (name === 'community.general.cartesian') return 'cartesian';
  if (name === 'community.general.filetree') return 'filetree';
  if (name === 'community.general.random_string') return 'random_string';
  if (name === 'community.general.merge_variables') return 'merge_variables';
  if (name === 'merge_variables') return 'community.general.merge_variables (its full name)';
  // only its full name reaches it in ansible-core 2.19
  if (name === 'random_string') return 'community.general.random_string (its full name)';
  const prefix = BUILTIN_COLLECTIONS.find((p) => name.startsWith(p));
  return prefix ? name.slice(prefix.length) : name;
}

/** The template lookup's delimiter options: refused, the engine's syntax is fixed. */
const TEMPLATE_SYNTAX = [
  ...['variable_start_string', 'variable_end_string', 'comment_start_string', 'comment_end_string'],
  'jinja2_native',
];

/** Keyword arguments each lookup takes, besides wantlist and errors (any lookup's). */
const KWARGS: Record<string, string[]> = {
  // convert_data: 2.19 gives the rendered text either way
  template: ['template_vars', 'convert_data', ...TEMPLATE_SYNTAX],
  env: ['default'],
  file: ['rstrip', 'lstrip'],
  vars: ['default'],
  first_found: ['files', 'paths', 'skip'],
  password: ['length', 'chars', 'encrypt', 'ident', 'seed'],
  sequence: ['start', 'end', 'stride', 'count', 'format'],
  ini: INI_OPTIONS,
  csvfile: CSVFILE_OPTIONS,
  url: URL_OPTIONS,
  random_string: RANDOM_STRING_OPTIONS,
  filetree: [],
  merge_variables: MERGE_VARIABLES_OPTIONS,
};

/** The plugin's list for these terms, as its run() returns it. */
function run(name: string, terms: unknown[], kw: Record<string, unknown>): unknown[] {
  if (name === 'fileglob') return terms.flatMap((t) => fileglob(String(t)));
  if (LIST_LOOKUPS[name]) return LIST_LOOKUPS[name](terms, kw);
  if (name === 'ini') return iniLookup(terms, kw, (f) => findFile(f, 'files'));
  if (name === 'csvfile') return csvfileLookup(terms, kw, (f) => findFile(f, 'files'));
  if (name === 'url') return urlLookup(terms, kw);
  if (name === 'filetree') return filetreeLookup(terms, scope);
  if (name === 'random_string') return randomStringLookup(kw);
  if (name === 'merge_variables') return mergeVariablesLookup(terms, kw, scope);
  if (name === 'first_found') {
    const files = firstFoundCandidates(terms.length ? terms : [kw], kw.paths);
    for (const f of files) {
      try {
        return [findFile(f, undefined)];
      } catch {}
    }
    if (kw.skip) return [];
    throw new ControllerStateError(
      `lookup("first_found"): none of ${files.join(', ')} exists (a bare name is looked for in the role's folder, not its files/, as ansible-core 2.19 does)`,
    );
  }
  if (name === 'lines') return terms.flatMap((t) => pySplitLines(pipe(String(t), 'lines')));
  if (name === 'random_choice') return terms.length ? [terms[randomInt(terms.length)]] : [];
  if (name === 'inventory_hostnames') return inventoryHostnames(terms);
  const values = terms.map((t) => one(name, t, kw));
  // varnames gives one list of names for all its terms
  return name === 'varnames' ? values.flat() : values;
}

/** A with_<name> loop's items: the lookup's list of the loop's value, no keyword arguments. */
export function loopLookup(name: string, value: unknown): unknown[] {
  const terms = Array.isArray(value) ? value : [value];
  return pythonLookupOf(name) ? callPythonLookup(name, terms, {}, scope) : run(name, terms, {});
}

/** The Python plugin a lookup name goes to (see python-lookups.ts), if not one of quorum's. */
export const pythonLookupOf = (fullName: string) => pythonLookup(fullName, (n) => LOOKUPS.has(lookupName(n)));

/**
 * lookup()/query() as ansible-core 2.19 calls a lookup: keyword arguments from the last dict,
 * `errors='ignore'` turning a failure into None ([] for a list), 'warn' the same with a warning, and without `wantlist` a list of
 * one given as its item and a list of texts joined with commas (any other list as it is).
 */
export function lookup(fullName: string, terms: unknown[], wantList: boolean): unknown {
  const py = pythonLookupOf(fullName);
  const name = py ? fullName : lookupName(fullName);
  const kw = kwargs(terms, ['wantlist', 'errors', ...((py ? py.options : KWARGS[name]) ?? [])]);
  const list = wantList || kw.wantlist === true;
  const errors = kw.errors ?? 'strict';
  if (errors !== 'strict' && errors !== 'ignore' && errors !== 'warn')
    throw new FilterError(
      `lookup("${fullName}"): errors=${pyRepr(errors)} is not supported (quorum has 'strict', 'warn' and 'ignore')`,
    );
  let values: unknown[];
  try {
    if (py) {
      const { wantlist: _w, errors: _e, ...options } = kw;
      values = callPythonLookup(fullName, terms, options, scope);
    } else values = run(name, terms, kw);
  } catch (e) {
    if (errors === 'strict' || !(e instanceof FilterError)) throw e;
    if (errors === 'warn')
      templateWarning(`An error occurred while running the lookup plugin '${name}'. ${e.message}`);
    return list ? [] : null;
  }
  if (list || values.length === 0) return values;
  if (values.length === 1) return values[0];
  return values.every((v) => typeof v === 'string') ? values.join(',') : values;
}
