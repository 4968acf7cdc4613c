/** The ingress-nginx role's manifest: the pinned cloud release, pinned to a MetalLB address. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INGRESS_NGINX } from '../../roles/ingress-nginx/index.ts';
import { DEFAULT_CLASS, ingressManifest, LB_IPS } from '../../roles/ingress-nginx/manifest.ts';
import { parseManifest } from '../../src/modules/k8s.ts';
import { quorum } from '../helpers/cli.ts';

const SHARED = join(import.meta.dirname, '../fixtures/upstream');
const cloud = readFileSync(join(SHARED, 'ingress-nginx-controller-v1.15.1-cloud.yaml'), 'utf8');
const baremetal = readFileSync(join(SHARED, 'ingress-nginx-controller-v1.15.1-baremetal.yaml'), 'utf8');
const ROOT = join(import.meta.dirname, '../..');

describe('ingress-nginx', () => {
  it('pins the cloud manifest in test/fixtures/upstream (the same sha256)', () => {
    expect(createHash('sha256').update(cloud).digest('hex')).toBe(INGRESS_NGINX.sha256);
  });

  it('annotates the LoadBalancer Service and the IngressClass, every other object but the Jobs as upstream has it', () => {
    const before = parseManifest(cloud);
    const after = parseManifest(
      ingressManifest(cloud, { ingress_nginx_lb_ip: '198.51.100.200', ingress_nginx_default_class: true }),
    );
    expect(after).toHaveLength(before.length);
    expect(before.length).toBe(cloud.split(/^---$/m).filter((d) => /^kind: /m.test(d)).length);
    const service = after.find(
      (o) => o.kind === 'Service' && o.metadata.name === 'ingress-nginx-controller',
    )!;
    expect((service.metadata as { annotations?: object }).annotations).toEqual({
      [LB_IPS]: '198.51.100.200',
    });
    expect((service.spec as { type: string }).type).toBe('LoadBalancer');
    const klass = after.find((o) => o.kind === 'IngressClass')!;
    expect((klass.metadata as { annotations?: object }).annotations).toEqual({ [DEFAULT_CLASS]: 'true' });
    const untouched = (list: typeof after) =>
      list.filter(
        (o) =>
          o !== service &&
          o !== klass &&
          o.kind !== 'IngressClass' &&
          o.kind !== 'Job' &&
          !(o.kind === 'Service' && o.metadata.name === 'ingress-nginx-controller'),
      );
    expect(untouched(after)).toEqual(untouched(before));
  });

  it("leaves the objects as upstream has them when nothing is asked, but for the admission Jobs' TTL", () => {
    const plain = parseManifest(ingressManifest(cloud, { ingress_nginx_default_class: false }));
    const upstream = parseManifest(cloud);
    const jobs = (list: typeof upstream) => list.filter((o) => o.kind === 'Job');
    // upstream deletes both admission Jobs right after they finish (TTL 0): re-created by every run
    expect(
      jobs(upstream).map((j) => (j.spec as { ttlSecondsAfterFinished?: number }).ttlSecondsAfterFinished),
    ).toEqual([0, 0]);
    expect(
      jobs(plain).map((j) => (j.spec as { ttlSecondsAfterFinished?: number }).ttlSecondsAfterFinished),
    ).toEqual([undefined, undefined]);
    const withoutTtl = upstream.map((o) =>
      o.kind === 'Job'
        ? {
            ...o,
            spec: Object.fromEntries(
              Object.entries(o.spec as object).filter(([k]) => k !== 'ttlSecondsAfterFinished'),
            ),
          }
        : o,
    );
    expect(plain).toEqual(withoutTtl);
  });

  it('refuses the baremetal manifest (a NodePort Service)', () => {
    expect(() => ingressManifest(baremetal, { ingress_nginx_default_class: true })).toThrow(
      /not of type LoadBalancer/,
    );
  });

  it('preflight: the address must lie in the MetalLB pool and not be the VIP', () => {
    const validate = (ip: string) =>
      quorum([
        'validate',
        join(ROOT, 'playbooks/cluster.yml'),
        '-i',
        join(ROOT, 'inventory/example.yml'),
        '-e',
        JSON.stringify({ ingress_controller: 'ingress-nginx', ingress_nginx_lb_ip: ip }),
      ]);
    expect(validate('198.51.100.205').code).toBe(0);
    const outside = validate('198.51.100.150');
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(
      /ingress_nginx_lb_ip 198\.51\.100\.150 is not in metallb_pool 198\.51\.100\.200-198\.51\.100\.210/,
    );
  });
});
