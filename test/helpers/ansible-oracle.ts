/**
 * Real Ansible as the test oracle (ansible-core from Debian, installed by .ci/run). Runs with
 * built-in defaults only: no ansible.cfg, no ANSIBLE_* variables, a throw-away HOME and cwd.
 * Ansible is a test-only dependency; quorum itself never needs Python.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function cleanEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANSIBLE_')) env[k] = v;
  return { ...env, HOME: home, LC_ALL: 'C.UTF-8', PYTHONHASHSEED: '0', ANSIBLE_NOCOLOR: '1' };
}

export interface OracleResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `file args` with built-in defaults only, in a throw-away HOME (and cwd unless given). */
async function oracle(file: string, args: string[], cwd?: string): Promise<OracleResult> {
  const home = mkdtempSync(join(tmpdir(), 'quorum-oracle-'));
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd: cwd ?? home,
      env: cleanEnv(home),
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

export function ansible(cmd: 'ansible' | 'ansible-inventory', args: string[]): Promise<OracleResult> {
  return oracle(`/usr/bin/${cmd}`, args);
}

const inventoryArgs = (sources: string[]) => sources.flatMap((s) => ['-i', s]);

/**
 * ansible-inventory --list of ansible-core 2.19, the reference. Its `_meta.profile`
 * ("inventory_legacy", new in 2.19, naming the output's format) is taken out: quorum's --list
 * prints 2.14's form, which the conformance corpus holds it to (README, "Inventories").
 */
export async function ansibleList(sources: string[]): Promise<unknown> {
  const r = await ansibleCurrent('ansible-inventory', [...inventoryArgs(sources), '--list']);
  if (r.code !== 0) throw new Error(`ansible-inventory failed: ${r.stderr}`);
  const list = JSON.parse(r.stdout) as { _meta?: { profile?: string } };
  if (list._meta) delete list._meta.profile;
  return list;
}

export async function ansibleGraph(sources: string[]): Promise<string> {
  const r = await ansibleCurrent('ansible-inventory', [...inventoryArgs(sources), '--graph']);
  return r.stdout.trimEnd();
}

function listedHosts(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('    '))
    .map((l) => l.trim());
}

/** Hosts of a play with `hosts: PATTERN` (empty when Ansible finds none). */
export async function ansiblePlayHosts(sources: string[], pattern: string): Promise<string[]> {
  const r = await ansibleCurrent('ansible', [pattern, ...inventoryArgs(sources), '--list-hosts']);
  return listedHosts(r.stdout);
}

/** Hosts of `hosts: all` under `--limit PATTERN`; undefined where Ansible refuses the limit. */
export async function ansibleLimitHosts(sources: string[], pattern: string): Promise<string[] | undefined> {
  const r = await ansibleCurrent('ansible', [
    'all',
    ...inventoryArgs(sources),
    '--list-hosts',
    '--limit',
    pattern,
  ]);
  return r.code === 0 ? listedHosts(r.stdout) : undefined;
}

/** ansible-core 2.19, the reference (test/helpers/ansible-current.sh), with the same clean settings. */
export function ansibleCurrent(cmd: string, args: string[], cwd?: string): Promise<OracleResult> {
  return oracle('bash', [join(import.meta.dirname, 'ansible-current.sh'), cmd, ...args], cwd);
}

/** The Python path of ansible-core 2.19 (the oracle): where quorum finds the ansible-core it runs modules and plugins with, in tests that set it as PYTHONPATH. */
export function ansibleCurrentSitePackages(): string {
  const prefix = execFileSync('bash', [join(import.meta.dirname, 'ansible-current.sh'), '--prefix'], {
    encoding: 'utf8',
  }).trim();
  return join(prefix, 'lib/python3/dist-packages');
}
