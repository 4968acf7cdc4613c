/**
 * A Jinja2 string literal's text as Python reads it (Jinja's lexer: the text between the quotes
 * through Python's unicode-escape codec), written back as a literal the engine reads to the
 * same text. minijinja knows fewer escapes (no octal `\1`, `\x41`, `\a`, `\v`, `\U`) and reads
 * `\/` and unknown ones its own way; Ansible's escape_backslashes reads the text as written.
 */

import { PY_SIMPLE_ESCAPES as SIMPLE } from '../../py-escapes.ts';

/** The text Python's unicode-escape gives, or undefined where Python would refuse it (a truncated \x, \N{...}). */
export function pyUnescape(text: string): string | undefined {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return undefined; // a trailing backslash: "\ at end of string"
    if (next in SIMPLE) {
      out += SIMPLE[next];
      i++;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
    if (octal) {
      out += String.fromCodePoint(Number.parseInt(octal[0], 8));
      i += octal[0].length;
      continue;
    }
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (width) {
      const hex = text.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) return undefined;
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff) return undefined;
      out += String.fromCodePoint(code);
      i += 1 + width;
      continue;
    }
    if (next === 'N') return undefined;
    // an unknown escape stays as written
    out += c;
  }
  return out;
}

/**
 * The literal (quotes included) the engine should read instead, or undefined to leave it: with
 * `raw`, its text as written; else Python's reading of its escapes.
 */
export function engineLiteral(literal: string, raw: boolean): string | undefined {
  const inner = literal.slice(1, -1);
  if (!raw && !inner.includes('\\')) return undefined;
  const text = raw ? inner : pyUnescape(inner);
  return text === undefined ? undefined : JSON.stringify(text);
}
