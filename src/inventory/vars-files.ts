/**
 * `group_vars/` and `host_vars/` beside an inventory source, found and read the way Ansible's
 * host_group_vars plugin does: `NAME` (file or folder), else NAME.yml / .yaml / .json; a
 * folder is read recursively in sorted order.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { InputError } from '../errors.ts';
import { readBoundedText } from '../input-file.ts';
import { loadYaml } from '../yaml/load.ts';
import type { Vars } from './model.ts';
import type { Warn } from './yaml-inventory.ts';

const EXTENSIONS = ['.yml', '.yaml', '.json'];

/** Asked for four names per host and group, most of them missing: no exception for those. */
function kind(path: string): 'file' | 'dir' | undefined {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st?.isDirectory() ? 'dir' : st?.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

function filesInDir(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const full = join(dir, entry);
    const ext = extname(entry);
    const k = kind(full);
    if (k === 'dir' && !ext) out.push(...filesInDir(full));
    else if (k === 'file' && (!ext || EXTENSIONS.includes(ext))) out.push(full);
  }
  return out;
}

export function findVarsFiles(dir: string, name: string): string[] {
  for (const ext of ['', ...EXTENSIONS]) {
    const path = join(dir, name + ext);
    const k = kind(path);
    if (k === 'dir') return filesInDir(path);
    if (k === 'file') return [path];
  }
  return [];
}

const cache = new Map<string, Vars>();

/** The merged variables of every vars file for one entity; later files win, dicts replace. */
export function readVarsFiles(dir: string, name: string, warn: Warn): Vars {
  const key = `${dir}\0${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let merged: Vars = {};
  for (const file of findVarsFiles(dir, name)) {
    const data = loadYaml(readBoundedText(file, 'the vars file'), file, { onWarning: (m, w) => warn(m, w) });
    if (data === null || data === undefined || data === '') continue;
    if (typeof data !== 'object' || Array.isArray(data)) {
      throw new InputError('VARS_FILE', 'a vars file must hold a mapping of variable names to values', {
        file,
      });
    }
    merged = { ...merged, ...(data as Vars) };
  }
  cache.set(key, merged);
  return merged;
}
