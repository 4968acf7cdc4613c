/**
 * `community.general.capabilities`: a file capability present or absent, as the collection's
 * module does it: `getcap -v` read and parsed as the module parses it (groups like
 * `cap_a,cap_b=ep` split), the wanted `(cap, op, flags)` compared with what is there, and the
 * whole new set written with one `setcap`. The module's own quirk is kept, since it decides what
 * changes: getcap prints `=ep`, so a task asking `+ep` never finds itself there and sets the
 * capability at every run, in Ansible and here alike.
 */
import { sh } from '../transport/shell.ts';
import { defineModule } from './types.ts';

interface CapabilitiesParams {
  path: string;
  capability: string;
  state?: 'present' | 'absent';
}

type Cap = [string, string | null, string | null];

const OPS = ['=', '-', '+'];

/** The module's _parse_cap: the first of = - + (in that order of search), split once around it. */
function parseCap(cap: string, opRequired = true): Cap | string {
  const op = OPS.find((o) => cap.includes(o));
  if (op === undefined)
    return opRequired ? `Couldn't find operator (one of: ('=', '-', '+'))` : [cap, null, null];
  const parts = cap.split(op);
  if (parts.length !== 2) return `the capability ${cap} has ${op} more than once`;
  return [parts[0], op, parts[1]];
}

/** The module's getcap: `PATH caps...` into (cap, op, flags), groups split. */
function parseGetcap(stdout: string, path: string): Cap[] | string {
  const out: Cap[] = [];
  if (stdout.trim() === path) return out;
  let caps: string[];
  if (stdout.includes(' =')) caps = stdout.split(' =')[1].trim().split(/\s+/);
  else if (stdout.trim().endsWith(')')) return `Unable to get capabilities of ${path}`;
  else caps = (stdout.trim().split(/\s+/)[1] ?? '').trim().split(/\s+/).filter(Boolean);
  for (const raw of caps) {
    const cap = raw.toLowerCase();
    const group = cap.split(',');
    const last = parseCap(group.at(-1) as string);
    if (typeof last === 'string') return last;
    for (const sub of group.slice(0, -1)) out.push([sub, last[1], last[2]]);
    out.push(last);
  }
  return out;
}

const same = (a: Cap, b: Cap) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

export const capabilitiesModule = defineModule<CapabilitiesParams>({
  name: 'capabilities',
  aliases: ['community.general.capabilities'],
  paramAliases: { key: 'path', cap: 'capability' },
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1 },
      capability: { type: 'string', minLength: 1 },
      state: { enum: ['present', 'absent'] },
    },
    required: ['path', 'capability'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const path = p.path.trim();
    const state = p.state ?? 'present';
    const wanted = parseCap(p.capability.trim().toLowerCase(), state === 'present');
    if (typeof wanted === 'string') return { changes: [], failed: wanted, failedOnInput: true };
    const r = await ctx.probe(
      `command -v getcap >/dev/null && command -v setcap >/dev/null || exit 127; getcap -v ${sh`${path}`}`,
    );
    if (r.code === 127 && r.stdout === '' && r.stderr === '')
      return { changes: [], failed: 'Failed to find required executable "getcap" or "setcap" in paths' };
    const { stdout, stderr } = r;
    if (r.code !== 0 || stderr.trim() !== '')
      // the module's fail_json carries getcap's output along
      return {
        changes: [],
        failed: `Unable to get capabilities of ${path}`,
        result: {
          stdout: stdout.trim(),
          stderr,
          stdout_lines: stdout.trim() ? stdout.trim().split('\n') : [],
          stderr_lines: stderr.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1),
        },
      };
    const current = parseGetcap(stdout, path);
    if (typeof current === 'string') return { changes: [], failed: current };
    let next: Cap[] | undefined;
    if (state === 'present' && !current.some((c) => same(c, wanted)))
      next = [...current.filter((c) => c[0] !== wanted[0]), wanted];
    else if (state === 'absent' && current.some((c) => c[0] === wanted[0]))
      next = current.filter((c) => c[0] !== wanted[0]);
    if (!next) return { changes: [], result: { state } };
    const text = next.map((c) => c.filter((x) => x !== null).join('')).join(' ');
    return {
      changes: [
        {
          summary: `capabilities of ${path}: ${text || '(none)'}`,
          action: { kind: 'exec', command: sh`setcap ${text} ${path}` },
        },
      ],
      result: { state, msg: 'capabilities changed', stdout: '', stdout_lines: [] },
    };
  },
});
