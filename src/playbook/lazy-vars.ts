/**
 * Ansible evaluates a variable only when something uses it: a play var or vars file entry whose
 * template holds what quorum lacks (a filter, a lookup) is no error while nothing names it. One
 * that a task, handler, another variable or a template file of the play names is refused before
 * any host, at its own place; one that nothing names is a warning.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { refuseJinja } from '../template/jinja-guard.ts';
import { noteWarning } from '../yaml/load.ts';

export interface VarProblem {
  name: string;
  error: InputError;
}

/** The variables of `vars` quorum could not evaluate, each with its located error. */
export function varProblems(
  vars: Record<string, unknown>,
  where: (key: string) => SourceLocation | undefined,
): VarProblem[] {
  const out: VarProblem[] = [];
  for (const [name, value] of Object.entries(vars)) {
    try {
      refuseJinja(value, () => where(name));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      out.push({ name, error: e });
    }
  }
  return out;
}

/** The text of every Jinja2 template file under the folders (bounded: templates are small). */
function templateTexts(dirs: string[]): string[] {
  const texts: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 4 || !existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path, depth + 1);
      else if (name.endsWith('.j2') && st.size < 1 << 20) texts.push(readFileSync(path, 'utf8'));
    }
  };
  for (const d of dirs) walk(d, 0);
  return texts;
}

/**
 * Throws the first problem whose variable is named by the play's tasks and handlers (`tasks`,
 * their JSON), by another of its variables, or by a template under `templateDirs`; the others
 * become warnings.
 */
export function refuseUsedVars(
  problems: VarProblem[],
  tasks: string,
  vars: Record<string, unknown>,
  templateDirs: string[],
): void {
  if (problems.length === 0) return;
  const templates = templateTexts(templateDirs);
  for (const p of problems) {
    const { [p.name]: _own, ...others } = vars;
    const word = new RegExp(`(?<![\\w.])${p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\w)`);
    if ([tasks, JSON.stringify(others), ...templates].some((t) => word.test(t))) throw p.error;
    noteWarning(
      `variable "${p.name}" is used by nothing in this play, so it is not evaluated (as in Ansible): ${p.error.message}`,
      p.error.location ?? { file: '' },
    );
  }
}
