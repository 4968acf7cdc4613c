/**
 * The facts content written for Ansible reads, held to ansible-core 2.19's setup on this
 * machine side by side (local connection): every fact quorum gives has Ansible's value, save
 * what differs by nature between two processes a moment apart (the clock, free memory, the
 * environment of each process) and the order of `interfaces` (Ansible's varies from run to
 * run). Local facts (fact_path) of each kind, setup's filter, gather_facts and set_stats as
 * registered results.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

type Facts = Record<string, unknown>;

const dumpPlay = (d: string) => `
- hosts: all
  tasks:
    - name: facts
      copy: { dest: ${d}/facts.json, content: "{{ ansible_facts | to_json }}" }
    - name: the same facts as variables
      copy:
        dest: ${d}/vars.json
        content: "{{ [ansible_distribution_version, ansible_user_dir, ansible_default_ipv4.address, ansible_lo.ipv4.network, ansible_date_time.date, ansible_env is mapping] | to_json }}"
`;

/** What two processes a moment apart cannot share: compared by shape or closeness instead. */
const BY_NATURE = [
  'date_time',
  'env',
  'memfree_mb',
  'memory_mb',
  'uptime_seconds',
  'interfaces',
  'mounts',
  'virtualization_tech_guest',
  'virtualization_tech_host',
];

describe('facts under Ansible names, as ansible-core 2.19 gathers them', () => {
  it('gives every fact it has with the value setup gives on the same host', async () => {
    const sides = await sideBySide(dumpPlay);
    // both gathered when the play starts (Ansible shows that as a task of its own)
    expect([sides.run.code, sides.oracle.code], sides.oracle.stdout).toEqual([0, 0]);
    const read = (d: string) => JSON.parse(readFileSync(join(d, 'facts.json'), 'utf8')) as Facts;
    const [mine, theirs] = [read(sides.out.quorum), read(sides.out.ansible)];
    // the facts real roles name, each present
    for (const name of [
      'distribution_version',
      'distribution_minor_version',
      'user_id',
      'user_dir',
      'fqdn',
      'machine_id',
      'processor_cores',
      'dns',
      'selinux',
      'service_mgr',
      'default_ipv4',
      'all_ipv4_addresses',
      'lo',
      'cmdline',
      'lsb',
      'system_vendor',
      'mounts',
      'virtualization_type',
    ])
      expect(mine, name).toHaveProperty(name);
    for (const [name, value] of Object.entries(mine))
      if (!BY_NATURE.includes(name)) expect({ [name]: value }).toEqual({ [name]: theirs[name] });
    expect([...(mine.interfaces as string[])].sort()).toEqual([...(theirs.interfaces as string[])].sort());
    const [dtMine, dtTheirs] = [mine.date_time as Facts, theirs.date_time as Facts];
    expect(Object.keys(dtMine).sort()).toEqual(
      Object.keys(dtTheirs)
        .filter((k) => k !== 'tz_dst')
        .sort(),
    );
    for (const k of ['date', 'tz', 'tz_offset', 'year']) expect(dtMine[k]).toBe(dtTheirs[k]);
    expect(Math.abs(Number(dtMine.epoch) - Number(dtTheirs.epoch))).toBeLessThan(120);
    expect(Object.keys(mine.memory_mb as Facts)).toEqual(Object.keys(theirs.memory_mb as Facts));
    // each process's own environment (the oracle's has a HOME of its own): this one's, and mostly alike
    const [envMine, envTheirs] = [mine.env as Facts, theirs.env as Facts];
    expect(envMine.HOME).toBe(process.env.HOME);
    expect(Object.keys(envMine).filter((k) => envMine[k] === envTheirs[k]).length).toBeGreaterThan(5);
    // mounts in Ansible's order of finishing threads; free blocks change by the moment
    const byMount = (m: unknown) =>
      Object.fromEntries(
        (m as Facts[]).map(
          ({ block_available, block_used, size_available, inode_available, inode_used, ...rest }) => [
            rest.mount,
            rest,
          ],
        ),
      );
    expect(byMount(mine.mounts)).toEqual(byMount(theirs.mounts));
    expect(byMount(mine.mounts)['/']).toBeDefined();
    // sets in Ansible: compared as sets
    for (const k of ['virtualization_tech_guest', 'virtualization_tech_host'])
      expect([...(mine[k] as string[])].sort()).toEqual([...(theirs[k] as string[])].sort());
    const vars = (d: string) => JSON.parse(readFileSync(join(d, 'vars.json'), 'utf8'));
    expect(vars(sides.out.quorum)).toEqual(vars(sides.out.ansible));
  });

  it('reads local facts of every kind, filters and reports statistics as setup does', async () => {
    const tasks = [
      '    - { name: local facts, setup: { fact_path: "FACTS", filter: ansible_local }, register: r0 }',
      '    - { name: filtered, setup: { filter: ["ansible_distribution*", "machine", "ansible_lo"] }, register: r1 }',
      '    - { name: gather_facts, ansible.builtin.gather_facts: { parallel: true, filter: "ansible_user_*" }, register: r2 }',
      '    - { name: stats, set_stats: { data: { deployed: "{{ 1 + 1 }}", who: [a] }, per_host: true }, register: r3 }',
      '    - { name: a bad stat, set_stats: { data: { "not valid": 1 } }, register: r4, ignore_errors: true }',
      '    - { name: not a dict, set_stats: { data: [1] }, register: r5, ignore_errors: true }',
    ];
    const play = (d: string) => {
      const facts = join(d, 'facts.d');
      mkdirSync(facts, { recursive: true });
      writeFileSync(join(facts, 'app.fact'), '{"version": "1.2", "ports": [80, 443]}\n');
      writeFileSync(
        join(facts, 'site.fact'),
        '[DEFAULT]\nregion = eu\n[general]\nName = web\nurl = http://%(name)s.%(region)s\nnote: two\n  lines\n# c\n[empty]\n',
      );
      writeFileSync(join(facts, 'broken.fact'), 'neither json = nor ini\n');
      writeFileSync(join(facts, 'run.fact'), '#!/bin/sh\necho \'{"from": "a script"}\'\n');
      writeFileSync(join(facts, 'fails.fact'), '#!/bin/sh\necho oops >&2\nexit 3\n');
      for (const f of ['run.fact', 'fails.fact']) chmodSync(join(facts, f), 0o755);
      writeFileSync(join(facts, 'ignored.txt'), '{}');
      return `
- hosts: all
  gather_facts: false
  tasks:
${tasks.join('\n').replace('FACTS', facts)}
${resultsTask(`${d}/results.json`, tasks.length, ['invocation'])}
`;
    };
    const sides = await sideBySide(play);
    expect(sameStatuses(sides)).toMatchObject({
      'local facts': 'ok',
      'a bad stat': 'failed',
      'not a dict': 'failed',
    });
    const results = sameResults(sides.out);
    const local = (results[0].ansible_facts as Facts).ansible_local as Facts;
    expect(local.site).toEqual({
      general: { name: 'web', url: 'http://web.eu', note: 'two\nlines', region: 'eu' },
      empty: { region: 'eu' },
    });
    expect(local.run).toEqual({ from: 'a script' });
    expect(String(local.fails)).toMatch(/^Failure executing fact script \(.*fails\.fact\), rc: 3, err: oops/);
    expect(Object.keys(results[1].ansible_facts as Facts)).toContain('ansible_machine');
    expect((results[3].ansible_stats as Facts).data).toEqual({ deployed: 2, who: ['a'] });
  });
});
