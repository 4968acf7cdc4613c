/**
 * The ansible.module_utils a Python module imports, from the ansible-core installed on this
 * machine: quorum ships no Ansible code of its own. Which Python has it: QUORUM_ANSIBLE_PYTHON,
 * else the interpreter of `ansible-playbook` on PATH, else python3 (PYTHONPATH honoured). The
 * files a module needs are found as ansible-core's module_common.py finds them, by following
 * its imports (a role's module_utils/ first), and the package ansible-core's own modules need
 * at every start (2.19's _internal, whose serialisation profiles basic.py imports by name).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { userSetting } from '../../config/ansible-config.ts';

export interface AnsibleInstall {
  /** The folder holding ansible/module_utils. */
  root: string;
  version: string;
}

let install: AnsibleInstall | Error | undefined;

/** The Python that has ansible-core: QUORUM_ANSIBLE_PYTHON, else ansible-playbook's, else python3. */
export function ansiblePython(): string {
  if (process.env.QUORUM_ANSIBLE_PYTHON) return process.env.QUORUM_ANSIBLE_PYTHON;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, 'ansible-playbook');
    if (!dir || !existsSync(path)) continue;
    const first = readFileSync(path, 'utf8').split('\n', 1)[0];
    const words = first.startsWith('#!') ? first.slice(2).trim().split(/\s+/) : [];
    const python = words[0]?.endsWith('/env') ? words[1] : words[0];
    if (python) return python;
  }
  return 'python3';
}

/** The ansible-core of this machine, asked once per run. */
export function ansibleInstall(): AnsibleInstall | Error {
  if (install) return install;
  const python = ansiblePython();
  try {
    const out = execFileSync(
      python,
      [
        '-c',
        'import ansible, ansible.release, os; print(os.path.dirname(os.path.dirname(ansible.__file__))); print(ansible.release.__version__)',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 },
    );
    const [root, version] = out.trim().split('\n');
    install = { root, version };
  } catch {
    install = new Error(
      `a Python module of the content's own needs ansible-core's module_utils on this machine, and ${python} has no ansible package (install ansible-core, or set QUORUM_ANSIBLE_PYTHON to the Python that has it)`,
    );
  }
  return install;
}

/**
 * The ansible_collections folder beside ansible-core's Python package, where `pip install
 * ansible` and Debian's `ansible` put the community collections: ansible-core finds them there
 * after collections_path while COLLECTIONS_SCAN_SYS_PATH is on (its default).
 */
export function sysPathCollections(): string[] {
  if (userSetting<boolean>('COLLECTIONS_SCAN_SYS_PATH') === false) return [];
  const found = ansibleInstall();
  if (found instanceof Error) return [];
  const dir = join(found.root, 'ansible_collections');
  return existsSync(dir) ? [dir] : [];
}

/** ansible-core's stand-ins for the two namespace packages (module_common.py's py_module_cache). */
function packageStubs(version: string): Record<string, string> {
  const extend = 'from pkgutil import extend_path\n__path__=extend_path(__path__,__name__)\n';
  return {
    'ansible/__init__.py': `${extend}__version__="${version}"\n__author__="Ansible, Inc."\n`,
    'ansible/module_utils/__init__.py': extend,
  };
}

/** Python's logical lines of import statements: parenthesised lists and backslashes joined. */
function importStatements(source: string): string[] {
  const joined = source
    .replace(/\\\r?\n/g, ' ')
    .replace(
      /import\s*\(([^)]*)\)/g,
      (_, names: string) => `import ${names.replace(/#[^\n]*/g, '').replace(/\s+/g, ' ')}`,
    );
  return joined.split('\n').filter((l) => /^\s*(?:from|import)\s/.test(l));
}

