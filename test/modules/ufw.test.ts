/**
 * community.general.ufw held to the collection's module (Debian 13's ansible 12.0.0 under
 * ansible-core 2.19) on this machine's ufw, each side in a network and mount namespace of its
 * own made by this test: its own iptables, its own copy of /etc/ufw and /etc/default/ufw, so
 * neither side nor this machine's firewall sees the other's. The same tasks through
 * ansible-playbook and quorum: the same status task by task, the same ufw files and
 * `ufw status verbose` left behind; then a check run of the converged tasks plans nothing, and
 * quorum's second run changes nothing.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUORUM_BIN } from '../helpers/cli.ts';
import { ANSIBLE_CURRENT, inNamespaces, jsonSteps } from '../helpers/own-namespaces.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses, tableTasks } from '../helpers/side-by-side.ts';

const ANSIBLE = ANSIBLE_CURRENT;
const canRun = process.getuid?.() === 0 && existsSync('/usr/sbin/ufw');

/** Runs `argv` in new network + mount namespaces where /etc/ufw and /etc/default/ufw are `state`'s copies. */
const inOwnFirewall = (state: string, argv: string[], cwd: string) =>
  inNamespaces(
    [
      '--net',
      '--mount',
      'sh',
      '-c',
      'mount --make-rprivate / && mount --bind "$0/ufw" /etc/ufw && mount --bind "$0/default-ufw" /etc/default/ufw && ip link set lo up && exec "$@"',
      state,
    ],
    argv,
    cwd,
  );

const TASKS: Array<[string, string, boolean?]> = [
  ['allow ssh', 'rule: allow, port: "22", proto: tcp'],
  ['allow ssh again', 'rule: allow, port: "22", proto: tcp'],
  ['default deny incoming (already)', 'default: deny, direction: incoming'],
  ['default reject outgoing', 'policy: reject, direction: outgoing'],
  ['enable', 'state: enabled'],
  ['enable again', 'state: enabled'],
  ['web from one address, commented', 'rule: allow, src: 10.0.0.1, port: "80", proto: tcp, comment: web'],
  ['the same again', 'rule: allow, src: 10.0.0.1, port: "80", proto: tcp, comment: web'],
  ['a new comment on it', 'rule: allow, src: 10.0.0.1, port: "80", proto: tcp, comment: www'],
  ['an IPv6 source', 'rule: deny, from_ip: "2001:db8::1", to_port: "25", proto: tcp'],
  ['logging medium', 'logging: medium'],
  ['logging on keeps medium', 'logging: "on"'],
  ['logging off', 'logging: "off"'],
  ['insert first', 'rule: deny, src: 10.0.0.2, insert: 1'],
  ['insert second', 'rule: reject, src: 10.0.0.4, insert: 1, insert_relative_to: first-ipv4'],
  // the module counts a rule from an IPv6 address as IPv4 (its line has no "(v6)"): ufw refuses
  [
    'insert after the last IPv4',
    'rule: reject, src: 10.0.0.3, insert: 0, insert_relative_to: last-ipv4',
    true,
  ],
  ['route between interfaces', 'rule: allow, route: true, interface_in: lo, interface_out: lo'],
  [
    'out on an interface, logged',
    'rule: allow, direction: out, interface: lo, to_port: "53", proto: udp, log: true',
  ],
  ['an application profile', 'rule: allow, name: WWW'],
  ['delete ssh', 'rule: allow, port: "22", proto: tcp, delete: true'],
  ['delete ssh again', 'rule: allow, port: "22", proto: tcp, delete: true'],
  ['routed policy while routing is off', 'default: allow, direction: routed'],
  ['reload', 'state: reloaded'],
  ['a rule with a default direction', 'rule: allow, direction: incoming, port: "9"', true],
  ['two interfaces without route', 'rule: allow, interface_in: lo, interface_out: lo', true],
];

const play = (tasks: typeof TASKS) => `
- hosts: all
  gather_facts: false
  tasks:
${tableTasks('community.general.ufw', tasks)}
`;

/** What the side's firewall left: ufw's files and status. */
const leftBehind = (state: string) =>
  ['ufw/user.rules', 'ufw/user6.rules', 'ufw/ufw.conf', 'default-ufw'].map((f) =>
    readFileSync(join(state, f), 'utf8'),
  );

describe.skipIf(!canRun)('ufw, as community.general (ansible-core 2.19)', () => {
  it('changes what the collection changes, task by task, and leaves the same firewall', async () => {
    const dir = workspace();
    const sides = { q: join(dir, 'q'), a: join(dir, 'a') };
    for (const s of Object.values(sides)) {
      cpSync('/etc/ufw', join(s, 'ufw'), { recursive: true });
      cpSync('/etc/default/ufw', join(s, 'default-ufw'));
    }
    // the tasks whose end state the play keeps (not those a later task undoes, nor reload)
    const undone = ['allow ssh', 'allow ssh again', 'web from one address, commented', 'the same again'];
    const converged = TASKS.filter(
      ([n, , fails]) => !fails && n !== 'reload' && !n.startsWith('logging') && !undone.includes(n),
    );
    converged.push(['logging off', 'logging: "off"']);
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': play(TASKS),
      'check.yml': play(converged),
    });
    const q = [process.execPath, QUORUM_BIN, 'play'];
    const opts = '-i hosts.ini --json --no-journal';
    // quorum's side: the play, a second run and a check run of the converged tasks, all in one
    // namespace (a new one would find ufw enabled but its rules not loaded)
    const [mine, theirs] = await Promise.all([
      inOwnFirewall(
        sides.q,
        [
          'sh',
          '-c',
          `"$@" play.yml ${opts}; r=$?; echo @@second; "$@" check.yml ${opts}; echo @@check; "$@" check.yml ${opts} --check; echo @@status; LANG=C ufw status verbose; exit $r`,
          'q',
          ...q,
        ],
        dir,
      ),
      inOwnFirewall(
        sides.a,
        [
          'sh',
          '-c',
          '"$@"; r=$?; echo @@status; LANG=C ufw status verbose; exit $r',
          'a',
          'bash',
          ANSIBLE,
          'ansible-playbook',
          '-i',
          'hosts.ini',
          'play.yml',
        ],
        dir,
      ),
    ]);
    expect(theirs.code, theirs.stdout).toBe(0);
    expect(mine.code, mine.stdout).toBe(0);
    const [first, second, check, finalStatus] = mine.stdout.split(/^@@\w+$/m);
    const stepsOf = jsonSteps;
    const statuses = Object.fromEntries(stepsOf(first).map((e) => [e.task, e.status]));
    expect(statuses).toEqual(ansibleStatuses(theirs.stdout));
    expect(statuses).toMatchObject({ 'allow ssh': 'changed', 'allow ssh again': 'ok', reload: 'changed' });
    expect(leftBehind(sides.q)).toEqual(leftBehind(sides.a));
    expect(finalStatus).toBe(theirs.stdout.split(/^@@status$/m)[1]);
    expect(finalStatus).toContain('Status: active');
    const failures = stepsOf(first)
      .filter((e) => e.status === 'failed')
      .map((e) => e.error?.message);
    expect(failures).toEqual([
      "ERROR: Invalid position '6'",
      'For rules, direction must be one of "in" and "out", or direction must not be specified.',
      'Only route rules can combine interface_in and interface_out',
    ]);
    const notOk = (out: string) => stepsOf(out).filter((e) => e.status !== 'ok');
    expect(stepsOf(second).length).toBe(converged.length);
    expect(notOk(second)).toEqual([]);
    expect(notOk(check)).toEqual([]);
  }, 300_000);
});
