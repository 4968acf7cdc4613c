/**
 * ansible-core 2.19's two rules that 2.14 did not have, held to 2.19 running the same play: a
 * template whose whole output is one value keeps its type (a number stays a number, None stays
 * None, text that looks like a list stays text), and a condition must give a boolean.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeEnds } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const FACTS = {
  next_port: '{{ port | int + 1 }}',
  nothing: '{{ missing | default(none) }}',
  looks_true: "{{ 'True' }}",
  looks_list: "{{ '[1, 2]' }}",
  two_outputs: '{{ port }}{{ port }}',
  one_in_block: '{% if port %}{{ port | int }}{% endif %}',
  printed_nothing: '{% if not port %}x{% endif %}',
  with_newline: '{{ port | int }}\n',
  text_newline: '{{ name }}\n',
  ratio: '{{ 3 / 2 }}',
};

function play(out: string): string {
  const facts = Object.entries(FACTS).map(([k, v]) => `        ${k}: ${JSON.stringify(v)}`);
  return [
    '- hosts: h1',
    '  gather_facts: false',
    '  vars: { port: "8080", name: web, enabled: "yes" }',
    '  tasks:',
    '    - set_fact:',
    ...facts,
    '    - copy:',
    `        dest: ${out}/facts.json`,
    `        content: "{{ {${Object.keys(FACTS)
      .map((k) => `'${k}': ${k}`)
      .join(', ')}} | to_json }}"`,
    '    - name: converted',
    `      copy: { dest: ${out}/converted, content: "yes" }`,
    '      when: enabled | bool',
    '    - name: text as a condition',
    `      copy: { dest: ${out}/text, content: "yes" }`,
    '      when: enabled',
    '',
  ].join('\n');
}

describe('values and conditions as ansible-core 2.19 has them', () => {
  it('keeps a single output its type, and refuses a condition that is not a boolean', async () => {
    const { out, run, oracle } = await sideBySide(play);

    const facts = JSON.parse(readFileSync(join(out.ansible, 'facts.json'), 'utf8'));
    expect(facts).toEqual({
      next_port: 8081,
      nothing: null,
      looks_true: 'True',
      looks_list: '[1, 2]',
      two_outputs: '80808080',
      one_in_block: 8080,
      printed_nothing: null,
      with_newline: 8080,
      text_newline: 'web\n',
      ratio: 1.5,
    });
    expect(JSON.parse(readFileSync(join(out.quorum, 'facts.json'), 'utf8'))).toEqual(facts);

    // `| bool` converts "yes"; the bare text stops the host in both
    expect(readFileSync(join(out.quorum, 'converted'), 'utf8')).toBe('yes');
    expect(readFileSync(join(out.ansible, 'converted'), 'utf8')).toBe('yes');
    expect(oracle.code).toBe(2);
    expect(oracle.stdout).toMatch(/Conditionals must have a boolean result/);
    expect(run.code).not.toBe(0);
    const refused = nodeEnds(run).find((s) => s.item === 'text as a condition');
    expect(refused?.status).toBe('failed');
    expect(refused?.reason).toMatch(
      /Conditional result \(True\) was derived from value of type 'str' in condition: enabled\. Conditionals must have a boolean result/,
    );
  }, 60_000);
});
