/**
 * `debconf`: a package's debconf answer, as ansible-core 2.19's debconf module reads and sets it:
 * `debconf-show PKG` for the answers (a password's from `debconf-get-selections`, which
 * debconf-utils provides), `debconf-set-selections` to set one. Its comparisons are Ansible's,
 * quirks included, so that a run changes what Ansible's would: a boolean compared in lower
 * case, a multiselect list sorted, and a value that is not text (`value: 5`) fails, as
 * 2.19 fails it (it never equals the stored text, and cannot be joined into the answer).
 */
import { pyTypeName } from '../template/jinja/values.ts';
import { sh } from '../transport/shell.ts';
import { defineModule } from './types.ts';

interface DebconfParams {
  name: string;
  question?: string;
  vtype?: string;
  value?: unknown;
  unseen?: boolean;
}

const VTYPES = [
  'boolean',
  'error',
  'multiselect',
  'note',
  'password',
  'seen',
  'select',
  'string',
  'text',
  'title',
];

/** debconf-show's lines: `* question: value` (the star marks a seen question). */
function selections(out: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    found[line.slice(0, colon).replace(/^[\s*]+|[\s*]+$/g, '')] = line.slice(colon + 1).trim();
  }
  return found;
}

/** get_password_value: the first tab-separated line of the package with too few fields ends the search. */
function passwordOf(out: string, pkg: string, question: string, vtype: string): string {
  for (const line of out.split('\n')) {
    if (!line.startsWith(pkg)) continue;
    const fields = line.split('\t');
    if (fields.length <= 3) return '';
    if (fields[1] === question && fields[2] === vtype) return fields[3];
  }
  return '';
}

/** Python's str() of a value given to the module, as `' '.join` would need it (text only). */
const text = (v: unknown) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

export const debconfModule = defineModule<DebconfParams>({
  name: 'debconf',
  aliases: ['ansible.builtin.debconf'],
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      question: { type: 'string' },
      vtype: { enum: VTYPES },
      value: {},
      unseen: { type: 'boolean' },
    },
    required: ['name'],
    // Ansible's required_together: a question, its type and its value come together
    dependencies: {
      question: ['vtype', 'value'],
      vtype: ['question', 'value'],
      value: ['question', 'vtype'],
    },
    additionalProperties: false,
  },
  paramAliases: { pkg: 'name', selection: 'question', setting: 'question', answer: 'value' },
  async plan(ctx, p) {
    const shown = await ctx.probe(`debconf-show ${sh`${p.name}`}`);
    if (shown.code !== 0)
      return { changes: [], failed: shown.stderr.trim() || `debconf-show ${p.name} failed` };
    const prev = selections(shown.stdout);
    if (p.question === undefined) return { changes: [], result: { current: prev, msg: '' } };
    const vtype = p.vtype as string;
    let value = vtype === 'boolean' ? text(p.value).toLowerCase() : p.value;
    let changed = !(p.question in prev);
    if (!changed) {
      let existing: unknown = prev[p.question];
      if (vtype === 'boolean') existing = String(existing).toLowerCase();
      else if (vtype === 'password') {
        const all = await ctx.probe('debconf-get-selections');
        if (all.code !== 0)
          return {
            changes: [],
            failed: `Failed to get the value '${p.question}' from '${p.name}': ${all.stderr}`,
          };
        existing = passwordOf(all.stdout, p.name, p.question, vtype);
      } else if (vtype === 'multiselect' && Array.isArray(value)) {
        value = value.map(String).sort();
        existing = String(existing)
          .split(',')
          .map((s) => s.trim())
          .sort();
      }
      changed = JSON.stringify(value) !== JSON.stringify(existing);
    }
    const previous = { [p.question]: prev[p.question] ?? '' };
    const current = { [p.question]: value };
    if (!changed) return { changes: [], result: { current: prev, msg: '' } };
    // Ansible joins the answer's words as text: any other value fails its set, with Python's words
    const listed = Array.isArray(value) && vtype === 'multiselect';
    if (!listed && typeof value !== 'string')
      return { changes: [], failed: `sequence item 3: expected str instance, ${pyTypeName(value)} found` };
    const answer = listed ? (value as unknown[]).join(', ') : String(value);
    return {
      changes: [
        {
          summary: `debconf ${p.name} ${p.question} (${vtype})${vtype === 'password' ? '' : ` = ${answer}`}`,
          action: {
            kind: 'exec',
            command: `debconf-set-selections${p.unseen ? ' -u' : ''}`,
            stdin: [p.name, p.question, vtype, answer].join(' '),
          },
        },
      ],
      result: { current, previous, msg: '' },
      secrets: vtype === 'password' ? [answer] : undefined,
    };
  },
});
