/** The lab's address plans: the cluster's /24 up to 170 hosts, a bench lab on 198.18.0.0/15 up to 1,000. */
import { describe, expect, it } from 'vitest';
import { CLUSTER_MAX_HOSTS, labTopology, MAX_HOSTS } from '../../src/lab/topology.ts';

describe('lab topology', () => {
  it("up to 170 hosts: the cluster's plan, unchanged", () => {
    const hosts = labTopology(CLUSTER_MAX_HOSTS);
    expect(hosts[0]).toMatchObject({
      name: 'cp1',
      address: '198.51.100.11',
      mask: 24,
      gateway: '198.51.100.1',
    });
    expect(hosts.at(-1)).toMatchObject({ name: 'w167', address: '198.51.100.187' });
  });

  it('past it, 1,000 distinct addresses on 198.18.0.0/15, names and veths within 15 bytes', () => {
    const hosts = labTopology(MAX_HOSTS);
    expect(hosts).toHaveLength(1000);
    expect(new Set(hosts.map((h) => h.address)).size).toBe(1000);
    for (const h of hosts) {
      const [a, b, c, d] = h.address.split('.').map(Number);
      expect([a, b, h.mask, h.gateway]).toEqual([198, 18, 15, '198.18.0.1']);
      expect(c).toBeLessThan(4);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(256);
      expect(h.address).not.toBe('198.18.0.1');
      expect(Buffer.byteLength(h.veth)).toBeLessThanOrEqual(15);
    }
    expect(hosts.at(-1)).toMatchObject({ name: 'w997', address: '198.18.3.249' });
    expect(() => labTopology(MAX_HOSTS + 1)).toThrow(/between 1 and 1000/);
  });
});
