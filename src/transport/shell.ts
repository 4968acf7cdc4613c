/**
 * Every remote command is built here: user values are always single-quoted, never pasted
 * into a shell string as they are.
 */
export function quote(value: string | number): string {
  const s = String(value);
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A tagged template: `sh\`test -e ${path}\`` quotes every interpolated value. */
export function sh(strings: TemplateStringsArray, ...values: Array<string | number | string[]>): string {
  let out = strings[0];
  values.forEach((v, i) => {
    out += (Array.isArray(v) ? v.map(quote).join(' ') : quote(v)) + strings[i + 1];
  });
  return out;
}
