/**
 * Ansible's system facts from the sections of ansible-script.ts, each computed as ansible-core
 * 2.19's collector computes it (module_utils/facts/system/*.py, hardware/linux.py): the same
 * sources, the same arithmetic (memory in whole MiB rounded down), the same fallbacks. A fact
 * whose source cannot be read the way Python reads it is left out, so that using it is an error.
 */
import {
  cmdlineFacts,
  cpuFacts,
  dmiFacts,
  isChroot,
  lines,
  securityFacts,
  serviceManager,
  sshKeyFacts,
  storageNetFacts,
  uptime,
} from './ansible-host.ts';
import type { Facts } from './gather.ts';

export type Sections = Map<string, string>;

/** `@@name` sections of the script's output. */
export function splitSections(text: string): Sections {
  const out = new Map<string, string>();
  const parts = text.split(/^@@(\w+)\n/m);
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i], parts[i + 1] ?? '');
  return out;
}

export function systemFacts(s: Sections, core: Facts): Record<string, unknown> {
  return {
    ...userFacts(s),
    env: envFacts(s.get('env') ?? ''),
    ...platformFacts(s, core),
    ...distributionFacts(s, core),
    date_time: dateTime(s.get('date') ?? ''),
    dns: dnsFacts(s.get('resolv') ?? ''),
    ...memoryFacts(s.get('meminfo') ?? ''),
    ...cpuFacts(s.get('cpuinfo') ?? '', core),
    ...securityFacts(s),
    ...cmdlineFacts(s.get('cmdline') ?? ''),
    ...sshKeyFacts(s.get('sshkeys') ?? ''),
    service_mgr: serviceManager(s.get('init') ?? ''),
    is_chroot: isChroot(s.get('chroot') ?? ''),
    fips: (s.get('fips') ?? '').trim() === '1',
    ...uptime(s.get('uptime') ?? ''),
    ...dmiFacts(s.get('dmi') ?? ''),
    ...storageNetFacts(s),
  };
}

function envFacts(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of text.replace(/\n$/, '').split('\0')) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

function userFacts(s: Sections): Record<string, unknown> {
  const ids = Object.fromEntries(
    lines(s.get('ids')).map((l) => {
      const [k, real, effective] = l.split(/\s+/);
      return [k.replace(':', ''), { real: Number(real), effective: Number(effective) }];
    }),
  ) as Record<'Uid' | 'Gid', { real: number; effective: number }>;
  const [name, entry] = (s.get('passwd') ?? '').split('\n');
  const pw = (entry ?? '').split(':');
  return {
    user_id: name || pw[0],
    user_uid: Number(pw[2]),
    user_gid: Number(pw[3]),
    user_gecos: pw[4],
    user_dir: pw[5],
    user_shell: pw[6],
    real_user_id: ids.Uid.real,
    effective_user_id: ids.Uid.effective,
    real_group_id: ids.Gid.real,
    // the collector reports the real group as the effective one (os.getgid() twice)
    effective_group_id: ids.Gid.real,
  };
}

function platformFacts(s: Sections, core: Facts): Record<string, unknown> {
  const [kernelVersion, bits] = (s.get('uname') ?? '').split('\n');
  const fqdn = fqdnFromHosts(s.get('hosts') ?? '', core.hostname);
  const machineId = [s.get('machine_id'), s.get('etc_machine_id')].find((t) => t?.trim());
  const userspace =
    core.arch === 'x86_64' ? { userspace_architecture: bits === '64' ? 'x86_64' : 'i386' } : {};
  return {
    kernel_version: kernelVersion,
    machine: core.arch,
    fqdn,
    domain: fqdn.split('.').slice(1).join('.'),
    userspace_bits: bits,
    ...userspace,
    ...(machineId ? { machine_id: machineId.split('\n')[0] } : {}),
  };
}

/**
 * socket.getfqdn() as NSS's files source answers it: the host name's address in /etc/hosts,
 * then that address's first line (its canonical name and aliases); the first name with a dot,
 * else the canonical one. quorum asks no DNS server: a name only DNS knows stays the host name.
 */
export function fqdnFromHosts(hosts: string, hostname: string): string {
  const entries = hosts
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim().split(/\s+/))
    .filter((w) => w.length >= 2);
  const byName = entries.find((w) => w.slice(1).includes(hostname));
  if (!byName) return hostname;
  const [, canonical, ...aliases] = entries.find((w) => w[0] === byName[0]) ?? byName;
  return [canonical, ...aliases].find((n) => n.includes('.')) ?? canonical;
}

