/**
 * The conformance corpus (37 real-world inventories with ansible-core 2.14's own outputs,
 * copied into test/fixtures/conformance/inventory with its README and per-inventory sources),
 * run through its check script exactly as its README describes.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

function runCorpus(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // async on purpose: a blocking spawnSync starves vitest's worker RPC for minutes
    const child = spawn('bash', [join(import.meta.dirname, 'run-corpus.sh')], {
      env: { ...process.env, QUORUM_NODE: process.execPath },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('quorum matches Ansible on every inventory, graph and pattern of the corpus', async () => {
  const r = await runCorpus();
  const last = r.stdout.trim().split('\n').pop() ?? '';
  const [, passed, failed] = /^(\d+) passed, (\d+) failed$/.exec(last) ?? [];
  if (r.code !== 0) console.error(r.stdout, r.stderr);
  expect(Number(failed)).toBe(0);
  expect(Number(passed)).toBeGreaterThanOrEqual(222);
  expect(r.code).toBe(0);
}, 900_000);
