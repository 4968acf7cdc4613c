/**
 * `community.general.sudoers`: one rule in a file of sudoers.d, as the collection's module writes
 * it (plugins/modules/sudoers.py, community.general 11): the line built from the parameters, the
 * file mode 0440, and `visudo -c -f -` on the line first when visudo is there (`validation:
 * detect`) or must be (`required`). The probe reads the file, its mode and visudo's answer in one
 * command; the module registers only `changed`.
 */
import { posix } from 'node:path';
import { pySplitLines } from '../py-splitlines.ts';
import { sh } from '../transport/shell.ts';
import { findBin, missingBin, SEARCHED_INTO_P } from './bin-path.ts';
import { contentChanges } from './content.ts';
import type { Change } from './types.ts';
import { defineModule } from './types.ts';

interface SudoersParams {
  name: string;
  commands?: string | string[];
  user?: string;
  group?: string;
  state?: 'present' | 'absent';
  noexec?: boolean;
  nopassword?: boolean;
  setenv?: boolean;
  host?: string;
  runas?: string;
  sudoers_path?: string;
  validation?: 'absent' | 'detect' | 'required';
}

/** The module's rule line (Sudoers.content). */
export function sudoersLine(p: SudoersParams, commands: string[]): string {
  const owner = p.user ?? `%${p.group}`;
  const runas = p.runas !== undefined ? `(${p.runas})` : '';
  const tags = `${p.noexec ? 'NOEXEC:' : ''}${p.nopassword !== false ? 'NOPASSWD:' : ''}${p.setenv ? 'SETENV:' : ''}`;
  return `${owner} ${p.host ?? 'ALL'}=${runas}${tags} ${commands.join(', ')}\n`;
}

export const sudoersModule = defineModule<SudoersParams>({
  name: 'sudoers',
  aliases: ['community.general.sudoers'],
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      commands: { type: ['string', 'array'], items: { type: 'string' } },
      user: { type: 'string' },
      group: { type: 'string' },
      state: { enum: ['present', 'absent'] },
      noexec: { type: 'boolean' },
      nopassword: { type: 'boolean' },
      setenv: { type: 'boolean' },
      host: { type: 'string' },
      runas: { type: 'string' },
      sudoers_path: { type: 'string' },
      validation: { enum: ['absent', 'detect', 'required'] },
    },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const state = p.state ?? 'present';
    if (p.user !== undefined && p.group !== undefined)
      return { changes: [], failed: 'parameters are mutually exclusive: user|group', failedOnInput: true };
    if (state === 'present' && p.commands === undefined)
      return {
        changes: [],
        failed: 'state is present but all of the following are missing: commands',
        failedOnInput: true,
      };
    const file = posix.join(p.sudoers_path ?? '/etc/sudoers.d', p.name);
    if (state === 'absent') {
      const there = await ctx.probe(sh`test -e ${file}`);
      const changes: Change[] =
        there.code === 0
          ? [{ summary: `remove ${file}`, action: { kind: 'exec', command: sh`rm ${file}` } }]
          : [];
      return { changes, result: {} };
    }
    if (p.user === undefined && p.group === undefined)
      // the module's line names an owner it never set: Python's words for that
      return {
        changes: [],
        failed: "cannot access local variable 'owner' where it is not associated with a value",
      };
    // the list type splits a text at its commas, spaces kept, as AnsibleModule's list does
    const commands = Array.isArray(p.commands) ? p.commands : String(p.commands).split(',');
    const line = sudoersLine(p, commands);
    const validation = p.validation ?? 'detect';
    if (validation !== 'absent') {
      const encoded = Buffer.from(line).toString('base64');
      // visudo's answer; its output read again only when it refuses (probes write no file)
      const check = `printf %s ${encoded} | base64 -d | "$v" -c -f -`;
      const r = await ctx.probe(
        `v=$(${findBin('visudo')}) || { ${SEARCHED_INTO_P}; echo "nobin $p"; exit 0; }; ` +
          `c=0; ${check} >/dev/null 2>&1 || c=$?; echo "rc $c"; [ $c -eq 0 ] && exit 0; ` +
          `${check} 2>/dev/null | base64 -w0; echo; ${check} 2>&1 >/dev/null | base64 -w0`,
      );
      const [head, out = '', err = ''] = r.stdout.split('\n');
      if (head.startsWith('nobin ')) {
        if (validation === 'required') return { changes: [], failed: missingBin('visudo', head.slice(6)) };
      } else if (head !== 'rc 0') {
        const [stdout, stderr] = [out, err].map((b) => Buffer.from(b, 'base64').toString('utf8'));
        return {
          changes: [],
          failed: `Failed to validate sudoers rule:\n${stdout || stderr}`,
          result: { stdout, stderr, stdout_lines: pySplitLines(stdout), stderr_lines: pySplitLines(stderr) },
        };
      }
    }
    const current = await ctx.probePath(file, { content: true });
    return { changes: contentChanges(file, current, line, { mode: '0440', parents: false }), result: {} };
  },
});
