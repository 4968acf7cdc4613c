/**
 * Host certificates made by ssh-keygen, read and checked by quorum: every CA key type's
 * signature, forged and tampered certificates, validity times, keyscan output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  hostCertProblem,
  keyscanCertificates,
  parseHostCert,
  sessionAlgorithms,
} from '../../src/transport/host-cert.ts';
import { workspace } from '../helpers/run-local.ts';
import { certify, newKey } from '../helpers/sshd.ts';

const dir = workspace();

function blobOf(line: string): Buffer {
  return Buffer.from(line.trim().split(/\s+/)[1], 'base64');
}

/** A host certificate for a fresh `hostType` key signed by a fresh `caType` CA. */
function make(caType: string, hostType: string, options: string[]) {
  const id = `${caType}-${hostType}-${Math.random().toString(36).slice(2, 8)}`;
  const ca = join(dir, `ca-${id}`);
  const host = join(dir, `host-${id}`);
  const caLine = newKey(ca, caType);
  const hostLine = newKey(host, hostType);
  const cert = certify(ca, `${host}.pub`, id, options);
  return {
    ca: blobOf(caLine),
    host: blobOf(hostLine),
    cert: blobOf(readFileSync(cert, 'utf8')),
    text: readFileSync(cert, 'utf8'),
  };
}

const authorities = (ca: Buffer, revoked: Buffer[] = []) => ({
  trusted: [{ key: ca.toString('base64'), where: 'known_hosts:1' }],
  revoked: new Set(revoked.map((b) => b.toString('base64'))),
});
const NOW = new Date();
const VALID = ['-h', '-n', 'cp1.lab,10.0.0.11', '-V', '-5m:+1h'];

describe('host certificates', () => {
  it.each([
    ['ed25519', 'ecdsa'],
    ['ecdsa', 'ed25519'],
    ['rsa', 'rsa'],
  ])(
    'a %s CA signature over a %s host key verifies; the certified key is the host key',
    (caType, hostType) => {
      const m = make(caType, hostType, VALID);
      const cert = parseHostCert(m.cert);
      expect(cert.plainKey).toEqual(m.host);
      expect(cert.principals).toEqual(['cp1.lab', '10.0.0.11']);
      expect(hostCertProblem(cert, 'cp1.lab', authorities(m.ca), NOW)).toBeUndefined();
      expect(hostCertProblem(cert, '10.0.0.11', authorities(m.ca), NOW)).toBeUndefined();
      expect(hostCertProblem(cert, 'cp2.lab', authorities(m.ca), NOW)).toBe(
        'cp2.lab is not among its principals (cp1.lab, 10.0.0.11)',
      );
    },
  );

  it('every ECDSA curve a CA may use verifies', () => {
    for (const bits of ['256', '384', '521']) {
      const ca = join(dir, `ca-ecdsa-${bits}`);
      const host = join(dir, `host-ecdsa-${bits}`);
      const line = newKey(ca, 'ecdsa', ['-b', bits]);
      expect(line.startsWith(`ecdsa-sha2-nistp${bits} `)).toBe(true);
      newKey(host, 'ed25519');
      const cert = parseHostCert(blobOf(readFileSync(certify(ca, `${host}.pub`, bits, VALID), 'utf8')));
      expect(hostCertProblem(cert, 'cp1.lab', authorities(blobOf(line)), NOW)).toBeUndefined();
    }
  });

  it.each(['ed25519', 'ecdsa', 'rsa'])(
    'a %s CA: a forged certificate (a principal changed after signing) or a tampered signature does not verify',
    (caType) => {
      const m = make(caType, 'ed25519', VALID);
      const forged = Buffer.from(m.cert);
      forged.write('10.0.0.66', forged.indexOf('10.0.0.11'));
      expect(hostCertProblem(parseHostCert(forged), '10.0.0.66', authorities(m.ca), NOW)).toBe(
        'its CA signature does not verify',
      );
      const tampered = Buffer.from(m.cert);
      tampered[tampered.length - 5] ^= 0xff;
      expect(hostCertProblem(parseHostCert(tampered), 'cp1.lab', authorities(m.ca), NOW)).toBe(
        'its CA signature does not verify',
      );
    },
  );

  it('validity is checked against the clock, and revoked keys win over a valid signature', () => {
    const m = make('ed25519', 'ecdsa', ['-h', '-n', 'cp1.lab', '-V', '20300101:20300201']);
    const cert = parseHostCert(m.cert);
    expect(hostCertProblem(cert, 'cp1.lab', authorities(m.ca), new Date('2030-01-15'))).toBeUndefined();
    expect(hostCertProblem(cert, 'cp1.lab', authorities(m.ca), new Date('2029-12-31'))).toMatch(
      /^it is not yet valid/,
    );
    expect(hostCertProblem(cert, 'cp1.lab', authorities(m.ca), new Date('2030-02-01T00:00:00Z'))).toMatch(
      /^it has expired/,
    );
    const at = new Date('2030-01-15');
    expect(hostCertProblem(cert, 'cp1.lab', authorities(m.ca, [m.ca]), at)).toBe('its CA key is @revoked');
    expect(hostCertProblem(cert, 'cp1.lab', authorities(m.ca, [m.host]), at)).toBe(
      'its host key is @revoked',
    );
  });

  it('a truncated certificate is an error, not a guess', () => {
    const m = make('ed25519', 'ed25519', VALID);
    expect(() => parseHostCert(m.cert.subarray(0, m.cert.length - 10))).toThrow('truncated SSH data');
    expect(() => parseHostCert(m.host)).toThrow('ssh-ed25519 is not a certificate');
  });

  it('keyscan output gives its certificates; an RSA certificate is negotiated as rsa-sha2', () => {
    const rsa = make('ed25519', 'rsa', VALID);
    const ed = make('ed25519', 'ed25519', VALID);
    const output = `# 127.0.0.1:22 SSH-2.0-OpenSSH_9.2\n${rsa.text}ssh-ed25519 AAAAC3Nz\n${ed.text}`;
    const certs = keyscanCertificates(output).map(parseHostCert);
    expect(certs.map((c) => c.type)).toEqual([
      'ssh-rsa-cert-v01@openssh.com',
      'ssh-ed25519-cert-v01@openssh.com',
    ]);
    expect(certs.map(sessionAlgorithms)).toEqual([['rsa-sha2-512', 'rsa-sha2-256'], ['ssh-ed25519']]);
  });
});
