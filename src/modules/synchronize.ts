/**
 * ansible.posix.synchronize: rsync run on the controller, pushing to the host or pulling from
 * it over OpenSSH (or between two local paths on a local connection), with the command line the
 * collection builds (its action plugin's host, user, port and key; its module's options, in its
 * order, as one string split as Python's shlex splits it). Planned by the same rsync with
 * `--dry-run`: the host is left alone when rsync would change nothing; the change is rsync's own
 * verdict, its `<<CHANGED>>` lines. Delegated to its own host, rsync runs there between two of its
 * paths (the dry run a probe, the copy an action on the host, with the task's become); delegate_to
 * another host (rsync from there) is refused where the play is read.
 */
import { execFile } from 'node:child_process';
import { isAbsolute } from 'node:path';
import { shlexSplit } from '../inventory/shlex.ts';
import { connectionOf } from '../transport/connect.ts';
import { defineModule, type ModuleOutcome, type ProbeContext } from './types.ts';

export interface SyncParams {
  src: string;
  dest: string;
  mode?: 'push' | 'pull';
  dest_port?: number;
  delete?: boolean;
  private_key?: string;
  rsync_path?: string;
  archive?: boolean;
  checksum?: boolean;
  compress?: boolean;
  existing_only?: boolean;
  dirs?: boolean;
  recursive?: boolean;
  links?: boolean;
  copy_links?: boolean;
  perms?: boolean;
  times?: boolean;
  owner?: boolean;
  group?: boolean;
  set_remote_user?: boolean;
  rsync_timeout?: number;
  rsync_opts?: string[];
  use_ssh_args?: boolean;
  ssh_connection_multiplexing?: boolean;
  partial?: boolean;
  verify_host?: boolean;
  delay_updates?: boolean;
  /** Delegated to its own host (delegate_to: "{{ inventory_hostname }}"): rsync runs there, both paths its own. */
  on_host?: boolean;
}

const CHANGED = '<<CHANGED>>';
/** Ansible's ssh connection's default ssh_args, which use_ssh_args passes on. */
const DEFAULT_SSH_ARGS = '-C -o ControlMaster=auto -o ControlPersist=60s';

/** Python's shlex.quote, so the command line reads as the module's. */
export function pyQuote(s: string): string {
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}

const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));

/** The plugin's _format_rsync_rsh_target. */
function remoteTarget(host: string, path: string, user: string | undefined): string {
  if (path.startsWith('rsync://')) return path;
  const prefix = user ? `${user}@` : '';
  if (host.includes(':')) return `[${prefix}${host}]:${path}`;
  if (!path.includes(':')) return `${prefix}${host}:${path}`;
  return path.includes('@') ? path : `${prefix}${path}`;
}

/** A controller path: relative ones found as the plugin finds them (files/, then the folder). */
function controllerPath(ctx: ProbeContext, path: string): string {
  if (path.includes(':') || isAbsolute(path)) return path;
  const found = ctx.localPath?.(path) ?? path;
  return path.endsWith('/') && !found.endsWith('/') ? `${found}/` : found;
}

/** The module's command line for these parameters and ends. */
function commandLine(p: SyncParams, src: string, dest: string, rsh: string | undefined, rsyncPath?: string) {
  const cmd = ['rsync'];
  const flag = (on: boolean | undefined, ...words: string[]) => on && cmd.push(...words);
  flag(p.delay_updates !== false, '--delay-updates', '-F');
  flag(p.compress !== false, '--compress');
  flag(!!p.rsync_timeout, `--timeout=${p.rsync_timeout}`);
  const dryRunAt = cmd.length;
  flag(p.delete, '--delete-after');
  flag(p.existing_only, '--existing');
  flag(p.checksum, '--checksum');
  flag(p.copy_links, '--copy-links');
  const toggles = ['recursive', 'links', 'perms', 'times', 'owner', 'group'] as const;
  if (p.archive !== false) {
    cmd.push('--archive');
    for (const t of toggles) flag(p[t] === false, `--no-${t}`);
  } else for (const t of toggles) flag(p[t] === true, `--${t}`);
  flag(p.dirs, '--dirs');
  if (rsh !== undefined) cmd.push(`--rsh=${pyQuote(rsh)}`);
  if (rsyncPath) cmd.push(`--rsync-path=${pyQuote(rsyncPath)}`);
  cmd.push(...(p.rsync_opts ?? []));
  flag(p.partial, '--partial');
  cmd.push(`--out-format=${pyQuote(`${CHANGED}%i %n%L`)}`, pyQuote(src), pyQuote(dest));
  const dry = [...cmd];
  dry.splice(dryRunAt, 0, '--dry-run');
  return { line: cmd.join(' '), dryLine: dry.join(' ') };
}

/** Runs rsync on the controller; never a shell (the words as shlex splits the module's string). */
export function runRsync(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const [program, ...args] = shlexSplit(line);
  return new Promise((resolve) => {
    execFile(
      program,
      args,
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LANG: 'C' } },
      (err, stdout, stderr) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 127) : 0,
          stdout,
          stderr: stderr || (err && typeof err.code !== 'number' ? err.message : stderr),
        }),
    );
  });
}

/** The result Ansible registers from rsync's output. */
function resultOf(out: string, line: string, rc = 0) {
  const msg = out.replaceAll(CHANGED, '');
  return { msg, rc, cmd: line, stdout_lines: msg.split('\n').filter((l) => l !== '') };
}

