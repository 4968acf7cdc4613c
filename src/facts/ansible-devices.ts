/**
 * Block devices as ansible-core 2.19's Linux hardware collector gathers them
 * (module_utils/facts/hardware/linux.py get_device_facts, get_all_device_links, get_holders,
 * get_partition_uuid), the load average (system/loadavg.py) and the system capabilities
 * (system/caps.py). The script reads sysfs with the shell's `read` (no process per file) and
 * lists folders in readdir order (`ls -U`, Python's os.listdir), which is the order of the facts.
 */

import { bytesToHuman } from '../template/jinja/math-filters.ts';
import { quote } from '../transport/shell.ts';

/** One device's sysfs files read by the collector, each a line `key value`. */
const DEVICE_FILES =
  'device/vendor device/model device/sas_address device/sas_device_handle device/serial removable ' +
  'queue/discard_max_hw_bytes queue/discard_granularity queue/rotational queue/scheduler ' +
  'queue/logical_block_size queue/hw_sector_size size';
const PARTITION_FILES = 'start queue/logical_block_size queue/hw_sector_size size';

const SYSINFO_LOADS =
  'my $b = "\\0" x 256; syscall($ARGV[0], $b) == 0 or exit 1; print "sysinfo ", join(" ", unpack("x8 Q3", $b)), "\\n"';

export function devicesScript(): string[] {
  // `f key file`: the file's first line, stripped, when it is readable and not empty
  const read = 'f() { v=; [ -r "$2" ] && read -r v < "$2" 2>/dev/null; [ -n "$v" ] && echo "$1 $v"; }';
  const holders =
    // a glob, not a process per device: holders in name order where Python lists the folder's order
    'for p in "$1"/holders/dm-*; do [ -e "$p" ] || continue; v=; read -r v < "$p/dm/name" 2>/dev/null; echo "holder ${p##*/} $v"; done';
  return [
    `${read}; hd() { ${holders}; }`,
    // os.getloadavg() is glibc's, from sysinfo(2): the kernel's fixed-point loads over 65536
    // (0.587890625 where /proc/loadavg rounds to 0.59); perl makes the call where its number is known
    'echo @@loadavg; case $(uname -m) in x86_64) n=99;; aarch64) n=179;; *) n=;; esac',
    `[ -n "$n" ] && perl -e ${quote(SYSINFO_LOADS)} "$n" 2>/dev/null || { echo proc; cat /proc/loadavg 2>/dev/null; }`,
    'echo @@caps; c=$(PATH=$P command -v capsh) && o=$("$c" --print 2>/dev/null) && { echo ran; printf "%s\\n" "$o"; }',
    'echo @@lspci; c=$(PATH=$P command -v lspci) && "$c" -D 2>/dev/null',
    'echo @@disklinks; for t in id uuid label; do [ -d /dev/disk/by-$t ] && find /dev/disk/by-$t -mindepth 1 -maxdepth 1 -printf "$t %f %l\\n" 2>/dev/null; done',
    'for m in /sys/block/*/slaves/*; do [ -e "$m" ] && echo "master $m"; done',
    'echo @@devices; sg=$(PATH=$P command -v sg_inq); [ -d /sys/block ] && for b in $(ls -U /sys/block); do',
    '  l=$(readlink /sys/block/$b) || l=; echo "block $b $l"; s=/sys/block/${l:-$b}',
    '  [ -z "$l" ] && ls -U "$s" | grep -q device && echo "has_device"',
    `  for k in ${DEVICE_FILES}; do f $k "$s/$k"; done`,
    '  [ -n "$sg" ] && "$sg" /dev/$b 2>/dev/null | grep -E "(Unit serial|Serial) number:" | sed "s/^/sg_inq /"; [ -n "$sg" ] && echo sg_inq_present',
    '  for e in $(ls -U "$s"); do case $e in "$b"[0-9]*|"$b"p[0-9]*)',
    `    echo "partition $e"; for k in ${PARTITION_FILES}; do f "part_$k" "$s/$e/$k"; done; hd "$s/$e";; esac; done`,
    '  hd "$s"; done',
  ];
}

