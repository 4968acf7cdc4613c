/**
 * `include_vars`: variables from a YAML file on the controller (the role's vars/, then the
 * playbook's folder), set on the host as set_fact does. With `with_first_found`, the first of
 * several names that exists; with `dir`, every vars file of a folder (include-vars-dir.ts).
 * Registers the files read and the variables, as 2.19's action does; `hash_behaviour: merge` merges
 * each into the variable of that name the task sees.
 */
import { InputError } from '../errors.ts';
import { readBoundedText } from '../input-file.ts';
import { mergeHash } from '../template/jinja/merge-hash.ts';
import { hasTemplate } from '../template/render.ts';
import { loadYaml } from '../yaml/load.ts';
import { type DirOptions, dirFiles, varsDir } from './include-vars-dir.ts';
import { defineModule } from './types.ts';

interface IncludeVarsParams extends Partial<DirOptions> {
  file?: string;
  name?: string;
  hash_behaviour?: 'replace' | 'merge';
}

function mapping(text: string, file: string): Record<string, unknown> {
  const data = loadYaml(text, file);
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new InputError('VARS_FILE', `${file}: a vars file must hold a mapping`);
  return data as Record<string, unknown>;
}

const DIR_ONLY = ['depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions'];

export const includeVarsModule = defineModule<IncludeVarsParams>({
  name: 'include_vars',
  freeForm: 'file',
  schema: {
    type: 'object',
    properties: {
      file: { type: 'string', minLength: 1 },
      dir: { type: 'string', minLength: 1 },
      name: { type: 'string', pattern: '^[A-Za-z_]\\w*$' },
      depth: { type: 'integer', minimum: 0 },
      files_matching: { type: 'string' },
      ignore_files: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      extensions: { type: 'array', items: { type: 'string' } },
      ignore_unknown_extensions: { type: 'boolean' },
      hash_behaviour: { enum: ['replace', 'merge'] },
    },
    oneOf: [{ required: ['file'] }, { required: ['dir'] }],
    additionalProperties: false,
  },
  check(p, readLocal) {
    if (p.file !== undefined && DIR_ONLY.some((k) => k in p))
      throw new InputError(
        'MODULE_PARAM',
        'You are mixing file only and dir only arguments, these are incompatible',
      );
    if (p.file !== undefined && !hasTemplate(p.file)) mapping(readLocal(p.file, 'vars'), p.file);
    return [];
  },
  async plan(ctx, p) {
    const roleDir = typeof ctx.vars.role_path === 'string' ? ctx.vars.role_path : undefined;
    const { files, failed } =
      p.dir === undefined
        ? { files: [ctx.localVarsPath?.(p.file as string) ?? (p.file as string)], failed: undefined }
        : dirFiles(varsDir(p.dir, ctx.searchDirs ?? [], roleDir), withIgnoreList(p), roleDir);
    if (failed)
      return {
        changes: [],
        failed,
        result: { message: failed, ansible_included_var_files: files, ansible_facts: {} },
      };
    const vars: Record<string, unknown> = {};
    for (const f of files)
      Object.assign(
        vars,
        mapping(
          p.dir === undefined ? ctx.readLocal(p.file as string, 'vars') : readBoundedText(f, 'the vars file'),
          f,
        ),
      );
    const read = p.name ? { [p.name]: vars } : vars;
    // merge: each variable merged into the one the task sees (merge_hash, recursive), as the action does
    const facts =
      p.hash_behaviour === 'merge'
        ? Object.fromEntries(
            Object.entries(read).map(([k, v]) => [
              k,
              k in ctx.vars ? mergeHash(ctx.vars[k], v, true, 'replace') : v,
            ]),
          )
        : read;
    return { changes: [], facts, result: { ansible_included_var_files: files, ansible_facts: facts } };
  },
});

/** ignore_files as a text is its whitespace-separated words, as the action splits it. */
const withIgnoreList = (p: IncludeVarsParams): DirOptions => ({
  ...(p as DirOptions),
  ignore_files:
    typeof p.ignore_files === 'string'
      ? (p.ignore_files as string).split(/\s+/).filter(Boolean)
      : p.ignore_files,
});