export const synchronizeModule = defineModule<SyncParams>({
  name: 'synchronize',
  aliases: ['ansible.posix.synchronize'],
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string' },
      dest: { type: 'string' },
      mode: { enum: ['push', 'pull'] },
      dest_port: { type: 'integer' },
      private_key: { type: 'string' },
      rsync_path: { type: 'string' },
      rsync_timeout: { type: 'integer' },
      rsync_opts: { type: 'array', items: { type: 'string' } },
      ...Object.fromEntries(
        [
          ...['delete', 'archive', 'checksum', 'compress', 'existing_only', 'dirs', 'recursive', 'links'],
          ...['copy_links', 'perms', 'times', 'owner', 'group', 'set_remote_user', 'use_ssh_args'],
          ...['ssh_connection_multiplexing', 'partial', 'verify_host', 'delay_updates', 'on_host'],
        ].map((k) => [k, { type: 'boolean' }]),
      ),
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  // its dry run is a controller process, not a probe the look-ahead could share: run it in turn
  prefetch: false,
  check(p) {
    return p.src.startsWith('rsync://') && p.dest.startsWith('rsync://')
      ? ['either src or dest must be a localhost']
      : [];
  },
  async plan(ctx, p): Promise<ModuleOutcome> {
    if (p.on_host) return onHost(ctx, p);
    const v = ctx.vars;
    const local = connectionOf(ctx.host, v) === 'local';
    let src = p.src;
    let dest = p.dest;
    let rsh: string | undefined;
    let rsyncPath = p.rsync_path;
    if (local) {
      src = controllerPath(ctx, src);
      dest = controllerPath(ctx, dest);
    } else {
      const host = str(v.ansible_host) ?? ctx.host;
      const user = p.set_remote_user === false ? undefined : (str(v.ansible_user) ?? str(v.ansible_ssh_user));
      const port = p.dest_port ?? (str(v.ansible_port) === undefined ? undefined : Number(v.ansible_port));
      const key = p.private_key ?? str(v.ansible_ssh_private_key_file) ?? str(v.ansible_private_key_file);
      if (p.mode === 'pull') {
        src = remoteTarget(host, src, user);
        dest = controllerPath(ctx, dest);
      } else {
        src = controllerPath(ctx, src);
        dest = remoteTarget(host, dest, user);
      }
      const remoteSide = `${src}${dest}`;
      if (!remoteSide.includes('rsync://') && !(p.rsync_opts ?? []).some((o) => o.includes('--rsh'))) {
        const ssh = ['ssh'];
        if (!p.ssh_connection_multiplexing) ssh.push('-S', 'none');
        if (key) ssh.push('-i', key);
        if (port !== undefined) ssh.push('-o', `Port=${port}`);
        if (!p.verify_host) ssh.push('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null');
        rsh = ssh.map(pyQuote).join(' ');
        if (p.use_ssh_args) {
          const args = [
            str(v.ansible_ssh_args) ?? DEFAULT_SSH_ARGS,
            str(v.ansible_ssh_common_args),
            str(v.ansible_ssh_extra_args),
          ];
          rsh += ` ${args.filter(Boolean).join(' ')}`;
        }
      }
      // become on the host: rsync there runs through sudo, as the plugin arranges it
      if (ctx.become && !rsyncPath)
        rsyncPath = `sudo -u ${ctx.becomeUser ?? str(v.ansible_become_user) ?? 'root'} rsync`;
    }
    const { line, dryLine } = commandLine(p, src, dest, rsh, rsyncPath);
    const dry = await runRsync(dryLine);
    if (dry.code !== 0) return { changes: [], failed: dry.stderr, result: { rc: dry.code, cmd: dryLine } };
    if (!dry.stdout.includes(CHANGED)) return { changes: [], result: resultOf(dry.stdout, line) };
    return {
      changes: [
        {
          summary: `rsync ${p.mode === 'pull' ? 'from' : 'to'} the host: ${dry.stdout.split('\n').filter((l) => l.startsWith(CHANGED)).length} entries`,
          action: { kind: 'controller-exec', line },
          changedIf: (stdout) => stdout.includes(CHANGED),
        },
      ],
      result: resultOf(dry.stdout, line),
      outputResult: { keys: ['msg', 'stdout_lines'], from: (stdout) => resultOf(stdout, line) },
    };
  },
});

/** rsync on the host itself, from one of its paths to another, as the plugin runs a self-delegated task. */
async function onHost(ctx: ProbeContext, p: SyncParams): Promise<ModuleOutcome> {
  const { line, dryLine } = commandLine(
    p,
    controllerPath(ctx, p.src),
    controllerPath(ctx, p.dest),
    undefined,
    p.rsync_path,
  );
  const dry = await ctx.probe(`LANG=C ${dryLine}`);
  if (dry.code !== 0) return { changes: [], failed: dry.stderr, result: { rc: dry.code, cmd: dryLine } };
  if (!dry.stdout.includes(CHANGED)) return { changes: [], result: resultOf(dry.stdout, line) };
  return {
    changes: [
      {
        summary: `rsync on the host: ${dry.stdout.split('\n').filter((l) => l.startsWith(CHANGED)).length} entries`,
        action: { kind: 'exec', command: `LANG=C ${line}` },
        changedIf: (stdout) => stdout.includes(CHANGED),
      },
    ],
    result: resultOf(dry.stdout, line),
    outputResult: { keys: ['msg', 'stdout_lines'], from: (stdout) => resultOf(stdout, line) },
  };
}
