/** `copy` (content or a controller file) and `template` (a .j2 Jinja2 or .hbs Handlebars file rendered with the host's vars). */

import { posix } from 'node:path';
import { refuseTemplateFile } from '../template/jinja-guard.ts';
import { jinjaHeader, renderFile, renderJinjaFile } from '../template/render.ts';
import { actionLoader } from '../template/template-search.ts';
import { isUnknown } from '../template/unknown.ts';
import { sh } from '../transport/shell.ts';
import {
  type Attributes,
  attributeChanges,
  bytesChanges,
  comparedAsText,
  contentChanges,
  normalizeMode,
  setAll,
} from './content.ts';
import { copyResult } from './copy-result.ts';
import { templateVars } from './template-vars.ts';
import { type Change, defineModule, type ProbeContext } from './types.ts';

const attrSchema = {
  backup: { type: 'boolean' },
  force: { type: 'boolean' },
  mode: { type: ['string', 'integer'] },
  owner: { type: 'string' },
  group: { type: 'string' },
  validate: { type: 'string', pattern: '%s' },
  parents: { type: 'boolean' },
};

export interface CopyParams {
  dest: string;
  backup?: boolean;
  force?: boolean;
  remote_src?: boolean;
  /** The mode of folders a folder copy makes. */
  directory_mode?: string | number;
  validate?: string;
  content?: string;
  src?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  /** false (every Ansible task): a missing parent folder fails the copy; a TypeScript role's may make it. */
  parents?: boolean;
}

/**
 * A controller folder copied as Ansible's copy does: `src: dir/` puts its contents in dest,
 * `src: dir` the folder itself; folders made with directory_mode, each file as a copy of one.
 */
async function copyTree(ctx: ProbeContext, p: CopyParams, tree: Map<string, Buffer>): Promise<Change[]> {
  const base = p.src!.endsWith('/') ? p.dest : posix.join(p.dest, posix.basename(p.src!));
  const changes: Change[] = [];
  const dirAttrs = { mode: p.directory_mode, owner: p.owner, group: p.group };
  for (const dir of [
    base,
    ...[...tree.keys()].filter((k) => k.endsWith('/')).map((k) => posix.join(base, k)),
  ]) {
    const state = await ctx.probePath(dir);
    if (state.kind === 'directory') changes.push(...attributeChanges(dir, state, dirAttrs));
    else if (state.kind === 'absent') {
      changes.push(
        { summary: `create directory ${dir}`, action: { kind: 'exec', command: sh`mkdir -p -- ${dir}` } },
        ...setAll(dir, dirAttrs),
      );
    } else throw new Error(`${dir} exists and is a ${state.kind}, not a directory`);
  }
  for (const [rel, content] of tree) {
    if (rel.endsWith('/')) continue;
    changes.push(...(await fileChanges(ctx, posix.join(base, rel), content, p)));
  }
  return changes;
}

/** copy's and template's refusal by validate says only "failed to validate". */
const bare = (attrs: Attributes): Attributes => ({ ...attrs, validateFailure: 'bare' });

/** A controller file's bytes to `dest`: text is compared and diffed, binary or large by sha256. */
async function fileChanges(ctx: ProbeContext, dest: string, bytes: Buffer, p: CopyParams): Promise<Change[]> {
  return (await oneFile(ctx, dest, bytes, p)).changes;
}

/** The same, with what copy registers for that file. */
async function oneFile(ctx: ProbeContext, dest: string, bytes: Buffer, p: CopyParams) {
  if (comparedAsText(bytes)) {
    const state = await ctx.probePath(dest, { content: true, ids: true });
    return copyResult(dest, bytes, state, contentChanges(dest, state, bytes.toString('utf8'), bare(p)));
  }
  const state = await ctx.probePath(dest, { checksum: true, ids: true });
  return copyResult(dest, bytes, state, bytesChanges(dest, state, bytes, bare(p)));
}

