/** `lineinfile` and `replace` (and what `blockinfile` shares): edit part of a file, computed on the controller, written whole. */

import { expand, pyRegex, pySub } from '../template/jinja/regex.ts';
import { type Attributes, contentChanges } from './content.ts';
import { lineinfileResult } from './edit-results.ts';
import { defineModule, type ModuleOutcome, type ProbeContext } from './types.ts';

/** What both editors take: the file, present/absent, where to insert, its attributes. */
export interface EditParams extends Attributes {
  path: string;
  state?: 'present' | 'absent';
  insertafter?: string;
  insertbefore?: string;
  create?: boolean;
}

export interface LineParams extends EditParams {
  line?: string;
  regexp?: string;
  /** A line containing this text (not a pattern) is the one replaced or removed. */
  search_string?: string;
  /** With regexp: the line is built from the match's groups (\\1), and nothing is added without a match. */
  backrefs?: boolean;
  /** The first match (regexp, search_string, insertafter/before) rather than the last. */
  firstmatch?: boolean;
}

/** Python's readlines(): each line with its newline. */
export const readLines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
const rstripNl = (l: string) => l.replace(/[\r\n]+$/, '');
/** re.search on a line as read (Python's `$` also matches before the line's newline). */
export const searches = (re: RegExp, l: string) => re.test(l.endsWith('\n') ? l.slice(0, -1) : l);

/** ansible.builtin.lineinfile's present() (ansible-core 2.19), line for line. */
function present(b: string[], p: LineParams): { lines: string[]; msg: string } {
  const line = p.line ?? '';
  let insertafter = p.insertafter;
  const insertbefore = p.insertbefore;
  if (insertafter === undefined && insertbefore === undefined) insertafter = 'EOF';
  const re = p.regexp !== undefined ? pyRegex(p.regexp, {}) : undefined;
  const insPattern =
    insertafter !== undefined && !['BOF', 'EOF'].includes(insertafter)
      ? insertafter
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? insertbefore
        : undefined;
  const ins = insPattern === undefined ? undefined : pyRegex(insPattern, {});
  const index = [-1, -1];
  let match: RegExpExecArray | boolean | null = null;
  let exact = false;
  if (re)
    for (let i = 0; i < b.length; i++) {
      const m = re.exec(b[i].endsWith('\n') ? b[i].slice(0, -1) : b[i]);
      if (m) {
        index[0] = i;
        match = m;
        if (p.firstmatch) break;
      }
    }
  if (p.search_string !== undefined)
    for (let i = 0; i < b.length; i++)
      if (b[i].includes(p.search_string)) {
        index[0] = i;
        match = true;
        if (p.firstmatch) break;
      }
  if (!match)
    for (let i = 0; i < b.length; i++) {
      if (rstripNl(b[i]) === line) {
        index[0] = i;
        exact = true;
      } else if (ins && searches(ins, b[i])) {
        if (insertafter !== undefined) {
          index[1] = i + 1;
          if (p.firstmatch) break;
        }
        if (insertbefore !== undefined) {
          index[1] = i;
          if (p.firstmatch) break;
        }
      }
    }
  const lines = [...b];
  let msg = '';
  const add = () => {
    msg = 'line added';
  };
  if (index[0] !== -1) {
    let newLine = p.backrefs && match && typeof match !== 'boolean' ? expand(line, match) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (p.regexp === undefined && p.search_string === undefined && !match && !exact) {
      if (insertafter !== undefined && insertafter !== 'EOF') {
        if (lines.length && !/[\n\r]$/.test(lines[lines.length - 1])) lines[lines.length - 1] += '\n';
        if (lines.length === index[1]) {
          if (rstripNl(lines[index[1] - 1]) !== line) {
            lines.push(`${line}\n`);
            add();
          }
        } else if (rstripNl(lines[index[1]]) !== line) {
          lines.splice(index[1], 0, `${line}\n`);
          add();
        }
      } else if (insertbefore !== undefined && insertbefore !== 'BOF') {
        if (index[1] <= 0) {
          if (rstripNl(lines.at(index[1]) ?? '') !== line) {
            lines.splice(index[1], 0, `${line}\n`);
            add();
          }
        } else if (rstripNl(lines[index[1] - 1]) !== line) {
          lines.splice(index[1], 0, `${line}\n`);
          add();
        }
      }
    } else if (lines[index[0]] !== newLine) {
      lines[index[0]] = newLine;
      msg = 'line replaced';
    }
  } else if (p.backrefs) {
    // nothing: without a match there are no groups to build the line from
  } else if (insertbefore === 'BOF' || insertafter === 'BOF') {
    lines.unshift(`${line}\n`);
    add();
  } else if (insertafter === 'EOF' || index[1] === -1) {
    if (lines.length && !/[\n\r]$/.test(lines[lines.length - 1])) lines.push('\n');
    lines.push(`${line}\n`);
    add();
  } else if (insertafter !== undefined && index[1] !== -1) {
    if (lines.length === index[1]) {
      if (rstripNl(lines[index[1] - 1]) !== line) {
        lines.push(`${line}\n`);
        add();
      }
    } else if (line !== rstripNl(lines[index[1]])) {
      lines.splice(index[1], 0, `${line}\n`);
      add();
    }
  } else {
    lines.splice(index[1], 0, `${line}\n`);
    add();
  }
  return { lines, msg };
}

/** ansible.builtin.lineinfile's absent(): every line the regexp finds, containing search_string, or equal to line. */
function absent(b: string[], p: LineParams): string[] {
  const re = p.regexp !== undefined ? pyRegex(p.regexp, {}) : undefined;
  return b.filter((l) =>
    re
      ? !searches(re, l)
      : p.search_string !== undefined
        ? !l.includes(p.search_string)
        : (p.line ?? '') !== rstripNl(l),
  );
}

