/**
 * YAML text as Ansible's to_yaml and to_nice_yaml write it: PyYAML's (libyaml's) emitter, so a
 * config file rendered with `{{ cfg | to_nice_yaml }}` has the same bytes. Keys sorted, leaf
 * collections in flow style unless `default_flow_style` is false, indentless sequences under a
 * key, plain scalars folded past the width, PyYAML's choice of plain, single- or double-quoted
 * text. Mirrors the states of libyaml's emitter.c (Ansible dumps with CSafeDumper where PyYAML
 * has libyaml, as on Debian; libyaml quotes characters past the BMP and folds quoted text at a
 * space where PyYAML's own emitter writes a backslash).
 */
import { analyze, BREAKS, ESCAPES, printable, type Scalar, scalarOf } from './pyyaml-scalar.ts';

export interface DumpOptions {
  indent?: number;
  width?: number;
  /** PyYAML's default_flow_style: null makes collections of scalars flow, false none. */
  flowStyle?: boolean | null;
  sortKeys?: boolean;
}

class Emitter {
  out = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent: number | null = null;
  private readonly indents: Array<number | null> = [];
  private flowLevel = 0;
  private mappingContext = false;
  private simpleKeyContext = false;

  constructor(
    private readonly bestIndent: number,
    private readonly bestWidth: number,
    private readonly flowStyle: boolean | null,
    private readonly sortKeys: boolean,
  ) {}

  private write(s: string): void {
    this.out += s;
    this.column += Array.from(s).length;
  }

  private lineBreak(): void {
    this.whitespace = true;
    this.indention = true;
    this.out += '\n';
    this.column = 0;
  }

  /** libyaml's PUT_BREAK / WRITE_BREAK inside a quoted scalar: the line starts over, nothing else. */
  private rawBreak(br = '\n'): void {
    this.out += br === '\r' || br === '\n' ? '\n' : br;
    this.column = 0;
  }

  writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
      this.lineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
    }
  }

  writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    this.write(this.whitespace || !needWhitespace ? indicator : ` ${indicator}`);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? null;
  }

  private entries(d: Record<string, unknown>): Array<[string, unknown]> {
    const list = Object.entries(d);
    return this.sortKeys ? list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : list;
  }

  /** The representer's flow style: with default_flow_style null, a collection of scalars only. */
  private flow(items: unknown[]): boolean {
    if (this.flowStyle !== null) return this.flowStyle;
    return items.every((x) => scalarOf(x) !== undefined);
  }

  node(v: unknown, ctx: { mapping?: boolean; simpleKey?: boolean } = {}): void {
    this.mappingContext = ctx.mapping ?? false;
    this.simpleKeyContext = ctx.simpleKey ?? false;
    const scalar = scalarOf(v);
    if (scalar) {
      this.increaseIndent(true);
      this.scalar(scalar);
      this.popIndent();
    } else if (Array.isArray(v)) {
      if (this.flowLevel || this.flow(v) || v.length === 0) this.flowSequence(v);
      else this.blockSequence(v);
    } else if (typeof v === 'object') {
      const entries = this.entries(v as Record<string, unknown>);
      if (this.flowLevel || this.flow(entries.map(([, x]) => x)) || entries.length === 0)
        this.flowMapping(entries);
      else this.blockMapping(entries);
    } else throw new Error(`cannot represent a ${typeof v} as YAML`);
  }

  private flowSequence(items: unknown[]): void {
    this.writeIndicator('[', true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item);
    });
    this.popIndent();
    this.flowLevel--;
    this.writeIndicator(']', false);
  }

  private flowMapping(entries: Array<[string, unknown]>): void {
    this.writeIndicator('{', true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    entries.forEach(([k, v], i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (this.simpleKey(k)) {
        this.node(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true);
        this.node(k, { mapping: true });
        if (this.column > this.bestWidth) this.writeIndent();
        this.writeIndicator(':', true);
      }
      this.node(v, { mapping: true });
    });
    this.popIndent();
    this.flowLevel--;
    this.writeIndicator('}', false);
  }

  private blockSequence(items: unknown[]): void {
    this.increaseIndent(false, this.mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item);
    }
    this.popIndent();
  }

  private blockMapping(entries: Array<[string, unknown]>): void {
    this.increaseIndent(false);
    for (const [k, v] of entries) {
      this.writeIndent();
      if (this.simpleKey(k)) {
        this.node(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(k, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(v, { mapping: true });
    }
    this.popIndent();
  }

  /** libyaml's check_simple_key: one line, at most 128 bytes (an empty key is one). */
  private simpleKey(k: string): boolean {
    return !analyze(k).multiline && Buffer.byteLength(k) <= 128;
  }

  /** libyaml's select_scalar_style: plain where it reads back the same, else single, else double quotes. */
  private scalar(s: Scalar): void {
    const a = analyze(s.text);
    const split = !this.simpleKeyContext;
    let style: 'plain' | 'single' | 'double' = 'plain';
    if (this.simpleKeyContext && a.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !a.flowPlain) || (this.flowLevel === 0 && !a.blockPlain)) style = 'single';
      if (a.empty && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single';
      if (!s.implicit) style = 'single';
    }
    if (style === 'single' && !a.singleQuoted) style = 'double';
    if (style === 'plain') this.plain(s.text, split);
    else if (style === 'single') this.singleQuoted(s.text, split);
    else this.doubleQuoted(s.text, split);
  }

  /** A space where a line may fold: not the first or last character, nor before another space. */
  private folds(s: string[], i: number, split: boolean, spaces: boolean): boolean {
    return (
      split && !spaces && this.column > this.bestWidth && i !== 0 && i !== s.length - 1 && s[i + 1] !== ' '
    );
  }

  private plain(text: string, split: boolean): void {
    if (!this.whitespace && text !== '') this.write(' ');
    const s = Array.from(text);
    let spaces = false;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === ' ') {
        if (split && !spaces && this.column > this.bestWidth && s[i + 1] !== ' ') this.writeIndent();
        else this.write(' ');
        spaces = true;
      } else {
        this.write(s[i]);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(text: string, split: boolean): void {
    this.writeIndicator("'", true);
    const s = Array.from(text);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (ch === ' ') {
        if (this.folds(s, i, split, spaces)) this.writeIndent();
        else this.write(' ');
        spaces = true;
      } else if (BREAKS.includes(ch)) {
        if (!breaks && ch === '\n') this.rawBreak();
        this.rawBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(ch === "'" ? "''" : ch);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    if (breaks) this.writeIndent();
    this.writeIndicator("'", false);
  }

  private doubleQuoted(text: string, split: boolean): void {
    this.writeIndicator('"', true);
    const s = Array.from(text);
    let spaces = false;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      const n = ch.codePointAt(0) ?? 0;
      if (!printable(ch) || ch === '\ufeff' || BREAKS.includes(ch) || ch === '"' || ch === '\\') {
        const hex = (w: number) => n.toString(16).toUpperCase().padStart(w, '0');
        this.write(
          ESCAPES[ch] !== undefined
            ? `\\${ESCAPES[ch]}`
            : n <= 0xff
              ? `\\x${hex(2)}`
              : n <= 0xffff
                ? `\\u${hex(4)}`
                : `\\U${hex(8)}`,
        );
        spaces = false;
      } else if (ch === ' ') {
        if (split && !spaces && this.column > this.bestWidth && i !== 0 && i !== s.length - 1) {
          this.writeIndent();
          if (s[i + 1] === ' ') this.write('\\');
        } else this.write(' ');
        spaces = true;
      } else {
        this.write(ch);
        spaces = false;
      }
    }
    this.writeIndicator('"', false);
  }
}

/** yaml.dump(value, Dumper=AnsibleDumper, allow_unicode=True, ...): Ansible's to_yaml. */
export function pyYamlDump(value: unknown, options: DumpOptions = {}): string {
  const indent =
    options.indent !== undefined && options.indent > 1 && options.indent < 10 ? options.indent : 2;
  const width = options.width !== undefined && options.width > indent * 2 ? options.width : 80;
  const e = new Emitter(indent, width, options.flowStyle ?? null, options.sortKeys ?? true);
  e.node(value);
  // libyaml's emitter (Ansible's CSafeDumper) ends a plain scalar document without PyYAML's `...`
  e.writeIndent();
  return e.out;
}
