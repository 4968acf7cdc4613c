/**
 * Ansible's free form for command and shell: `mv a b creates=/x chdir=/tmp` is the command
 * `mv a b` with the params creates and chdir (parse_kv with check_raw). Only these keys are
 * params; every other word stays in the command, quotes and all.
 */
const COMMAND_KEYS = new Set(['creates', 'removes', 'chdir', 'executable', 'stdin']);

interface Token {
  start: number;
  end: number;
  text: string;
}

/** Whitespace-separated words, quotes kept and honoured (a quoted space does not split). */
function words(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    const start = i;
    let quote = '';
    let jinja = 0;
    while (i < line.length && (quote || jinja > 0 || !/\s/.test(line[i]))) {
      // a space inside {{ }} or {% %} does not split either (`name={{ item }}`)
      if (!quote && (line.startsWith('{{', i) || line.startsWith('{%', i))) {
        jinja++;
        i += 2;
        continue;
      }
      if (!quote && jinja > 0 && (line.startsWith('}}', i) || line.startsWith('%}', i))) {
        jinja--;
        i += 2;
        continue;
      }
      if (quote) {
        if (line[i] === '\\' && quote === '"') i++;
        else if (line[i] === quote) quote = '';
      } else if (line[i] === '"' || line[i] === "'") quote = line[i];
      i++;
    }
    out.push({ start, end: i, text: line.slice(start, i) });
  }
  return out;
}

const unquote = (v: string) => (/^(['"]).*\1$/s.test(v) ? v.slice(1, -1) : v);

export function splitCommandFreeForm(line: string): { cmd: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  let cmd = '';
  let last = 0;
  for (const w of words(line)) {
    const m = /^([a-z_]+)=(.*)$/s.exec(w.text);
    if (!m || !COMMAND_KEYS.has(m[1])) continue;
    params[m[1]] = unquote(m[2]);
    // the word goes with the blanks before it; the command's own spacing stays as written
    cmd += line.slice(last, w.start).replace(/\s+$/, '');
    last = w.end;
  }
  cmd += line.slice(last);
  return { cmd: cmd.trim(), params };
}

/**
 * Ansible's `key=value` form of any other module (`package: name=haproxy state=present`):
 * every word must be one; undefined when one is not, so the caller can say so.
 */
export function splitKeyValues(line: string): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const w of words(line)) {
    const m = /^([A-Za-z_][\w]*)=(.*)$/s.exec(w.text);
    if (!m) return undefined;
    params[m[1]] = unquote(m[2]);
  }
  return params;
}

/**
 * ansible's parse_kv(line): `key=value` words as options (quotes around a value dropped), every
 * other word kept in `_raw_params`, joined with spaces. An `=` at a word's start or after a
 * backslash does not split it.
 */
export function parseKv(line: string): Record<string, string> {
  const params: Record<string, string> = {};
  const raw: string[] = [];
  for (const { text } of words(line)) {
    let pos = -1;
    for (let i = 1; i < text.length; i++)
      if (text[i] === '=' && text[i - 1] !== '\\') {
        pos = i;
        break;
      }
    if (pos < 0) raw.push(text.includes('=') ? text.replace(/\\=/g, '=') : text);
    else params[text.slice(0, pos).trim()] = unquote(text.slice(pos + 1).trim());
  }
  if (raw.length) params._raw_params = raw.join(' ');
  return params;
}
