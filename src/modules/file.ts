/** `file`: a path is a file, a directory, a link, absent, or touched; with mode, owner, group. */
import { posix } from 'node:path';
import { sh } from '../transport/shell.ts';
import { attributeChanges, needsUmask, setAll } from './content.ts';
import { recursiveChanges } from './file-recurse.ts';
import type { PathState } from './path-batch.ts';
import { pathInfo, pathInfoCommand } from './path-info.ts';
import { type Change, defineModule, type ModuleOutcome, type ProbeContext } from './types.ts';

export interface FileParams {
  path: string;
  state?: 'file' | 'directory' | 'absent' | 'touch' | 'link' | 'hard';
  src?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  /** state=link: replace a file at path, and link to a src that does not exist (yet). */
  force?: boolean;
  /** A link at path stands for what it leads to (Ansible's default, true). */
  follow?: boolean;
  /** state=directory: mode, owner and group of everything under it too. */
  recurse?: boolean;
  /** `preserve` or `now` (Ansible's default: now for state=touch, preserve otherwise). */
  access_time?: string;
  modification_time?: string;
  access_time_format?: string;
  modification_time_format?: string;
}

/**
 * access_time / modification_time as Ansible's file module sets them on a path that exists: `now`
 * touches it, a change every run (as in Ansible: the touch idiom that changes nothing is
 * `state: touch` with both `preserve`); `preserve` leaves it. An explicit time is refused (see check).
 */
function timeChanges(path: string, p: FileParams, state: string): Change[] {
  const fallback = state === 'touch' ? 'now' : 'preserve';
  const flags = [
    (p.access_time ?? fallback) === 'now' ? 'a' : '',
    (p.modification_time ?? fallback) === 'now' ? 'm' : '',
  ].join('');
  if (!flags) return [];
  const what = flags === 'am' ? 'times' : flags === 'a' ? 'access time' : 'modification time';
  return [
    {
      summary: `set the ${what} of ${path} to now`,
      action: { kind: 'exec', command: sh`touch -c -${flags} -- ${path}` },
    },
  ];
}

function givenTimes(p: FileParams): string[] {
  return (['access_time', 'modification_time'] as const)
    .filter((k) => p[k] !== undefined && !['preserve', 'now'].includes(String(p[k])))
    .map((k) => `${k}: "${String(p[k])}": quorum sets preserve or now, not a given time`);
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
      state: { enum: ['file', 'directory', 'absent', 'touch', 'link', 'hard'] },
      src: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      force: { type: 'boolean' },
      follow: { type: 'boolean' },
      recurse: { type: 'boolean' },
      access_time: { type: 'string' },
      modification_time: { type: 'string' },
      access_time_format: { type: 'string' },
      modification_time_format: { type: 'string' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  check: (p) => givenTimes(p),
  async plan(ctx, p) {
    const { registered, ...out } = await planFile(ctx, p);
    // registered as Ansible's file returns it (see planFile)
    if (out.failed) return out;
    const result = { ...out.result, ...registered };
    // add_path_info: the path's ids, names, mode, state and size, read only for a task that registers
    const at = registered?.path ?? registered?.dest;
    if (!ctx.registers || typeof at !== 'string') return { ...out, result };
    const keys = ['uid', 'gid', 'owner', 'group', 'mode', 'state', 'size'];
    // without a state, a file of several names is `hard` to 2.19's file: registered as a hard
    // link's, `dest` and `src` (a key read as undefined leaves the result)
    const from = (stdout: string) => {
      const info = pathInfo(stdout);
      if (p.state !== undefined || info.state !== 'hard' || !('path' in result)) return info;
      return { path: undefined, dest: at, src: null, ...info };
    };
    // after the actions where they run; a check run reads the path as it is, as 2.19's check does
    if (out.changes.length && !ctx.checkMode)
      return { ...out, result, readAfter: { command: pathInfoCommand(sh`${at}`), keys, from } };
    const found = from((await ctx.probe(pathInfoCommand(sh`${at}`))).stdout);
    // 2.19's check run returns early for a missing path it would make: no state registered
    const missing = ctx.checkMode && Object.keys(found).length === 0 && p.state !== 'absent';
    const merged: Record<string, unknown> = { ...result, ...found, ...(missing ? { state: undefined } : {}) };
    for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
    return { ...out, result: merged };
  },
});

