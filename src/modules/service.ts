/**
 * `service`: started / stopped / restarted / reloaded, and enabled at boot. Uses systemd where
 * it runs, else the service's init script, else a plain daemon (`command` + `pidfile`), which
 * is what hosts without an init system (such as lab hosts) have.
 */
import { sh } from '../transport/shell.ts';
import { type Action, type Change, defineModule, type ProbeContext } from './types.ts';

export interface ServiceParams {
  name: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  /** For a plain daemon: the command that starts it in the background. */
  command?: string;
  pidfile?: string;
  daemon_reload?: boolean;
  /** systemd's daemon_reexec: the manager re-executed after any reload; never a change, as Ansible's. */
  daemon_reexec?: boolean;
  /** systemd only: masked (systemctl mask) or not, before anything else, as Ansible's systemd does. */
  masked?: boolean;
  /** systemd's no_block: every systemctl call of the task enqueues its job and returns (--no-block). */
  no_block?: boolean;
  /** systemd's scope: the system manager (quorum's); user and global need a user's session. */
  scope?: 'system' | 'user' | 'global';
  /**
   * The service action plugin's backend: `auto` (the host's service manager, the default),
   * `systemd` or `sysvinit` (that module, whatever the host runs), any other name the generic
   * service module, which detects the manager itself (2.19 falls back to it for a name it has no
   * module of: openrc, upstart ...).
   */
  use?: string;
}

type Manager = 'systemd' | 'initscript' | 'daemon';

interface Status {
  running: boolean;
  enabled?: boolean;
  masked?: boolean;
}

async function manager(ctx: ProbeContext, p: ServiceParams): Promise<Manager | undefined> {
  const use = (p.use ?? 'auto').toLowerCase();
  if (use === 'systemd') return 'systemd';
  const script = async () => (await ctx.probe(sh`test -x ${`/etc/init.d/${p.name}`}`)).code === 0;
  if (use === 'sysvinit') return (await script()) ? 'initscript' : undefined;
  if ((await ctx.facts()).init_system === 'systemd') return 'systemd';
  if (await script()) return 'initscript';
  if (p.command && p.pidfile) return 'daemon';
  return undefined;
}

async function status(ctx: ProbeContext, m: Manager, p: ServiceParams): Promise<Status> {
  if (m === 'systemd') {
    const r = await ctx.probe(sh`systemctl is-active ${p.name}; systemctl is-enabled ${p.name}`);
    const [active, enabled] = r.stdout.split('\n');
    return {
      running: active === 'active',
      enabled: enabled === 'enabled' || enabled === 'static',
      masked: enabled === 'masked',
    };
  }
  if (m === 'initscript') {
    // not every init script has `status` (keepalived's does not): then ask for the process
    const script = sh`${`/etc/init.d/${p.name}`}`;
    const r = await ctx.probe(
      `out=$(${script} status 2>&1); rc=$?; if [ $rc -ne 0 ] && printf '%s' "$out" | grep -qi usage; then pidof ${sh`${p.name}`} >/dev/null && rc=0 || rc=3; fi; echo $rc; ls /etc/rc[2345].d/ 2>/dev/null | grep -c ${sh`${`^S[0-9]*${p.name}$`}`} || true`,
    );
    const [code, links] = r.stdout.trim().split('\n');
    return { running: code === '0', enabled: Number(links) > 0 };
  }
  const r = await ctx.probe(
    sh`test -f ${p.pidfile!} && kill -0 "$(cat ${p.pidfile!})" 2>/dev/null && echo up || echo down`,
  );
  return { running: r.stdout.trim() === 'up' };
}

/** systemctl as ansible.builtin.systemd runs it for every call of the task (no_block adds --no-block). */
const systemctl = (p: { no_block?: boolean }) => (p.no_block ? 'systemctl --no-block' : 'systemctl');

function command(m: Manager, p: ServiceParams, verb: 'start' | 'stop' | 'restart' | 'reload'): string {
  if (m === 'systemd') return `${systemctl(p)} ${sh`${verb} ${p.name}`}`;
  if (m === 'initscript') {
    const script = sh`${`/etc/init.d/${p.name}`}`;
    // Many init scripts' restart races: stop returns while the old process still exits, and
    // start then sees it "already running" and does nothing. Stop, wait (bounded), start.
    const waitGone = `i=0; while pidof ${sh`${p.name}`} >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done`;
    if (verb === 'restart') return `${script} stop; ${waitGone}; ${script} start`;
    if (verb === 'stop') return `${script} stop && ${waitGone}`;
    return `${script} ${verb}`;
  }
  const pid = p.pidfile!;
  const stop = sh`if [ -f ${pid} ]; then kill "$(cat ${pid})" 2>/dev/null; i=0; while kill -0 "$(cat ${pid})" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; rm -f ${pid}; fi`;
  const start = `setsid sh -c ${sh`${`${p.command} >/dev/null 2>&1 </dev/null & echo $! > ${pid}`}`}`;
  if (verb === 'stop') return stop;
  if (verb === 'start') return start;
  if (verb === 'reload') return sh`kill -HUP "$(cat ${pid})"`;
  return `${stop}; ${start}`;
}

