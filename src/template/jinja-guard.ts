/**
 * Jinja2 in playbooks, vars and .j2 templates is checked before any host is touched: it must
 * parse, and every filter, test and lookup it names must be one quorum has. A problem is an
 * error with its place, never text passed through.
 */
import { InputError, type SourceLocation } from '../errors.ts';
import { jinjaCheck } from './jinja/check.ts';
import { lineCol } from './jinja/scan.ts';
import { isUnsafe } from './unsafe.ts';

const TEMPLATED = /\{\{|\{%|\{#/;

/** What is wrong with the Jinja2 in `text`, or undefined. */
export function jinjaProblem(text: string): string | undefined {
  return TEMPLATED.test(text) ? jinjaCheck(text)?.message : undefined;
}

/** The place of the first problem in `text` as line and column, for template files. */
export function offsetOf(text: string): { line: number; col: number } {
  return lineCol(text, jinjaCheck(text)?.offset ?? 0);
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
        'TEMPLATE',
        `${problem} in ${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}`,
        where(key),
        'see "Jinja2" in the README for the filters, tests and lookups quorum has',
      );
  } else if (isUnsafe(value)) {
    // !unsafe: never templated, so never checked as a template
  } else if (Array.isArray(value)) for (const v of value) refuseJinja(v, where, key);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) refuseJinja(v, where, key || k);
}
