/** Ansible's `comment` and `path_join` filters. */
import { kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';
import { pyTypeName } from './values.ts';

const listOf = (v: unknown): unknown[] => {
  if (!Array.isArray(v)) throw new FilterError(`path_join: expected a list, got ${pyTypeName(v)}`);
  return v;
};

const COMMENT_STYLES: Record<string, { beginning?: string; decoration: string; end?: string }> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/**
 * Ansible's comment filter, part by part as 2.19 composes it: the beginning and each prefix
 * on lines of their own (a prefix equal to the newline is just the newline), each line of the
 * text decorated (a decoration alone before a newline loses its trailing space), then the
 * postfixes, each after a newline (an empty postfix still gives its newline), then the end.
 */
export function comment(text: string, args: unknown[]): string {
  const kw = kwargs(args, [
    'decoration',
    'prefix',
    'postfix',
    'beginning',
    'end',
    'newline',
    'prefix_count',
    'postfix_count',
  ]);
  const style = COMMENT_STYLES[String(args[0] ?? 'plain')];
  if (!style) throw new FilterError(`comment: unknown style "${String(args[0])}"`);
  // the bare prefix and postfix come from the decoration given, else the style's
  const bare = String(kw.decoration ?? style.decoration).trimEnd();
  const p = {
    newline: '\n',
    beginning: '',
    prefix: bare,
    prefix_count: 1,
    postfix: bare,
    postfix_count: 1,
    end: '',
    ...style,
    ...kw,
  } as Record<string, unknown>;
  const [nl, decoration] = [String(p.newline), String(p.decoration)];
  const prefix = String(p.prefix ?? '');
  const beginning = p.beginning ? `${String(p.beginning)}${nl}` : '';
  const prefixes = prefix ? (prefix === nl ? nl : `${prefix}${nl}`).repeat(Number(p.prefix_count)) : '';
  const body = `${decoration}${text.split(nl).join(`${nl}${decoration}`)}`
    .split(`${decoration}${nl}`)
    .join(`${decoration.trimEnd()}${nl}`);
  const postfixes = Array.from(
    { length: Number(p.postfix_count) },
    () => `${nl}${String(p.postfix ?? '')}`,
  ).join('');
  const end = p.end ? `${nl}${String(p.end)}` : '';
  return `${beginning}${prefixes}${body}${postfixes}${end}`;
}

/** Python's os.path.join over a list (or one string), as Ansible's path_join calls it. */
export function pathJoin(v: unknown): string {
  const parts = typeof v === 'string' ? [v] : listOf(v);
  let out = '';
  for (const p of parts) {
    if (typeof p !== 'string') throw new FilterError(`path_join: expected strings, got ${pyTypeName(p)}`);
    out = p.startsWith('/') ? p : out === '' || out.endsWith('/') ? out + p : `${out}/${p}`;
  }
  return out;
}
