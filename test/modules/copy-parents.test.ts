/**
 * Ansible's copy and template write into a folder that exists: a missing one fails the task
 * ("Destination directory X does not exist") and nothing is made, unless dest ends with `/`
 * (copy then makes the folders). quorum's TypeScript roles keep `ctx.copy`'s making of parent
 * folders; Ansible content gets Ansible's rule. Held to ansible-playbook 2.19 on the same play.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeEnds, validateCli } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string, task: string) =>
  ['- hosts: all', '  gather_facts: false', '  tasks:', `    - ${task.replaceAll('OUT', out)}`, ''].join(
    '\n',
  );

const CASES: Array<[string, string, boolean]> = [
  ['copy content into a missing folder', 'copy: { dest: OUT/missing/f, content: x }', false],
  ['template into a missing folder', 'template: { src: t.j2, dest: OUT/missing/f }', false],
  ['copy a file to a missing folder named with /', 'copy: { src: f.txt, dest: OUT/made/deeper/ }', true],
];

describe('copy and template into a folder that does not exist', () => {
  it.each(CASES)(
    '%s: as ansible-core 2.19',
    async (_name, task, succeeds) => {
      const { dir, run, oracle } = await sideBySide((out) => play(out, task), {
        't.j2': 'x\n',
        'f.txt': 'x\n',
      });
      expect(oracle.code === 0, oracle.stdout).toBe(succeeds);
      expect(run.code === 0).toBe(succeeds);
      if (succeeds) {
        expect(readFileSync(join(dir, 'q/made/deeper/f.txt'), 'utf8')).toBe('x\n');
        expect(readFileSync(join(dir, 'a/made/deeper/f.txt'), 'utf8')).toBe('x\n');
        return;
      }
      expect(oracle.stdout).toContain(`Destination directory ${join(dir, 'a/missing')} does not exist`);
      expect(nodeEnds(run)[0].reason).toContain(
        `Destination directory ${join(dir, 'q/missing')} does not exist`,
      );
      expect(existsSync(join(dir, 'q/missing'))).toBe(false);
    },
    60_000,
  );

  it('is not a parameter an Ansible task may set', () => {
    const r = validateCli(
      '- hosts: all\n  tasks:\n    - copy: { dest: /tmp/x/y, content: x, parents: true }\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:3:\d+: .*parents/);
  });
});
