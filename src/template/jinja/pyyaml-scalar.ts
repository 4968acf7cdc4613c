/**
 * Scalars as libyaml's emitter sees them (emitter.c: yaml_emitter_analyze_scalar, IS_PRINTABLE,
 * the escapes of double-quoted text) and as PyYAML's representer makes them (null, true, ints,
 * floats' repr, text that would read back as another type is not plain). Used by pyyaml.ts.
 */
import { resolvePlainTag } from '../../yaml/scalars.ts';
import { pyFloatRepr } from './values.ts';

export const BREAKS = '\r\n\x85\u2028\u2029';
const SPACE_OR_BREAK = `\0 \t${BREAKS}`;
export const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

export interface Analysis {
  empty: boolean;
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
}

/** libyaml's IS_PRINTABLE: tab, CR, NEL and characters past the BMP are not. */
export function printable(c: string): boolean {
  const n = c.codePointAt(0) ?? 0;
  return (
    n === 0x0a ||
    (n >= 0x20 && n <= 0x7e) ||
    (n >= 0xa0 && n <= 0xd7ff) ||
    (n >= 0xe000 && n <= 0xfffd && n !== 0xfeff)
  );
}

/** PyYAML's analyze_scalar (allow_unicode on, as Ansible dumps). */
export function analyze(text: string): Analysis {
  if (text === '')
    return { empty: true, multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true };
  const s = Array.from(text);
  let flowIndicators = false;
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (text.startsWith('---') || text.startsWith('...')) flowIndicators = blockIndicators = true;
  let precededByWhitespace = true;
  let followedByWhitespace = s.length === 1 || SPACE_OR_BREAK.includes(s[1]);
  let previousSpace = false;
  let previousBreak = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowIndicators = blockIndicators = true;
      if (ch === '?' || ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '-' && followedByWhitespace) flowIndicators = blockIndicators = true;
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '#' && precededByWhitespace) flowIndicators = blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    if (!printable(ch)) special = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === s.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === s.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else previousSpace = previousBreak = false;
    precededByWhitespace = SPACE_OR_BREAK.includes(ch);
    followedByWhitespace = i + 2 >= s.length || SPACE_OR_BREAK.includes(s[i + 2]);
  }
  let flowPlain = true;
  let blockPlain = true;
  let singleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) flowPlain = blockPlain = false;
  if (breakSpace) flowPlain = blockPlain = singleQuoted = false;
  if (spaceBreak || special) flowPlain = blockPlain = singleQuoted = false;
  if (lineBreaks) flowPlain = blockPlain = false;
  if (flowIndicators) flowPlain = false;
  if (blockIndicators) blockPlain = false;
  return { empty: false, multiline: lineBreaks, flowPlain, blockPlain, singleQuoted };
}

/** A string's plain form reads back as a string (not a number, boolean, null, date, `<<`, `=`). */
const plainIsText = (s: string) => resolvePlainTag(s) === 'str' && s !== '<<' && s !== '=';

export type Scalar = { text: string; implicit: boolean };

export function scalarOf(v: unknown): Scalar | undefined {
  if (v === null || v === undefined) return { text: 'null', implicit: true };
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false', implicit: true };
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { text: '.nan', implicit: true };
    if (!Number.isFinite(v)) return { text: v > 0 ? '.inf' : '-.inf', implicit: true };
    if (Number.isInteger(v)) return { text: String(v), implicit: true };
    const r = pyFloatRepr(v).toLowerCase();
    return { text: !r.includes('.') && r.includes('e') ? r.replace('e', '.0e') : r, implicit: true };
  }
  if (typeof v === 'string') return { text: v, implicit: plainIsText(v) };
  return undefined;
}
