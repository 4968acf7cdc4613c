// ci: changes this machine (its own state, which the lab hosts' root overlays show): never beside the lab
/**
 * user's password, lock, expiry and ageing parameters held to ansible-core 2.19's user module:
 * the same tasks on this machine, each side with a user of its own, must change (or not) task by
 * task as Ansible's do and leave the same /etc/shadow fields behind; a check run changes nothing
 * but the task Ansible itself changes at every run (password_expire_account_disable).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

// sha512-crypt hashes of two throw-away words (password_hash with fixed salts)
const HASH1 =
  '$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KqA2/jXtnSM3KlXYlPxIuvZGYc7UoTxvaAx1pKiHz6ibxs1/';
const HASH2 =
  '$6$othersalt$3cUpAkU5hR5sZ8kM3dvJpQ6nSBvZk1dnGr2O1GJtQYi2zY0hX8kf0r2Qh1kz0i7aXxq7m8F6o6Yg0CkdsXWlP.';

const TASKS: Array<[string, string]> = [
  [
    'create with a password and ageing',
    `password: '${HASH1}', password_expire_min: 1, password_expire_max: 90, password_expire_warn: 14`,
  ],
  [
    'the same again',
    `password: '${HASH1}', password_expire_min: 1, password_expire_max: 90, password_expire_warn: 14`,
  ],
  ['another password', `password: '${HASH2}'`],
  ['another password on create only', `password: '${HASH1}', update_password: on_create`],
  ['lock', 'password_lock: true'],
  ['lock again', 'password_lock: true'],
  ['the locked password given again', `password: '${HASH2}', password_lock: true`],
  ['unlock', 'password_lock: false'],
  ['expire on a day', 'expires: 1893456000'],
  ['the same day, another hour', 'expires: 1893499200.5'],
  ['never expire', 'expires: -1'],
  ['never expire again', 'expires: -1'],
  ['a longer maximum', 'password_expire_max: 120'],
  ['inactive days', 'password_expire_account_disable: 7'],
];

const userOf = (out: string) => `qt${createHash('sha1').update(out).digest('hex').slice(0, 10)}`;
const made: string[] = [];

const play = (out: string) => {
  made.push(userOf(out));
  return `
- hosts: all
  gather_facts: false
  tasks:
${TASKS.map(([name, args]) => `    - name: ${name}\n      user: { name: ${userOf(out)}, create_home: false, ${args} }`).join('\n')}
`;
};

/** The user's shadow fields but its name and the day of the last change. */
const shadowOf = (user: string) => {
  const f = execFileSync('getent', ['shadow', user], { encoding: 'utf8' }).trim().split(':');
  return [f[1], ...f.slice(3)].join(':');
};

afterAll(() => {
  for (const u of made) execFileSync('sh', ['-c', `userdel ${u} 2>/dev/null || true`]);
});

describe('user passwords, lock, expiry and ageing, as ansible-core 2.19', () => {
  it('changes what Ansible changes, task by task, and leaves the same shadow fields', async () => {
    const r = await sideBySide(play);
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    expect(r.run.code).toBe(0);
    const quorum = Object.fromEntries(steps(r.run).map((s, i) => [TASKS[i][0], s.status]));
    expect(quorum).toEqual(ansibleStatuses(r.oracle.stdout));
    expect(quorum).toMatchObject({ 'the same again': 'ok', 'lock again': 'ok', 'never expire again': 'ok' });
    const mine = shadowOf(userOf(r.out.quorum));
    expect(mine).toBe(shadowOf(userOf(r.out.ansible)));
    expect(mine).toBe(`${HASH2}:1:120:14:7::`);
    // the hashes are secrets of the run: never in its events
    expect(JSON.stringify(r.run.events)).not.toContain('qFmFH');
    // check runs on the converged users: each task would change what Ansible's check says it would
    const [check, theirs] = await Promise.all([
      runLocal(r.dir, { check: true }),
      ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml', '--check'], r.dir),
    ]);
    const predicted = Object.fromEntries(
      steps(check).map((s, i) => [TASKS[i][0], s.status === 'would_change' ? 'changed' : s.status]),
    );
    expect(predicted).toEqual(ansibleStatuses(theirs.stdout));
    expect(predicted).toMatchObject({ 'another password': 'ok', unlock: 'ok', lock: 'changed' });
    expect(shadowOf(userOf(r.out.quorum))).toBe(mine);
  });
});
