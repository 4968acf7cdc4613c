/**
 * A play's `vars_files` entries that name their file per host, as Ansible reads them: a name
 * with a template (`vars/{{ ansible_os_family }}.yml`) and a list of names of which the first
 * that exists is read. A plain name is read with the playbook (load.ts); these are read when
 * the host's first task of the play runs, with its variables and facts, and layered above the
 * play's vars (after the plain files: a name both define takes the value of the later kind).
 */
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { SourceLocation } from '../errors.ts';
import { globToRegExp } from '../glob.ts';
import { hasTemplate, MissingVariable, renderString } from '../template/render.ts';
import { readList } from './include-files.ts';
import { loadVarsFile } from './vars-file.ts';

export interface LateVarsFile {
  /** The names to try, in order (one for a templated name). */
  candidates: string[];
  location?: SourceLocation;
}

/** Whether a vars_files entry is read per host (a template, or a list of alternatives). */
export const isLate = (entry: unknown): boolean =>
  Array.isArray(entry) || (typeof entry === 'string' && hasTemplate(entry));

/** Where a vars_files name is, as DataLoader.path_dwim_relative_stack looks: vars/NAME, then NAME. */
export function findVarsFile(dir: string, name: string): string | undefined {
  if (isAbsolute(name)) return existsSync(name) ? name : undefined;
  const tries = [...(name.split('/')[0] !== 'vars' ? [join(dir, 'vars', name)] : []), resolve(dir, name)];
  return tries.find((f) => existsSync(f));
}

/**
 * The variables of the late entries for one host. As in 2.19, an entry none of whose files
 * exists gives nothing, and one whose name uses an undefined variable is skipped with a warning
 * before the host's facts are gathered, an error once they are (`factsGathered`).
 */
export function readLateVarsFiles(
  entries: LateVarsFile[],
  dir: string,
  vars: Record<string, unknown>,
  warn: (message: string) => void,
  factsGathered: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of entries) {
    for (const c of e.candidates) {
      let name: string;
      try {
        name = String(renderString(c, vars));
      } catch (err) {
        if (!(err instanceof MissingVariable)) throw err;
        if (factsGathered)
          throw new Error(
            `an undefined variable was found when attempting to template the vars_files item '${c}': '${err.variable}' is undefined`,
          );
        warn(`skipping vars_files item due to an undefined variable: ${c}`);
        break;
      }
      const found = findVarsFile(dir, name);
      if (!found) continue;
      Object.assign(out, loadVarsFile(found));
      break;
    }
  }
  return out;
}

/** Names the files a late entry may read could define, for validate: each template read as `*`. */
export function lateVarNames(entries: LateVarsFile[], dir: string): string[] {
  return entries.flatMap((e) =>
    e.candidates.flatMap((c) => {
      const pattern = c.replace(/\{\{.*?\}\}/g, '*');
      const slash = pattern.lastIndexOf('/');
      const folder = join(isAbsolute(pattern) ? '' : dir, slash < 0 ? '' : pattern.slice(0, slash));
      if (folder.includes('*') || !existsSync(folder)) return [];
      const re = globToRegExp(pattern.slice(slash + 1));
      return listNames(folder)
        .filter((n) => re.test(n))
        .flatMap((n) => {
          const data = readList(join(folder, n));
          return data && typeof data === 'object' && !Array.isArray(data) ? Object.keys(data) : [];
        });
    }),
  );
}

function listNames(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}
