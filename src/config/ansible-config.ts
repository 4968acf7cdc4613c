/**
 * ansible.cfg and the ANSIBLE_* variables, read as ansible-core 2.19 reads them
 * (lib/ansible/config/manager.py): the first file of ANSIBLE_CONFIG (a folder: its ansible.cfg),
 * ./ansible.cfg (not in a world-writable folder), ~/.ansible.cfg, /etc/ansible/ansible.cfg;
 * parsed by configparser.ConfigParser(inline_comment_prefixes=(';',)); a setting from its
 * environment variable first (the last one set of its names), then from its ini entries (the
 * last one set), then its default; typed as ensure_type types it (paths relative to the file's
 * folder, or the working folder for a variable; ini text unquoted).
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { FilterError } from '../template/jinja/filter-error.ts';
import { PyConfigParser } from '../template/jinja/py-configparser.ts';
import { SETTINGS, type SettingName, type SettingSpec } from './ansible-settings.ts';

export interface SettingValue {
  value: unknown;
  origin: 'cli' | 'env' | 'ini' | 'default';
  /** The environment variable, or the file:line:col of the ini entry. */
  from?: string;
  /** `[section] key` of the ini entry. */
  ini?: string;
  at?: SourceLocation;
}

export interface AnsibleConfig {
  file?: string;
  parser?: PyConfigParser;
  /** Said before the run (a skipped ./ansible.cfg in a world-writable folder). */
  notes: string[];
  get(name: SettingName): SettingValue;
}

interface Where {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
}

/** find_ini_config_file: the file Ansible reads, and a warning for a ./ansible.cfg it skips. */
export function findConfigFile(w: Where): { file?: string; notes: string[] } {
  const candidates: string[] = [];
  const notes: string[] = [];
  const fromEnv = w.env.ANSIBLE_CONFIG;
  if (fromEnv !== undefined) {
    const path = resolve(w.cwd, expandPath(fromEnv, w));
    candidates.push(isDir(path) ? join(path, 'ansible.cfg') : path);
  }
  const cwdCfg = join(w.cwd, 'ansible.cfg');
  let skipped = false;
  try {
    if (statSync(w.cwd).mode & 0o002) skipped = existsSync(cwdCfg);
    else candidates.push(cwdCfg);
  } catch {
    // an unreadable working folder is no source, as in Ansible
  }
  candidates.push(join(w.home, '.ansible.cfg'), '/etc/ansible/ansible.cfg');
  const file = candidates.find(readable);
  if (skipped && file !== candidates[0])
    notes.push(
      `Ansible is being run in a world writable directory (${w.cwd}), ignoring it as an ansible.cfg source (as ansible-core does)`,
    );
  return { file, notes };
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};
const readable = (p: string) => {
  try {
    accessSync(p, constants.R_OK);
    return true;
  } catch {
    return false;
  }
};

/** unfrackpath's expansion: $VARS and ~. */
function expandPath(path: string, w: Where): string {
  const vars = path.replace(/\$(\w+)|\$\{(\w+)\}/g, (all, a, b) => w.env[a ?? b] ?? all);
  return vars === '~' || vars.startsWith('~/') ? w.home + vars.slice(1) : vars;
}

/** ansible.module_utils' unquote: one pair of matching outer quotes. */
const unquote = (s: string) =>
  s.length > 1 && s[0] === s[s.length - 1] && `"'`.includes(s[0]) && s[s.length - 2] !== '\\'
    ? s.slice(1, -1)
    : s;

const TRUE = ['y', 'yes', 'on', '1', 'true', 't'];

/** ensure_type for the types quorum's settings have; undefined where Ansible raises ValueError. */
function typed(spec: SettingSpec, raw: string, fromIni: boolean, base: string, w: Where): unknown {
  const path = (p: string) => resolve(base, expandPath(p, w));
  switch (spec.type) {
    case 'boolean':
      return TRUE.includes(raw.trim().toLowerCase());
    case 'integer':
      return /^\s*[-+]?\d+(\.0*)?\s*$/.test(raw) ? Number.parseInt(raw, 10) : undefined;
    case 'list':
      return raw.split(',').map((x) => unquote(x.trim()));
    case 'path':
      return path(fromIni ? unquote(raw) : raw);
    case 'pathlist':
      return raw.split(',').map((x) => path(x.trim()));
    case 'pathspec':
      return raw.split(':').map(path);
    default:
      return fromIni ? unquote(raw) : raw;
  }
}

