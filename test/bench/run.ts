/**
 * `npm run bench`: quorum against Ansible (defaults, and its best settings) on the same lab
 * hosts doing the same ~20 tasks; first run, converged run, check run; wall time,
 * controller CPU and peak RSS, medians; the floor; quorum's scaling curve.
 * The same Ansible playbook (test/bench/ansible: Jinja2, a .j2 template, a handler) also runs
 * through quorum (quorum-ansible, quorum-ansible-persist): Ansible content must be no slower
 * in quorum than its native roles.
 *   --hosts N (30)  --runs R (3)  --smoke (2 hosts, 1 run, Ansible best only, no scaling)
 *   --engines a,b (quorum,quorum-persist,quorum-ansible,quorum-ansible-persist,ansible-best,ansible-defaults)
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../src/inventory/load.ts';
import { hostVars } from '../../src/inventory/vars.ts';
import { labUp, stateDir } from '../../src/lab/lab.ts';
import { sshTransportFor } from '../../src/transport/connect.ts';
import { type Floors, planFloors } from './floor.ts';
import { keeperUsage } from './keeper.ts';
import { median, requireFreshBundle, type Sample, summarize, timed } from './measure.ts';
import { measureStartup } from './startup.ts';
import { syntheticRun } from './synthetic.ts';

const ROOT = join(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const smoke = args.includes('--smoke');
const HOSTS = Number(flag('hosts', smoke ? '2' : '30'));
const RUNS = Number(flag('runs', smoke ? '1' : '3'));
const ENGINES = flag(
  'engines',
  'quorum,quorum-persist,quorum-ansible,quorum-ansible-persist,ansible-best,ansible-defaults',
).split(',');
const SCALING = !args.includes('--no-scaling');
const log = (m: string) => process.stderr.write(`${m}\n`);

type Scenario = 'first' | 'converged' | 'check';
type Engine =
  | 'quorum'
  | 'quorum-persist'
  | 'quorum-ansible'
  | 'quorum-ansible-persist'
  | 'ansible-best'
  | 'ansible-defaults';
const QUORUM_ENGINES = ['quorum', 'quorum-persist', 'quorum-ansible', 'quorum-ansible-persist'];

/** One HOME per repetition: ControlPersist masters live there, shared by its three runs. */
function ansibleEnv(best: boolean, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANSIBLE_')) env[k] = v;
  env.HOME = home;
  env.ANSIBLE_NOCOLOR = '1';
  if (best) {
    Object.assign(env, {
      ANSIBLE_FORKS: String(HOSTS),
      ANSIBLE_PIPELINING: 'True',
      ANSIBLE_GATHERING: 'explicit',
      ANSIBLE_SSH_ARGS: '-C -o ControlMaster=auto -o ControlPersist=600s',
    });
  }
  return env;
}

async function resetHosts(inventoryVars: Array<[string, Record<string, unknown>]>) {
  await Promise.all(
    inventoryVars.map(async ([host, vars]) => {
      const t = sshTransportFor(host, vars);
      await t.exec('rm -rf /srv/bench', { purpose: 'action' });
      await t.close();
    }),
  );
}

/**
 * The issue's goals as ratios of medians; quorum against the trivial floor also as the median
 * of each repetition's ratio (its floor was measured right beside it), for the whole process
 * and for its run phase (what quorum reports as elapsed: from the first step to the recap,
 * without Node's start, loading and planning, as the floor has none of those).
 */
function goalRatios(
  samples: Record<string, Sample[]>,
  runPhase: Record<string, number[]>,
  floorEngine: string,
): Array<[string, number]> {
  const wall = (k: string) => median((samples[k] ?? []).map((s) => s.wall));
  const out: Array<[string, number]> = [];
  for (const q of QUORUM_ENGINES)
    for (const scenario of ['first', 'converged'])
      if (samples[`ansible-best/${scenario}`] && samples[`${q}/${scenario}`])
        out.push([
          `ansible-best / ${q}, ${scenario}`,
          wall(`ansible-best/${scenario}`) / wall(`${q}/${scenario}`),
        ]);
  const mine = samples[`${floorEngine}/converged`] ?? [];
  const floor = samples['floor-shell/converged'] ?? [];
  if (mine.length && floor.length === mine.length) {
    out.push([
      `${floorEngine} converged / floor-shell`,
      wall(`${floorEngine}/converged`) / wall('floor-shell/converged'),
    ]);
    out.push([
      `${floorEngine} converged / floor-shell, per repetition`,
      median(mine.map((s, i) => s.wall / floor[i].wall)),
    ]);
    const phase = runPhase[`${floorEngine}/converged`] ?? [];
    if (phase.length === floor.length)
      out.push([
        `${floorEngine} converged run phase / floor-shell, per repetition`,
        median(phase.map((p, i) => p / floor[i].wall)),
      ]);
  }
  return out;
}

