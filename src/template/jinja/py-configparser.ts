/**
 * Python's configparser.ConfigParser as the ini lookup builds it (Python 3.11's _read, get,
 * items and BasicInterpolation): `#`/`;` comment lines, `=` or `:` between name and value,
 * values continued on deeper-indented lines (blank lines inside kept), names lower-cased unless
 * case-sensitive, DEFAULT's options in every section, `%(name)s` references and `%%`, and the
 * errors strict mode raises (a section or option twice in one file, no section header).
 */
import { FilterError } from './filter-error.ts';
import { pyRepr } from './values.ts';

const DEFAULT = 'DEFAULT';
const MAX_DEPTH = 10;
const SOURCE = "'<???>'";

type Section = Map<string, string[] | string | null>;

export interface ParserOptions {
  allowNoValue: boolean;
  interpolation: boolean;
  caseSensitive: boolean;
  /** ConfigParser(inline_comment_prefixes=...): such a prefix after whitespace starts a comment. */
  inlineCommentPrefixes?: string[];
}

export class PyConfigParser {
  private readonly defaults: Section = new Map();
  private readonly sections = new Map<string, Section>();
  /** The line each option was read from: `section\0option` (DEFAULT's under DEFAULT). */
  private readonly lines = new Map<string, number>();
  constructor(private readonly o: ParserOptions) {}

  private optionxform(name: string): string {
    return this.o.caseSensitive ? name : name.toLowerCase();
  }

