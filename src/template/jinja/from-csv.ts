/**
 * community.general.from_csv (plugins/filter/from_csv.py, ansible 12.0.0): csv.DictReader over the
 * text, in the excel, excel-tab or unix dialect, with `delimiter`, `skipinitialspace` and
 * `fieldnames`. `strict` (a malformed row fails) is refused: quorum's reader is the lenient one.
 */
import { kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';
import { pyCsvRows } from './lookup-csvfile.ts';

const DIALECTS: Record<string, string> = { excel: ',', 'excel-tab': '\t', unix: ',' };

export function fromCsv(data: unknown, ...args: unknown[]): unknown {
  const kw = kwargs(args, ['dialect', 'fieldnames', 'delimiter', 'skipinitialspace', 'strict']);
  const [dialect = kw.dialect ?? 'excel', fieldnames = kw.fieldnames, delimiter = kw.delimiter] = args;
  const skip = kw.skipinitialspace ?? args[3];
  if ((kw.strict ?? args[4]) !== undefined && (kw.strict ?? args[4]) !== null)
    throw new FilterError("from_csv: quorum does not take 'strict' (its reader is the lenient one)");
  const separator = DIALECTS[String(dialect)];
  if (separator === undefined)
    throw new FilterError(`Dialect '${String(dialect)}' is not supported by your version of python.`);
  const given = delimiter === undefined || delimiter === null ? separator : String(delimiter);
  if ([...given].length !== 1)
    throw new FilterError('Unable to create custom dialect: "delimiter" must be a 1-character string');
  const rows = pyCsvRows(String(data ?? ''), given, skip === true).filter((row) => row.length > 0);
  const names =
    fieldnames === undefined || fieldnames === null ? rows.shift() : [fieldnames].flat().map(String);
  if (!names) return [];
  return rows.map((row) => {
    if (row.length > names.length)
      throw new FilterError(
        `from_csv: row ${JSON.stringify(row)} has more fields than names; Python keeps them under the key None, which quorum's dicts cannot`,
      );
    // DictReader's restval: None for the names a short row lacks
    return Object.fromEntries(names.map((name, i) => [name, row[i] ?? null]));
  });
}
