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

/** Ansible's comment filter: the text as a comment block, framed by bare decorations. */
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
  const p = {
    beginning: '',
    end: '',
    newline: '\n',
    prefix_count: 1,
    postfix_count: 1,
    ...style,
    ...kw,
  } as Record<string, string | number>;
  const decoration = String(p.decoration);
  const prefix = String(p.prefix ?? decoration.trimEnd());
  const postfix = String(p.postfix ?? decoration.trimEnd());
  const nl = String(p.newline);
  const lines = text.split('\n').map((l) => (l === '' ? decoration.trimEnd() : decoration + l));
  return [
    ...(p.beginning ? [String(p.beginning)] : []),
    ...(prefix ? Array(Number(p.prefix_count)).fill(prefix) : []),
    ...lines,
    ...(postfix ? Array(Number(p.postfix_count)).fill(postfix) : []),
    ...(p.end ? [String(p.end)] : []),
  ].join(nl);
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
