/**
 * The gateway role's pinned files and objects: the sha256 of the byte-exact upstream copies in
 * test/fixtures/upstream, every document of them read, the role's own objects (and NGF's) valid
 * under the pinned CRDs' schemas, and its preflight.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatewayObject, ngfManifest } from '../../roles/gateway/objects.ts';
import { GATEWAY_API, NGF } from '../../roles/gateway/release.ts';
import { parseManifest } from '../../src/modules/k8s.ts';
import { BUILTIN_CRD_FILE, BUILTIN_CRD_GROUPS } from '../../src/modules/k8s-builtin-crds.ts';
import type { K8sObject } from '../../src/modules/k8s-object.ts';
import { crdErrors, crdSchemas } from '../../src/modules/k8s-schema.ts';
import { builtinCrdsText, GATEWAY_API_CRDS } from '../helpers/builtin-crds.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const UPSTREAM = join(import.meta.dirname, '../fixtures/upstream');
const ROOT = join(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(f, 'utf8');
const sha256 = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const ngfCrds = read(join(UPSTREAM, 'nginx-gateway-fabric-v2.6.7-crds.yaml'));
const ngfDefault = read(join(UPSTREAM, 'nginx-gateway-fabric-v2.6.7-default.yaml'));
const apiFiles = readdirSync(GATEWAY_API_CRDS).sort();
const apiCrds = Object.keys(GATEWAY_API.crds).map((f) => read(join(GATEWAY_API_CRDS, f)));
const schemas = crdSchemas([...apiCrds, ngfCrds]);
/** Documents of a manifest as its text separates them, so that none can be skipped unseen. */
const documentsIn = (text: string) => text.split(/^---\s*$/m).filter((d) => /^kind: /m.test(d)).length;

describe('gateway: the pinned releases', () => {
  it('pins every file of Gateway API v1.5.1 config/crd/standard, byte for byte', () => {
    const pinned: Record<string, string> = {
      ...GATEWAY_API.crds,
      [GATEWAY_API.policy.file]: GATEWAY_API.policy.sha256,
    };
    expect(Object.keys(pinned).sort()).toEqual(apiFiles);
    for (const f of apiFiles) expect(sha256(join(GATEWAY_API_CRDS, f)), f).toBe(pinned[f]);
  });

  it("pins NGINX Gateway Fabric v2.6.7's deploy/crds.yaml and deploy/default/deploy.yaml", () => {
    expect(sha256(join(UPSTREAM, 'nginx-gateway-fabric-v2.6.7-crds.yaml'))).toBe(NGF.crds.sha256);
    expect(sha256(join(UPSTREAM, 'nginx-gateway-fabric-v2.6.7-default.yaml'))).toBe(NGF.deploy.sha256);
  });

  it('reads every document: 8 Gateway API CRDs, the policy and its binding, 11 NGF CRDs', () => {
    const api = apiCrds.flatMap(parseManifest);
    expect(api.map((o) => o.metadata.name).sort()).toEqual([
      'backendtlspolicies.gateway.networking.k8s.io',
      'gatewayclasses.gateway.networking.k8s.io',
      'gateways.gateway.networking.k8s.io',
      'grpcroutes.gateway.networking.k8s.io',
      'httproutes.gateway.networking.k8s.io',
      'listenersets.gateway.networking.k8s.io',
      'referencegrants.gateway.networking.k8s.io',
      'tlsroutes.gateway.networking.k8s.io',
    ]);
    const policy = parseManifest(read(join(GATEWAY_API_CRDS, GATEWAY_API.policy.file)));
    expect(policy.map((o) => o.kind)).toEqual([
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ]);
    const ngf = parseManifest(ngfCrds);
    expect(ngf).toHaveLength(documentsIn(ngfCrds));
    expect(ngf).toHaveLength(11);
    expect(
      ngf.every(
        (o) =>
          o.kind === 'CustomResourceDefinition' && String(o.metadata.name).endsWith('.gateway.nginx.org'),
      ),
    ).toBe(true);
  });

  it("applies NGF's install as upstream has it, but for its cert Job's TTL", () => {
    const upstream = parseManifest(ngfDefault);
    const applied = parseManifest(ngfManifest(ngfDefault));
    expect(upstream).toHaveLength(documentsIn(ngfDefault));
    expect(applied).toHaveLength(upstream.length);
    const job = (list: K8sObject[]) => list.find((o) => o.kind === 'Job')!;
    // upstream: deleted 30 s after it finished, so every later run would create it again
    expect((job(upstream).spec as { ttlSecondsAfterFinished?: number }).ttlSecondsAfterFinished).toBe(30);
    expect(job(applied).spec).not.toHaveProperty('ttlSecondsAfterFinished');
    const { ttlSecondsAfterFinished: _, ...rest } = job(upstream).spec as Record<string, unknown>;
    expect(job(applied).spec).toEqual(rest);
    expect(applied.filter((o) => o.kind !== 'Job')).toEqual(upstream.filter((o) => o.kind !== 'Job'));
  });

  it("refuses NGF's NodePort install and a file that is not NGF's", () => {
    expect(() => ngfManifest(ngfDefault.replace('type: LoadBalancer', 'type: NodePort'))).toThrow(
      /deploy\/nodeport/,
    );
    expect(() => ngfManifest(read(join(UPSTREAM, 'metallb-native-v0.16.1.yaml')))).toThrow(
      /no GatewayClass "nginx"/,
    );
  });

  it("NGF's own objects (GatewayClass, NginxGateway, NginxProxy) are valid under the pinned CRDs", () => {
    const custom = parseManifest(ngfDefault).filter((o) =>
      /\.(nginx\.org|networking\.k8s\.io)\//.test(o.apiVersion),
    );
    expect(custom.map((o) => o.kind).sort()).toEqual(['GatewayClass', 'NginxGateway', 'NginxProxy']);
    for (const o of custom) expect(crdErrors(o, schemas), o.kind).toEqual([]);
  });
});

