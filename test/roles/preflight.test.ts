/** Offline preflight of the cluster roles: `quorum validate` refuses a bad topology, naming the value. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

function inventory(cps: number, vars: string, hostVars: Record<string, string> = {}): string {
  const hosts = Array.from(
    { length: cps },
    (_, i) => `        cp${i + 1}: { ansible_host: 198.51.100.${11 + i}${hostVars[`cp${i + 1}`] ?? ''} }`,
  );
  const vip = vars.includes('control_plane_vip:') ? '' : '    control_plane_vip: 198.51.100.10\n';
  return `all:\n  vars:\n    keepalived_auth_pass: secret1\n${vip}${vars}  children:\n    control_plane:\n      hosts:\n${hosts.join('\n')}\n`;
}

const LB = '- hosts: control_plane\n  roles: [haproxy, keepalived]\n';

function validate(inv: string, play = LB) {
  const dir = workspace();
  writeFiles(dir, { 'inv.yml': inv, 'play.yml': play });
  return quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml')]);
}

describe('cluster preflight', () => {
  it('requires the VIP from the inventory: a production role has no lab default', () => {
    const r = validate(inventory(3, '    control_plane_vip: null\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/control_plane_vip/);
  });

  it('accepts the reference topology', () => {
    const r = validate(inventory(3, ''));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it.each([
    [
      'an even control-plane count',
      inventory(4, ''),
      /group "control_plane" has 4 control-plane node\(s\); .*odd number, at least 3/,
    ],
    ['too few control-plane nodes', inventory(1, ''), /has 1 control-plane node/],
    [
      'a VIP outside the node subnet',
      inventory(3, '    control_plane_vip: 203.0.113.10\n'),
      /control_plane_vip 203\.0\.113\.10 is not in the subnet of cp1 \(ansible_host 198\.51\.100\.11\/24\)/,
    ],
    [
      'a VIP that is a node address',
      inventory(3, '    control_plane_vip: 198.51.100.12\n'),
      /control_plane_vip 198\.51\.100\.12 is the address of node cp2/,
    ],
    [
      'router ids that differ',
      inventory(3, '', { cp2: ', keepalived_router_id: 52' }),
      /keepalived_router_id differs between hosts \(cp1: 51, cp2: 52, cp3: 51\)/,
    ],
    [
      'a router id out of range',
      inventory(3, '    keepalived_router_id: 300\n'),
      /parameter "keepalived_router_id" is 300: it must be <= 255/,
    ],
    [
      'two MASTERs',
      inventory(3, '', { cp2: ', keepalived_state: MASTER' }),
      /exactly one MASTER is needed, found 2 \(cp1, cp2/,
    ],
    [
      'a check weight too small to fail over',
      inventory(3, '    keepalived_check_weight: -1\n'),
      /failing check on cp1 would not move the VIP: priority 101 \+ keepalived_check_weight -1 is not below the best backup's 100/,
    ],
    [
      'a password longer than 8',
      inventory(3, '    keepalived_auth_pass: much-too-long\n'),
      /parameter "keepalived_auth_pass" is \(secret, not shown\): it must NOT have more than 8 characters/,
    ],
    [
      'haproxy on the apiserver port',
      inventory(3, '    control_plane_port: 6443\n'),
      /haproxy would bind 6443, which kube-apiserver uses on the same node/,
    ],
  ])('refuses %s', (_name, inv, message) => {
    const r = validate(inv);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('secret1');
  });

  it('refuses kube-vip together with keepalived + haproxy', () => {
    const r = validate(
      inventory(3, ''),
      '- hosts: control_plane\n  roles: [haproxy, keepalived, kube-vip]\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/kube-vip and keepalived \+ haproxy both manage the control-plane VIP/);
  });
});
