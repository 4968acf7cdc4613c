/** The paths first_found tries, as ansible-core's first_found plugin builds them from its terms. */
import { isAbsolute, join } from 'node:path';

/** Split a string on the separators first_found still splits on (a list is taken as it is). */
const splitOn = (v: unknown, seps: RegExp): string[] =>
  v === undefined || v === null
    ? []
    : Array.isArray(v)
      ? v.flatMap((x) => splitOn(x, seps))
      : String(v).split(seps);

/**
 * The paths first_found tries, in order, as ansible-core's first_found builds them: each term a
 * file, a list of terms, or a mapping with `files` and `paths` (every path joined to every file).
 */
export function firstFoundCandidates(terms: unknown[], kwPaths: unknown): string[] {
  return terms.flatMap((term): string[] => {
    if (Array.isArray(term)) return firstFoundCandidates(term, kwPaths);
    const mapping = typeof term === 'object' && term !== null;
    const t = term as { files?: unknown; paths?: unknown };
    const files = splitOn(mapping ? t.files : term, /[,;]/);
    const paths = splitOn(mapping && t.paths !== undefined ? t.paths : kwPaths, /[,:;]/);
    return paths.length ? paths.flatMap((p) => files.map((f) => (isAbsolute(f) ? f : join(p, f)))) : files;
  });
}
