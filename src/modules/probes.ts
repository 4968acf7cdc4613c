/** Shared read-only probes: one round trip to learn what a path is and what it holds. */
import { sh } from '../transport/shell.ts';
import type { ProbeContext } from './types.ts';

export type PathState =
  | { kind: 'absent' }
  | { kind: 'file'; mode: string; owner: string; group: string; content?: string }
  | { kind: 'directory'; mode: string; owner: string; group: string }
  | { kind: 'link'; target: string; mode: string; owner: string; group: string }
  | { kind: 'other'; mode: string; owner: string; group: string };

/** stat (without following links) and, for regular files when asked, the content (base64). */
export async function statPath(ctx: ProbeContext, path: string, withContent = false): Promise<PathState> {
  const cmd = withContent
    ? sh`if [ -e ${path} ] || [ -L ${path} ]; then stat -c '%F|%a|%U|%G' ${path}; if [ -f ${path} ] && [ ! -L ${path} ]; then base64 -w0 ${path}; fi; if [ -L ${path} ]; then readlink ${path}; fi; else echo absent; fi`
    : sh`if [ -e ${path} ] || [ -L ${path} ]; then stat -c '%F|%a|%U|%G' ${path}; if [ -L ${path} ]; then readlink ${path}; fi; else echo absent; fi`;
  const r = await ctx.probe(cmd);
  if (r.code !== 0) throw new Error(`cannot stat ${path}: ${r.stderr.trim()}`);
  const [head, rest = ''] = splitFirstLine(r.stdout);
  if (head === 'absent') return { kind: 'absent' };
  const [type, modeRaw, owner, group] = head.split('|');
  const mode = modeRaw.padStart(4, '0');
  if (type === 'directory') return { kind: 'directory', mode, owner, group };
  if (type === 'symbolic link') return { kind: 'link', target: rest.trim(), mode, owner, group };
  if (type.startsWith('regular')) {
    return {
      kind: 'file',
      mode,
      owner,
      group,
      content: withContent ? Buffer.from(rest.trim(), 'base64').toString('utf8') : undefined,
    };
  }
  return { kind: 'other', mode, owner, group };
}

function splitFirstLine(s: string): [string, string] {
  const at = s.indexOf('\n');
  return at < 0 ? [s.trim(), ''] : [s.slice(0, at).trim(), s.slice(at + 1)];
}

/** `0644`, `644`, `'0644'` and 420 (YAML octal) all mean the same mode. */
export function normalizeMode(mode: string | number | undefined): string | undefined {
  if (mode === undefined || mode === null || mode === '') return undefined;
  if (typeof mode === 'number') return mode.toString(8).padStart(4, '0');
  const s = String(mode).trim();
  if (/^0?[0-7]{3,4}$/.test(s)) return s.replace(/^0(?=[0-7]{4}$)/, '').padStart(4, '0');
  return s; // symbolic modes (u+x) are passed to chmod as they are
}
