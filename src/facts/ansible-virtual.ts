/**
 * virtualization_type/role and the guest/host technologies, as ansible-core 2.19's LinuxVirtual
 * (module_utils/facts/virtual/linux.py) decides them, check by check in its order: cgroups and
 * PID 1's environment (containers), OpenVZ, systemd's container file, Docker's marker files, Xen,
 * DMI names, VServer, the CPU's model, kernel modules, dmidecode, /dev/kvm; 'NA' when nothing
 * matched. The technology lists are sets there (their order varies): here in the order found.
 */

export function virtualScript(): string[] {
  const cpu =
    '/^model name.*QEMU Virtual CPU|^vendor_id.*User Mode Linux|^model name.*UML|^machine.*CHRP IBM pSeries .emulated by qemu.|^vendor_id.*PowerVM Lx86|^vendor_id.*IBM\\/S390/';
  return [
    'echo @@virt; [ -r /proc/1/cgroup ] && while IFS= read -r l; do echo "cgroup $l"; done < /proc/1/cgroup',
    '[ -r /proc/1/environ ] && tr "\\0" "\\n" < /proc/1/environ 2>/dev/null | while IFS= read -r l; do echo "environ $l"; done',
    'for f in /proc/vz /proc/lve /proc/bc /.dockerenv /.dockerinit /proc/xen /rhev/ /dev/kvm /proc/modules; do [ -e $f ] && echo "exists $f"; done',
    'c=""; read -r c 2>/dev/null < /run/systemd/container; [ -n "$c" ] && echo "systemd_container $c"',
    '[ -r /proc/xen/capabilities ] && while IFS= read -r l; do case $l in *control_d*) echo xen_host;; esac; done < /proc/xen/capabilities',
    'for f in product_name sys_vendor product_family bios_vendor; do v=""; read -r v 2>/dev/null < /sys/devices/virtual/dmi/id/$f; [ -n "$v" ] && echo "dmi_$f $v"; done',
    'while read -r k v; do [ "$k" = VxID: ] && echo "vxid $v"; done < /proc/self/status',
    `awk '${cpu} { print "cpu " $0 }' /proc/cpuinfo 2>/dev/null`,
    '[ -r /proc/modules ] && awk \'$1 == "kvm" || $1 == "vboxdrv" || $1 == "virtio" { print "module " $1 }\' /proc/modules',
    '[ -d /rhev/ ] && for f in /proc/[0-9]*/comm; do read -r v 2>/dev/null < "$f"; case $v in vdsm|vdsmd) echo vdsm; break;; esac; done',
    'd=$(PATH=$P command -v dmidecode) && { echo dmidecode; "$d" -s system-product-name 2>/dev/null | sed "s/^/dmidecode_out /"; }',
  ];
}

interface State {
  found: boolean;
  type?: string;
  role?: string;
  guest: Set<string>;
  host: Set<string>;
}

/** A technology seen as a guest: the first found also names the type (and role, where given). */
function guest(st: State, tech: string, type = tech, role?: string) {
  st.guest.add(tech);
  if (st.found) return;
  st.type = type;
  if (role) st.role = role;
  st.found = true;
}

