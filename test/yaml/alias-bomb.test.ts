/** Hostile YAML: aliases that expand past a limit are refused when the file is read, naming it. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { loadYaml } from '../../src/yaml/load.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

/** Nine levels of ten aliases each: about 10^9 values in a few hundred bytes. */
function bomb(indent = '    '): string {
  const levels = 'abcdefghi'.split('');
  return levels
    .map((name, i) =>
      i === 0
        ? `${indent}${name}: &${name} [${Array(10).fill('"x"').join(',')}]`
        : `${indent}${name}: &${name} [${Array(10)
            .fill(`*${levels[i - 1]}`)
            .join(',')}]`,
    )
    .join('\n');
}

describe('alias bombs', () => {
  it('are refused while reading, with the file named', () => {
    const text = `all:\n  vars:\n${bomb()}\n`;
    expect(text.length).toBeLessThan(700);
    let error: unknown;
    try {
      loadYaml(text, 'inv.yml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).describe()).toMatch(
      /^inv\.yml: its aliases expand to about 1\.\de\+9 values, more than 1,000,000/,
    );
  });

  it('anchors and aliases of ordinary size still load, shared as before', () => {
    const doc = loadYaml('base: &b { port: 80 }\na: *b\nb: *b\n', 'ok.yml') as Record<string, unknown>;
    expect(doc.a).toEqual({ port: 80 });
    // just under the limit still loads: about 900,000 values
    const wide = `big: &b [${Array(1000).fill('1').join(',')}]\nl1: &l1 [${Array(10).fill('*b').join(',')}]\nl2: &l2 [${Array(10).fill('*l1').join(',')}]\nl3: [${Array(8).fill('*l2').join(',')}]\n`;
    expect(() => loadYaml(wide, 'wide.yml')).not.toThrow();
    expect(() => loadYaml(`${wide}l4: [*l2, *l2]\n`, 'wide.yml')).toThrow(/more than 1,000,000/);
  });

  it('inventory --list and validate stop at once on a bomb (not minutes, not gigabytes)', () => {
    const dir = workspace();
    writeFiles(dir, {
      'inv.yml': `all:\n  vars:\n${bomb()}\n  hosts:\n    h1:\n`,
      'play.yml': `- hosts: all\n  vars:\n${bomb('      ')}\n  tasks: []\n`,
      'hosts.ini': 'h1 ansible_connection=local\n',
    });
    const list = quorum(['inventory', '-i', join(dir, 'inv.yml'), '--list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain('inv.yml: its aliases expand to');
    const validate = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain('play.yml: its aliases expand to');
  });
});
