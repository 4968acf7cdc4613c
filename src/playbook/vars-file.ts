import { InputError } from '../errors.ts';
import { readBoundedText } from '../input-file.ts';
import { refuseJinja } from '../template/jinja-guard.ts';
import { entryLocation, loadYaml, locationOf } from '../yaml/load.ts';
import { type VarProblem, varProblems } from './lazy-vars.ts';

export function readText(file: string): string {
  try {
    return readBoundedText(file, 'the file');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('PLAYBOOK_MISSING', `cannot read ${file}`, undefined, 'check the path');
  }
}

/**
 * A vars file's mapping. Its templates are checked: a problem throws, or with `problems` (a
 * play's vars_files, evaluated lazily as Ansible does: lazy-vars.ts) is collected there.
 */
export function loadVarsFile(file: string, problems?: VarProblem[]): Record<string, unknown> {
  const data = loadYaml(readText(file), file);
  const where = (key: string) => entryLocation(data as object, key) ?? { file };
  if (data && typeof data === 'object' && problems && !Array.isArray(data))
    problems.push(...varProblems(data as Record<string, unknown>, where));
  else if (data && typeof data === 'object') refuseJinja(data, where);
  if (data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(
      'VARS_FILE',
      'a vars file must hold a mapping',
      locationOf(data as object) ?? { file },
    );
  }
  return data as Record<string, unknown>;
}