export const copyModule = defineModule<CopyParams>({
  name: 'copy',
  ansibleFixed: { parents: false },
  jsonParams: ['content'],
  schema: {
    type: 'object',
    properties: {
      dest: { type: 'string', minLength: 1 },
      content: { type: 'string' },
      src: { type: 'string' },
      remote_src: { type: 'boolean' },
      directory_mode: { type: ['string', 'integer'] },
      ...attrSchema,
    },
    required: ['dest'],
    oneOf: [{ required: ['content'] }, { required: ['src'] }],
    additionalProperties: false,
  },
  // a file that is not there is an input error before any host is touched, not a late failure
  check(p, _readLocal, listLocal, readLocalBytes) {
    if (p.src !== undefined && !p.remote_src && !p.src.includes('{{') && !listLocal?.(p.src, 'files'))
      readLocalBytes?.(p.src, 'files');
    return [];
  },
  async plan(ctx, p) {
    if (p.remote_src) {
      // a file on the host (a binary too): compared by checksum, copied there with cp
      const src = await ctx.probePath(p.src!, { checksum: true });
      if (src.kind !== 'file')
        return { changes: [], failed: `remote_src ${p.src} is not a file on ${ctx.host}` };
      const dest = await ctx.probePath(p.dest, { checksum: true });
      const same = dest.kind === 'file' && dest.checksum === src.checksum;
      const copy: Change[] = same
        ? []
        : [
            {
              summary: `copy ${p.src} to ${p.dest} on the host`,
              action: { kind: 'exec', command: sh`cp ${p.src!} ${p.dest}` },
            },
          ];
      // attributes of a file the copy creates are known only after it: the copy sets them
      const attrs = same || dest.kind === 'file' ? attributeChanges(p.dest, dest, p) : [];
      const fresh: Change[] =
        !same && dest.kind !== 'file'
          ? [
              p.mode !== undefined ? sh`chmod ${normalizeMode(p.mode) ?? ''} ${p.dest}` : '',
              p.owner ? sh`chown ${p.owner} ${p.dest}` : '',
              p.group ? sh`chgrp ${p.group} ${p.dest}` : '',
            ]
              .filter(Boolean)
              .map((command) => ({ summary: command, action: { kind: 'exec', command } }))
          : [];
      return { changes: [...copy, ...attrs, ...fresh] };
    }
    const tree = p.src === undefined ? undefined : ctx.listLocal?.(p.src, 'files');
    if (tree) return { changes: await copyTree(ctx, p, tree) };
    if (p.content !== undefined) {
      const state = await ctx.probePath(p.dest, { content: true, ids: true });
      return copyResult(p.dest, p.content, state, contentChanges(p.dest, state, p.content, bare(p)));
    }
    // dest ending in / is a folder Ansible makes, with the file named as src
    if (p.dest.endsWith('/')) {
      const dest = posix.join(p.dest, posix.basename(p.src!));
      return oneFile(ctx, dest, ctx.readLocalBytes(p.src!, 'files'), { ...p, parents: true });
    }
    return oneFile(ctx, p.dest, ctx.readLocalBytes(p.src!, 'files'), p);
  },
});

export interface TemplateParams {
  src: string;
  /** Jinja's whitespace control for this file (Ansible's defaults: trim on, lstrip off). */
  trim_blocks?: boolean;
  lstrip_blocks?: boolean;
  backup?: boolean;
  force?: boolean;
  validate?: string;
  dest: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  parents?: boolean;
}

export const templateModule = defineModule<TemplateParams>({
  name: 'template',
  ansibleFixed: { parents: false },
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string', minLength: 1 },
      dest: { type: 'string', minLength: 1 },
      trim_blocks: { type: 'boolean' },
      lstrip_blocks: { type: 'boolean' },
      ...attrSchema,
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  check(p, readLocal) {
    const text = readLocal(p.src, 'templates');
    // .hbs templates are Handlebars (TypeScript roles); any other is Jinja2, as in Ansible
    if (p.src.endsWith('.hbs')) return [];
    jinjaHeader(text, p.src);
    refuseTemplateFile(text, p.src, actionLoader(readLocal, p.src));
    return [];
  },
  async plan(ctx, p) {
    const text = ctx.readLocal(p.src, 'templates');
    const rendered = p.src.endsWith('.hbs')
      ? renderFile(text, ctx.vars)
      : renderJinjaFile(
          text,
          { ...templateVars(p.src, ctx.localPath?.(p.src, 'templates') ?? p.src, p.dest), ...ctx.vars },
          p.src,
          {
            trimBlocks: p.trim_blocks,
            lstripBlocks: p.lstrip_blocks,
            load: actionLoader(ctx.readLocal, p.src, ctx.localPath, ctx.searchDirs),
          },
        );
    const state = await ctx.probePath(p.dest, { content: true, ids: true });
    if (isUnknown(rendered)) {
      const change: Change = {
        summary: `render ${p.dest} (content known after apply)`,
        action: { kind: 'write', path: p.dest, content: '' },
      };
      return { changes: [change], unpredictable: true };
    }
    return copyResult(p.dest, rendered, state, contentChanges(p.dest, state, rendered, bare(p)));
  },
});
