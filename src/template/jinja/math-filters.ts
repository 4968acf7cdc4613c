/**
 * Number filters the engine lacks or computes otherwise, as Jinja2 3.1 and ansible-core 2.19 do:
 * `sum` with `attribute`/`start` (Python's sum: lists concatenate, `sum(start=[])` flattens one
 * level), `round` with a `method` (floor, ceil), and Ansible's `human_readable` and
 * `human_to_bytes` (module_utils/common/text/formatters.py). math-edits.ts sends the `sum` and
 * `round` calls the engine cannot take here; a bare `sum` and a `round` without method stay the
 * engine's, which keeps a float's type (12.0) that a JavaScript number loses.
 */
import { kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';
import { attributeOf } from './jinja2-filters.ts';
import { pyFixed } from './py-format.ts';
import { pyRepr, pyTypeName } from './values.ts';

type Filter = (v: unknown, ...args: unknown[]) => unknown;

const isNumber = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';

/** Python's `a + b` for what sum meets: numbers (bools as ints), lists; TypeError's words else. */
function pyAdd(a: unknown, b: unknown): unknown {
  if (isNumber(a) && isNumber(b)) return Number(a) + Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (Array.isArray(a)) throw new FilterError(`can only concatenate list (not "${pyTypeName(b)}") to list`);
  throw new FilterError(`unsupported operand type(s) for +: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

/** Jinja2's do_sum(iterable, attribute=None, start=0). */
const sum: Filter = (v, ...args) => {
  const kw = kwargs(args, ['attribute', 'start']);
  const attribute = kw.attribute ?? args[0] ?? null;
  const start = kw.start ?? args[1] ?? 0;
  if (typeof start === 'string') throw new FilterError("sum() can't sum strings [use ''.join(seq) instead]");
  let items: unknown[];
  if (Array.isArray(v)) items = v;
  else if (typeof v === 'string') items = [...v];
  else if (v !== null && typeof v === 'object') items = Object.keys(v);
  else throw new FilterError(`'${pyTypeName(v)}' object is not iterable`);
  if (attribute !== null) items = items.map((i) => attributeOf(i, attribute));
  return items.reduce(pyAdd, start);
};

const ROUND_METHODS = ['common', 'ceil', 'floor'];

/**
 * Jinja2's do_round given a method: ceil or floor is math.floor(value * 10**p) / 10**p, a float;
 * common is Python's round(), a float here too (math-edits.ts adds `|float`), where Python keeps
 * an int an int: `7 | round(0, 'common')` prints 7.0.
 */
const round: Filter = (v, ...args) => {
  const kw = kwargs(args, ['precision', 'method']);
  const precision = kw.precision ?? args[0] ?? 0;
  const method = kw.method ?? args[1] ?? 'common';
  if (!ROUND_METHODS.includes(String(method))) throw new FilterError('method must be common, ceil or floor');
  if (!isNumber(v)) throw new FilterError(`round: ${pyRepr(v)} is not a number`);
  if (typeof precision !== 'number' || !Number.isInteger(precision))
    throw new FilterError(`round: the precision ${pyRepr(precision)} is not an integer`);
  if (method === 'common') {
    // Python's round(): the exact value, ties to even; a whole value stays itself
    if (precision >= 0) return Number(pyFixed(Number(v), precision));
    const step = 10 ** -precision;
    return Number(pyFixed(Number(v) / step, 0)) * step;
  }
  const scale = precision >= 0 ? 10 ** precision : Number(`1e${precision}`);
  return (method === 'floor' ? Math.floor : Math.ceil)(Number(v) * scale) / scale;
};

const SIZE_RANGES: Array<[string, number]> = [
  ['Y', 2 ** 80],
  ['Z', 2 ** 70],
  ['E', 2 ** 60],
  ['P', 2 ** 50],
  ['T', 2 ** 40],
  ['G', 2 ** 30],
  ['M', 2 ** 20],
  ['K', 2 ** 10],
  ['B', 1],
];
const UNIT_WORDS: Record<string, string> = {
  B: 'byte',
  K: 'kilo',
  M: 'mega',
  G: 'giga',
  T: 'tera',
  P: 'peta',
  E: 'exa',
  Z: 'zeta',
  Y: 'yotta',
};

/** Python's `%.2f`, and `'%s' % x` of a number as the formatter's messages print it. */
const pyNumberText = (v: unknown) => (typeof v === 'string' ? v : pyRepr(v));

/** formatters.bytes_to_human (the human_readable filter, the devices facts' sizes). */
export function bytesToHuman(n: number, isbits = false, unit: unknown = null): string {
  const base = isbits ? 'bits' : 'Bytes';
  let [suffix, limit] = SIZE_RANGES[SIZE_RANGES.length - 1];
  for (const [s, l] of SIZE_RANGES) {
    [suffix, limit] = [s, l];
    if ((unit === null && n >= l) || (unit !== null && String(unit).toUpperCase() === s[0])) break;
  }
  return `${pyFixed(n / limit, 2)} ${limit !== 1 ? suffix + base[0] : base}`;
}

const humanReadable: Filter = (size, ...args) => {
  const kw = kwargs(args, ['isbits', 'unit']);
  const isbits = Boolean(kw.isbits ?? args[0] ?? false);
  const unit = kw.unit ?? args[1] ?? null;
  if (!isNumber(size)) throw new FilterError('human_readable() failed on bad input');
  return bytesToHuman(Number(size), isbits, unit);
};

/** formatters.human_to_bytes, as the human_to_bytes filter gives it (its ValueError words). */
const humanToBytes: Filter = (number, ...args) => {
  const kw = kwargs(args, ['default_unit', 'isbits']);
  const defaultUnit = kw.default_unit ?? args[0] ?? null;
  const isbits = Boolean(kw.isbits ?? args[1] ?? false);
  const text = pyNumberText(number);
  const fail = (why: string) => new FilterError(`human_to_bytes() can't interpret the input: ${why}`);
  const m = /^([0-9]*\.?[0-9]+)(?:\s*([A-Za-z]+))?\s*$/.exec(text);
  if (!m) throw fail(`can't interpret following string: ${text}`);
  const num = Number(m[1]);
  const unit = m[2] ?? (defaultUnit === null ? null : String(defaultUnit));
  let bytes: number;
  if (unit === null) bytes = num;
  else {
    const key = unit[0].toUpperCase();
    const limit = SIZE_RANGES.find(([s]) => s === key)?.[1];
    if (limit === undefined)
      throw fail(
        `failed to convert ${text} (unit = ${unit}). The suffix must be one of ${SIZE_RANGES.map(([s]) => s).join(', ')}`,
      );
    const [cls, clsName] = isbits ? ['b', 'bit'] : ['B', 'byte'];
    if (unit.length > 1) {
      const word = key === 'B' ? clsName : `${UNIT_WORDS[key]}${clsName}`;
      if (unit.toLowerCase() !== word && unit !== (key === 'B' ? cls : `${key}${cls}`)) {
        const expect = key === 'B' ? `expect ${cls} or ${clsName}` : `expect ${key}${cls} or ${key}`;
        throw fail(`failed to convert ${text}. Value is not a valid string (${expect})`);
      }
    }
    bytes = num * limit;
  }
  // int(round(x)): Python rounds a tie to even
  const whole = Number(pyFixed(bytes, 0));
  if (!Number.isSafeInteger(whole))
    throw new FilterError(`human_to_bytes(): ${text} is past the whole numbers quorum computes exactly`);
  return whole;
};

export const MATH_FILTERS: Record<string, Filter> = {
  __quorum_sum: sum,
  __quorum_round: round,
  human_readable: humanReadable,
  human_to_bytes: humanToBytes,
};
