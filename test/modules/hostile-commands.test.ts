/**
 * Every module that builds shell commands, fed hostile text in each string parameter its schema
 * accepts: the commands it would run (probes and actions) are run by a real shell whose PATH
 * holds only a `touch` that records being called. A value pasted into a command unquoted
 * would call it; quoted, every word stays data.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NO_FACTS } from '../../src/facts/gather.ts';
import { findModule } from '../../src/modules/registry.ts';
import type { Action, ProbeContext } from '../../src/modules/types.ts';
import { validator } from '../../src/schema/ajv.ts';

/**
 * Each alone too: pasted unquoted, a value with an unbalanced quote is a shell syntax error,
 * which runs nothing and would hide the paste.
 */
const HOSTILES = [
  `h'q"$(touch pwned)\`touch pwned\`;touch pwned;#&|<>\\ *?[x]{a,b}~$HOME x`,
  'x;touch pwned',
  'x$(touch pwned)',
  'x`touch pwned`',
  'x|touch pwned',
  'x&&touch pwned',
];

/** Module, params that pass its schema, and the string params to make hostile. */
const CASES: Array<[string, Record<string, unknown>, string[]]> = [
  [
    'user',
    { name: 'web', shell: '/bin/sh', home: '/h', comment: 'c', groups: 'g' },
    ['shell', 'home', 'comment', 'groups', 'group'],
  ],
  ['group', { name: 'web' }, []],
  [
    'mount',
    { path: '/m', src: '/dev/x', fstype: 'ext4', opts: 'defaults', state: 'mounted' },
    ['path', 'src', 'fstype', 'opts'],
  ],
  [
    'unarchive',
    { src: '/a.tar.gz', dest: '/d', remote_src: true, owner: 'o', group: 'g' },
    ['dest', 'owner', 'group', 'creates'],
  ],
  ['pip', { name: 'docker', extra_args: '--user' }, ['name', 'version', 'executable', 'extra_args']],
  ['pacman', { name: 'jq' }, ['name']],
  ['package', { name: 'jq' }, ['name']],
  ['apt', { name: 'jq', update_cache: true }, ['name', 'default_release']],
  ['apt', { name: 'jq', state: 'latest' }, ['name', 'default_release']],
  ['dnf', { name: 'jq' }, ['name']],
  ['rpm_key', { key: '/k.asc' }, ['key']],
  ['apt_key', { url: 'https://example.test/k' }, ['url', 'keyring']],
  [
    'deb822_repository',
    { name: 'docker', uris: 'https://x', suites: 's', signed_by: 'https://k' },
    ['signed_by'],
  ],
  ['getent', { database: 'passwd', key: 'root' }, ['key', 'split']],
  ['uri', { url: 'http://127.0.0.1/x', method: 'POST', body: 'b' }, ['body']],
  ['uri', { url: 'http://127.0.0.1/x', dest: '/d', mode: '0600' }, ['dest']],
  ['sysctl', { name: 'net.ipv4.ip_forward', value: '1' }, ['value', 'sysctl_file']],
  ['get_url', { url: 'http://127.0.0.1/f', dest: '/f' }, ['dest', 'checksum', 'owner', 'group', 'mode']],
  // a second's wait: the command polls the path until then, each run a second, not its default five minutes
  ['wait_for', { path: '/p', timeout: 1 }, ['path']],
  ['copy', { src: '/s', dest: '/d', remote_src: true }, ['src', 'dest']],
  ['service', { name: 'x', state: 'started', daemon_reload: true }, []],
  ['stat', { path: '/p', follow: true }, ['path']],
  ['script', { cmd: 'run.sh arg' }, ['chdir', 'executable']],
];

const run = promisify(execFile);

const URL_KEYS = ['url', 'signed_by', 'key'];
/** A hostile value of the kind the parameter takes (a URL for a URL). */
const hostileFor = (key: string, hostile: string) =>
  URL_KEYS.includes(key) ? `https://x/${hostile}` : hostile;

function commandsOf(module: string, params: Record<string, unknown>): Promise<string[]> {
  const seen: string[] = [];
  const ctx: ProbeContext = {
    host: 'h1',
    facts: async () => ({ ...NO_FACTS, pkg_mgr: 'apt', init_system: 'systemd' }),
    become: false,
    vars: {},
    readLocal: () => '',
    readLocalBytes: () => Buffer.alloc(0),
    async probe(command) {
      seen.push(command);
      return { code: 0, stdout: '', stderr: '' };
    },
    async probePath(path) {
      // every path a file (its checksum its own name, so two paths differ); none for unarchive's creates and deb822's key
      return (
        ['unarchive', 'deb822_repository'].includes(module)
          ? { kind: 'absent' }
          : { kind: 'file', mode: '0644', owner: 'root', group: 'root', checksum: path, content: '' }
      ) as never;
    },
  };
  const mod = findModule(module)!;
  return mod.plan(ctx, params).then((out) => {
    const actions = [...out.changes.map((c) => c.action), ...(out.waits ?? [])] as Action[];
    return [
      ...seen,
      ...actions.filter((a) => a.kind === 'exec').map((a) => (a as { command: string }).command),
    ];
  });
}

describe('hostile values never reach a shell as syntax', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quorum-hostile-'));
  const shims = join(dir, 'bin');
  spawnSync('mkdir', ['-p', shims]);
  writeFileSync(join(shims, 'touch'), `#!/bin/sh\necho called >> ${dir}/called\n`);
  chmodSync(join(shims, 'touch'), 0o755);
  // the clock wait_for's poll loop reads (without it the loop spins until the spawn's timeout),
  // and a pip3 that does nothing: the python3 pip's commands name by full path cannot start here
  // (PYTHONHOME below), so they fall back to it instead of running pip for a minute in all
  for (const tool of ['date', 'sleep']) symlinkSync(`/bin/${tool}`, join(shims, tool));
  symlinkSync('/bin/true', join(shims, 'pip3'));

  it.each(CASES)('%s', async (module, base, keys) => {
    const check = validator(findModule(module)!.schema);
    let ran = 0;
    for (const key of keys.length ? keys : [undefined]) {
      for (const hostile of key ? HOSTILES : [undefined]) {
        const params = key && hostile ? { ...base, [key]: hostileFor(key, hostile) } : base;
        if (!check(params)) continue; // the schema refuses it: it never reaches a command
        for (const command of await commandsOf(module, params)) {
          rmSync(join(dir, 'called'), { force: true });
          // PATH holds only the recording touch and the harmless tools above: nothing else this
          // command names can run (a full path to python3 finds no Python). Not spawnSync: a
          // worker blocked for a minute misses vitest's RPC deadline
          await run('/bin/sh', ['-c', command], {
            cwd: dir,
            env: { PATH: shims, HOME: dir, PYTHONHOME: '/nonexistent' },
            timeout: 5000,
          }).catch(() => undefined);
          expect(existsSync(join(dir, 'called')), `${module}.${key}: ${command}`).toBe(false);
          ran++;
        }
      }
    }
    expect(ran).toBeGreaterThan(0);
  });
});