type Links = Record<string, Record<string, string[]>>;

/** by-id, by-uuid, by-label (link name per target's base name, sorted) and masters. */
function deviceLinks(text: string): { links: Links; uuidOf: Map<string, string>; wwn: Map<string, string> } {
  const sets: Record<string, Map<string, Set<string>>> = {
    ids: new Map(),
    uuids: new Map(),
    labels: new Map(),
    masters: new Map(),
  };
  const uuidOf = new Map<string, string>();
  const wwn = new Map<string, string>();
  const add = (kind: string, target: string, entry: string) => {
    const set = sets[kind].get(target) ?? new Set<string>();
    sets[kind].set(target, set.add(entry));
  };
  for (const line of text.split('\n')) {
    const [kind, name, target] = line.split(' ');
    if (kind === 'master') {
      // /sys/block/<device>/slaves/<target>
      const parts = name.split('/');
      add('masters', parts[5], parts[3]);
    } else if (target !== undefined) {
      const base = target.split('/').at(-1) as string;
      add(`${kind}s`, base, name);
      // the uuid whose link resolves to /dev/<partition>: the first in readdir order
      if (kind === 'uuid' && !uuidOf.has(base) && /^(\.\.\/\.\.\/|\/dev\/)[^/]+$/.test(target))
        uuidOf.set(base, name);
      if (kind === 'id' && name.startsWith('wwn-')) wwn.set(base, name.slice(4));
    }
  }
  const links: Links = {};
  for (const [kind, map] of Object.entries(sets)) {
    // a folder that does not exist gives {} (as does an empty one)
    links[kind] = Object.fromEntries([...map].map(([k, v]) => [k, [...v].sort()]));
  }
  return { links, uuidOf, wwn };
}

const linksOf = (links: Links, name: string) =>
  Object.fromEntries(Object.entries(links).map(([kind, map]) => [kind, map[name] ?? []]));

/** sectors and size as the collector computes them: sysfs counts 512-byte sectors. */
function geometry(files: Map<string, string>, prefix: string, fallbackSize: number | undefined) {
  const sectorsize =
    files.get(`${prefix}queue/logical_block_size`) ?? files.get(`${prefix}queue/hw_sector_size`) ?? 512;
  const raw = files.get(`${prefix}size`) ?? fallbackSize;
  const sectors = Math.floor((Number(raw) * 512) / Number(sectorsize)) || 0;
  return { sectorsize, sectors, size: bytesToHuman(sectors * Number(sectorsize)) };
}

interface Block {
  name: string;
  link: string;
  hasDevice: boolean;
  files: Map<string, string>;
  sgSerial?: string;
  sgPresent: boolean;
  partitions: { folder: string; files: Map<string, string>; holders: string[] }[];
  holders: string[];
}

function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let part: Block['partitions'][number] | undefined;
  for (const line of text.split('\n')) {
    const at = line.indexOf(' ');
    const [key, rest] = at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
    const block = blocks.at(-1);
    if (key === 'block') {
      const [name, link = ''] = rest.split(' ');
      blocks.push({
        name,
        link,
        hasDevice: false,
        files: new Map(),
        sgPresent: false,
        partitions: [],
        holders: [],
      });
      part = undefined;
    } else if (!block) {
    } else if (key === 'has_device') block.hasDevice = true;
    else if (key === 'sg_inq_present') block.sgPresent = true;
    else if (key === 'sg_inq') block.sgSerial ??= /(?:Unit serial|Serial) number:\s+(\w+)/.exec(rest)?.[1];
    else if (key === 'partition') {
      part = { folder: rest, files: new Map(), holders: [] };
      block.partitions.push(part);
    } else if (key === 'holder') {
      const [dm, name] = [rest.split(' ')[0], rest.slice(rest.indexOf(' ') + 1).trim()];
      (part ?? block).holders.push(name || dm);
    } else if (key.startsWith('part_') && part) {
      if (rest.trim()) part.files.set(key.slice(5), rest.trim());
    } else if (rest.trim()) {
      part = undefined;
      block.files.set(key, rest.trim());
    }
  }
  return blocks;
}

