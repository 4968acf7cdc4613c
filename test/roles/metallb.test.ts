/** The metallb role's objects against the CRD schemas of the pinned upstream manifest. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METALLB } from '../../roles/metallb/index.ts';
import { metallbObjects } from '../../roles/metallb/objects.ts';
import { parseManifest } from '../../src/modules/k8s.ts';
import { crdValidator } from '../helpers/crd.ts';

const UPSTREAM = join(import.meta.dirname, '../fixtures/upstream/metallb-native-v0.16.1.yaml');
const manifest = readFileSync(UPSTREAM, 'utf8');
const validate = crdValidator(manifest);
const base = {
  metallb_pool: '198.51.100.200-198.51.100.210',
  metallb_pool_name: 'default',
  metallb_auto_assign: true,
  metallb_interfaces: [] as string[],
  metallb_node_selector: {},
};

describe('metallb', () => {
  it('pins the bytes in test/fixtures/upstream (the same sha256)', () => {
    expect(createHash('sha256').update(readFileSync(UPSTREAM)).digest('hex')).toBe(METALLB.sha256);
  });

  it('reads every document of the release manifest, none lost', () => {
    const documents = manifest.split(/^---$/m).filter((d) => /^kind: /m.test(d)).length;
    expect(parseManifest(manifest)).toHaveLength(documents);
    expect(documents).toBeGreaterThan(20);
  });

  it('emits a pool and an L2Advertisement that the CRDs accept, with and without the options', () => {
    for (const p of [
      base,
      {
        ...base,
        metallb_pool: '198.51.100.200/29, 198.51.100.220-198.51.100.221',
        metallb_interfaces: ['eth0'],
        metallb_node_selector: { 'kubernetes.io/os': 'linux' },
      },
    ]) {
      const objects = metallbObjects(p);
      expect(objects.map((o) => o.kind)).toEqual(['IPAddressPool', 'L2Advertisement']);
      for (const o of objects) expect(validate(o)).toEqual([]);
    }
    expect(metallbObjects(base)[0].spec).toEqual({
      addresses: ['198.51.100.200-198.51.100.210'],
      autoAssign: true,
    });
  });

  it('the validator refuses what the API server would: a wrong field, an unknown kind', () => {
    const [pool] = metallbObjects(base);
    expect(validate({ ...pool, spec: { ...pool.spec, adresses: ['x'] } } as never)).toEqual([
      '/spec must NOT have additional properties ("adresses")',
    ]);
    expect(validate({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAdressPool' })).toEqual([
      'no CRD serves metallb.io/v1beta1 IPAdressPool',
    ]);
  });
});
