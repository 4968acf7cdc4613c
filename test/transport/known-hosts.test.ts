/** Host keys against known_hosts: plain and wildcard names, @revoked keys, @cert-authority. */
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
    expect(verifyHostKey(file, 'cp1', key.blob, 'strict')).toEqual({ ok: true });
    expect(verifyHostKey(file, '10.0.0.5', key.blob, 'strict')).toEqual({ ok: true });
    expect(verifyHostKey(file, '10.0.0.9', key.blob, 'strict').ok).toBe(false);
  });

  it('refuses a @revoked key even where it is also listed as known, under every policy but off', () => {
    writeFileSync(file, `cp1 ${key.line}\n@revoked * ${key.line}\n`);
    for (const policy of ['strict', 'accept-new'] as const) {
      const v = verifyHostKey(file, 'cp1', key.blob, policy);
      expect(v).toEqual({ ok: false, reason: expect.stringContaining(`REVOKED (@revoked in ${file}:2)`) });
    }
    expect(verifyHostKey(file, 'cp2', other.blob, 'accept-new')).toEqual({ ok: true, learned: true });
  });

  it('says plainly that host certificates (@cert-authority) are not checked, instead of learning the key', () => {
    writeFileSync(file, `@cert-authority *.lab ${other.line}\n`);
    const before = readFileSync(file, 'utf8');
    const v = verifyHostKey(file, 'cp1.lab', key.blob, 'accept-new');
    expect(v).toEqual({
      ok: false,
      reason: expect.stringContaining('@cert-authority, and quorum cannot check host certificates'),
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
