/**
 * Which host keys a host's certificates make trusted, for a host that known_hosts trusts only
 * through `@cert-authority`: fetched with OpenSSH's `ssh-keyscan -c` (from this machine, or from
 * the jump host for a host behind one), each checked by host-cert.ts. The SSH session then
 * negotiates only the certified keys' algorithms and must present one of those keys.
 */
import { execFile } from 'node:child_process';
import { hostCertProblem, keyscanCertificates, parseHostCert, sessionAlgorithms } from './host-cert.ts';
import { type CertTrust, hostEntries } from './known-hosts.ts';

export type { CertTrust };

import { sh } from './shell.ts';

/** Runs `ssh-keyscan -c` against address:port somewhere; resolves to its standard output. */
export type Keyscan = (address: string, port: number, timeoutSeconds: number) => Promise<string>;

export const localKeyscan: Keyscan = (address, port, timeoutSeconds) =>
  new Promise((resolve, reject) => {
    execFile(
      'ssh-keyscan',
      ['-c', '-T', String(timeoutSeconds), '-p', String(port), '--', address],
      { timeout: (timeoutSeconds + 5) * 1000, encoding: 'utf8' },
      (err, stdout) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
          reject(
            new Error("OpenSSH's ssh-keyscan is not installed on this machine (Debian: openssh-client)"),
          );
        else resolve(stdout ?? '');
      },
    );
  });

/** The same scan run on a jump host, through its (already verified) connection. */
export function remoteKeyscan(
  run: (command: string) => Promise<{ stdout: string; code: number | null }>,
): Keyscan {
  return async (address, port, timeoutSeconds) => {
    const r = await run(sh`ssh-keyscan -c -T ${timeoutSeconds} -p ${port} -- ${address}`);
    if (r.code === 127) throw new Error('ssh-keyscan is not installed on the jump host');
    return r.stdout;
  };
}

/**
 * Undefined when certificates do not decide this host: no `@cert-authority` line names it, or
 * a plain known_hosts key does (that key is then checked as usual, with no extra connection).
 */
export async function certTrust(
  file: string,
  address: string,
  port: number,
  scan: Keyscan,
  timeoutMs: number,
): Promise<CertTrust | undefined> {
  const entries = hostEntries(file, address, port);
  if (entries.authorities.length === 0 || entries.keys.length > 0) return undefined;
  const trust: CertTrust = { keys: new Set(), algorithms: [], problems: [] };
  let output: string;
  try {
    output = await scan(address, port, Math.max(1, Math.ceil(timeoutMs / 1000)));
  } catch (e) {
    trust.problems.push(
      `its certificate could not be fetched: ${e instanceof Error ? e.message : String(e)}`,
    );
    return trust;
  }
  const blobs = keyscanCertificates(output);
  if (blobs.length === 0) trust.problems.push('it presented no host certificate (ssh-keyscan -c)');
  const authorities = {
    trusted: entries.authorities.map((a) => ({ key: a.key, where: `${file}:${a.line}` })),
    revoked: new Set(entries.revoked.map((r) => r.key)),
  };
  for (const blob of blobs) {
    try {
      const cert = parseHostCert(blob);
      const problem = hostCertProblem(cert, address, authorities, new Date());
      if (problem) {
        trust.problems.push(`certificate ${JSON.stringify(cert.keyId)} (${cert.type}): ${problem}`);
        continue;
      }
      trust.keys.add(cert.plainKey.toString('base64'));
      for (const alg of sessionAlgorithms(cert))
        if (!trust.algorithms.includes(alg)) trust.algorithms.push(alg);
    } catch (e) {
      trust.problems.push(`a malformed certificate: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return trust;
}
