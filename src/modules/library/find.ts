/**
 * A module of the content's own (a role's or the playbook's `library/` folder), found by name
 * as ansible-core's module loader finds it, and its style as ansible-core's module_common.py
 * tells it: a Python module built on AnsibleModule (new style), a script that asks for its
 * arguments as JSON (`WANT_JSON`), or an old-style script given `key=value` words.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type LibraryStyle = 'python' | 'want_json' | 'old';

export interface LibraryModule {
  name: string;
  path: string;
  style: LibraryStyle;
  source: string;
  /** A script's interpreter from its `#!` line, as words (`/usr/bin/env bash`). */
  interpreter: string[];
  /** A collection's module: its package (ansible_collections.NS.COLL.plugins.modules), run with -m. */
  package?: string[];
}

/** The extensions ansible-core's loader tries for a module file, after the bare name. */
const EXTENSIONS = ['', '.py', '.sh', '.ps1'];

export function findLibraryModule(name: string, dirs: string[]): string | undefined {
  if (!/^[A-Za-z_][\w]*$/.test(name)) return undefined;
  for (const dir of dirs)
    for (const ext of EXTENSIONS) {
      const path = join(dir, `${name}${ext}`);
      if (existsSync(path) && statSync(path).isFile()) return path;
    }
  return undefined;
}

/** ansible-core's NEW_STYLE_PYTHON_MODULE_RE, the imports that make a Python module new style. */
const NEW_STYLE =
  /(?:from +\.{2,} *module_utils.* +import |from +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.* +import |import +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.*|from +ansible\.module_utils.* +import |import +ansible\.module_utils\.)/;

export function readLibraryModule(name: string, path: string, pkg?: string[]): LibraryModule {
  const bytes = readFileSync(path);
  if (bytes.includes(0))
    throw new Error(`${path}: a binary module; quorum runs Python and script modules only`);
  const source = bytes.toString('utf8');
  const first = source.split('\n', 1)[0];
  const interpreter = first.startsWith('#!') ? first.slice(2).trim().split(/\s+/) : [];
  if (path.endsWith('.ps1') || source.includes('#Requires -Module Ansible.ModuleUtils'))
    throw new Error(`${path}: a PowerShell module; quorum runs Python and script modules only`);
  if (source.includes('#<<INCLUDE_ANSIBLE_MODULE_COMMON>>'))
    throw new Error(
      `${path}: a module of Ansible's oldest form (#<<INCLUDE_ANSIBLE_MODULE_COMMON>>), not supported`,
    );
  const style: LibraryStyle = NEW_STYLE.test(source)
    ? 'python'
    : source.includes('WANT_JSON')
      ? 'want_json'
      : 'old';
  if (source.includes('<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>'))
    throw new Error(
      `${path}: takes its arguments through <<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>, not supported`,
    );
  if (style !== 'python' && interpreter.length === 0)
    throw new Error(`${path}: a script module needs a #! line naming its interpreter`);
  return { name, path, style, source, interpreter, ...(pkg ? { package: pkg } : {}) };
}
