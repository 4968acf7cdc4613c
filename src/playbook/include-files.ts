/**
 * The files a task list includes: the one an include names, or every file a templated name can
 * render to (each with the condition that picks it), read as YAML; and the variable names a
 * role's vars files could define.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { readBoundedText } from '../input-file.ts';
import { loadYaml } from '../yaml/load.ts';
import { localPath } from './local-files.ts';

const fail = (message: string, where: SourceLocation | undefined): never => {
  throw new InputError('TASK', message, where);
};

/** The names a template can render to, as a pattern: its text as written, each `{{ }}` one or more characters. */
export function templatePattern(template: string): RegExp {
  return new RegExp(
    `^${template
      .split(/\{\{.*?\}\}/s)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+')}$`,
  );
}

/** `'setup-' ~ (ansible_facts.os_family) ~ '.yml'`: a templated file name as one expression. */
export function nameExpression(template: string): string {
  const parts = template.split(/(\{\{.*?\}\})/s).filter(Boolean);
  return parts
    .map((p) => (p.startsWith('{{') ? `(${p.slice(2, -2).trim()})` : JSON.stringify(p)))
    .join(' ~ ');
}

/** The files an include can name: the file itself, or every file its template can render to. */
export function includeCandidates(
  file: string,
  dir: string,
  where: SourceLocation | undefined,
  /** Where else a plain name is looked for: a role's own folder (`tasks/x.yml` from tasks/main.yml). */
  also: string[] = [],
): Array<{ path: string; guard?: string }> {
  if (!file.includes('{{')) {
    const path = [dir, ...also].map((d) => resolve(d, file)).find((p) => existsSync(p));
    if (!path) fail(`included file ${file} does not exist (looked in ${[dir, ...also].join(', ')})`, where);
    return [{ path: path as string }];
  }
  const sub = dirname(file).includes('{{')
    ? fail(`an include's folder cannot be a template: ${file}`, where)
    : dirname(file);
  const pattern = templatePattern(basename(file));
  // each name the template can render to is found where a plain name is: the including file's
  // folder first, then the role's (`tasks/{{ action }}.yml` from tasks/main.yml: githubixx's cilium)
  const folders = [dir, ...also].map((d) => resolve(d, sub));
  const found = new Map<string, string>();
  for (const folder of folders)
    if (existsSync(folder))
      for (const n of readdirSync(folder)
        .filter((x) => pattern.test(x))
        .sort())
        if (!found.has(n)) found.set(n, join(folder, n));
  if (found.size === 0) fail(`no file can be the include ${file} (looked in ${folders.join(', ')})`, where);
  return [...found]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([n, path]) => ({
      path,
      guard: `(${nameExpression(file)}) == ${JSON.stringify(sub === '.' ? n : `${sub}/${n}`)}`,
    }));
}

export function readList(path: string): unknown {
  try {
    return loadYaml(readBoundedText(path, 'the task file'), path) ?? [];
  } catch (e) {
    if (e instanceof InputError) throw e;
    return fail(`cannot read ${path}`, { file: path });
  }
}

/** Variable names the vars files beside a role could define, for validate. */
/** The variables an include_vars of a file named as it is (no template) defines: the file's keys. */
export function namedVarsFileKeys(file: unknown, dirs: string[]): string[] | undefined {
  if (typeof file !== 'string' || file.includes('{{')) return undefined;
  const path = localPath(dirs, file, 'vars');
  return existsSync(path) ? Object.keys((readList(path) as object) ?? {}) : undefined;
}

export function varsFileKeys(roleDir: string | undefined): string[] {
  const dir = roleDir && join(roleDir, 'vars');
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) => Object.keys((readList(join(dir, f)) as object) ?? {}));
}
