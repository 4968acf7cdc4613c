/**
 * ansible.posix.firewalld's parameters: the module's checks of them (in its words, offline),
 * and what the one thing a task names is to firewall-cmd (its query, add and remove options)
 * and to the module's messages.
 */
import { quote } from '../transport/shell.ts';

export interface FirewalldParams {
  icmp_block?: string;
  icmp_block_inversion?: boolean;
  service?: string;
  protocol?: string;
  port?: string;
  port_forward?: Array<{ port?: unknown; proto?: string; toport?: unknown; toaddr?: string }>;
  rich_rule?: string;
  zone?: string;
  immediate?: boolean;
  source?: string;
  permanent?: boolean;
  state: 'absent' | 'disabled' | 'enabled' | 'present';
  timeout?: number;
  interface?: string;
  forward?: boolean;
  masquerade?: boolean;
  offline?: boolean;
  target?: 'default' | 'ACCEPT' | 'DROP' | '%%REJECT%%';
}

/** How the module words an error firewalld raised (the D-Bus exception's name, then firewalld's words). */
export const FW_ERROR = 'ERROR: Exception caught: org.fedoraproject.FirewallD1.Exception: ';
/** What the module adds to an INVALID_SERVICE error. */
export const SERVICE_HINT =
  'Services are defined by port/tcp relationship and named as they are in /etc/services (on most systems)';

const EXCLUSIVE = [
  ...['icmp_block', 'icmp_block_inversion', 'service', 'protocol', 'port', 'port_forward', 'rich_rule'],
  ...['interface', 'forward', 'masquerade', 'source', 'target'],
] as const;

/** The module's checks before it touches firewalld, in its order and words. */
export function checkFirewalld(p: FirewalldParams): string[] {
  if (EXCLUSIVE.filter((k) => p[k] !== undefined).length > 1)
    return [`parameters are mutually exclusive: ${EXCLUSIVE.join('|')}`];
  for (const k of ['interface', 'target'] as const)
    if (p[k] !== undefined && p.zone === undefined) return [`missing parameter(s) required by '${k}': zone`];
  if (p.offline && !p.permanent) return ['offline cannot be enabled unless permanent changes are allowed'];
  if (p.port !== undefined) {
    const parts = p.port.trim().split('/');
    if (parts.length > 2) return [`port ${p.port}: more than one "/" (the module fails here unpacking it)`];
    if (parts.length < 2 || !parts[1]) return ['improper port format (missing protocol?)'];
  }
  const forward = p.port_forward;
  if (forward !== undefined) {
    if (forward.length > 1) return ['Only one port forward supported at a time'];
    const [f] = forward;
    if (f?.port === undefined) return ['port must be specified for port forward'];
    if (f.proto === undefined) return ['proto udp/tcp must be specified for port forward'];
    if (f.toport === undefined) return ['toport must be specified for port forward'];
  }
  const modification = EXCLUSIVE.some((k) => p[k] !== undefined && p[k] !== false && p[k] !== '');
  if (modification && (p.state === 'absent' || p.state === 'present') && p.target === undefined)
    return ['absent and present state can only be used in zone level operations'];
  return [];
}

export interface FirewalldKind {
  type: 'rule' | 'zone' | 'target' | 'none';
  /** firewall-cmd's name of it (`service` for --query-service). */
  option: string;
  value?: string;
  /** The state the transaction is asked for (a boolean parameter turns `disabled` around). */
  desired(state: string): string;
  enabledValues: string[];
  disabledValues: string[];
  enable(permanent: boolean, timeout?: number): string;
  disable(permanent: boolean): string;
  /** Not under --zone (new and deleted zones). */
  zoneless?: boolean;
  enabledMsg?(zone: string): string;
  disabledMsg?(zone: string): string;
  /** What main() adds when it changed. */
  changedMsg?(state: string, py: (v: unknown) => string): string;
}

const timed = (permanent: boolean, timeout?: number) =>
  !permanent && timeout ? ` --timeout=${timeout}s` : '';

function listed(option: string, value: string, label: string, withTimeout = true): FirewalldKind {
  return {
    type: 'rule',
    option,
    value,
    desired: (s) => s,
    enabledValues: ['enabled'],
    disabledValues: ['disabled'],
    enable: (perm, t) => `--add-${option}=${quote(value)}${withTimeout ? timed(perm, t) : ''}`,
    disable: () => `--remove-${option}=${quote(value)}`,
    changedMsg: (s) => `Changed ${label} ${value} to ${s}`,
  };
}

