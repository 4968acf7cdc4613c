/**
 * iptables held to ansible-core 2.19's module on this machine's iptables (nf_tables), each side
 * in a network namespace of its own made by this test, so neither side nor this machine sees the
 * other's rules. The same tasks through ansible-playbook and quorum: the same status task by
 * task, the same registered fields, the same `iptables-save` and `ip6tables-save` left; then on
 * quorum's side a second run of the tasks whose end state the play keeps changes nothing, and a
 * check run of them plans nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUORUM_BIN } from '../helpers/cli.ts';
import { ANSIBLE_CURRENT, inNamespaces, jsonSteps } from '../helpers/own-namespaces.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses, resultsTask, tableTasks } from '../helpers/side-by-side.ts';

const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/iptables');

/** `argv` in a network namespace of its own, its loopback up. */
const inOwnNetwork = (argv: string[], cwd: string) =>
  inNamespaces(['--net', 'sh', '-c', 'ip link set lo up && exec "$@"', 'netns'], argv, cwd);

const TASKS: Array<[string, string, boolean?]> = [
  [
    'ssh, new connections',
    'chain: INPUT, protocol: tcp, destination_port: 22, ctstate: [NEW], syn: match, jump: ACCEPT, comment: ssh',
  ],
  [
    'ssh again',
    'chain: INPUT, protocol: tcp, destination_port: 22, ctstate: [NEW], syn: match, jump: ACCEPT, comment: ssh',
  ],
  ['a network dropped first', 'chain: INPUT, action: insert, rule_num: 1, source: 10.0.0.0/8, jump: DROP'],
  ['web ports', 'chain: INPUT, protocol: tcp, destination_ports: ["80", "443:445"], jump: ACCEPT'],
  ['logged, limited', 'chain: INPUT, limit: 5/min, log_prefix: "dropped: ", log_level: 4'],
  ['logging with another jump', 'chain: INPUT, log_prefix: x, jump: ACCEPT', true],
  ['forward policy', 'chain: FORWARD, policy: DROP'],
  ['forward policy again', 'chain: FORWARD, policy: DROP'],
  ['a chain of our own', 'chain: WEB, chain_management: true'],
  ['that chain again', 'chain: WEB, chain_management: true'],
  ['a rule in it', 'chain: WEB, in_interface: lo, jump: RETURN'],
  [
    'web ports removed',
    'chain: INPUT, protocol: tcp, destination_ports: ["80", "443:445"], jump: ACCEPT, state: absent',
  ],
  [
    'web ports removed again',
    'chain: INPUT, protocol: tcp, destination_ports: ["80", "443:445"], jump: ACCEPT, state: absent',
  ],
  ['both families', 'chain: INPUT, ip_version: both, protocol: tcp, destination_port: "8080", jump: ACCEPT'],
  ['nat', 'table: nat, chain: POSTROUTING, out_interface: lo, jump: MASQUERADE'],
  ['rejected with', 'chain: INPUT, protocol: udp, destination_port: 53, reject_with: icmp-port-unreachable'],
  ['ping', 'chain: INPUT, protocol: icmp, icmp_type: echo-request, jump: ACCEPT'],
  [
    'not from a network',
    'chain: INPUT, protocol: tcp, destination_port: 25, source: "!192.168.0.0/16", jump: ACCEPT',
  ],
  ['an address range', 'chain: INPUT, src_range: 10.1.0.1-10.1.0.9, jump: DROP'],
  ['flushed', 'chain: WEB, flush: true'],
  ['the chain deleted', 'chain: WEB, chain_management: true, state: absent'],
  ['a chain not there, absent', 'chain: NOPE, state: absent'],
  ['a mark without a jump', 'chain: INPUT, set_dscp_mark: "10"', true],
  ['tee without a gateway', 'table: mangle, chain: PREROUTING, jump: TEE', true],
];

const play = (tasks: typeof TASKS) => `
- hosts: all
  gather_facts: false
  tasks:
${tableTasks('iptables', tasks)}
${resultsTask('"{{ playbook_dir }}/{{ side }}.json"', tasks.length, ['invocation', 'warnings', 'exception', 'cmd', 'stdout', 'stderr', 'rc', 'stdout_lines', 'stderr_lines'])}
`;

/** The rules a side left, counters and the save's comment lines taken out. */
const rulesOf = (out: string) =>
  out
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/, '[0:0]'))
    .join('\n');

const SAVE = 'echo @@rules; iptables-save; echo @@rules6; ip6tables-save';

describe.skipIf(!canRun)('iptables, as ansible-core 2.19', () => {
  it('changes what the module changes, task by task, and leaves the same rules', async () => {
    const dir = workspace();
    const undone = [
      'web ports',
      'forward policy',
      'a chain of our own',
      'that chain again',
      'a rule in it',
      'flushed',
    ];
    const converged = TASKS.filter(([n, , fails]) => !fails && !undone.includes(n));
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': play(TASKS),
      'check.yml': play(converged),
    });
    const opts = '-i hosts.ini --json --no-journal';
    const [mine, theirs] = await Promise.all([
      inOwnNetwork(
        [
          'sh',
          '-c',
          `"$@" play.yml ${opts} -e side=q; r=$?; echo @@second; "$@" check.yml ${opts} -e side=q2; echo @@check; "$@" check.yml ${opts} -e side=q3 --check; ${SAVE}; exit $r`,
          'q',
          process.execPath,
          QUORUM_BIN,
          'play',
        ],
        dir,
      ),
      inOwnNetwork(
        [
          'sh',
          '-c',
          `"$@"; r=$?; ${SAVE}; exit $r`,
          'a',
          'bash',
          ANSIBLE_CURRENT,
          'ansible-playbook',
          '-i',
          'hosts.ini',
          'play.yml',
          '-e',
          'side=a',
        ],
        dir,
      ),
    ]);
    expect(theirs.code, theirs.stdout).toBe(0);
    expect(mine.code, mine.stdout).toBe(0);
    const [first, second, check, rules, rules6] = mine.stdout.split(/^@@\w+$/m);
    const statuses = Object.fromEntries(jsonSteps(first).map((e) => [e.task, e.status]));
    expect(statuses).toEqual(ansibleStatuses(theirs.stdout));
    expect(statuses).toMatchObject({
      'ssh, new connections': 'changed',
      'ssh again': 'ok',
      'forward policy again': 'ok',
      'web ports removed': 'changed',
      'web ports removed again': 'ok',
      'a chain not there, absent': 'ok',
      'a mark without a jump': 'failed',
    });
    const results = (side: string) => JSON.parse(readFileSync(join(dir, `${side}.json`), 'utf8'));
    expect(results('q')).toEqual(results('a'));
    const [theirRules, theirRules6] = theirs.stdout.split(/^@@\w+$/m).slice(1);
    expect(rulesOf(rules)).toBe(rulesOf(theirRules));
    expect(rulesOf(rules6)).toBe(rulesOf(theirRules6));
    expect(rules).toContain(
      '-A INPUT -p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -m conntrack --ctstate NEW -m comment --comment ssh -j ACCEPT',
    );
    expect(rules6).toContain('--dport 8080 -j ACCEPT');
    const notOk = (out: string) => jsonSteps(out).filter((e) => e.status !== 'ok' && e.task !== 'results');
    expect(jsonSteps(second).length).toBe(converged.length + 1);
    expect(notOk(second)).toEqual([]);
    expect(notOk(check)).toEqual([]);
  }, 300_000);
});
