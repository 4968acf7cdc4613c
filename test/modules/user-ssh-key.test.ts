// ci: changes this machine (its own state, which the lab hosts' root overlays show): never beside the lab
/**
 * user's generate_ssh_key and force, held to ansible-core 2.19's user module on this machine,
 * each side with a user of its own: the key made once (ssh-keygen in the module's words:
 * type, bits, comment, the default comment "ansible-generated on HOST"), kept on the next run,
 * made again with force, at a path relative to the home or absolute; the same statuses and
 * registered ssh_key_file, the fingerprint's shape and the public key's comment; userdel -f.
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultsTask, sameStatuses, sideBySide, writtenResults } from '../helpers/side-by-side.ts';

const userOf = (out: string) => `qk${createHash('sha1').update(out).digest('hex').slice(0, 10)}`;
const made: string[] = [];

const play = (out: string) => {
  const user = userOf(out);
  made.push(user);
  const task = (name: string, args: string) =>
    `    - name: ${name}\n      user: { name: ${user}, home: "${out}/home", ${args} }\n      register: r${tasks.length}`;
  const tasks: string[] = [];
  for (const [name, args] of [
    ['made with a key', 'generate_ssh_key: true, ssh_key_type: ed25519'],
    ['the key kept', 'generate_ssh_key: true, ssh_key_type: ed25519'],
    [
      'another key, its comment',
      `generate_ssh_key: true, ssh_key_type: rsa, ssh_key_bits: 1024, ssh_key_file: .ssh/other, ssh_key_comment: "deploy key"`,
    ],
    ['made again with force', 'generate_ssh_key: true, ssh_key_type: ed25519, force: true'],
    ['an absolute path', `generate_ssh_key: true, ssh_key_type: ed25519, ssh_key_file: "${out}/abs_key"`],
  ] as const)
    tasks.push(task(name, args));
  return `- hosts: all
  gather_facts: false
  tasks:
${tasks.join('\n')}
${resultsTask(`${out}/results.json`, tasks.length, ['ssh_fingerprint', 'ssh_public_key', 'name', 'home', 'uid', 'group', 'comment', 'shell', 'create_home', 'system', 'warnings', 'move_home', 'append', 'state', 'force', 'remove'])}
    - name: the fingerprint
      copy: { dest: "${out}/fingerprint", content: "{{ r3.ssh_fingerprint }}|{{ r2.ssh_public_key }}" }
    - name: gone
      user: { name: ${user}, state: absent, force: true, remove: true }
`;
};

afterAll(() => {
  for (const u of made) execFileSync('sh', ['-c', `userdel -f ${u} 2>/dev/null || true`]);
});

describe('user ssh keys, as ansible-core 2.19', () => {
  it('makes, keeps and remakes the keys the module does', async () => {
    const side = await sideBySide(play, {}, undefined, true);
    expect(sameStatuses(side)).toEqual({
      'made with a key': 'changed',
      'the key kept': 'ok',
      'another key, its comment': 'changed',
      'made again with force': 'changed',
      'an absolute path': 'changed',
      results: 'changed',
      'the fingerprint': 'changed',
      gone: 'changed',
    });
    const mine = writtenResults(join(side.out.quorum, 'results.json'), side.out.quorum);
    expect(mine).toEqual(writtenResults(join(side.out.ansible, 'results.json'), side.out.ansible));
    expect(mine[0].ssh_key_file).toBe('DIR/home/.ssh/id_ed25519');
    // fingerprints and public keys are random: their shapes and comments, as ssh-keygen prints them
    for (const out of Object.values(side.out)) {
      const [fingerprint, pub] = readFileSync(join(out, 'fingerprint'), 'utf8').split('|');
      expect(fingerprint).toMatch(
        new RegExp(`^256 SHA256:\\S+ ansible-generated on ${hostname()} \\(ED25519\\)$`),
      );
      expect(pub).toMatch(/^ssh-rsa \S+ deploy key$/);
      expect(readFileSync(join(out, 'abs_key.pub'), 'utf8')).toMatch(
        /^ssh-ed25519 \S+ ansible-generated on /,
      );
      expect(statSync(join(out, 'abs_key')).mode & 0o777).toBe(0o600);
    }
  }, 120_000);
});