/** The config as ansible-playbook started here would read it; refuses an unreadable file. */
export function loadAnsibleConfig(w: Where): AnsibleConfig {
  const { file, notes } = findConfigFile(w);
  let parser: PyConfigParser | undefined;
  let text: string | undefined;
  if (file) {
    text = readFileSync(file, 'utf8');
    parser = new PyConfigParser({
      allowNoValue: false,
      interpolation: false, // Ansible reads every value raw: `%` needs no doubling
      caseSensitive: false,
      inlineCommentPrefixes: [';'],
    });
    try {
      parser.read(text);
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      const line = /\[line\s+(\d+)\]|line: (\d+)/.exec(e.message);
      throw new InputError(
        'CONFIG',
        `Error reading config file (${file}): ${e.message.replace("'<???>'", "'<string>'")}`,
        { file, line: Number(line?.[1] ?? line?.[2] ?? 1), col: 1 },
      );
    }
  }
  const lines = text?.split('\n') ?? [];
  const cache = new Map<SettingName, SettingValue>();
  const read = (name: SettingName): SettingValue => {
    const spec: SettingSpec = SETTINGS[name];
    const envName = spec.env.filter((n) => w.env[n] !== undefined).at(-1);
    if (envName !== undefined) {
      const raw = w.env[envName] ?? '';
      const value = typed(spec, raw, false, w.cwd, w);
      if (value !== undefined) return { value, origin: 'env', from: envName };
      // an empty variable that is no value of the type stands for the default, as in Ansible
      if (raw !== '')
        throw new InputError('CONFIG', `Config ${name} from 'env: ${envName}' has an invalid value.`);
    }
    const entry = parser
      ? spec.ini.filter(([section, key]) => iniValue(parser, section, key) !== undefined).at(-1)
      : undefined;
    if (parser && file && entry) {
      const raw = iniValue(parser, entry[0], entry[1]) ?? '';
      const line = parser.lineOf(entry[0], entry[1]) ?? 1;
      const at = { file, line, col: (lines[line - 1]?.search(/\S/) ?? 0) + 1 };
      const value = typed(spec, raw, true, dirname(file), w);
      if (value === undefined)
        throw new InputError('CONFIG', `Config ${name} from '${file}' has an invalid value.`, at);
      return { value, origin: 'ini', from: `${file}:${line}`, ini: `[${entry[0]}] ${entry[1]}`, at };
    }
    const value =
      typeof spec.default === 'string' && spec.type.startsWith('path')
        ? typed(spec, spec.default, false, w.cwd, w)
        : spec.default;
    return { value, origin: 'default' };
  };
  return {
    file,
    parser,
    notes,
    get(name) {
      if (name in commandLine) return { value: commandLine[name], origin: 'cli', from: CLI_NAMES[name] };
      let v = cache.get(name);
      if (!v) cache.set(name, (v = read(name)));
      return v;
    },
  };
}

/** An option's value in a section, undefined where the section or option is not there. */
export function iniValue(parser: PyConfigParser, section: string, key: string): string | undefined {
  try {
    return parser.get(section, key) ?? undefined;
  } catch (e) {
    if (e instanceof FilterError && /^No section/.test(e.message)) return undefined;
    throw e;
  }
}

/** Settings an ansible-playbook option gives (`-u`, `-b` ...): above the environment and the file, as in Ansible. */
const commandLine: Partial<Record<SettingName, unknown>> = {};
const CLI_NAMES: Partial<Record<SettingName, string>> = {};

/** An option of the command line, for the rest of this process. */
export function setFromCommandLine(name: SettingName, value: unknown, option: string): void {
  commandLine[name] = value;
  CLI_NAMES[name] = option;
}

let current: { key: string; config: AnsibleConfig } | undefined;
let pinned: AnsibleConfig | undefined;

/**
 * Runs `work` with the config as it is now, not looked up again: the lookup's key reads every
 * ANSIBLE_ variable of process.env (tens of µs), and a run asks for settings per host and task,
 * ~7,000 times on 1,000 hosts. A run reads its config once, as ansible-playbook does.
 */
export async function withPinnedAnsibleConfig<T>(work: () => Promise<T>): Promise<T> {
  const before = pinned;
  pinned = ansibleConfig();
  try {
    return await work();
  } finally {
    pinned = before;
  }
}

/** The config of this process (its environment and working folder), read once for each of them. */
export function ansibleConfig(): AnsibleConfig {
  if (pinned) return pinned;
  const env = process.env;
  const key = JSON.stringify([
    process.cwd(),
    homedir(),
    Object.entries(env).filter(([k]) => k.startsWith('ANSIBLE_')),
  ]);
  if (current?.key !== key)
    current = { key, config: loadAnsibleConfig({ env, cwd: process.cwd(), home: homedir() }) };
  return current.config;
}

/** A setting's value when the user set it (command line, environment or file), else undefined. */
export function userSetting<T>(name: SettingName): T | undefined {
  const v = ansibleConfig().get(name);
  return v.origin === 'default' ? undefined : (v.value as T);
}
