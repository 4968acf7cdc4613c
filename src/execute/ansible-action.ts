/**
 * The executor's side of a module run by ansible-core's action plugin (modules/library/
 * action-bridge.ts): each command the plugin sends runs on the host with the task's become (a
 * command ansible-core marks not sudoable as the connection's user), become_user and environment.
 * Its result is the action's, as a module's answer; an action that raised fails the task.
 */
import { runActionBridge } from '../modules/library/action-bridge.ts';
import { asModuleAnswer } from '../modules/library/action-module.ts';
import type { Action } from '../modules/types.ts';
import type { ExecResult, Transport } from '../transport/types.ts';
import { asUser, withEnvironment } from './become.ts';

export async function ansibleAction(
  transport: Transport,
  action: Extract<Action, { kind: 'ansible-action' }>,
  become: boolean,
  asUserName: string | undefined,
): Promise<{ result: ExecResult }> {
  try {
    const answer = await runActionBridge(action.request, {
      exec: (command, stdin, sudoable) =>
        transport.exec(
          withEnvironment(sudoable ? asUser(command, asUserName) : command, action.environment),
          {
            purpose: 'action',
            stdin,
            become: become && sudoable,
          },
        ),
    });
    return { result: { code: 0, stdout: asModuleAnswer(answer), stderr: '' } };
  } catch (e) {
    // the task's failure, in the words ansible-core's task executor gives an action's exception
    const failed = {
      failed: true,
      msg: `Unexpected failure during module execution: ${(e as Error).message}`,
    };
    return { result: { code: 0, stdout: asModuleAnswer(failed), stderr: '' } };
  }
}
