/**
 * The path batch (path-batch.ts) run by this machine's /bin/sh: many paths of every kind in one
 * command give what each gives alone and what the file system holds; a reply that does not add
 * up throws; and the probe cache asks again in base64, then path by path, when a batch fails,
 * so a file that is not UTF-8 text still reads exactly and only the step whose path cannot be
 * read fails.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProbeCache } from '../../src/execute/probe-cache.ts';
import { type PathRequest, parsePathBatch, pathBatchCommand } from '../../src/modules/path-batch.ts';
import { LocalTransport } from '../../src/transport/local.ts';
import type { ExecOptions, ExecResult, Transport } from '../../src/transport/types.ts';
import { workspace } from '../helpers/run-local.ts';

const local = new LocalTransport();
const ask = async (requests: PathRequest[]) =>
  parsePathBatch(requests, await local.exec(pathBatchCommand(requests), { purpose: 'probe' }));

/** A probe cache over this machine's shell that records every command (and may alter replies). */
function recordingCache(alter = (_command: string, r: ExecResult) => r) {
  const commands: string[] = [];
  const transport: Transport = {
    host: 'h1',
    close: async () => {},
    async exec(command: string, o: ExecOptions): Promise<ExecResult> {
      commands.push(command);
      return alter(command, await local.exec(command, o));
    },
  };
  return { commands, cache: new ProbeCache(transport) };
}

