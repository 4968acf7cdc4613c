/** The one seam to zx: run local system commands (ip, ssh-keygen, mount) for the lab. */
import { $, type ProcessOutput } from 'zx';

$.verbose = false;
$.quiet = true;

export async function run(
  cmd: string,
  args: string[],
  options: { allowFail?: boolean } = {},
): Promise<ProcessOutput> {
  const p = $({ nothrow: true })`${cmd} ${args}`;
  const out = await p;
  if (!options.allowFail && out.exitCode !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${out.exitCode}): ${out.stderr.trim()}`);
  }
  return out;
}

export async function ok(cmd: string, args: string[]): Promise<boolean> {
  return (await run(cmd, args, { allowFail: true })).exitCode === 0;
}
