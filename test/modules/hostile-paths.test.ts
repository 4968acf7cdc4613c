/**
 * Values that reach a shell stay data: paths and contents full of shell syntax go through the
 * real engine and this machine's shell (local transport, in a temporary folder). If any were
 * pasted into a command unquoted, `touch pwned` would run and leave a file behind.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

// every way a shell could be talked into running `touch pwned`; `\${HOME x` is no variable (no
// closing brace), since a path's `$HOME` is expanded on purpose, as Ansible's modules expand it
// (host-paths.test.ts)
const HOSTILE = `h'q"$(touch pwned)\`touch pwned\`;touch pwned;#&|<>\\ *?[x]{a,b}~\${HOME x`;

describe('hostile values in module parameters', () => {
  const dir = workspace();
  const cwd = process.cwd();
  // a command that ran would drop `pwned` in its working directory: this one
  beforeAll(() => process.chdir(dir));
  afterAll(() => process.chdir(cwd));

  it('file, copy, lineinfile, blockinfile, stat and command with creates: nothing runs that was not asked', async () => {
    const base = join(dir, HOSTILE);
    const tasks = [
      { name: 'a folder', file: { path: base, state: 'directory', mode: '0750' } },
      { name: 'a file', copy: { dest: join(base, HOSTILE), content: `${HOSTILE}\n`, mode: '0640' } },
      {
        name: 'a line',
        lineinfile: { path: join(base, 'lines'), line: HOSTILE, regexp: '^h', create: true },
      },
      { name: 'a block', blockinfile: { path: join(base, 'block'), block: HOSTILE, create: true } },
      { name: 'a link', file: { path: join(base, 'link'), src: join(base, HOSTILE), state: 'link' } },
      { name: 'touched', file: { path: join(base, `t${HOSTILE}`), state: 'touch' } },
      { name: 'look', stat: { path: join(base, HOSTILE) }, register: 'st' },
      { name: 'guarded', command: { argv: ['echo', HOSTILE], creates: join(base, HOSTILE) } },
    ];
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': JSON.stringify([{ hosts: 'all', tasks }]),
    });
    const check = await runLocal(dir, { check: true });
    expect(check.code).toBe(0);
    const run = await runLocal(dir);
    expect(run.code).toBe(0);
    expect(readdirSync(dir)).not.toContain('pwned');
    expect(readdirSync(base)).not.toContain('pwned');
    expect(statSync(base).mode & 0o777).toBe(0o750);
    expect(readFileSync(join(base, HOSTILE), 'utf8')).toBe(`${HOSTILE}\n`);
    expect(readFileSync(join(base, 'lines'), 'utf8')).toBe(`${HOSTILE}\n`);
    expect(readFileSync(join(base, 'block'), 'utf8')).toContain(`\n${HOSTILE}\n`);
    expect(readlinkSync(join(base, 'link'))).toBe(join(base, HOSTILE));
    expect(existsSync(join(base, `t${HOSTILE}`))).toBe(true);
    const second = await runLocal(dir);
    // state=touch sets the times to now at every run, as Ansible does (through the hostile path
    // too); creates is a glob pattern as 2.19's command module reads it, and its `[x]` matches an
    // x, not the file's `[x]`: echo runs again (its words expanded as Python's, nothing as shell)
    expect(
      second.events.flatMap((e) => (e.type === 'step' && e.status === 'changed' ? [e.task] : [])),
    ).toEqual(['touched', 'guarded']);
    expect(readdirSync(dir)).not.toContain('pwned');
  });
});
