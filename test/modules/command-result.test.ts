/**
 * What command and shell register, held to ansible-core 2.19 side by side: the same keys, and
 * the same cmd (a list for command, the text for shell), msg, rc, output and its lines (none
 * for no output), also when creates/removes stops the command and when it fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const TASKS: Array<[string, string]> = [
  ['words', 'command: echo a b'],
  ['argv', 'command: { argv: [printf, "x\\\\ny"] }'],
  ['shell', 'shell: "echo out; echo err >&2"'],
  ['no output', 'command: "true"'],
  ['fails', 'command: "false"'],
  ['creates', 'command: echo skipped\n      args: { creates: /etc/hostname }'],
  ['removes', 'shell: echo skipped\n      args: { removes: /nonexistent/quorum }'],
  // the program is exec'd, not a shell's: a builtin is not used, a missing one fails unchanged
  ['missing program', 'command: nosuchprog-quorum a --password=x -p b --pass c'],
  ['not executable', 'command: /tmp'],
  ['no builtin', "command: echo 'a\\nb'"],
  ['shell missing', 'shell: echo x\n      args: { executable: /nonexistent/sh }'],
  ['chdir missing', 'command: echo x\n      args: { chdir: /nonexistent/quorum }'],
  // words expanded as Python's expanduser(expandvars()): set variables and ~ only, quotes or not
  ['variables', 'command: echo $HOME ~ ~/x ${HOME}x $NOPE_QUORUM "$HOME" a~b ~root ~nosuchuserq/x $PPID ${}'],
  ['not expanded', 'command: echo $HOME ~\n      args: { expand_argument_vars: false }'],
  ['argv expanded', 'command: { argv: [echo, "$HOME", "~/x"] }'],
  // creates/removes: glob patterns after chdir, expanded; a dangling link counts
  ['creates glob', 'command: echo ran\n      args: { creates: /etc/host* }'],
  ['creates dangling', 'command: echo ran\n      args: { creates: "{{ out }}/dangling" }'],
  ['creates home', 'command: echo ran\n      args: { creates: "~" }'],
  // a file named as the pattern does not match it, as glob.glob's [x] matches an x
  ['creates pattern-named file', 'command: echo ran\n      args: { creates: "{{ out }}/lit[x]" }'],
  ['creates in chdir', 'shell: echo ran\n      args: { chdir: /etc, creates: "host*" }'],
  ['removes variable', 'command: echo ran\n      args: { removes: "$HOME/.nothing-quorum*" }'],
  ['removes relative', 'command: echo ran\n      args: { removes: nothing-quorum }'],
  // stdin gets a newline unless told; only line breaks are stripped from the ends
  ['stdin', 'command: wc -c\n      args: { stdin: abc }'],
  ['stdin as is', 'command: wc -c\n      args: { stdin: abc, stdin_add_newline: false }'],
  ['trailing spaces', "command: printf 'a  \\n\\n'"],
  ['ends kept', "command: printf 'a  \\n\\n'\n      args: { strip_empty_ends: false }"],
  ['shell executable', 'shell: echo "$0 ${BASH_VERSION:+bash}"\n      args: { executable: /bin/bash }'],
  ['shell default', 'shell: echo "$0"'],
];

const KEEP = ['cmd', 'msg', 'rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'changed', 'failed'];

const play = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { out: ${out} }
  # one HOME for both engines (the oracle's own is a folder of its run)
  environment: { HOME: /tmp }
  tasks:
    - name: a dangling link
      file: { src: /nonexistent/quorum, dest: "{{ out }}/dangling", state: link, force: true }
    - name: a file named as a pattern
      file: { path: "{{ out }}/lit[x]", state: touch }
${TASKS.map(([name, body], i) => `    - name: ${name}\n      ${body}\n      register: r${i}\n      ignore_errors: true`).join('\n')}
    - name: results
      copy:
        dest: ${out}/results
        content: |
${TASKS.map((_, i) => `          {{ r${i}.keys() | sort | to_json }} {{ ${q(KEEP)} | map('extract', r${i}) | list | to_json }} {{ r${i}.start | default(none) is none }}`).join('\n')}
`;

function q(list: string[]): string {
  return `[${list.map((k) => `'${k}'`).join(', ')}]`;
}

describe('command and shell results, as ansible-core 2.19 registers them', () => {
  it('registers the same keys and values', async () => {
    const { out, run, oracle } = await sideBySide(play);
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(
      run.code,
      JSON.stringify(
        steps(run)
          .filter((s) => s.status === 'failed' && !s.ignored)
          .map((s) => s.error),
      ),
    ).toBe(0);
    expect(Object.fromEntries(steps(run).map((s) => [s.task, s.status]))).toEqual(
      ansibleStatuses(oracle.stdout),
    );
    const results = (d: string) => readFileSync(join(d, 'results'), 'utf8').replaceAll(d, 'OUT');
    expect(results(out.quorum)).toBe(results(out.ansible));
    const mine = results(out.quorum);
    expect(mine).toContain('"Did not run command since \'/etc/hostname\' exists"');
    expect(mine).toContain('"Error executing command.", 2, "", ""');
    expect(mine).toContain('"/tmp /tmp /tmp/x /tmpx $NOPE_QUORUM /tmp a~b /root ~nosuchuserq/x $PPID ${}"');
    expect(mine).toContain('skipped, since OUT/dangling exists');
  }, 60_000);
});
