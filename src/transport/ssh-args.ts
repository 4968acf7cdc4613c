/**
 * Ansible's ssh arguments (ssh_args, ansible_ssh_common_args, ansible_ssh_extra_args) read as
 * OpenSSH would take them (the first value of an option wins). quorum is its own SSH client:
 * what it honours it takes (-o UserKnownHostsFile, StrictHostKeyChecking, ProxyJump / -J, and a
 * ProxyCommand of the form `ssh -W %h:%p [-q] [-p PORT] [-l USER] [USER@]HOST`, which is a jump);
 * what only tunes OpenSSH's own connection (ControlPersist, Compression, ServerAliveInterval ...)
 * changes nothing here and is taken; anything else would reach the host otherwise, as someone
 * else or with other trust, and is refused before any host is touched.
 */
import { InputError, type SourceLocation } from '../errors.ts';
import { shlexSplit } from '../inventory/shlex.ts';

export interface SshArgs {
  userKnownHostsFile?: string;
  strictHostKeyChecking?: string;
  /** [user@]host[:port] to jump through. */
  proxyJump?: string;
}

/** -o options that tune OpenSSH's own connection or output: nothing for quorum's client to do. */
const NO_EFFECT = new Set(
  [
    'ControlMaster',
    'ControlPersist',
    'ControlPath',
    'Compression',
    'ServerAliveInterval',
    'ServerAliveCountMax',
    'TCPKeepAlive',
    'ConnectTimeout',
    'ConnectionAttempts',
    'LogLevel',
    'PreferredAuthentications',
    'PasswordAuthentication',
    'KbdInteractiveAuthentication',
    'PubkeyAuthentication',
    'GSSAPIAuthentication',
    'GSSAPIDelegateCredentials',
    'ForwardAgent',
    'ForwardX11',
    'IdentitiesOnly',
    'AddKeysToAgent',
    'HashKnownHosts',
    'CheckHostIP',
    'VisualHostKey',
    'BatchMode',
    'UpdateHostKeys',
    'NumberOfPasswordPrompts',
    'ChallengeResponseAuthentication',
    'RequestTTY',
    'EscapeChar',
    'IPQoS',
  ].map((k) => k.toLowerCase()),
);
/** Flags without an argument that change nothing here (compression, verbosity, no tty, agent or X11 forwarding). */
const NO_EFFECT_FLAGS = /^-[CqvTtAaxXkNn46]+$/;

export function parseSshArgs(texts: Array<{ text: string; from: string; at?: SourceLocation }>): SshArgs {
  const out: SshArgs = {};
  const first = (key: keyof SshArgs, value: string) => {
    out[key] ??= value;
  };
  for (const { text, from, at } of texts) {
    const refuse = (what: string, hint: string) =>
      new InputError(
        'CONNECTION',
        `${from}: ${what}: quorum is its own SSH client and would reach the host otherwise`,
        at,
        hint,
      );
    const words = shlexSplit(text);
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (NO_EFFECT_FLAGS.test(w)) continue;
      if (w === '-J' || (w.startsWith('-J') && w.length > 2)) {
        first('proxyJump', w === '-J' ? (words[++i] ?? '') : w.slice(2));
        continue;
      }
      if (/^-[cmSE]/.test(w)) {
        if (w.length === 2) i++; // a cipher, MAC, control socket or log file: nothing here
        continue;
      }
      if (!w.startsWith('-o'))
        throw refuse(
          w,
          'set ansible_host, ansible_port, ansible_user or ansible_ssh_private_key_file instead',
        );
      const option = w === '-o' ? (words[++i] ?? '') : w.slice(2);
      const m = /^\s*(\w+)\s*(?:=|\s)\s*(.*)$/s.exec(option);
      if (!m) throw refuse(`-o ${option}`, 'an ssh option is -o Key=Value');
      const key = m[1].toLowerCase();
      const value = m[2].trim();
      if (key === 'userknownhostsfile') first('userKnownHostsFile', value);
      else if (key === 'stricthostkeychecking') first('strictHostKeyChecking', value.toLowerCase());
      else if (key === 'proxyjump') first('proxyJump', value);
      else if (key === 'proxycommand') {
        const jump = jumpOfProxyCommand(value);
        if (!jump)
          throw refuse(
            `-o ProxyCommand=${value}`,
            'quorum takes `ssh -W %h:%p [USER@]HOST` or -o ProxyJump=[USER@]HOST',
          );
        first('proxyJump', jump);
      } else if (!NO_EFFECT.has(key))
        throw refuse(
          `-o ${m[1]}`,
          'quorum takes UserKnownHostsFile, StrictHostKeyChecking, ProxyJump and options that only tune OpenSSH (ControlPersist ...); set ansible_port / ansible_user / ansible_ssh_private_key_file for the others',
        );
    }
  }
  return out;
}

/** `ssh -W %h:%p [-q] [-p PORT] [-l USER] [USER@]HOST`: the jump host, else undefined. */
export function jumpOfProxyCommand(command: string): string | undefined {
  const words = shlexSplit(command);
  if (!/(^|\/)ssh$/.test(words[0] ?? '')) return undefined;
  let forward: string | undefined;
  let port: string | undefined;
  let user: string | undefined;
  const hosts: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (w === '-W') forward = words[++i];
    else if (w === '-p') port = words[++i];
    else if (w === '-l') user = words[++i];
    else if (NO_EFFECT_FLAGS.test(w)) continue;
    else if (w.startsWith('-')) return undefined;
    else hosts.push(w);
  }
  if (!forward || !/^(%h|\[%h\]):%p$/.test(forward) || hosts.length !== 1) return undefined;
  const host = hosts[0];
  return `${user && !host.includes('@') ? `${user}@` : ''}${host}${port ? `:${port}` : ''}`;
}
