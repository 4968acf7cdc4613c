/**
 * community.general's time units (plugins/filter/time.py): `to_seconds`, `to_minutes` ... and
 * `to_time_unit`, "1d 2h" read as the filter reads it, a float rounded to 12 places (math-edits.ts
 * adds `|float`, as Python divides). `year` and `month` lengths apply to the one call (the
 * collection changes its module-wide table; quorum does not carry that over to later calls).
 */
import { kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';

type Filter = (value: unknown, ...args: unknown[]) => unknown;
type Dict = Record<string, unknown>;

const UNIT_FACTORS: Record<string, number[]> = {
  ms: [],
  s: [1000],
  m: [1000, 60],
  h: [1000, 60, 60],
  d: [1000, 60, 60, 24],
  w: [1000, 60, 60, 24, 7],
  mo: [1000, 60, 60, 24, 30],
  y: [1000, 60, 60, 24, 365],
};
const SHORT_FORM: Record<string, string> = {
  millisecond: 'ms',
  msec: 'ms',
  msecond: 'ms',
  sec: 's',
  second: 's',
  hour: 'h',
  min: 'm',
  minute: 'm',
  day: 'd',
  week: 'w',
  month: 'mo',
  year: 'y',
};
const product = (fs: number[]) => fs.reduce((a, b) => a * b, 1);
const short = (unit: string) => SHORT_FORM[unit.replace(/s+$/, '')] ?? unit;

/** to_time_unit: "1d 2h" in `unit`, a float rounded to 12 places (time-unit edits add |float). */
function toTimeUnit(human: unknown, unit: string, kw: Dict): number {
  if (human === '0') return 0;
  const factors = { ...UNIT_FACTORS };
  const to = short(unit);
  if (!factors[to])
    throw new FilterError(
      `to_time_unit() can not convert to the following unit: ${to}. Available units (singular or plural): ${Object.keys(SHORT_FORM).join(', ')}. Available short units: ${Object.keys(UNIT_FACTORS).join(', ')}`,
    );
  const { year, month, ...rest } = kw;
  if (year !== undefined) factors.y = [...factors.y.slice(0, -1), Number(year)];
  if (month !== undefined) factors.mo = [...factors.mo.slice(0, -1), Number(month)];
  if (Object.keys(rest).length)
    throw new FilterError(`to_time_unit() got unknown keyword arguments: ${Object.keys(rest).join(', ')}`);
  let ms = 0;
  for (const part of String(human).split(/\s+/).filter(Boolean)) {
    const m = /^(-?\d+)(\w+)/.exec(part);
    const u = m ? short(m[2]) : '';
    if (!m || !factors[u])
      throw new FilterError(`to_time_unit() can not interpret following string: ${String(human)}`);
    ms += Number(m[1]) * product(factors[u]);
  }
  return Math.round((ms / product(factors[to])) * 1e12) / 1e12;
}

/** The time unit filters and the unit each converts to. */
export const TIME_UNIT_FILTERS: Record<string, string | undefined> = {
  to_milliseconds: 'ms',
  to_seconds: 's',
  to_minutes: 'm',
  to_hours: 'h',
  to_days: 'd',
  to_weeks: 'w',
  to_months: 'mo',
  to_years: 'y',
  to_time_unit: undefined,
};

export const TIME_UNIT_FILTER_FUNCTIONS: Record<string, Filter> = Object.fromEntries(
  Object.entries(TIME_UNIT_FILTERS).map(([name, unit]): [string, Filter] => [
    name,
    (human, ...args) => {
      const kw = kwargs(args, ['unit', 'year', 'month']) as Dict;
      const { unit: given, ...rest } = kw;
      const to = unit ?? String(given ?? args[0] ?? 'ms');
      return toTimeUnit(
        human,
        to,
        Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      );
    },
  ]),
);
