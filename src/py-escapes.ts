/** Python's one-character string escapes (`\n`, `\a` ...; a backslash-newline joins lines), for readers of Python literals. */
export const PY_SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
