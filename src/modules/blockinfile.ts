/** `blockinfile`: a marked block of a file, computed on the controller, written whole. */
import { pyRegex } from '../template/jinja/regex.ts';
import { blockinfileResult } from './edit-results.ts';
import { type EditParams, editSchema, planEdit, readLines, searches } from './lines.ts';
import { defineModule } from './types.ts';

export interface BlockParams extends EditParams {
  block?: string;
  marker?: string;
  marker_begin?: string;
  marker_end?: string;
  append_newline?: boolean;
  prepend_newline?: boolean;
}

/** ansible.builtin.blockinfile's edit (ansible-core 2.19's main()), line for line. */
export function editBlock(text: string, p: BlockParams): string {
  const marker = p.marker ?? '# {mark} ANSIBLE MANAGED BLOCK';
  const present = (p.state ?? 'present') === 'present';
  const lines = readLines(text);
  let insertafter = p.insertafter;
  const insertbefore = p.insertbefore;
  if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
  const insertPattern =
    insertafter !== undefined && insertafter !== 'EOF'
      ? insertafter
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? insertbefore
        : undefined;
  const marker0 = `${marker.replaceAll('{mark}', p.marker_begin ?? 'BEGIN')}\n`;
  const marker1 = `${marker.replaceAll('{mark}', p.marker_end ?? 'END')}\n`;
  let block = p.block ?? '';
  let blockLines: string[] = [];
  if (present && block) {
    if (!block.endsWith('\n')) block += '\n';
    blockLines = [marker0, ...readLines(block), marker1];
  }
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => {
    if (l === marker0) n0 = i;
    if (l === marker1) n1 = i;
  });
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    if (insertPattern !== undefined) {
      const multiline = /^\(\?[a-z]*m[a-z]*\)/.test(insertPattern);
      if (multiline) {
        const m = pyRegex(insertPattern, {}).exec(text);
        if (m) {
          const upTo = insertafter !== undefined ? m.index + m[0].length : m.index;
          n0 = text.slice(0, upTo).split('\n').length - 1;
        }
      } else {
        const re = pyRegex(insertPattern, {});
        lines.forEach((l, i) => {
          if (searches(re, l)) n0 = i;
        });
      }
      if (n0 === undefined) n0 = lines.length;
      else if (insertafter !== undefined) n0 += 1;
    } else if (insertbefore !== undefined) n0 = 0;
    else n0 = lines.length;
  } else if (n0 < n1) lines.splice(n0, n1 - n0 + 1);
  else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  if (n0 > 0 && !lines[n0 - 1].endsWith('\n')) lines[n0 - 1] += '\n';
  if (p.prepend_newline && present && n0 !== 0 && lines[n0 - 1] !== '\n') {
    lines.splice(n0, 0, '\n');
    n0 += 1;
  }
  lines.splice(n0, 0, ...blockLines);
  if (p.append_newline && present) {
    const after = n0 + blockLines.length;
    if (after < lines.length && lines[after] !== '\n') lines.splice(after, 0, '\n');
  }
  return lines.join('');
}

export const blockinfileModule = defineModule<BlockParams>({
  name: 'blockinfile',
  paramAliases: { dest: 'path', destfile: 'path', name: 'path', content: 'block' },
  schema: {
    type: 'object',
    properties: {
      ...editSchema,
      block: { type: 'string' },
      marker: { type: 'string' },
      marker_begin: { type: 'string' },
      marker_end: { type: 'string' },
      append_newline: { type: 'boolean' },
      prepend_newline: { type: 'boolean' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    let edited: { before: string; after: string } | undefined;
    const out = await planEdit(
      ctx,
      p,
      (before) => {
        edited = { before, after: editBlock(before, p) };
        return edited.after;
      },
      // the module asks for the path before its state: absent too fails without create
      () =>
        p.create
          ? undefined
          : { changes: [], failed: `Path ${p.path} does not exist !`, result: { rc: 257 } },
    );
    if (out.failed) return out;
    return { ...out, result: blockinfileResult(p, out, edited, !!ctx.checkMode) };
  },
});
