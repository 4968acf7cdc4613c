/**
 * The shell script behind Ansible's further facts (user, environment, date and time, DNS,
 * platform, memory, processors, security, network, local facts), run once per host when content
 * written for Ansible first names a fact. It prints raw sections (`@@name` lines, then what the
 * source said) and computes nothing: ansible-system.ts, ansible-network.ts and local-facts.ts
 * read them as ansible-core 2.19's fact collectors (module_utils/facts) read the same sources.
 * Only shell built-ins and file reads where those serve; one fork for each command named below.
 */
import { quote } from '../transport/shell.ts';
import { devicesScript } from './ansible-devices.ts';
import { mountsScript } from './ansible-mounts.ts';
import { virtualScript } from './ansible-virtual.ts';

/** The script; `factPath` is setup's fact_path (local facts), /etc/ansible/facts.d by default. */
export function ansibleFactsScript(factPath = '/etc/ansible/facts.d'): string {
  return [
    // the environment first: what Python's os.environ holds in the setup module's process
    'echo @@env; env -0; echo',
    'echo @@ids; while read -r k r e _; do case $k in Uid:|Gid:) echo "$k $r $e";; esac; done < /proc/self/status',
    // getpass.getuser(): the first of these variables that is set, else the uid's entry
    'echo @@passwd; u=${LOGNAME:-${USER:-${LNAME:-${USERNAME:-}}}}; echo "$u"',
    '{ [ -n "$u" ] && getent passwd "$u"; } || getent passwd "$(id -u)"',
    'echo @@uname; uname -v; getconf LONG_BIT 2>/dev/null || echo',
    'echo @@date; LC_ALL=C date "+%s|%N|%Y|%m|%A|%w|%W|%d|%H|%M|%S|%Z|%z"',
    section('hosts', '/etc/hosts'),
    section('resolv', '/etc/resolv.conf'),
    section('debian_version', '/etc/debian_version'),
    section('lsb_release_file', '/etc/lsb-release'),
    'echo @@lsb; P="$PATH:/sbin:/usr/sbin:/usr/local/sbin"',
    'l=$(PATH=$P command -v lsb_release) && "$l" -a 2>/dev/null',
    section('machine_id', '/var/lib/dbus/machine-id'),
    section('etc_machine_id', '/etc/machine-id'),
    section('cmdline', '/proc/cmdline'),
    section('uptime', '/proc/uptime'),
    // the interpreter Ansible's setup runs in: "Python 3.11.2"
    'echo @@python; p=/usr/bin/python3; [ -x $p ] || p=python3; $p --version 2>/dev/null',
    section('meminfo', '/proc/meminfo'),
    section('fips', '/proc/sys/crypto/fips_enabled'),
    // /proc/cpuinfo is large on large machines: only the lines the collector reads
    'echo @@cpuinfo; [ -e /proc/xen ] && echo "xen: 1"; read -r h 2>/dev/null < /sys/hypervisor/type && echo "hypervisor: $h"',
    'awk -F: \'{k=$1; sub(/[ \\t]+$/, "", k)} k ~ /^(model name|Processor|vendor_id|cpu|Vendor|processor|physical id|core id|cpu cores|siblings|# processors|max thread id|ncpus active|flags)$/\' /proc/cpuinfo 2>/dev/null',
    'echo @@security; [ -e /sys/kernel/security/apparmor ] && echo apparmor',
    'for f in /lib/*/libselinux.so.1 /usr/lib/*/libselinux.so.1 /lib64/libselinux.so.1 /usr/lib64/libselinux.so.1; do [ -e "$f" ] && { echo libselinux; break; }; done',
    '[ -e /sys/fs/selinux/enforce ] && { read -r m < /sys/fs/selinux/enforce; echo "enforce $m"; read -r v < /sys/fs/selinux/policyvers && echo "policyvers $v"; }',
    section('selinux_config', '/etc/selinux/config'),
    'echo @@init; read -r c 2>/dev/null < /proc/1/comm && echo "comm $c"',
    'PATH=$P command -v systemctl >/dev/null && echo systemctl; PATH=$P command -v initctl >/dev/null && echo initctl',
    'for d in /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/ /etc/init/ /sbin/openrc /etc/init.d/ /etc/dinit.d/; do [ -e "$d" ] && echo "exists $d"; done',
    '[ -L /sbin/init ] && echo "init_link $(readlink /sbin/init)"',
    'echo @@chroot; [ -n "${debian_chroot:-}" ] && echo debian_chroot',
    'stat -c "%d %i" / /proc/1/root/. 2>/dev/null || { stat -c "%d %i" /; stat -f -c "fs %T" /; }',
    'echo @@sshkeys; for d in /etc/ssh /etc/openssh /etc; do for a in dsa rsa ecdsa ed25519; do',
    '  f=$d/ssh_host_${a}_key.pub; [ -r "$f" ] && read -r k < "$f" && echo "$d $a $k"; done; done',
    'echo @@dmi; d=/sys/devices/virtual/dmi/id; if [ -e $d/product_name ]; then',
    `  for f in ${DMI_FILES}; do v=''; read -r v 2>/dev/null < $d/$f; echo "$f $v"; done`,
    'else PATH=$P command -v dmidecode >/dev/null && echo dmidecode; fi',
    section('hostnqn', '/etc/nvme/hostnqn'),
    section('iscsi', '/etc/iscsi/initiatorname.iscsi'),
    'echo @@fc_wwn; for f in /sys/class/fc_host/*/port_name; do [ -e "$f" ] && read -r v < "$f" && echo "$v"; done',
    ...networkScript(),
    ...mountsScript(),
    ...devicesScript(),
    ...virtualScript(),
    ...localFactsScript(factPath),
  ].join('\n');
}

