/**
 * quorum's facts under Ansible's names, for content written for Ansible: `ansible_facts.X` and
 * the `ansible_X` variables (Ansible injects facts as variables by default). Only the facts
 * quorum gathers are here; any other name stays undefined, and using it is an error.
 */
import type { Facts } from './gather.ts';

const DISTRIBUTIONS: Record<string, string> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  rhel: 'RedHat',
  centos: 'CentOS',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  fedora: 'Fedora',
};

export function ansibleFacts(f: Facts): Record<string, unknown> {
  const family = f.os_family === 'debian' ? 'Debian' : f.os_family === 'redhat' ? 'RedHat' : f.os_family;
  const distribution = DISTRIBUTIONS[f.os_id] ?? f.os_id;
  return {
    os_family: family,
    distribution,
    distribution_version: f.os_version,
    distribution_major_version: f.os_version.split('.')[0],
    architecture: f.arch,
    // quorum manages Linux hosts only
    system: 'Linux',
    kernel: f.kernel,
    hostname: f.hostname.split('.')[0],
    nodename: f.hostname,
    pkg_mgr: f.pkg_mgr,
    service_mgr:
      f.init_system === 'systemd' ? 'systemd' : f.init_system === 'sysvinit' ? 'sysvinit' : 'service',
    default_ipv4: { address: f.default_ipv4, interface: f.default_interface },
    interfaces: Object.keys(f.interfaces),
    processor_vcpus: f.cpus,
    memtotal_mb: f.memory_mb,
    swaptotal_mb: f.swap_mb,
    memory_mb: { real: { total: f.memory_mb }, swap: { total: f.swap_mb } },
    distribution_release: f.os_codename,
    ...(f.python_version ? python(f.python_version) : {}),
  };
}

function python(version: string): Record<string, unknown> {
  const [major, minor, micro] = version.split('.').map(Number);
  return {
    python_version: version,
    python: { version: { major, minor, micro }, executable: '/usr/bin/python3' },
  };
}

/** The variables a task sees: `ansible_facts` and, for each fact, `ansible_<name>`. */
export function ansibleFactVars(f: Facts): Record<string, unknown> {
  const facts = ansibleFacts(f);
  return {
    ansible_facts: facts,
    ...Object.fromEntries(Object.entries(facts).map(([k, v]) => [`ansible_${k}`, v])),
  };
}