export function editLines(text: string, p: LineParams): string {
  return lineEdit(text, p).text;
}

/** The edit and what the module says of it: `msg` ('line added', 'line replaced', 'N line(s) removed'), absent's `found`. */
export function lineEdit(text: string, p: LineParams): { text: string; msg: string; found?: number } {
  const b = readLines(text);
  if ((p.state ?? 'present') === 'present') {
    const { lines, msg } = present(b, p);
    return { text: lines.join(''), msg };
  }
  const kept = absent(b, p);
  const found = b.length - kept.length;
  return { text: kept.join(''), msg: found ? `${found} line(s) removed` : '', found };
}

/** The module's own refusals (its mutually_exclusive and required checks), in its words. */
export function lineinfileProblem(p: LineParams): string | undefined {
  for (const [a, b] of [
    ['insertbefore', 'insertafter'],
    ['regexp', 'search_string'],
    ['backrefs', 'search_string'],
  ] as const)
    if (p[a] !== undefined && p[b] !== undefined) return `parameters are mutually exclusive: ${a}|${b}`;
  if ((p.state ?? 'present') === 'present') {
    if (p.backrefs && p.regexp === undefined) return 'regexp is required with backrefs=true';
    if (p.line === undefined) return 'line is required with state=present';
  } else if (p.regexp === undefined && p.search_string === undefined && p.line === undefined)
    return 'one of line, search_string, or regexp is required with state=absent';
  return undefined;
}

/** How the edited file is written: checked by a command first (`validate`), the old one kept (`backup`). */
const writeSchema = {
  validate: { type: 'string', pattern: '%s' },
  backup: { type: 'boolean' },
};

/** Parameters both editors share: where, whether, how to place, and the file's attributes. */
export const editSchema = {
  path: { type: 'string', minLength: 1 },
  state: { enum: ['present', 'absent'] },
  insertafter: { type: 'string' },
  insertbefore: { type: 'string' },
  create: { type: 'boolean' },
  mode: { type: ['string', 'integer'] },
  owner: { type: 'string' },
  group: { type: 'string' },
  ...writeSchema,
};

/** Read the file, apply a pure edit, and describe the write (nothing when the text is the same). */
export async function planEdit(
  ctx: ProbeContext,
  p: EditParams,
  edit: (text: string) => string,
  /** The module's own answer for a file that is not there, where it has one. */
  missing?: () => ModuleOutcome | undefined,
): Promise<ModuleOutcome> {
  const state = await ctx.probePath(p.path, { content: true });
  if (state.kind === 'absent') {
    const own = missing?.();
    if (own) return own;
    if ((p.state ?? 'present') === 'absent') return { changes: [] };
    if (!p.create) return { changes: [], failed: `${p.path} does not exist (set create: true to create it)` };
  }
  const before = state.kind === 'file' ? (state.content ?? '') : '';
  return { changes: contentChanges(p.path, state, edit(before), p) };
}

export const lineinfileModule = defineModule<LineParams>({
  name: 'lineinfile',
  paramAliases: { dest: 'path', destfile: 'path', name: 'path' },
  schema: {
    type: 'object',
    properties: {
      ...editSchema,
      line: { type: 'string' },
      regexp: { type: 'string' },
      search_string: { type: 'string' },
      backrefs: { type: 'boolean' },
      firstmatch: { type: 'boolean' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const problem = lineinfileProblem(p);
    if (problem) return { changes: [], failed: problem };
    let said: { msg: string; found?: number } | undefined;
    const out = await planEdit(
      ctx,
      p,
      (text) => {
        const edit = lineEdit(text, p);
        said = edit;
        return edit.text;
      },
      // present() fails in its words; absent() says "file not present" (lineinfileResult)
      () =>
        (p.state ?? 'present') === 'present' && !p.create
          ? { changes: [], failed: `Destination ${p.path} does not exist !`, result: { rc: 257 } }
          : undefined,
    );
    if (out.failed) return out;
    return { ...out, result: lineinfileResult(p, out, said, !!ctx.checkMode) };
  },
});

interface ReplaceParams extends EditParams {
  regexp: string;
  replace?: string;
  after?: string;
  before?: string;
}

/** Ansible's replace: re.sub over the file (MULTILINE), optionally only between after and before. */
export function editReplace(text: string, p: ReplaceParams): string {
  let start = 0;
  let end = text.length;
  if (p.after) {
    const m = pyRegex(p.after, { multiline: true }).exec(text);
    if (m) start = m.index + m[0].length;
  }
  if (p.before) {
    const m = pyRegex(p.before, { multiline: true }).exec(text.slice(start));
    if (m) end = start + m.index;
  }
  const middle = pySub(
    text.slice(start, end),
    pyRegex(p.regexp, { multiline: true }, true),
    p.replace ?? '',
    0,
  );
  return text.slice(0, start) + middle + text.slice(end);
}

export const replaceModule = defineModule<ReplaceParams>({
  name: 'replace',
  paramAliases: { dest: 'path', destfile: 'path', name: 'path' },
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1 },
      regexp: { type: 'string', minLength: 1 },
      replace: { type: 'string' },
      after: { type: 'string' },
      before: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      ...writeSchema,
    },
    required: ['path', 'regexp'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const state = await ctx.probePath(p.path, { content: true });
    if (state.kind === 'absent') return { changes: [], failed: `${p.path} does not exist` };
    return planEdit(ctx, p, (text) => editReplace(text, p));
  },
});
