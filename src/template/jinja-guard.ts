/**
 * quorum renders `{{ var }}` with Handlebars, not Jinja2. Jinja2 that Ansible content carries
 * would otherwise pass through as text ({% if %} blocks left in a config file) or fail with a
 * parser's grammar dump: it is refused up front, with its place.
 */
import { InputError, type SourceLocation } from '../errors.ts';

const STATEMENT = /\{%-?|(?<!\{)\{#/;
/** `{{ x | filter }}`, `{{ a if c else b }}`, `{{ x.split(':') }}`: Jinja inside braces. */
const JINJA_EXPRESSION = /\{\{(?![#/^>!])(?:(?!\}\}).)*?(\|(?!\s*\}\})|\bif\b.*\belse\b|\.\w+\()/s;

/** What about `text` is Jinja2 that quorum does not implement, or undefined. */
export function jinjaProblem(text: string): string | undefined {
  const statement = STATEMENT.exec(text);
  if (statement)
    return statement[0].startsWith('{#')
      ? "Jinja2 comments ({# ... #}) are not supported: quorum's {{ }} is Handlebars"
      : "Jinja2 statements ({% ... %}) are not supported: quorum's {{ }} is Handlebars (block helpers such as {{#if x}}...{{/if}})";
  const expr = JINJA_EXPRESSION.exec(text);
  if (expr)
    return `Jinja2 expressions in {{ }} (${expr[1].trim().startsWith('|') ? 'filters' : expr[1].includes('if') ? 'inline if' : 'method calls'}) are not supported: quorum's {{ }} is Handlebars (helpers such as {{default x "y"}}); conditions (when, changed_when, failed_when, until) take filters`;
  return undefined;
}

/** The offset of the first problem in `text` as line and column, for template files. */
export function offsetOf(text: string): { line: number; col: number } {
  const m = STATEMENT.exec(text) ?? JINJA_EXPRESSION.exec(text);
  const at = m?.index ?? 0;
  const before = text.slice(0, at).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

/** Every string in `value` (params, vars), located by `where` at the key that holds it. */
export function refuseJinja(
  value: unknown,
  where: (key: string) => SourceLocation | undefined,
  key = '',
): void {
  if (typeof value === 'string') {
    const problem = jinjaProblem(value);
    if (problem)
      throw new InputError(
        'JINJA_UNSUPPORTED',
        problem,
        where(key),
        'see "Templates" in the README for what {{ }} does; a TypeScript role can do the rest',
      );
  } else if (Array.isArray(value)) for (const v of value) refuseJinja(v, where, key);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) refuseJinja(v, where, key || k);
}
