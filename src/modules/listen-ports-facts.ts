/**
 * community.general's `listen_ports_facts` (ansible 12.0.0, plugins/modules/listen_ports_facts.py):
 * the host's listening TCP and UDP sockets as facts `tcp_listen` / `udp_listen`, read as the
 * module reads them: `netstat -plunt` where there is one, else `ss -plunt` (or the `command`
 * given; `include_non_listening` adds `-a` and keeps state and foreign address), each parsed in
 * the module's way (netstat: a socket without a visible process is pid 0; ss: such a socket is
 * left out), then each pid's start time and user from `ps`. One probe for the table, one for
 * the pids.
 */
import { sh } from '../transport/shell.ts';
import { defineModule } from './types.ts';

interface ListenPortsParams {
  command?: 'netstat' | 'ss';
  include_non_listening?: boolean;
}

interface Socket {
  protocol: string;
  state: string;
  address: string;
  foreign_address: string;
  port: number;
  name: string;
  pid: number;
}

/** "51/sshd" as pid and name; anything else (netstat's "-") pid 0. */
function pidName(text: string): [number, string] {
  const at = text.indexOf('/');
  if (at < 0) return [0, ''];
  return [Number.parseInt(text.slice(0, at), 10), text.slice(at + 1).replace(/:+$/, '')];
}

function netstatSockets(raw: string): Socket[] {
  const out: Socket[] = [];
  for (const line of raw.split(/\r?\n/)) {
    if (!line.startsWith('tcp') && !line.startsWith('udp')) continue;
    const cells = line.split(/\s+/).filter(Boolean);
    const [proto, , , local, foreign, ...rest] = cells;
    const colon = local.lastIndexOf(':');
    const tcp = proto.startsWith('tcp');
    let state = '';
    let pidAndName = '';
    // the module takes the process column only where the line splits into its expected cells: a
    // program name with a blank (a process title) leaves the socket without a process (pid 0)
    if (tcp && (rest.length === 3 || rest.length === 2)) [state, pidAndName] = rest;
    if (!tcp && (rest.length === 2 || rest.length === 1)) pidAndName = rest[0];
    const [pid, name] = pidName(pidAndName);
    const socket = {
      protocol: tcp ? 'tcp' : 'udp',
      state,
      address: local.slice(0, colon),
      foreign_address: foreign,
      port: Number(local.slice(colon + 1)),
      name,
      pid,
    };
    if (!out.some((s) => JSON.stringify(s) === JSON.stringify(socket))) out.push(socket);
  }
  return out;
}

function ssSockets(raw: string): Socket[] | string {
  const lines = raw.split(/\r?\n/).filter((l, i) => i === 0 || l !== '');
  if (lines.length === 0 || !lines[0].startsWith('Netid ')) return `Unknown stdout format of \`ss\`: ${raw}`;
  const out: Socket[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.trim().split(/\s+/);
    const [protocol, state, , , local, peer] = cells;
    const process = cells.length > 6 ? line.trim().split(/\s+/).slice(6).join(' ') : '';
    const conn = /\[?(.+?)\]?:([0-9]+)$/.exec(local ?? '');
    if (!conn) continue;
    for (const m of process.matchAll(/"(.*?)",pid=(\d+)/g))
      out.push({
        protocol,
        state,
        address: conn[1],
        foreign_address: peer,
        port: Number(conn[2]),
        name: m[1],
        pid: Number(m[2]),
      });
  }
  return out;
}

export const listenPortsFactsModule = defineModule<ListenPortsParams>({
  name: 'listen_ports_facts',
  aliases: ['community.general.listen_ports_facts'],
  schema: {
    type: 'object',
    properties: {
      command: { enum: ['netstat', 'ss'] },
      include_non_listening: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const args = p.include_non_listening ? '-p -u -n -t -a' : '-p -l -u -n -t';
    const pick = p.command
      ? `command -v ${p.command} >/dev/null && echo ${p.command}`
      : 'if command -v netstat >/dev/null; then echo netstat; elif command -v ss >/dev/null; then echo ss; fi';
    // get_bin_path's search: PATH, then the sbin folders it lacks that exist
    const paths =
      'P="$PATH"; for d in /sbin /usr/sbin /usr/local/sbin; do case ":$P:" in *":$d:"*) ;; *) [ -e "$d" ] && P="$P:$d";; esac; done; echo "$P"';
    const r = await ctx.probe(
      `${paths}; c=$(PATH="$P"; ${pick}); echo "$c"; [ -z "$c" ] || PATH="$P" LC_ALL=C "$c" ${args}`,
    );
    const [searched = '', command = '', ...table] = r.stdout.split('\n');
    if (command === '')
      return {
        changes: [],
        failed: p.command
          ? `Failed to find required executable "${p.command}" in paths: ${searched}`
          : 'Unable to find any of the supported commands in PATH: netstat, ss',
      };
    const parsed = command === 'netstat' ? netstatSockets(table.join('\n')) : ssSockets(table.join('\n'));
    if (typeof parsed === 'string') return { changes: [], failed: parsed };
    const pids = [...new Set(parsed.map((s) => s.pid))];
    // ps's answers per pid: its start time and user ('' where ps fails, as for pid 0)
    const ps = pids.length
      ? await ctx.probe(
          pids
            .map(
              (pid) =>
                sh`printf '%s\\n' "$(ps -o lstart= -p ${String(pid)} 2>/dev/null)" "$(ps -o user= -p ${String(pid)} 2>/dev/null)"`,
            )
            .join('; '),
        )
      : { stdout: '' };
    const psLines = ps.stdout.split('\n');
    const facts: Record<string, unknown[]> = { tcp_listen: [], udp_listen: [] };
    for (const s of parsed) {
      const at = pids.indexOf(s.pid);
      // without include_non_listening the module drops the state and the peer
      const shown = p.include_non_listening
        ? s
        : { protocol: s.protocol, address: s.address, port: s.port, name: s.name, pid: s.pid };
      const socket = { ...shown, stime: psLines[at * 2] ?? '', user: psLines[at * 2 + 1] ?? '' };
      facts[s.protocol.startsWith('tcp') ? 'tcp_listen' : 'udp_listen'].push(socket);
    }
    return { changes: [], facts, result: { ansible_facts: facts } };
  },
});
