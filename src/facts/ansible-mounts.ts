/**
 * ansible_mounts as ansible-core 2.19's LinuxHardware.get_mount_facts builds it
 * (module_utils/facts/hardware/linux.py): /etc/mtab (else /proc/mounts) entries of devices that
 * are paths or NFS-like sources, octal escapes decoded, bind mounts (findmnt's [dir] sources)
 * marked ",bind", sizes from statvfs, the UUID from lsblk, else udevadm, else 'N/A'. The list
 * comes in mtab order (Ansible's, filled by threads, in the order they finish).
 */

/** The script part: findmnt, lsblk, the mount table, `stat -f` of each mount point, udevadm per device. */
export function mountsScript(): string[] {
  const decode =
    'function u(s, o) { o = ""; while (match(s, /\\\\[0-7][0-7][0-7]/)) { o = o substr(s, 1, RSTART - 1) sprintf("%c", substr(s, RSTART + 1, 1) * 64 + substr(s, RSTART + 2, 1) * 8 + substr(s, RSTART + 3, 1)); s = substr(s, RSTART + 4) } return o s }';
  const wanted = '($1 ~ /^[\\/\\\\]/ || $1 ~ /:\\//) && $3 != "none" && NF >= 4';
  return [
    'echo @@findmnt; f=$(PATH=$P command -v findmnt) && "$f" --list --noheadings --notruncate 2>/dev/null',
    'echo @@lsblk; l=$(PATH=$P command -v lsblk) && "$l" --list --noheadings --paths --output NAME,UUID --exclude 2 2>/dev/null',
    'echo @@mtab; m=/etc/mtab; [ -e $m ] || m=/proc/mounts; cat $m 2>/dev/null',
    `echo @@statvfs; awk '${decode} ${wanted} { printf "%s%c", u($2), 0 }' $m 2>/dev/null | xargs -0r stat -f -c '%S %s %b %a %c %d %n' 2>/dev/null`,
    "echo @@udevadm; d=$(PATH=$P command -v udevadm) && for v in $(awk '" +
      wanted +
      ' { print $1 }\' $m | sort -u); do echo "dev $v"; "$d" info --query property --name "$v" 2>/dev/null | grep "^ID_FS_UUID="; done',
  ];
}

const octalDecoded = (s: string) =>
  s.replace(/\\[0-7]{3}/g, (m) => String.fromCharCode(Number.parseInt(m.slice(1), 8)));

export function mountFacts(s: Map<string, string>): Record<string, unknown> {
  if (!s.has('mtab')) return {};
  const binds = new Set<string>();
  for (const line of (s.get('findmnt') ?? '').split('\n')) {
    const f = line.split(/\s+/).filter(Boolean);
    if (f.length >= 2 && f[1].endsWith(']')) binds.add(f[0]);
  }
  const uuids = new Map<string, string>();
  for (const line of (s.get('lsblk') ?? '').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 2 && !uuids.has(f.slice(0, -1).join(' ')))
      uuids.set(f.slice(0, -1).join(' '), f.at(-1) as string);
  }
  const udev = new Map<string, string>();
  let dev = '';
  for (const line of (s.get('udevadm') ?? '').split('\n')) {
    if (line.startsWith('dev ')) dev = line.slice(4);
    else if (line.startsWith('ID_FS_UUID=') && !udev.has(dev))
      udev.set(dev, line.slice('ID_FS_UUID='.length));
  }
  const sizes = new Map<string, Record<string, number>>();
  for (const line of (s.get('statvfs') ?? '').split('\n')) {
    const m = /^(\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [frsize, bsize, blocks, bavail, files, ffree] = m.slice(1, 7).map(Number);
    sizes.set(m[7], {
      size_total: frsize * blocks,
      size_available: frsize * bavail,
      block_size: bsize,
      block_total: blocks,
      block_available: bavail,
      block_used: blocks - bavail,
      inode_total: files,
      // Linux's statvfs: f_favail is f_ffree
      inode_available: ffree,
      inode_used: files - ffree,
    });
  }
  const mounts: Array<Record<string, unknown>> = [];
  for (const line of (s.get('mtab') ?? '').split('\n')) {
    const fields = line.split(/\s+/).filter(Boolean).map(octalDecoded);
    if (fields.length < 4) continue;
    const [device, mount, fstype, options] = fields;
    if ((!/^[/\\]/.test(device) && !device.includes(':/')) || fstype === 'none') continue;
    const info: Record<string, unknown> = {
      mount,
      device,
      fstype,
      options: binds.has(mount) && !/bind.*"/.test(options) ? `${options},bind` : options,
      dump: Number.parseInt(fields[4], 10),
      passno: Number.parseInt(fields[5], 10),
      ...sizes.get(mount),
    };
    info.uuid = uuids.get(device) || udev.get(device) || 'N/A';
    mounts.push(info);
  }
  return { mounts };
}
