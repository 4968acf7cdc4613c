/**
 * Ansible's `reboot`: the host rebooted, and the task done when it is back (its boot id changed
 * and the test command passes). Decided as ansible-core 2.19's action plugin decides
 * (plugins/action/reboot.py): every step of it happens in apply mode only, so a check run
 * predicts a change and reads nothing; a local connection fails in either, since it would reboot
 * the controller. The waiting is the executor's (src/execute/reboot.ts).
 */
import { connectionOf } from '../transport/connect.ts';
import { defineModule, type ModuleOutcome, type RebootAction } from './types.ts';

export interface RebootParams {
  boot_time_command?: string;
  connect_timeout?: number;
  msg?: string;
  post_reboot_delay?: number;
  pre_reboot_delay?: number;
  reboot_command?: string;
  reboot_timeout?: number;
  search_paths?: string | string[];
  test_command?: string;
}

const DEFAULT_SEARCH_PATHS = ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin'];

/** Negative delays count as none, as the plugin's _check_delay has it. */
const delay = (v: number | undefined) => Math.max(0, v ?? 0);

export function rebootAction(p: RebootParams): RebootAction {
  let program = 'shutdown';
  let args = `-r ${Math.floor(delay(p.pre_reboot_delay) / 60)} "${p.msg ?? 'Reboot initiated by Ansible'}"`;
  if (p.reboot_command !== undefined) {
    const space = p.reboot_command.indexOf(' ');
    program = space < 0 ? p.reboot_command : p.reboot_command.slice(0, space);
    args = space < 0 ? '' : p.reboot_command.slice(space + 1);
  }
  const paths = p.search_paths ?? DEFAULT_SEARCH_PATHS;
  return {
    kind: 'reboot',
    // an empty boot_time_command falls back to the default, as `if args.get(...)` does
    bootTimeCommand: p.boot_time_command || 'cat /proc/sys/kernel/random/boot_id',
    program,
    args,
    // check_type_list: a string is split on commas
    searchPaths: typeof paths === 'string' ? paths.split(',') : paths,
    testCommand: p.test_command ?? 'whoami',
    timeoutSeconds: p.reboot_timeout ?? 600,
    postRebootDelay: delay(p.post_reboot_delay),
    connectTimeoutSeconds: p.connect_timeout || undefined,
  };
}

export const rebootModule = defineModule<RebootParams>({
  name: 'reboot',
  schema: {
    type: 'object',
    properties: {
      boot_time_command: { type: 'string' },
      connect_timeout: { type: 'integer' },
      msg: { type: 'string' },
      post_reboot_delay: { type: 'integer' },
      pre_reboot_delay: { type: 'integer' },
      reboot_command: { type: 'string', minLength: 1 },
      reboot_timeout: { type: 'integer' },
      search_paths: {
        anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      },
      test_command: { type: 'string' },
    },
    additionalProperties: false,
  },
  // a reboot is never read ahead of its turn: nothing of it is a probe
  prefetch: false,
  async plan(ctx, p): Promise<ModuleOutcome> {
    if (connectionOf(ctx.host, ctx.vars) === 'local')
      return {
        changes: [],
        failed: 'Running reboot with local connection would reboot the control node.',
        result: { elapsed: 0, rebooted: false },
      };
    return {
      changes: [{ summary: 'reboot the host and wait for it to come back', action: rebootAction(p) }],
      result: { elapsed: 0, rebooted: true },
      outputResult: {
        keys: ['elapsed', 'rebooted'],
        from: (stdout) => JSON.parse(stdout) as Record<string, unknown>,
        // the plugin's check mode returns these very values
        checkKeeps: true,
      },
    };
  },
});
