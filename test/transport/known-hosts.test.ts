/** Host keys against known_hosts: plain and wildcard names, ports, @revoked keys, @cert-authority. */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyHostKey } from '../../src/transport/known-hosts.ts';
import { workspace } from '../helpers/run-local.ts';

/** An ssh-ed25519 public key blob and its known_hosts text. */
function hostKey(): { blob: Buffer; line: string } {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const type = Buffer.from('ssh-ed25519');
  const blob = Buffer.concat([
    Buffer.from([0, 0, 0, type.length]),
    type,
    Buffer.from([0, 0, 0, raw.length]),
    raw,
  ]);
  return { blob, line: `ssh-ed25519 ${blob.toString('base64')}` };
}

describe('known_hosts', () => {
  const dir = workspace();
  const file = join(dir, 'known_hosts');
  const key = hostKey();
  const other = hostKey();

  it('accepts a known key, by name or by wildcard pattern, and refuses a negated name', () => {
    writeFileSync(file, `cp1 ${key.line}\n10.0.0.*,!10.0.0.9 ${key.line}\n`);
    expect(verifyHostKey(file, 'cp1', 22, key.blob, 'strict')).toEqual({ ok: true });
    expect(verifyHostKey(file, '10.0.0.5', 22, key.blob, 'strict')).toEqual({ ok: true });
    expect(verifyHostKey(file, '10.0.0.9', 22, key.blob, 'strict').ok).toBe(false);
  });

  it('refuses a @revoked key even where it is also listed as known, under every policy but off', () => {
    writeFileSync(file, `cp1 ${key.line}\n@revoked * ${key.line}\n`);
    for (const policy of ['strict', 'accept-new'] as const) {
      const v = verifyHostKey(file, 'cp1', 22, key.blob, policy);
      expect(v).toEqual({ ok: false, reason: expect.stringContaining(`REVOKED (@revoked in ${file}:2)`) });
    }
    expect(verifyHostKey(file, 'cp2', 22, other.blob, 'accept-new')).toEqual({ ok: true, learned: true });
  });

  it('a host on another port is found under [host]:port, or under its bare name when nothing is known there (as OpenSSH)', () => {
    writeFileSync(file, `cp1 ${key.line}\n[cp2]:2222 ${key.line}\ncp2 ${other.line}\n`);
    expect(verifyHostKey(file, 'cp1', 2222, key.blob, 'strict')).toEqual({ ok: true });
    expect(verifyHostKey(file, 'cp2', 2222, key.blob, 'strict')).toEqual({ ok: true });
    // [cp2]:2222 is known: the bare name's key is not consulted
    expect(verifyHostKey(file, 'cp2', 2222, other.blob, 'strict').ok).toBe(false);
    // a bare-name key that does not match is another sshd's, not a changed key: new under accept-new
    expect(verifyHostKey(file, 'cp1', 2200, other.blob, 'accept-new')).toEqual({ ok: true, learned: true });
    expect(readFileSync(file, 'utf8')).toContain(`[cp1]:2200 ${other.line}`);
  });

  it('a host trusted only through @cert-authority is refused, even under accept-new, unless its certificate proved the key', () => {
    writeFileSync(file, `@cert-authority *.lab ${other.line}\n`);
    const before = readFileSync(file, 'utf8');
    const refused = verifyHostKey(file, 'cp1.lab', 22, key.blob, 'accept-new', {
      keys: new Set(),
      algorithms: [],
      problems: [
        'certificate "x" (ssh-ed25519-cert-v01@openssh.com): it has expired (valid before 2020-01-01T00:00:00Z)',
      ],
    });
    expect(refused).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /only through @cert-authority, and its host certificate was not accepted: .*expired/,
      ),
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
    const certified = {
      keys: new Set([key.blob.toString('base64')]),
      algorithms: ['ssh-ed25519'],
      problems: [],
    };
    expect(verifyHostKey(file, 'cp1.lab', 22, key.blob, 'strict', certified)).toEqual({ ok: true });
    expect(verifyHostKey(file, 'cp1.lab', 22, other.blob, 'strict', certified).ok).toBe(false);
  });
});
