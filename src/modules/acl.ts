/**
 * `ansible.posix.acl`: a POSIX ACL entry of a path present or absent, or the ACL queried, as the
 * collection's module does it on Linux: `setfacl --test` with the entry is the probe (a line
 * ending in `*,*` means nothing would change), the same setfacl without --test the change, and
 * the path's ACL read back with `getfacl --absolute-names --omit-header` is registered as `acl`.
 * A converged run is one probe. NFSv4 ACLs are not supported.
 */
import { quote, sh } from '../transport/shell.ts';
import { defineModule } from './types.ts';

interface AclParams {
  path: string;
  entry?: string;
  entity?: string;
  etype?: 'group' | 'mask' | 'other' | 'user';
  permissions?: string;
  state?: 'absent' | 'present' | 'query';
  follow?: boolean;
  default?: boolean;
  recursive?: boolean;
  recalculate_mask?: 'default' | 'mask' | 'no_mask';
  use_nfsv4_acls?: boolean;
}

const GET_MARK = '@@quorum-acl-get@@';

/** The module's split_entry: [default?, type, entity, permissions] of `[d:]type:entity[:perms]`. */
function splitEntry(entry: string): [boolean | undefined, string | undefined, string, string | undefined] {
  const a = entry.split(':');
  let d: boolean | undefined;
  if (entry.toLowerCase().startsWith('d')) {
    d = true;
    a.shift();
  }
  if (a.length === 2) a.push(undefined as unknown as string);
  const [t, e, p] = a;
  const l = t.toLowerCase();
  const type = l.startsWith('u')
    ? 'user'
    : l.startsWith('g')
      ? 'group'
      : l.startsWith('m')
        ? 'mask'
        : l.startsWith('o')
          ? 'other'
          : undefined;
  return [d, type, e, p];
}

/** The module's run_acl: output lines but comments, trimmed, a last empty one dropped. */
function aclLines(out: string): string[] {
  const lines = out
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.trim());
  if (out.endsWith('\n')) lines.pop();
  if (lines.length && lines.at(-1)!.split(/\s+/).join('') === '') return lines.slice(0, -1);
  return lines;
}

/** The words the module's build_command adds after the program and its action. */
function flags(p: AclParams, mode: 'set' | 'rm' | 'get'): string[] {
  const out: string[] = [];
  if (p.recursive) out.push('--recursive');
  if (mode !== 'get' && p.recalculate_mask === 'mask') out.push('--mask');
  if (mode !== 'get' && p.recalculate_mask === 'no_mask') out.push('--no-mask');
  if (p.follow === false) out.push('--physical');
  return out;
}

export const aclModule = defineModule<AclParams>({
  name: 'acl',
  aliases: ['ansible.posix.acl'],
  paramAliases: { name: 'path', recurse: 'recursive' },
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1 },
      entry: { type: 'string' },
      entity: { type: 'string' },
      etype: { enum: ['group', 'mask', 'other', 'user'] },
      permissions: { type: 'string' },
      state: { enum: ['absent', 'present', 'query'] },
      follow: { type: 'boolean' },
      default: { type: 'boolean' },
      recursive: { type: 'boolean' },
      recalculate_mask: { enum: ['default', 'mask', 'no_mask'] },
      use_nfsv4_acls: { type: 'boolean' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const fail = (msg: string) => ({ changes: [], failed: msg, failedOnInput: true as const });
    if (p.use_nfsv4_acls) return fail('acl: use_nfsv4_acls is not supported by quorum (POSIX ACLs only)');
    const state = p.state ?? 'query';
    let { etype, permissions, default: isDefault = false } = p;
    let entity = p.entity ?? '';
    if (state === 'query' && p.recursive) return fail("'recursive' MUST NOT be set when 'state=query'.");
    if (state === 'query' && (p.recalculate_mask === 'mask' || p.recalculate_mask === 'no_mask'))
      return fail("'recalculate_mask' MUST NOT be set to 'mask' or 'no_mask' when 'state=query'.");
    if (!p.entry) {
      if (state === 'absent' && permissions)
        return fail("'permissions' MUST NOT be set when 'state=absent'.");
      if (state === 'absent' && !entity) return fail("'entity' MUST be set when 'state=absent'.");
      if (state !== 'query' && !etype) return fail(`'etype' MUST be set when 'state=${state}'.`);
    } else {
      if (etype || entity || permissions)
        return fail("'entry' MUST NOT be set when 'entity', 'etype' or 'permissions' are set.");
      const sections = p.entry.split(':').length - 1;
      if (state === 'present' && ![2, 3].includes(sections))
        return fail("'entry' MUST have 3 or 4 sections divided by ':' when 'state=present'.");
      if (state === 'absent' && ![1, 2].includes(sections))
        return fail("'entry' MUST have 2 or 3 sections divided by ':' when 'state=absent'.");
      if (state === 'query') return fail("'entry' MUST NOT be set when 'state=query'.");
      const [d, t, e, perms] = splitEntry(p.entry);
      [etype, entity, permissions] = [t as AclParams['etype'], e, perms];
      if (d !== undefined) isDefault = d;
    }
    const dflag = isDefault ? ['-d'] : [];
    const get = ['getfacl', ...dflag, '--absolute-names', '--omit-header', ...flags(p, 'get'), p.path];
    let change: { entry: string; words: string[] } | undefined;
    if (state === 'present') {
      const entry = permissions ? `${etype}:${entity}:${permissions}` : `${etype}:${entity}`;
      change = { entry, words: ['setfacl', ...dflag, '-m', entry, ...flags(p, 'set'), p.path] };
    } else if (state === 'absent') {
      const entry = `${etype}:${entity}`;
      change = { entry, words: ['setfacl', ...dflag, '-x', entry, ...flags(p, 'rm'), p.path] };
    }
    const line = (words: string[]) => words.map((w) => quote(w)).join(' ');
    const test = change ? line([change.words[0], '--test', ...change.words.slice(1)]) : 'true';
    const r = await ctx.probe(
      `[ -e ${sh`${p.path}`} ] || { echo @@absent; exit 0; }; ${test} || exit $?; echo ${GET_MARK}; ${line(get)}`,
    );
    if (r.stdout.startsWith('@@absent')) return { changes: [], failed: 'Path not found or not accessible.' };
    if (r.code !== 0)
      return { changes: [], failed: r.stderr.trim() || `setfacl --test failed (exit ${r.code})` };
    const [tested, got = ''] = r.stdout.split(`${GET_MARK}\n`);
    const changed = change !== undefined && !aclLines(tested).some((l) => l.endsWith('*,*'));
    const msg = change ? `${change.entry} is ${state}` : 'current acl';
    const result = { msg, acl: aclLines(got) };
    if (!changed || !change) return { changes: [], result };
    return {
      changes: [
        {
          summary: `${state === 'present' ? 'set' : 'remove'} ${change.entry} on ${p.path}`,
          // the module ignores setfacl -x's exit code (run_acl with check_rc off)
          action: {
            kind: 'exec',
            command: state === 'absent' ? `${line(change.words)} || true` : line(change.words),
          },
        },
      ],
      waits: [{ kind: 'exec', command: line(get) }],
      result,
      outputResult: { keys: ['acl'], from: (stdout) => (stdout ? { acl: aclLines(stdout) } : {}) },
    };
  },
});
