/** k8s objects checked offline against CRDs the playbook ships: refused before any host is touched. */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const METALLB = join(import.meta.dirname, '../fixtures/upstream/metallb-native-v0.16.1.yaml');

function site(spec: string, kind = 'IPAddressPool') {
  const dir = workspace();
  mkdirSync(join(dir, 'files'));
  copyFileSync(METALLB, join(dir, 'files', 'metallb-native.yaml'));
  writeFiles(dir, {
    'hosts.ini': '[cp]\ncp1 ansible_connection=local\n',
    'play.yml': `- hosts: cp
  tasks:
    - name: pool
      k8s:
        namespace: metallb-system
        schemas: [metallb-native.yaml]
        definition:
          apiVersion: metallb.io/v1beta1
          kind: ${kind}
          metadata: { name: lab }
          spec: ${spec}
`,
  });
  return quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
}

describe('k8s objects against shipped CRD schemas', () => {
  it('accepts a pool the CRD admits', () => {
    const r = site('{ addresses: [198.51.100.200/29], autoAssign: true }');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it.each([
    [
      'an unknown field',
      '{ addresses: [198.51.100.200/29], autoassign: true }',
      'IPAddressPool',
      /\/spec must NOT have additional properties \("autoassign"\)/,
    ],
    ['a wrong type', '{ addresses: 198.51.100.200/29 }', 'IPAddressPool', /\/spec\/addresses must be array/],
    [
      'an unknown kind of a shipped group',
      '{ addresses: [198.51.100.200/29] }',
      'IPAdressPool',
      /no CRD serves metallb\.io\/v1beta1 IPAdressPool/,
    ],
  ])('refuses %s with the task location, before any host', (_name, spec, kind, message) => {
    const r = site(spec, kind);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:3:\d+: k8s for host cp1: /);
    expect(r.stderr).toMatch(message);
  });
});
