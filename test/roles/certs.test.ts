/** kubeadm certs check-expiration -o json, as certs-check and certs-renew read it. */
import { describe, expect, it } from 'vitest';
import { describeExpiry, expiringWithin, parseExpiration, renewable } from '../../src/cluster/certs.ts';

const DAY = 86_400;
// the shape of cmd/kubeadm/app/apis/output/v1alpha3 CertificateExpirationInfo, after the line
// kubeadm prints about where it read its configuration
const OUTPUT = `[check-expiration] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...
${JSON.stringify(
  {
    kind: 'CertificateExpirationInfo',
    apiVersion: 'output.kubeadm.k8s.io/v1alpha3',
    certificates: [
      {
        name: 'admin.conf',
        expirationDate: '2027-11-30T10:00:00Z',
        residualTime: 363 * DAY,
        externallyManaged: false,
        caName: 'ca',
        missing: false,
      },
      {
        name: 'apiserver',
        expirationDate: '2026-12-11T10:00:00Z',
        residualTime: 9 * DAY + 100,
        externallyManaged: false,
        caName: 'ca',
        missing: false,
      },
      {
        name: 'apiserver-etcd-client',
        expirationDate: null,
        residualTime: 0,
        externallyManaged: false,
        caName: 'etcd-ca',
        missing: true,
      },
      {
        name: 'front-proxy-client',
        expirationDate: '2026-12-05T10:00:00Z',
        residualTime: 3 * DAY,
        externallyManaged: true,
        caName: 'front-proxy-ca',
        missing: false,
      },
    ],
    certificateAuthorities: [
      {
        name: 'ca',
        expirationDate: '2026-12-20T10:00:00Z',
        residualTime: 18 * DAY,
        externallyManaged: false,
        missing: false,
      },
      {
        name: 'etcd-ca',
        expirationDate: '2035-12-01T10:00:00Z',
        residualTime: 3285 * DAY,
        externallyManaged: false,
        missing: false,
      },
    ],
  },
  null,
  4,
)}
`;

describe('certificate expiry', () => {
  it("reads the JSON after kubeadm's own line; missing and externally managed ones are not renewable", () => {
    const info = parseExpiration(OUTPUT);
    expect(renewable(info).map((c) => c.name)).toEqual(['apiserver', 'admin.conf']);
    expect(describeExpiry(renewable(info)[0])).toBe('apiserver in 9 days (2026-12-11)');
  });

  it('what expires within N days: leaves and, apart, the CAs kubeadm does not renew', () => {
    const soon = expiringWithin(parseExpiration(OUTPUT), 30);
    expect(soon.leaves.map((c) => c.name)).toEqual(['apiserver']);
    expect(soon.cas.map((c) => c.name)).toEqual(['ca']);
    expect(expiringWithin(parseExpiration(OUTPUT), 5).leaves).toEqual([]);
    expect(expiringWithin(parseExpiration(OUTPUT), 400).leaves.map((c) => c.name)).toEqual([
      'apiserver',
      'admin.conf',
    ]);
  });

  it('output without JSON is an error naming what was printed', () => {
    expect(() => parseExpiration('error: failed to load admin kubeconfig')).toThrow(
      /printed no JSON: error: failed/,
    );
  });
});
