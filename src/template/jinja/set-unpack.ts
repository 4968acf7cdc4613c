/**
 * `{% set a, b = expr %}` (Python's unpacking, which Jinja2 has and the engine lacks), rewritten
 * to one set of the value and one per name: `{% set __quorum_unpack = expr %}{% set a =
 * __quorum_unpack|__quorum_unpack_item(0, 2) %}...`. The item filter fails as Python does when
 * the value has another number of items.
 */
import type { Edit } from './chains.ts';
import { FilterError } from './filter-error.ts';
import type { Block } from './scan.ts';
import { pyTypeName } from './values.ts';

export function unpackEdits(b: Block): Edit[] {
  const toks = b.toks;
  if (b.kind !== 'stmt' || toks[0]?.v !== 'set' || toks[2]?.v !== ',') return [];
  const names: string[] = [];
  let i = 1;
  for (; i < toks.length; i += 2) {
    if (toks[i].k !== 'name') return [];
    names.push(toks[i].v);
    if (toks[i + 1]?.v === '=') break;
    if (toks[i + 1]?.v !== ',') return [];
  }
  i += 1;
  if (toks[i]?.v !== '=' || i + 1 >= toks.length) return [];
  const sets = names
    .map((n, k) => `{% set ${n} = __quorum_unpack|__quorum_unpack_item(${k}, ${names.length}) %}`)
    .join('');
  return [
    { start: toks[1].start, end: toks[i].end, text: '__quorum_unpack =' },
    // the last set takes the statement's own closing delimiter (and its whitespace mark)
    { start: b.end, end: b.end, text: ` %}${sets.slice(0, -3)}` },
  ];
}

export function unpackItem(v: unknown, index: unknown, count: unknown): unknown {
  const items = Array.isArray(v)
    ? v
    : typeof v === 'string'
      ? Array.from(v)
      : v !== null && typeof v === 'object'
        ? Object.keys(v)
        : undefined;
  if (!items) throw new FilterError(`cannot unpack non-iterable ${pyTypeName(v)} object`);
  if (items.length < Number(count))
    throw new FilterError(`not enough values to unpack (expected ${count}, got ${items.length})`);
  if (items.length > Number(count)) throw new FilterError(`too many values to unpack (expected ${count})`);
  return items[Number(index)];
}