  /** read_file: this text's sections and options added to those read before. */
  read(text: string): void {
    const added = new Set<string>();
    let cursect: Section | undefined;
    let sectname = '';
    let optname: string | undefined;
    let indentLevel = 0;
    const errors: string[] = [];
    const lines = text.split(/(?<=\n)/);
    lines.forEach((line, i) => {
      const lineno = i + 1;
      const commentStart = /^\s*[#;]/.test(line) ? 0 : this.inlineCommentStart(line);
      const comment = commentStart !== undefined;
      const value = line.slice(0, commentStart).trim();
      if (!value) {
        const current = optname ? cursect?.get(optname) : undefined;
        if (!comment && Array.isArray(current)) current.push('');
        return;
      }
      const indent = line.search(/\S/);
      const current = optname ? cursect?.get(optname) : undefined;
      if (cursect && optname && indent > indentLevel) {
        if (Array.isArray(current)) current.push(value);
        else throw new FilterError(`'NoneType' object has no attribute 'append'`);
        return;
      }
      indentLevel = indent;
      const header = /^\[(.+)\]/.exec(value);
      if (header) {
        sectname = header[1];
        const known = this.sections.get(sectname);
        if (known) {
          if (added.has(sectname))
            throw new FilterError(
              `While reading from ${SOURCE} [line ${String(lineno).padStart(2)}]: section ${pyRepr(sectname)} already exists`,
            );
          cursect = known;
          added.add(sectname);
        } else if (sectname === DEFAULT) cursect = this.defaults;
        else {
          cursect = new Map();
          this.sections.set(sectname, cursect);
          added.add(sectname);
        }
        optname = undefined;
        return;
      }
      if (!cursect)
        throw new FilterError(
          `File contains no section headers.\nfile: ${SOURCE}, line: ${lineno}\n${pyRepr(line)}`,
        );
      const m = this.o.allowNoValue
        ? /^(.*?)\s*(?:(=|:)\s*(.*))?$/s.exec(value)
        : /^(.*?)\s*(=|:)\s*(.*)$/s.exec(value);
      if (!m?.[1]) errors.push(`\n\t[line ${String(lineno).padStart(2)}]: ${pyRepr(line)}`);
      if (!m) return;
      optname = this.optionxform(m[1].trimEnd());
      const key = JSON.stringify([sectname, optname]);
      if (added.has(key))
        throw new DuplicateOption(
          `While reading from ${SOURCE} [line ${String(lineno).padStart(2)}]: option ${pyRepr(optname)} in section ${pyRepr(sectname)} already exists`,
        );
      added.add(key);
      cursect.set(optname, m[2] === undefined ? null : [m[3].trim()]);
      this.lines.set(`${sectname}\0${optname}`, lineno);
    });
    for (const options of [this.defaults, ...this.sections.values()])
      for (const [name, v] of options) if (Array.isArray(v)) options.set(name, v.join('\n').trimEnd());
    if (errors.length) throw new FilterError(`Source contains parsing errors: ${SOURCE}${errors.join('')}`);
  }

  /** Where Python finds an inline comment on the line: a prefix at its start or after whitespace. */
  private inlineCommentStart(line: string): number | undefined {
    let start: number | undefined;
    for (const prefix of this.o.inlineCommentPrefixes ?? []) {
      for (let at = line.indexOf(prefix); at >= 0; at = line.indexOf(prefix, at + 1))
        if (at === 0 || /\s/.test(line[at - 1])) {
          start = Math.min(start ?? at, at);
          break;
        }
    }
    return start;
  }

  /** The line an option of a section was read from (the section's own, else DEFAULT's). */
  lineOf(section: string, option: string): number | undefined {
    const name = this.optionxform(option);
    return this.lines.get(`${section}\0${name}`) ?? this.lines.get(`${DEFAULT}\0${name}`);
  }

  /** A section's own options as read (raw), DEFAULT's aside. */
  ownOptions(section: string): Array<[string, string | null]> {
    return [...(this.sections.get(section) ?? [])] as Array<[string, string | null]>;
  }

  /** The sections read, DEFAULT aside. */
  sectionNames(): string[] {
    return [...this.sections.keys()];
  }

  /** from_ini's dict: each section's raw options over DEFAULT's, then DEFAULT's own (if any). */
  asDict(): Record<string, Record<string, string | null>> {
    const out: Record<string, Record<string, string | null>> = {};
    for (const [name, options] of this.sections)
      out[name] = Object.fromEntries([...this.defaults, ...options]) as Record<string, string | null>;
    if (this.defaults.size) out[DEFAULT] = Object.fromEntries(this.defaults) as Record<string, string | null>;
    return out;
  }

  /** Each section's own options in the order read (DEFAULT's first, if any), as write() puts them back. */
  sectionsInOrder(): Array<[string, Array<[string, string | null]>]> {
    const own = [...this.sections].map(
      ([name, o]) => [name, [...o]] as [string, Array<[string, string | null]>],
    );
    return this.defaults.size
      ? [[DEFAULT, [...this.defaults] as Array<[string, string | null]>], ...own]
      : own;
  }

  /** The options a section sees: DEFAULT's, then its own over them. */
  private unified(section: string): Map<string, string | null> {
    if (section !== DEFAULT && !this.sections.has(section))
      throw new NoSection(`No section: ${pyRepr(section)}`);
    return new Map([...this.defaults, ...(this.sections.get(section) ?? [])]) as Map<string, string | null>;
  }

  /** get(section, option); undefined where the option is not there (NoOptionError). */
  get(section: string, option: string): string | null | undefined {
    const map = this.unified(section);
    const name = this.optionxform(option);
    if (!map.has(name)) return undefined;
    return this.interpolate(section, name, map.get(name) ?? null, map);
  }

  /** items(section): every option with its value, DEFAULT's first. */
  items(section: string): Array<[string, string | null]> {
    const map = this.unified(section);
    return [...map].map(([k, v]) => [k, this.interpolate(section, k, v, map)]);
  }

  private interpolate(
    section: string,
    option: string,
    value: string | null,
    map: Map<string, string | null>,
  ) {
    if (value === null || !this.o.interpolation) return value;
    const out: string[] = [];
    this.some(section, option, value, value, map, 1, out);
    return out.join('');
  }

  private some(
    section: string,
    option: string,
    raw: string,
    text: string,
    map: Map<string, string | null>,
    depth: number,
    out: string[],
  ): void {
    if (depth > MAX_DEPTH)
      throw new FilterError(
        `Recursion limit exceeded in value substitution: option ${pyRepr(option)} in section ${pyRepr(section)} contains an interpolation key which cannot be substituted in ${MAX_DEPTH} steps. Raw value: ${pyRepr(raw)}`,
      );
    let rest = text;
    while (rest) {
      const p = rest.indexOf('%');
      if (p < 0) {
        out.push(rest);
        return;
      }
      out.push(rest.slice(0, p));
      rest = rest.slice(p);
      if (rest[1] === '%') {
        out.push('%');
        rest = rest.slice(2);
      } else if (rest[1] === '(') {
        const m = /^%\(([^)]+)\)s/.exec(rest);
        if (!m) throw new FilterError(`bad interpolation variable reference ${pyRepr(rest)}`);
        const name = this.optionxform(m[1]);
        rest = rest.slice(m[0].length);
        const v = map.get(name);
        if (v === undefined)
          throw new FilterError(
            `Bad value substitution: option ${pyRepr(option)} in section ${pyRepr(section)} contains an interpolation key ${pyRepr(name)} which is not a valid option name. Raw value: ${pyRepr(raw)}`,
          );
        if (v === null) throw new FilterError("argument of type 'NoneType' is not iterable");
        if (v.includes('%')) this.some(section, option, raw, v, map, depth + 1, out);
        else out.push(v);
      } else throw new FilterError(`'%' must be followed by '%' or '(', found: ${pyRepr(rest)}`);
    }
  }
}

/** configparser's NoSectionError and DuplicateOptionError, which the ini lookup words its own way. */
export class NoSection extends FilterError {}
export class DuplicateOption extends FilterError {}