/** The dotted names a module's imports reach (relative ones resolved against its package). */
function importedNames(source: string, pkg: string[]): string[][] {
  const out: string[][] = [];
  for (const line of importStatements(source)) {
    const from = /^\s*from\s+(\.*)([\w.]*)\s+import\s+(.+)$/.exec(line);
    if (from) {
      const [, dots, mod, names] = from;
      const base = dots
        ? [...pkg.slice(0, pkg.length - (dots.length - 1)), ...(mod ? mod.split('.') : [])]
        : mod.split('.');
      out.push(base);
      for (const n of names.split(',')) {
        const word = n.trim().split(/\s+/)[0];
        if (word && word !== '*') out.push([...base, word]);
      }
      continue;
    }
    const plain = /^\s*import\s+(.+)$/.exec(line);
    if (plain) for (const n of plain[1].split(',')) out.push(n.trim().split(/\s+/)[0].split('.'));
  }
  return out;
}

/** A dotted name's file (a module, or a package's __init__.py) under `base`, if there is one. */
function fileIn(base: string, parts: string[]): string | undefined {
  const path = join(base, ...parts);
  if (existsSync(`${path}.py`)) return `${path}.py`;
  if (existsSync(join(path, '__init__.py'))) return join(path, '__init__.py');
  return undefined;
}

function walk(dir: string, into: string[]): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, into);
    else if (p.endsWith('.py')) into.push(p);
  }
  return into;
}

export interface UtilsSources {
  /** Folders of module_utils of the content's own (a role's module_utils/): ansible.module_utils.NAME, as ansible-core places them. */
  own: string[];
  /** ansible_collections folders, for a collection's module_utils. */
  collections: string[];
}

/**
 * The files (path in the payload -> text) a module needs beside ansible-core's stubs: what its
 * imports reach under ansible.module_utils (the content's own folders first, then ansible-core's)
 * and under ansible_collections. `pkg`: the module's own package, where its relative imports start.
 */
export function moduleUtilsFiles(
  source: string,
  found: AnsibleInstall,
  from: UtilsSources,
  pkg: string[] = [],
): Record<string, string> {
  const files: Record<string, string> = packageStubs(found.version);
  const builtin = join(found.root, 'ansible', 'module_utils');
  const queue: Array<{ source: string; pkg: string[] }> = [{ source, pkg }];
  /** `name`: the dotted name the file is imported as. */
  const add = (file: string, name: string[], isPackage: boolean) => {
    const key = `${name.join('/')}${isPackage ? '/__init__.py' : '.py'}`;
    if (key in files) return;
    const text = readFileSync(file, 'utf8');
    files[key] = text;
    // a module's package, or a package's own name for its __init__.py: where `from . import` starts
    queue.push({ source: text, pkg: isPackage ? name : name.slice(0, -1) });
  };
  const locate = (name: string[]): string | undefined => {
    if (name[0] === 'ansible' && name[1] === 'module_utils')
      for (const base of [...from.own, builtin]) {
        const hit = fileIn(base, name.slice(2));
        if (hit) return hit;
      }
    // the collections ansible-core finds on its own Python path come last, as in its search
    if (name[0] === 'ansible_collections')
      for (const base of [...from.collections, join(found.root, 'ansible_collections')]) {
        const hit = fileIn(base, name.slice(1));
        if (hit) return hit;
      }
    return undefined;
  };
  const internal = join(builtin, '_internal');
  if (existsSync(internal))
    for (const f of walk(internal, [])) {
      const parts = relative(builtin, f).replace(/\.py$/, '').split('/');
      const isPackage = parts.at(-1) === '__init__';
      add(f, ['ansible', 'module_utils', ...(isPackage ? parts.slice(0, -1) : parts)], isPackage);
    }
  const basic = locate(['ansible', 'module_utils', 'basic']);
  if (basic) add(basic, ['ansible', 'module_utils', 'basic'], false);
  for (let guard = 0; queue.length && guard < 10_000; guard++) {
    const next = queue.shift()!;
    for (const name of importedNames(next.source, next.pkg)) {
      const depth =
        name[0] === 'ansible' && name[1] === 'module_utils' ? 3 : name[0] === 'ansible_collections' ? 2 : 0;
      if (!depth) continue;
      // every package on the way, then the module itself
      for (let i = depth; i <= name.length; i++) {
        const hit = locate(name.slice(0, i));
        if (hit) add(hit, name.slice(0, i), hit.endsWith('__init__.py'));
      }
    }
  }
  return files;
}
