// The control plane's certificates as `kubeadm certs check-expiration -o json` reports them
// (output.kubeadm.k8s.io/v1alpha3 CertificateExpirationInfo).

export interface CertExpiry {
  name: string;
  /** RFC 3339, UTC. */
  expirationDate: string | null;
  /** Seconds left. */
  residualTime: number;
  externallyManaged: boolean;
  missing?: boolean;
  caName?: string;
}

export interface Expiration {
  certificates: CertExpiry[];
  certificateAuthorities: CertExpiry[];
}

export const CHECK_EXPIRATION = 'kubeadm certs check-expiration -o json';

/** kubeadm prints a line about where it read its configuration before the JSON: skipped. */
export function parseExpiration(stdout: string): Expiration {
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error(`kubeadm certs check-expiration printed no JSON: ${stdout.slice(0, 200)}`);
  const info = JSON.parse(stdout.slice(start)) as Partial<Expiration>;
  return { certificates: info.certificates ?? [], certificateAuthorities: info.certificateAuthorities ?? [] };
}

const DAY = 86_400;

/** The certificates kubeadm renews (present, not externally managed), soonest first. */
export function renewable(e: Expiration): CertExpiry[] {
  return e.certificates
    .filter((c) => !c.missing && !c.externallyManaged)
    .sort((a, b) => a.residualTime - b.residualTime);
}

/** "apiserver in 9 days (2026-12-11)". */
export const describeExpiry = (c: CertExpiry) =>
  `${c.name} in ${Math.floor(c.residualTime / DAY)} days (${c.expirationDate?.slice(0, 10) ?? 'unknown'})`;

/** Certificates (and CAs, which kubeadm does not renew) expiring within `days`. */
export function expiringWithin(e: Expiration, days: number): { leaves: CertExpiry[]; cas: CertExpiry[] } {
  const soon = (c: CertExpiry) => !c.missing && !c.externallyManaged && c.residualTime < days * DAY;
  return { leaves: renewable(e).filter(soon), cas: e.certificateAuthorities.filter(soon) };
}