/** The host's umask, read only for a symbolic mode whose effect depends on it (`+x`). */
async function umaskFor(ctx: ProbeContext, mode: FileParams['mode']): Promise<number | undefined> {
  if (!needsUmask(mode)) return undefined;
  return Number.parseInt((await ctx.probe('umask')).stdout.trim(), 8);
}

type Kind = PathState['kind'];

/**
 * No state given: as 2.19's file takes it, what the path already is (a directory stays one, a
 * link is registered as a link and its attributes go through to its target), or a directory
 * when recurse asks for one where nothing is.
 */
function stateOf(p: FileParams, found: Kind, resolved: Kind): NonNullable<FileParams['state']> {
  if (p.state) return p.state;
  if (found === 'absent') return p.recurse ? 'directory' : 'file';
  return resolved === 'directory' ? 'directory' : 'file';
}

/**
 * What the file task changes, and what it registers: `state`, what the path is after the task,
 * with `path`; a link (named by its state, or found at the path without one) as `dest` with its `src`.
 */
async function planFile(
  ctx: ProbeContext,
  p: FileParams,
): Promise<ModuleOutcome & { registered?: Record<string, unknown> }> {
  const times = givenTimes(p);
  if (times.length) return { changes: [], failed: times.join('; ') };
  let cur = await ctx.probePath(p.path);
  const found = cur;
  let path = p.path;
  // follow (Ansible's default): a directory, file or touch through a link is about its target
  if (
    cur.kind === 'link' &&
    p.follow !== false &&
    [undefined, 'directory', 'file', 'touch'].includes(p.state)
  ) {
    const target = (await ctx.probe(sh`readlink -f -- ${p.path}`)).stdout.trim();
    if (target) {
      path = target;
      cur = await ctx.probePath(target);
    }
  }
  const state = stateOf(p, found.kind, cur.kind);
  if (p.recurse && state !== 'directory')
    return {
      changes: [],
      failed: "recurse option requires state to be 'directory'",
      result: { path: p.path, state },
    };
  const shown = p.state === undefined && found.kind === 'link' ? 'link' : state === 'touch' ? 'file' : state;
  // touch, link and hard return `dest` in 2.19's file, the other states `path`
  const registered: Record<string, unknown> =
    shown === 'link' || shown === 'hard'
      ? { dest: p.path, src: p.src ?? (found.kind === 'link' ? found.target : null), state: shown }
      : state === 'touch'
        ? { dest: p.path, state: shown }
        : { path: p.path, state: shown };
  return { ...(await planState(ctx, p, state, path, cur)), registered };
}

