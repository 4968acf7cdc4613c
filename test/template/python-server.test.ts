/**
 * The run's one Python process for plugin calls (src/template/jinja/python-server.ts): each
 * program runs as `python -c` would run it (its own globals, the input as stdin, what it prints
 * as the answer, the path and folder put back), and a program that ends the process or passes
 * the deadline leaves the next call a new process.
 */
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { runInServer, stopServer } from '../../src/template/jinja/python-server.ts';

afterAll(stopServer);

const run = (program: string, input = '', timeout = 30_000) =>
  runInServer('python3', program, input, timeout);

it('runs each program with its input as stdin and gives what it printed', () => {
  expect(run('import sys; print(sys.stdin.read().upper())', 'abc')).toEqual({ text: 'ABC\n' });
  expect(run('import json, sys; print(json.dumps(json.load(sys.stdin)["a"] * 2))', '{"a": 21}')).toEqual({
    text: '42\n',
  });
});

it('gives each program its own globals, and puts back sys.path, the folder and stdout', () => {
  const pid = run('import os; print(os.getpid())');
  expect(
    run('secret = 1; import sys, os; sys.path.insert(0, "/nowhere"); os.chdir("/"); sys.stdout = sys.stderr'),
  ).toEqual({ text: '' });
  expect(
    run('import sys, os; print("secret" in globals(), "/nowhere" in sys.path, os.getcwd() == "/")'),
  ).toEqual({
    text: 'False False False\n',
  });
  // the same process: the point of it
  expect(run('import os; print(os.getpid())')).toEqual(pid);
});

it('reports an exception, an exit of the process and a deadline; the next call gets a new process', () => {
  expect(run('raise ValueError("bad input")')).toEqual({ text: '{"error": "ValueError: bad input"}' });
  const before = run('import os; print(os.getpid())');
  const died = run('import os, sys; sys.stderr.write("dying\\n"); sys.stderr.flush(); os._exit(3)');
  expect(died).toMatchObject({ exit: 3 });
  expect((died as { stderr: string }).stderr).toContain('dying');
  const after = run('import os; print(os.getpid())');
  expect(after).not.toEqual(before);
  expect(run('import time; time.sleep(5)', '', 300)).toEqual({ timeout: true });
  expect(run('print("again")')).toEqual({ text: 'again\n' });
});

it('ends a process past its deadline (a plugin that never returns does not run on)', () => {
  const pid = Number((run('import os; print(os.getpid())') as { text: string }).text);
  expect(run('while True: pass', '', 300)).toEqual({ timeout: true });
  // gone, or a zombie its parent has not yet waited for: not running
  const running = () => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 100 && running(); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  expect(running()).toBe(false);
  expect(run('print("after")')).toEqual({ text: 'after\n' });
});
