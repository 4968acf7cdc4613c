/** Lookup options as ansible-core 2.19's plugin config reads them, and controller files as its loader decodes them. */
import { readBounded } from '../../input-file.ts';
import { FilterError } from './filter-error.ts';
import { pyRepr } from './values.ts';

/** ansible's boolean(v, strict=False), as a plugin reads a boolean option: its true words and numbers, anything else false. */
export const ansibleBoolean = (v: unknown): boolean =>
  v === true ||
  v === 1 ||
  (typeof v === 'string' && ['y', 'yes', 'on', '1', 'true', 't'].includes(v.toLowerCase()));

/** An integer option: an int, or text whose decimal value is whole (hex and octal refused, as 2.19 refuses them). */
export function pyInteger(name: string, v: unknown, plugin: string, type = 'int'): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'boolean') return Number(v);
  const text = typeof v === 'string' ? v.trim() : '';
  const n = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(n)) return n;
  throw new FilterError(
    `Config '${name}' for '${plugin}' lookup plugin from 'Direct' has an invalid value: Invalid value provided for '${type}': ${pyRepr(v)}`,
  );
}

/** A controller file's text in an encoding Python and Node both know (utf-8 by default). */
export function decodeText(path: string, encoding: unknown): string {
  const label = String(encoding ?? 'utf-8');
  let decoder: { decode(b: Uint8Array): string };
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new FilterError(`unknown encoding: ${label}`);
  }
  try {
    return decoder.decode(readBounded(path, 'the file'));
  } catch (e) {
    if (e instanceof TypeError) throw new FilterError(`'${label}' codec can't decode ${path}`);
    throw e;
  }
}