async function main() {
  requireFreshBundle(ROOT);
  log(`bench: ${HOSTS} hosts, ${RUNS} run(s) each${smoke ? ' (smoke)' : ''}`);
  await labUp(HOSTS, log);
  const dir = stateDir();
  const quorumInv = join(dir, 'inventory.yml');
  const ansibleInv = join(mkdtempSync(join(tmpdir(), 'bench-inv-')), 'inventory.yml');
  writeFileSync(
    ansibleInv,
    readFileSync(quorumInv, 'utf8').replace(
      '  vars:\n',
      '  vars:\n    ansible_python_interpreter: /usr/bin/python3\n',
    ),
  );
  const inv = loadInventory([quorumInv]);
  const targets = [...inv.data.hosts.values()].map(
    (h) => [h.name, hostVars(inv, h)] as [string, Record<string, unknown>],
  );

  const ansible = (best: boolean) => (home: string) =>
    [
      'ansible-playbook',
      ['-i', ansibleInv, join(ROOT, 'test/bench/ansible/site.yml')],
      ansibleEnv(best, home),
    ] as [string, string[], NodeJS.ProcessEnv];
  const quorumPlay = [
    join(ROOT, 'bin/quorum.js'),
    'play',
    join(ROOT, 'test/bench/quorum/site.yml'),
    '-i',
    quorumInv,
  ];
  // Ansible's playbook and inventory, unchanged
  const quorumAnsible = [
    join(ROOT, 'bin/quorum.js'),
    'play',
    join(ROOT, 'test/bench/ansible/site.yml'),
    '-i',
    ansibleInv,
  ];
  // as Ansible's best settings keep ssh masters (ControlPersist=600s), quorum keeps its connections
  const keeperDir = mkdtempSync(join(tmpdir(), 'bench-keeper-'));
  const persistEnv = { ...process.env, QUORUM_KEEPER_DIR: keeperDir };
  const stopKeeper = () =>
    timed(process.execPath, [join(ROOT, 'bin/quorum.js'), 'keeper', 'stop'], persistEnv, ROOT);
  const engines: Array<[Engine, (home: string) => [string, string[], NodeJS.ProcessEnv]]> = [
    ['quorum', () => [process.execPath, quorumPlay, process.env]],
    ['quorum-persist', () => [process.execPath, [...quorumPlay, '--persist', '600'], persistEnv]],
    ['quorum-ansible', () => [process.execPath, quorumAnsible, process.env]],
    ['quorum-ansible-persist', () => [process.execPath, [...quorumAnsible, '--persist', '600'], persistEnv]],
    ['ansible-best', ansible(true)],
    ['ansible-defaults', ansible(false)],
  ];

  const samples: Record<string, Sample[]> = {};
  const runPhase: Record<string, number[]> = {};
  // the floors are measured beside quorum's converged run, in each repetition: this machine's
  // speed drifts over minutes, and ratios must compare runs made under the same conditions
  const floorEngine: Engine = ENGINES.includes('quorum-persist') ? 'quorum-persist' : 'quorum';
  let floors: Floors | undefined;
  const measureFloors = async () => {
    floors ??= await planFloors(
      join(ROOT, 'test/bench/quorum/site.yml'),
      quorumInv,
      targets,
      join(dir, 'id_ed25519'),
    );
    for (const [name, what, measure] of floors.measures) {
      const s = await measure();
      log(`floor (${what}): ${floors.probes} commands per host, ${s.wall.toFixed(2)} s`);
      (samples[`${name}/converged`] ??= []).push(s);
    }
  };
  for (const [engine, command] of engines) {
    if (!ENGINES.includes(engine) || (smoke && engine === 'ansible-defaults')) continue;
    for (let r = 0; r < RUNS; r++) {
      await resetHosts(targets);
      await stopKeeper(); // every first run starts without kept connections
      const home = mkdtempSync(join(tmpdir(), 'bench-ansible-home-'));
      for (const scenario of ['first', 'converged', 'check'] as Scenario[]) {
        const [cmd, base, env] = command(home);
        const before = keeperUsage(keeperDir);
        const s = await timed(cmd, scenario === 'check' ? [...base, '--check'] : base, env, ROOT);
        if (engine.endsWith('-persist')) {
          const after = keeperUsage(keeperDir);
          s.cpu += after.cpu - before.cpu;
          s.rssMb += after.peakRssMb;
        }
        log(
          `${engine} ${scenario} #${r + 1}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s cpu, ${s.rssMb.toFixed(0)} MB${s.code ? ` (exit ${s.code})` : ''}`,
        );
        (samples[`${engine}/${scenario}`] ??= []).push(s);
        const elapsed = /^elapsed ([\d.]+)s$/m.exec(s.stdout);
        if (elapsed) (runPhase[`${engine}/${scenario}`] ??= []).push(Number(elapsed[1]));
        if (engine === floorEngine && scenario === 'converged') await measureFloors();
      }
    }
  }
  await stopKeeper();

  const summary = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  const scaling: Record<string, unknown> = {};
  if (!smoke && SCALING) {
    await labUp(50, log);
    const big = join(stateDir(), 'inventory.yml');
    for (const n of [1, 10, 50]) {
      const limit = n === 50 ? 'all' : `all[0:${n - 1}]`;
      const runs: Sample[] = [];
      for (let r = 0; r < RUNS; r++)
        runs.push(
          await timed(
            process.execPath,
            [
              join(ROOT, 'bin/quorum.js'),
              'play',
              join(ROOT, 'test/bench/quorum/site.yml'),
              '-i',
              big,
              '--limit',
              limit,
            ],
            process.env,
            ROOT,
          ),
        );
      scaling[`lab-${n}`] = summarize(runs);
      log(`scaling: ${n} lab hosts converged ${summarize(runs).wall.toFixed(2)} s`);
    }
    for (const n of [100, 250, 500, 1000]) {
      const s = await syntheticRun(n);
      scaling[`synthetic-${n}`] = { ...s, msPerNode: (s.seconds * 1000) / s.nodes };
      log(
        `scaling: synthetic ${n} hosts, ${s.nodes} nodes in ${s.seconds.toFixed(2)} s (${((s.seconds * 1000) / s.nodes).toFixed(3)} ms/node)`,
      );
    }
  }

  const rows: string[] = [
    '| scenario | engine | wall s | cpu s | peak RSS MB | wall ratio vs quorum |',
    '|---|---|---|---|---|---|',
  ];
  for (const scenario of ['first', 'converged', 'check']) {
    const q = summary[`quorum/${scenario}`] ?? { wall: Number.NaN };
    for (const engine of [
      ...QUORUM_ENGINES,
      'ansible-best',
      'ansible-defaults',
      'floor',
      'floor-shell',
      'floor-probes',
    ]) {
      const s = summary[`${engine}/${scenario}`];
      if (!s) continue;
      rows.push(
        `| ${scenario} | ${engine} | ${s.wall.toFixed(2)} | ${s.cpu.toFixed(2)} | ${s.rssMb.toFixed(0)} | ${(s.wall / q.wall).toFixed(2)}x |`,
      );
    }
  }
  const table = rows.join('\n');
  const goals = goalRatios(samples, runPhase, floorEngine);
  process.stdout.write(`\n${table}\n\n${goals.map(([what, x]) => `${what}: ${x.toFixed(2)}x`).join('\n')}\n`);
  // Node's module compile cache (Node 22.1+), side by side: start-up with it and without
  const startup = smoke ? [] : measureStartup();
  for (const r of startup)
    process.stdout.write(
      `start-up on ${r.version}: ${r.cacheOffMs.toFixed(0)} ms without the compile cache, ${r.cacheOnMs.toFixed(0)} ms with it (${(r.cacheOffMs / r.cacheOnMs).toFixed(2)}x); validate cluster.yml ${r.clusterMs.toFixed(0)} ms\n`,
    );
  mkdirSync(join(ROOT, 'test/bench/results'), { recursive: true });
  const result = {
    startup,
    date: new Date().toISOString(),
    hosts: HOSTS,
    runs: RUNS,
    smoke,
    probesPerHost: floors?.probes,
    summary,
    scaling,
    table,
    goals: Object.fromEntries(goals),
    runPhase,
  };
  const name = smoke ? 'smoke.json' : `bench-${HOSTS}h-${result.date.replace(/[:.]/g, '-')}.json`;
  writeFileSync(join(ROOT, 'test/bench/results', name), `${JSON.stringify(result, null, 2)}\n`);
  const failed = Object.entries(summary).filter(([, s]) => s.code !== 0);
  if (failed.length) {
    log(`failed runs: ${failed.map(([k]) => k).join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
