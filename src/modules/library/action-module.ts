/**
 * `ansible_action`: a task whose module ansible-core runs through an action plugin (see
 * action-bridge.ts), run by the installed ansible-core over quorum's connection to the host. A
 * check run runs it in ansible-core's check mode (the plugin and its module answer what would
 * change, or skip); an apply run runs it once, its result registered as a module's.
 */
import { defineModule } from '../types.ts';
import { type BridgeRequest, runActionBridge } from './action-bridge.ts';
import { ansibleInstall } from './module-utils.ts';
import { applyOutcome, checkOutcome, moduleResult, namedInterpreter } from './result.ts';

interface ActionParams {
  /** The module as the task names it (the resolved name: `kubernetes.core.k8s`). */
  name: string;
  /** Its full name: module_defaults find it by that. */
  fqcn?: string;
  /** ansible_collections folders the plugin and its module are found in. */
  collections?: string[];
  /** action_plugins folders of the content's own (a role's, the playbook's, ansible.cfg's). */
  action_dirs?: string[];
  args?: Record<string, unknown>;
}

/** The action's result as moduleResult reads a module's answer (registered the same way). */
export const asModuleAnswer = (result: Record<string, unknown>) =>
  JSON.stringify({ rc: 0, stdout: JSON.stringify(result), stderr: '' });

const answerOf = (out: string, name: string) => moduleResult({ code: 0, stdout: out, stderr: '' }, name);

export function bridgeRequest(
  p: ActionParams,
  vars: Record<string, unknown>,
  modes: { check: boolean; diff: boolean; noLog: boolean; search: string[] },
): BridgeRequest {
  const python = namedInterpreter(vars) ?? '/usr/bin/python3';
  const basedir = typeof vars.playbook_dir === 'string' ? vars.playbook_dir : process.cwd();
  return {
    module: p.name,
    args: p.args ?? {},
    vars: JSON.parse(JSON.stringify({ ...vars, ansible_python_interpreter: python })),
    ...modes,
    transport: vars.ansible_connection === 'local' ? 'local' : 'ssh',
    basedir,
    collections: p.collections ?? [],
    actionDirs: p.action_dirs ?? [],
  };
}

export const ansibleAction = defineModule<ActionParams>({
  name: 'ansible_action',
  internal: true,
  prefetch: false,
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      fqcn: { type: 'string' },
      collections: { type: 'array', items: { type: 'string' } },
      action_dirs: { type: 'array', items: { type: 'string' } },
      args: { type: 'object' },
    },
    required: ['name'],
    additionalProperties: false,
  },
  check() {
    const install = ansibleInstall();
    return install instanceof Error ? [install.message.replace('a Python module', 'an action plugin')] : [];
  },
  async plan(ctx, p) {
    const modes = {
      diff: ctx.diff ?? false,
      noLog: ctx.noLog ?? false,
      search: ctx.searchDirs ?? [],
    };
    const summary = `run ${p.name} (its action plugin, by ansible-core)`;
    if (ctx.checkMode) {
      const result = await runActionBridge(bridgeRequest(p, ctx.vars, { ...modes, check: true }), {
        exec: (command, stdin) => ctx.probeInput!(command, stdin),
      });
      return checkOutcome(answerOf(asModuleAnswer(result), p.name), summary);
    }
    const request = bridgeRequest(p, ctx.vars, { ...modes, check: false });
    return applyOutcome(summary, { kind: 'ansible-action', request }, p.name);
  },
});