const DMI_FILES =
  'bios_date bios_vendor bios_version board_asset_tag board_name board_serial board_vendor board_version ' +
  'chassis_asset_tag chassis_serial chassis_vendor chassis_version chassis_type product_name product_serial ' +
  'product_uuid product_version sys_vendor';

/** A file's content after its marker, nothing when it cannot be read. */
function section(name: string, file: string): string {
  return `echo @@${name}; cat ${file} 2>/dev/null; echo`;
}

/**
 * Interfaces in /sys/class/net's own order (Python's glob is unsorted), what the collector
 * reads from each, then `ip` as it runs it: the default routes and every address.
 */
function networkScript(): string[] {
  const files = 'address mtu operstate type flags speed';
  return [
    'echo @@net; P="$PATH:/sbin:/usr/sbin:/usr/local/sbin"; if ip=$(PATH=$P command -v ip); then',
    'for d in $(ls -U /sys/class/net); do p=/sys/class/net/$d; [ -d "$p" ] || continue; echo "dev $d"',
    `  for f in ${files}; do read -r v 2>/dev/null < "$p/$f" && echo "$f $v"; done`,
    '  [ -e "$p/device" ] && echo "pciid $(basename "$(readlink "$p/device")")"',
    '  [ -e "$p/device/driver/module" ] && echo "module $(basename "$(readlink -f "$p/device/driver/module")")"',
    '  if [ -e "$p/bridge" ]; then echo "brif $(ls -U "$p/brif" 2>/dev/null | tr "\\n" " ")"',
    '    read -r v < "$p/bridge/bridge_id" && echo "bridge_id $v"; read -r v < "$p/bridge/stp_state" && echo "stp_state $v"; fi',
    '  if [ -e "$p/bonding" ]; then for f in slaves mode miimon lacp_rate primary all_slaves_active; do',
    '    read -r v 2>/dev/null < "$p/bonding/$f"; echo "bonding_$f ${v:-}"; done; fi',
    '  [ -e "$p/bonding_slave" ] && read -r v < "$p/bonding_slave/perm_hwaddr" && echo "perm_hwaddr $v"',
    'done',
    'echo @@route4; "$ip" -4 route get 8.8.8.8 2>/dev/null',
    'echo @@route6; "$ip" -6 route get 2404:6800:400a:800::1012 2>/dev/null',
    'echo @@addr; "$ip" -o addr show 2>/dev/null',
    'echo @@local_routes; "$ip" -4 route show table local 2>/dev/null; "$ip" -6 route show table local 2>/dev/null; fi',
  ];
}

/**
 * Every *.fact file: run when executable (its output, exit code and errors), read when not;
 * each part in base64, since a fact's text may hold anything.
 */
function localFactsScript(factPath: string): string[] {
  return [
    `echo @@local; d=${quote(factPath)}; t=''; if [ -d "$d" ]; then`,
    'for f in "$d"/*.fact; do [ -e "$f" ] || continue; echo "file $(printf %s "$f" | base64 -w0)"',
    '  if [ -x "$f" ]; then [ -n "$t" ] || t=$(mktemp -d)',
    '    "$f" > "$t/out" 2> "$t/err"; echo "rc $?"; echo "out $(base64 -w0 < "$t/out")"; echo "err $(base64 -w0 < "$t/err")"',
    '  else echo "text $(base64 -w0 < "$f")"; fi',
    'done; [ -z "$t" ] || rm -rf "$t"; fi',
  ];
}
