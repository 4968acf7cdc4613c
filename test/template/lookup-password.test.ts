/**
 * lookup('password') held to ansible-core 2.19's: a password file one of them wrote is read to
 * the same value by the other (plain and with encrypt=sha512_crypt, whose hash must then be the
 * same bytes), a file quorum writes has Ansible's form and modes, `chars` and `length` shape a new
 * password, /dev/null keeps nothing, and a parameter neither has is refused.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { passwordLookup } from '../../src/template/jinja/lookup-password.ts';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';

const HOSTS = 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n';

const play = (lookups: string[]) => `
- hosts: all
  gather_facts: false
  tasks:
${lookups.map((l) => `    - debug: { msg: "{{ lookup('password', '${l}') }}" }`).join('\n')}
`;

async function viaAnsible(dir: string) {
  const r = await ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'play.yml'], dir);
  expect(r.code, r.stdout).toBe(0);
  return [...r.stdout.matchAll(/"msg": ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string);
}
async function viaQuorum(dir: string) {
  const r = await runLocal(dir);
  expect(r.code).toBe(0);
  return steps(r).map((s) => String(s.message));
}

describe("lookup('password'), as ansible-core 2.19", () => {
  const LOOKUPS = ['creds/plain length=12 chars=digits', 'creds/hashed encrypt=sha512_crypt'];

  it('reads the files Ansible wrote to the same values, the hash included', async () => {
    const dir = workspace();
    writeFiles(dir, { 'hosts.ini': HOSTS, 'play.yml': play(LOOKUPS) });
    const ansible = await viaAnsible(dir);
    expect(ansible[0]).toMatch(/^\d{12}$/);
    expect(ansible[1]).toMatch(/^\$6\$rounds=656000\$[./0-9A-Za-z]{16}\$/);
    expect(await viaQuorum(dir)).toEqual(ansible);
  }, 60_000);

  it("writes files Ansible reads to the same values, in Ansible's form and modes", async () => {
    const dir = workspace();
    writeFiles(dir, { 'hosts.ini': HOSTS, 'play.yml': play(LOOKUPS) });
    const mine = await viaQuorum(dir);
    const plain = readFileSync(join(dir, 'creds/plain'), 'utf8');
    expect(plain).toBe(`${mine[0]}\n`);
    expect(mine[0]).toMatch(/^\d{12}$/);
    expect(readFileSync(join(dir, 'creds/hashed'), 'utf8')).toMatch(
      /^[A-Za-z0-9.,:_-]{20} salt=[./0-9A-Za-z]{16}\n$/,
    );
    expect(statSync(join(dir, 'creds/plain')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'creds')).mode & 0o777).toBe(0o700);
    expect(await viaAnsible(dir)).toEqual(mine);
    // the same again: nothing new is made
    expect(await viaQuorum(dir)).toEqual(mine);
  }, 60_000);

  it('chars: named sets and characters, ,, for a comma, never a quote; /dev/null keeps nothing', () => {
    const dir = workspace();
    const odd = passwordLookup('odd length=300', { chars: `digits,,x'"` }, dir);
    expect(new Set(odd)).toEqual(new Set([',', 'x', ...'0123456789']));
    expect(odd.length).toBe(300);
    expect(readFileSync(join(dir, 'odd'), 'utf8')).toBe(`${odd}\n`);
    const [a, b] = [passwordLookup('/dev/null', {}, dir), passwordLookup('/dev/null', {}, dir)];
    expect(a).toMatch(/^[A-Za-z0-9.,:_-]{20}$/);
    expect(a).not.toBe(b);
  });

  it("seed: the password Ansible's random.Random(seed) draws, in the term and as a keyword", async () => {
    const dir = workspace();
    const seeded = [
      "lookup('password', '/dev/null', seed=inventory_hostname)",
      "lookup('password', '/dev/null seed=abc length=30 chars=ascii_letters,digits,punctuation')",
      "lookup('password', '/dev/null', seed=42, chars='digits', length=8)",
      "lookup('password', '/dev/null', seed=true, length=8)",
      "lookup('password', 'creds/seeded seed=s1 encrypt=md5_crypt')",
    ];
    const tasks = seeded.map((l) => `    - debug: { msg: "{{ ${l} }}" }`).join('\n');
    writeFiles(dir, {
      'hosts.ini': HOSTS,
      'play.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}\n`,
    });
    const mine = await viaQuorum(dir);
    expect(mine[0]).toMatch(/^[A-Za-z0-9.,:_-]{20}$/);
    expect(mine[2]).toMatch(/^\d{8}$/);
    expect(mine[2]).not.toBe(mine[3]);
    const stored = readFileSync(join(dir, 'creds/seeded'), 'utf8');
    // Ansible reads quorum's file (password and salt) to the same hash, and draws the same passwords
    expect(await viaAnsible(dir)).toEqual(mine);
    rmSync(join(dir, 'creds/seeded'));
    await viaAnsible(dir);
    // the seeded password is the same whoever made the file; the salt is random in both
    expect(readFileSync(join(dir, 'creds/seeded'), 'utf8').split(' ')[0]).toBe(stored.split(' ')[0]);
  }, 60_000);

  it('refuses a parameter the lookup does not have, as Ansible does', async () => {
    const r = validateCli(play(['creds/x lenght=5']), HOSTS);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Unrecognized parameter(s) given to password lookup: lenght');
  });
});
