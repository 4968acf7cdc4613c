/**
 * `community.general.cronvar`: a variable (NAME=value) in a user's crontab or in a file of
 * /etc/cron.d, as the collection's module sets it (plugins/modules/cronvar.py): the table read
 * with `crontab -l` (or the file), the variable found as the module's shlex reading finds it
 * (cronvar-lines.ts), a new one first in the table or before/after another variable, a changed one
 * replaced where it is, an empty value written `""`; the table written back with `crontab -` (the
 * file: its mode kept, 0644 when new). Registers `vars` (the table's variable names), as the module.
 */
import { posix } from 'node:path';
import { sh } from '../transport/shell.ts';
import { pyText } from './args.ts';
import { findBin, missingBin, SEARCHED_INTO_P } from './bin-path.ts';
import { contentChanges } from './content.ts';
import { cronLines, cronVar, renderCron, withVariable } from './cronvar-lines.ts';
import { type Change, defineModule } from './types.ts';

interface CronvarParams {
  name: string;
  value?: string | number | boolean;
  user?: string;
  cron_file?: string;
  insertafter?: string;
  insertbefore?: string;
  state?: 'present' | 'absent';
  backup?: boolean;
}

export const cronvarModule = defineModule<CronvarParams>({
  name: 'cronvar',
  aliases: ['community.general.cronvar'],
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      value: { type: ['string', 'number', 'boolean'] },
      user: { type: 'string' },
      cron_file: { type: 'string', minLength: 1 },
      insertafter: { type: 'string' },
      insertbefore: { type: 'string' },
      state: { enum: ['present', 'absent'] },
      backup: { type: 'boolean', const: false },
    },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    if (p.insertafter !== undefined && p.insertbefore !== undefined)
      return {
        changes: [],
        failed: 'parameters are mutually exclusive: insertbefore|insertafter',
        failedOnInput: true,
      };
    const present = (p.state ?? 'present') === 'present';
    const file =
      p.cron_file && (posix.isAbsolute(p.cron_file) ? p.cron_file : posix.join('/etc/cron.d', p.cron_file));
    const parent = file ? posix.dirname(file) : '';
    const user = p.user;
    // the module finds crontab first, whatever it then reads (get_bin_path, required)
    const read = await ctx.probe(
      `c=$(${findBin('crontab')}) || { ${SEARCHED_INTO_P}; echo "nobin $p"; exit 0; }; ` +
        (file
          ? sh`[ -d ${parent} ] || { echo noparent; exit 0; }; echo file; cat ${file} 2>/dev/null || true`
          : `echo table; r=0; "$c" ${user ? sh`-u ${user} ` : ''}-l 2>/dev/null || r=$?; echo; echo "rc $r"`),
    );
    const [head, ...rest] = read.stdout.split('\n');
    if (head.startsWith('nobin ')) return { changes: [], failed: missingBin('crontab', head.slice(6)) };
    if (head === 'noparent')
      return {
        changes: [],
        failed: `Parent directory '${parent}' does not exist for cron_file: '${p.cron_file}'`,
      };
    let text = rest.join('\n');
    if (head === 'table') {
      const m = /\n?rc (\d+)\n?$/.exec(text);
      const rc = Number(m?.[1] ?? 2);
      if (rc !== 0 && rc !== 1) return { changes: [], failed: 'Unable to read crontab' };
      text = rc === 0 ? text.slice(0, m!.index).replace(/\n$/, '') : '';
    }
    if (present && p.value === undefined)
      return { changes: [], failed: "You must specify 'value' to insert a new cron variable" };
    const lines = cronLines(text, head === 'table');
    const old = lines.map(cronVar).find((v) => v?.name === p.name)?.value;
    // the module's str parameter: Python's text of a YAML boolean
    let value = p.value === undefined ? undefined : pyText(p.value);
    if (present && value === '' && old !== '') value = '""';
    const next = present
      ? old === undefined || old !== value
        ? withVariable(lines, p.name, value, p)
        : lines
      : old !== undefined
        ? withVariable(lines, p.name, undefined, p)
        : lines;
    const changed = next !== lines;
    const result = {
      vars: next.map(cronVar).flatMap((v) => (v ? [v.name] : [])),
      ...(p.cron_file ? { cron_file: p.cron_file } : {}),
    };
    if (!changed) return { changes: [], result };
    const after = renderCron(next);
    const changes: Change[] = file
      ? contentChanges(file, await ctx.probePath(file, { content: true }), after, {})
      : [
          {
            summary: `${present ? 'set' : 'remove'} ${p.name} in the crontab of ${user ?? 'the connection user'}`,
            diff: { path: `crontab of ${user ?? 'the connection user'}`, before: renderCron(lines), after },
            action: { kind: 'exec', command: `crontab ${user ? sh`-u ${user} ` : ''}-`, stdin: after },
          },
        ];
    return { changes, result };
  },
});
