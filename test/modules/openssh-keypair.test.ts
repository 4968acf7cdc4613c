/**
 * community.crypto.openssh_keypair held to the collection's module on ansible-core 2.19 (ansible
 * 12.0.0), side by side on this machine, each side's keys under its own folder: every task must
 * change, stay ok or fail as the module's does, the keys left must be of the same types, sizes,
 * comments and modes, what is registered must say the same (but the fingerprints: the keys are
 * random), and a check run on the result must predict what the module's check mode predicts.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const TASKS: Array<[string, string]> = [
  ['ed25519, new', 'path: "{{ d }}/ed", type: ed25519'],
  ['ed25519, again', 'path: "{{ d }}/ed", type: ed25519'],
  ['rsa 2048 with a comment', 'path: "{{ d }}/rsa", size: 2048, comment: "k one", mode: "0600"'],
  ['rsa, again', 'path: "{{ d }}/rsa", size: 2048, comment: "k one", mode: "0600"'],
  ['another size, never regenerate', 'path: "{{ d }}/rsa", size: 3072, regenerate: never'],
  ['another type, fail', 'path: "{{ d }}/rsa", type: ecdsa, regenerate: fail'],
  ['another size: made again', 'path: "{{ d }}/rsa", size: 3072, comment: "k two"'],
  ['public key lost', 'path: "{{ d }}/ed", type: ed25519'],
  ['another comment', 'path: "{{ d }}/ed", type: ed25519, comment: "new one"'],
  ['mode', 'path: "{{ d }}/ed", type: ed25519, mode: 0640'],
  ['ecdsa 384', 'path: "{{ d }}/ec", type: ecdsa, size: 384'],
  ['ecdsa of a wrong size', 'path: "{{ d }}/ec2", type: ecdsa, size: 300'],
  ['in a missing folder', 'path: "{{ d }}/none/k", type: ed25519'],
  ['absent', 'path: "{{ d }}/ec", state: absent'],
  ['absent again', 'path: "{{ d }}/ec", state: absent'],
];

/** A check run's tasks on what the play leaves (rsa: 3072 bits, "k two"; ed: mode 0640, which ssh-keygen refuses to read). */
const CHECKS: Array<[string, string]> = [
  ['converged rsa', 'path: "{{ d }}/rsa", size: 3072, comment: "k two"'],
  ['unreadable ed', 'path: "{{ d }}/ed", type: ed25519'],
  ['a new key', 'path: "{{ d }}/ec", type: ecdsa'],
  ['a wrong size after a change', 'path: "{{ d }}/ec3", type: ecdsa, size: 300'],
  ['another size', 'path: "{{ d }}/rsa", size: 4096'],
  ['absent', 'path: "{{ d }}/rsa", state: absent'],
];

const checkPlay = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { d: "${out}" }
  tasks:
${CHECKS.map(([name, args]) => `    - name: "${name}"\n      community.crypto.openssh_keypair: { ${args} }\n      ignore_errors: true`).join('\n')}
`;

/** The tasks; ed.pub is removed before the task that finds it lost. */
const play = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { d: "${out}" }
  tasks:
${TASKS.map(
  ([name, args], i) =>
    `    - name: "${name}"\n      community.crypto.openssh_keypair: { ${args} }\n      register: r${i}\n      ignore_errors: true${
      name === 'another size: made again' ? '\n    - file: { path: "{{ d }}/ed.pub", state: absent }' : ''
    }`,
).join('\n')}
    - copy:
        dest: "{{ d }}/results.json"
        content: "{{ [${TASKS.map((_, i) => `r${i}`).join(', ')}] | to_json }}"
`;

const keyOf = (file: string) => {
  const [size, , ...rest] = execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' })
    .trim()
    .split(' ');
  const pub = execFileSync('cat', [`${file}.pub`], { encoding: 'utf8' })
    .trim()
    .split(' ');
  return {
    size,
    type: rest.at(-1),
    comment: pub.slice(2).join(' '),
    mode: (statSync(file).mode & 0o777).toString(8),
  };
};

/** What is registered, without what random keys make differ, and with each side's folder as D. */
function registered(dir: string): unknown[] {
  const text = execFileSync('cat', [join(dir, 'results.json')], { encoding: 'utf8' }).replaceAll(dir, 'D');
  return (JSON.parse(text) as Array<Record<string, unknown>>).map((r) => {
    const { fingerprint, public_key, ...rest } = r;
    return {
      ...Object.fromEntries(
        ['changed', 'failed', 'filename', 'size', 'type', 'comment']
          .filter((k) => k in rest)
          .map((k) => [k, rest[k]]),
      ),
      fingerprint: typeof fingerprint === 'string' ? fingerprint.startsWith('SHA256:') : fingerprint,
      public_key: typeof public_key === 'string' ? public_key.split(' ').length : public_key,
    };
  });
}

describe('community.crypto.openssh_keypair, as the collection on ansible-core 2.19', () => {
  it('changes, stays ok or fails task by task as the module does, and leaves the same keys', async () => {
    const r = await sideBySide(play);
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    expect(r.run.code).toBe(0);
    const quorum = Object.fromEntries(
      steps(r.run)
        .filter((s) => s.task.includes('openssh_keypair') || TASKS.some(([n]) => n === s.task))
        .map((s) => [s.task, s.status]),
    );
    const theirs = ansibleStatuses(r.oracle.stdout);
    expect(quorum).toEqual(Object.fromEntries(TASKS.map(([n]) => [n, theirs[n]])));
    expect(quorum).toMatchObject({
      'ed25519, again': 'ok',
      'rsa, again': 'ok',
      'another size, never regenerate': 'ok',
      'another type, fail': 'failed',
      'another size: made again': 'changed',
      'public key lost': 'changed',
      'absent again': 'ok',
    });
    for (const key of ['ed', 'rsa'])
      expect(keyOf(join(r.out.quorum, key))).toEqual(keyOf(join(r.out.ansible, key)));
    expect(keyOf(join(r.out.quorum, 'rsa'))).toEqual({
      size: '3072',
      type: '(RSA)',
      comment: 'k two',
      mode: '600',
    });
    expect(registered(r.out.quorum)).toEqual(registered(r.out.ansible));
    // a check run on what is left: each task predicted as the module's check mode predicts it (a size
    // the module refuses fails after a predicted change too: the failure is the task's arguments')
    writeFiles(r.dir, {
      'check.yml': checkPlay(r.out.quorum),
      'ansible-check.yml': checkPlay(r.out.ansible),
    });
    const [check, theirCheck] = await Promise.all([
      runLocal(r.dir, { check: true, playbook: 'check.yml' }),
      ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible-check.yml', '--check'], r.dir),
    ]);
    const predicted = Object.fromEntries(
      steps(check)
        .filter((s) => CHECKS.some(([n]) => n === s.task))
        .map((s) => [s.task, s.status === 'would_change' ? 'changed' : s.status]),
    );
    expect(predicted).toEqual(ansibleStatuses(theirCheck.stdout));
    expect(predicted).toEqual({
      'converged rsa': 'ok',
      'unreadable ed': 'failed',
      'a new key': 'changed',
      'a wrong size after a change': 'failed',
      'another size': 'changed',
      absent: 'changed',
    });
  }, 120_000);
});
