/** JSON text as Python's json.dumps writes it (Ansible's to_json and to_nice_json). */

function str(s: string): string {
  // json.dumps escapes every non-ASCII character (ensure_ascii)
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function num(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}

export function pyJson(v: unknown, opts: { indent?: number; sortKeys?: boolean }, depth = 0): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return str(v);
  const pad = opts.indent === undefined ? '' : `\n${' '.repeat(opts.indent * (depth + 1))}`;
  const close = opts.indent === undefined ? '' : `\n${' '.repeat(opts.indent * depth)}`;
  const sep = opts.indent === undefined ? ', ' : ',';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((x) => pad + pyJson(x, opts, depth + 1)).join(sep)}${close}]`;
  }
  let entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  if (opts.sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${pad}${str(k)}: ${pyJson(x, opts, depth + 1)}`).join(sep)}${close}}`;
}
