/**
 * community.general.htpasswd held to the collection's module (Debian 13's ansible 12.0.0 and
 * passlib 1.7.4 under ansible-core 2.19): an htpasswd file per side, the same tasks through
 * ansible-playbook and quorum: the same status task by task and the same registered `msg`; the
 * files alike but for each hash's salt, and every hash quorum wrote checked by passlib itself;
 * no password in quorum's event stream; then a check run of the kept tasks plans nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANSIBLE_PYTHON, currentAnsiblePath } from '../corpus/jinja-diff.ts';
import {
  checkPlansNothing,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
  tableTasks,
} from '../helpers/side-by-side.ts';

// Ansible masks every no_log value wherever it appears in its output, the run's temporary
// directory name included; each password holds a character mkdtemp never uses, so no name
// can contain one by chance and the two sides' messages stay comparable.
const PASSWORDS = {
  alice: 'first-Pass',
  alice2: 'second-Pass',
  bob: 'b0b-pw',
  carol: 'c4-rol',
  dave: 'd@ve',
  mona: 'p-w',
};

const TASKS = (d: string): Array<[string, string, boolean?]> => [
  ['a new file', `path: ${d}/new/users, name: alice, password: ${PASSWORDS.alice}`],
  ['the same password', `path: ${d}/new/users, name: alice, password: ${PASSWORDS.alice}`],
  ['another password', `path: ${d}/new/users, name: alice, password: ${PASSWORDS.alice2}`],
  ['sha512_crypt', `path: ${d}/new/users, name: bob, password: ${PASSWORDS.bob}, hash_scheme: sha512_crypt`],
  [
    'sha512_crypt again',
    `path: ${d}/new/users, name: bob, password: ${PASSWORDS.bob}, crypt_scheme: sha512_crypt`,
  ],
  ['bcrypt', `path: ${d}/new/users, name: carol, password: ${PASSWORDS.carol}, hash_scheme: bcrypt`],
  ['bcrypt again', `path: ${d}/new/users, name: carol, password: ${PASSWORDS.carol}, hash_scheme: bcrypt`],
  [
    'ldap_sha1',
    `dest: ${d}/new/users, username: dave, password: "${PASSWORDS.dave}", hash_scheme: ldap_sha1`,
  ],
  [
    'ldap_sha1 again',
    `path: ${d}/new/users, name: dave, password: "${PASSWORDS.dave}", hash_scheme: ldap_sha1`,
  ],
  [
    'a mode on a file already right',
    `path: ${d}/new/users, name: alice, password: ${PASSWORDS.alice2}, mode: "0640"`,
  ],
  ['an md5_crypt hash, read as text', `path: ${d}/old, name: mona, password: ${PASSWORDS.mona}`],
  ['a user removed', `path: ${d}/new/users, name: bob, state: absent`],
  ['removed again', `path: ${d}/new/users, name: bob, state: absent`],
  ['a file not there, not made', `path: ${d}/none, name: x, password: Never-Written-7, create: false`, true],
];

const play = (d: string, tasks = TASKS(d)) => `
- hosts: all
  gather_facts: false
  tasks:
${tableTasks('community.general.htpasswd', tasks)}
${resultsTask(`${d}/results.json`, tasks.length, ['invocation', 'warnings'])}
`;

/** A file's lines with each hash's salt and digest masked (the scheme's prefix kept). */
const masked = (file: string) =>
  readFileSync(file, 'utf8').replace(
    /(\$apr1\$|\$1\$|\$[56]\$rounds=\d+\$|\$2[aby]\$\d+\$)[^\n]*/g,
    '$1HASH',
  );

/** passlib's own answer: does each user's hash in `file` verify its password? */
const passlibChecks = (file: string, users: Record<string, string>) =>
  JSON.parse(
    execFileSync(
      ANSIBLE_PYTHON,
      [
        '-c',
        'import json,sys\nfrom passlib.apache import HtpasswdFile\nh=HtpasswdFile(sys.argv[1])\nprint(json.dumps({u: h.check_password(u, p) for u, p in json.loads(sys.argv[2]).items()}))',
        file,
        JSON.stringify(users),
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, PYTHONPATH: currentAnsiblePath() },
      },
    ),
  );

describe('htpasswd, as community.general (ansible-core 2.19, passlib)', () => {
  it('writes and keeps passwords as the module does, and shows none of them', async () => {
    const sides = await sideBySide((d) => {
      writeFileSync(join(d, 'old'), 'mona:$1$abcdefgh$IQtUouv7y7Q9dRWkQEPCc.\n\nother:x\n');
      return play(d);
    });
    const { dir, out, run } = sides;
    const mine = sameStatuses(sides);
    expect(mine).toMatchObject({
      'a new file': 'changed',
      'the same password': 'ok',
      'another password': 'changed',
      'sha512_crypt again': 'ok',
      'bcrypt again': 'ok',
      'ldap_sha1 again': 'ok',
      'a mode on a file already right': 'changed',
      'an md5_crypt hash, read as text': 'changed',
      'removed again': 'ok',
      'a file not there, not made': 'failed',
    });
    const results = sameResults(out);
    expect(results[9]).toMatchObject({
      msg: 'alice already presentownership, perms or SE linux context changed',
    });
    for (const f of ['new/users', 'old'])
      expect(masked(join(out.quorum, f))).toBe(masked(join(out.ansible, f)));
    expect(
      passlibChecks(join(out.quorum, 'new/users'), {
        alice: PASSWORDS.alice2,
        carol: PASSWORDS.carol,
        dave: PASSWORDS.dave,
      }),
    ).toEqual({
      alice: true,
      carol: true,
      dave: true,
    });
    expect(passlibChecks(join(out.quorum, 'old'), { mona: PASSWORDS.mona })).toEqual({ mona: true });
    const stream = JSON.stringify(run.events);
    for (const pw of Object.values(PASSWORDS)) expect(stream).not.toContain(pw);
    await checkPlansNothing(
      dir,
      play(
        out.quorum,
        TASKS(out.quorum).filter(
          ([n, , fails]) =>
            !fails && !['a new file', 'the same password', 'sha512_crypt', 'sha512_crypt again'].includes(n),
        ),
      ),
    );
  }, 120_000);
});
