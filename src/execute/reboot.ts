/**
 * The reboot action, in ansible-core 2.19's order (plugins/action/reboot.py): read the boot id,
 * find the shutdown program in the search paths, run it (the connection dropping under it is
 * the reboot, not a failure), wait the post-reboot delay, then wait, within the timeout, for a
 * boot id that is new and not empty, and again for the test command to pass. Each wait retries
 * on a new connection with a growing pause (capped as Ansible caps it, at 12 s).
 */
import type { RebootAction } from '../modules/types.ts';
import { quote } from '../transport/shell.ts';
import { type ExecResult, type Transport, UnreachableError } from '../transport/types.ts';

const MAX_PAUSE_MS = 12_000;
const FIRST_PAUSE_MS = 250;

const failed = (message: string): ExecResult => ({ code: 1, stdout: '', stderr: message });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Python's repr of a list of strings, as Ansible's messages print search_paths. */
const pyList = (items: string[]) => `[${items.map((s) => `'${s}'`).join(', ')}]`;

/** A try's bound when connect_timeout is not given: ssh's own default connect timeout. */
const DEFAULT_TRY_SECONDS = 10;

/**
 * A command bounded by connect_timeout (10 s when not given): a connection that went down with
 * the host may not say so at once, and a try that does not answer is made again on a new one.
 */
async function attempt(
  transport: Transport,
  command: string,
  become: boolean,
  timeoutSeconds = DEFAULT_TRY_SECONDS,
): Promise<ExecResult> {
  const run = transport.exec(command, { purpose: 'action', become });
  run.catch(() => {}); // a try given up on may still fail later
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UnreachableError(transport.host, `no answer within ${timeoutSeconds} s`)),
      timeoutSeconds * 1000,
    );
  });
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `check` until it returns true or the timeout passes; a lost connection is made anew. */
async function until(
  transport: Transport,
  timeoutSeconds: number,
  check: () => Promise<boolean>,
): Promise<boolean> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let pause = FIRST_PAUSE_MS;
  while (Date.now() < deadline) {
    try {
      if (await check()) return true;
    } catch (e) {
      if (!(e instanceof UnreachableError)) throw e;
      await transport.reset?.();
    }
    await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    pause = Math.min(pause * 2, MAX_PAUSE_MS);
  }
  return false;
}

/** The name quoted for the shell but for its glob characters (find's pattern is a glob). */
const globOnly = (name: string) => name.replace(/[^\w*?[\]\-./]/g, '\\$&');

async function programPath(
  transport: Transport,
  a: RebootAction,
  become: boolean,
): Promise<string | undefined> {
  if (a.program.startsWith('/')) return a.program;
  // the plugin asks the find module: the first entry of the first path whose name matches
  // the pattern (a glob), of any type, hidden ones left out
  const script = `for d in ${a.searchPaths.map(quote).join(' ')}; do for f in "$d"/${globOnly(a.program)}; do case "\${f##*/}" in .*) continue;; esac; if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\\n' "$f"; exit 0; fi; done; done; exit 1`;
  const r = await transport.exec(script, { purpose: 'action', become });
  return r.code === 0 ? r.stdout.split('\n')[0] : undefined;
}

export async function rebootHost(
  transport: Transport,
  a: RebootAction,
  become: boolean,
): Promise<ExecResult> {
  const bootTime = async () => {
    const r = await attempt(transport, a.bootTimeCommand, become, a.connectTimeoutSeconds);
    if (r.code !== 0)
      throw new BootTimeError(
        `reboot: failed to get host boot time info, rc: ${r.code}, stdout: ${r.stdout}, stderr: ${r.stderr}`,
      );
    return r.stdout.trim();
  };
  let before: string;
  try {
    before = await bootTime();
  } catch (e) {
    return failed((e as Error).message);
  }
  const program = await programPath(transport, a, become);
  if (program === undefined)
    // raised inside the plugin, so 2.19 words it as a task failure
    return failed(
      `Task failed: Unable to find command "${a.program}" in search paths: ${pyList(a.searchPaths)}`,
    );
  let rebooted: ExecResult;
  try {
    rebooted = await transport.exec(`${program} ${a.args}`, { purpose: 'action', become });
  } catch (e) {
    if (!(e instanceof UnreachableError)) throw e;
    // the host went down under the command: that is the reboot
    rebooted = { code: 0, stdout: '', stderr: '' };
  }
  const start = Date.now();
  if (rebooted.code !== 0)
    return failed(`Reboot command failed. Error was: '${rebooted.stdout.trim()}, ${rebooted.stderr.trim()}'`);
  if (a.postRebootDelay) await sleep(a.postRebootDelay * 1000);
  const timedOut = (what: string) => failed(`Timed out waiting for ${what} (timeout=${a.timeoutSeconds})`);
  const newBoot = async () => {
    try {
      const now = await bootTime();
      return now !== '' && now !== before;
    } catch (e) {
      // a host on its way up may not answer the command yet
      if (e instanceof BootTimeError) return false;
      throw e;
    }
  };
  if (!(await until(transport, a.timeoutSeconds, newBoot))) return timedOut('last boot time check');
  const testPasses = async () =>
    (await attempt(transport, a.testCommand, become, a.connectTimeoutSeconds)).code === 0;
  if (!(await until(transport, a.timeoutSeconds, testPasses))) return timedOut('post-reboot test command');
  const elapsed = Math.floor((Date.now() - start) / 1000);
  return { code: 0, stdout: JSON.stringify({ rebooted: true, elapsed }), stderr: '' };
}

class BootTimeError extends Error {}
