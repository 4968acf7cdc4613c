/**
 * More of Ansible's facts from ansible-script.ts's sections, as ansible-core 2.19 computes
 * them: processors (hardware/linux.py), SELinux/AppArmor (system/selinux.py, apparmor.py),
 * the kernel command line (system/cmdline.py), SSH host keys (system/ssh_pub_keys.py), the
 * service manager (system/service_mgr.py), chroot (module_utils/facts/utils is_chroot), uptime.
 */
import type { Facts } from './gather.ts';

/** A section's non-blank lines. */
export const lines = (s: string | undefined) => (s ?? '').split('\n').filter((l) => l.trim() !== '');

/** Python's round(): halves to the even neighbour. */
function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function cpuFacts(text: string, core: Facts): Record<string, unknown> {
  let xen = false;
  let xenParavirt = false;
  const processor: string[] = [];
  let flags: string[] | undefined;
  let i = 0;
  const seen = { vendor: 0, model: 0, processor: 0 };
  let physid = '0';
  let coreid = '0';
  const sockets = new Map<string, number>();
  const cores = new Map<string, number>();
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    const key = (at < 0 ? line : line.slice(0, at)).trim();
    const val = at < 0 ? '' : line.slice(at + 1).trim();
    if (key === 'xen' || (key === 'hypervisor' && val === 'xen')) xen = true;
    if (xen && key === 'flags' && !val.split(/\s+/).includes('vme')) xenParavirt = true;
    if (key === 'flags') flags = val.split(/\s+/).filter(Boolean);
    if (['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'].includes(key)) {
      processor.push(val);
      if (key === 'vendor_id') seen.vendor++;
      if (key === 'model name') seen.model++;
      if (key === 'processor') seen.processor++;
      i++;
    } else if (key === 'physical id') {
      physid = val;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key === 'core id') {
      coreid = val;
      // the collector tests `sockets` here, not `cores` (kept: its counts follow from it)
      if (!sockets.has(coreid)) cores.set(coreid, 1);
    } else if (key === 'cpu cores') sockets.set(physid, Number.parseInt(val, 10));
    else if (key === 'siblings') cores.set(coreid, Number.parseInt(val, 10));
    else if (key === 'ncpus active') i = Number.parseInt(val, 10);
  }
  if (seen.vendor > 0 && seen.vendor === seen.model) i = seen.vendor;
  if (/^(armv|aarch|ppc)/.test(core.arch)) i = seen.processor;
  const out: Record<string, unknown> = { processor, ...(flags ? { flags } : {}) };
  if (core.arch === 's390x') return out; // its counts need lines the script does not read
  if (xenParavirt) {
    Object.assign(out, {
      processor_count: i,
      processor_cores: i,
      processor_threads_per_core: 1,
      processor_vcpus: i,
    });
  } else {
    const count = sockets.size > 0 ? sockets.size : i;
    const first = [...sockets.values()][0];
    const coresPer = first ? first : 1;
    const siblings = [...cores.values()];
    const threads = pyRound((siblings.length > 0 ? siblings[0] : 1) / coresPer);
    Object.assign(out, {
      processor_count: count,
      processor_cores: coresPer,
      processor_threads_per_core: threads,
      processor_vcpus: threads * count * coresPer,
    });
  }
  // the processors this process may run on (os.sched_getaffinity): nproc's answer
  out.processor_nproc = core.cpus;
  return out;
}

