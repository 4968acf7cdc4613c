// ci: changes this machine (its own state, which the lab hosts' root overlays show): never beside the lab
/**
 * apt's `deb` held to ansible-core 2.19's apt module on this machine's dpkg: .deb files built
 * here (a package name of its own per side), installed from a path and from a URL on loopback;
 * each task must change, stay ok or fail as Ansible's does, the same versions must be left
 * installed, and a check run must plan without touching dpkg. The packages are purged after.
 * apt's upgrade and clean follow in this file (apt-upgrade-suite.ts): one dpkg at a time.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses } from '../helpers/side-by-side.ts';
import { aptUpgradeSuite } from './apt-upgrade-suite.ts';

const pkgOf = (side: string) => `quorum-deb-${createHash('sha1').update(side).digest('hex').slice(0, 10)}`;
const made: string[] = [];

/** A .deb of `name` at `version` with these control fields, in `dir`; its path. */
function buildDeb(dir: string, name: string, version: string, fields: Record<string, string> = {}): string {
  const root = join(dir, `${name}_${version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share', name), { recursive: true });
  writeFileSync(join(root, 'usr/share', name, 'version'), `${version}\n`);
  const control = {
    Package: name,
    Version: version,
    Architecture: 'all',
    Maintainer: 'quorum <t@t>',
    ...fields,
  };
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `${Object.entries(control)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')}\nDescription: a package of quorum's tests\n`,
  );
  execFileSync('dpkg-deb', ['--root-owner-group', '-b', root, `${root}.deb`], { stdio: 'ignore' });
  made.push(name);
  return `${root}.deb`;
}

const installed = (name: string) => {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return 'none';
  }
};

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const file = decodeURIComponent(req.url ?? '/');
    const s = createReadStream(file);
    s.on('error', () => res.writeHead(404).end('not found'));
    s.pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  for (const name of made) execFileSync('dpkg', ['--purge', name], { stdio: 'ignore' });
});

const TASKS = [
  'a version not installed',
  'the same version again',
  'a newer version',
  'the older version',
  'the older version with allow_downgrade',
  'the same version from a URL',
  'a newer version from a URL',
  'a dependency nothing provides',
  'a deb that is no file',
  'state absent',
];

function sideDebs(dir: string, side: string) {
  const name = pkgOf(`${dir}/${side}`);
  const deps = {
    Depends: 'coreutils (>= 8), quorum-no-such-package | dpkg (>= 1.0~)',
    'Pre-Depends': 'dpkg',
  };
  return {
    name,
    v1: buildDeb(dir, name, '1.0-1', deps),
    v2: buildDeb(dir, name, '1.0-2', deps),
    v3: buildDeb(dir, name, '2:0.1', deps),
    bad: buildDeb(dir, `${name}-bad`, '1', { Depends: 'quorum-no-such-package (>= 1) | dpkg (>> 99)' }),
  };
}

const play = (d: ReturnType<typeof sideDebs>, dir: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - { name: "${TASKS[0]}", apt: { deb: "${d.v2}" } }
    - { name: "${TASKS[1]}", apt: { deb: "${d.v2}" } }
    - { name: "${TASKS[2]}", apt: { deb: "${d.v3}" } }
    - { name: "${TASKS[3]}", apt: { deb: "${d.v1}" }, ignore_errors: true }
    - { name: "${TASKS[4]}", apt: { deb: "${d.v1}", allow_downgrade: true } }
    - { name: "${TASKS[5]}", apt: { deb: "${base}${d.v1}" } }
    - { name: "${TASKS[6]}", apt: { deb: "${base}${d.v2}" } }
    - { name: "${TASKS[7]}", apt: { deb: "${d.bad}" }, ignore_errors: true }
    - { name: "${TASKS[8]}", apt: { deb: "${dir}/missing.deb" }, ignore_errors: true }
    - { name: "${TASKS[9]}", apt: { deb: "${d.v2}", state: absent }, ignore_errors: true }
`;

describe('apt deb, as ansible-core 2.19', () => {
  it('changes, stays ok or fails as Ansible does, task by task, and leaves the same version', async () => {
    const dir = workspace();
    const [q, a] = [sideDebs(dir, 'q'), sideDebs(dir, 'a')];
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': play(q, dir),
      'ansible.yml': play(a, dir),
    });
    // one after the other: dpkg takes its lock without waiting
    const run = await runLocal(dir);
    const oracle = await ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml'], dir);
    expect(run.code).toBe(0);
    expect(oracle.code, oracle.stdout).toBe(0);
    const quorum = Object.fromEntries(steps(run).map((s, i) => [TASKS[i], s.status]));
    expect(quorum).toEqual(ansibleStatuses(oracle.stdout));
    expect(quorum).toMatchObject({
      [TASKS[0]]: 'changed',
      [TASKS[1]]: 'ok',
      [TASKS[3]]: 'failed',
      [TASKS[5]]: 'ok',
      [TASKS[6]]: 'changed',
      [TASKS[7]]: 'failed',
    });
    expect(steps(run)[3].error?.message ?? '').toContain('A later version is already installed');
    expect(steps(run)[7].error?.message ?? '').toContain('Dependency is not satisfiable');
    expect([installed(q.name), installed(a.name)]).toEqual(['1.0-2', '1.0-2']);
    expect(installed(`${q.name}-bad`)).toBe('none');
    // ansible-playbook's side alone takes ~33 s here (its apt module loads apt's cache per task),
    // 99 s in a loaded CI pass
  }, 300_000);

  it('a check run plans the newer version and an apt dependency, and dpkg is left as it was', async () => {
    const dir = workspace();
    const d = sideDebs(dir, 'check');
    // hello: in Debian's index (the lists the set-up refreshed), not installed on this machine
    expect(installed('hello')).toBe('none');
    const withDep = buildDeb(dir, `${d.name}-dep`, '1', { Depends: 'hello' });
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - { name: installed, apt: { deb: "${d.v1}" } }
    - { name: newer, apt: { deb: "${d.v2}" } }
    - { name: needs hello, apt: { deb: "${withDep}" } }
`,
    });
    const first = await runLocal(dir, { check: true });
    expect(steps(first).map((s) => s.status)).toEqual(['would_change', 'would_change', 'would_change']);
    expect(steps(first)[2].changes[0]?.summary).toContain('and hello with apt-get');
    expect(installed(d.name)).toBe('none');
    writeFiles(dir, {
      'one.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - apt: { deb: "${d.v1}" }\n`,
    });
    expect((await runLocal(dir, { playbook: 'one.yml' })).code).toBe(0);
    const again = await runLocal(dir, { check: true });
    expect(steps(again).map((s) => s.status)).toEqual(['ok', 'would_change', 'would_change']);
    expect([installed(d.name), installed('hello')]).toEqual(['1.0-1', 'none']);
  });
});

// apt upgrade and clean on the same dpkg, after the tests above (one dpkg at a time)
aptUpgradeSuite();
