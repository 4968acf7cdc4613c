/**
 * The one Handlebars instance: strict (a missing variable is an error), no HTML escaping.
 * `{{ var }}` alone in a string keeps the variable's type (a list stays a list), as in Ansible.
 */
import { createRequire } from 'node:module';
import type HandlebarsModule from 'handlebars';
import { InputError } from '../errors.ts';
import { isUnknown, UNKNOWN_SENTINEL, Unknown } from './unknown.ts';

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

/** A template referenced a variable that does not exist. */
export class MissingVariable extends Error {
  constructor(
    readonly variable: string,
    readonly template: string,
  ) {
    super(`undefined variable "${variable}" in "${template}"`);
    this.name = 'MissingVariable';
  }
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
const SINGLE = /^\{\{\s*([A-Za-z_][\w-]*(?:\.(?:[\w-]+|\[[^\]]+\]))*)\s*\}\}$/;

export function hasTemplate(s: string): boolean {
  return s.includes('{{');
}

function lookupPath(vars: Record<string, unknown>, path: string, template: string): unknown {
  let value: unknown = vars;
  for (const raw of path.split('.')) {
    const part = raw.startsWith('[') ? raw.slice(1, -1) : raw;
    if (isUnknown(value)) return value;
    if (value === null || typeof value !== 'object' || !(part in (value as object))) {
      throw new MissingVariable(path, template);
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const PLAIN_PART = /\{\{\s*([A-Za-z_][\w-]*(?:\.(?:[\w-]+|\[[^\]]+\]))*)\s*\}\}/g;

/**
 * Text with only plain `{{ path }}` parts, filled in without Handlebars: a compiled template's
 * every call sets up its helpers and costs ~50x more, and this is most of what a run renders.
 * A path that does not resolve is a MissingVariable, as Handlebars' strict mode makes it.
 * Anything else (helpers, blocks, escapes, `this`) is left to Handlebars.
 */
function renderPlain(template: string, vars: Record<string, unknown>, where: string): string | undefined {
  if (template.includes('{{{') || template.includes('\\{{')) return undefined;
  if (template.replace(PLAIN_PART, '').includes('{{')) return undefined;
  // `this` is Handlebars' own context, not a variable
  if (/\{\{\s*this\b/.test(template)) return undefined;
  return template.replace(PLAIN_PART, (_, path: string) => {
    const value = lookupPath(vars, path, where);
    return value === undefined || value === null ? '' : String(value);
  });
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

export function renderString(template: string, vars: Record<string, unknown>): unknown {
  if (!hasTemplate(template)) return template;
  const single = SINGLE.exec(template);
  if (single) return lookupPath(vars, single[1], template);
  return render(template, vars, template, `rendered from a value known after apply: ${template}`);
}

/** Render every string inside a value (objects and lists too). */
export function renderDeep(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') return renderString(value, vars);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars));
  if (value && typeof value === 'object' && !isUnknown(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderDeep(v, vars);
    return out;
  }
  return value;
}

/** Render a whole template file (.hbs) to text. */
export function renderFile(text: string, vars: Record<string, unknown>): string | Unknown {
  return render(text, vars, '(template file)', 'template uses a value known after apply') as string | Unknown;
}