async function planState(
  ctx: ProbeContext,
  p: FileParams,
  state: NonNullable<FileParams['state']>,
  path: string,
  cur: PathState,
): Promise<ModuleOutcome> {
  const attrs = { mode: p.mode, owner: p.owner, group: p.group, umask: await umaskFor(ctx, p.mode) };
  const create = (summary: string, command: string): Change[] => [
    { summary, action: { kind: 'exec', command } },
  ];
  switch (state) {
    case 'absent':
      return {
        changes: cur.kind === 'absent' ? [] : create(`remove ${cur.kind} ${p.path}`, sh`rm -rf -- ${p.path}`),
      };
    case 'directory': {
      if (cur.kind === 'absent') {
        return {
          changes: [...create(`create directory ${path}`, sh`mkdir -p -- ${path}`), ...setAll(path, attrs)],
        };
      }
      if (cur.kind !== 'directory')
        return { changes: [], failed: `${path} exists and is a ${cur.kind}, not a directory` };
      const below = p.recurse ? await recursiveChanges(ctx, path, attrs) : [];
      return { changes: [...attributeChanges(path, cur, attrs), ...below, ...timeChanges(path, p, state)] };
    }
    case 'touch': {
      if (cur.kind === 'absent') {
        return {
          changes: [...create(`create file ${path}`, sh`touch -- ${path}`), ...setAll(path, attrs)],
        };
      }
      return { changes: [...attributeChanges(path, cur, attrs), ...timeChanges(path, p, state)] };
    }
    case 'link': {
      if (!p.src) return { changes: [], failed: 'state=link needs src' };
      if (cur.kind === 'link' && cur.target === p.src) return { changes: [] };
      if (cur.kind === 'directory')
        return { changes: [], failed: `${p.path} is a directory; will not replace it with a link` };
      // as Ansible's file: without force, a file is not replaced and a link's src must exist
      if (!p.force) {
        if (cur.kind === 'file')
          return {
            changes: [],
            failed: `refusing to convert from file to symlink for ${p.path} (force: true does)`,
          };
        const src = posix.resolve(posix.dirname(p.path), p.src);
        if ((await ctx.probePath(src)).kind === 'absent')
          return { changes: [], failed: `src file ${src} does not exist (force: true links to it anyway)` };
      }
      return { changes: create(`link ${p.path} -> ${p.src}`, sh`ln -sfn -- ${p.src} ${p.path}`) };
    }
    case 'hard':
      return planHardLink(ctx, p, cur, attrs);
    default: {
      if (cur.kind === 'absent')
        return {
          changes: [],
          failed: `file (${path}) is absent, cannot continue`,
          result: { path, state: 'absent' },
        };
      if (cur.kind !== 'file') return { changes: [], failed: `${path} is a ${cur.kind}, not a file` };
      return { changes: [...attributeChanges(path, cur, attrs), ...timeChanges(path, p, state)] };
    }
  }
}

/**
 * state=hard as 2.19's ensure_hardlink: src must exist; a path that is already that inode
 * changes nothing (its attributes aside); another file, or another hard link, is replaced only
 * with force; a symlink is replaced; a directory is refused.
 */
async function planHardLink(
  ctx: ProbeContext,
  p: FileParams,
  cur: PathState,
  attrs: { mode?: string | number; owner?: string; group?: string },
): Promise<ModuleOutcome> {
  if (!p.src) return { changes: [], failed: 'src is required for creating new hardlinks' };
  const r = await ctx.probe(
    sh`stat -L -c %d:%i -- ${p.src} 2>/dev/null || echo -; stat -c '%h %d:%i' -- ${p.path} 2>/dev/null || echo -`,
  );
  const [src, path] = r.stdout.trim().split('\n');
  if (!src || src === '-') return { changes: [], failed: 'src does not exist' };
  const [links, inode] = (path ?? '-').split(' ');
  const sameInode = inode === src;
  const link: Change[] = [
    {
      summary: `hard link ${p.path} -> ${p.src}`,
      action: { kind: 'exec', command: sh`ln -f -- ${p.src} ${p.path}` },
    },
  ];
  if (cur.kind === 'absent' || cur.kind === 'link') return { changes: [...link, ...setAll(p.path, attrs)] };
  if (cur.kind === 'directory')
    return {
      changes: [],
      failed: sameInode
        ? 'Cannot link: a directory is at destination'
        : 'Cannot link: different hard link exists at destination',
    };
  if (sameInode) return { changes: attributeChanges(p.path, cur, attrs) };
  if (!p.force)
    return {
      changes: [],
      failed:
        Number(links) > 1
          ? 'Cannot link, different hard link exists at destination'
          : 'Cannot link, file exists at destination',
    };
  return { changes: [...link, ...setAll(p.path, attrs)] };
}