export function securityFacts(s: Map<string, string>): Record<string, unknown> {
  const sec = lines(s.get('security') ?? '');
  const apparmor = { status: sec.includes('apparmor') ? 'enabled' : 'disabled' };
  if (!sec.includes('libselinux'))
    return {
      apparmor,
      selinux: { status: 'Missing selinux Python library' },
      selinux_python_present: false,
    };
  const enforce = sec.find((l) => l.startsWith('enforce '));
  if (!enforce) return { apparmor, selinux: { status: 'disabled' }, selinux_python_present: true };
  const policyvers = sec.find((l) => l.startsWith('policyvers '))?.split(' ')[1];
  const config = Object.fromEntries(
    lines(s.get('selinux_config') ?? '')
      .filter((l) => !l.startsWith('#') && l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]),
  );
  const configMode = ['enforcing', 'permissive', 'disabled'].includes(config.SELINUX)
    ? config.SELINUX
    : 'unknown';
  return {
    apparmor,
    selinux: {
      status: 'enabled',
      policyvers: policyvers ? Number(policyvers) : 'unknown',
      config_mode: configMode,
      mode: enforce.endsWith(' 1') ? 'enforcing' : 'permissive',
      type: config.SELINUXTYPE ?? 'unknown',
    },
    selinux_python_present: true,
  };
}

