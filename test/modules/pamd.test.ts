/**
 * community.general.pamd held to the collection's own module (Debian 13's ansible 12.0.0, run
 * by ansible-core 2.19) side by side: each state (absent, updated, before, after, args_present,
 * args_absent) on its own copy of Debian 12's PAM files, the rule not found, a missing file, a
 * control PAM does not know; the same bytes (the "Updated by Ansible" mark's time aside), the
 * same statuses and registered results, nothing to change on the second run and in a check run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedSteps, runLocal } from '../helpers/run-local.ts';
import {
  changedAgain,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
  tableTasks,
} from '../helpers/side-by-side.ts';

/** /etc/pam.d/sshd of Debian 12's openssh-server 1:9.2p1-2 (comments shortened). */
const SSHD = `# PAM configuration for the Secure Shell service

# Standard Un*x authentication.
@include common-auth

# Disallow non-root logins when /etc/nologin exists.
account    required     pam_nologin.so

# Standard Un*x authorization.
@include common-account

# SELinux needs to be the first session rule.
session [success=ok ignore=ignore module_unknown=ignore default=bad]        pam_selinux.so close

# Set the loginuid process attribute.
session    required     pam_loginuid.so

# Create a new session keyring.
session    optional     pam_keyinit.so force revoke

@include common-session

# Print the message of the day upon successful login.
session    optional     pam_motd.so  motd=/run/motd.dynamic
session    optional     pam_motd.so noupdate

# Print the status of the user's mailbox upon successful login.
session    optional     pam_mail.so standard noenv # [1]

# Set up user limits from /etc/security/limits.conf.
session    required     pam_limits.so

session    required     pam_env.so # [1]
session    required     pam_env.so user_readenv=1 envfile=/etc/default/locale

session [success=ok ignore=ignore module_unknown=ignore default=bad]        pam_selinux.so open

@include common-password
`;

/** /etc/pam.d/common-auth of Debian 12's libpam-runtime 1.5.2-6 (its rules; comments shortened). */
const COMMON_AUTH = `#
# /etc/pam.d/common-auth - authentication settings common to all services
#
# here are the per-package modules (the "Primary" block)
auth	[success=1 default=ignore]	pam_unix.so nullok
# here's the fallback if no module succeeds
auth	requisite			pam_deny.so
auth	required			pam_permit.so
# and here are more per-package modules (the "Additional" block)
auth	optional			pam_cap.so
# end of pam-auth-update config
`;

const RULE = (type: string, control: string, path: string) =>
  `type: ${type}, control: "${control}", module_path: ${path}`;
const TASKS: ReadonlyArray<readonly [string, string, string, boolean?]> = [
  ['absent (dev-sec)', 'sshd', `${RULE('session', 'optional', 'pam_motd.so')}, state: absent, backup: true`],
  ['updated control', 'sshd', `${RULE('session', 'required', 'pam_loginuid.so')}, new_control: optional`],
  [
    'before',
    'sshd',
    `${RULE('session', 'required', 'pam_limits.so')}, state: before, new_type: session, new_control: required, new_module_path: pam_faildelay.so, module_arguments: [delay=2000000]`,
  ],
  [
    'after',
    'common-auth',
    `${RULE('auth', '[success=1 default=ignore]', 'pam_unix.so')}, state: after, new_type: auth, new_control: optional, new_module_path: pam_faildelay.so`,
  ],
  [
    'args_present',
    'sshd',
    `${RULE('session', 'required', 'pam_env.so')}, state: args_present, module_arguments: [readenv=1, user_readenv=0]`,
  ],
  [
    'args_absent',
    'sshd',
    `${RULE('session', 'optional', 'pam_keyinit.so')}, state: args_absent, module_arguments: [revoke]`,
  ],
  [
    'updated arguments',
    'sshd',
    `${RULE('session', 'optional', 'pam_mail.so')}, module_arguments: [standard]`,
  ],
  ['not there', 'sshd', `${RULE('auth', 'required', 'pam_tally2.so')}, state: absent`],
  [
    'before the first rule',
    'common-auth',
    `${RULE('auth', '[success=1 default=ignore]', 'pam_unix.so')}, state: before, new_type: auth, new_control: required, new_module_path: pam_env.so`,
  ],
  [
    'after the last rule',
    'common-auth',
    `${RULE('auth', 'optional', 'pam_cap.so')}, state: after, new_type: auth, new_control: optional, new_module_path: pam_echo.so, module_arguments: ["file=/etc/issue"]`,
  ],
  ['no such file', 'nothere', `${RULE('auth', 'required', 'pam_env.so')}, state: absent`, true],
  [
    'a control PAM lacks',
    'sshd',
    `${RULE('session', 'required', 'pam_limits.so')}, new_control: sometimes`,
    true,
  ],
];

/** Each task its own folder of the two files (s0, s1, ...): one state's edit per file. */
const filesOf = (side: string) =>
  Object.fromEntries(
    TASKS.flatMap((_, i) => [
      [`${side}/s${i}/sshd`, SSHD],
      [`${side}/s${i}/common-auth`, COMMON_AUTH],
    ]),
  );

const play = (out: string) => {
  const tasks = TASKS.map(
    ([name, file, args, fails], i) => [name, `name: ${file}, path: ${out}/s${i}, ${args}`, fails] as const,
  );
  return `- hosts: all\n  gather_facts: false\n  tasks:\n${tableTasks('community.general.pamd', tasks)}\n${resultsTask(`${out}/results.json`, TASKS.length, ['invocation', 'backupdest'])}\n`;
};

const marked = (text: string) => text.replace(/^# Updated by Ansible - .*$/m, '# Updated by Ansible - TIME');

describe('community.general.pamd', () => {
  it('edits PAM files as the collection does, state by state, then changes nothing', async () => {
    const both = await sideBySide(play, { ...filesOf('q'), ...filesOf('a') });
    const statuses = sameStatuses(both);
    expect(statuses).toMatchObject({
      'absent (dev-sec)': 'changed',
      'not there': 'ok',
      'no such file': 'failed',
    });
    const results = sameResults(both.out);
    expect(results[0]).toMatchObject({ changed: true, change_count: 2 });
    // the backup's name has the process and the time in it: its form, and the old file in it
    const backups = (side: string) => readdirSync(join(side, 's0')).filter((f) => f.startsWith('sshd.'));
    for (const side of [both.out.quorum, both.out.ansible]) {
      expect(backups(side)).toEqual([expect.stringMatching(/^sshd\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/)]);
      expect(readFileSync(join(side, 's0', backups(side)[0]), 'utf8')).toBe(SSHD);
    }
    for (const [i, [, file]] of TASKS.entries()) {
      if (file === 'nothere') continue;
      const read = (side: string) => marked(readFileSync(join(side, `s${i}`, file), 'utf8'));
      expect(read(both.out.quorum), TASKS[i][0]).toBe(read(both.out.ansible));
    }
    const absent = readFileSync(join(both.out.quorum, 's0', 'sshd'), 'utf8');
    expect(absent).not.toContain('pam_motd.so');
    expect(absent.split('\n')[1]).toMatch(/^# Updated by Ansible - \d{4}-\d\d-\d\dT/);
    expect(await changedAgain(both.dir)).toEqual([]);
    // (the results file's own task aside: it writes what the run registered)
    expect(changedSteps(await runLocal(both.dir, { check: true })).filter((s) => s !== 'h1 results')).toEqual(
      [],
    );
  }, 120_000);
});
