/**
 * A collection's role installed beside ansible-core's Python package (`pip install ansible`,
 * Debian's `ansible`: site-packages/ansible_collections) is found after collections_path, as
 * ansible-core's collection loader finds it while COLLECTIONS_SCAN_SYS_PATH is on (its default;
 * checked by hand with 2.19's `--syntax-check`: found, and "the role was not found" with it off).
 * quorum found such a collection's modules there, but not its roles.
 */
import { expect, it } from 'vitest';
import { ansibleCurrentSitePackages } from '../helpers/ansible-oracle.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

it('finds a role of the collections beside ansible-core, unless COLLECTIONS_SCAN_SYS_PATH is off', () => {
  const dir = workspace();
  writeFiles(dir, {
    // collections_path names a folder without it: the role is only beside ansible-core
    'ansible.cfg': '[defaults]\ncollections_path = ./no-collections\n',
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': '- hosts: all\n  roles:\n    - community.mongodb.mongodb_install\n',
  });
  const env = { PYTHONPATH: ansibleCurrentSitePackages() };
  const listed = quorum(['play', 'play.yml', '-i', 'hosts.ini', '--list-tasks'], { cwd: dir, env });
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.stdout).toContain('community.mongodb.mongodb_install : Determine openssl version (command)');
  const off = quorum(['validate', 'play.yml', '-i', 'hosts.ini'], {
    cwd: dir,
    env: { ...env, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: 'false' },
  });
  expect(off.code).not.toBe(0);
  expect(off.stderr).toMatch(/play\.yml:3:7: unknown role "community\.mongodb\.mongodb_install"/);
}, 60_000);
