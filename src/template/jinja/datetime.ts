/**
 * Ansible's `to_datetime` (datetime.strptime) and what roles do with its value: subtract two
 * (`(a - b).days`, `.seconds`, `.total_seconds()`), compare, `.strftime(fmt)`, `.year`. The
 * engine has no datetime value, so a datetime is the text Python's str() gives it
 * (`2024-03-01 10:00:00`, `+01:00` when it has a zone), which prints and compares as the
 * datetime does; the methods and the subtraction reach here through datetime-edits.ts.
 */
import { FilterError } from './filter-error.ts';
import { pyStrftime } from './time-filters.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const alternatives = (names: string[]) => `(${names.join('|')})`;

/** Python's _strptime patterns of the C locale, by directive. */
const DIRECTIVES: Record<string, string> = {
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  f: '(\\d{1,6})',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  I: '(1[0-2]|0[1-9]|[1-9])',
  j: '(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  m: '(1[0-2]|0[1-9]|[1-9])',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
  y: '(\\d\\d)',
  Y: '(\\d\\d\\d\\d)',
  z: '(Z|[+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?)',
  b: alternatives(MONTHS),
  h: alternatives(MONTHS),
  B: alternatives(MONTH_NAMES),
  a: alternatives(DAY_NAMES.map((d) => d.slice(0, 3))),
  A: alternatives(DAY_NAMES),
  p: '(am|pm)',
  Z: '(utc|gmt)',
};
/** The C locale's %c, %x and %X, as _strptime expands them. */
const EXPANSIONS: Record<string, string> = { c: '%a %b %d %H:%M:%S %Y', x: '%m/%d/%y', X: '%H:%M:%S' };

export interface PyDatetime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  /** Minutes east of UTC; undefined for a naive datetime. */
  offset?: number;
}

/** datetime.strptime(text, format), its failures in Python's words. */
export function strptime(text: string, format: string): PyDatetime {
  const expanded = format.replace(/%([cxX])/g, (_, c: string) => EXPANSIONS[c]);
  const order: string[] = [];
  let source = '';
  for (let i = 0; i < expanded.length; i++) {
    const c = expanded[i];
    if (c === '%') {
      const d = expanded[++i];
      if (d === '%') source += '%';
      else if (d in DIRECTIVES) {
        order.push(d);
        source += DIRECTIVES[d];
      } else throw new FilterError(`'${d ?? ''}' is a bad directive in format '${format}'`);
    } else if (/\s/.test(c)) source += '\\s+';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const found = new RegExp(`^${source}`, 'i').exec(text);
  if (!found) throw new FilterError(`time data '${text}' does not match format '${format}'`);
  if (found[0].length !== text.length)
    throw new FilterError(`unconverted data remains: ${text.slice(found[0].length)}`);
  const dt: PyDatetime = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0 };
  let pm: boolean | undefined;
  let yday: number | undefined;
  for (const [i, d] of order.entries()) {
    const v = found[i + 1];
    const n = Number(v);
    if (d === 'Y') dt.year = n;
    else if (d === 'y') dt.year = n <= 68 ? 2000 + n : 1900 + n;
    else if (d === 'm') dt.month = n;
    else if (d === 'b' || d === 'h') dt.month = MONTHS.indexOf(v.toLowerCase()) + 1;
    else if (d === 'B') dt.month = MONTH_NAMES.indexOf(v.toLowerCase()) + 1;
    else if (d === 'd') dt.day = n;
    else if (d === 'H' || d === 'I') dt.hour = n;
    else if (d === 'M') dt.minute = n;
    else if (d === 'S') dt.second = n;
    else if (d === 'f') dt.micro = Number(v.padEnd(6, '0'));
    else if (d === 'p') pm = v.toLowerCase() === 'pm';
    else if (d === 'j') yday = n;
    else if (d === 'z') dt.offset = zoneOffset(v);
  }
  // %I without %p is a morning hour: 12 is midnight
  if (order.includes('I')) dt.hour = (dt.hour % 12) + (pm ? 12 : 0);
  if (yday !== undefined && !order.some((d) => 'mbhBd'.includes(d))) {
    const date = new Date(Date.UTC(dt.year, 0, yday));
    [dt.month, dt.day] = [date.getUTCMonth() + 1, date.getUTCDate()];
  }
  if (dt.second > 59) throw new FilterError('second must be in 0..59');
  const last = new Date(Date.UTC(dt.year, dt.month, 0)).getUTCDate();
  if (dt.day > last) throw new FilterError('day is out of range for month');
  return dt;
}

