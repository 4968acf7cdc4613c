/**
 * OpenSSH host certificates (PROTOCOL.certkeys) checked as OpenSSH's client checks them against
 * known_hosts `@cert-authority` lines (sshkey_cert_check_host, OpenSSH 10.3+): a host
 * certificate, signed by a trusted and unrevoked CA with an allowed algorithm, valid now, naming
 * the host among its principals (wildcards allowed; an empty list refused), no critical options.
 *
 * ssh2 cannot negotiate certificate host keys, so the certificate comes from OpenSSH's
 * `ssh-keyscan -c` and the SSH session itself runs with the certified plain key: the session
 * proves the host holds that key, the CA's signature says the key is this host's. A certificate
 * is public data, so where it was fetched from does not matter; only its signature does.
 */
import { patternMatches } from './known-hosts.ts';
import { CA_SIGNATURE_ALGORITHMS, sshString, verifySignature, WireReader } from './ssh-keys.ts';

const CERT_SUFFIX = '-cert-v01@openssh.com';
const HOST_CERT = 2;

export interface HostCert {
  /** e.g. `ssh-ed25519-cert-v01@openssh.com` */
  type: string;
  /** The certified key as a plain key blob: what the SSH session must present. */
  plainKey: Buffer;
  kind: number;
  keyId: string;
  principals: string[];
  validAfter: bigint;
  validBefore: bigint;
  critical: Buffer;
  signatureKey: Buffer;
  signature: Buffer;
  /** Everything the CA signed: the blob up to the signature. */
  signed: Buffer;
}

/** Parses a certificate blob; throws on anything malformed. */
export function parseHostCert(blob: Buffer): HostCert {
  const r = new WireReader(blob);
  const type = r.string();
  if (!type.endsWith(CERT_SUFFIX)) throw new Error(`${type} is not a certificate`);
  const plainType = type.slice(0, -CERT_SUFFIX.length);
  r.bytes(); // nonce
  const keyStart = r.offset;
  const fields =
    plainType === 'ssh-ed25519' ? 1 : plainType === 'ssh-rsa' || plainType.startsWith('ecdsa-sha2-') ? 2 : 0;
  if (fields === 0) throw new Error(`unsupported certificate type ${type}`);
  for (let i = 0; i < fields; i++) r.bytes();
  const plainKey = Buffer.concat([sshString(plainType), blob.subarray(keyStart, r.offset)]);
  r.uint64(); // serial
  const kind = r.uint32();
  const keyId = r.string();
  const list = new WireReader(r.bytes());
  const principals: string[] = [];
  while (!list.done) principals.push(list.string());
  const validAfter = r.uint64();
  const validBefore = r.uint64();
  const critical = r.bytes();
  r.bytes(); // extensions: none are defined for host certificates
  r.bytes(); // reserved
  const signatureKey = r.bytes();
  const signed = blob.subarray(0, r.offset);
  const signature = r.bytes();
  if (!r.done) throw new Error('trailing data after the certificate');
  return {
    type,
    plainKey,
    kind,
    keyId,
    principals,
    validAfter,
    validBefore,
    critical,
    signatureKey,
    signature,
    signed,
  };
}

/** The algorithms ssh2 must negotiate to be shown a certificate's plain key. */
export function sessionAlgorithms(cert: HostCert): string[] {
  const plain = cert.type.slice(0, -CERT_SUFFIX.length);
  return plain === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256'] : [plain];
}

export interface Authorities {
  /** `@cert-authority` keys (base64 blobs) whose patterns name this host, with their place. */
  trusted: { key: string; where: string }[];
  /** `@revoked` keys (base64 blobs). */
  revoked: Set<string>;
}

const when = (t: bigint) =>
  t >= 0xffffffffffffffffn ? 'forever' : new Date(Number(t) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Why the certificate does not make `host` trusted, or undefined when it does. `host` is the
 * name principals are matched against: the host name without port, as OpenSSH does.
 */
export function hostCertProblem(
  cert: HostCert,
  host: string,
  authorities: Authorities,
  now: Date,
): string | undefined {
  const ca = cert.signatureKey.toString('base64');
  if (authorities.revoked.has(ca)) return 'its CA key is @revoked';
  if (authorities.revoked.has(cert.plainKey.toString('base64'))) return 'its host key is @revoked';
  if (!authorities.trusted.some((a) => a.key === ca))
    return 'it is signed by a CA that no @cert-authority line trusts for this host';
  let signature: { alg: string; ok: boolean };
  try {
    signature = verifySignature(cert.signatureKey, cert.signature, cert.signed);
  } catch (e) {
    return `its CA signature cannot be read (${e instanceof Error ? e.message : String(e)})`;
  }
  if (!signature.ok) return 'its CA signature does not verify';
  if (!CA_SIGNATURE_ALGORITHMS.includes(signature.alg))
    return `it is signed with ${signature.alg}, which OpenSSH's CASignatureAlgorithms does not allow`;
  if (cert.kind !== HOST_CERT) return 'it is not a host certificate';
  const seconds = BigInt(Math.floor(now.getTime() / 1000));
  if (seconds < cert.validAfter) return `it is not yet valid (from ${when(cert.validAfter)})`;
  if (seconds >= cert.validBefore) return `it has expired (valid before ${when(cert.validBefore)})`;
  // an empty list once meant "any host"; OpenSSH 10.3 refuses it (CVE-2024-7594)
  if (cert.principals.length === 0) return 'it lists no principals';
  if (!cert.principals.some((p) => patternMatches(p, host)))
    return `${host} is not among its principals (${cert.principals.join(', ')})`;
  if (cert.critical.length > 0) return 'it has critical options, which host certificates must not have';
  return undefined;
}

/** Certificates in `ssh-keyscan -c` output (comments and plain keys ignored). */
export function keyscanCertificates(output: string): Buffer[] {
  const certs: Buffer[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith('#')) continue;
    const words = line.trim().split(/\s+/);
    const i = words.findIndex((w) => w.endsWith(CERT_SUFFIX));
    if (i >= 0 && words[i + 1]) certs.push(Buffer.from(words[i + 1], 'base64'));
  }
  return certs;
}
