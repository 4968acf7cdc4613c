/** Python `re` patterns and replacement strings, as Ansible's regex filters take them. */
import { FilterError } from './filter-error.ts';

/** A JS RegExp for a Python pattern: named groups `(?P<n>...)`, `(?P=n)`, `\A`, `\Z`, leading `(?ims)`. */
export function pyRegex(
  pattern: string,
  flags: { ignorecase?: unknown; multiline?: unknown },
  global = false,
): RegExp {
  // Python's inline flags at the start, `(?m)^x`: JavaScript's flags (a, L, u change nothing here)
  const inline = /^\(\?([aiLmsux]+)\)/.exec(pattern)?.[1] ?? '';
  if (inline.includes('x'))
    throw new FilterError('not a regular expression: the verbose flag (?x) is not supported');
  const source = pattern
    .slice(inline ? inline.length + 3 : 0)
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  try {
    return new RegExp(
      source,
      `${global ? 'g' : ''}${flags.ignorecase || inline.includes('i') ? 'i' : ''}${flags.multiline || inline.includes('m') ? 'm' : ''}${inline.includes('s') ? 's' : ''}`,
    );
  } catch (e) {
    // the pattern may be a secret (a private prompt): the reason without the pattern
    throw new FilterError(`not a regular expression: ${String((e as Error).message).replace(/^.*: /, '')}`);
  }
}

/** Python's expansion of `\1`, `\g<name>`, `\g<1>`, `\n` and `\\` in a replacement string. */
export function expand(repl: string, m: RegExpMatchArray): string {
  return repl.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/g, (all, named: string, num: string, ch: string) => {
    if (named !== undefined) return (/^\d+$/.test(named) ? m[Number(named)] : m.groups?.[named]) ?? '';
    if (num !== undefined) return m[Number(num)] ?? '';
    return ch === 'n' ? '\n' : ch === 't' ? '\t' : ch === '\\' ? '\\' : all;
  });
}

/** re.sub(pattern, repl, s, count). */
export function pySub(s: string, re: RegExp, repl: string, count: number): string {
  let out = '';
  let at = 0;
  let done = 0;
  for (const m of s.matchAll(re)) {
    if (count > 0 && done >= count) break;
    const i = m.index ?? 0;
    out += s.slice(at, i) + expand(repl, m);
    at = i + m[0].length;
    done++;
  }
  return out + s.slice(at);
}
