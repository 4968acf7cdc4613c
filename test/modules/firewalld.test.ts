/**
 * ansible.posix.firewalld held to the collection's module (Debian 13's ansible 12.0.0 under
 * ansible-core 2.19) against a real firewalld: each side in network, mount and PID namespaces of
 * its own made by this test, with its own /run (a system D-Bus started there), its own copy of
 * /etc/firewalld and a firewalld daemon, so neither side nor this machine sees the other's
 * firewall. The same tasks through ansible-playbook and quorum: the same status task by task,
 * the same messages, the same running and permanent configuration left; then quorum's second
 * run and a check run of the converged tasks change nothing.
 */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUORUM_BIN } from '../helpers/cli.ts';
import { ANSIBLE_CURRENT, inNamespaces, jsonSteps } from '../helpers/own-namespaces.ts';
import { validateCli, workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses, tableTasks } from '../helpers/side-by-side.ts';

const ANSIBLE = ANSIBLE_CURRENT;
const canRun =
  process.getuid?.() === 0 && existsSync('/usr/sbin/firewalld') && existsSync('/usr/bin/dbus-daemon');

/** The namespaces' start: D-Bus, then firewalld, waited for (bounded); then the command. */
const BOOT = `
set -e
mount --make-rprivate /
mount -t tmpfs tmpfs /run
mkdir -p /run/dbus
mount --bind "$0/etc-firewalld" /etc/firewalld
ip link set lo up
dbus-daemon --system --fork --nopidfile
firewalld --nofork --nopid > "$0/firewalld.log" 2>&1 &
i=0
until firewall-cmd --state >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -lt 150 ] || { echo "firewalld did not start" >&2; cat "$0/firewalld.log" >&2; exit 1; }
  sleep 0.1
done
set +e
"$@"`;

const inOwnFirewall = (state: string, script: string, cwd: string) =>
  inNamespaces(['--net', '--mount', '--pid', '--fork', 'sh', '-c', BOOT, state], ['sh', '-c', script], cwd);

const TASKS: Array<[string, string, boolean?]> = [
  ['http, permanent and now', 'service: http, permanent: true, immediate: true, state: enabled'],
  ['http again', 'service: http, permanent: true, immediate: true, state: enabled'],
  ['a port, now only', 'port: 8080/tcp, state: enabled'],
  ['the port again', 'port: 8080/tcp, state: enabled'],
  ['a source, permanent', 'source: 10.1.0.0/16, zone: trusted, permanent: true, state: enabled'],
  ['lo into internal', 'interface: lo, zone: internal, permanent: true, immediate: true, state: enabled'],
  ['masquerade', 'masquerade: true, zone: public, permanent: true, state: enabled'],
  ['forward', 'forward: true, zone: internal, permanent: true, state: enabled'],
  [
    'a rich rule',
    'rich_rule: rule family="ipv4" source address="10.2.0.0/16" service name="ssh" accept, permanent: true, immediate: true, state: enabled',
  ],
  ['an icmp block', 'icmp_block: echo-request, state: enabled'],
  ['icmp block inversion', 'icmp_block_inversion: true, zone: block, permanent: true, state: enabled'],
  ['a target', 'target: DROP, zone: internal, permanent: true, state: present'],
  ['a new zone', 'zone: custom1, permanent: true, state: present'],
  ['the zone again', 'zone: custom1, permanent: true, state: present'],
  ['a port forward', 'port_forward: [{port: 2222, proto: tcp, toport: 22}], state: enabled'],
  ['a protocol', 'protocol: gre, permanent: true, state: enabled'],
  ['http off now', 'service: http, state: disabled'],
  ['a zone removed', 'zone: custom1, permanent: true, state: absent'],
  ['a service firewalld does not know', 'service: no-such-service, state: enabled', true],
  ['a zone that is not there', 'service: http, zone: nowhere, state: enabled', true],
  ['a zone, not permanent', 'zone: custom2, state: present', true],
];

