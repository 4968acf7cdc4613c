/**
 * A module that ansible-core runs through an action plugin (code on the controller around the
 * module: kubernetes.core's k8s and helm families render `template:` files, ansible.posix.patch
 * sends its patch file, ansible.utils.update_fact works on the controller alone) is run by the
 * installed ansible-core itself, on this machine: its action plugin, and the module through
 * ansible-core's own module machinery, over a connection of quorum's. The Python program below
 * asks quorum, one JSON line at a time, to run a command on the host, to put a controller file
 * there or to fetch one; quorum runs each on the task's host with the task's become and
 * environment, and answers. Pipelining is on: a module goes on the command's stdin, as with
 * Ansible's ssh connection and `pipelining = True`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { PY_TRUSTED } from '../../template/jinja/python-helper.ts';
import { sh } from '../../transport/shell.ts';
import type { ExecResult } from '../../transport/types.ts';
import { ansibleInstall, ansiblePython } from './module-utils.ts';

const BRIDGE = String.raw`
import base64, json, os, sys
out, sys.stdout = sys.stdout, sys.stderr
def send(msg):
    out.write(json.dumps(msg, default=str) + '\n')
    out.flush()
def receive():
    line = sys.stdin.readline()
    if not line:
        raise SystemExit('quorum went away')
    return json.loads(line)
req = receive()
sys.path[:0] = req['paths']
os.environ['ANSIBLE_COLLECTIONS_PATH'] = os.pathsep.join(req['collections'])
${PY_TRUSTED}
try:
    from ansible.plugins.loader import action_loader, init_plugin_loader
    from ansible.plugins import loader as plugin_loader
    init_plugin_loader()
    for d in req['actionDirs']:
        action_loader.add_directory(d)
    from ansible.parsing.dataloader import DataLoader
    from ansible.playbook.play_context import PlayContext
    from ansible.playbook.task import Task
    from ansible.plugins.connection import ConnectionBase
    from ansible.template import Templar

    class QuorumConnection(ConnectionBase):
        """The task's host as quorum reaches it: every command, put and fetch goes to quorum."""
        # 'local' where the host is the controller: plugins (kubernetes.core's) then read their
        # files here, as with Ansible's local connection; else the host's, as over ssh
        transport = req['transport']
        has_pipelining = True
        def _connect(self):
            self._connected = True
            return self
        def is_pipelining_enabled(self, wrap_async=False):
            return not wrap_async
        def exec_command(self, cmd, in_data=None, sudoable=True):
            if isinstance(in_data, str):
                in_data = in_data.encode()
            send({'op': 'exec', 'cmd': cmd, 'stdin': base64.b64encode(in_data or b'').decode(), 'sudoable': sudoable})
            r = receive()
            return r['rc'], base64.b64decode(r['stdout']), base64.b64decode(r['stderr'])
        def put_file(self, in_path, out_path):
            send({'op': 'put', 'local': in_path, 'remote': out_path})
            r = receive()
            if r.get('error'):
                raise OSError(r['error'])
        def fetch_file(self, in_path, out_path):
            send({'op': 'fetch', 'remote': in_path, 'local': out_path})
            r = receive()
            if r.get('error'):
                raise OSError(r['error'])
        def close(self):
            self._connected = False

    loader = DataLoader()
    loader.set_basedir(req['basedir'])
    task_vars = trusted(req['vars'])
    # the magic \`vars\`: every variable, as ansible-core's VariableManager adds it
    task_vars.setdefault('vars', dict(task_vars))
    templar = Templar(loader, variables=task_vars)
    task = Task.load({req['module']: req['args']}, loader=loader)
    task.check_mode = req['check']
    task.diff = req['diff']
    task.no_log = req['noLog']
    search = list(req['search'])
    task.get_search_path = lambda: search
    context = PlayContext()
    context.check_mode = req['check']
    context.diff = req['diff']
    context.no_log = req['noLog']
    connection = QuorumConnection(context)
    found = action_loader.find_plugin_with_context(task.action, collection_list=task.collections)
    action = action_loader.get(found.resolved_fqcn if found.resolved else 'ansible.legacy.normal', task=task,
                               connection=connection, play_context=context, loader=loader, templar=templar,
                               shared_loader_obj=plugin_loader)
    send({'op': 'done', 'result': action.run(task_vars=task_vars)})
except SystemExit:
    raise
except Exception as e:
    send({'op': 'done', 'error': '%s: %s' % (type(e).__name__, e) if str(e) else type(e).__name__})
`;

export interface BridgeRequest {
  /** The module as the task names it (its action plugin is found by that name). */
  module: string;
  args: Record<string, unknown>;
  vars: Record<string, unknown>;
  check: boolean;
  diff: boolean;
  noLog: boolean;
  /** 'local' for a host reached without ssh (ansible_connection=local), else 'ssh'. */
  transport: 'local' | 'ssh';
  /** Where the action looks for its controller files (the role's folder first, then the playbook's). */
  search: string[];
  basedir: string;
  collections: string[];
  actionDirs: string[];
}

