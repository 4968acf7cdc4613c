/** `lineinfile` and `blockinfile`: edit part of a file, computed on the controller, written whole. */

import { expand, pyRegex, pySub } from '../template/jinja/regex.ts';
import { type Attributes, contentChanges } from './content.ts';
import { defineModule, type ModuleOutcome, type ProbeContext } from './types.ts';

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const joinLines = (lines: string[]) => (lines.length ? `${lines.join('\n')}\n` : '');

/** Last index whose line matches, or -1 (Ansible uses the last match for insertafter/before). */
function lastMatch(lines: string[], pattern: string): number {
  const re = new RegExp(pattern);
  for (let i = lines.length - 1; i >= 0; i--) if (re.test(lines[i])) return i;
  return -1;
}

/** Where new lines go: BOF, before/after the last match, else at the end. */
function insertionIndex(lines: string[], p: { insertbefore?: string; insertafter?: string }): number {
  if (p.insertbefore === 'BOF') return 0;
  if (p.insertbefore) {
    const i = lastMatch(lines, p.insertbefore);
    return i >= 0 ? i : lines.length;
  }
  if (p.insertafter && p.insertafter !== 'EOF') {
    const i = lastMatch(lines, p.insertafter);
    return i >= 0 ? i + 1 : lines.length;
  }
  return lines.length;
}

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
  /** With regexp: the line is built from the match's groups (\\1), and nothing is added without a match. */
  backrefs?: boolean;
}

export function editLines(text: string, p: LineParams): string {
  const lines = splitLines(text);
  const re = p.regexp ? pyRegex(p.regexp, {}) : undefined;
  if ((p.state ?? 'present') === 'absent') {
    return joinLines(lines.filter((l) => (re ? !re.test(l) : l !== p.line)));
  }
  const line = p.line ?? '';
  let at = -1;
  for (let i = lines.length - 1; i >= 0 && at < 0; i--)
    if (re ? re.test(lines[i]) : lines[i] === line) at = i;
  if (at >= 0) {
    // backrefs: the line is `line` with the match's groups filled in (Python's match.expand)
    const m = p.backrefs ? pyRegex(p.regexp ?? '', {}).exec(lines[at]) : null;
    lines[at] = m ? expand(line, m) : line;
    return joinLines(lines);
  }
  if (p.backrefs || lines.includes(line)) return joinLines(lines);
  lines.splice(insertionIndex(lines, p), 0, line);
  return joinLines(lines);
}

/** How the edited file is written: checked by a command first (`validate`), the old one kept (`backup`). */
const writeSchema = {
  validate: { type: 'string', pattern: '%s' },
  backup: { type: 'boolean' },
};

/** Parameters both editors share: where, whether, how to place, and the file's attributes. */
const editSchema = {
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
): Promise<ModuleOutcome> {
  const state = await ctx.probePath(p.path, { content: true });
  if (state.kind === 'absent') {
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
      backrefs: { type: 'boolean' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    if ((p.state ?? 'present') === 'present' && p.line === undefined)
      return { changes: [], failed: 'state=present needs line' };
    return planEdit(ctx, p, (text) => editLines(text, p));
  },
});

export interface BlockParams extends EditParams {
  block?: string;
  marker?: string;
}

export function editBlock(text: string, p: BlockParams): string {
  const marker = p.marker ?? '# {mark} ANSIBLE MANAGED BLOCK';
  const begin = marker.replace('{mark}', 'BEGIN');
  const end = marker.replace('{mark}', 'END');
  const lines = splitLines(text);
  const b = lines.indexOf(begin);
  const e = b >= 0 ? lines.indexOf(end, b) : -1;
  const block = (p.state ?? 'present') === 'absent' || !p.block ? [] : [begin, ...splitLines(p.block), end];
  if (b >= 0 && e >= 0) {
    lines.splice(b, e - b + 1, ...block);
    return joinLines(lines);
  }
  if (block.length === 0) return joinLines(lines);
  lines.splice(insertionIndex(lines, p), 0, ...block);
  return joinLines(lines);
}

export const blockinfileModule = defineModule<BlockParams>({
  name: 'blockinfile',
  paramAliases: { dest: 'path', destfile: 'path', name: 'path' },
  schema: {
    type: 'object',
    properties: { ...editSchema, block: { type: 'string' }, marker: { type: 'string' } },
    required: ['path'],
    additionalProperties: false,
  },
  plan(ctx, p) {
    return planEdit(ctx, p, (text) => editBlock(text, p));
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
