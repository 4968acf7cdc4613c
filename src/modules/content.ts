/** The changes that make a path hold some content with some attributes (copy, template, lineinfile...). */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { sh } from '../transport/shell.ts';
import type { PathState } from './path-batch.ts';
import type { Change } from './types.ts';

export interface Attributes {
  /** Ansible's backup: the file as it was is kept beside it (PATH.<epoch>~) before it is replaced. */
  backup?: boolean;
  /** false: a file that exists is left as it is (Ansible's force: no). */
  force?: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
  /** Command that must accept the new content before it replaces the file (`%s` = temp path). */
  validate?: string;
  /** copy and template: a refusal by validate says only "failed to validate", as theirs do. */
  validateFailure?: 'bare';
  /** false: a missing folder fails the write, as in Ansible (copy and template from YAML tasks). */
  parents?: boolean;
}

/** One change per attribute that differs, for an existing path. */
export function attributeChanges(path: string, state: PathState, attrs: Attributes): Change[] {
  if (state.kind === 'absent') return [];
  const changes: Change[] = [];
  const mode = normalizeMode(attrs.mode);
  if (mode && /^[0-7]{4}$/.test(mode) && mode !== state.mode) {
    changes.push({
      summary: `mode ${state.mode} -> ${mode}`,
      action: { kind: 'exec', command: sh`chmod ${mode} ${path}` },
    });
  } else if (mode && !/^[0-7]{4}$/.test(mode)) {
    // symbolic modes: ask chmod what it would do is not possible read-only, so compare after applying
    changes.push(...symbolicModeChange(path, state.mode, mode, state.kind === 'directory'));
  }
  if (attrs.owner !== undefined && String(attrs.owner) !== state.owner) {
    changes.push({
      summary: `owner ${state.owner} -> ${attrs.owner}`,
      action: { kind: 'exec', command: sh`chown ${String(attrs.owner)} ${path}` },
    });
  }
  if (attrs.group !== undefined && String(attrs.group) !== state.group) {
    changes.push({
      summary: `group ${state.group} -> ${attrs.group}`,
      action: { kind: 'exec', command: sh`chgrp ${String(attrs.group)} ${path}` },
    });
  }
  return changes;
}

/**
 * The mode chmod gives a path (octal, 4 digits) whose mode is `current`: an octal mode as it is,
 * a symbolic one (u+x,go-w,a=rX) evaluated as chmod does, `X` only for a folder or a file that
 * someone may already execute. So symbolic modes are planned exactly too.
 */
export function modeAfter(current: string, mode: string, isDir: boolean): string {
  if (/^[0-7]{4}$/.test(mode)) return mode;
  let bits = Number.parseInt(current, 8);
  const executable = isDir || (bits & 0o111) !== 0;
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) throw new Error(`unsupported mode "${mode}"`);
    const who = m[1] || 'a';
    let perm = 0;
    for (const p of m[3])
      perm |= p === 'r' ? 4 : p === 'w' ? 2 : p === 'x' || (p === 'X' && executable) ? 1 : 0;
    let mask = 0;
    if (who.includes('u') || who.includes('a')) mask |= perm << 6;
    if (who.includes('g') || who.includes('a')) mask |= perm << 3;
    if (who.includes('o') || who.includes('a')) mask |= perm;
    if (m[2] === '+') bits |= mask;
    else if (m[2] === '-') bits &= ~mask;
    else {
      let clear = 0;
      if (who.includes('u') || who.includes('a')) clear |= 7 << 6;
      if (who.includes('g') || who.includes('a')) clear |= 7 << 3;
      if (who.includes('o') || who.includes('a')) clear |= 7;
      bits = (bits & ~clear) | mask;
    }
  }
  return bits.toString(8).padStart(4, '0');
}

function symbolicModeChange(path: string, current: string, symbolic: string, isDir: boolean): Change[] {
  const target = modeAfter(current, symbolic, isDir);
  if (target === current) return [];
  return [
    {
      summary: `mode ${current} -> ${target}`,
      action: { kind: 'exec', command: sh`chmod ${target} ${path}` },
    },
  ];
}

/** On a path about to be created every requested attribute is set: umask decides nothing. */
export function setAll(path: string, attrs: Attributes): Change[] {
  const mode = normalizeMode(attrs.mode);
  const changes: Change[] = [];
  if (mode)
    changes.push({ summary: `mode ${mode}`, action: { kind: 'exec', command: sh`chmod ${mode} ${path}` } });
  if (attrs.owner !== undefined) {
    changes.push({
      summary: `owner ${attrs.owner}`,
      action: { kind: 'exec', command: sh`chown ${String(attrs.owner)} ${path}` },
    });
  }
  if (attrs.group !== undefined) {
    changes.push({
      summary: `group ${attrs.group}`,
      action: { kind: 'exec', command: sh`chgrp ${String(attrs.group)} ${path}` },
    });
  }
  return changes;
}

