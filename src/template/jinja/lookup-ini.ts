/**
 * lookup('ini', KEY ...), as ansible-core 2.19's plugin: KEY's value in `section` (global by
 * default) of a controller INI file read by Python's configparser (py-configparser.ts), `default`
 * ('') where the key is not there, every value whose name KEY matches with `re`, Java properties
 * with `type=properties`. Options as keyword arguments or, the older form, `name=value` words
 * after the key; those words set text (so `re=False` there is true, as in 2.19).
 */
import { FilterError } from './filter-error.ts';
import { ansibleBoolean, decodeText } from './lookup-options.ts';
import { DuplicateOption, NoSection, PyConfigParser } from './py-configparser.ts';
import { pyRegex } from './regex.ts';
import { pyRepr, pyTruth } from './values.ts';

export const INI_OPTIONS = [
  ...['type', 'file', 'section', 're', 'encoding', 'default'],
  ...['case_sensitive', 'allow_no_value', 'allow_none', 'interpolation'],
];
const BOOLEAN_OPTIONS = ['re', 'allow_no_value', 'allow_none', 'interpolation'];

/** The plugin's _parse_params: words, each one after an option's `name=` going with that option. */
function parseParams(term: string): string[] {
  const params = new Map<string, string>();
  const keys: string[] = [];
  let current = 'key';
  term
    .split(/\s+/)
    .filter(Boolean)
    .forEach((phrase, i) => {
      if (phrase.includes('=')) for (const k of INI_OPTIONS) if (phrase.includes(`${k}=`)) current = k;
      if (i === 0 || !params.get(current)) {
        params.set(current, phrase);
        keys.push(current);
      } else params.set(current, `${params.get(current)} ${phrase}`);
    });
  return keys.map((k) => params.get(k) ?? '');
}

export function iniLookup(
  terms: unknown[],
  kwargs: Record<string, unknown>,
  find: (f: string) => string,
): unknown[] {
  const o: Record<string, unknown> = {
    ...{ type: 'ini', file: 'ansible.ini', section: 'global', re: false, encoding: 'utf-8', default: '' },
    ...{ case_sensitive: false, interpolation: true },
    ...kwargs,
  };
  for (const k of BOOLEAN_OPTIONS) if (k in kwargs) o[k] = ansibleBoolean(kwargs[k]);
  const parser = new PyConfigParser({
    allowNoValue: pyTruth(o.allow_no_value ?? o.allow_none),
    interpolation: pyTruth(o.interpolation),
    caseSensitive: pyTruth(o.case_sensitive),
  });
  const out: unknown[] = [];
  for (const term of terms) {
    if (typeof term !== 'string') throw new FilterError(`argument of type '${typeof term}' is not iterable`);
    let key = term;
    if (term.includes('=') || term.trim().includes(' ')) {
      const params = parseParams(term);
      let keyGiven = false;
      for (const param of params) {
        if (param.includes('=')) {
          const parts = param.split('=');
          // 2.19 words a ValueError raised from another as the message without its stop, then the cause
          if (parts.length !== 2)
            throw new FilterError(
              `Could not use ${pyRepr(param)} from ${pyRepr(params)}: ${parts.length > 2 ? 'too many values to unpack (expected 2)' : 'not enough values to unpack (expected 2, got 1)'}`,
            );
          if (!INI_OPTIONS.includes(parts[0]))
            throw new FilterError(`${pyRepr(parts[0])} is not a valid option.`);
          o[parts[0]] = parts[1];
        } else if (key === term) {
          key = param;
          keyGiven = true;
        }
      }
      if (!keyGiven)
        throw new FilterError(
          `No key to look up was provided as first term within string inline options: ${term}`,
        );
    }
    let text = decodeText(find(String(o.file)), o.encoding);
    if (o.type === 'properties') {
      text = `[java_properties]\n${text}`;
      o.section = 'java_properties';
    }
    try {
      parser.read(text);
    } catch (e) {
      if (e instanceof DuplicateOption)
        throw new FilterError(`Duplicate option in ${pyRepr(o.file)}: ${e.message}`);
      throw e;
    }
    const section = String(o.section);
    let found: unknown;
    try {
      if (pyTruth(o.re)) {
        // Python's re.match: at the name's start only
        const re = pyRegex(key, {});
        const atStart = new RegExp(`^(?:${re.source})`, re.flags);
        found = parser
          .items(section)
          .filter(([name]) => atStart.test(name))
          .map(([, v]) => v);
      } else {
        const v = parser.get(section, key);
        found = v === undefined ? o.default : v;
      }
    } catch (e) {
      if (e instanceof NoSection)
        throw new FilterError(`No section ${pyRepr(section)} in ${pyRepr(o.file)}.`);
      throw e;
    }
    if (found !== null && found !== undefined) out.push(...(Array.isArray(found) ? found : [found]));
  }
  return out;
}
