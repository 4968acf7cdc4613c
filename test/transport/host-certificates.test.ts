/**
 * Host certificates (`@cert-authority` in known_hosts) against real sshd processes on
 * loopback, one per certificate case, with OpenSSH's own client as the oracle: quorum must
 * trust exactly the hosts `ssh` trusts. Where OpenSSH 10.3 changed the rules (wildcard
 * principals allowed, an empty principal list refused) quorum follows 10.3, and the 9.2 client
 * on this machine is not asked.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshTransport } from '../../src/transport/ssh.ts';
import { quorumAsync } from '../helpers/cli.ts';
import { workspace } from '../helpers/run-local.ts';
import { canRunSshd, certify, newKey, opensshAccepts, type Sshd, startSshd } from '../helpers/sshd.ts';

interface Case {
  name: string;
  /** host key type to certify; the sshd also has an uncertified ed25519 key (unless that is the type) */
  keyType: string;
  ca: 'ca' | 'other' | 'rsa' | 'ecdsa';
  certOptions: string[];
  /** known_hosts lines besides `@cert-authority 127.0.0.1 <ca>` */
  knownHosts?: (keys: Record<string, string>) => string[];
  /** the CA line's host pattern (default: 127.0.0.1) */
  pattern?: string;
  /** quorum's verdict where OpenSSH 10.3 differs from the 9.2 client here */
  openssh103?: boolean;
}

const HOST = ['-h', '-n', '127.0.0.1'];
const NOW = ['-V', '-5m:+1h'];
const CASES: Case[] = [
  { name: 'valid', keyType: 'ecdsa', ca: 'ca', certOptions: [...HOST, ...NOW] },
  { name: 'valid-ed25519', keyType: 'ed25519', ca: 'ca', certOptions: [...HOST, ...NOW] },
  { name: 'valid-rsa-host', keyType: 'rsa', ca: 'ca', certOptions: [...HOST, ...NOW] },
  { name: 'rsa-ca', keyType: 'ecdsa', ca: 'rsa', certOptions: [...HOST, ...NOW] },
  { name: 'ecdsa-ca', keyType: 'ed25519', ca: 'ecdsa', certOptions: [...HOST, ...NOW] },
  {
    name: 'port-pattern',
    keyType: 'ecdsa',
    ca: 'ca',
    certOptions: [...HOST, ...NOW],
    pattern: '[127.0.0.1]:PORT',
  },
  { name: 'sha1-ca-signature', keyType: 'ecdsa', ca: 'rsa', certOptions: [...HOST, ...NOW, '-t', 'ssh-rsa'] },
  { name: 'untrusted-ca', keyType: 'ecdsa', ca: 'other', certOptions: [...HOST, ...NOW] },
  { name: 'expired', keyType: 'ecdsa', ca: 'ca', certOptions: [...HOST, '-V', '20200101:20200102'] },
  { name: 'not-yet-valid', keyType: 'ecdsa', ca: 'ca', certOptions: [...HOST, '-V', '+1d:+2d'] },
  { name: 'wrong-principal', keyType: 'ecdsa', ca: 'ca', certOptions: ['-h', '-n', '10.9.9.9', ...NOW] },
  { name: 'user-certificate', keyType: 'ecdsa', ca: 'ca', certOptions: ['-n', '127.0.0.1', ...NOW] },
  { name: 'ca-for-other-hosts', keyType: 'ecdsa', ca: 'ca', certOptions: [...HOST, ...NOW], pattern: '10.*' },
  {
    name: 'revoked-ca',
    keyType: 'ecdsa',
    ca: 'ca',
    certOptions: [...HOST, ...NOW],
    knownHosts: (k) => [`@revoked * ${k.ca}`],
  },
  {
    name: 'revoked-host-key',
    keyType: 'ecdsa',
    ca: 'ca',
    certOptions: [...HOST, ...NOW],
    knownHosts: (k) => [`@revoked * ${k.host}`],
  },
  {
    name: 'wildcard-principal',
    keyType: 'ecdsa',
    ca: 'ca',
    certOptions: ['-h', '-n', '127.0.0.*', ...NOW],
    openssh103: true,
  },
  { name: 'no-principals', keyType: 'ecdsa', ca: 'ca', certOptions: ['-h', ...NOW], openssh103: false },
];

