/**
 * `play --shard K/N` and `runs merge` on the lab: three slices run side by side, as three
 * controllers would, leave the hosts as one unsharded run does, and their merged recap is that
 * run's recap. A playbook whose hosts wait for each other is refused before any host is touched.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HostRecap } from '../../src/report/events.ts';
import { quorum, quorumAsync } from '../helpers/cli.ts';
import { canRunLab, ensureLab, labInventory, upperSnapshot } from '../helpers/lab.ts';

const HOSTS = ['cp1', 'cp2', 'cp3', 'w1', 'w2'];
const ROOT = join(import.meta.dirname, '../..');

const PLAY = `
- hosts: all
  vars:
    root: /srv/quorum-shard
  tasks:
    - file: { path: "{{ root }}", state: directory, mode: "0755" }
    - copy:
        dest: "{{ root }}/node.conf"
        content: "node {{ inventory_hostname }} of {{ ansible_play_hosts_all | length }}\\n"
      notify: restarted
    - command: touch {{ root }}/initialized
      args: { creates: "{{ root }}/initialized" }
    - lineinfile: { path: "{{ root }}/node.conf", line: "managed = true" }
  handlers:
    - name: restarted
      command: touch {{ root }}/restarted
`;

const RESET = `
- hosts: all
  tasks:
    - file: { path: /srv/quorum-shard, state: absent }
`;

/** Per host, what the play left under /srv/quorum-shard. */
const state = () =>
  Object.fromEntries(
    HOSTS.map((h) => [
      h,
      Object.fromEntries(Object.entries(upperSnapshot(h)).filter(([p]) => p.startsWith('/srv/quorum-shard'))),
    ]),
  );

describe.runIf(canRunLab)('sharded runs (--shard K/N, runs merge) on the lab', () => {
  let dir: string;
  const book = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    await ensureLab();
    dir = mkdtempSync(join(tmpdir(), 'quorum-shard-'));
  });

  it('three slices side by side: the hosts and the merged recap of one unsharded run', async () => {
    const play = book('play.yml', PLAY);
    const reset = () => expect(quorum(['play', book('reset.yml', RESET), '-i', labInventory()]).code).toBe(0);
    reset();
    const whole = quorum(['play', play, '-i', labInventory(), '--journal', join(dir, 'whole')]);
    expect(whole.code, whole.stdout + whole.stderr).toBe(0);
    const after = state();
    const recap = JSON.parse(quorum(['runs', '--json', '--journal', join(dir, 'whole'), '-n', '1']).stdout)
      .hosts as Record<string, HostRecap>;
    expect(Object.keys(recap).sort()).toEqual([...HOSTS].sort());
    expect(Object.values(recap).every((h) => h.changed === 5)).toBe(true);

    reset();
    const slices = await Promise.all(
      [1, 2, 3].map((k) =>
        quorumAsync([
          'play',
          play,
          '-i',
          labInventory(),
          '--shard',
          `${k}/3`,
          '--journal',
          join(dir, 'slices'),
        ]),
      ),
    );
    for (const s of slices) expect(s.code, s.stdout + s.stderr).toBe(0);
    // each host in exactly one slice
    const ran = slices.flatMap((s) => [...s.stdout.matchAll(/^(\S+)\s+ok=/gm)].map((m) => m[1]));
    expect(ran.sort()).toEqual([...HOSTS].sort());
    expect(state()).toEqual(after);

    const journals = readdirSync(join(dir, 'slices')).map((f) => join(dir, 'slices', f));
    expect(journals).toHaveLength(3);
    const merged = quorum(['runs', 'merge', ...journals, '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    const out = JSON.parse(merged.stdout) as { hosts: Record<string, HostRecap>; exitCode: number };
    expect(out.exitCode).toBe(0);
    expect(out.hosts).toEqual(recap);
    // the text form prints the recap as a run does; two slices of three are refused
    expect(quorum(['runs', 'merge', ...journals]).stdout).toMatch(/^w2\s+ok=\d+\s+changed=5/m);
    const partial = quorum(['runs', 'merge', ...journals.slice(1)]);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/slices? \d\/3 missing/);
  });

  it('a playbook whose hosts wait for each other is refused, nothing run', () => {
    const journal = join(dir, 'refused');
    const r = quorum([
      'play',
      join(ROOT, 'playbooks/cluster.yml'),
      '-i',
      labInventory(),
      '--shard',
      '1/2',
      '--journal',
      journal,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /playbooks\/cluster\.yml:\d+:\d+: .*--shard: role \S+ on \S+ waits for role \S+ on \S+/,
    );
    expect(() => readdirSync(journal)).toThrow();
  });
});
