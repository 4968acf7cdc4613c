/**
 * The one Handlebars instance: strict (a missing variable is an error), no HTML escaping.
 * `{{ var }}` alone in a string keeps the variable's type (a list stays a list), as in Ansible.
 */

import { createRequire } from 'node:module';
import type HandlebarsModule from 'handlebars';
import { InputError } from '../errors.ts';
import { GLOBALS } from './engine-globals.ts';
import {
  evalValue,
  JinjaError,
  JinjaUndefined,
  OMIT,
  renderText,
  setValueRenderer,
  type TextOptions,
} from './jinja/engine.ts';
import { ControllerStateError, FilterError } from './jinja/filter-error.ts';
import { mentionsTemplate } from './jinja/templated-values.ts';
import { plainJinjaFile } from './plain-jinja.ts';
import { hasTemplate, lookupPath, MissingVariable, PLAIN_PART } from './plain-path.ts';
import { containsUnknown, isUnknown, UNKNOWN_SENTINEL, Unknown } from './unknown.ts';
import { isUnsafe } from './unsafe.ts';

export { hasTemplate, MissingVariable };

type Handlebars = typeof HandlebarsModule;
let instance: Handlebars | undefined;

/**
 * Loaded on first use: most runs render only plain `{{ path }}` text (renderPlain), and
 * loading Handlebars costs every start ~10 ms.
 */
function handlebars(): Handlebars {
  if (instance) return instance;
  const hb = (createRequire(import.meta.url)('handlebars') as Handlebars).create();
  hb.registerHelper('default', (value: unknown, fallback: unknown) =>
    value === undefined || value === null || value === '' ? fallback : value,
  );
  hb.registerHelper('join', (list: unknown, sep: unknown) =>
    Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ',') : String(list ?? ''),
  );
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('lower', (s: unknown) => String(s).toLowerCase());
  hb.registerHelper('upper', (s: unknown) => String(s).toUpperCase());
  instance = hb;
  return hb;
}

/**
 * The whole path of a variable Handlebars found missing. Its errors name one segment only:
 * strict mode says `"stdout" not defined` for `out.stdout` when `out` is missing, and a path
 * three deep fails with a TypeError reading a property of undefined. The path is the first
 * one in the template that holds that segment and does not resolve.
 */
function missingPath(template: string, message: string, vars: Record<string, unknown>) {
  const segment = (/^"([^"]+)" not defined/.exec(message) ??
    /^Cannot read properties of undefined \(reading '([^']+)'\)/.exec(message))?.[1];
  if (!segment) return undefined;
  const paths = [...template.matchAll(/\{\{[^}]*\}\}/g)].flatMap((m) =>
    [...m[0].matchAll(/(?<![\w.])[A-Za-z_][\w-]*(?:\.[\w-]+)*/g)].map((p) => p[0]),
  );
  const unresolved = paths.find((p) => {
    if (!p.split('.').includes(segment)) return false;
    try {
      lookupPath(vars, p, template);
      return false;
    } catch {
      return true;
    }
  });
  return unresolved ?? segment;
}

const compiled = new Map<string, HandlebarsModule.TemplateDelegate>();
const SINGLE = /^\{\{\s*(?!(?:true|false|none|True|False|None)\s*\}\})([A-Za-z_]\w*(?:\.\w+)*)\s*\}\}$/;

/** The engine's own names (`{{ omit }}`, `now`): not variables to look up, unless a variable has the name. */
const engineName = (path: string, vars: Record<string, unknown>) => {
  const head = /^[A-Za-z_]\w*/.exec(path.trim())?.[0] ?? '';
  return GLOBALS.has(head) && !(head in vars);
};

/**
 * Text with only plain `{{ path }}` parts, filled in without Handlebars: a compiled template's
 * every call sets up its helpers and costs ~50x more, and this is most of what a run renders.
 * A path that does not resolve is a MissingVariable, as Handlebars' strict mode makes it.
 * Anything else (helpers, blocks, escapes, `this`) is left to Handlebars.
 */
