/**
 * Python's string formatting as Ansible content uses it, where the engine has none:
 * printf-style (`'%s-%02d' % (a, b)`, Jinja2's `format` filter) and `str.format`
 * (`'{}:{:>5}'.format(a, b)`). Input Python would refuse is refused with Python's reason.
 */
import { FilterError } from './filter-error.ts';
import { pyRepr, pyStr, pyTypeName } from './values.ts';

type Args = { positional: unknown[]; mapping?: Record<string, unknown> };

const isMapping = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const PRINTF = /%(?:\(([^)]*)\))?([-+ 0#]*)(\d+|\*)?(?:\.(\d*|\*))?[hlL]?(.)?/gs;

/**
 * `template % value`: `tuple` says the right side was written as a tuple (`(a, b)`), whose items
 * are the arguments; any other value (a list too) is one argument, or the mapping of `%(name)s`.
 */
export function percentFormat(template: string, value: unknown, tuple: boolean): string {
  if (tuple) return printf(template, { positional: value as unknown[] });
  return printf(template, { positional: [value], mapping: isMapping(value) ? value : undefined });
}

/** Jinja2's `format` filter: `value % args`, or `value % kwargs`. */
export function formatFilter(template: unknown, args: unknown[], mapping?: Record<string, unknown>): string {
  // one dict argument: keyword arguments and a dict look the same here, and both format the same
  return printf(pyStr(template), { positional: args, mapping });
}

function printf(template: string, args: Args): string {
  let next = 0;
  let usedMapping = false;
  const out = template.replace(
    PRINTF,
    (_all, key: string | undefined, flags: string, width, precision, conv) => {
      if (conv === undefined) throw new FilterError('incomplete format');
      if (conv === '%' && key === undefined && !flags && width === undefined && precision === undefined)
        return '%';
      if (width === '*' || precision === '*') throw new FilterError("'*' widths are not supported by quorum");
      let v: unknown;
      if (key !== undefined) {
        if (!args.mapping) throw new FilterError('format requires a mapping');
        if (!Object.hasOwn(args.mapping, key)) throw new FilterError(`'${key}'`);
        v = args.mapping[key];
        usedMapping = true;
      } else {
        if (next >= args.positional.length) throw new FilterError('not enough arguments for format string');
        v = args.positional[next++];
      }
      return pad(
        convert(conv, v, flags, precision === undefined ? undefined : Number(precision || 0)),
        flags,
        width,
      );
    },
  );
  if (!usedMapping && next < args.positional.length && !(args.mapping && next === 0))
    throw new FilterError('not all arguments converted during string formatting');
  return out;
}

function pad(text: string, flags: string, width: string | undefined): string {
  const w = width === undefined ? 0 : Number(width);
  if (text.length >= w) return text;
  if (flags.includes('-')) return text.padEnd(w);
  if (flags.includes('0') && /^[-+ ]?(0[xXo])?[0-9a-fA-F.]/.test(text) && !/^[-+ ]?(inf|nan)/i.test(text)) {
    const sign = /^[-+ ]/.test(text) ? text[0] : '';
    const prefix = /^[-+ ]?(0[xXo])/.exec(text)?.[1] ?? '';
    const body = text.slice(sign.length + prefix.length);
    return sign + prefix + body.padStart(w - sign.length - prefix.length, '0');
  }
  return text.padStart(w);
}

function number(conv: string, v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const kind =
    v === null || v === undefined
      ? 'NoneType'
      : Array.isArray(v)
        ? 'list'
        : typeof v === 'string'
          ? 'str'
          : 'dict';
  throw new FilterError(`%${conv} format: a real number is required, not ${kind}`);
}

function signed(n: number, body: string, flags: string): string {
  if (n < 0 || Object.is(n, -0)) return `-${body}`;
  return (flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + body;
}

function convert(conv: string, v: unknown, flags: string, precision: number | undefined): string {
  switch (conv) {
    case 's':
      return precision === undefined ? pyStr(v) : pyStr(v).slice(0, precision);
    case 'r':
    case 'a':
      return precision === undefined ? pyRepr(v) : pyRepr(v).slice(0, precision);
    case 'c': {
      if (typeof v === 'string' && [...v].length === 1) return v;
      return String.fromCodePoint(Math.trunc(number(conv, v)));
    }
    case 'd':
    case 'i':
    case 'u': {
      const n = Math.trunc(number(conv, v));
      const digits = Math.abs(n).toString();
      return signed(n, precision === undefined ? digits : digits.padStart(precision, '0'), flags);
    }
    case 'x':
    case 'X':
    case 'o': {
      const n = number(conv, v);
      if (!Number.isInteger(n)) throw new FilterError(`%${conv} format: an integer is required, not float`);
      let digits = Math.abs(n).toString(conv === 'o' ? 8 : 16);
      if (precision !== undefined) digits = digits.padStart(precision, '0');
      if (flags.includes('#')) digits = (conv === 'o' ? '0o' : '0x') + digits;
      return signed(n, conv === 'X' ? digits.toUpperCase() : digits, flags);
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      const n = number(conv, v);
      return signed(n, floatBody(Math.abs(n), conv, precision ?? 6, flags.includes('#')), flags);
    }
    default:
      throw new FilterError(`unsupported format character '${conv}'`);
  }
}

/**
 * n.toFixed(p) as Python rounds: exactly, ties to even ('%.1f' % 2.25 is 2.2; JavaScript takes
 * the larger, 2.3). toFixed with more digits is exact, so a tie shows as 5 then zeros.
 */
export function pyFixed(n: number, p: number): string {
  const rounded = n.toFixed(p);
  if (p > 70) return rounded;
  const long = n.toFixed(p + 30);
  const cut = long.length - 30;
  if (!/^50*$/.test(long.slice(cut))) return rounded;
  const kept = long.slice(0, p === 0 ? cut - 1 : cut);
  return Number(kept.at(-1)) % 2 === 0 ? kept : rounded;
}

/** Python's exponent: at least two digits (1e+05, not 1e+5). */
const pyExponent = (text: string) => text.replace(/e([+-])(\d)$/, 'e$10$2');

function floatBody(n: number, conv: string, precision: number, alternate: boolean): string {
  const upper = conv === conv.toUpperCase();
  let text: string;
  if (!Number.isFinite(n)) text = Number.isNaN(n) ? 'nan' : 'inf';
  else if (conv === 'f' || conv === 'F') text = pyFixed(n, precision);
  else if (conv === 'e' || conv === 'E') text = pyExponent(n.toExponential(precision));
  else {
    const p = precision === 0 ? 1 : precision;
    const exp = n === 0 ? 0 : Math.floor(Math.log10(Number(n.toExponential(p - 1))));
    text = exp < -4 || exp >= p ? pyExponent(n.toExponential(p - 1)) : n.toFixed(Math.max(0, p - 1 - exp));
    if (!alternate) text = text.replace(/\.?0+(e|$)/, '$1');
  }
  return upper ? text.toUpperCase() : text;
}

const FIELD = /\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}|[{}]/g;
const SPEC = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s;

/** `template.format(*args, **kwargs)`. */
export function strFormat(template: unknown, args: unknown[], kwargs: Record<string, unknown> = {}): string {
  if (typeof template !== 'string')
    throw new FilterError(`'${pyTypeName(template)}' object has no attribute 'format'`);
  let auto = 0;
  return template.replace(FIELD, (all, field: string | undefined, conversion, spec: string | undefined) => {
    if (all === '{{') return '{';
    if (all === '}}') return '}';
    if (field === undefined) throw new FilterError(`Single '${all}' encountered in format string`);
    const [, head, rest] = /^([^.[]*)(.*)$/s.exec(field) ?? ['', field, ''];
    let v: unknown;
    if (head === '') v = at(args, auto++);
    else if (/^\d+$/.test(head)) v = at(args, Number(head));
    else if (Object.hasOwn(kwargs, head)) v = kwargs[head];
    else throw new FilterError(`'${head}'`);
    for (const [, attr, index] of rest.matchAll(/\.([^.[]+)|\[([^\]]+)\]/g)) {
      // getattr: the values of Ansible's variables have no attributes str.format could read
      if (attr !== undefined) throw new FilterError(`'${pyTypeName(v)}' object has no attribute '${attr}'`);
      const key = /^\d+$/.test(index) ? Number(index) : index;
      const ok = Array.isArray(v)
        ? typeof key === 'number' && key < v.length
        : isMapping(v) && Object.hasOwn(v, key);
      if (!ok) throw new FilterError(Array.isArray(v) ? 'list index out of range' : `'${index}'`);
      v = (v as Record<string | number, unknown>)[key];
    }
    if (conversion) v = pyRepr(v);
    return formatSpec(v, spec ?? '');
  });
}

function at(args: unknown[], i: number): unknown {
  if (i >= args.length)
    throw new FilterError(`Replacement index ${i} out of range for positional args tuple`);
  return args[i];
}

function formatSpec(v: unknown, spec: string): string {
  const m = SPEC.exec(spec);
  if (!m) throw new FilterError(`Invalid format specifier '${spec}' for object of type '${pyTypeName(v)}'`);
  const [, fill = ' ', align, sign = '-', alternate, zero, width, grouping, precision, type] = m;
  const isNumber = typeof v === 'number' || typeof v === 'boolean';
  let text: string;
  if (isNumber && type === undefined && precision === undefined) text = signedText(v, sign, grouping);
  else if (!isNumber || type === 's') {
    if (type && type !== 's')
      throw new FilterError(`Unknown format code '${type}' for object of type '${pyTypeName(v)}'`);
    text = precision === undefined ? pyStr(v) : pyStr(v).slice(0, Number(precision));
  } else {
    const n = Number(v);
    const flags = sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    const t = type ?? 'g';
    if (t === '%')
      text = signed(n, `${floatBody(Math.abs(n) * 100, 'f', Number(precision ?? 6), false)}%`, flags);
    else if (t === 'b')
      text = signed(n, (alternate ? '0b' : '') + Math.abs(Math.trunc(n)).toString(2), flags);
    else if ('dn'.includes(t)) {
      if (!Number.isInteger(n)) throw new FilterError(`Unknown format code 'd' for object of type 'float'`);
      text = signed(n, group(Math.abs(n).toString(), grouping), flags);
    } else if ('xXoc'.includes(t)) text = convert(t, n, `${flags}${alternate ? '#' : ''}`, undefined);
    else {
      const body = floatBody(Math.abs(n), t, Number(precision ?? 6), Boolean(alternate));
      text = signed(n, grouping ? body.replace(/^\d+/, (d) => group(d, grouping)) : body, flags);
    }
  }
  const w = Number(width ?? 0);
  if (text.length >= w) return text;
  const how = align ?? (zero && isNumber ? '=' : isNumber ? '>' : '<');
  const filler = align ? fill : zero ? '0' : ' ';
  const gap = filler.repeat(w - text.length);
  if (how === '<') return text + gap;
  if (how === '>') return gap + text;
  if (how === '^')
    return gap.slice(0, Math.floor(gap.length / 2)) + text + gap.slice(Math.floor(gap.length / 2));
  const signLength = /^[-+ ]/.test(text) ? 1 : 0;
  return text.slice(0, signLength) + gap + text.slice(signLength);
}

/** A number formatted without a type: Python's str() of it, with the sign and grouping asked for. */
function signedText(v: number | boolean, sign: string, grouping: string | undefined): string {
  if (typeof v === 'boolean') return pyStr(v);
  const body = pyStr(Math.abs(v)).replace(/^\d+/, (d) => group(d, grouping));
  return signed(v, body, sign === '+' ? '+' : sign === ' ' ? ' ' : '');
}

function group(digits: string, sep: string | undefined): string {
  return sep ? digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep) : digits;
}