/** Make `path` a regular file holding `content` (and the given attributes). */
export function contentChanges(path: string, state: PathState, content: string, attrs: Attributes): Change[] {
  if (state.kind !== 'absent' && state.kind !== 'file') {
    throw new Error(`${path} exists and is a ${state.kind}, not a regular file`);
  }
  const mode = normalizeMode(attrs.mode);
  if (state.kind === 'absent') {
    return [
      {
        summary: `create ${path}`,
        diff: { path, before: '', after: content },
        action: {
          kind: 'write',
          path,
          content,
          mode: mode && /^[0-7]{4}$/.test(mode) ? mode : undefined,
          owner: attrs.owner,
          group: attrs.group,
          validate: attrs.validate,
          validateFailure: attrs.validateFailure,
          parents: attrs.parents === false ? false : undefined,
        },
      },
    ];
  }
  const changes: Change[] = [];
  if (attrs.force === false) return attributeChanges(path, state, attrs);
  if (state.content !== content) {
    if (attrs.backup)
      changes.push({
        summary: `keep the old ${path} beside it`,
        // the quoted path, then the shell's $(date) outside the quotes
        action: { kind: 'exec', command: sh`cp -p ${path} ${path}.$(date +%s)~` },
      });
    changes.push({
      summary: `update ${path}`,
      diff: { path, before: state.content ?? '', after: content },
      action: {
        kind: 'write',
        path,
        content,
        validate: attrs.validate,
        validateFailure: attrs.validateFailure,
      },
    });
  }
  return [...changes, ...attributeChanges(path, state, attrs)];
}

/**
 * Bytes compared as text (read back, diffed) up to this size; above it, or when they are not
 * UTF-8, by sha256 only: a converged run then reads a checksum, never the file.
 */
export const TEXT_COMPARE_LIMIT = 1024 * 1024;

/** Whether bytes are handled as text (diffable) rather than by checksum. */
export function comparedAsText(bytes: Buffer): boolean {
  return bytes.length <= TEXT_COMPARE_LIMIT && isUtf8(bytes);
}

/**
 * Make `path` a regular file holding `bytes`, compared by sha256 (`state` probed with checksum):
 * binary or large files. No diff: a binary file is never shown as text.
 */
export function bytesChanges(path: string, state: PathState, bytes: Buffer, attrs: Attributes): Change[] {
  if (state.kind !== 'absent' && state.kind !== 'file') {
    throw new Error(`${path} exists and is a ${state.kind}, not a regular file`);
  }
  const mode = normalizeMode(attrs.mode);
  const size = `${bytes.length} bytes${isUtf8(bytes) ? '' : ', binary'}`;
  if (state.kind === 'absent')
    return [
      {
        summary: `create ${path} (${size})`,
        action: {
          kind: 'write',
          path,
          content: bytes,
          mode: mode && /^[0-7]{4}$/.test(mode) ? mode : undefined,
          owner: attrs.owner,
          group: attrs.group,
          validate: attrs.validate,
          validateFailure: attrs.validateFailure,
          parents: attrs.parents === false ? false : undefined,
        },
      },
    ];
  if (attrs.force === false) return attributeChanges(path, state, attrs);
  const changes: Change[] = [];
  if (state.checksum !== sha256Of(bytes)) {
    if (attrs.backup)
      changes.push({
        summary: `keep the old ${path} beside it`,
        action: { kind: 'exec', command: sh`cp -p ${path} ${path}.$(date +%s)~` },
      });
    changes.push({
      summary: `update ${path} (${size}, sha256 differs)`,
      action: {
        kind: 'write',
        path,
        content: bytes,
        validate: attrs.validate,
        validateFailure: attrs.validateFailure,
      },
    });
  }
  return [...changes, ...attributeChanges(path, state, attrs)];
}

const digests = new WeakMap<Buffer, string>();

/** The bytes' sha256, computed once per Buffer (a file copied to 30 hosts is hashed once). */
export function sha256Of(bytes: Buffer): string {
  let digest = digests.get(bytes);
  if (digest === undefined) {
    digest = createHash('sha256').update(bytes).digest('hex');
    digests.set(bytes, digest);
  }
  return digest;
}

/** `0644`, `644`, `'0644'` and 420 (YAML octal) all mean the same mode. */
export function normalizeMode(mode: string | number | undefined): string | undefined {
  if (mode === undefined || mode === null || mode === '') return undefined;
  if (typeof mode === 'number') return mode.toString(8).padStart(4, '0');
  const s = String(mode).trim();
  if (/^0?[0-7]{3,4}$/.test(s)) return s.replace(/^0(?=[0-7]{4}$)/, '').padStart(4, '0');
  return s; // symbolic modes (u+x) are passed to chmod as they are
}
