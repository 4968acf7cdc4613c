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

describe("Gateway API objects against quorum's own copy of the standard CRDs (nothing shipped)", () => {
  function route(rule: string) {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': '[cp]\ncp1 ansible_connection=local\n',
      'play.yml': `- hosts: cp
  tasks:
    - name: echo route
      k8s:
        definition:
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: { name: echo, namespace: web }
          spec:
            parentRefs: [{ name: gateway, namespace: nginx-gateway }]
            hostnames: [echo.example.com]
            rules:
              - ${rule}
`,
    });
    return quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
  }

  it("accepts the README's HTTPRoute", () => {
    const r = route(
      '{ matches: [{ path: { type: PathPrefix, value: / } }], backendRefs: [{ name: echo, port: 80 }] }',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it.each([
    [
      'an unknown field',
      '{ matches: [{ path: { type: PathPrefix, value: / } }], backendRef: [{ name: echo, port: 80 }] }',
      /\/spec\/rules\/0 must NOT have additional properties \("backendRef"\)/,
    ],
    [
      'a value outside an enum',
      '{ matches: [{ path: { type: Prefix, value: / } }] }',
      /\/spec\/rules\/0\/matches\/0\/path\/type must be equal to one of the allowed values/,
    ],
  ])('refuses %s with the task location, before any host', (_name, rule, message) => {
    const r = route(rule);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:3:\d+: k8s for host cp1: HTTPRoute "echo": /);
    expect(r.stderr).toMatch(message);
  });
});
