/**
 * quorum's facts under Ansible's names, for content written for Ansible: `ansible_facts.X` and
 * the `ansible_X` variables (Ansible injects facts as variables by default). Only the facts
 * quorum gathers are here; any other name stays undefined, and using it is an error.
 */
import type { Transport } from '../transport/types.ts';
import { capsFacts, deviceFacts, loadavgFacts } from './ansible-devices.ts';
import { mountFacts } from './ansible-mounts.ts';
import { networkFacts } from './ansible-network.ts';
import { ansibleFactsScript } from './ansible-script.ts';
import { splitSections, systemFacts } from './ansible-system.ts';
import { virtualFacts } from './ansible-virtual.ts';
import type { Facts } from './gather.ts';
import { localFacts } from './local-facts.ts';

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
  };
}

/** From `python3 --version` ("Python 3.11.2"); nothing when the host has no python3. */
function python(said: string): Record<string, unknown> {
  const version = /^Python (\d+\.\d+\.\d+)/.exec(said.trim())?.[1];
  if (!version) return {};
  const [major, minor, micro] = version.split('.').map(Number);
  return {
    python_version: version,
    python: {
      executable: '/usr/bin/python3',
      has_sslcontext: true,
      type: 'cpython',
      version: { major, minor, micro, releaselevel: 'final', serial: 0 },
      version_info: [major, minor, micro, 'final', 0],
    },
  };
}

/**
 * Every fact under Ansible's names: quorum's own and the further ones (one more probe, see
 * ansible-script.ts), names with '-' written with '_' as Ansible's fact namespace writes them.
 */
export async function gatherAnsibleFacts(
  transport: Transport,
  core: Facts,
  factPath?: string,
): Promise<Record<string, unknown>> {
  const r = await transport.exec(ansibleFactsScript(factPath), { purpose: 'probe' });
  if (r.code !== 0 && !r.stdout) throw new Error(`fact gathering failed: ${r.stderr.trim()}`);
  return ansibleFactsFrom(r.stdout, core).facts;
}

/** The facts from the output of ansible-script.ts's script. */
export function ansibleFactsFrom(
  stdout: string,
  core: Facts,
): { facts: Record<string, unknown>; warnings: string[] } {
  const s = splitSections(stdout);
  const { local, warnings } = localFacts(s.get('local') ?? '');
  // ansible_local keeps its prefix inside ansible_facts (vars/clean.py namespace_facts)
  const more = {
    ...systemFacts(s, core),
    ...networkFacts(s),
    ...mountFacts(s),
    ...deviceFacts(s),
    ...loadavgFacts(s.get('loadavg') ?? ''),
    ...capsFacts(s.get('caps') ?? ''),
    ...virtualFacts(s.get('virt') ?? ''),
    ...python(s.get('python') ?? ''),
    ansible_local: local,
  };
  const named = Object.entries(more).map(([k, v]) => [k.replaceAll('-', '_'), v] as const);
  const facts = {
    ...ansibleFacts(core),
    ...Object.fromEntries(named),
    gather_subset: ['all'],
    module_setup: true,
  };
  return { facts, warnings };
}

/** A fact's variable name: ansible_<key>, ansible_local as it is. */
export const factName = (key: string) => (key === 'ansible_local' ? key : `ansible_${key}`);

/** A fact's key inside `ansible_facts` (vars/clean.py namespace_facts): factName undone. */
export const factKey = (name: string) =>
  name.startsWith('ansible_') && name !== 'ansible_local' ? name.slice('ansible_'.length) : name;

/** The variables a task sees: `ansible_facts` and, for each fact, `ansible_<name>`. */
export function ansibleFactVars(facts: Record<string, unknown>): Record<string, unknown> {
  return {
    ansible_facts: facts,
    ...Object.fromEntries(Object.entries(facts).map(([k, v]) => [factName(k), v])),
  };
}
