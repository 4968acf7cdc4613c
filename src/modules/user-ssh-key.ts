/**
 * user's `generate_ssh_key` as 2.19's ssh_key_gen: the key at `ssh_key_file` (`.ssh/id_<type>`
 * by default, under the user's home unless absolute) made with ssh-keygen (`-t` type, `-b` bits when given,
 * `-C` comment, `-N` passphrase, empty unless given) when neither it nor its .pub is there, or
 * again with `force`; the folder made 0700 first, key and folder owned by the user. Registered:
 * `ssh_fingerprint` (ssh-keygen -l), `ssh_key_file`, `ssh_public_key`, read after the task.
 */
import { sh } from '../transport/shell.ts';
import type { Change, ModuleOutcome } from './types.ts';

export interface SshKeyParams {
  name: string;
  generate_ssh_key?: boolean;
  ssh_key_bits?: number;
  ssh_key_type?: string;
  ssh_key_file?: string;
  ssh_key_comment?: string;
  ssh_key_passphrase?: string;
  force?: boolean;
}

export const SSH_KEY_SCHEMA = {
  generate_ssh_key: { type: 'boolean' },
  ssh_key_bits: { type: 'integer', minimum: 0 },
  ssh_key_type: { type: 'string' },
  ssh_key_file: { type: 'string' },
  ssh_key_comment: { type: 'string' },
  ssh_key_passphrase: { type: 'string' },
  force: { type: 'boolean' },
};

const MARK = '\u0001sshkey';

/** The module's default: `.ssh/id_<type>` under the home. */
const keyFile = (p: SshKeyParams) => p.ssh_key_file ?? `.ssh/id_${p.ssh_key_type ?? 'rsa'}`;

/** Shell setting $f to the key's path: absolute as given, else under the user's home (read now). */
function keyPath(p: SshKeyParams): string {
  const file = keyFile(p);
  if (file.startsWith('/')) return sh`f=${file}`;
  return `f="$(getent passwd ${sh`${p.name}`} | cut -d: -f6)"/${sh`${file}`}`;
}

/** What the task registers of the key, printed by the probe and by the read after a change. */
const REPORT = `printf '%s\\n' ${sh`${MARK}`}; printf '%s\\n' "$f"; ssh-keygen -l -f "$f" 2>&1 | head -1; cat "$f.pub" 2>/dev/null | head -1`;

function parseReport(stdout: string): Record<string, unknown> {
  const lines = stdout.slice(stdout.indexOf(`${MARK}\n`) + MARK.length + 1).split('\n');
  return {
    ssh_key_file: lines[0],
    ssh_fingerprint: lines[1]?.trim(),
    ssh_public_key: lines[2]?.trim() || null,
  };
}

/** The key's change, its registered fields, and the passphrase as a secret of the run. */
export async function sshKeyOutcome(
  p: SshKeyParams,
  userExists: boolean,
  probe: (command: string) => Promise<{ stdout: string }>,
  hostname: () => Promise<string>,
): Promise<Pick<ModuleOutcome, 'changes' | 'result' | 'readAfter' | 'secrets'>> {
  if (!p.generate_ssh_key) return { changes: [] };
  let state = { key: false, pub: false, report: {} as Record<string, unknown> };
  if (userExists) {
    const r = await probe(`${keyPath(p)}; [ -e "$f" ] && echo key; [ -e "$f.pub" ] && echo pub; ${REPORT}`);
    const head = r.stdout.slice(0, r.stdout.indexOf(MARK));
    state = { key: head.includes('key'), pub: head.includes('pub'), report: parseReport(r.stdout) };
  }
  const secrets = p.ssh_key_passphrase ? [p.ssh_key_passphrase] : undefined;
  if ((state.key || state.pub) && !p.force) return { changes: [], result: state.report, secrets };
  const comment = p.ssh_key_comment ?? `ansible-generated on ${await hostname()}`;
  const owner = sh`"$(id -u ${p.name}):$(id -g ${p.name})"`;
  const keygen = sh`ssh-keygen -q -t ${p.ssh_key_type ?? 'rsa'} ${p.ssh_key_bits ? ['-b', String(p.ssh_key_bits)] : []} -C ${comment} -f`;
  const command = [
    keyPath(p),
    `d=$(dirname "$f")`,
    `if [ ! -d "$d" ]; then mkdir -m 0700 "$d" && chown ${owner} "$d" || exit 1; fi`,
    // force: the old pair goes (ssh-keygen would ask before overwriting)
    'rm -f "$f" "$f.pub"',
    `${keygen} "$f" -N ${sh`${p.ssh_key_passphrase ?? ''}`} </dev/null >/dev/null || exit 1`,
    `chown ${owner} "$f" "$f.pub"`,
  ].join('; ');
  const change: Change = {
    summary: `ssh key ${keyFile(p)} of ${p.name}${state.key ? ' (again: force)' : ''}`,
    action: { kind: 'exec', command },
  };
  return {
    changes: [change],
    secrets,
    readAfter: {
      command: `${keyPath(p)}; ${REPORT}`,
      keys: ['ssh_key_file', 'ssh_fingerprint', 'ssh_public_key'],
      from: parseReport,
    },
  };
}
