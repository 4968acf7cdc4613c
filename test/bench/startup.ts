/**
 * quorum's start-up with and without Node's module compile cache (Node 22.1+), on the Node that
 * runs the bench and on Node 24 when `npx node@24` is at hand: the median wall time of
 * `quorum validate` of the demo playbook and of cluster.yml (11 roles) (start, load, parse, plan;
 * no host is contacted).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeRuns(node: string, env: NodeJS.ProcessEnv, runs: number, book = 'demo.yml'): number {
  const args = [
    join(ROOT, 'bin/quorum.js'),
    'validate',
    join(ROOT, 'playbooks', book),
    '-i',
    join(ROOT, 'inventory/lab.yml'),
  ];
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(node, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
    walls.push(performance.now() - t);
  }
  return median(walls);
}

export interface StartupResult {
  node: string;
  version: string;
  cacheOffMs: number;
  cacheOnMs: number;
  /** validate playbooks/cluster.yml, with the warm cache */
  clusterMs: number;
}

/** For each Node: median ms without the cache, and with a warm one (its first run fills it). */
export function measureStartup(runs = 9): StartupResult[] {
  const nodes = [process.execPath];
  const n24 = spawnSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], {
    encoding: 'utf8',
  }).stdout?.trim();
  if (n24 && n24 !== process.execPath) nodes.push(n24);
  return nodes.map((node) => {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const cacheDir = mkdtempSync(join(tmpdir(), 'quorum-compile-cache-'));
    const off = timeRuns(node, { QUORUM_NO_COMPILE_CACHE: '1' }, runs);
    timeRuns(node, { NODE_COMPILE_CACHE: cacheDir }, 1);
    const on = timeRuns(node, { NODE_COMPILE_CACHE: cacheDir }, runs);
    const cluster = timeRuns(node, { NODE_COMPILE_CACHE: cacheDir }, runs, 'cluster.yml');
    return { node, version, cacheOffMs: off, cacheOnMs: on, clusterMs: cluster };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of measureStartup())
    console.log(
      `${r.version}: validate start-up ${r.cacheOffMs.toFixed(0)} ms without the compile cache, ${r.cacheOnMs.toFixed(0)} ms with it (${(r.cacheOffMs / r.cacheOnMs).toFixed(2)}x); cluster.yml ${r.clusterMs.toFixed(0)} ms`,
    );
}
