/**
 * community.general's from_ini and to_ini (ansible 12.0.0's collection): Python's ConfigParser
 * without interpolation and with names kept as written. from_ini reads text into a dict of
 * sections (DEFAULT's options in each, and DEFAULT itself); to_ini writes a dict of sections as
 * ConfigParser.write does (`key = value`, continued lines indented by a tab, a blank line after
 * each section but the last).
 */
import { isDict } from './filter-args.ts';
import { FilterError } from './filter-error.ts';
import { PyConfigParser } from './py-configparser.ts';
import { pyClassName, pyStr, pyTypeName } from './values.ts';

function fromIni(value: unknown): unknown {
  if (typeof value !== 'string') throw new FilterError(`from_ini requires a str, got ${pyClassName(value)}`);
  const parser = new PyConfigParser({ allowNoValue: false, interpolation: false, caseSensitive: true });
  try {
    parser.read(value);
  } catch (e) {
    throw new FilterError(`from_ini failed to parse given string: ${(e as Error).message}`);
  }
  return parser.asDict();
}

function toIni(value: unknown): string {
  if (!isDict(value)) throw new FilterError(`to_ini requires a dict, got ${pyClassName(value)}`);
  const failed = (why: string) => new FilterError(`to_ini failed to parse given dict:${why}`);
  const defaults = new Map<string, string>();
  const sections = new Map<string, Map<string, string>>();
  for (const [section, options] of Object.entries(value)) {
    if (!isDict(options)) throw failed(`'${pyTypeName(options)}' object has no attribute 'items'`);
    let target = defaults;
    if (section !== 'DEFAULT') {
      target = sections.get(section) ?? new Map();
      sections.set(section, target);
    }
    for (const [key, v] of Object.entries(options)) {
      if (v === null || v === undefined) throw failed('option values must be strings');
      target.set(key, pyStr(v));
    }
  }
  if (Object.keys(value).length === 0)
    throw new FilterError('to_ini received an empty dict. An empty dict cannot be converted.');
  const write = (name: string, options: Map<string, string>) =>
    `[${name}]\n${[...options].map(([k, v]) => `${k} = ${v.replaceAll('\n', '\n\t')}\n`).join('')}\n`;
  const text = [
    ...(defaults.size ? [write('DEFAULT', defaults)] : []),
    ...[...sections].map(([name, options]) => write(name, options)),
  ].join('');
  // the filter drops the last occurrence of the text's last character (its final newline)
  const last = text.lastIndexOf(text.at(-1) ?? '');
  return text.slice(0, last) + text.slice(last + 1);
}

export const INI_FILTERS: Record<string, (value: unknown, ...args: unknown[]) => unknown> = {
  from_ini: fromIni,
  to_ini: toIni,
};
