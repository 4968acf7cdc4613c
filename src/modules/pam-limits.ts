/**
 * `pam_limits` (community.general.pam_limits): one `domain type item value` line of
 * /etc/security/limits.conf (or `dest`), edited as the collection's module edits it, line by
 * line, so that the file comes out byte for byte as Ansible's would. Its ways are kept: the
 * comment of the last line read before the match becomes the new line's when none is given
 * (with its newline), a last line without a newline is followed directly by an added line,
 * use_max/use_min compare numbers with "unlimited", "infinity" and -1 as no limit.
 */
import { contentChanges } from './content.ts';
import { defineModule } from './types.ts';

interface LimitParams {
  domain: string;
  limit_type: string;
  limit_item: string;
  value: string;
  use_max?: boolean;
  use_min?: boolean;
  backup?: boolean;
  dest?: string;
  comment?: string;
}

const ITEMS = [
  ...['core', 'data', 'fsize', 'memlock', 'nofile', 'rss', 'stack', 'cpu', 'nproc', 'as', 'maxlogins'],
  ...['maxsyslogins', 'priority', 'locks', 'sigpending', 'msgqueue', 'nice', 'rtprio', 'chroot'],
];
const UNLIMITED = ['unlimited', 'infinity', '-1'];

class LimitError extends Error {}

/** _assert_is_valid_value, with the module's message. */
function assertValid(item: string, value: string, prefix = '') {
  const repr = (s: string) => `'${s}'`;
  if (item === 'nice' || item === 'priority') {
    const n = /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= -20 && n <= 19))
      throw new LimitError(
        `${prefix} Value of ${repr(value)} for item ${repr(item)} is invalid. Value must be a number in the range -20 to 19 inclusive. Refer to the limits.conf(5) manual pages for more details.`,
      );
  } else if (!(UNLIMITED.includes(value) || /^\d+$/.test(value)))
    throw new LimitError(
      `${prefix} Value of ${repr(value)} for item ${repr(item)} is invalid. Value must either be 'unlimited', 'infinity' or -1, all of which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details.`,
    );
}

/** The file after the edit, and whether the module calls it a change. */
export function editLimits(lines: string[], p: LimitParams): { text: string; changed: boolean } {
  let comment = p.comment ?? '';
  let found = false;
  let changed = false;
  let value = p.value;
  const out: string[] = [];
  const limitLine = (v: string) => {
    const c = comment ? `\t#${comment}` : '';
    return `${p.domain}\t${p.limit_type}\t${p.limit_item}\t${v}${c}\n`;
  };
  for (const line of lines) {
    const flat = line.replace(/\s+/g, ' ').trim();
    if (line.startsWith('#') || !flat) {
      out.push(line);
      continue;
    }
    const hash = line.indexOf('#');
    const oldComment = hash < 0 ? '' : line.slice(hash + 1);
    if (!comment) comment = oldComment;
    const fields = flat.split('#')[0].trimEnd().split(' ');
    if (fields.length !== 4) {
      out.push(line);
      continue;
    }
    const [domain, type, item, actual] = fields;
    assertValid(item, actual, `Invalid configuration found in '${p.dest ?? '/etc/security/limits.conf'}'.`);
    if (domain !== p.domain || type !== p.limit_type || item !== p.limit_item) {
      out.push(line);
      continue;
    }
    found = true;
    if (value === actual) {
      out.push(line);
      continue;
    }
    // the module compares the type, not the item, with nice/priority: never true, kept as it is
    const actualUnlimited = UNLIMITED.includes(actual);
    const valueUnlimited = UNLIMITED.includes(value);
    if (p.use_max)
      value = actualUnlimited
        ? actual
        : valueUnlimited
          ? value
          : String(Math.max(Number(value), Number(actual)));
    if (p.use_min)
      value =
        actualUnlimited && valueUnlimited
          ? actual
          : actualUnlimited
            ? value
            : valueUnlimited
              ? actual
              : String(Math.min(Number(value), Number(actual)));
    if (value !== actual) {
      changed = true;
      out.push(limitLine(value));
    } else out.push(line);
  }
  if (!found) {
    changed = true;
    out.push(limitLine(value));
  }
  return { text: out.join(''), changed };
}

/** Python's `list(f)` of a file: its lines, each with its newline. */
const linesOf = (text: string) => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

export const pamLimitsModule = defineModule<LimitParams>({
  name: 'pam_limits',
  aliases: ['community.general.pam_limits'],
  schema: {
    type: 'object',
    properties: {
      domain: { type: 'string' },
      limit_type: { enum: ['soft', 'hard', '-'] },
      limit_item: { enum: ITEMS },
      value: { type: 'string' },
      use_max: { type: 'boolean' },
      use_min: { type: 'boolean' },
      backup: { type: 'boolean' },
      dest: { type: 'string', minLength: 1 },
      comment: { type: 'string' },
    },
    required: ['domain', 'limit_type', 'limit_item', 'value'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    if (p.use_max && p.use_min)
      return { changes: [], failed: 'Cannot use use_min and use_max at the same time.' };
    const dest = p.dest ?? '/etc/security/limits.conf';
    const state = await ctx.probePath(dest, { content: true });
    if (state.kind === 'absent') {
      const dir = dest.replace(/\/[^/]*$/, '') || '/';
      if ((await ctx.probePath(dir)).kind !== 'directory')
        return {
          changes: [],
          failed: `directory ${dir} is not writable (check presence, access rights, use sudo)`,
        };
    }
    let edit: { text: string; changed: boolean };
    try {
      assertValid(p.limit_item, p.value);
      edit = editLimits(state.kind === 'file' ? linesOf(state.content ?? '') : [], p);
    } catch (e) {
      if (e instanceof LimitError) return { changes: [], failed: e.message };
      throw e;
    }
    // the module rewrites the file only to the same text when nothing changed: no change here
    if (!edit.changed && state.kind === 'file') return { changes: [] };
    return { changes: contentChanges(dest, state, edit.text, { backup: p.backup }) };
  },
});
