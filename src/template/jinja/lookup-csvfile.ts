/**
 * lookup('csvfile', KEY ...), as ansible-core 2.19's plugin: the `col` column of the first row
 * whose `keycol` column is KEY, in a controller file read as Python's csv module reads the excel
 * dialect (quoted fields, doubled quotes, newlines inside quotes); `delimiter` TAB by default.
 * Options as keyword arguments or, the older form, `key=value` words after the key.
 */
import { parseKv } from '../../playbook/free-form.ts';
import { FilterError } from './filter-error.ts';
import { decodeText, pyInteger } from './lookup-options.ts';
import { pyRepr } from './values.ts';

export const CSVFILE_OPTIONS = ['col', 'keycol', 'default', 'delimiter', 'file', 'encoding'];

/** Python's csv.reader (excel dialect, not strict) over text with its newlines made \n. */
export function pyCsvRows(text: string, delimiter: string, skipInitialSpace = false): string[][] {
  if ([...delimiter].length !== 1) throw new FilterError('"delimiter" must be a 1-character string');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let state: 'record' | 'field' | 'in' | 'quoted' | 'quote' = 'record';
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRecord = () => {
    rows.push(row);
    row = [];
    state = 'record';
  };
  for (const c of text.replace(/\r\n?/g, '\n')) {
    if (state === 'quoted') {
      if (c === '"') state = 'quote';
      else field += c;
    } else if (state === 'quote' && c === '"') {
      field += c;
      state = 'quoted';
    } else if (c === '\n') {
      if (state !== 'record') endField();
      endRecord();
    } else if (skipInitialSpace && c === ' ' && (state === 'record' || state === 'field')) {
      // skipinitialspace: blanks after a delimiter (or at a record's start) are not the field's
    } else if (c === delimiter) {
      endField();
      state = 'field';
    } else if (c === '"' && (state === 'record' || state === 'field')) state = 'quoted';
    else {
      field += c;
      state = 'in';
    }
  }
  if (state === 'quoted' || state === 'quote' || field !== '' || state === 'field') {
    endField();
    endRecord();
  } else if (state !== 'record') endRecord();
  return rows;
}

/** Python's row[i], negative from the end. */
function at(row: string[], i: number): string {
  const v = row[i < 0 ? row.length + i : i];
  if (v === undefined) throw new FilterError('list index out of range');
  return v;
}

export function csvfileLookup(
  terms: unknown[],
  kwargs: Record<string, unknown>,
  find: (f: string) => string,
): unknown[] {
  if (terms.length === 0) throw new FilterError('Search key is required but was not found');
  const o: Record<string, unknown> = {
    col: 1,
    keycol: 0,
    default: null,
    delimiter: 'TAB',
    file: 'ansible.csv',
    encoding: 'utf-8',
    ...kwargs,
  };
  const out: unknown[] = [];
  for (const term of terms) {
    const kv = parseKv(String(term));
    if (kv._raw_params === undefined) throw new FilterError('Search key is required but was not found');
    for (const [name, value] of Object.entries(kv)) {
      if (name === '_raw_params') continue;
      if (!CSVFILE_OPTIONS.includes(name)) throw new FilterError(`${pyRepr(name)} is not a valid option`);
      o[name] = value;
    }
    const delimiter = o.delimiter === 'TAB' ? '\t' : String(o.delimiter);
    const rows = pyCsvRows(decodeText(find(String(o.file)), o.encoding), delimiter);
    const [keycol, col] = [pyInteger('keycol', o.keycol, 'csvfile'), pyInteger('col', o.col, 'csvfile')];
    const row = rows.find((r) => r.length > 0 && at(r, keycol) === kv._raw_params);
    const value = row ? at(row, col) : o.default;
    if (value !== null && value !== undefined) out.push(...(Array.isArray(value) ? value : [value]));
  }
  return out;
}
