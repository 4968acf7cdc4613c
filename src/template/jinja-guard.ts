/**
 * Jinja2 in playbooks, vars and .j2 templates is checked before any host is touched: it must
 * parse, and every filter, test and lookup it names must be one quorum has. A problem is an
 * error with its place, never text passed through.
 */
import { InputError, type SourceLocation } from '../errors.ts';
import { ansibleInstall } from '../modules/library/module-utils.ts';
import { ansibleSyntaxProblem } from './jinja/ansible-render.ts';
import { jinjaCheck } from './jinja/check.ts';
import { JinjaError } from './jinja/jinja-error.ts';
import { lineCol, scan } from './jinja/scan.ts';
import {
  importClosure,
  type TemplateLoader,
  type TemplateRef,
  templateRefs,
} from './jinja/template-imports.ts';
import { isUnsafe } from './unsafe.ts';

const TEMPLATED = /\{\{|\{%|\{#/;

/** What is wrong with the Jinja2 in `text`, or undefined. */
export function jinjaProblem(text: string): string | undefined {
  return TEMPLATED.test(text) ? jinjaCheck(text)?.message : undefined;
}

/**
 * A template file (`name` as the task names it) and every file it includes or imports, found by
 * `load`: each must pass the check; a problem is refused with its file, line and column.
 */
export function refuseTemplateFile(text: string, name: string, load: TemplateLoader): void {
  const refuse = (source: string, file: string) => {
    const problem = TEMPLATED.test(source) ? jinjaCheck(source, false, true) : undefined;
    // an in-place call only: ansible-core's templar renders the file, where it is installed
    const ansible = problem?.ansibleCan && !(ansibleInstall() instanceof Error);
    const syntax = ansible ? ansibleSyntaxProblem(source) : undefined;
    if (syntax)
      throw new InputError('TEMPLATE', `syntax error: ${syntax.message}`, {
        file,
        line: syntax.line,
        col: 1,
      });
    if (problem && !ansible)
      throw new InputError(
        'TEMPLATE',
        problem.ansibleCan
          ? `${problem.message}; or install ansible-core on the controller, whose templar then renders such a template file`
          : problem.message,
        { file, ...lineCol(source, problem.offset) },
        'see "Jinja2" in the README',
      );
    return templateRefs(scan(source)) as TemplateRef[];
  };
  const refs = refuse(text, name);
  try {
    importClosure(refs, load, (f) => refuse(f.text, f.file));
  } catch (e) {
    if (e instanceof JinjaError) throw new InputError('TEMPLATE', e.message, { file: name, line: 1, col: 1 });
    throw e;
  }
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
