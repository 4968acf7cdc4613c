/** A playbook file's plays, with the files its import_playbook entries name read in their place. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { validator } from '../schema/ajv.ts';
import { entryLocation, loadYaml, locationOf } from '../yaml/load.ts';
import { toInputError } from './errors.ts';
import { playbookSchema, playSchema } from './schema.ts';
import { list } from './tasks.ts';
import { readText } from './vars-file.ts';

const fail = (message: string, where: SourceLocation, hint?: string): never => {
  throw new InputError('SCHEMA', message, where, hint);
};

/** A playbook entry that names another playbook file, with what it may add to that file's plays. */
const IMPORT_KEYS = ['import_playbook', 'ansible.builtin.import_playbook', 'name', 'vars', 'tags', 'when'];
const importKey = (entry: Record<string, unknown>) =>
  ['import_playbook', 'ansible.builtin.import_playbook'].find((k) => k in entry);

export interface RawPlay {
  raw: Record<string, unknown>;
  /** The folder of the file the play is written in: its relative paths start there. */
  dir: string;
  file: string;
  /** vars, tags and conditions of the import_playbook entries that led here. */
  vars: Record<string, unknown>;
  tags: string[];
  when: unknown[];
}

/** The plays of a playbook file, import_playbook entries replaced by the plays they name. */
export function readPlays(
  file: string,
  chain: string[],
  inherited: Pick<RawPlay, 'vars' | 'tags' | 'when'>,
): RawPlay[] {
  const fileLoc = { file };
  const doc = loadYaml(readText(file), file);
  const check = validator(playbookSchema);
  if (!Array.isArray(doc) || doc.length === 0) {
    check(doc);
    throw toInputError(check.errors ?? [], doc, fileLoc);
  }
  const dir = dirname(file);
  const keys = [...Object.keys(playSchema.properties), 'import_playbook', 'ansible.builtin.import_playbook'];
  const playCheck = validator(playSchema);
  return (doc as unknown[]).flatMap((raw): RawPlay[] => {
    const where: SourceLocation = (raw && typeof raw === 'object' ? locationOf(raw) : undefined) ?? fileLoc;
    const entry = (raw ?? {}) as Record<string, unknown>;
    const imports = raw && typeof raw === 'object' ? importKey(entry) : undefined;
    if (imports) {
      for (const k of Object.keys(entry))
        if (!IMPORT_KEYS.includes(k))
          fail(
            `import_playbook does not take "${k}"`,
            entryLocation(entry, k) ?? where,
            `it takes ${IMPORT_KEYS.join(', ')}`,
          );
      const name = entry[imports];
      const at = entryLocation(entry, imports) ?? where;
      if (typeof name !== 'string' || !name || name.includes('{{'))
        fail(
          'import_playbook needs a file name (a template is not supported: it is read before any host)',
          at,
        );
      const target = resolve(dir, name as string);
      if (chain.includes(target))
        fail(`import_playbook of ${name} imports itself (through ${chain.length} file(s))`, at);
      if (chain.length > 20) fail('import_playbook nests more than 20 deep', at);
      if (!existsSync(target)) fail(`import_playbook: ${target} does not exist`, at);
      // its vars go over each imported play's own (ansible-core's PlaybookInclude), templates
      // evaluated when used as play vars are; its `when` joins every task's, handlers aside
      return readPlays(target, [...chain, target], {
        vars: { ...inherited.vars, ...((entry.vars as Record<string, unknown>) ?? {}) },
        tags: [...inherited.tags, ...list(entry.tags)],
        when: [...inherited.when, ...(entry.when === undefined ? [] : [entry.when].flat())],
      });
    }
    if (!playCheck(raw))
      throw toInputError(playCheck.errors ?? [], raw, fileLoc, (p) => (p === '' ? keys : []));
    return [{ raw: entry, dir, file, ...inherited }];
  });
}
