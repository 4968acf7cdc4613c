/** `file`: a path is a file, a directory, a link, absent, or touched; with mode, owner, group. */
import { sh } from '../transport/shell.ts';
import { attributeChanges, setAll } from './content.ts';
import { type Change, defineModule } from './types.ts';

export interface FileParams {
  path: string;
  state?: 'file' | 'directory' | 'absent' | 'touch' | 'link';
  src?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
}

export const fileModule = defineModule<FileParams>({
  name: 'file',
  paramAliases: { dest: 'path', name: 'path' },
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1 },
      dest: { type: 'string' },
      name: { type: 'string' },
      state: { enum: ['file', 'directory', 'absent', 'touch', 'link'] },
      src: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const state = p.state ?? 'file';
    const cur = await ctx.probePath(p.path);
    const attrs = { mode: p.mode, owner: p.owner, group: p.group };
    const create = (summary: string, command: string): Change[] => [
      { summary, action: { kind: 'exec', command } },
    ];
    switch (state) {
      case 'absent':
        return {
          changes:
            cur.kind === 'absent' ? [] : create(`remove ${cur.kind} ${p.path}`, sh`rm -rf -- ${p.path}`),
        };
      case 'directory': {
        if (cur.kind === 'absent') {
          return {
            changes: [
              ...create(`create directory ${p.path}`, sh`mkdir -p -- ${p.path}`),
              ...setAll(p.path, attrs),
            ],
          };
        }
        if (cur.kind !== 'directory')
          return { changes: [], failed: `${p.path} exists and is a ${cur.kind}, not a directory` };
        return { changes: attributeChanges(p.path, cur, attrs) };
      }
      case 'touch': {
        if (cur.kind === 'absent') {
          return {
            changes: [...create(`create file ${p.path}`, sh`touch -- ${p.path}`), ...setAll(p.path, attrs)],
          };
        }
        return { changes: attributeChanges(p.path, cur, attrs) };
      }
      case 'link': {
        if (!p.src) return { changes: [], failed: 'state=link needs src' };
        if (cur.kind === 'link' && cur.target === p.src) return { changes: [] };
        if (cur.kind === 'directory')
          return { changes: [], failed: `${p.path} is a directory; will not replace it with a link` };
        return { changes: create(`link ${p.path} -> ${p.src}`, sh`ln -sfn -- ${p.src} ${p.path}`) };
      }
      default: {
        if (cur.kind === 'absent')
          return { changes: [], failed: `${p.path} does not exist (use state=touch to create it)` };
        if (cur.kind !== 'file') return { changes: [], failed: `${p.path} is a ${cur.kind}, not a file` };
        return { changes: attributeChanges(p.path, cur, attrs) };
      }
    }
  },
});
