/**
 * Plain `{{ path }}` parts, filled in without a template engine (render.ts for strings and
 * Handlebars files, plain-jinja.ts for Jinja2 files): how a path resolves, and its error.
 */
import { isUnknown } from './unknown.ts';

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

export function hasTemplate(s: string): boolean {
  return s.includes('{{') || s.includes('{%');
}

export function lookupPath(vars: Record<string, unknown>, path: string, template: string): unknown {
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

export const PLAIN_PART =
  /\{\{\s*(?!(?:true|false|none|True|False|None)\s*\}\})([A-Za-z_]\w*(?:\.\w+)*)\s*\}\}/g;
