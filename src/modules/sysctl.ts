/**
 * `sysctl` as ansible.posix.sysctl does it (plugins/modules/sysctl.py, ansible 12.0.0's
 * collection): the setting kept in sysctl_file (/etc/sysctl.conf unless said), the whole file
 * written back as that module writes it (each line stripped, `key=value` with no spaces, a
 * key's later repeats dropped), the kernel's value read with `sysctl -e -n`, and a reload
 * (`sysctl -p FILE`) when anything changed. quorum wrote `key = value` to its own
 * /etc/sysctl.d/99-quorum.conf, a file Ansible's module never writes.
 */
import { sh } from '../transport/shell.ts';
import { contentChanges } from './content.ts';
import { type Change, defineModule } from './types.ts';

export interface SysctlParams {
  name: string;
  value?: string | number | boolean;
  state?: 'present' | 'absent';
  sysctl_file?: string;
  reload?: boolean;
  /** Set the kernel's value with `sysctl -w` too, as the module's sysctl_set. */
  sysctl_set?: boolean;
  /** sysctl -e: a key this kernel does not have is no error. */
  ignoreerrors?: boolean;
}

const BOOLEANS_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const BOOLEANS_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** The module's _parse_value: booleans as 1/0, text stripped. */
function parsedValue(value: SysctlParams['value']): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  if (BOOLEANS_TRUE.has(value.toLowerCase())) return '1';
  if (BOOLEANS_FALSE.has(value.toLowerCase())) return '0';
  return value.trim();
}

/** Its _values_is_equal: the same words in the same order. */
const sameWords = (a: string, b: string) =>
  a.split(/\s+/).filter(Boolean).join(' ') === b.split(/\s+/).filter(Boolean).join(' ');

const isSetting = (line: string) =>
  line !== '' && !line.startsWith('#') && !line.startsWith(';') && line.includes('=');

/** The file's text as the module reads it (readlines, stripped) and writes it back (fix_lines). */
function rewritten(text: string, name: string, value: string, present: boolean) {
  const lines =
    text === ''
      ? []
      : text
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => l.trim());
  // the file's value is the key's last line's (read_sysctl_file); the first line is the one kept
  let current: string | undefined;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of lines) {
    if (!isSetting(line)) {
      out.push(line);
      continue;
    }
    const at = line.indexOf('=');
    const [k, v] = [line.slice(0, at).trim(), line.slice(at + 1).trim()];
    if (k === name) current = v;
    if (seen.has(k)) continue;
    seen.add(k);
    if (k !== name) out.push(`${k}=${v}`);
    else if (present) out.push(`${k}=${value}`);
  }
  if (!seen.has(name) && present) out.push(`${name}=${value}`);
  return { current, text: out.map((l) => `${l}\n`).join('') };
}

export const sysctlModule = defineModule<SysctlParams>({
  name: 'sysctl',
  aliases: ['ansible.posix.sysctl'],
  paramAliases: { key: 'name', val: 'value' },
  schema: {
    type: 'object',
    properties: {
      // the module strips it ("Whitespace is bad"): community.mongodb writes 'net.core.somaxconn '
      name: { type: 'string', pattern: '^\\s*[A-Za-z0-9_.\\-/]+\\s*$' },
      value: { type: ['string', 'number', 'boolean'] },
      state: { enum: ['present', 'absent'] },
      sysctl_file: { type: 'string' },
      reload: { type: 'boolean' },
      sysctl_set: { type: 'boolean' },
      ignoreerrors: { type: 'boolean' },
    },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const file = p.sysctl_file ?? '/etc/sysctl.conf';
    const name = p.name.trim();
    const present = (p.state ?? 'present') === 'present';
    if (present && p.value === undefined)
      return { changes: [], failed: 'state is present but all of the following are missing: value' };
    const value = parsedValue(p.value);
    const fileState = await ctx.probePath(file, { content: true });
    const before = fileState.kind === 'file' ? (fileState.content ?? '') : '';
    const { current, text } = rewritten(before, name, value, present);
    const writeFile = present ? current !== value : current !== undefined && current !== '';
    const reload = p.reload !== false;
    const live = reload || (p.sysctl_set && present) ? await ctx.probe(sh`sysctl -e -n ${name}`) : undefined;
    const proc = live && live.code === 0 ? live.stdout : undefined;
    const procDiffers = proc === undefined || !sameWords(proc, value);
    const changes: Change[] = [];
    const setProc = p.sysctl_set === true && present && proc !== undefined && procDiffers;
    if (setProc) {
      changes.push({
        summary: `set ${name} = ${value} (now ${proc.trim()})`,
        action: {
          kind: 'exec',
          command: p.ignoreerrors
            ? sh`sysctl -e -w ${`${name}=${value}`}`
            : sh`sysctl -w ${`${name}=${value}`}`,
        },
      });
    }
    if (writeFile) changes.push(...contentChanges(file, fileState, text, {}));
    // a change (the file, or a kernel value that differs) is loaded: reload_sysctl
    if (reload && (writeFile || procDiffers))
      changes.push({
        summary: writeFile
          ? `load ${file}`
          : `load ${file} (${name} is ${proc === undefined ? 'unavailable' : proc.trim()} now)`,
        action: { kind: 'exec', command: p.ignoreerrors ? sh`sysctl -e -p ${file}` : sh`sysctl -p ${file}` },
      });
    return { changes };
  },
});