/** The host as the bridge reaches it. */
export interface BridgeHost {
  exec(command: string, stdin: Buffer, sudoable: boolean): Promise<ExecResult>;
}

type Message =
  | { op: 'exec'; cmd: string; stdin: string; sudoable: boolean }
  | { op: 'put'; local: string; remote: string }
  | { op: 'fetch'; remote: string; local: string }
  | { op: 'done'; result?: Record<string, unknown>; error?: string };

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

/** The action's result (as ansible-core's action returns it), or an error saying why it could not run. */
export async function runActionBridge(
  request: BridgeRequest,
  host: BridgeHost,
): Promise<Record<string, unknown>> {
  const install = ansibleInstall();
  if (install instanceof Error) throw install;
  const paths = [install.root, ...request.collections.map((c) => resolve(c, '..'))];
  const child = spawn(ansiblePython(), ['-c', BRIDGE], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  const exited = new Promise<number | null>((done) => child.on('close', done));
  const write = (msg: unknown) => child.stdin.write(`${JSON.stringify(msg)}\n`);
  write({ ...request, collections: request.collections.map((c) => resolve(c, '..')), paths });
  let answer: Message | undefined;
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const msg = JSON.parse(line) as Message;
      if (msg.op === 'done') {
        answer = msg;
        break;
      }
      write(await serve(msg, host));
    }
  } finally {
    child.stdin.end();
    // a bridge that hangs past its answer is ended: it is ours
    const timer = setTimeout(() => child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (answer?.op !== 'done')
    throw new Error(
      `ansible-core's action could not run: ${stderr.trim().split('\n').at(-1) ?? 'no answer'}`,
    );
  if (answer.error !== undefined) throw new Error(answer.error);
  return answer.result ?? {};
}

async function serve(msg: Exclude<Message, { op: 'done' }>, host: BridgeHost): Promise<unknown> {
  if (msg.op === 'exec') {
    const r = await host.exec(msg.cmd, Buffer.from(msg.stdin, 'base64'), msg.sudoable);
    return { rc: r.code, stdout: b64(r.stdout), stderr: b64(r.stderr) };
  }
  try {
    // as the connection's user, as Ansible's connection puts and fetches files
    if (msg.op === 'put') {
      const r = await host.exec(`cat > ${sh`${msg.remote}`}`, readFileSync(msg.local), false);
      return r.code === 0 ? {} : { error: `could not put ${msg.remote}: ${r.stderr.trim()}` };
    }
    const r = await host.exec(`base64 < ${sh`${msg.remote}`}`, Buffer.alloc(0), false);
    if (r.code !== 0) return { error: `could not fetch ${msg.remote}: ${r.stderr.trim()}` };
    writeFileSync(msg.local, Buffer.from(r.stdout.replace(/\s+/g, ''), 'base64'));
    return {};
  } catch (e) {
    return { error: (e as Error).message };
  }
}