function distributionFacts(s: Sections, core: Facts): Record<string, unknown> {
  const out: Record<string, unknown> = { lsb: lsbFacts(s) };
  // the collector's first distribution file that parses: /etc/os-release, read as Debian's
  if (core.os_family === 'debian')
    Object.assign(out, {
      distribution_file_parsed: true,
      distribution_file_path: '/etc/os-release',
      distribution_file_variety: 'Debian',
    });
  if (core.os_id !== 'debian') return out;
  // distro.version(best=True): /etc/debian_version when it is the more precise number
  const precise = (s.get('debian_version') ?? '').trim();
  const version = /^\d+(\.\d+)+$/.test(precise) ? precise : core.os_version;
  const minor = /(\d+)\.(\d+)/.exec(precise)?.[2];
  return {
    ...out,
    distribution_version: version,
    distribution_major_version: version.split('.')[0],
    ...(minor ? { distribution_minor_version: minor } : {}),
  };
}

function lsbFacts(s: Sections): Record<string, string> {
  const lsb: Record<string, string> = {};
  const fromBin: Array<[string, string]> = [
    ['LSB Version:', 'release'],
    ['Distributor ID:', 'id'],
    ['Description:', 'description'],
    ['Release:', 'release'],
    ['Codename:', 'codename'],
  ];
  for (const line of lines(s.get('lsb'))) {
    if (!line.includes(':')) continue;
    const hit = fromBin.find(([label]) => line.includes(label));
    if (hit) lsb[hit[1]] = line.slice(line.indexOf(':') + 1).trim();
  }
  if (Object.keys(lsb).length === 0) {
    const fromFile: Array<[string, string]> = [
      ['DISTRIB_ID', 'id'],
      ['DISTRIB_RELEASE', 'release'],
      ['DISTRIB_DESCRIPTION', 'description'],
      ['DISTRIB_CODENAME', 'codename'],
    ];
    for (const line of lines(s.get('lsb_release_file'))) {
      const hit = fromFile.find(([key]) => line.includes(key));
      if (hit) lsb[hit[1]] = line.slice(line.indexOf('=') + 1).trim();
    }
  }
  if (lsb.release !== undefined) lsb.major_release = lsb.release.split('.')[0];
  for (const [k, v] of Object.entries(lsb)) if (v) lsb[k] = v.replace(/^['"\\]+|['"\\]+$/g, '');
  return lsb;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** date_time: the host's local time from its `date`, the UTC forms from the same instant. */
function dateTime(line: string): Record<string, string> {
  const [
    epoch,
    nanos,
    year,
    month,
    weekday,
    weekdayNumber,
    weeknumber,
    day,
    hour,
    minute,
    second,
    tz,
    offset,
  ] = line.trim().split('|');
  const micros = (nanos ?? '').slice(0, 6).padEnd(6, '0');
  const utc = new Date(Number(epoch) * 1000);
  const utcDate = `${utc.getUTCFullYear()}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}`;
  const utcTime = `${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}`;
  return {
    year,
    month,
    weekday,
    weekday_number: weekdayNumber,
    weeknumber,
    day,
    hour,
    minute,
    second,
    epoch,
    epoch_int: epoch,
    date: `${year}-${month}-${day}`,
    time: `${hour}:${minute}:${second}`,
    iso8601_micro: `${utcDate}T${utcTime}.${micros}Z`,
    iso8601: `${utcDate}T${utcTime}Z`,
    iso8601_basic: `${year}${month}${day}T${hour}${minute}${second}${micros}`,
    iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`,
    tz,
    tz_offset: offset,
  };
}

function dnsFacts(text: string): Record<string, unknown> {
  const dns: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith(';') || line.trim() === '') continue;
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'nameserver') dns.nameservers = [...((dns.nameservers as string[]) ?? []), ...rest];
    else if (key === 'domain' && rest.length > 0) dns.domain = rest[0];
    else if (key === 'search') dns.search = rest;
    else if (key === 'sortlist') dns.sortlist = rest;
    else if (key === 'options')
      dns.options = Object.fromEntries(
        rest.map((o) => {
          const at = o.indexOf(':');
          return at < 0 ? [o, true] : [o.slice(0, at), o.slice(at + 1) || true];
        }),
      );
  }
  return dns;
}

function memoryFacts(text: string): Record<string, unknown> {
  const mb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) mb.set(line.slice(0, at), Math.floor(Number.parseInt(line.slice(at + 1).trim(), 10) / 1024));
  }
  const get = (k: string) => mb.get(k);
  const minus = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : a - b);
  const [total, free, cached, buffers] = ['MemTotal', 'MemFree', 'Cached', 'Buffers'].map(get);
  const nocacheFree =
    cached === undefined || free === undefined || buffers === undefined ? undefined : cached + free + buffers;
  return {
    memtotal_mb: total,
    memfree_mb: free,
    swaptotal_mb: get('SwapTotal'),
    swapfree_mb: get('SwapFree'),
    memory_mb: {
      real: { total, used: minus(total, free), free },
      nocache: { free: nocacheFree, used: minus(total, nocacheFree) },
      swap: {
        total: get('SwapTotal'),
        free: get('SwapFree'),
        used: minus(get('SwapTotal'), get('SwapFree')),
        cached: get('SwapCached'),
      },
    },
  };
}
