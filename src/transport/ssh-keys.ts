/**
 * SSH public keys and signatures in their wire format (RFC 4253 §6.6, RFC 5656, RFC 8332,
 * RFC 8709), checked with Node's crypto: what a host certificate's CA signature needs. ssh2
 * has no API for this, and only these key types exist for host CAs that OpenSSH accepts.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** Reads the SSH wire format; every read is bounded by the buffer (a short one throws). */
export class WireReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get offset(): number {
    return this.pos;
  }

  get done(): boolean {
    return this.pos === this.buf.length;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error('truncated SSH data');
  }

  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  bytes(): Buffer {
    const n = this.uint32();
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  string(): string {
    return this.bytes().toString('latin1');
  }
}

export function sshString(value: string | Buffer): Buffer {
  const b = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

const CURVES: Record<string, { jwk: string; size: number; hash: string }> = {
  nistp256: { jwk: 'P-256', size: 32, hash: 'sha256' },
  nistp384: { jwk: 'P-384', size: 48, hash: 'sha384' },
  nistp521: { jwk: 'P-521', size: 66, hash: 'sha512' },
};

const b64url = (b: Buffer) => b.toString('base64url');
/** An mpint without its sign byte (or other leading zeros), as JWK and IEEE P1363 want it. */
const unsigned = (b: Buffer) => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
};

export function keyType(blob: Buffer): string {
  return new WireReader(blob).string();
}

/** A public key blob (`ssh-ed25519 …`, `ecdsa-sha2-nistp256 …`, `ssh-rsa …`) as a KeyObject. */
export function publicKeyObject(blob: Buffer): KeyObject {
  const r = new WireReader(blob);
  const type = r.string();
  let jwk: Record<string, string>;
  if (type === 'ssh-ed25519') {
    const pk = r.bytes();
    if (pk.length !== 32) throw new Error('malformed ssh-ed25519 key');
    jwk = { kty: 'OKP', crv: 'Ed25519', x: b64url(pk) };
  } else if (type.startsWith('ecdsa-sha2-')) {
    const curve = r.string();
    const c = CURVES[curve];
    const q = r.bytes();
    if (!c || type !== `ecdsa-sha2-${curve}` || q[0] !== 4 || q.length !== 1 + 2 * c.size)
      throw new Error(`malformed ${type} key`);
    jwk = { kty: 'EC', crv: c.jwk, x: b64url(q.subarray(1, 1 + c.size)), y: b64url(q.subarray(1 + c.size)) };
  } else if (type === 'ssh-rsa') {
    const e = r.bytes();
    const n = r.bytes();
    jwk = { kty: 'RSA', e: b64url(unsigned(e)), n: b64url(unsigned(n)) };
  } else {
    throw new Error(`unsupported key type ${type}`);
  }
  if (!r.done) throw new Error(`malformed ${type} key (trailing data)`);
  return createPublicKey({ key: jwk, format: 'jwk' });
}

/** OpenSSH's default CASignatureAlgorithms (sk- keys aside): no SHA-1 `ssh-rsa`. */
export const CA_SIGNATURE_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
];

/** The algorithm a signature blob names, and whether it is `key`'s valid signature of `data`. */
export function verifySignature(
  keyBlob: Buffer,
  signature: Buffer,
  data: Buffer,
): { alg: string; ok: boolean } {
  const s = new WireReader(signature);
  const alg = s.string();
  const sig = s.bytes();
  const type = keyType(keyBlob);
  const key = publicKeyObject(keyBlob);
  if (alg === 'ssh-ed25519' && type === alg) return { alg, ok: verify(null, data, key, sig) };
  if (alg.startsWith('ecdsa-sha2-') && type === alg) {
    const c = CURVES[alg.slice('ecdsa-sha2-'.length)];
    const rs = new WireReader(sig);
    const pad = (b: Buffer) => {
      const u = unsigned(b);
      if (u.length > c.size) throw new Error('malformed ECDSA signature');
      return Buffer.concat([Buffer.alloc(c.size - u.length), u]);
    };
    const p1363 = Buffer.concat([pad(rs.bytes()), pad(rs.bytes())]);
    return { alg, ok: verify(c.hash, data, { key, dsaEncoding: 'ieee-p1363' }, p1363) };
  }
  const rsaHash: Record<string, string> = {
    'ssh-rsa': 'sha1',
    'rsa-sha2-256': 'sha256',
    'rsa-sha2-512': 'sha512',
  };
  if (rsaHash[alg] && type === 'ssh-rsa') return { alg, ok: verify(rsaHash[alg], data, key, sig) };
  return { alg, ok: false };
}
