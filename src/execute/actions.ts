/** The executor's hands: the only code that runs actions (commands that change hosts, file writes). */
import type { Action } from '../modules/types.ts';
import { quote, sh } from '../transport/shell.ts';
import type { ExecResult, Transport } from '../transport/types.ts';
import { ansibleAction } from './ansible-action.ts';
import { asUser } from './become.ts';
import { controllerAction } from './controller-actions.ts';
import { rebootHost } from './reboot.ts';

/** Write through a temp file in the same folder and rename: readers never see half a file. */
export function writeCommand(a: Extract<Action, { kind: 'write' }>): string {
  const p = a.path;
  const dir = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) || '/' : '.';
  const attrs = [
    a.mode ? sh`chmod ${a.mode} "$t"` : '',
    a.owner ? `chown ${quote(a.owner)} "$t"` : '',
    a.group ? `chgrp ${quote(a.group)} "$t"` : '',
  ].filter(Boolean);
  const folder =
    a.parents === false
      ? `{ [ -d ${quote(dir)} ] || { echo ${quote(`Destination directory ${dir} does not exist`)} >&2; exit 1; }; }`
      : sh`mkdir -p ${dir}`;
  return [
    folder,
    `t=$(mktemp ${quote(`${dir}/.quorum.XXXXXX`)})`,
    // the content is the command's stdin: every transport moves it as bytes
    'cat > "$t"',
    sh`{ if [ -e ${p} ]; then chmod --reference=${p} "$t" && chown --reference=${p} "$t"; else chmod 0644 "$t"; fi; }`,
    ...attrs,
    ...(a.validate ? [validateStep(a.validate)] : []),
    sh`mv -f "$t" ${p}`,
  ]
    .join(' && ')
    .concat(' || { rm -f "$t"; exit 1; }');
}

/** The marker a refusal by validate starts with on stderr (the step's failure message, from there). */
export const VALIDATE_REFUSED = 'failed to validate';

/**
 * `validate` on the temporary file: its stderr kept aside so a refusal says what the modules say,
 * "failed to validate: rc:N error:" and the command's stderr as it wrote it.
 */
function validateStep(validate: string): string {
  const run = `{ ${validate.split('%s').join('"$t"')}; } >/dev/null 2>"$t.v"`;
  return `{ ${run}; v=$?; if [ $v -ne 0 ]; then { printf '${VALIDATE_REFUSED}: rc:%s error:' $v; cat "$t.v"; } >&2; rm -f "$t.v"; false; else rm -f "$t.v"; fi; }`;
}

export interface ActionFailure {
  command: string;
  result: ExecResult;
}

export async function runAction(
  transport: Transport,
  action: Action,
  become: boolean,
  /** become_user: the command (a write too, so the file is that user's) runs as this user. */
  asUserName?: string,
): Promise<{ result: ExecResult; failure?: ActionFailure }> {
  if (action.kind === 'fetch' || action.kind === 'local-remove' || action.kind === 'controller-exec')
    return controllerAction(transport, action, become);
  if (action.kind === 'ansible-action') return ansibleAction(transport, action, become, asUserName);
  if (action.kind === 'reboot') {
    const result = await rebootHost(transport, action, become);
    return result.code === 0 ? { result } : { result, failure: { command: 'reboot', result } };
  }
  const command = asUser(action.kind === 'exec' ? action.command : writeCommand(action), asUserName);
  const stdin = action.kind === 'exec' ? action.stdin : action.content;
  const result = await transport.exec(command, { purpose: 'action', stdin, become });
  const ok = action.kind === 'exec' ? (action.okCodes ?? [0]).includes(result.code) : result.code === 0;
  return ok
    ? { result }
    : {
        result,
        failure: {
          command: action.kind === 'exec' ? (action.shown ?? command) : `write ${action.path}`,
          result,
        },
      };
}