export function virtualFacts(text: string): Record<string, unknown> {
  const ls = text.split('\n');
  const has = (p: string) => ls.includes(p);
  const values = (prefix: string) =>
    ls.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
  const st: State = { found: false, guest: new Set(), host: new Set() };
  for (const line of values('cgroup ')) {
    if (/\/docker(\/|-[0-9a-f]+\.scope)/.test(line)) guest(st, 'docker', 'docker', 'guest');
    if (/\/lxc\//.test(line) || /\/machine.slice\/machine-lxc/.test(line)) guest(st, 'lxc', 'lxc', 'guest');
    if (/\/system.slice\/containerd.service/.test(line)) guest(st, 'containerd', 'containerd', 'guest');
  }
  for (const line of values('environ ')) {
    if (line.includes('container=lxc')) guest(st, 'lxc', 'lxc', 'guest');
    if (line.includes('container=podman')) guest(st, 'podman', 'podman', 'guest');
    if (/^container=./.test(line)) guest(st, 'container', 'container', 'guest');
  }
  if (has('exists /proc/vz') && !has('exists /proc/lve')) {
    st.type = 'openvz';
    const isHost = has('exists /proc/bc');
    (isHost ? st.host : st.guest).add('openvz');
    if (!st.found) st.role = isHost ? 'host' : 'guest';
    st.found = true;
  }
  const container = values('systemd_container ')[0];
  if (container) guest(st, container, container, 'guest');
  if (has('exists /.dockerenv') || has('exists /.dockerinit')) guest(st, 'docker', 'docker', 'guest');
  if (['docker', 'lxc', 'podman', 'openvz', 'containerd'].some((t) => st.guest.has(t)) || container)
    st.guest.add('container');
  if (has('exists /proc/xen')) {
    const isHost = has('xen_host');
    (isHost ? st.host : st.guest).add('xen');
    if (!st.found) [st.type, st.role] = ['xen', isHost ? 'host' : 'guest'];
    st.found = true;
  }
  // assumed a guest from here, unless nothing below matches
  if (!st.found) st.role = 'guest';
  dmiChecks(st, (k) => values(`dmi_${k} `)[0]);
  if (!st.found) st.role = undefined;
  for (const v of values('vxid ')) {
    if (!st.found) st.type = 'linux_vserver';
    const isHost = /^0\b/.test(v);
    (isHost ? st.host : st.guest).add('linux_vserver');
    if (!st.found) st.role = isHost ? 'host' : 'guest';
    st.found = true;
  }
  cpuChecks(st, values('cpu '));
  const modules = values('module ');
  if (modules.includes('kvm')) {
    st.host.add('kvm');
    if (!st.found) [st.type, st.role] = ['kvm', 'host'];
    if (has('exists /rhev/') && has('vdsm')) {
      st.host.add('RHEV');
      if (!st.found) st.type = 'RHEV';
    }
    st.found = true;
  }
  if (modules.includes('vboxdrv')) {
    st.host.add('virtualbox');
    if (!st.found) [st.type, st.role, st.found] = ['virtualbox', 'host', true];
  }
  if (modules.includes('virtio')) {
    st.host.add('kvm');
    if (!st.found) [st.type, st.role, st.found] = ['kvm', 'guest', true];
  }
  if (has('dmidecode')) {
    const out = values('dmidecode_out ');
    if (
      out
        .map((l) => l.trim())
        .join('')
        .startsWith('VMware')
    )
      guest(st, 'VMware', 'VMware', 'guest');
    if (out.some((l) => l.includes('BHYVE'))) guest(st, 'bhyve', 'bhyve', 'guest');
  }
  if (has('exists /dev/kvm')) {
    st.host.add('kvm');
    if (!st.found) [st.type, st.role, st.found] = ['kvm', 'host', true];
  }
  if (!st.found) [st.type, st.role] = ['NA', 'NA'];
  return {
    ...(st.type !== undefined ? { virtualization_type: st.type } : {}),
    ...(st.role !== undefined ? { virtualization_role: st.role } : {}),
    virtualization_tech_guest: [...st.guest],
    virtualization_tech_host: [...st.host],
  };
}

function dmiChecks(st: State, dmi: (key: string) => string | undefined) {
  const [product, vendor, family, bios] = ['product_name', 'sys_vendor', 'product_family', 'bios_vendor'].map(
    dmi,
  );
  if (['KVM', 'KVM Server', 'Bochs', 'AHV', 'CloudStack KVM Hypervisor'].includes(product ?? ''))
    guest(st, 'kvm');
  if (vendor === 'oVirt') guest(st, 'oVirt');
  if (vendor === 'Red Hat') {
    if (family === 'RHV') guest(st, 'RHV');
    else if (product === 'RHEV Hypervisor') guest(st, 'RHEV');
  }
  if (product?.startsWith('VMware')) guest(st, 'VMware');
  if (product === 'OpenStack Compute' || product === 'OpenStack Nova') guest(st, 'openstack');
  if (bios === 'Xen') guest(st, 'xen');
  if (bios === 'innotek GmbH') guest(st, 'virtualbox');
  if (['Amazon EC2', 'DigitalOcean', 'Hetzner', 'Linode'].includes(bios ?? '')) guest(st, 'kvm');
  if (['QEMU', 'Amazon EC2', 'DigitalOcean', 'Google', 'Scaleway', 'Nutanix'].includes(vendor ?? ''))
    guest(st, 'kvm');
  if (vendor === 'KubeVirt') guest(st, 'KubeVirt');
  if (vendor === 'Microsoft Corporation') guest(st, 'VirtualPC');
  if (vendor === 'Parallels Software International Inc.') guest(st, 'parallels');
  if (vendor === 'OpenStack Foundation') guest(st, 'openstack');
}

function cpuChecks(st: State, lines: string[]) {
  const rules: Array<[RegExp, string]> = [
    [/^model name.*QEMU Virtual CPU/, 'kvm'],
    [/^vendor_id.*User Mode Linux/, 'uml'],
    [/^model name.*UML/, 'uml'],
    [/^machine.*CHRP IBM pSeries .emulated by qemu./, 'kvm'],
    [/^vendor_id.*PowerVM Lx86/, 'powervm_lx86'],
    [/^vendor_id.*IBM\/S390/, 'ibm_systemz'],
  ];
  for (const line of lines) {
    const hit = rules.find(([re]) => re.test(line));
    if (!hit) continue;
    st.guest.add(hit[1]);
    if (!st.found) [st.type, st.role, st.found] = [hit[1], 'guest', true];
  }
}