/** shlex.split(posix=False): words split at whitespace, quotes kept; an open quote is an error. */
function shlexWords(data: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let quote = '';
  let inWord = false;
  for (const c of data) {
    if (quote) {
      word += c;
      if (c === quote) quote = '';
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      if (c === '"' || c === "'") quote = c;
      word += c;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) words.push(word);
  return words;
}

export function cmdlineFacts(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  const words = shlexWords(text.replace(/\n$/, '')) ?? [];
  const cmdline: Record<string, unknown> = {};
  const proc: Record<string, unknown> = {};
  for (const piece of words) {
    const at = piece.indexOf('=');
    if (at < 0) {
      cmdline[piece] = true;
      proc[piece] = true;
      continue;
    }
    const [k, v] = [piece.slice(0, at), piece.slice(at + 1)];
    cmdline[k] = v;
    const prev = proc[k];
    proc[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return { cmdline, proc_cmdline: proc };
}

/** Host keys of the first folder that has them, in the collector's order of folders and algorithms. */
export function sshKeyFacts(text: string): Record<string, string> {
  const found = new Map<string, string[]>();
  for (const line of lines(text)) {
    const [dir, algo, keytype, key] = line.split(/\s+/);
    found.set(`${dir} ${algo}`, [keytype, key]);
  }
  const out: Record<string, string> = {};
  for (const dir of ['/etc/ssh', '/etc/openssh', '/etc'])
    for (const algo of ['dsa', 'rsa', 'ecdsa', 'ed25519']) {
      const name = `ssh_host_key_${algo}_public`;
      if (name in out) return out;
      const hit = found.get(`${dir} ${algo}`);
      if (hit) [out[name], out[`${name}_keytype`]] = [hit[1], hit[0]];
    }
  return out;
}

const PROC_1_NAMES: Record<string, string> = {
  procd: 'openwrt_init',
  'runit-init': 'runit',
  svscan: 'svc',
  'openrc-init': 'openrc',
};

export function serviceManager(text: string): string {
  const ls = lines(text);
  const exists = (p: string) => ls.includes(`exists ${p}`);
  const link = ls.find((l) => l.startsWith('init_link '))?.slice('init_link '.length);
  let proc1 = ls.find((l) => l.startsWith('comm '))?.slice(5) ?? link;
  if (proc1 !== undefined) proc1 = proc1.split('/').at(-1)?.trim();
  if (proc1 === 'init' || proc1?.endsWith('sh')) proc1 = undefined;
  if (proc1) return PROC_1_NAMES[proc1] ?? proc1;
  const systemctl = ls.includes('systemctl');
  if (systemctl && ['/run/systemd/system/', '/dev/.run/systemd/', '/dev/.systemd/'].some(exists))
    return 'systemd';
  if (ls.includes('initctl') && exists('/etc/init/')) return 'upstart';
  if (exists('/sbin/openrc')) return 'openrc';
  if (systemctl && link?.split('/').at(-1) === 'systemd') return 'systemd';
  if (exists('/etc/init.d/')) return 'sysvinit';
  if (exists('/etc/dinit.d/')) return 'dinit';
  return 'service';
}

export function isChroot(text: string): boolean {
  const ls = lines(text);
  if (ls[0] === 'debian_chroot') return true;
  const fs = ls.find((l) => l.startsWith('fs '));
  const stats = ls.filter((l) => /^\d+ \d+$/.test(l));
  if (!fs) return stats.length >= 2 && stats[0] !== stats[1];
  const rootIno = /btrfs/.test(fs) ? '256' : /xfs/.test(fs) ? '128' : '2';
  return stats.at(-1)?.split(' ')[1] !== rootIno;
}

export function uptime(text: string): Record<string, number> {
  const seconds = Number.parseFloat(text.trim().split(/\s+/)[0]);
  return Number.isNaN(seconds) ? {} : { uptime_seconds: Math.trunc(seconds) };
}

const FORM_FACTOR = [
  'Unknown',
  'Other',
  'Unknown',
  'Desktop',
  'Low Profile Desktop',
  'Pizza Box',
  'Mini Tower',
  'Tower',
  'Portable',
  'Laptop',
  'Notebook',
  'Hand Held',
  'Docking Station',
  'All In One',
  'Sub Notebook',
  'Space-saving',
  'Lunch Box',
  'Main Server Chassis',
  'Expansion Chassis',
  'Sub Chassis',
  'Bus Expansion Chassis',
  'Peripheral Chassis',
  'RAID Chassis',
  'Rack Mount Chassis',
  'Sealed-case PC',
  'Multi-system',
  'CompactPCI',
  'AdvancedTCA',
  'Blade',
  'Blade Enclosure',
  'Tablet',
  'Convertible',
  'Detachable',
  'IoT Gateway',
  'Embedded PC',
  'Mini PC',
  'Stick PC',
];

const DMI_FACTS: Array<[string, string]> = [
  ...[
    'bios_date',
    'bios_vendor',
    'bios_version',
    'board_asset_tag',
    'board_name',
    'board_serial',
    'board_vendor',
    'board_version',
    'chassis_asset_tag',
    'chassis_serial',
    'chassis_vendor',
    'chassis_version',
  ].map((k): [string, string] => [k, k]),
  ['form_factor', 'chassis_type'],
  ...['product_name', 'product_serial', 'product_uuid', 'product_version'].map((k): [string, string] => [
    k,
    k,
  ]),
  ['system_vendor', 'sys_vendor'],
];

/** DMI from sysfs ('NA' for what cannot be read); with dmidecode as the only source, left out (not run). */
export function dmiFacts(text: string): Record<string, string> {
  const ls = text.split('\n');
  if (ls.includes('dmidecode')) return {};
  const read = new Map(
    ls
      .filter((l) => l.includes(' '))
      .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1).trim()]),
  );
  const sysfs = ls.some((l) => l.startsWith('sys_vendor'));
  const out: Record<string, string> = {};
  for (const [fact, file] of DMI_FACTS) {
    const v = sysfs ? read.get(file) : undefined;
    if (!v) out[fact] = 'NA';
    else if (fact === 'form_factor') out[fact] = FORM_FACTOR[Number.parseInt(v, 10)] ?? `unknown (${v})`;
    else out[fact] = v;
  }
  return out;
}

/** NVMe host NQN, iSCSI initiator name, Fibre Channel WWNs (network/nvme.py, iscsi.py, fc_wwn.py). */
export function storageNetFacts(s: Map<string, string>): Record<string, unknown> {
  const nqn = (s.get('hostnqn') ?? '')
    .split('\n')
    .find((l) => !l.startsWith('#') && !l.startsWith(';') && l.trim() !== '' && l.startsWith('nqn.'));
  const iqn = (s.get('iscsi') ?? '').split('\n').find((l) => l.startsWith('InitiatorName='));
  return {
    hostnqn: nqn ?? '',
    iscsi_iqn: iqn ? iqn.slice(iqn.indexOf('=') + 1) : '',
    fibre_channel_wwn: lines(s.get('fc_wwn') ?? '').map((l) => l.trimEnd().slice(2)),
  };
}
