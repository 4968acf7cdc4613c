/**
 * Ansible's `strftime` filter and `now()` global, as 2.19 gives them: time.strftime in the C
 * locale (glibc's directives) on the controller's local time or UTC, and datetime.now(), printed as
 * Python prints a datetime. `now().strftime(fmt)` reaches here through time-edits.ts.
 */

import { kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

interface Parts {
  year: number;
  month: number; // 0-11
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
  yday: number; // 0-365
  offsetMinutes: number; // east of UTC
  micro: number;
}

function partsOf(d: Date, utc: boolean): Parts {
  const get = utc
    ? {
        y: d.getUTCFullYear(),
        mo: d.getUTCMonth(),
        da: d.getUTCDate(),
        h: d.getUTCHours(),
        mi: d.getUTCMinutes(),
        s: d.getUTCSeconds(),
        w: d.getUTCDay(),
      }
    : {
        y: d.getFullYear(),
        mo: d.getMonth(),
        da: d.getDate(),
        h: d.getHours(),
        mi: d.getMinutes(),
        s: d.getSeconds(),
        w: d.getDay(),
      };
  const yday = Math.round((Date.UTC(get.y, get.mo, get.da) - Date.UTC(get.y, 0, 1)) / 86_400_000);
  return {
    year: get.y,
    month: get.mo,
    day: get.da,
    hour: get.h,
    minute: get.mi,
    second: get.s,
    weekday: get.w,
    yday,
    offsetMinutes: utc ? 0 : -d.getTimezoneOffset(),
    micro: d.getMilliseconds() * 1000,
  };
}

const pad = (n: number, width = 2, fill = '0') => String(n).padStart(width, fill);

/** ISO 8601 week-based year and week (%G, %V). */
function isoWeek(p: Parts): { year: number; week: number } {
  const wday = (p.weekday + 6) % 7; // Monday = 0
  const thursday = new Date(Date.UTC(p.year, p.month, p.day - wday + 3));
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return { year, week };
}

/** The zone's abbreviation: GMT for utc=true, UTC in UTC; another zone's is tzdata's, not known here. */
function zoneName(utc: boolean): string {
  if (utc) return 'GMT';
  const zone = process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (['UTC', 'Etc/UTC', 'UCT', 'Etc/UCT', 'Universal', 'Zulu'].includes(zone)) return 'UTC';
  throw new FilterError(
    `strftime: %Z in the time zone ${zone} is the system's abbreviation, which quorum does not read; use %z or utc=true`,
  );
}

/**
 * glibc's %s is mktime() of the broken-down time: for gmtime's (tm_isdst 0) that reads the UTC
 * wall clock as local standard time, as Python's strftime('%s', time.gmtime(x)) prints it.
 */
function gmtimeSeconds(p: Parts): number {
  const west = Math.max(
    new Date(p.year, 0, 1).getTimezoneOffset(),
    new Date(p.year, 6, 1).getTimezoneOffset(),
  );
  return Date.UTC(p.year, p.month, p.day, p.hour, p.minute, p.second) / 1000 + west * 60;
}

/** time.strftime(fmt, t) in the C locale. */
export function pyStrftime(fmt: string, d: Date, utc: boolean, naive = false): string {
  const p = partsOf(d, utc);
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const offset = () => {
    const m = Math.abs(p.offsetMinutes);
    return `${p.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(m / 60))}${pad(m % 60)}`;
  };
  const weekOf = (firstDay: number) => Math.floor((p.yday + 7 - ((p.weekday + 7 - firstDay) % 7)) / 7);
  const one = (c: string): string => {
    switch (c) {
      case 'a':
        return DAYS[p.weekday].slice(0, 3);
      case 'A':
        return DAYS[p.weekday];
      case 'b':
      case 'h':
        return MONTHS[p.month].slice(0, 3);
      case 'B':
        return MONTHS[p.month];
      case 'c':
        return `${one('a')} ${one('b')} ${pad(p.day, 2, ' ')} ${one('T')} ${p.year}`;
      case 'C':
        return pad(Math.floor(p.year / 100));
      case 'd':
        return pad(p.day);
      case 'D':
      case 'x':
        return `${pad(p.month + 1)}/${pad(p.day)}/${pad(p.year % 100)}`;
      case 'e':
        return pad(p.day, 2, ' ');
      case 'F':
        return `${p.year}-${pad(p.month + 1)}-${pad(p.day)}`;
      case 'G':
        return String(isoWeek(p).year);
      case 'g':
        return pad(isoWeek(p).year % 100);
      case 'H':
        return pad(p.hour);
      case 'I':
        return pad(h12);
      case 'j':
        return pad(p.yday + 1, 3);
      case 'k':
        return pad(p.hour, 2, ' ');
      case 'l':
        return pad(h12, 2, ' ');
      case 'm':
        return pad(p.month + 1);
      case 'M':
        return pad(p.minute);
      case 'n':
        return '\n';
      case 'p':
        return p.hour < 12 ? 'AM' : 'PM';
      case 'P':
        return p.hour < 12 ? 'am' : 'pm';
      case 'r':
        return `${pad(h12)}:${pad(p.minute)}:${pad(p.second)} ${one('p')}`;
      case 'R':
        return `${pad(p.hour)}:${pad(p.minute)}`;
      case 's':
        // a naive datetime's timetuple leaves DST to mktime (tm_isdst -1)
        if (naive && utc)
          return String(new Date(p.year, p.month, p.day, p.hour, p.minute, p.second).getTime() / 1000);
        return String(utc ? gmtimeSeconds(p) : Math.floor(d.getTime() / 1000));
      case 'f':
        if (!naive)
          throw new FilterError("strftime: %f is a datetime directive (now().strftime), not time.strftime's");
        return pad(p.micro, 6);
      case 'S':
        return pad(p.second);
      case 't':
        return '\t';
      case 'T':
      case 'X':
        return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
      case 'u':
        return String(p.weekday === 0 ? 7 : p.weekday);
      case 'U':
        return pad(weekOf(0));
      case 'V':
        return pad(isoWeek(p).week);
      case 'w':
        return String(p.weekday);
      case 'W':
        return pad(weekOf(1));
      case 'y':
        return pad(p.year % 100);
      case 'Y':
        return String(p.year);
      case 'z':
        return naive ? '' : offset();
      case 'Z':
        return naive ? '' : zoneName(utc);
      case '%':
        return '%';
      default:
        throw new FilterError(
          `strftime: the directive %${c} is not one quorum formats (glibc's C locale directives are)`,
        );
    }
  };
  return fmt.replace(/%(.?)/gs, (_, c: string) => (c === '' ? '%' : one(c)));
}

/** str(datetime) of a naive one (2.19's now(), utc too): 'YYYY-MM-DD HH:MM:SS[.ffffff]'. */
export function pyDatetimeText(d: Date, utc: boolean): string {
  const p = partsOf(d, utc);
  const base = `${p.year}-${pad(p.month + 1)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  return `${base}${p.micro ? `.${pad(p.micro, 6)}` : ''}`;
}

/** The strftime filter: format, then an epoch in seconds (now when None), then utc. */
export function strftimeFilter(format: unknown, ...args: unknown[]): string {
  const kw = kwargs(args, ['second', 'utc']);
  const second = kw.second ?? args[0] ?? null;
  const utc = Boolean(kw.utc ?? args[1] ?? false);
  let when = new Date();
  if (second !== null && second !== undefined) {
    const n =
      typeof second === 'number'
        ? second
        : typeof second === 'string' && second.trim() !== ''
          ? Number(second)
          : Number.NaN;
    if (!Number.isFinite(n)) throw new FilterError(`Invalid value for epoch value (${String(second)})`);
    when = new Date(Math.floor(n) * 1000);
  }
  return pyStrftime(String(format), when, utc);
}

/** now(utc=False, fmt=None); `__strftime` is the format of a `now().strftime(fmt)` (time-edits.ts). */
export function nowGlobal(...args: unknown[]): string {
  const kw = kwargs(args, ['utc', 'fmt', '__strftime']);
  const utc = Boolean(kw.utc ?? args[0] ?? false);
  const fmt = kw.__strftime ?? kw.fmt ?? args[1] ?? null;
  const now = new Date();
  // a naive datetime, UTC's wall clock for utc=True: its strftime prints no zone
  return fmt === null || fmt === undefined
    ? pyDatetimeText(now, utc)
    : pyStrftime(String(fmt), now, utc, true);
}
