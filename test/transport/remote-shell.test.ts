/** The persistent shell's framing, against a real local /bin/sh standing in for the SSH channel. */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RemoteShell, type ShellChannel } from '../../src/transport/remote-shell.ts';

/** A local /bin/sh; with `chunk`, its stdout arrives in pieces of that many bytes. */
function localShell(chunk?: number): RemoteShell {
  const sh = spawn('/bin/sh', [], { stdio: ['pipe', 'pipe', 'pipe'] });
  // a pipe to a shell that was killed fails a later write with EPIPE, which an ssh2 channel (in
  // process) never raises: RemoteShell learns of the end from 'close', as with the real channel
  sh.stdin.on('error', () => {});
  const pieces = (cb: (c: Buffer) => void) => (data: Buffer) => {
    if (!chunk) return cb(data);
    for (let i = 0; i < data.length; i += chunk) cb(data.subarray(i, i + chunk));
  };
  const channel: ShellChannel = {
    write: (d) => sh.stdin.write(d),
    once: (_e, cb) => sh.stdin.once('drain', cb),
    end: () => sh.stdin.end(),
    on: (event: string, cb: (chunk: Buffer) => void) => {
      if (event === 'data') sh.stdout.on('data', pieces(cb));
      else sh.on('close', cb as () => void);
    },
    stderr: { on: (_e, cb) => sh.stderr.on('data', cb) },
  } as ShellChannel;
  return new RemoteShell(channel);
}

describe('RemoteShell', () => {
  it('separates stdout, stderr and exit code of consecutive commands', async () => {
    const shell = localShell();
    expect(await shell.run('echo out; echo err >&2; exit 3')).toEqual({
      code: 3,
      stdout: 'out\n',
      stderr: 'err\n',
    });
    expect(await shell.run('printf "no newline"')).toEqual({ code: 0, stdout: 'no newline', stderr: '' });
    expect(await shell.run('cd /; x=1')).toEqual({ code: 0, stdout: '', stderr: '' });
    // each command runs in a subshell: the `cd` and variable above did not leak
    expect((await shell.run('pwd; echo "[$x]"')).stdout).toBe(`${process.cwd()}\n[]\n`);
    shell.close();
  });

  it('keeps a character split across chunks whole, in pipelined replies', async () => {
    for (let chunk = 1; chunk <= 9; chunk++) {
      const shell = localShell(chunk);
      const replies = await Promise.all(
        ['é', 'wörld', '→ ok', 'ü'].map((t) => shell.run(`printf '%s' '${t}'`)),
      );
      expect(replies.map((r) => r.stdout)).toEqual(['é', 'wörld', '→ ok', 'ü']);
      shell.close();
    }
  });

  it('feeds stdin exactly (unicode, quotes, no trailing newline) and none when not given', async () => {
    const shell = localShell();
    const text = 'héllo \'quoted\' "double" $HOME `x`\nsecond line';
    expect((await shell.run('cat', text)).stdout).toBe(text);
    expect((await shell.run('cat')).stdout).toBe('');
    shell.close();
  });

  it('takes commands pipelined and answers each in order, with its own output and stdin', async () => {
    const shell = localShell();
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 3 === 0 ? shell.run('cat; echo " $?" >&2', `in${i}`) : shell.run(`echo out${i}; exit ${i % 7}`),
      ),
    );
    replies.forEach((r, i) => {
      if (i % 3 === 0) expect(r).toEqual({ code: 0, stdout: `in${i}`, stderr: ' 0\n' });
      else expect(r).toEqual({ code: i % 7, stdout: `out${i}\n`, stderr: '' });
    });
    shell.close();
  });

  it('feeds bytes as they are, to a command of several lines, pipelined with others', async () => {
    const shell = localShell();
    const bytes = Buffer.concat([randomBytes(300_000), Buffer.from([0xff, 0xfe, 0, 0x0a])]);
    const [first, second, third] = await Promise.all([
      shell.run('x=1\nsha256sum | cut -c1-64', bytes),
      shell.run('wc -c', Buffer.alloc(0)),
      shell.run('od -An -tx1 | tr -d " \\n"', Buffer.from([0xef, 0xbf, 0xbd, 0x5f])),
    ]);
    expect(first.stdout.trim()).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(second.stdout.trim()).toBe('0');
    expect(third.stdout).toBe('efbfbd5f');
    shell.close();
  });

  it('collects a large reply arriving in small chunks, and the reply after it', async () => {
    const shell = localShell(1024);
    const [big, next] = await Promise.all([
      shell.run('head -c 20000000 /dev/zero | tr "\\0" a'),
      shell.run('echo after'),
    ]);
    expect(big.stdout.length).toBe(20_000_000);
    expect(big.stdout.replaceAll('a', '')).toBe('');
    expect(next.stdout).toBe('after\n');
    shell.close();
  });

  it('fails pending and later commands once the shell is gone', async () => {
    const shell = localShell();
    const before = shell.run('true');
    const killing = shell.run('kill -9 $$; sleep 0.2');
    const behind = shell.run('echo never');
    await expect(before).resolves.toMatchObject({ code: 0 });
    await expect(killing).rejects.toThrow(/closed/);
    await expect(behind).rejects.toThrow(/closed/);
    await expect(shell.run('true')).rejects.toThrow(/closed/);
  });
});
