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
];

const KEEP = ['cmd', 'msg', 'rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'changed', 'failed'];

const play = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
${TASKS.map(([name, body], i) => `    - name: ${name}\n      ${body}\n      register: r${i}\n      ignore_errors: true`).join('\n')}
    - name: results
      copy:
        dest: ${out}/results
        content: |
${TASKS.map((_, i) => `          {{ r${i}.keys() | sort | to_json }} {{ ${q(KEEP)} | map('extract', r${i}) | list | to_json }} {{ r${i}.start is none }}`).join('\n')}
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
    const results = (d: string) => readFileSync(join(d, 'results'), 'utf8');
    expect(results(out.quorum)).toBe(results(out.ansible));
    expect(results(out.quorum)).toContain('"Did not run command since \'/etc/hostname\' exists"');
  }, 60_000);
});
