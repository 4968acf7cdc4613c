/**
 * Backslashes in string literals, as ansible-core 2.19 reads them: inside {{ }} of a template
 * written in YAML (task arguments, vars) a literal is its text as written (AnsibleLexer doubles
 * each backslash before Jinja reads escapes: `regex_replace('(.*)', '\\1')` gets `\\1`); in
 * {% %}, in conditions and in template files Jinja's escapes apply. Each case through 2.19.
 */
import { expect, it } from 'vitest';
import type { Case } from '../corpus/jinja-cases.ts';
import { against219 } from '../corpus/jinja-diff.ts';

const vars = { x: 'ab12', path: 'a.b.c' };
const at = (kind: Case['kind'], src: string): Case => ({
  role: 'escapes',
  where: 'escapes.j2',
  kind,
  src,
  vars,
});
const TEMPLATES = [
  "{{ 'a\\nb' }}",
  "{{ 'a\\\\nb' }}",
  "{{ 'tab\\there' }}",
  "{{ x | regex_replace('^(.*)$', '\\\\1-s') }}",
  "{{ x | regex_replace('^(.*)$', '\\1-s') }}",
  "{{ x | regex_replace('(\\\\d+)', '<\\\\g<1>>') }}",
  "{{ x | regex_search('\\\\d+') }}",
  "{{ path | regex_replace('\\\\.', '/') }}",
  "{{ path | regex_replace('\\.', '/') }}",
  '{{ "it\\\'s" }}',
  "{{ 'caf\\u00e9' }}",
  "{% set y = 'a\\nb' %}{{ y }}",
  "{% set y = 'a\\\\nb' %}len={{ y | length }}",
  "x={{ 'a\\nb' }} and {{ 'c' ~ '\\t' ~ 'd' }}",
  // escapes Python reads and minijinja does not: octal, \x, \a, \v, \U, and \/ kept as written
  "{{ 'o\\101 h\\x41 a\\a v\\v U\\U0001F600 s\\/ q\\q' }}",
  "{% set y = 'o\\101 h\\x41 s\\/ q\\q' %}{{ y }}",
];
const CONDITIONS = ["x is regex('\\\\d')", "'a\\nb' | length == 3", "x | regex_search('\\\\d+') == '12'"];
const CASES = [
  ...TEMPLATES.map((t) => at('value', t)),
  ...TEMPLATES.map((t) => at('file', t)),
  ...CONDITIONS.map((c) => at('cond', c)),
];

it(`backslashes in ${CASES.length} templates, conditions and template files, as 2.19 reads them`, async () => {
  const { theirs, differ } = await against219(CASES);
  expect(differ).toEqual([]);
  // the two readings differ where it matters: the same {{ }} in YAML and in a template file
  const same = (i: number) => JSON.stringify(theirs[i]) === JSON.stringify(theirs[i + TEMPLATES.length]);
  expect(same(0)).toBe(false);
  expect(same(3)).toBe(false);
});
