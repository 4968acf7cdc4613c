/**
 * `file: state=directory recurse=true`: mode, owner and group of everything under the folder, as
 * Ansible's file module sets them (the mode on files too; a symbolic mode per entry, `X` for
 * folders and files someone may execute). One probe lists the entries; one command per attribute
 * fixes those that differ. Links under the folder are left alone.
 */
import { sh } from '../transport/shell.ts';
import { chmodArg, modeAfter, normalizeMode } from './content.ts';
import type { Change, ProbeContext } from './types.ts';

interface Attributes {
  mode?: string | number;
  owner?: string;
  group?: string;
  umask?: number;
}

interface Entry {
  kind: string;
  mode: string;
  owner: string;
  group: string;
  path: string;
}

export async function recursiveChanges(ctx: ProbeContext, dir: string, attrs: Attributes): Promise<Change[]> {
  const mode = normalizeMode(attrs.mode);
  if (!mode && attrs.owner === undefined && attrs.group === undefined) return [];
  const r = await ctx.probe(sh`find ${dir} -mindepth 1 ! -type l -printf ${'%y %m %u %g %p\\0'}`);
  if (r.code !== 0) throw new Error(`cannot list ${dir}: ${r.stderr.trim()}`);
  const entries: Entry[] = r.stdout
    .split('\0')
    .filter(Boolean)
    .map((rec) => {
      const [kind, m, owner, group, ...path] = rec.split(' ');
      return { kind, mode: m.padStart(4, '0'), owner, group, path: path.join(' ') };
    });
  const each = (what: string, wrong: Entry[], command: string): Change[] =>
    wrong.length === 0
      ? []
      : [
          {
            summary: `${what} under ${dir}: ${wrong.length} of ${entries.length} entries (${wrong
              .slice(0, 3)
              .map((e) => e.path.slice(dir.length + 1))
              .join(', ')}${wrong.length > 3 ? ', ...' : ''})`,
            action: { kind: 'exec', command },
          },
        ];
  const under = sh`find ${dir} -mindepth 1 ! -type l -exec`;
  return [
    ...(mode
      ? each(
          `mode ${mode}`,
          entries.filter((e) => modeAfter(e.mode, mode, e.kind === 'd', attrs.umask) !== e.mode),
          `${under} ${sh`chmod ${chmodArg(mode)}`} {} +`,
        )
      : []),
    ...(attrs.owner !== undefined
      ? each(
          `owner ${attrs.owner}`,
          entries.filter((e) => e.owner !== String(attrs.owner)),
          `${under} ${sh`chown ${String(attrs.owner)}`} {} +`,
        )
      : []),
    ...(attrs.group !== undefined
      ? each(
          `group ${attrs.group}`,
          entries.filter((e) => e.group !== String(attrs.group)),
          `${under} ${sh`chgrp ${String(attrs.group)}`} {} +`,
        )
      : []),
  ];
}
