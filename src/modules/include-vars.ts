/**
 * `include_vars`: variables from a YAML file on the controller (the role's vars/, then the
 * playbook's folder), set on the host as set_fact does. With `with_first_found`, the first of
 * several names that exists.
 */
import { InputError } from '../errors.ts';
import { hasTemplate } from '../template/render.ts';
import { loadYaml } from '../yaml/load.ts';
import { defineModule } from './types.ts';

interface IncludeVarsParams {
  file: string;
  name?: string;
}

function mapping(text: string, file: string): Record<string, unknown> {
  const data = loadYaml(text, file);
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new InputError('VARS_FILE', `${file}: a vars file must hold a mapping`);
  return data as Record<string, unknown>;
}

export const includeVarsModule = defineModule<IncludeVarsParams>({
  name: 'include_vars',
  freeForm: 'file',
  schema: {
    type: 'object',
    properties: {
      file: { type: 'string', minLength: 1 },
      name: { type: 'string', pattern: '^[A-Za-z_]\\w*$' },
    },
    required: ['file'],
    additionalProperties: false,
  },
  check(p, readLocal) {
    if (!hasTemplate(p.file)) mapping(readLocal(p.file, 'vars'), p.file);
    return [];
  },
  async plan(ctx, p) {
    const vars = mapping(ctx.readLocal(p.file, 'vars'), p.file);
    return { changes: [], facts: p.name ? { [p.name]: vars } : vars };
  },
});
