/**
 * community.general.listen_ports_facts held to the collection's module (ansible 12.0.0 on
 * ansible-core 2.19) side by side: a TCP and a UDP socket this test listens on (loopback), read
 * through netstat (the module's first choice) and through ss, with and without
 * include_non_listening: the same entries (pid, name, start time and user from ps) for those
 * ports, the facts set, and a command that is not there failing alike.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const tcp = createServer();
const udp = createSocket('udp4');
const ports = { tcp: 0, udp: 0 };
beforeAll(async () => {
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  ports.tcp = (tcp.address() as { port: number }).port;
  ports.udp = udp.address().port;
});
afterAll(() => {
  tcp.close();
  udp.close();
});

const mine = (r: string) =>
  `{{ [${r}.ansible_facts.tcp_listen | selectattr('port', 'equalto', ${ports.tcp}) | list, ${r}.ansible_facts.udp_listen | selectattr('port', 'equalto', ${ports.udp}) | list] }}`;

const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: netstat
      community.general.listen_ports_facts:
      register: n
    - name: as facts
      set_fact: { r0: "${mine('n')}", r1: "{{ tcp_listen | length > 0 }}" }
    - name: ss
      community.general.listen_ports_facts: { command: ss }
      register: s
    - name: non-listening too
      community.general.listen_ports_facts: { command: ss, include_non_listening: true }
      register: a
    - name: collect
      set_fact: { r2: "${mine('s')}", r3: "${mine('a')}" }
    - name: no such command
      community.general.listen_ports_facts: { command: netstat }
      environment: { PATH: /nowhere }
      register: r4
      ignore_errors: true
    - name: results
      copy: { dest: ${d}/results.json, content: "{{ [r0, r1, r2, r3, r4.msg] | to_json }}" }
`;

it('lists the sockets as the collection does, through netstat and ss', async () => {
  const sides = await sideBySide(play);
  expect(sameStatuses(sides)).toMatchObject({ netstat: 'ok', ss: 'ok', 'no such command': 'failed' });
  const [viaNetstat, hasFacts, viaSs, all] = sameResults(sides.out) as unknown as Array<
    Array<Array<Record<string, unknown>>>
  >;
  expect(hasFacts).toBe(true);
  expect(viaNetstat).toEqual([
    [expect.objectContaining({ protocol: 'tcp', address: '127.0.0.1', port: ports.tcp })],
    [expect.objectContaining({ protocol: 'udp', address: '127.0.0.1', port: ports.udp })],
  ]);
  // ss names the process even where its title has blanks (netstat's column then splits, and the
  // module leaves the socket without a process: pid 0 on both sides)
  const entry = { pid: process.pid, user: 'root', stime: expect.stringMatching(/\d\d:\d\d:\d\d \d{4}$/) };
  expect(viaSs[0][0]).toMatchObject({ protocol: 'tcp', port: ports.tcp, ...entry });
  expect(all[0][0]).toMatchObject({ state: 'LISTEN', foreign_address: '0.0.0.0:*', ...entry });
});