const play = (tasks: typeof TASKS, out: string) => `
- hosts: all
  gather_facts: false
  tasks:
${tableTasks('ansible.posix.firewalld', tasks)}
    - name: messages
      copy:
        dest: ${out}/messages
        content: |
${tasks.map((_, i) => `          {{ r${i}.msg | default('-') }}`).join('\n')}
`;

const DUMP = [
  'echo @@state',
  'for z in public internal trusted block; do firewall-cmd --zone=$z --list-all; firewall-cmd --permanent --zone=$z --list-all; done',
  'firewall-cmd --permanent --get-zones',
  'cat messages',
].join('; ');

describe.skipIf(!canRun)('firewalld, as ansible.posix (ansible-core 2.19)', () => {
  it('changes what the collection changes, task by task, and leaves the same firewall', async () => {
    const dir = workspace();
    const sides = { q: join(dir, 'q'), a: join(dir, 'a') };
    // the tasks whose end state the play keeps, for the second run and the check run
    const undone = ['http, permanent and now', 'http again', 'a new zone', 'the zone again'];
    const converged = TASKS.filter(([n, , fails]) => !fails && !undone.includes(n));
    for (const s of Object.values(sides)) {
      cpSync('/etc/firewalld', join(s, 'etc-firewalld'), { recursive: true });
      writeFiles(s, {
        'hosts.ini': 'h1 ansible_connection=local\n',
        'play.yml': play(TASKS, s),
        'converged.yml': play(converged, s),
      });
    }
    const q = `${process.execPath} ${QUORUM_BIN} play`;
    const opts = '-i hosts.ini --json --no-journal';
    const [mine, theirs] = await Promise.all([
      inOwnFirewall(
        sides.q,
        `${q} play.yml ${opts}; r=$?; ${DUMP}; echo @@second; ${q} converged.yml ${opts}; echo @@check; ${q} converged.yml ${opts} --check; exit $r`,
        sides.q,
      ),
      inOwnFirewall(
        sides.a,
        `bash ${ANSIBLE} ansible-playbook -i hosts.ini play.yml; r=$?; ${DUMP}; exit $r`,
        sides.a,
      ),
    ]);
    expect(theirs.code, theirs.stdout).toBe(0);
    expect(mine.code, mine.stdout).toBe(0);
    const [first, state, second, check] = mine.stdout.split(/^@@\w+$/m);
    const stepsOf = jsonSteps;
    const statuses = Object.fromEntries(stepsOf(first).map((e) => [e.task, e.status]));
    expect(statuses).toEqual(ansibleStatuses(theirs.stdout));
    expect(statuses).toMatchObject({ 'http again': 'ok', 'a zone removed': 'changed' });
    // the running and permanent zones, the zones, and every task's message
    expect(state).toBe(theirs.stdout.split(/^@@state$/m)[1]);
    expect(state).toContain(
      'ERROR: Exception caught: org.fedoraproject.FirewallD1.Exception: INVALID_ZONE: nowhere',
    );
    // the firewall's tasks (the messages file differs from the first run's)
    const notOk = (out: string) => stepsOf(out).filter((e) => e.status !== 'ok' && e.task !== 'messages');
    expect(stepsOf(second).length).toBe(converged.length + 1);
    expect(notOk(second)).toEqual([]);
    expect(notOk(check)).toEqual([]);
  }, 300_000);

  it("refuses the module's bad arguments before any host, in its words, with their place", () => {
    for (const [args, words] of [
      [
        'service: http, port: 80/tcp, state: enabled',
        'parameters are mutually exclusive: icmp_block|icmp_block_inversion',
      ],
      ['interface: lo, state: enabled', "missing parameter(s) required by 'interface': zone"],
      ['port: "80", state: enabled', 'improper port format (missing protocol?)'],
      ['service: http, state: present', 'absent and present state can only be used in zone level operations'],
    ]) {
      const r = validateCli(
        `- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.posix.firewalld: { ${args} }\n`,
      );
      expect(r.code, args).toBe(1);
      expect(r.stderr, args).toContain(words);
      expect(r.stderr, args).toMatch(/play\.yml:4:\d+/);
    }
  });
});
