import { InputError } from '../errors.ts';
import { readBoundedText } from '../input-file.ts';
import { refuseJinja } from '../template/jinja-guard.ts';
import { entryLocation, loadYaml, locationOf } from '../yaml/load.ts';

export function readText(file: string): string {
  try {
    return readBoundedText(file, 'the file');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('PLAYBOOK_MISSING', `cannot read ${file}`, undefined, 'check the path');
  }
}

export function loadVarsFile(file: string): Record<string, unknown> {
  const data = loadYaml(readText(file), file);
  if (data && typeof data === 'object')
    refuseJinja(data, (key) => entryLocation(data as object, key) ?? { file });
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
