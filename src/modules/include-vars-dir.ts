/**
 * include_vars' `dir`, as ansible-core 2.19's action finds and reads it (plugins/action/include_vars.py):
 * in a role, `vars/...` under the role (when there) or the role's vars/ folder; else beside the
 * playbook. Every folder of the walk sorted by path, down to `depth` (0: all), each folder's
 * files sorted; `files_matching` (a regex searched in the name), `ignore_files` (regexes matched
 * at the name's end), `extensions` (a file of another one fails, unless
 * `ignore_unknown_extensions`), and never the role's own vars/main.yml. Later files win.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative } from 'node:path';
import { pyRegex } from '../template/jinja/regex.ts';

export interface DirOptions {
  dir: string;
  depth?: number;
  files_matching?: string;
  ignore_files?: string[];
  extensions?: string[];
  ignore_unknown_extensions?: boolean;
}

/** The folder a `dir` names, from the task's search folders (its role's first). */
export function varsDir(dir: string, searchDirs: string[], roleDir: string | undefined): string {
  if (isAbsolute(dir)) return dir;
  if (roleDir) {
    const under = join(roleDir, dir);
    return dir.split('/')[0] === 'vars' && existsSync(under) ? under : join(roleDir, 'vars', dir);
  }
  return join(searchDirs.at(-1) ?? '.', dir);
}

/** os.walk(followlinks=True) of `root`: each folder with its files, folders sorted by path. */
function walk(root: string): Array<{ dir: string; files: string[] }> {
  const out: Array<{ dir: string; files: string[] }> = [];
  const visit = (dir: string, depth: number) => {
    // a link loop is bounded: no folder deeper than 64
    if (depth > 64) return;
    const files: string[] = [];
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(full).isDirectory();
      } catch {}
      if (isDir) visit(full, depth + 1);
      else files.push(name);
    }
    out.push({ dir, files: files.sort() });
  };
  visit(root, 0);
  return out.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** The files to read, in order, and the action's failure message where it stops. */
export function dirFiles(
  root: string,
  o: DirOptions,
  roleDir: string | undefined,
): { files: string[]; failed?: string } {
  if (!existsSync(root)) return { files: [], failed: `${root} directory does not exist` };
  if (!statSync(root).isDirectory()) return { files: [], failed: `${root} is not a directory` };
  const extensions = o.extensions ?? ['yaml', 'yml', 'json'];
  const matching = o.files_matching === undefined ? undefined : pyRegex(o.files_matching, {});
  const ignored = (name: string) => (o.ignore_files ?? []).some((p) => pyRegex(`(?:${p})$`, {}).test(name));
  const known = (name: string) => extensions.includes(extname(name).slice(1));
  const out: string[] = [];
  for (const { dir, files } of walk(root)) {
    const depth = dir === root ? 1 : relative(root, dir).split('/').length + 1;
    if ((o.depth ?? 0) !== 0 && depth > (o.depth ?? 0)) continue;
    for (const name of files) {
      const full = join(dir, name);
      // the action's own test (role path + name against the walked folder's vars/main.yml)
      if (roleDir && join(roleDir, name) === join(dir, 'vars', 'main.yml')) continue;
      if (matching && !matching.test(name)) continue;
      if (ignored(name) || (o.ignore_unknown_extensions && !known(name))) continue;
      if (!known(name))
        return { files: out, failed: `${full} does not have a valid extension: ${extensions.join(', ')}` };
      out.push(full);
    }
  }
  return { files: out };
}

/** Variable names the vars files under a folder define (validate: names include_vars makes). */
export function dirVarKeys(root: string, read: (file: string) => unknown): string[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  return walk(root).flatMap(({ dir, files }) =>
    files
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .flatMap((f) => {
        const data = read(join(dir, f));
        return data && typeof data === 'object' && !Array.isArray(data) ? Object.keys(data) : [];
      }),
  );
}