function renderPlain(template: string, vars: Record<string, unknown>, where: string): string | undefined {
  if (template.includes('{{{') || template.includes('\\{{')) return undefined;
  const rest = template.replace(PLAIN_PART, '');
  if (rest.includes('{{') || rest.includes('{%') || rest.includes('{#')) return undefined;
  // `this` is Handlebars' own context, not a variable
  if (/\{\{\s*this\b/.test(template)) return undefined;
  let printable = true;
  const out = template.replace(PLAIN_PART, (_, path: string) => {
    if (engineName(path, vars)) {
      printable = false;
      return '';
    }
    const raw = lookupPath(vars, path, where);
    if (isUnsafe(raw)) return raw.text; // as it is: never templated
    const value = raw;
    // Jinja prints other values as Python does (True, None, [1, 2]): the engine's job
    if (typeof value !== 'string' && typeof value !== 'number' && !isUnknown(value)) printable = false;
    if (typeof value === 'string' && hasTemplate(value)) printable = false;
    return String(value);
  });
  return printable ? out : undefined;
}

/** Plain text first, else Handlebars; "known after apply" when a value in it is not known yet. */
function render(template: string, vars: Record<string, unknown>, where: string, unknown: string): unknown {
  let out = renderPlain(template, vars, where);
  if (out === undefined) {
    let fn = compiled.get(template);
    if (!fn) {
      fn = handlebars().compile(template, { strict: true, noEscape: true });
      compiled.set(template, fn);
    }
    try {
      out = fn(vars);
    } catch (e) {
      const message = String((e as Error).message);
      const path = missingPath(template, message, vars);
      if (path) throw new MissingVariable(path, where);
      if (message.startsWith('Parse error on line')) {
        // Handlebars' own report is a grammar dump over four lines: keep what it expected
        const expected = message.split('\n').at(-1) ?? '';
        const short = template.length > 60 ? `${template.slice(0, 57)}...` : template;
        throw new InputError(
          'TEMPLATE_PARSE',
          `cannot parse the template ${JSON.stringify(short)}: ${expected.replace(/^Expecting /, 'expected ')}`,
          undefined,
          'a {{#block}} needs its {{/block}}; see "Templates" in the README',
        );
      }
      throw e;
    }
  }
  return out.includes(UNKNOWN_SENTINEL) ? new Unknown(unknown) : out;
}

/** The code of a template's error that is the controller's state, not bad input (ControllerStateError). */
export const CONTROLLER_STATE = 'TEMPLATE_CONTROLLER_STATE';

/** A Jinja2 engine error as quorum's: a missing variable, or an input error naming the template. */
function jinjaFailure(e: unknown, template: string): Error {
  if (e instanceof JinjaUndefined) return new MissingVariable(e.path, template);
  if (e instanceof JinjaError || e instanceof FilterError) {
    const short = template.length > 80 ? `${template.slice(0, 77)}...` : template;
    const code = e instanceof ControllerStateError ? CONTROLLER_STATE : 'TEMPLATE';
    return new InputError(code, `${e.message} in ${JSON.stringify(short)}`);
  }
  return e as Error;
}

const ONE_EXPRESSION = /^\{\{-?((?:(?!\}\}|\{\{).)*?)-?\}\}$/s;

/**
 * A string from YAML, as ansible-core 2.19 templates it: a template whose whole output is one
 * `{{ expr }}` gives that value with its type (a number stays a number, none is None, text
 * that looks like a list stays text); text around it, or two outputs, make text. 2.14 gave
 * text for numbers and None and read text back into lists (README, "Jinja2"). Plain
 * `{{ path }}` to a scalar is filled in directly: most of what a run renders.
 */
export function renderString(template: string, vars: Record<string, unknown>): unknown {
  if (!hasTemplate(template)) return template;
  // Jinja drops a template's last newline: one output keeps its type, text gets the newline back
  if (template.endsWith('\n') && !template.endsWith('\n\n')) {
    const value = renderBody(template.slice(0, -1), vars);
    return typeof value === 'string' ? `${value}\n` : value;
  }
  return renderBody(template, vars);
}

function renderBody(template: string, vars: Record<string, unknown>): unknown {
  const single = SINGLE.exec(template);
  if (single && !engineName(single[1], vars)) {
    const value = lookupPath(vars, single[1], template);
    if (isUnsafe(value)) return value.text; // !unsafe: the text as it is
    // a value that holds templates itself, anywhere inside it (a role default `[ '{{ d }}' ]`),
    // is rendered by the engine, as Ansible does
    if (!mentionsTemplate(value)) return value;
  }
  const plain = renderPlain(template, vars, template);
  if (plain !== undefined)
    return plain.includes(UNKNOWN_SENTINEL)
      ? new Unknown(`rendered from a value known after apply: ${template}`)
      : plain;
  try {
    const one = ONE_EXPRESSION.exec(template);
    if (one && !template.includes('{%')) {
      // a template written in YAML: its {{ }} string literals as written (Ansible's escape_backslashes)
      const r = evalValue(one[1], vars, true);
      return r.unknown || containsUnknown(r.value)
        ? new Unknown(`computed from a value known after apply: ${template}`)
        : r.value;
    }
    const r = renderText(template, vars, { rawStrings: true });
    if (r.unknown || r.text.includes(UNKNOWN_SENTINEL) || containsUnknown(r.native?.value))
      return new Unknown(`rendered from a value known after apply: ${template}`);
    return r.native ? r.native.value : r.text;
  } catch (e) {
    throw jinjaFailure(e, template);
  }
}

/** A Jinja2 template file (an Ansible .j2) to text. */
/**
 * A template file's first line `#jinja2: lstrip_blocks: True, trim_blocks: False` sets those
 * options for the file, as Ansible's template does (the line itself is not output).
 */
export function jinjaHeader(text: string, name: string): { body: string; options: TextOptions } {
  const m = /^#jinja2:([^\n]*)(\n|$)/.exec(text);
  if (!m) return { body: text, options: {} };
  const options: TextOptions = {};
  for (const pair of m[1].split(',')) {
    const [key, value] = pair.split(':').map((x) => x.trim());
    // 2.19 reads the value as a Python literal (ast.literal_eval): True or False, not true
    const flag = value === 'True' ? true : value === 'False' ? false : undefined;
    if (key === 'trim_blocks' && flag !== undefined) options.trimBlocks = flag;
    else if (key === 'lstrip_blocks' && flag !== undefined) options.lstripBlocks = flag;
    else
      throw new InputError(
        'TEMPLATE',
        `#jinja2: ${key}: ${value ?? ''} is not supported`,
        { file: name, line: 1, col: 1 },
        value === 'true' || value === 'false'
          ? `ansible-core 2.19 reads a Python literal there: write ${value === 'true' ? 'True' : 'False'}`
          : 'the #jinja2: line may set trim_blocks and lstrip_blocks (True or False)',
      );
  }
  return { body: text.slice(m[0].length), options };
}

export function renderJinjaFile(
  text: string,
  vars: Record<string, unknown>,
  name: string,
  options: TextOptions = {},
): string | Unknown {
  const header = jinjaHeader(text, name);
  const plain = plainJinjaFile(header.body, vars);
  if (plain !== undefined)
    return plain.includes(UNKNOWN_SENTINEL) ? new Unknown('template uses a value known after apply') : plain;
  try {
    // the file's own #jinja2: line wins over the task's parameters, as in Ansible
    const r = renderText(header.body, vars, { ...options, ...header.options });
    return r.unknown || r.text.includes(UNKNOWN_SENTINEL)
      ? new Unknown('template uses a value known after apply')
      : r.text;
  } catch (e) {
    throw jinjaFailure(e, name);
  }
}

/** Render every string inside a value (objects and lists too). */
export function renderDeep(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') return renderString(value, vars);
  // kept as it is (still marked) until a module's params take its text (unsafeAsText)
  if (isUnsafe(value)) return value;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars));
  if (value && typeof value === 'object' && !isUnknown(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const rendered = renderDeep(v, vars);
      // Ansible's `omit`: the key is left out, as if it had not been written
      if (rendered !== OMIT) out[k] = rendered;
    }
    return out;
  }
  return value;
}

/** Render a whole template file (.hbs) to text. */
export function renderFile(text: string, vars: Record<string, unknown>): string | Unknown {
  return render(text, vars, '(template file)', 'template uses a value known after apply') as string | Unknown;
}

setValueRenderer(renderDeep);
