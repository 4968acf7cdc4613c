/**
 * Picks and configures the transport for a host from its inventory variables, the way
 * Ansible users expect: ansible_connection, ansible_host, ansible_port, ansible_user,
 * ansible_ssh_private_key_file, ansible_ssh_common_args / extra_args (ssh-args.ts), then
 * ansible.cfg's remote_user / remote_port / private_key_file, then ~/.ssh/config, then defaults.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ansibleConfig, userSetting } from '../config/ansible-config.ts';
import { InputError } from '../errors.ts';
import { OPTION_VARS, optionVar } from './connection-vars.ts';
import { KeptTransport } from './kept.ts';
import type { HostKeyPolicy } from './known-hosts.ts';
import { LocalTransport } from './local.ts';
import { type SshOptions, type SshTarget, SshTransport } from './ssh.ts';
import { jumpOfProxyCommand, parseSshArgs, type SshArgs } from './ssh-args.ts';
import { readSshConfig, type SshHostConfig } from './ssh-config.ts';
import type { Transport } from './types.ts';

export type TransportFactory = (host: string, vars: Record<string, unknown>) => Transport;

export interface ConnectionSettings {
  hostKeyChecking?: HostKeyPolicy;
  connectTimeoutMs?: number;
  retries?: number;
  becomePassword?: string;
  /** ansible.cfg's host_key_checking = False (below a host's ansible_host_key_checking). */
  configHostKeyChecking?: HostKeyPolicy;
  /** -k: the SSH password where no variable gives one. */
  password?: string;
  /** Keep SSH connections open in the keeper for this long after a run (0: off). */
  persistSeconds?: number;
  /** One persistent remote shell per host (default), or an exec channel per command. */
  sshChannels?: 'shell' | 'exec';
}

const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));

/**
 * The ssh arguments a host's connection takes, in the order Ansible puts them on ssh's command
 * line: ansible_ssh_args, ansible_ssh_common_args, ansible_ssh_extra_args (each its ansible.cfg
 * setting where the variable is not set: ssh_args, ssh_common_args, ssh_extra_args).
 */
export function sshArgsOf(host: string, vars: Record<string, unknown>): SshArgs {
  const config = ansibleConfig();
  const setting = (name: 'SSH_ARGS' | 'SSH_COMMON_ARGS' | 'SSH_EXTRA_ARGS') => {
    const v = config.get(name);
    return {
      text: String(v.value ?? ''),
      from: v.origin === 'ini' ? String(v.ini) : String(v.from),
      at: v.at,
    };
  };
  const variable = (name: string, fallback: 'SSH_ARGS' | 'SSH_COMMON_ARGS' | 'SSH_EXTRA_ARGS') =>
    str(vars[name]) === undefined
      ? setting(fallback)
      : { text: str(vars[name]) ?? '', from: `${host}: ${name}` };
  return parseSshArgs([
    variable('ansible_ssh_args', 'SSH_ARGS'),
    variable('ansible_ssh_common_args', 'SSH_COMMON_ARGS'),
    variable('ansible_ssh_extra_args', 'SSH_EXTRA_ARGS'),
  ]);
}

function target(spec: string, fallbackUser: string): SshTarget {
  const m = /^(?:([^@]+)@)?([^:]+)(?::(\d+))?$/.exec(spec);
  const cfg = readSshConfig(m?.[2] ?? spec);
  return {
    address: cfg.hostName ?? m?.[2] ?? spec,
    port: Number(m?.[3] ?? cfg.port ?? 22),
    user: m?.[1] ?? cfg.user ?? fallbackUser,
    privateKeyPaths: [...cfg.identityFiles, ...defaultKeys()],
    agent: process.env.SSH_AUTH_SOCK,
  };
}

let knownKeys: { folder: string; listed: number; keys: string[] } | undefined;

/**
 * ssh's default identity files that exist; looked for again only when ~/.ssh changes (a key
 * made or removed changes the folder's time), not once per host.
 */
