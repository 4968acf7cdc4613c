/**
 * quorum's own facts (src/facts/gather.ts) read with shell built-ins and file reads, held on this
 * machine to the programs they once came from, one command each (uname, hostname, nproc, ip,
 * awk over /proc/meminfo, stat -f); and the processes the script starts, counted by strace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuCount, FACTS_SCRIPT, parseFacts } from '../../src/facts/gather.ts';

const sh = (script: string) => execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim();

describe('core facts', () => {
  it('are what uname, hostname, nproc, ip, /proc/meminfo and stat -f say on this machine', () => {
    const facts = parseFacts(execFileSync('sh', ['-c', FACTS_SCRIPT], { encoding: 'utf8' }));
    const route = sh('ip -4 route show default | head -n1');
    const dev = /\bdev (\S+)/.exec(route)?.[1] ?? '';
    const addresses: Record<string, string[]> = {};
    for (const line of sh('ip -o -4 addr show').split('\n')) {
      const [, name, , addr] = line.split(/\s+/);
      (addresses[name] ??= []).push(addr);
    }
    expect(facts).toMatchObject({
      arch: sh('uname -m'),
      kernel: sh('uname -r'),
      hostname: sh('hostname'),
      cpus: Number(sh('nproc')),
      interfaces: addresses,
      default_interface: dev,
      default_ipv4: (addresses[dev]?.[0] ?? '').split('/')[0],
      memory_mb: Math.round(Number(sh("awk '/^MemTotal:/ {print $2}' /proc/meminfo")) / 1024),
      swap_mb: Math.round(Number(sh("awk '/^SwapTotal:/ {print $2}' /proc/meminfo")) / 1024),
      cgroup_version: sh('stat -fc %T /sys/fs/cgroup') === 'cgroup2fs' ? 2 : 1,
      swap_active: Number(sh('tail -n +2 /proc/swaps | wc -l')) > 0,
      os_id: sh('. /etc/os-release; echo $ID'),
      os_codename: sh('. /etc/os-release; echo $VERSION_CODENAME'),
    });
  });

  it('starts two programs on the host: uname and ip', () => {
    const strace = spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve', 'sh', '-c', FACTS_SCRIPT], {
      encoding: 'utf8',
    });
    expect(strace.status, strace.stderr).toBe(0);
    const programs = [...strace.stderr.matchAll(/execve\("([^"]+)"/g)].map((m) => m[1]);
    // the first is sh itself
    expect(programs.slice(1).map((p) => p.split('/').pop())).toEqual(['uname', 'ip']);
  });

  it('counts the processors of an affinity list as nproc does', () => {
    expect(cpuCount('0-1')).toBe(2);
    expect(cpuCount('0,2-5,8')).toBe(6);
    expect(cpuCount('7')).toBe(1);
    // unreadable: one, as the old `nproc || echo 1`
    expect(cpuCount('')).toBe(1);
  });

  it('reads addresses and the first default route from ip -batch, not the rest', () => {
    const f = parseFacts(
      [
        'hostname=n1',
        '@@ip',
        '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
        '2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever',
        '2: eth0    inet 10.0.0.6/24 scope global secondary eth0\\       valid_lft forever',
        '3: eth1    inet 192.168.1.2/24 scope global eth1',
        'default via 192.168.1.1 dev eth1 metric 100',
        'default via 10.0.0.1 dev eth0 metric 200',
      ].join('\n'),
    );
    expect(f.interfaces).toEqual({
      lo: ['127.0.0.1/8'],
      eth0: ['10.0.0.5/24', '10.0.0.6/24'],
      eth1: ['192.168.1.2/24'],
    });
    expect([f.default_interface, f.default_ipv4, f.hostname]).toEqual(['eth1', '192.168.1.2', 'n1']);
  });
});