/** `devices` and `device_links`, as get_device_facts returns them; nothing without /sys/block. */
export function deviceFacts(s: Map<string, string>): Record<string, unknown> {
  if (!s.has('devices')) return {};
  const { links, uuidOf, wwn } = deviceLinks(s.get('disklinks') ?? '');
  const pci = s.get('lspci')?.trim() ? (s.get('lspci') as string) : undefined;
  const devices: Record<string, unknown> = {};
  for (const b of parseBlocks(s.get('devices') ?? '')) {
    const sysdir = `/sys/block/${b.link || b.name}`;
    const f = (k: string) => b.files.get(k) ?? null;
    const d: Record<string, unknown> = {
      virtual: b.link ? 1 : b.hasDevice ? 0 : 1,
      links: linksOf(links, b.name),
    };
    for (const k of ['vendor', 'model', 'sas_address', 'sas_device_handle']) d[k] = f(`device/${k}`);
    const serial = b.sgPresent ? b.sgSerial : f('device/serial');
    if (serial) d.serial = serial;
    d.removable = f('removable');
    d.support_discard = f('queue/discard_max_hw_bytes') === '0' ? '0' : f('queue/discard_granularity');
    const diskname = sysdir.split('/').at(-1) as string;
    if (wwn.has(diskname)) d.wwn = wwn.get(diskname);
    const partitions: Record<string, unknown> = {};
    for (const p of b.partitions) {
      const partname = new RegExp(`(${diskname}[p]?\\d+)`).exec(p.folder)?.[1];
      if (!partname) continue;
      partitions[partname] = {
        links: linksOf(links, partname),
        start: p.files.get('start') ?? 0,
        ...geometry(p.files, '', 0),
        uuid: uuidOf.get(partname) ?? null,
        holders: p.holders,
      };
    }
    d.partitions = partitions;
    d.rotational = f('queue/rotational');
    d.scheduler_mode = /^.*?(\[(.*)\])/.exec(f('queue/scheduler') ?? '')?.[2] ?? '';
    Object.assign(d, geometry(b.files, '', undefined));
    const pciId = /.+\/([a-f0-9]{4}:[a-f0-9]{2}:[0|1][a-f0-9]\.[0-7])\//.exec(sysdir)?.[1];
    const host =
      pciId && pci ? new RegExp(`^${pciId.replace(/[.]/g, '\\.')}\\s(.*)$`, 'm').exec(pci)?.[1] : undefined;
    d.host = host ?? '';
    d.holders = b.holders;
    devices[diskname] = d;
  }
  return { devices, device_links: links };
}

/** os.getloadavg(): sysinfo's loads over 65536, else (another architecture) /proc/loadavg's figures. */
export function loadavgFacts(text: string): Record<string, unknown> {
  const [how, ...fields] = text.trim().split(/\s+/);
  const scale = how === 'sysinfo' ? 65536 : 1;
  const [m1, m5, m15] = fields.map((f) => Number(f) / scale);
  if ([m1, m5, m15].some((n) => n === undefined || Number.isNaN(n))) return {};
  return { loadavg: { '1m': m1, '5m': m5, '15m': m15 } };
}

/** capsh --print's `Current:` line, read as caps.py reads it (its splits included). */
export function capsFacts(text: string): Record<string, unknown> {
  const ls = text.split('\n');
  if (ls[0] !== 'ran') return { system_capabilities_enforced: 'N/A', system_capabilities: 'N/A' };
  let enforced = 'NA';
  let caps: string[] = [];
  for (const line of ls.slice(1)) {
    if (!line.startsWith('Current:')) continue;
    if (line.split(':')[1].trim() === '=ep') enforced = 'False';
    else {
      enforced = 'True';
      caps = (line.split('=')[1] ?? '').split(',').map((c) => c.trim());
    }
  }
  return { system_capabilities_enforced: enforced, system_capabilities: caps };
}
