/**
 * `npm run bench`: quorum against Ansible (defaults, and its best settings) on the same lab
 * hosts doing the same ~20 tasks; first run, converged run, check run; wall time,
 * controller CPU and peak RSS, medians; the floor; quorum's scaling curve.
 *   --hosts N (30)  --runs R (3)  --smoke (2 hosts, 1 run, Ansible best only, no scaling)
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybook } from '../../src/execute/run.ts';
import { loadInventory } from '../../src/inventory/load.ts';
import { hostVars } from '../../src/inventory/vars.ts';
import { labUp, stateDir } from '../../src/lab/lab.ts';
import { sshTransportFor } from '../../src/transport/connect.ts';
import { RecordingTransport } from '../../src/transport/recording.ts';
import { floorRun, floorShellRun } from './floor.ts';
import { keeperUsage } from './keeper.ts';
import { type Sample, summarize, timed } from './measure.ts';
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
const ENGINES = flag('engines', 'quorum,quorum-persist,ansible-best,ansible-defaults').split(',');
const SCALING = !args.includes('--no-scaling');
const log = (m: string) => process.stderr.write(`${m}\n`);

type Scenario = 'first' | 'converged' | 'check';
type Engine = 'quorum' | 'quorum-persist' | 'ansible-best' | 'ansible-defaults';

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

async function main() {
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
  // as Ansible's best settings keep ssh masters (ControlPersist=600s), quorum keeps its connections
  const keeperDir = mkdtempSync(join(tmpdir(), 'bench-keeper-'));
  const persistEnv = { ...process.env, QUORUM_KEEPER_DIR: keeperDir };
  const stopKeeper = () =>
    timed(process.execPath, [join(ROOT, 'bin/quorum.js'), 'keeper', 'stop'], persistEnv, ROOT);
  const engines: Array<[Engine, (home: string) => [string, string[], NodeJS.ProcessEnv]]> = [
    ['quorum', () => [process.execPath, quorumPlay, process.env]],
    ['quorum-persist', () => [process.execPath, [...quorumPlay, '--persist', '600'], persistEnv]],
    ['ansible-best', ansible(true)],
    ['ansible-defaults', ansible(false)],
  ];

  const samples: Record<string, Sample[]> = {};
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
        if (engine === 'quorum-persist') {
          const after = keeperUsage(keeperDir);
          s.cpu += after.cpu - before.cpu;
          s.rssMb += after.peakRssMb;
        }
        log(
          `${engine} ${scenario} #${r + 1}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s cpu, ${s.rssMb.toFixed(0)} MB${s.code ? ` (exit ${s.code})` : ''}`,
        );
        (samples[`${engine}/${scenario}`] ??= []).push(s);
      }
    }
  }
  await stopKeeper();

  // the floor: as many trivial commands per host as the converged run needs probes. Counted
  // with look-ahead off, so that every probe is its own command: batched, quorum sends fewer
  // commands than the playbook needs probes, and the floor would shrink with them.
  const counted = new Map<string, RecordingTransport>();
  process.env.QUORUM_LOOKAHEAD = '0';
  await runPlaybook({
    playbook: join(ROOT, 'test/bench/quorum/site.yml'),
    inventory: [quorumInv],
    reporters: [],
    transportFactory: (host, vars) => {
      const t = new RecordingTransport(host, sshTransportFor(host, vars));
      counted.set(host, t);
      return t;
    },
  });
  delete process.env.QUORUM_LOOKAHEAD;
  const recorded = targets.map(([h]) => counted.get(h)!.calls.map((c) => c.command));
  const probes = Math.max(...recorded.map((c) => c.length));
  const floorHosts = targets.map(([, v]) => ({
    address: String(v.ansible_host),
    key: join(dir, 'id_ed25519'),
  }));
  const floors: Array<[string, string, () => Promise<Sample>]> = [
    ['floor', 'exec channels', () => floorRun(floorHosts, probes)],
    [
      'floor-shell',
      'one persistent shell',
      () =>
        floorShellRun(
          floorHosts,
          recorded.map((c) => c.map(() => 'true')),
        ),
    ],
    [
      'floor-probes',
      "quorum's probes one by one, one persistent shell",
      () => floorShellRun(floorHosts, recorded),
    ],
  ];
  for (const [name, what, measure] of floors) {
    const runs: Sample[] = [];
    for (let r = 0; r < RUNS; r++) runs.push(await measure());
    samples[`${name}/converged`] = runs;
    log(`floor (${what}): ${probes} commands per host, ${summarize(runs).wall.toFixed(2)} s`);
  }

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
      'quorum',
      'quorum-persist',
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
  process.stdout.write(`\n${table}\n`);
  mkdirSync(join(ROOT, 'test/bench/results'), { recursive: true });
  const result = {
    date: new Date().toISOString(),
    hosts: HOSTS,
    runs: RUNS,
    smoke,
    probesPerHost: probes,
    summary,
    scaling,
    table,
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