function enableCommand(m: Manager, p: ServiceParams, on: boolean): string {
  if (m === 'systemd') return `${systemctl(p)} ${sh`${on ? 'enable' : 'disable'} ${p.name}`}`;
  return on ? sh`update-rc.d ${p.name} defaults` : sh`update-rc.d -f ${p.name} remove`;
}

export const serviceModule = defineModule<Omit<ServiceParams, 'name'> & { name?: string }>({
  name: 'service',
  aliases: ['systemd', 'ansible.builtin.systemd', 'systemd_service', 'ansible.builtin.systemd_service'],
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9@_.:-]+$' },
      state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] },
      enabled: { type: 'boolean' },
      command: { type: 'string' },
      pidfile: { type: 'string' },
      daemon_reload: { type: 'boolean' },
      daemon_reexec: { type: 'boolean' },
      masked: { type: 'boolean' },
      no_block: { type: 'boolean' },
      scope: { enum: ['system', 'user', 'global'] },
      use: { type: 'string' },
    },
    // systemd's daemon_reload alone reloads unit files: work done, never a change (as Ansible)
    anyOf: [{ required: ['name'] }, { required: ['daemon_reload'] }, { required: ['daemon_reexec'] }],
    additionalProperties: false,
  },
  // ansible.builtin.systemd's own aliases (ansible-lockdown's DEBIAN12-CIS writes daemon-reload)
  paramAliases: { 'daemon-reload': 'daemon_reload', 'daemon-reexec': 'daemon_reexec', unit: 'name' },
  async plan(ctx, p) {
    if (p.scope !== undefined && p.scope !== 'system')
      return {
        changes: [],
        failed: `scope ${p.scope} is not supported: quorum manages the system's systemd (systemctl --${p.scope} needs that user's session)`,
      };
    // in the order ansible.builtin.systemd runs them
    const reload: Action[] = [
      ...(p.daemon_reload ? [{ kind: 'exec', command: `${systemctl(p)} daemon-reload` } as const] : []),
      ...(p.daemon_reexec ? [{ kind: 'exec', command: `${systemctl(p)} daemon-reexec` } as const] : []),
    ];
    if (p.name === undefined) return { changes: [], waits: reload };
    const named = p as ServiceParams;
    const m = await manager(ctx, named);
    if (!m) {
      return {
        changes: [],
        failed: `cannot manage service ${p.name}: no systemd, no /etc/init.d/${p.name}, and no command + pidfile given`,
      };
    }
    if (p.masked !== undefined && m !== 'systemd')
      return { changes: [], failed: `masked needs systemd; ${p.name} is managed by ${m}` };
    // the service module that manages it there has no such parameter: 2.19 refuses it as unsupported
    if (p.no_block !== undefined && m !== 'systemd')
      return { changes: [], failed: `no_block needs systemd; ${p.name} is managed by ${m}` };
    const st = await status(ctx, m, named);
    const changes: Change[] = [];
    const run = (summary: string, c: string): Change => ({
      summary,
      action: { kind: 'exec', command: c } as Action,
    });
    if (p.masked !== undefined && st.masked !== p.masked)
      changes.push(
        run(
          `${p.masked ? 'mask' : 'unmask'} ${p.name}`,
          `${systemctl(p)} ${sh`${p.masked ? 'mask' : 'unmask'} ${p.name}`}`,
        ),
      );
    if (p.state === 'started' && !st.running)
      changes.push(run(`start ${p.name}`, command(m, named, 'start')));
    if (p.state === 'stopped' && st.running) changes.push(run(`stop ${p.name}`, command(m, named, 'stop')));
    if (p.state === 'restarted')
      changes.push(run(`restart ${p.name}`, command(m, named, st.running ? 'restart' : 'start')));
    if (p.state === 'reloaded')
      changes.push(run(`reload ${p.name}`, command(m, named, st.running ? 'reload' : 'start')));
    if (p.enabled !== undefined && m !== 'daemon' && st.enabled !== p.enabled) {
      changes.push(
        run(`${p.enabled ? 'enable' : 'disable'} ${p.name} at boot`, enableCommand(m, named, p.enabled)),
      );
    }
    const result = { status: { running: st.running, enabled: st.enabled, manager: m } };
    // unit files are reloaded before a start or restart reads them; alone it is never a change
    if (reload.length && changes.length)
      changes.unshift({ summary: 'reload systemd unit files', action: reload[0] });
    return { changes, waits: changes.length ? undefined : reload, result };
  },
});