describe.runIf(canRunSshd)('host certificates against real sshd, OpenSSH as the oracle', () => {
  const dir = workspace();
  const client = join(dir, 'client');
  const servers = new Map<string, Sshd & { knownHosts: string }>();
  const caPub: Record<string, string> = {};

  beforeAll(async () => {
    newKey(client, 'ed25519');
    const authorized = join(dir, 'authorized_keys');
    writeFileSync(authorized, readFileSync(`${client}.pub`));
    for (const [ca, type] of [
      ['ca', 'ed25519'],
      ['other', 'ed25519'],
      ['rsa', 'rsa'],
      ['ecdsa', 'ecdsa'],
    ])
      caPub[ca] = newKey(join(dir, `ca-${ca}`), type);
    for (const c of CASES) {
      const host = join(dir, `host-${c.name}`);
      const hostPub = newKey(host, c.keyType);
      const cert = certify(join(dir, `ca-${c.ca}`), `${host}.pub`, c.name, c.certOptions);
      const keys = [host];
      if (c.keyType !== 'ed25519') {
        newKey(join(dir, `plain-${c.name}`), 'ed25519');
        keys.push(join(dir, `plain-${c.name}`));
      }
      const sshd = await startSshd(dir, c.name, keys, [cert], authorized);
      const knownHosts = join(dir, `known_hosts-${c.name}`);
      const pattern = (c.pattern ?? '127.0.0.1').replace('PORT', String(sshd.port));
      // the trusted CA is always `ca`: the `other` case is signed by a CA known_hosts does not name
      const trusted = c.ca === 'other' ? caPub.ca : caPub[c.ca];
      const lines = [
        `@cert-authority ${pattern} ${trusted}`,
        ...(c.knownHosts?.({ ca: trusted, host: hostPub }) ?? []),
      ];
      writeFileSync(knownHosts, `${lines.join('\n')}\n`);
      servers.set(c.name, { ...sshd, knownHosts });
    }
  }, 120_000);

  afterAll(() => {
    for (const s of servers.values()) s.stop();
  });

  /** One quorum run over every case's host; the hosts it reached. */
  async function quorumReaches(
    names: string[],
  ): Promise<{ reached: string[]; messages: Record<string, string> }> {
    const inventory = names.map((n) => {
      const s = servers.get(n)!;
      return `${n} ansible_host=127.0.0.1 ansible_port=${s.port} ansible_user=root ansible_ssh_private_key_file=${client} ansible_ssh_common_args='-o UserKnownHostsFile=${s.knownHosts}'`;
    });
    writeFileSync(join(dir, 'hosts.ini'), `${inventory.join('\n')}\n`);
    writeFileSync(join(dir, 'play.yml'), '- hosts: all\n  tasks:\n    - command: "true"\n');
    const r = await quorumAsync(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--json']);
    const events = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const messages: Record<string, string> = {};
    for (const e of events) if (e.type === 'unreachable') messages[e.host] = e.message;
    return { reached: names.filter((n) => !(n in messages)), messages };
  }

  it('trusts exactly the hosts OpenSSH trusts, and says why it refuses the others', async () => {
    const asked = CASES.filter((c) => c.openssh103 === undefined).map((c) => c.name);
    const openssh = asked.filter((n) =>
      opensshAccepts(servers.get(n)!.port, servers.get(n)!.knownHosts, client),
    );
    // the oracle itself must have split the cases, or the comparison proves nothing
    expect(openssh).toEqual([
      'valid',
      'valid-ed25519',
      'valid-rsa-host',
      'rsa-ca',
      'ecdsa-ca',
      'port-pattern',
    ]);
    const { reached, messages } = await quorumReaches(asked);
    expect(reached).toEqual(openssh);
    expect(messages).toMatchObject({
      'sha1-ca-signature': expect.stringContaining('signed with ssh-rsa'),
      'untrusted-ca': expect.stringContaining('signed by a CA that no @cert-authority line trusts'),
      expired: expect.stringContaining('it has expired (valid before 2020-01-02'),
      'not-yet-valid': expect.stringContaining('it is not yet valid'),
      'wrong-principal': expect.stringContaining('127.0.0.1 is not among its principals (10.9.9.9)'),
      'user-certificate': expect.stringContaining('it is not a host certificate'),
      'ca-for-other-hosts': expect.stringContaining('is not in'),
      'revoked-ca': expect.stringContaining('its CA key is @revoked'),
      'revoked-host-key': expect.stringMatching(/revoked/i),
    });
  }, 60_000);

  it('follows OpenSSH 10.3 where it changed: wildcard principals trusted, an empty principal list refused', async () => {
    const { reached, messages } = await quorumReaches(['wildcard-principal', 'no-principals']);
    expect(reached).toEqual(['wildcard-principal']);
    expect(messages['no-principals']).toContain('it lists no principals');
  }, 60_000);

  it('a host behind a jump host: its certificate is fetched from the jump host, the session presents the certified key', async () => {
    const jump = servers.get('valid-ed25519')!;
    const target = servers.get('valid')!;
    const both = join(dir, 'known_hosts-jump');
    // the jump host by its own key; the target (nothing under [127.0.0.1]:port) through the CA
    const jumpKey = readFileSync(join(dir, 'host-valid-ed25519.pub'), 'utf8')
      .trim()
      .split(/\s+/)
      .slice(0, 2)
      .join(' ');
    const known = `[127.0.0.1]:${jump.port} ${jumpKey}\n@cert-authority 127.0.0.1 ${caPub.ca}\n`;
    writeFileSync(both, known);
    const transport = new SshTransport('behind-jump', {
      address: '127.0.0.1',
      port: target.port,
      user: 'root',
      privateKeyPaths: [client],
      knownHostsFile: both,
      hostKeyPolicy: 'strict',
      connectTimeoutMs: 5000,
      retries: 0,
      maxChannels: 2,
      jump: { address: '127.0.0.1', port: jump.port, user: 'root', privateKeyPaths: [client] },
    });
    // no ssh-keyscan on this side: only the jump host's can have fetched the certificate
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-such-bin');
    try {
      const r = await transport.exec('echo "$SSH_CONNECTION"', { purpose: 'probe' });
      expect(r.code).toBe(0);
      // the session reached the target's sshd through a forwarded channel of the jump host
      expect(r.stdout.trim().split(' ')[3]).toBe(String(target.port));
    } finally {
      process.env.PATH = path;
      await transport.close();
    }
    expect(readFileSync(both, 'utf8')).toBe(known);
  }, 30_000);
});
