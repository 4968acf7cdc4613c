// `kubeadm certs check-expiration` costs ~0.15 s of CPU on every control-plane node of every run
// (kubeadm loads the cluster's config and decodes each certificate), though what it reports
// changes only with the files it reads. The controller keeps its last answer per host with a
// listing of those files (name, size, mtime and ctime to the nanosecond, inode) and the kubeadm
// program's; while one `stat` lists the same, the answer is that one with the time left counted
// again from now. Renewal, a new certificate, an upgrade (new manifests, a new kubeadm) all
// change the listing. The answer holds no secret (names and dates); see kept-answers.ts.

import { keepAnswer, keptAnswer } from '../execute/kept-answers.ts';
import type { Expiration } from './certs.ts';

const K = '/etc/kubernetes';

/**
 * What check-expiration reads (kubeadm's renewal manager: the leaf certificates and CAs under
 * the certificates dir, the kubeconfig files, a CA key's presence for "externally managed"),
 * the static pod manifests (a new certificatesDir or an external etcd comes with new ones) and
 * kubeadm itself. Empty on a node not in the cluster yet (no admin.conf).
 */
export const CERT_FILES = [
  `test -e ${K}/admin.conf || exit 0`,
  `stat -L -c '%n %s %.9Y %.9Z %i' ${K}/*.conf ${K}/pki/*.crt ${K}/pki/*.key ${K}/pki/etcd/*.crt ${K}/pki/etcd/*.key ${K}/manifests/*.yaml "$(command -v kubeadm)" 2>/dev/null`,
  'exit 0',
].join('; ');

/** The answer kept for this host while its files list the same, else undefined. */
export const cachedExpiration = (host: string, listing: string, env = process.env) =>
  keptAnswer('certs-expiration', host, listing, env);

/** Keeps kubeadm's answer for this listing. */
export const keepExpiration = (host: string, listing: string, stdout: string, env = process.env) =>
  keepAnswer('certs-expiration', host, listing, stdout, env);

/** A kept answer's time left, counted again from `now` (kubeadm counts it when it runs). */
export function residualFrom(info: Expiration, now = Date.now()): Expiration {
  const again = <T extends { expirationDate: string | null; residualTime: number }>(c: T): T => {
    const end = c.expirationDate ? Date.parse(c.expirationDate) : Number.NaN;
    return Number.isNaN(end) ? c : { ...c, residualTime: Math.max(0, Math.floor((end - now) / 1000)) };
  };
  return {
    certificates: info.certificates.map(again),
    certificateAuthorities: info.certificateAuthorities.map(again),
  };
}
