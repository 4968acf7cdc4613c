/**
 * The facts content written for Ansible reads, held to ansible-core 2.19's setup on this
 * machine side by side (local connection): every fact quorum gives has Ansible's value, save
 * what differs by nature between two processes a moment apart (the clock, free memory, the
 * environment of each process) and the order of `interfaces` (Ansible's varies from run to
 * run). Local facts (fact_path) of each kind, setup's filter, gather_facts and set_stats as
 * registered results.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockDevices, type Facts, sameFacts, whileUnchanged } from '../helpers/same-facts.ts';
import { resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

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

/** What the lab and other tests change on this machine: links, addresses, mounts, loop devices. */
function networkAndMounts(): string {
  const addresses = spawnSync('ip', ['-o', 'addr', 'show'], { encoding: 'utf8' }).stdout;
  return [
    readdirSync('/sys/class/net').sort().join(),
    addresses,
    readFileSync('/proc/mounts', 'utf8'),
    blockDevices(),
  ].join('\n');
}

describe('facts under Ansible names, as ansible-core 2.19 gathers them', () => {
  it('gives every fact it has with the value setup gives on the same host', async () => {
    // the lab's tests may add or remove links, addresses and mounts on this machine meanwhile:
    // the two gatherings compare only when the machine stayed the same around them (3 tries)
    const sides = await whileUnchanged(networkAndMounts, () => sideBySide(dumpPlay));
    // both gathered when the play starts (Ansible shows that as a task of its own)
    expect([sides.run.code, sides.oracle.code], sides.oracle.stdout).toEqual([0, 0]);
    const read = (d: string) => JSON.parse(readFileSync(join(d, 'facts.json'), 'utf8')) as Facts;
    const [mine, theirs] = [read(sides.out.quorum), read(sides.out.ansible)];
    sameFacts(mine, theirs);
    expect((mine.mounts as Facts[]).map((m) => m.mount)).toContain('/');
    // each process's own environment (the oracle's has a HOME of its own): this one's
    expect((mine.env as Facts).HOME).toBe(process.env.HOME);
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