function toggle(option: string, given: boolean, named?: string): FirewalldKind {
  return {
    type: 'rule',
    option,
    desired: (s) => ((s === 'enabled') === given ? 'enabled' : 'disabled'),
    enabledValues: ['enabled'],
    disabledValues: ['disabled'],
    enable: () => `--add-${option}`,
    disable: () => `--remove-${option}`,
    ...(named
      ? {
          enabledMsg: (z: string) => `Added ${named} to zone ${z}`,
          disabledMsg: (z: string) => `Removed ${named} from zone ${z}`,
        }
      : { changedMsg: (s: string, py: (v: unknown) => string) => `Changed ${option} ${py(given)} to ${s}` }),
  };
}

/** The one thing the task names (the parameters are mutually exclusive). */
export function firewalldKind(p: FirewalldParams): FirewalldKind {
  if (p.icmp_block !== undefined) return listed('icmp-block', p.icmp_block, 'icmp-block');
  if (p.icmp_block_inversion !== undefined) return toggle('icmp-block-inversion', p.icmp_block_inversion);
  if (p.service !== undefined) return listed('service', p.service, 'service');
  if (p.protocol !== undefined) return listed('protocol', p.protocol, 'protocol');
  if (p.source !== undefined) {
    const source = p.source;
    return {
      ...listed('source', source, 'source', false),
      changedMsg: undefined,
      enabledMsg: (z) => `Added ${source} to zone ${z}`,
      disabledMsg: (z) => `Removed ${source} from zone ${z}`,
    };
  }
  if (p.port !== undefined) {
    const [port, proto] = p.port.trim().split('/');
    return listed('port', `${port}/${proto}`, 'port');
  }
  if (p.port_forward !== undefined) {
    const f = p.port_forward[0];
    const toaddr = f.toaddr ?? '';
    const value = `port=${f.port}:proto=${f.proto}:toport=${f.toport}${toaddr ? `:toaddr=${toaddr}` : ''}`;
    return {
      ...listed('forward-port', value, 'port_forward'),
      changedMsg: (s) =>
        `Changed port_forward port=${f.port}:proto=${f.proto}:toport=${f.toport}:toaddr=${toaddr} to ${s}`,
    };
  }
  if (p.rich_rule !== undefined) return listed('rich-rule', p.rich_rule, 'rich_rule');
  if (p.interface !== undefined) {
    const iface = p.interface;
    return {
      ...listed('interface', iface, 'interface', false),
      // changeZoneOfInterface: out of the zone it is in, into this one
      enable: () => `--change-interface=${quote(iface)}`,
      changedMsg: undefined,
      enabledMsg: (z) => `Changed ${iface} to zone ${z}`,
      disabledMsg: (z) => `Removed ${iface} from zone ${z}`,
    };
  }
  if (p.forward !== undefined) return toggle('forward', p.forward, 'forward');
  if (p.masquerade !== undefined) return toggle('masquerade', p.masquerade, 'masquerade');
  if (p.target !== undefined) {
    const target = p.target;
    return {
      type: 'target',
      option: 'target',
      value: target,
      desired: (s) => s,
      enabledValues: ['present', 'enabled'],
      disabledValues: ['absent', 'disabled'],
      enable: () => `--set-target=${quote(target)}`,
      disable: () => '--set-target=default',
      enabledMsg: (z) => `Set zone ${z} target to ${target}`,
      disabledMsg: (z) => `Reset zone ${z} target to default`,
    };
  }
  if (p.state === 'present' || p.state === 'absent')
    return {
      type: 'zone',
      option: 'zone',
      desired: (s) => s,
      enabledValues: ['present'],
      disabledValues: ['absent'],
      zoneless: true,
      enable: () => `--new-zone=${quote(p.zone ?? '')}`,
      disable: () => `--delete-zone=${quote(p.zone ?? '')}`,
      enabledMsg: (z) => `Added zone ${z}`,
      disabledMsg: (z) => `Removed zone ${z}`,
      changedMsg: (s) => `Changed zone ${p.zone ?? 'None'} to ${s}`,
    };
  return {
    type: 'none',
    option: '',
    desired: (s) => s,
    enabledValues: [],
    disabledValues: [],
    enable: () => '',
    disable: () => '',
  };
}
