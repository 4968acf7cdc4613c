/**
 * quorum's facts held to ansible-core 2.19's on the same host: every fact quorum gives has
 * Ansible's value, save what differs by nature between two processes a moment apart (the clock,
 * free memory and blocks, each process's environment) and the order of what Ansible keeps in
 * sets or fills from threads (interfaces, mounts, virtualization technologies).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';

export type Facts = Record<string, unknown>;

const BY_NATURE = [
  'date_time',
  'env',
  'memfree_mb',
  'memory_mb',
  'uptime_seconds',
  'loadavg',
  'interfaces',
  'mounts',
  'virtualization_tech_guest',
  'virtualization_tech_host',
];

/** The facts real roles name: each must be there. */
const NAMED = [
  'distribution_version',
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
  'devices',
  'device_links',
  'system_capabilities',
];

/** The block devices and their sizes: loop devices other tests attach change the devices facts. */
export function blockDevices(): string {
  return readdirSync('/sys/block')
    .sort()
    .map((b) => `${b} ${readFileSync(`/sys/block/${b}/size`, 'utf8').trim()}`)
    .join(',');
}

/**
 * run() again (3 tries at most) until the machine's `state()` is the same before and after it:
 * tests beside this one change links, addresses, mounts and loop devices, which two gatherings a
 * moment apart would then see differently.
 */
export async function whileUnchanged<T>(state: () => string, run: () => Promise<T>): Promise<T> {
  let result: T | undefined;
  for (let tries = 0; tries < 3; tries++) {
    const before = state();
    result = await run();
    if (state() === before) break;
  }
  return result as T;
}

const sorted = (v: unknown) => [...(v as string[])].sort();

export function sameFacts(mine: Facts, theirs: Facts) {
  for (const name of NAMED) expect(mine, name).toHaveProperty(name);
  for (const [name, value] of Object.entries(mine))
    if (!BY_NATURE.includes(name)) expect({ [name]: value }).toEqual({ [name]: theirs[name] });
  for (const k of ['interfaces', 'virtualization_tech_guest', 'virtualization_tech_host'])
    expect(sorted(mine[k])).toEqual(sorted(theirs[k]));
  const load = (f: Facts) => Object.keys(f.loadavg as Facts);
  expect(load(mine)).toEqual(load(theirs));
  const [dtMine, dtTheirs] = [mine.date_time as Facts, theirs.date_time as Facts];
  // tz_dst is glibc's last DST name: not gathered
  expect(Object.keys(dtMine).sort()).toEqual(
    Object.keys(dtTheirs)
      .filter((k) => k !== 'tz_dst')
      .sort(),
  );
  for (const k of ['date', 'tz', 'tz_offset', 'year']) expect(dtMine[k]).toBe(dtTheirs[k]);
  expect(Math.abs(Number(dtMine.epoch) - Number(dtTheirs.epoch))).toBeLessThan(120);
  expect(Object.keys(mine.memory_mb as Facts)).toEqual(Object.keys(theirs.memory_mb as Facts));
  const [envMine, envTheirs] = [mine.env as Facts, theirs.env as Facts];
  expect(Object.keys(envMine).filter((k) => envMine[k] === envTheirs[k]).length).toBeGreaterThan(3);
  // free blocks change by the moment
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
}
