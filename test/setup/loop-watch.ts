/**
 * Names the test that blocked its worker's event loop for long: vitest's worker RPC has a fixed
 * 60 s deadline (birpc's DEFAULT_TIMEOUT), and a worker blocked past it fails a green run with
 * "Timeout calling onTaskUpdate" and no test named. A stretch of 20 s or more is reported here,
 * with the test that was running, so that its synchronous calls can be made asynchronous.
 */
import { beforeEach, expect } from 'vitest';

// between tests the runner only awaits promises (microtasks): a file of synchronous tests (CLI
// runs through spawnSync) never lets the worker read the runner's replies; each test starts
// after one turn of the event loop
beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

const REPORT_MS = 20_000;
let last = Date.now();
setInterval(() => {
  const now = Date.now();
  if (now - last >= REPORT_MS)
    process.stderr.write(
      `[loop-watch] this worker's event loop was blocked ${((now - last) / 1000).toFixed(0)} s in "${expect.getState().currentTestName ?? 'collection or a hook'}" (${expect.getState().testPath ?? ''})\n`,
    );
  last = now;
}, 1000).unref();
