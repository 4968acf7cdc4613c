/**
 * Whole runs over SSH against the lab (real sshd in namespaces on this machine). Needs root
 * on Linux; .ci/run runs it as root.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { labUp, stateDir } from '../../src/lab/lab.ts';
import type { RunEvent } from '../../src/report/events.ts';
import { QUORUM_BIN, quorum, quorumAsync } from '../helpers/cli.ts';
import {
  canRunLab,
  changedCount,
  ensureLab,
  labInventory,
  playJson,
  playJsonAsync,
  upperSnapshot,
} from '../helpers/lab.ts';
import { workspace } from '../helpers/run-local.ts';

const HOSTS = ['cp1', 'cp2', 'cp3', 'w1', 'w2'];

function node(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe.runIf(canRunLab)('over SSH against the lab', () => {
  let dir: string;
  beforeAll(async () => {
    // fresh hosts: a lab torn down and brought up again has empty upper layers
    quorum(['lab', 'down']);
    await ensureLab();
    dir = workspace();
  }, 120_000);

  it('a check run on fresh hosts writes nothing; apply converges; the second run changes nothing', () => {
    const play = node(
      dir,
      'prep.yml',
      `
- hosts: all
  tasks:
    - file: { path: /opt/quorum-e2e, state: directory, mode: "0750" }
    - copy: { dest: /opt/quorum-e2e/id, content: "{{ inventory_hostname }}\\n" }
    - lineinfile: { path: /etc/quorum-e2e.conf, line: "role={{ group_names[0] }}", create: true }
    - sysctl: { name: net.ipv4.ip_forward, value: 1 }
    - command: touch /opt/quorum-e2e/stamp
      args: { creates: /opt/quorum-e2e/stamp }
    - dpkg_selections: { name: openssh-server, selection: hold }
`,
    );
    const before = Object.fromEntries(HOSTS.map((h) => [h, upperSnapshot(h)]));
    const check = playJson(play, ['--check']);
    expect(check.code).toBe(0);
    expect(changedCount(check.events)).toBe(HOSTS.length * 6);
    for (const h of HOSTS) expect(upperSnapshot(h)).toEqual(before[h]);

    const apply = playJson(play);
    expect(apply.code).toBe(0);
    expect(changedCount(apply.events)).toBe(HOSTS.length * 6);
    expect(upperSnapshot('w2')['/opt/quorum-e2e/id']).toBeDefined();
    const again = playJson(play);
    expect(again.code).toBe(0);
    expect(changedCount(again.events)).toBe(0);
    expect(changedCount(playJson(play, ['--check']).events)).toBe(0);
  });

  it('--limit narrows the hosts and serial runs batches one after another', () => {
    const play = node(
      dir,
      'serial.yml',
      '- hosts: all\n  serial: 2\n  tasks:\n    - shell: "echo {{ inventory_hostname }} > /tmp/serial"\n',
    );
    const r = playJson(play);
    expect(r.code).toBe(0);
    const order = r.events
      .filter((e) => e.type === 'node_start' || e.type === 'node_end')
      .map((e) => `${e.type === 'node_start' ? '+' : '-'}${(e as { host: string }).host}`);
    const firstEndOfBatch2 = Math.min(order.indexOf('+cp3'), order.indexOf('+w1'));
    expect(order.indexOf('-cp1')).toBeLessThan(firstEndOfBatch2);
    expect(order.indexOf('-cp2')).toBeLessThan(firstEndOfBatch2);
    expect(order.indexOf('-w1')).toBeLessThan(order.indexOf('+w2'));
    const limited = playJson(play, ['--limit', 'workers:!w2']);
    expect(
      limited.events.filter((e) => e.type === 'node_start').map((e) => (e as { host: string }).host),
    ).toEqual(['w1']);
  });

  it('a failing command shows host, the quoted command, exit code and the tail of stderr', () => {
    const play = node(
      dir,
      'fail.yml',
      '- hosts: cp2\n  tasks:\n    - name: broken\n      shell: "echo first >&2; echo last words >&2; exit 7"\n',
    );
    const r = playJson(play);
    expect(r.code).toBe(2);
    const step = r.events.find(
      (e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step' && e.status === 'failed',
    );
    expect(step).toMatchObject({
      host: 'cp2',
      error: {
        exitCode: 7,
        command: 'echo first >&2; echo last words >&2; exit 7',
      },
    });
    expect(step?.error?.stderrTail).toBe('first\nlast words');
    const text = quorum(['play', play, '-i', labInventory()]);
    expect(text.stdout).toContain('FAILED cp2 broken');
    expect(text.stdout).toContain('command: echo first >&2; echo last words >&2; exit 7');
    expect(text.stdout).toContain('exit code 7');
  });

  it('a host whose sshd is stopped is unreachable; the others converge; exit code 4', async () => {
    const play = node(
      dir,
      'reach.yml',
      '- hosts: all\n  tasks:\n    - copy: { dest: /etc/quorum-reach, content: "x\\n" }\n',
    );
    // stopping w2's sshd (its PID 1 is tini running sshd) takes the whole host down
    quorum(['lab', 'ssh', 'w2', 'kill -TERM 1']);
    const r = playJson(play);
    expect(r.code).toBe(4);
    const recap = r.events.find((e) => e.type === 'recap') as Extract<RunEvent, { type: 'recap' }>;
    expect(recap.hosts.w2.unreachable).toBe(1);
    for (const h of ['cp1', 'cp2', 'cp3', 'w1'])
      expect(recap.hosts[h]).toMatchObject({ failed: 0, unreachable: 0 });
    expect(r.events.find((e) => e.type === 'unreachable')).toMatchObject({
      host: 'w2',
      message: expect.stringContaining('198.51.100.22'),
    });
    await labUp(5, () => {});
  }, 120_000);

  it('a host that dies mid-run is reported unreachable, never waited on', async () => {
    const play = node(
      dir,
      'die.yml',
      // the host dies a second after the first task returned, while the second one runs: a kill
      // inside the first task raced its own reply (CI saw either order under load)
      '- hosts: w1\n  tasks:\n    - shell: "(sleep 1; kill -TERM 1) >/dev/null 2>&1 &"\n    - command: sleep 10\n    - copy: { dest: /etc/never, content: "x\\n" }\n',
    );
    const started = Date.now();
    const r = playJson(play);
    expect(r.code).toBe(4);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(
      r.events.filter((e) => e.type === 'node_end').map((e) => (e as { status: string }).status),
    ).toEqual(['changed', 'unreachable', 'skipped']);
    expect(upperSnapshot('w1')['/etc/never']).toBeUndefined();
    await labUp(5, () => {});
  }, 120_000);

  it('a changed host key is refused with a clear message', () => {
    const badKnownHosts = join(dir, 'known_hosts');
    writeFileSync(
      badKnownHosts,
      '198.51.100.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk6k0w0cG9zdGVkLWtleS10aGF0LWlzLXdyb25nMDE=\n',
    );
    const inv = node(
      dir,
      'badkey.yml',
      `all:\n  vars:\n    ansible_user: root\n    ansible_ssh_private_key_file: ${stateDir()}/id_ed25519\n    ansible_ssh_common_args: -o UserKnownHostsFile=${badKnownHosts}\n  hosts:\n    cp1: { ansible_host: 198.51.100.11 }\n`,
    );
    const play = node(
      dir,
      'key.yml',
      '- hosts: all\n  tasks:\n    - copy: { dest: /etc/never-written, content: "x\\n" }\n',
    );
    const r = playJson(play, [], inv);
    expect(r.code).toBe(4);
    expect(r.events.find((e) => e.type === 'unreachable')).toMatchObject({
      host: 'cp1',
      message: expect.stringMatching(/host key for 198\.51\.100\.11 has CHANGED.*known_hosts .*:1/),
    });
    expect(upperSnapshot('cp1')['/etc/never-written']).toBeUndefined();
  });

  it('apt-get install works inside a lab host, through the proxy on the controller', () => {
    const play = node(
      dir,
      'apt.yml',
      '- hosts: cp1\n  tasks:\n    - apt: { name: tree, update_cache: true, cache_valid_time: 3600 }\n    - command: tree --version\n      changed_when: false\n',
    );
    const r = playJson(play);
    expect(r.code).toBe(0);
    expect(upperSnapshot('cp1')['/usr/bin/tree']).toBeDefined();
    expect(changedCount(playJson(play).events)).toBe(0);
  }, 300_000);

  it('a binary file (random bytes) arrives byte for byte on every host over SSH; then nothing to do', () => {
    mkdirSync(join(dir, 'files'), { recursive: true });
    const bytes = randomBytes(3_000_000);
    writeFileSync(join(dir, 'files', 'blob.bin'), bytes);
    const play = node(
      dir,
      'blob.yml',
      '- hosts: all\n  tasks:\n    - copy: { src: blob.bin, dest: /opt/blob.bin }\n',
    );
    expect(playJson(play).code).toBe(0);
    const want = `${createHash('sha256').update(bytes).digest('hex')}  /opt/blob.bin`;
    for (const h of HOSTS)
      expect(quorum(['lab', 'ssh', h, 'sha256sum /opt/blob.bin']).stdout.trim()).toBe(want);
    expect(changedCount(playJson(play).events)).toBe(0);
  }, 300_000);

  it('Ctrl-C mid-run on every host: the leases go with it, the notified handler stays pending there; a run at once runs it, without waiting', async () => {
    const play = node(
      dir,
      'interrupted.yml',
      `- hosts: all
  tasks:
    - copy: { dest: /opt/quorum-e2e-int, content: "{{ inventory_hostname }}\\n" }
      notify: mark
    - command: sleep 60
      tags: [slow]
  handlers:
    - name: mark
      command: touch /opt/quorum-e2e-handled
`,
    );
    // Ansible in this case (a run stopped between a notifying change and its handler): the next
    // run finds nothing to change and never runs the handler (see durable-handlers.test.ts).
    // leases and durable handlers on, as users have them (the test suites turn them off for their local runs)
    const env = { ...process.env, QUORUM_RUN_LOCK: 'on', QUORUM_DURABLE_HANDLERS: 'on' };
    const child = spawn(process.execPath, [QUORUM_BIN, 'play', play, '-i', labInventory(), '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const copied = new Set<string>();
    let buffered = '';
    const allCopied = new Promise<void>((resolve) =>
      child.stdout.on('data', (d) => {
        buffered += d;
        for (const line of buffered.split('\n').slice(0, -1)) {
          const e = JSON.parse(line) as RunEvent;
          if (e.type === 'step' && e.module === 'copy') copied.add(e.host);
        }
        buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
        if (copied.size === HOSTS.length) resolve();
      }),
    );
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await Promise.race([allCopied, new Promise((r) => setTimeout(r, 60_000))]);
    expect(copied.size).toBe(HOSTS.length);
    // every host holds this run's lease while its sleep runs
    for (const h of HOSTS)
      expect(quorum(['lab', 'ssh', h, 'cat /run/quorum.lock']).stdout).toContain(` ${child.pid} `);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    for (const h of HOSTS) {
      expect(quorum(['lab', 'ssh', h, 'cat /run/quorum.lock 2>/dev/null || true']).stdout.trim()).toBe('');
      expect(quorum(['lab', 'ssh', h, 'ls /opt/quorum-e2e-handled 2>&1 || true']).stdout).toContain(
        'No such file',
      );
      expect(quorum(['lab', 'ssh', h, 'cat /var/lib/quorum/pending-handlers']).stdout).toMatch(
        /^play interrupted\.yml \/ play 1: mark\t\S+\tcopy$/m,
      );
    }
    const rerun = () => {
      const r = spawnSync(
        process.execPath,
        [QUORUM_BIN, 'play', play, '-i', labInventory(), '--json', '--skip-tags', 'slow'],
        { env, encoding: 'utf8' },
      );
      return {
        code: r.status,
        events: r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as RunEvent),
      };
    };
    const again = rerun();
    expect(again.code).toBe(0);
    expect(again.events.filter((e) => e.type === 'warning')).toEqual([]);
    // the copy is done; on every host the handler the interrupted run notified runs now
    const handlers = again.events.filter((e) => e.type === 'handler');
    expect(handlers.map((e) => e.host).sort()).toEqual([...HOSTS].sort());
    for (const e of handlers)
      expect(e).toMatchObject({ because: [expect.stringMatching(/^pending from run \S+ \(copy\)$/)] });
    for (const h of HOSTS) expect(quorum(['lab', 'ssh', h, 'ls /opt/quorum-e2e-handled']).code).toBe(0);
    const third = rerun();
    expect(third.code).toBe(0);
    expect(changedCount(third.events)).toBe(0);
    expect(third.events.filter((e) => e.type === 'handler')).toEqual([]);
  }, 180_000);

  it('a run that failed on one host is resumed there only: fewer nodes than a re-run, and it converges', async () => {
    // all awaited: run synchronously these blocked the test worker ~29 s on a loaded machine
    const play = node(
      dir,
      'resumable.yml',
      `- hosts: all
  tasks:
    - copy: { dest: /opt/quorum-e2e-resume, content: "{{ inventory_hostname }}\\n" }
    - command: test -e /opt/quorum-e2e-ready
      when: inventory_hostname == 'w1'
      changed_when: false
    - copy: { dest: /opt/quorum-e2e-resumed, content: "done\\n" }
`,
    );
    const first = await playJsonAsync(play);
    expect(first.code).toBe(2);
    const runId = (first.events.find((e) => e.type === 'run_start') as { runId: string }).runId;
    expect((await quorumAsync(['lab', 'ssh', 'w1', 'touch /opt/quorum-e2e-ready'])).code).toBe(0);
    const resumed = await quorumAsync(['resume', runId, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('w1: failed at "command"');
    const started = (stdout: string) => stdout.split('\n').filter((l) => l.includes('"type":"node_start"'));
    expect(new Set(started(resumed.stdout).map((l) => (JSON.parse(l) as { host: string }).host))).toEqual(
      new Set(['w1']),
    );
    for (const h of HOSTS)
      expect((await quorumAsync(['lab', 'ssh', h, 'cat /opt/quorum-e2e-resumed'])).stdout).toBe('done\n');
    const rerun = await playJsonAsync(play);
    expect(rerun.code).toBe(0);
    expect(changedCount(rerun.events)).toBe(0);
    expect(started(resumed.stdout).length).toBeLessThan(
      rerun.events.filter((e) => e.type === 'node_start').length,
    );
  }, 180_000);

  it('50 hosts come up, all answer over SSH, and down leaves nothing behind', async () => {
    // each long CLI call awaited: a worker blocked past 60 s misses vitest's RPC deadline (exit 1)
    const up = await quorumAsync(['lab', 'up', '--hosts', '50']);
    expect(up.code).toBe(0);
    // async too: on CI's loaded machine this status of 50 hosts blocked the worker 27 s
    const status = (await quorumAsync(['lab', 'status'])).stdout.trim().split('\n');
    expect(status).toHaveLength(50);
    expect(status.every((l) => /running\s+ssh up$/.test(l))).toBe(true);
    const play = node(
      dir,
      'fifty.yml',
      '- hosts: all\n  tasks:\n    - copy: { dest: /etc/fifty, content: "{{ inventory_hostname }}\\n" }\n',
    );
    const r = await playJsonAsync(play);
    expect(r.code).toBe(0);
    expect(changedCount(r.events)).toBe(50);

    const down = await quorumAsync(['lab', 'down']);
    expect(down.code).toBe(0);
    const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    expect(netns).not.toMatch(/qlab-/);
    const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout;
    expect(links).not.toMatch(/qv-|qlab0/);
    const procs = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
    expect(procs).not.toContain(`${stateDir()}/hosts/`);
    expect(procs).not.toContain(`${stateDir()}/apt-conf`);
    const mounts = spawnSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' }).stdout;
    expect(mounts).not.toContain(stateDir());
    // the 5-host lab back for the suites after, in a child process (labUp blocks this one ~30 s)
    expect((await quorumAsync(['lab', 'up'])).code).toBe(0);
  }, 300_000);
});
