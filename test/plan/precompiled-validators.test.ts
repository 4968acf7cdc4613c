/**
 * The bundle checks playbooks, module parameters and built-in roles' params with validators compiled at build time
 * (bin/build.mjs, src/playbook/precompile.ts). They must answer exactly as validators compiled
 * at run time do: same verdict, same errors, same defaults filled in.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/execute/run.ts';
import { ownSchemas, validatorsModule } from '../../src/playbook/precompile.ts';
import { BUILTIN_ROLES, discoverRoles, loadRole } from '../../src/roles/registry.ts';
import { AJV_OPTIONS, schemasCompiledAtRunTime } from '../../src/schema/ajv.ts';

/** The built-in roles' param schemas: bin/build.mjs precompiles them with the engine's. */
async function roleSchemas(): Promise<object[]> {
  const found = discoverRoles([BUILTIN_ROLES]);
  return Promise.all([...found.keys()].map(async (n) => (await loadRole(n, found)).params as object));
}

async function loadGenerated(schemas: object[]): Promise<Map<string, ValidateFunction>> {
  const file = join(mkdtempSync(join(tmpdir(), 'quorum-validators-')), 'validators.mjs');
  // the generated code calls require() for ajv's helpers, as the bundle provides one
  const prelude = `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(import.meta.url)});\n`;
  writeFileSync(file, prelude + validatorsModule(schemas));
  return (await import(pathToFileURL(file).href)).precompiled;
}

const samples: unknown[] = [
  {},
  [],
  'x',
  5,
  null,
  { path: '/x' },
  { path: 5 },
  { path: '/x', state: 'folder' },
  { path: '/x', state: 'directory', mode: '0755', recurse: true },
  { dest: '/x', content: 'y' },
  { dest: '/x', contnet: 'y' },
  { src: 'a.hbs', dest: '/x', mode: 644 },
  { path: '/x', line: 'a', regexp: '^a', state: 'absent' },
  { name: ['curl', 1] },
  { name: 'curl', state: 'latest', update_cache: true },
  { cmd: 'ls', creates: '/x' },
  { argv: [] },
  { name: 'nginx', state: 'started', enabled: 'yes' },
  { msg: 'hi' },
  { that: ['a == 1'], fail_msg: 'no' },
  [{ hosts: 'all', tasks: [] }],
  [{ hosts: 5 }],
  [{ name: 'x' }],
  [{ hosts: 'all', become: 'yes', roles: [{ role: 'r', x: 1 }], serial: 2 }],
  // role params
  { kubernetes_version: '1.35.3', control_plane_vip: '198.51.100.10' },
  { kubernetes_version: 1.35, metallb_pool: '198.51.100.200-198.51.100.210', metallb_auto_assign: 'no' },
  { certs_warn_days: '30' },
  { node: 'w1', drain_timeout: -1 },
];

describe('precompiled validators', () => {
  it('answer as validators compiled at run time: verdict, errors, defaults', async () => {
    const schemas = [...ownSchemas(), ...(await roleSchemas())];
    const precompiled = await loadGenerated(schemas);
    expect(precompiled.size).toBe(new Set(schemas.map((s) => JSON.stringify(s))).size);
    let passed = 0;
    for (const schema of schemas) {
      const built = precompiled.get(JSON.stringify(schema))!;
      const compiled = new Ajv(AJV_OPTIONS).compile(schema);
      for (const sample of samples) {
        const [a, b] = [structuredClone(sample), structuredClone(sample)];
        const verdict = built(a);
        expect(verdict).toBe(compiled(b));
        expect(built.errors ?? null).toEqual(compiled.errors ?? null);
        expect(a).toEqual(b);
        if (verdict) passed++;
      }
    }
    // both verdicts were seen
    expect(passed).toBeGreaterThan(10);
  });

  // a schema the build leaves out is compiled at every start (~30 ms: one play's schema was)
  it('are every schema that planning the built-in playbooks asks for', async () => {
    const ROOT = join(import.meta.dirname, '../..');
    for (const book of ['cluster.yml', 'upgrade.yml', 'demo.yml'])
      await prepareRun({
        playbook: join(ROOT, 'playbooks', book),
        inventory: [join(ROOT, 'inventory/lab.yml')],
        reporters: [],
        planOnly: true,
      });
    const asked = new Set(schemasCompiledAtRunTime().map((s) => JSON.stringify(s)));
    expect(asked.size).toBeGreaterThan(5);
    const built = new Set([...ownSchemas(), ...(await roleSchemas())].map((s) => JSON.stringify(s)));
    expect([...asked].filter((s) => !built.has(s)).map((s) => s.slice(0, 120))).toEqual([]);
  });
});