function zoneOffset(z: string): number {
  if (z.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d\d):?(\d\d)/.exec(z) as RegExpExecArray;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** str(datetime): `2024-03-01 10:00:00[.000500][+01:00]`. */
export function datetimeText(dt: PyDatetime): string {
  const base = `${pad(dt.year, 4)}-${pad(dt.month)}-${pad(dt.day)} ${pad(dt.hour)}:${pad(dt.minute)}:${pad(dt.second)}`;
  const micro = dt.micro ? `.${pad(dt.micro, 6)}` : '';
  if (dt.offset === undefined) return base + micro;
  const m = Math.abs(dt.offset);
  return `${base}${micro}${dt.offset < 0 ? '-' : '+'}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** A datetime's text read back (the value of to_datetime or now()). */
export function parseDatetimeText(v: unknown): PyDatetime {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{6}))?(?:([+-]\d\d:\d\d))?$/.exec(String(v));
  if (!m)
    throw new FilterError(
      `'${String(v)}' is not a datetime (quorum knows a datetime by its text from to_datetime or now())`,
    );
  const [, y, mo, d, h, mi, s, micro, zone] = m;
  return {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    micro: Number(micro ?? 0),
    ...(zone ? { offset: zoneOffset(zone) } : {}),
  };
}

/** Microseconds since the epoch of the datetime's own wall clock, less its zone's offset. */
const microsOf = (dt: PyDatetime) =>
  (Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second) / 1000 - (dt.offset ?? 0) * 60) *
    1_000_000 +
  dt.micro;

/** str(timedelta): `3 days, 10:00:00`, `-1 day, 23:59:59.500000`. */
function timedeltaText(micros: number): string {
  const days = Math.floor(micros / 86_400_000_000);
  const rest = micros - days * 86_400_000_000;
  const seconds = Math.floor(rest / 1_000_000);
  const micro = rest % 1_000_000;
  const clock = `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}${micro ? `.${pad(micro, 6)}` : ''}`;
  return days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${clock}` : clock;
}

/** `a - b` of two datetimes: its `fields` (days, seconds, microseconds), total_seconds, or its text. */
export function timedelta(a: unknown, b: unknown, what: unknown): unknown {
  const [x, y] = [parseDatetimeText(a), parseDatetimeText(b)];
  if ((x.offset === undefined) !== (y.offset === undefined))
    throw new FilterError("can't subtract offset-naive and offset-aware datetimes");
  const micros = microsOf(x) - microsOf(y);
  const days = Math.floor(micros / 86_400_000_000);
  const rest = micros - days * 86_400_000_000;
  switch (what) {
    case 'fields':
      return { days, seconds: Math.floor(rest / 1_000_000), microseconds: rest % 1_000_000 };
    case 'total_seconds':
      return micros / 1_000_000;
    default:
      return timedeltaText(micros);
  }
}

export const DATETIME_FILTERS: Record<string, (v: unknown, ...args: unknown[]) => unknown> = {
  to_datetime: (v, format = '%Y-%m-%d %H:%M:%S') => {
    if (typeof v !== 'string')
      throw new FilterError(`strptime() argument 1 must be str, not ${v === null ? 'None' : typeof v}`);
    return datetimeText(strptime(v, String(format)));
  },
  /** `(d).strftime(fmt)` of a naive datetime: its wall clock taken as local time, as Python's mktime does for %s. */
  __quorum_dt_strftime: (v, format) => {
    const dt = parseDatetimeText(v);
    if (dt.offset !== undefined)
      throw new FilterError('strftime of a datetime with a time zone is not one quorum formats');
    const local = new Date(
      dt.year,
      dt.month - 1,
      dt.day,
      dt.hour,
      dt.minute,
      dt.second,
      Math.floor(dt.micro / 1000),
    );
    return pyStrftime(String(format), local, false, true);
  },
  /** A datetime's fields, for `(d).year` and the others. */
  __quorum_dt_fields: (v) => {
    const { year, month, day, hour, minute, second, micro } = parseDatetimeText(v);
    return { year, month, day, hour, minute, second, microsecond: micro };
  },
};
