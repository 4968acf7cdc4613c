/**
 * An undefined variable handed to a template's own macro is bound as Undefined, as Jinja2 binds
 * it, and the macro may test it (linux-system-roles' ssh_config.j2: `body_option("X", ssh_X)`
 * with `override is defined` inside); quorum failed the template at the call. A macro that
 * uses it otherwise fails, as in 2.19. Each case rendered by ansible-core 2.19 and by quorum.
 */
import { expect, it } from 'vitest';
import type { Case } from '../corpus/jinja-cases.ts';
import { against219, valueCase } from '../corpus/jinja-diff.ts';

const v = valueCase('macros');
const file = (src: string, vars: Record<string, unknown> = {}): Case => ({
  role: 'macros',
  where: 'macro.j2',
  kind: 'file',
  src,
  vars,
});

const OPTION = `{% macro body_option(key, override) %}
{%   if override is defined and override is not none %}
{{ key }} {{ override }}
{%   endif %}
{% endmacro %}
`;

const CASES: Case[] = [
  file(
    `${OPTION}{{ body_option("AddKeysToAgent", ssh_AddKeysToAgent) -}}\n{{ body_option("Port", ssh_Port) -}}\n`,
    {
      ssh_Port: 22,
    },
  ),
  file(`${OPTION}{{ body_option(key="A", override=nope) -}}\nend\n`),
  v('{% macro m(x) %}{{ x is defined }}{% endmacro %}x={{ m(nope) }}'),
  v('{% macro m(a, x) %}{{ x | default("d") }}{% endmacro %}x={{ m(1, nope) }}'),
  v('{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(nope) }}'),
  v('{% macro m(x) %}{{ x | length }}{% endmacro %}{{ m(nope) }}'),
  v('{% macro m(x) %}{{ x }}{% endmacro %}{{ m(nope.key) }}'),
  v('{{ nope | length }}'),
  v('{% macro m(x) %}{{ x }}{% endmacro %}{{ m([nope]) }}'),
];

it(`gives Ansible's result on all ${CASES.length} cases`, async () => {
  const { theirs, differ } = await against219(CASES);
  expect(differ).toEqual([]);
  expect(theirs.filter((o) => 'ok' in o).length).toBeGreaterThanOrEqual(4);
});
