/**
 * The command-line options ansible.cfg and ANSIBLE_* give a default to, as ansible-playbook
 * takes them: an option given on the command line wins.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ansibleConfig, setFromCommandLine, userSetting } from './ansible-config.ts';
import type { SettingName } from './ansible-settings.ts';

export interface ConfiguredOptions {
  inventory?: string[];
  forks?: string;
  diff?: boolean;
  tags?: string;
  skipTags?: string;
  timeout?: string;
  askBecomePass?: boolean;
}

export function ansibleDefaults(): ConfiguredOptions {
  const hosts = ansibleConfig().get('DEFAULT_HOST_LIST');
  const list = (name: 'TAGS_RUN' | 'TAGS_SKIP') => {
    const tags = userSetting<string[]>(name)?.filter(Boolean);
    return tags?.length ? tags.join(',') : undefined;
  };
  const number = (name: 'DEFAULT_FORKS' | 'DEFAULT_TIMEOUT') => {
    const n = userSetting<number>(name);
    return n === undefined ? undefined : String(n);
  };
  return {
    // Ansible's default, /etc/ansible/hosts, only where it exists (ansible-playbook warns and
    // runs on localhost alone where it does not; quorum asks for -i)
    inventory: (hosts.value as string[]).filter((p) => hosts.origin !== 'default' || existsSync(p)),
    forks: number('DEFAULT_FORKS'),
    diff: userSetting<boolean>('DIFF_ALWAYS'),
    tags: list('TAGS_RUN'),
    skipTags: list('TAGS_SKIP'),
    timeout: number('DEFAULT_TIMEOUT'),
    askBecomePass: userSetting<boolean>('DEFAULT_BECOME_ASK_PASS'),
  };
}

/** `o` with what the config gives for the options not given (idempotent). */
export function withAnsibleDefaults<T extends ConfiguredOptions>(o: T): T {
  const c = ansibleDefaults();
  if (!o.inventory?.length) o.inventory = c.inventory;
  o.forks ??= c.forks;
  o.diff ||= c.diff;
  o.tags ??= c.tags;
  o.skipTags ??= c.skipTags;
  o.timeout ??= c.timeout;
  o.askBecomePass ||= c.askBecomePass;
  return o;
}

/** ansible-playbook's options that set a setting for the run, as its CLI passes them on. */
export interface AnsibleCliOptions {
  user?: string;
  privateKey?: string;
  connection?: string;
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  sshCommonArgs?: string;
  sshExtraArgs?: string;
  forceHandlers?: boolean;
}

/** The options given, above ansible.cfg and ANSIBLE_* (below a play's keywords and the host's variables). */
export function applyAnsibleCliOptions(o: AnsibleCliOptions): void {
  const given: Array<[SettingName, unknown, string]> = [
    ['DEFAULT_REMOTE_USER', o.user, '--user'],
    ['DEFAULT_PRIVATE_KEY_FILE', o.privateKey && resolve(o.privateKey), '--private-key'],
    ['DEFAULT_TRANSPORT', o.connection, '--connection'],
    ['DEFAULT_BECOME', o.become || undefined, '--become'],
    ['DEFAULT_BECOME_USER', o.becomeUser, '--become-user'],
    ['DEFAULT_BECOME_METHOD', o.becomeMethod, '--become-method'],
    ['SSH_COMMON_ARGS', o.sshCommonArgs, '--ssh-common-args'],
    ['SSH_EXTRA_ARGS', o.sshExtraArgs, '--ssh-extra-args'],
    ['DEFAULT_FORCE_HANDLERS', o.forceHandlers || undefined, '--force-handlers'],
  ];
  for (const [name, value, option] of given) if (value !== undefined) setFromCommandLine(name, value, option);
}
