/** A filter's keyword arguments: minijinja hands them over as a last dict of known names. */

type Dict = Record<string, unknown>;
export const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);
/** collections.abc.Sequence: a list or a text (whose items are its characters). */
export const asSequence = (v: unknown): unknown[] | undefined =>
  Array.isArray(v) ? v : typeof v === 'string' ? [...v] : undefined;

export function kwargs(args: unknown[], names: string[]): Dict {
  const last = args.at(-1);
  if (isDict(last) && Object.keys(last).length > 0 && Object.keys(last).every((k) => names.includes(k))) {
    args.pop();
    return last;
  }
  return {};
}
