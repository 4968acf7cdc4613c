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
  /** The host's umask, for a symbolic mode without users (`+x`); see needsUmask. */
  umask?: number;
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
  // a symbolic mode is evaluated here (chmod cannot say read-only what it would do): one octal target
  const target = mode ? modeAfter(state.mode, mode, state.kind === 'directory', attrs.umask) : state.mode;
  if (target !== state.mode)
    changes.push({
      summary: `mode ${state.mode} -> ${target}`,
      action: { kind: 'exec', command: sh`chmod ${chmodArg(target)} ${path}` },
    });
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
 * The mode a path whose mode is `current` gets (octal, 4 digits): an octal mode as it is, a
 * symbolic one (u=rw-x+X,g+s,o=u) as 2.19's `_symbolic_mode_to_octal` evaluates it, clause by
 * clause and user by user on the mode so far: `X` only for a folder or a mode with an execute
 * bit, `s`/`t` the setuid, setgid and sticky bits, `u`/`g`/`o` a copy of those permissions, and
 * no users (`+x`) standing for ugo with the host's umask's bits left alone. So symbolic modes
 * are planned exactly too.
 */
export function modeAfter(current: string, mode: string, isDir: boolean, umask?: number): string {
  if (/^[0-7]{4}$/.test(mode)) return mode;
  let bits = Number.parseInt(current, 8);
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (!m) throw new Error(`mode must be in octal or symbolic form: "${mode}"`);
    const useUmask = m[1] === '';
    if (useUmask && umask === undefined) throw new Error(`mode "${mode}" needs the host's umask`);
    if (m[1].length > 1 && m[1].includes('a')) throw new Error(`bad symbolic permission for mode: ${clause}`);
    const users = m[1] === '' || m[1] === 'a' ? 'ugo' : m[1];
    for (const [, op, perms] of m[2].matchAll(/([-+=])([rwxXstugo]*)/g)) {
      for (const user of users) {
        const apply = permBits(user as Who, perms, bits, isDir, useUmask ? umask! : 0);
        if (op === '+') bits |= apply;
        else if (op === '-') bits &= ~apply;
        // `=` clears the class's permissions and its special bit (setuid, setgid, sticky)
        else bits = (bits & ~{ u: 0o4700, g: 0o2070, o: 0o1007 }[user as Who]) | apply;
      }
    }
  }
  return bits.toString(8).padStart(4, '0');
}

type Who = 'u' | 'g' | 'o';
/** Where each class's rwx bits sit in a mode. */
const SHIFT: Record<Who, number> = { u: 6, g: 3, o: 0 };

/** What `perms` stand for for one of u, g, o, on a mode `bits` (2.19's _get_octal_mode_from_symbolic_perms). */
function permBits(user: Who, perms: string, bits: number, isDir: boolean, umask: number): number {
  const shift = SHIFT[user];
  const executable = isDir || (bits & 0o111) !== 0;
  let out = 0;
  for (const p of perms) {
    if (p === 'r' || p === 'w' || p === 'x') out |= ({ r: 4, w: 2, x: 1 }[p] << shift) & ~umask;
    else if (p === 'X') out |= executable ? 1 << shift : 0;
    else if (p === 's') out |= user === 'u' ? 0o4000 : user === 'g' ? 0o2000 : 0;
    else if (p === 't') out |= user === 'o' ? 0o1000 : 0;
    else out |= ((bits >> SHIFT[p as Who]) & 7) << shift; // u, g, o: a copy of that class's rwx
  }
  return out;
}

/**
 * chmod's argument for a mode: an octal one with a leading zero more (00755), since GNU chmod
 * keeps a directory's setuid and setgid bits under a plain 0755, where Ansible's os.chmod clears
 * them (a setgid folder given 0755 would otherwise be "changed" at every run).
 */
export const chmodArg = (mode: string): string => (/^[0-7]{4}$/.test(mode) ? `0${mode}` : mode);

/** A symbolic mode with a clause of no users (`+x`), whose effect depends on the host's umask. */
export const needsUmask = (mode: string | number | undefined): boolean =>
  typeof mode === 'string' && !/^[0-7]+$/.test(mode) && mode.split(',').some((c) => /^[-+=]/.test(c));

/** On a path about to be created every requested attribute is set: umask decides nothing. */
export function setAll(path: string, attrs: Attributes): Change[] {
  const mode = normalizeMode(attrs.mode);
  const changes: Change[] = [];
  if (mode)
    changes.push({
      summary: `mode ${mode}`,
      action: { kind: 'exec', command: sh`chmod ${chmodArg(mode)} ${path}` },
    });
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