function defaultKeys(): string[] {
  const folder = join(homedir(), '.ssh');
  const listed = statSync(folder, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  if (knownKeys?.folder !== folder || knownKeys.listed !== listed)
    knownKeys = {
      folder,
      listed,
      keys: ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((k) => join(folder, k)).filter((p) => existsSync(p)),
    };
  return knownKeys.keys;
}

export function sshTransportFor(
  host: string,
  vars: Record<string, unknown>,
  settings: ConnectionSettings = {},
): SshTransport {
  return new SshTransport(host, sshOptionsFor(host, vars, settings));
}

export function sshOptionsFor(
  host: string,
  vars: Record<string, unknown>,
  settings: ConnectionSettings = {},
): SshOptions {
  const cfg = readSshConfig(host);
  const args = sshArgsOf(host, vars);
  const option = (names: readonly string[]) => optionVar(vars, names);
  if (option(OPTION_VARS.privateKey) !== undefined)
    throw new InputError(
      'CONNECTION',
      `${host}: ${OPTION_VARS.privateKey.find((n) => vars[n] !== undefined)} is not supported: quorum reads SSH keys from files`,
      undefined,
      "set ansible_ssh_private_key_file to the key's file",
    );
  const user =
    option(OPTION_VARS.user) ?? userSetting<string>('DEFAULT_REMOTE_USER') ?? cfg.user ?? userInfo().username;
  const key = option(OPTION_VARS.privateKeyFile) ?? userSetting<string>('DEFAULT_PRIVATE_KEY_FILE');
  const strictOpt = args.strictHostKeyChecking;
  const checking = option(OPTION_VARS.hostKeyChecking);
  const policy: HostKeyPolicy =
    settings.hostKeyChecking ??
    (checking !== undefined
      ? ['y', 'yes', 'on', '1', 'true', 't'].includes(checking.toLowerCase())
        ? 'strict'
        : 'off'
      : undefined) ??
    settings.configHostKeyChecking ??
    (strictOpt === 'no' ? 'off' : strictOpt === 'accept-new' ? 'accept-new' : 'strict');
  const timeout = Number(vars.ansible_ssh_timeout);
  return {
    address: option(OPTION_VARS.host) ?? cfg.hostName ?? host,
    port: Number(option(OPTION_VARS.port) ?? userSetting<number>('DEFAULT_REMOTE_PORT') ?? cfg.port ?? 22),
    user,
    privateKeyPaths: [...(key ? [key] : []), ...cfg.identityFiles, ...defaultKeys()],
    password: option(OPTION_VARS.password) ?? settings.password,
    agent: process.env.SSH_AUTH_SOCK,
    knownHostsFile: args.userKnownHostsFile ?? join(homedir(), '.ssh', 'known_hosts'),
    hostKeyPolicy: policy,
    connectTimeoutMs: timeout > 0 ? timeout * 1000 : (settings.connectTimeoutMs ?? 10_000),
    retries: settings.retries ?? 2,
    maxChannels: 8,
    channels: settings.sshChannels,
    becomePassword: settings.becomePassword ?? option(OPTION_VARS.becomePassword),
    jump: ((j) => (j ? target(j, user) : undefined))(
      args.proxyJump ?? cfg.proxyJump ?? configJump(host, cfg),
    ),
  };
}

/** ~/.ssh/config's ProxyCommand where it is a jump; any other would reach the host otherwise: refused. */
function configJump(host: string, cfg: SshHostConfig): string | undefined {
  if (!cfg.proxyCommand) return undefined;
  const jump = jumpOfProxyCommand(cfg.proxyCommand);
  if (jump) return jump;
  throw new InputError(
    'CONNECTION',
    `${host}: ~/.ssh/config: ProxyCommand ${cfg.proxyCommand}: quorum is its own SSH client and would reach the host otherwise`,
    undefined,
    'quorum takes `ProxyCommand ssh -W %h:%p [USER@]HOST` or ProxyJump',
  );
}

/** The host's connection plugin, as Ansible names it (localhost without one is local; so is every host under `-c local`). */
export function connectionOf(host: string, vars: Record<string, unknown>): string {
  const configured = String(ansibleConfig().get('DEFAULT_TRANSPORT').value).replace(
    /^ansible\.builtin\./,
    '',
  );
  return str(vars.ansible_connection) ?? (host === 'localhost' || configured === 'local' ? 'local' : 'ssh');
}

export function transportFactory(settings: ConnectionSettings = {}): TransportFactory {
  return (host, vars) => {
    if (connectionOf(host, vars) === 'local') return new LocalTransport(host);
    if (settings.persistSeconds)
      return new KeptTransport(host, sshOptionsFor(host, vars, settings), settings.persistSeconds);
    return sshTransportFor(host, vars, settings);
  };
}

export const defaultTransportFactory: TransportFactory = transportFactory();