describe('gateway: the Gateway', () => {
  const base = {
    gateway_name: 'gateway',
    gateway_namespace: 'nginx-gateway',
    gateway_lb_ip: '198.51.100.201',
  };

  it('is valid under the pinned Gateway CRD, its address in the infrastructure annotations', () => {
    const http = gatewayObject({
      ...base,
      gateway_listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
    });
    expect(crdErrors(http, schemas)).toEqual([]);
    expect(http.spec.infrastructure).toEqual({
      annotations: { 'metallb.io/loadBalancerIPs': '198.51.100.201' },
    });
    expect(http.spec.gatewayClassName).toBe('nginx');
    const both = gatewayObject({
      ...base,
      gateway_listeners: [
        { name: 'http', protocol: 'HTTP', port: 80, routes_from: 'Same' },
        { name: 'https', protocol: 'HTTPS', port: 443, hostname: '*.example.com', tls_secret: 'example-tls' },
      ],
    });
    expect(crdErrors(both, schemas)).toEqual([]);
    expect(both.spec.listeners[1]).toEqual({
      name: 'https',
      protocol: 'HTTPS',
      port: 443,
      hostname: '*.example.com',
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'example-tls' }] },
      allowedRoutes: { namespaces: { from: 'All' } },
    });
  });

  it('the schema check would see a field the CRD does not know (the check is not vacuous)', () => {
    const o = gatewayObject({ ...base, gateway_listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] });
    const bad = { ...o, spec: { ...o.spec, listeners: [{ ...o.spec.listeners[0], prot: 'HTTP' }] } };
    expect(crdErrors(bad, schemas).join()).toMatch(/additional properties \("prot"\)/);
  });
});

describe("the k8s module's built-in Gateway API schemas", () => {
  it('are the pinned CRDs, descriptions dropped (made by test/helpers/builtin-crds.ts)', () => {
    // compared by digest: a failure would otherwise print 143 KB of JSON
    const digest = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(digest(read(join(ROOT, BUILTIN_CRD_FILE)))).toBe(digest(builtinCrdsText()));
    const groups = new Set(
      (JSON.parse(builtinCrdsText()) as Array<{ spec: { group: string } }>).map((c) => c.spec.group),
    );
    expect(groups).toEqual(BUILTIN_CRD_GROUPS);
  });
});

describe('gateway preflight (quorum validate playbooks/cluster.yml)', () => {
  const validate = (extra: Record<string, unknown>) =>
    quorum([
      'validate',
      join(ROOT, 'playbooks/cluster.yml'),
      '-i',
      join(ROOT, 'inventory/example.yml'),
      '-e',
      JSON.stringify({ ingress_controller: 'gateway', ...extra }),
    ]);

  it('passes the example, alone and beside ingress-nginx on another address', () => {
    for (const extra of [{}, { ingress_controller: 'both' }]) {
      const r = validate(extra);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });

  it.each([
    [
      { gateway_lb_ip: '198.51.100.150' },
      /gateway_lb_ip 198\.51\.100\.150 is not in metallb_pool 198\.51\.100\.200-198\.51\.100\.210/,
    ],
    [
      { gateway_lb_ip: '198.51.100.10', metallb_pool: '198.51.100.0/28' },
      /gateway_lb_ip 198\.51\.100\.10 is the control-plane VIP/,
    ],
    [
      { ingress_controller: 'both', gateway_lb_ip: '198.51.100.200' },
      /gateway_lb_ip 198\.51\.100\.200 is also ingress_nginx_lb_ip, and the playbook runs both/,
    ],
    [
      { gateway_listeners: [{ name: 'https', protocol: 'HTTPS', port: 443 }] },
      /gateway_listeners https: HTTPS needs tls_secret/,
    ],
    [
      {
        gateway_listeners: [
          { name: 'a', protocol: 'HTTP', port: 80 },
          { name: 'b', protocol: 'HTTP', port: 80 },
        ],
      },
      /gateway_listeners a and b: the same port, protocol and hostname/,
    ],
    [{ ingress_controller: 'traefik' }, /ingress_controller/],
  ])('refuses %j before any host', (extra, message) => {
    const r = validate(extra);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a playbook that runs the controller ingress_controller does not name (as api_lb does)', () => {
    // cluster.yml's add-on play without its `when`s: both roles run whatever the variable says
    const dir = workspace();
    const cluster = read(join(ROOT, 'playbooks/cluster.yml'));
    const unconditional = cluster.replace(/- \{ role: (ingress-nginx|gateway), when: .*\}/g, '- $1');
    expect(unconditional).not.toBe(cluster);
    writeFiles(dir, { 'cluster.yml': unconditional });
    const run = (controller: string) =>
      quorum([
        'validate',
        join(dir, 'cluster.yml'),
        '-i',
        join(ROOT, 'inventory/example.yml'),
        '-e',
        JSON.stringify({ ingress_controller: controller }),
      ]);
    expect(run('gateway').stderr).toMatch(
      /ingress_controller is gateway, but the playbook also runs role ingress-nginx on some host/,
    );
    expect(run('ingress-nginx').stderr).toMatch(
      /ingress_controller is ingress-nginx, but the playbook also runs role gateway on some host/,
    );
    const both = run('both');
    expect(both.stderr).toBe('');
    expect(both.code).toBe(0);
  });
});
