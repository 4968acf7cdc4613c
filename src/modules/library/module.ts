/**
 * `library_module`: a task that names a module of the content's own (library/NAME), run on the
 * host as ansible-core runs it. A check run runs a Python module in check mode, as Ansible does:
 * AnsibleModule answers for it (what would change, or "does not support check mode" as a skip);
 * a script module is not run in a check run (nothing holds it to check mode), its change predicted.
 * An apply run runs it once; its JSON says whether it changed, failed, and the facts it sets.
 */
import { InputError } from '../../errors.ts';
import { defineModule } from '../types.ts';
import { readLibraryModule } from './find.ts';
import { bootstrapCommand, internalArgs, payload, prepare } from './payload.ts';
import { applyOutcome, checkOutcome, moduleResult, namedInterpreter } from './result.ts';

interface LibraryParams {
  name: string;
  /** Its full name (an installed module's after redirects): module_defaults find it by that. */
  fqcn?: string;
  path: string;
  /** A collection's module: its package. */
  package?: string[];
  /** Folders of module_utils of the content's own (its role's, the playbook's). */
  module_utils?: string[];
  /** ansible_collections folders, for a collection's module_utils. */
  collections?: string[];
  args?: Record<string, unknown>;
}

function load(p: LibraryParams) {
  try {
    return prepare(readLibraryModule(p.name, p.path, p.package), {
      own: p.module_utils ?? [],
      collections: p.collections ?? [],
    });
  } catch (e) {
    throw new InputError('TASK', (e as Error).message, { file: p.path });
  }
}

export const libraryModule = defineModule<LibraryParams>({
  name: 'library_module',
  internal: true,
  prefetch: false,
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      fqcn: { type: 'string' },
      path: { type: 'string' },
      package: { type: 'array', items: { type: 'string' } },
      module_utils: { type: 'array', items: { type: 'string' } },
      collections: { type: 'array', items: { type: 'string' } },
      args: { type: 'object' },
    },
    required: ['name', 'path'],
    additionalProperties: false,
  },
  check(p) {
    try {
      load(p);
      return [];
    } catch (e) {
      return [(e as InputError).message];
    }
  },
  async plan(ctx, p) {
    const ready = load(p);
    const command = bootstrapCommand(namedInterpreter(ctx.vars));
    const modes = { diff: ctx.diff ?? false, noLog: ctx.noLog ?? false, verbosity: ctx.verbosity ?? 0 };
    const args = (check: boolean) => ({ ...(p.args ?? {}), ...internalArgs(ready, { ...modes, check }) });
    const summary = `run ${p.name} (${p.path})`;
    if (ctx.checkMode) {
      if (ready.module.style !== 'python')
        return {
          changes: [{ summary, action: { kind: 'exec', command: ':' } }],
          unpredictable: true,
          message: `${p.name} is a script module: a check run does not run it (nothing holds a script to check mode)`,
        };
      const r = await ctx.probeInput!(command, payload(ready, args(true)));
      return checkOutcome(moduleResult(r, p.name), summary);
    }
    return applyOutcome(summary, { kind: 'exec', command, stdin: payload(ready, args(false)) }, p.name);
  },
});