function tree() {
  const dir = workspace();
  mkdirSync(join(dir, 'd'), { mode: 0o750 });
  writeFileSync(join(dir, 'f'), 'héllo\nwörld\n', { mode: 0o640 });
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, "-o 'odd' name\nline"), 'odd\n');
  symlinkSync(join(dir, 'f'), join(dir, 'link'));
  symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
  symlinkSync('x -> y', join(dir, 'odd|link'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  return dir;
}

describe('path batch', () => {
  it('answers for many paths of every kind in one command, as each alone', async () => {
    const dir = tree();
    const p = (name: string) => join(dir, name);
    const requests: PathRequest[] = [
      { path: p('absent') },
      { path: p('d'), content: true },
      { path: p('f'), content: true, checksum: true },
      { path: p('empty'), content: true },
      { path: p("-o 'odd' name\nline"), content: true },
      { path: p('link'), content: true, checksum: true },
      { path: p('dangling') },
      { path: p('odd|link') },
      { path: p('fifo'), content: true },
      { path: p('f') },
      { path: p('f'), content: true },
      { path: p('empty'), sha1: true, checksum: true },
      { path: p('link'), sha1: true },
    ];
    const states = await ask(requests);
    const attrs = { owner: 'root', group: 'root' };
    expect(states).toEqual([
      { kind: 'absent' },
      { kind: 'directory', mode: '0750', ...attrs },
      {
        kind: 'file',
        mode: '0640',
        content: 'héllo\nwörld\n',
        checksum: createHash('sha256').update('héllo\nwörld\n').digest('hex'),
        ...attrs,
      },
      { kind: 'file', mode: '0644', content: '', ...attrs },
      { kind: 'file', mode: '0644', content: 'odd\n', ...attrs },
      { kind: 'link', mode: '0777', target: p('f'), dangling: false, ...attrs },
      { kind: 'link', mode: '0777', target: p('nowhere'), dangling: true, ...attrs },
      { kind: 'link', mode: '0777', target: 'x -> y', dangling: true, ...attrs },
      { kind: 'other', mode: '0644', ...attrs },
      { kind: 'file', mode: '0640', ...attrs },
      { kind: 'file', mode: '0640', content: 'héllo\nwörld\n', ...attrs },
      {
        kind: 'file',
        mode: '0644',
        checksum: createHash('sha256').update('').digest('hex'),
        sha1: createHash('sha1').update('').digest('hex'),
        ...attrs,
      },
      { kind: 'link', mode: '0777', target: p('f'), dangling: false, ...attrs },
    ]);
    const alone = await Promise.all(requests.map(async (r) => (await ask([r]))[0]));
    expect(alone).toEqual(states);
  });

  it('throws when the reply does not add up', async () => {
    const dir = tree();
    const requests = [{ path: join(dir, 'f'), content: true }];
    const r = await local.exec(pathBatchCommand(requests), { purpose: 'probe' });
    expect(parsePathBatch(requests, r)).toHaveLength(1);
    // a file that grew between stat and cat
    const size = Buffer.byteLength('héllo\nwörld\n');
    const grown = r.stdout.replace(`|${size}|`, `|${size - 1}|`);
    expect(grown).not.toBe(r.stdout);
    expect(() => parsePathBatch(requests, { ...r, stdout: grown })).toThrow(/changed while it was read/);
    expect(() => parsePathBatch(requests, { ...r, stdout: 'EE\n' })).toThrow(/unexpected reply/);
    expect(() => parsePathBatch(requests, { ...r, code: 1, stderr: 'stat: boom' })).toThrow(/stat: boom/);
  });

  it('send contents raw, and a batch with a file that is not UTF-8 text again in base64', async () => {
    const dir = tree();
    const binary = Buffer.from([0x61, 0xff, 0xfe, 0x00, 0x62]);
    writeFileSync(join(dir, 'bin'), binary);
    const { commands, cache } = recordingCache();
    const [first, ...ahead] = ['f', 'bin'].map((n) => ({
      path: { path: join(dir, n), content: true },
      become: false,
    }));
    expect(await cache.probePath(first, async () => ahead)).toMatchObject({ content: 'héllo\nwörld\n' });
    expect(await cache.probePath(ahead[0])).toMatchObject({ kind: 'file', content: binary.toString('utf8') });
    // the batch once raw, then once in base64
    expect(commands.map((c) => c.includes('base64'))).toEqual([false, true]);
  });

  it('go out with the probe asked for now first, what is sent ahead behind it', async () => {
    const dir = tree();
    const { commands, cache } = recordingCache();
    const ahead = [
      { command: 'echo ahead', become: false },
      { path: { path: join(dir, 'd') }, become: false },
    ];
    await cache.probePath({ path: { path: join(dir, 'f') }, become: false }, async () => ahead);
    expect(commands).toHaveLength(2);
    expect(commands[0]).toContain('stat --printf');
    expect(commands[1]).toBe('echo ahead');
    expect((await cache.probe(ahead[0] as { command: string; become: boolean })).stdout).toBe('ahead\n');
    expect(commands).toHaveLength(2);
  });

  it('are asked path by path when a batch fails: only the unreadable path fails', async () => {
    const dir = tree();
    // stands in for a file this user cannot read: any batch that names it fails
    const { commands, cache } = recordingCache((command, r) =>
      command.includes('empty') ? { ...r, code: 1, stderr: 'cat: empty: Permission denied' } : r,
    );
    const paths = ['f', 'empty', 'd'].map((n) => ({ path: join(dir, n), content: true }));
    const [first, ...ahead] = paths.map((path) => ({ path, become: false }));
    const now = cache.probePath(first, async () => ahead);
    expect(await now).toMatchObject({ kind: 'file', content: 'héllo\nwörld\n' });
    await expect(cache.probePath(ahead[0])).rejects.toThrow(/empty.*Permission denied/);
    expect(await cache.probePath(ahead[1])).toMatchObject({ kind: 'directory' });
    // the batch raw, the batch in base64, then one command per path
    expect(commands).toHaveLength(5);
  });

  it("take a file's checksum from its content when the batch reads it: no sha256sum", async () => {
    const dir = tree();
    const f = join(dir, 'f');
    const both = [
      { path: f, checksum: true },
      { path: f, content: true },
      { path: join(dir, 'empty'), checksum: true },
    ];
    expect(pathBatchCommand(both)).toContain('sha256sum');
    expect(pathBatchCommand(both.slice(0, 2))).not.toContain('sha256sum');
    const [sum, read] = await ask(both.slice(0, 2));
    expect(sum).toMatchObject({ checksum: createHash('sha256').update('héllo\nwörld\n').digest('hex') });
    expect(read).toMatchObject({ content: 'héllo\nwörld\n' });
    expect(sum).toEqual((await ask([both[0]]))[0]);
    // and its sha1 (stat's default checksum) the same way
    const [sha1] = await ask([
      { path: f, sha1: true },
      { path: f, content: true },
    ]);
    expect(sha1).toMatchObject({ sha1: createHash('sha1').update('héllo\nwörld\n').digest('hex') });
    expect(pathBatchCommand([{ path: f, sha1: true }])).toContain('sha1sum');
  });

  it('read again in base64 a file whose bytes decode to text of the same length (F0 9F 98 41)', async () => {
    const dir = tree();
    const odd = Buffer.from([0xf0, 0x9f, 0x98, 0x41]);
    writeFileSync(join(dir, 'odd'), odd);
    expect(Buffer.byteLength(odd.toString('utf8'))).toBe(odd.length);
    const { commands, cache } = recordingCache();
    const state = await cache.probePath({
      path: { path: join(dir, 'odd'), content: true, checksum: true },
      become: false,
    });
    expect(state).toMatchObject({ kind: 'file', checksum: createHash('sha256').update(odd).digest('hex') });
    expect(commands.map((c) => c.includes('base64'))).toEqual([false, true]);
  });
});
