/**
 * A role's argument spec (meta/argument_specs.yml, else `argument_specs` in meta/main.yml) becomes
 * its first task, as ansible-core inserts it (playbook/role/__init__.py, _prepend_validation_task):
 * validate_argument_spec, named "Validating arguments against arg spec 'main' - <short_description>",
 * tagged always. The values checked are the role's params over the variables of those names.
 */
import { join } from 'node:path';
import { readBoundedText } from '../input-file.ts';
import { unsafeStrings } from '../template/unsafe.ts';
import { loadYaml } from '../yaml/load.ts';

type Specs = Record<string, { short_description?: string; options?: Record<string, unknown> }>;

/** Finds a role's YAML file by name in a folder, as ansible-role.ts looks for them. */
type FindYaml = (dir: string, name?: string) => string | undefined;

function argumentSpecs(dir: string, yamlFile: FindYaml): Specs {
  const own = yamlFile(join(dir, 'meta'), 'argument_specs');
  const file = own ?? yamlFile(join(dir, 'meta'));
  if (!file) return {};
  const doc = loadYaml(readBoundedText(file, 'the role meta file'), file) as {
    argument_specs?: Specs;
  } | null;
  return doc && typeof doc === 'object' ? (doc.argument_specs ?? {}) : {};
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The validation task for an entry point (tasks_from, else main), or none without a spec. */
export function argumentSpecTask(
  dir: string,
  entrypoint: string,
  params: Record<string, unknown>,
  yamlFile: FindYaml,
): Record<string, unknown> | undefined {
  const spec = argumentSpecs(dir, yamlFile)[entrypoint];
  if (!spec) return undefined;
  const options = spec.options ?? {};
  // a variable of an option's name counts where the role's params do not give it
  const fromVars = Object.fromEntries(
    Object.keys(options)
      .filter((k) => IDENTIFIER.test(k))
      .map((k) => [k, `{{ ${k} if ${k} is defined else omit }}`]),
  );
  return {
    name: `Validating arguments against arg spec '${entrypoint}'${spec.short_description === undefined ? '' : ` - ${spec.short_description}`}`,
    'ansible.builtin.validate_argument_spec': {
      // the spec is data, never a template (its descriptions may hold braces)
      argument_spec: unsafeStrings(options),
      provided_arguments: { ...fromVars, ...params },
    },
    tags: ['always'],
  };
}
