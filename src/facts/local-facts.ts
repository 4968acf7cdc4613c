/**
 * ansible_local: each *.fact file of the fact path, as ansible-core 2.19's LocalFactCollector
 * (module_utils/facts/system/local.py) reads it: an executable one is run and its output used,
 * the text parsed as JSON, else as an INI file the way configparser.ConfigParser reads one
 * (sections, `key = value` or `key: value`, keys lower-cased, indented continuation lines,
 * [DEFAULT] under every section, %(name)s interpolation); a file that is neither becomes the
 * collector's error text, as there.
 */

export function localFacts(section: string): { local: Record<string, unknown>; warnings: string[] } {
  const local: Record<string, unknown> = {};
  const warnings: string[] = [];
  const files: Array<Record<string, string>> = [];
  for (const line of section.split('\n')) {
    const at = line.indexOf(' ');
    if (at < 0) continue;
    const [key, value] = [line.slice(0, at), line.slice(at + 1)];
    if (key === 'file') files.push({});
    const current = files.at(-1);
    if (current) current[key] = value;
  }
  const decode = (b64 = '') => Buffer.from(b64, 'base64');
  for (const f of files.sort((a, b) => cmp(decode(a.file), decode(b.file)))) {
    const fn = decode(f.file).toString();
    const base = fn.split('/').at(-1)?.replace('.fact', '') ?? fn;
    let out: Buffer;
    if (f.rc !== undefined) {
      if (f.rc !== '0') {
        local[base] = `Failure executing fact script (${fn}), rc: ${f.rc}, err: ${decode(f.err).toString()}`;
        warnings.push(local[base] as string);
        continue;
      }
      out = decode(f.out);
    } else out = decode(f.text);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(out);
    } catch {
      local[base] = `error loading fact - output of running "${fn}" was not utf-8`;
      warnings.push(local[base] as string);
      continue;
    }
    const fact = parseFact(text, fn);
    if (fact instanceof FactError) warnings.push((local[base] = fact.message));
    else local[base] = fact;
  }
  return { local, warnings };
}

/** A fact file that could not be read: its text is the fact, and a warning. */
class FactError {
  constructor(readonly message: string) {}
}

/** Python sorts the glob's names by code point. */
const cmp = (a: Buffer, b: Buffer) => Buffer.compare(a, b);

function parseFact(text: string, fn: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const ini = parseIni(text);
    // a bad %-interpolation: the collector's text also carries configparser's own message
    if (ini === 'interpolation')
      return new FactError(`error loading facts as ini - please check content: ${fn}`);
    if (ini === 'syntax')
      return new FactError(`error loading facts as JSON or ini - please check content: ${fn}`);
    return ini;
  }
}

type Ini = Record<string, Record<string, string>>;

/** ConfigParser's reading of a file; 'syntax' for what read_file refuses. */
function parseIni(text: string): Ini | string {
  const sections = new Map<string, Map<string, string[]>>();
  const defaults = new Map<string, string[]>();
  let current: Map<string, string[]> | undefined;
  let lastKey: string | undefined;
  let lastIndent = 0;
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const stripped = raw.trim();
    const indent = raw.length - raw.trimStart().length;
    if (stripped.startsWith('#') || stripped.startsWith(';')) continue;
    if (stripped === '') {
      if (current && lastKey) current.get(lastKey)?.push('');
      continue;
    }
    if (current && lastKey && indent > lastIndent) {
      current.get(lastKey)?.push(stripped);
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(stripped);
    if (header) {
      const name = header[1];
      if (name === 'DEFAULT') current = defaults;
      else if (sections.has(name)) return 'syntax';
      else sections.set(name, (current = new Map()));
      lastKey = undefined;
      continue;
    }
    if (!current) return 'syntax';
    const m = /^(.*?)\s*[=:]\s*(.*)$/.exec(stripped);
    if (!m || m[1] === '') return 'syntax';
    const key = m[1].toLowerCase();
    if (current.has(key)) return 'syntax';
    current.set(key, [m[2]]);
    lastKey = key;
    lastIndent = indent;
  }
  const joined = (v: string[]) => v.join('\n').replace(/\n+$/, '');
  const out: Ini = {};
  for (const [name, options] of sections) {
    const all = new Map([...defaults, ...options]);
    out[name] = {};
    for (const [key, value] of all) {
      const v = interpolate(joined(value), all, joined, 1);
      if (v === undefined) return 'interpolation';
      out[name][key] = v;
    }
  }
  return out;
}

/** BasicInterpolation: %% and %(name)s; anything else after % is an error (undefined). */
function interpolate(
  value: string,
  options: Map<string, string[]>,
  joined: (v: string[]) => string,
  depth: number,
): string | undefined {
  if (depth > 10) return undefined;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '%') {
      out += value[i];
      continue;
    }
    if (value[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    const m = /^%\(([^)]+)\)s/.exec(value.slice(i));
    const ref = m && options.get(m[1].toLowerCase());
    if (!m || !ref) return undefined;
    const inner = interpolate(joined(ref), options, joined, depth + 1);
    if (inner === undefined) return undefined;
    out += inner;
    i += m[0].length - 1;
  }
  return out;
}
