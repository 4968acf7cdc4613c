/**
 * `quorum vars`: each variable's winning layer, over the layers it won against. The winner's
 * value is what Ansible gives the host: checked on every host of the conformance corpus
 * (37 real-world inventories with ansible-core's own `--list` output), and the order of the
 * layers on a hand-made inventory (group depth, group_vars files, host, host_vars, -e).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { originsOf } from '../../src/cli/vars-cmd.ts';
import { loadInventory } from '../../src/inventory/load.ts';
import { hostVarsLayers, INTERNAL_VARS } from '../../src/inventory/vars.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace } from '../helpers/run-local.ts';

const CORPUS = join(import.meta.dirname, '../fixtures/conformance/inventory');

it("the winning values are Ansible's, on every host of the corpus", () => {
  let hosts = 0;
  for (const line of readFileSync(join(CORPUS, 'manifest.tsv'), 'utf8').split('\n')) {
    const [name, source, , expect_] = line.split('\t');
    if (!name || name.startsWith('#') || expect_ !== 'ok') continue;
    const expected = JSON.parse(readFileSync(join(CORPUS, 'inventories', name, 'expected-list.json'), 'utf8'))
      ._meta.hostvars as Record<string, Record<string, unknown>>;
    const inv = loadInventory([join(CORPUS, source)], () => {});
    for (const [host, vars] of Object.entries(expected)) {
      const origins = originsOf(hostVarsLayers(inv, inv.data.hosts.get(host)!));
      const won = Object.fromEntries(
        [...origins].filter(([k]) => !INTERNAL_VARS.has(k)).map(([k, o]) => [k, o.value]),
      );
      expect(won, `${name} ${host}`).toEqual(vars);
      hosts++;
    }
  }
  expect(hosts).toBeGreaterThan(100);
});

it('names the winning layer and, under it, the layers it won over, highest first', () => {
  const dir = workspace();
  mkdirSync(join(dir, 'group_vars'));
  mkdirSync(join(dir, 'host_vars'));
  writeFileSync(
    join(dir, 'hosts.yml'),
    'all:\n  vars: { colour: grey }\n  children:\n    kube:\n      vars: { colour: blue }\n      children:\n        control_plane:\n          vars: { colour: teal }\n          hosts:\n            cp1: { colour: red }\n',
  );
  writeFileSync(join(dir, 'group_vars', 'kube.yml'), 'colour: green\n');
  writeFileSync(join(dir, 'host_vars', 'cp1.yml'), 'colour: black\n');
  const r = quorum(['vars', 'cp1', 'colour', '-i', join(dir, 'hosts.yml'), '-e', 'colour=pink', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const o = JSON.parse(r.stdout).colour;
  expect(o.value).toBe('pink');
  expect(o.source).toBe('extra vars (-e)');
  expect(o.over.map((u: { source: string; value: string }) => `${u.source} = ${u.value}`)).toEqual([
    `${dir}/host_vars/cp1 = black`,
    'inventory: host cp1 = red',
    `${dir}/group_vars/kube = green`,
    'inventory: group control_plane (depth 2) = teal',
    'inventory: group kube (depth 1) = blue',
    'inventory: group all = grey',
  ]);
});

it('a secret of a role is shown masked; an unknown host or name gets a did-you-mean', () => {
  const dir = workspace();
  writeFileSync(join(dir, 'hosts.ini'), 'cp1 keepalived_auth_pass=topsecret colour=red\n');
  const r = quorum(['vars', 'cp1', '-i', join(dir, 'hosts.ini')]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('keepalived_auth_pass = ********');
  expect(r.stdout).not.toContain('topsecret');
  expect(r.stdout).toContain('colour = "red"\n    from: inventory: host cp1');
  const typo = quorum(['vars', 'cp2', '-i', join(dir, 'hosts.ini')]);
  expect(typo.code).toBe(1);
  expect(typo.stderr).toContain('did you mean "cp1"?');
  expect(quorum(['vars', 'cp1', 'colr', '-i', join(dir, 'hosts.ini')]).stderr).toContain(
    'did you mean "colour"?',
  );
});
