/**
 * apt_key with a keyserver held to ansible-core 2.19's module: a key made here, served by an HKP
 * keyserver the test runs on loopback, received into a keyring file of each side's own (the
 * machine's apt keys untouched): added, then already there, a key the server does not have fails
 * in the module's words; a check run of the converged tasks changes nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, workspace } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide, tableTasks } from '../helpers/side-by-side.ts';

const MISSING = '0123456789ABCDEF0123456789ABCDEF01234567';
let server: Server;
let keyserver = '';
let fingerprint = '';

beforeAll(async () => {
  const home = join(workspace(), 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  const gpg = (...args: string[]) =>
    execFileSync('gpg', ['--homedir', home, '--batch', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  try {
    gpg(
      '--passphrase',
      '',
      '--quick-gen-key',
      'quorum apt_key test <apt-key@quorum.test>',
      'rsa2048',
      'sign',
      'never',
    );
    fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(gpg('--with-colons', '--list-keys'))?.[1] ?? '';
    const armored = gpg('--armor', '--export', fingerprint);
    // the lookup gpg's dirmngr makes: /pks/lookup?op=get&options=mr&search=0x<id>
    server = createServer((req, res) => {
      const search = new URL(req.url ?? '/', 'http://x').searchParams.get('search') ?? '';
      if (search.length >= 10 && fingerprint.endsWith(search.replace(/^0x/i, '').toUpperCase()))
        res.writeHead(200, { 'content-type': 'application/pgp-keys' }).end(armored);
      else res.writeHead(404).end('No results found');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    keyserver = `hkp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  } finally {
    execFileSync('gpgconf', ['--homedir', home, '--kill', 'all']);
  }
});
afterAll(() => server?.close());

const TASKS = [
  ['the key from the keyserver', `id: "FP", keyserver: "KS", keyring: "OUT/apt.gpg"`],
  ['the same key again', `id: "0xFP", keyserver: "KS", keyring: "OUT/apt.gpg"`],
  ['a key the keyserver does not have', `id: "${MISSING}", keyserver: "KS", keyring: "OUT/other.gpg"`, true],
] as const;
const play = (out: string) =>
  `- hosts: all\n  gather_facts: false\n  tasks:\n${tableTasks('apt_key', TASKS)
    .replaceAll('FP', fingerprint)
    .replaceAll('KS', keyserver)
    .replaceAll('OUT', out)}\n`;

it('adds the key from the keyserver once, and fails for a missing one, as the module does', async () => {
  const r = await sideBySide(play);
  expect(r.oracle.code, r.oracle.stdout).toBe(0);
  expect(r.run.code).toBe(0);
  const quorum = Object.fromEntries(steps(r.run).map((s) => [s.task, s.status]));
  expect(quorum).toEqual(ansibleStatuses(r.oracle.stdout));
  expect(Object.values(quorum)).toEqual(['changed', 'ok', 'failed']);
  const failure = steps(r.run)[2].error?.message ?? '';
  expect(failure).toContain(`Error fetching key ${MISSING} from keyserver: ${keyserver}`);
  expect(r.oracle.stdout).toContain(`Error fetching key ${MISSING} from keyserver: ${keyserver}`);
  // both keyrings hold the key now, and only it
  const listed = (side: string) =>
    execFileSync(
      'gpg',
      ['--no-default-keyring', '--keyring', join(side, 'apt.gpg'), '--with-colons', '--list-keys'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, GNUPGHOME: join(r.dir, 'gpg-list') },
      },
    ).match(/^fpr:+([0-9A-F]{40}):/gm);
  mkdirSync(join(r.dir, 'gpg-list'), { mode: 0o700 });
  expect(listed(r.out.quorum)).toEqual(listed(r.out.ansible));
  expect(readFileSync(join(r.out.quorum, 'apt.gpg')).length).toBeGreaterThan(0);

  // a check run reads and adds nothing: the missing key would be added, as the module says in check mode
  const [check, theirs] = await Promise.all([
    runLocal(r.dir, { check: true }),
    ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml', '--check'], r.dir),
  ]);
  expect(steps(check).map((s) => s.status)).toEqual(['ok', 'ok', 'would_change']);
  expect(Object.values(ansibleStatuses(theirs.stdout))).toEqual(['ok', 'ok', 'changed']);
});
