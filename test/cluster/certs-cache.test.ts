/** The controller's kept `kubeadm certs check-expiration` answers (src/cluster/certs-cache.ts). */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExpiration } from '../../src/cluster/certs.ts';
import { cachedExpiration, keepExpiration, residualFrom } from '../../src/cluster/certs-cache.ts';

const DAY = 86_400;
const LISTING = '/etc/kubernetes/pki/apiserver.crt 1289 1796505227.123456789 1796505227.123456789 1582590\n';
const ANSWER = `[check-expiration] Reading configuration from the cluster...
${JSON.stringify({
  certificates: [
    {
      name: 'apiserver',
      expirationDate: '2027-01-01T00:00:00Z',
      residualTime: 30 * DAY,
      externallyManaged: false,
    },
    { name: 'gone', expirationDate: null, residualTime: 0, externallyManaged: false, missing: true },
  ],
  certificateAuthorities: [
    {
      name: 'ca',
      expirationDate: '2036-01-01T00:00:00Z',
      residualTime: 3000 * DAY,
      externallyManaged: false,
    },
  ],
})}`;

const envWith = () => ({ XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'quorum-certs-cache-')) });

describe('certs-cache', () => {
  it('serves the kept answer only for the same host and the same file listing', () => {
    const env = envWith();
    expect(cachedExpiration('cp1', LISTING, env)).toBeUndefined();
    keepExpiration('cp1', LISTING, ANSWER, env);
    expect(cachedExpiration('cp1', LISTING, env)).toBe(ANSWER);
    expect(cachedExpiration('cp2', LISTING, env)).toBeUndefined();
    // a renewed certificate: new size, times and inode
    const renewed = LISTING.replace('1289 1796505227.123456789', '1290 1796505300.000000001');
    expect(cachedExpiration('cp1', renewed, env)).toBeUndefined();
    // only the time of a change moved (same size): still another listing
    expect(
      cachedExpiration('cp1', LISTING.replace('.123456789 1582590', '.123456790 1582590'), env),
    ).toBeUndefined();
    // one file per host, replaced by the next answer, readable by its owner only
    keepExpiration('cp1', renewed, ANSWER, env);
    const dir = join(env.XDG_CACHE_HOME, 'quorum', 'certs-expiration');
    expect(readdirSync(dir)).toEqual(['cp1.json']);
    expect(statSync(join(dir, 'cp1.json')).mode & 0o777).toBe(0o600);
    expect(cachedExpiration('cp1', LISTING, env)).toBeUndefined();
    expect(cachedExpiration('cp1', renewed, env)).toBe(ANSWER);
  });

  it('a cache that is not there or not JSON is a miss, and one that cannot be written costs nothing', () => {
    // a file where the cache dir would be
    const file = join(mkdtempSync(join(tmpdir(), 'quorum-certs-cache-')), 'a-file');
    writeFileSync(file, 'x');
    const env = { XDG_CACHE_HOME: file };
    expect(() => keepExpiration('cp1', LISTING, ANSWER, env)).not.toThrow();
    expect(cachedExpiration('cp1', LISTING, env)).toBeUndefined();
  });

  it("counts a kept answer's time left again from now; a missing certificate keeps its zero", () => {
    const now = Date.parse('2026-12-22T00:00:00Z');
    const info = residualFrom(parseExpiration(ANSWER), now);
    expect(info.certificates.map((c) => c.residualTime)).toEqual([10 * DAY, 0]);
    expect(info.certificateAuthorities[0].residualTime).toBe(
      Math.floor((Date.parse('2036-01-01T00:00:00Z') - now) / 1000),
    );
    // past its end: zero, as kubeadm prints it
    expect(
      residualFrom(parseExpiration(ANSWER), Date.parse('2027-02-01T00:00:00Z')).certificates[0].residualTime,
    ).toBe(0);
  });
});
