/**
 * One Python process for the run's plugin calls (filters, tests, lookups of the content's own),
 * answering synchronously: a template's render calls a plugin in the middle of the engine's
 * work, so the call cannot wait on a promise. A worker thread owns the process and talks to it
 * over pipes; the render's thread posts a request and sleeps on a shared flag (Atomics.wait)
 * until the worker has the answer. Python starts once (~0.3 s, ansible-core's imports) instead
 * of once per call.
 *
 * The process runs each helper program (python-helper.ts) as `python -c` would: its own globals,
 * the request as its stdin, what it prints as the answer; sys.path and the working folder put
 * back after each. A request that takes past the deadline ends the process (the next starts a
 * new one), as does an exit of this process (its stdin closes).
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

const SERVER = String.raw`
import io, json, os, sys
base_path, base_cwd = list(sys.path), os.getcwd()
real_in, real_out, real_err = sys.stdin.buffer, sys.stdout, sys.stderr
while True:
    size = real_in.readline()
    if not size:
        break
    msg = json.loads(real_in.read(int(size)))
    sys.path[:] = base_path
    buf = io.StringIO()
    sys.stdin, sys.stdout = io.StringIO(msg['input']), buf
    try:
        exec(compile(msg['program'], '<quorum helper>', 'exec'), {'__name__': '__main__'})
    except SystemExit:
        pass
    except BaseException as e:
        buf.write(json.dumps({'error': '%s: %s' % (type(e).__name__, e)}))
    finally:
        sys.stdin, sys.stdout, sys.stderr = real_in, real_out, real_err
        os.chdir(base_cwd)
    data = buf.getvalue().encode()
    real_out.buffer.write(b'%d\n' % len(data) + data)
    real_out.buffer.flush()
`;

/**
 * The worker: starts the process, writes each request, reads each answer by its length and
 * hands it back with the request's id. `kill` ends the process of an abandoned request.
 */
const WORKER = String.raw`
const { spawn } = require('node:child_process');
const { workerData } = require('node:worker_threads');
const { port, python, server } = workerData;
let child, pending = Buffer.alloc(0), waiting, stderr = '';
function start() {
  const me = spawn(python, ['-c', server], { stdio: ['pipe', 'pipe', 'pipe'] });
  child = me;
  pending = Buffer.alloc(0);
  stderr = '';
  me.stdout.on('data', (d) => { if (child === me) { pending = Buffer.concat([pending, d]); deliver(); } });
  me.stderr.on('data', (d) => { if (child === me) stderr = (stderr + d).slice(-4000); });
  // after its pipes are read to the end: the last words on stderr are in
  me.on('close', (code) => {
    if (child !== me) return;
    child = undefined;
    if (waiting) answer({ exit: code, stderr });
  });
  me.stdin.on('error', () => {});
}
function deliver() {
  const nl = pending.indexOf(10);
  if (nl < 0 || !waiting) return;
  const size = Number(pending.subarray(0, nl).toString());
  if (pending.length < nl + 1 + size) return;
  const text = pending.subarray(nl + 1, nl + 1 + size).toString('utf8');
  pending = pending.subarray(nl + 1 + size);
  answer({ text });
}
function answer(message) {
  const w = waiting;
  waiting = undefined;
  port.postMessage({ id: w.id, answer: message });
  Atomics.store(w.flag, 0, 1);
  Atomics.notify(w.flag, 0);
}
port.on('message', (m) => {
  if (m.kill) {
    if (child) child.kill('SIGKILL');
    child = undefined;
    waiting = undefined;
    return;
  }
  if (!child) start();
  waiting = m;
  const body = Buffer.from(JSON.stringify({ program: m.program, input: m.input }));
  child.stdin.write(Buffer.concat([Buffer.from(body.length + '\n'), body]));
});
`;

interface Server {
  python: string;
  worker: Worker;
  port: MessagePort;
}

let server: Server | undefined;
let lastId = 0;

function serverFor(python: string): Server {
  if (server?.python === python) return server;
  stopServer();
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { port: port2, python, server: SERVER },
    transferList: [port2],
  });
  // neither keeps the run alive: the process ends with it (its stdin closes)
  worker.unref();
  port1.unref();
  server = { python, worker, port: port1 };
  return server;
}

/** Ends the process and its worker (another Python is asked for, or the caller is done). */
export function stopServer(): void {
  if (!server) return;
  server.port.postMessage({ kill: true });
  const { worker } = server;
  // the worker ends the process first (its message comes before the end)
  setTimeout(() => void worker.terminate(), 100).unref();
  server = undefined;
}

export type ServerAnswer = { text: string } | { exit: number | null; stderr: string } | { timeout: true };

/** Runs `program` (a `python -c` program reading `input` on stdin) and gives what it printed. */
export function runInServer(python: string, program: string, input: string, timeoutMs: number): ServerAnswer {
  const s = serverFor(python);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const id = ++lastId;
  s.port.postMessage({ id, program, input, flag });
  if (Atomics.wait(flag, 0, 0, timeoutMs) === 'timed-out') {
    // the process is ended; the next call starts another
    s.port.postMessage({ kill: true });
    return { timeout: true };
  }
  // an answer that came after its caller gave up on it is passed over
  for (let i = 0; i < 1000; i++) {
    const got = receiveMessageOnPort(s.port)?.message as { id: number; answer: ServerAnswer } | undefined;
    if (!got) break;
    if (got.id === id) return got.answer;
  }
  return { exit: null, stderr: 'no answer' };
}
