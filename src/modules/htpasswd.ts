/**
 * `community.general.htpasswd`: a user's password in an htpasswd file, as the collection's module
 * does it through passlib: the user's hash checked against the password with the module's
 * context (htpasswd-hash.ts); a new hash (a fresh salt) only when it does not verify, written on
 * the user's line or appended; `absent` removes the line; a missing file is made with its folders
 * when `create`. The password is a secret of the run: it and the hash never reach a diff.
 */
import { attributeChanges, contentChanges, normalizeMode } from './content.ts';
import { verify, WRITERS } from './htpasswd-hash.ts';
import { type Change, defineModule } from './types.ts';

interface HtpasswdParams {
  path: string;
  name: string;
  password?: string;
  hash_scheme?: string;
  state?: 'present' | 'absent';
  create?: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
}

/** Without the content: the hashes are secrets. */
const quiet = (changes: Change[]) => changes.map(({ diff: _, ...c }) => c);

export const htpasswdModule = defineModule<HtpasswdParams>({
  name: 'htpasswd',
  aliases: ['community.general.htpasswd'],
  paramAliases: { dest: 'path', destfile: 'path', username: 'name', crypt_scheme: 'hash_scheme' },
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1 },
      name: { type: 'string', minLength: 1 },
      password: { type: 'string' },
      hash_scheme: { type: 'string' },
      state: { enum: ['present', 'absent'] },
      create: { type: 'boolean' },
      mode: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      owner: { type: 'string' },
      group: { type: 'string' },
    },
    required: ['path', 'name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const scheme = p.hash_scheme ?? 'apr_md5_crypt';
    const state = p.state ?? 'present';
    const attrs = { mode: p.mode === undefined ? undefined : String(p.mode), owner: p.owner, group: p.group };
    if (state === 'present' && !WRITERS[scheme])
      return {
        changes: [],
        failed: `htpasswd: hash_scheme ${scheme} is not one quorum writes (${Object.keys(WRITERS).join(', ')})`,
        failedOnInput: true,
      };
    const secrets = p.password ? [p.password] : [];
    const file = await ctx.probePath(p.path, { content: true });
    // the module's own first step: blank lines out of the file, whatever happens next
    const lines =
      file.kind === 'file' ? (file.content ?? '').split(/(?<=\n)/).filter((l) => l.trim() !== '') : [];
    const at = lines.findIndex((l) => l.split(':')[0] === p.name);
    let msg: string;
    let text: string | undefined;
    if (state === 'absent') {
      if (file.kind === 'absent') return { changes: [], result: { msg: `${p.name} not present` }, secrets };
      if (at < 0) msg = `${p.name} not present`;
      else {
        msg = `Remove ${p.name}`;
        text = lines.filter((_, i) => i !== at).join('');
      }
    } else {
      const password = p.password ?? '';
      if (file.kind === 'absent') {
        if (p.create === false)
          return { changes: [], failed: `Destination ${p.path} does not exist`, secrets };
        msg = `Created ${p.path} and added ${p.name}`;
        text = `${p.name}:${WRITERS[scheme](password)}\n`;
      } else {
        const hash = at < 0 ? undefined : lines[at].slice(p.name.length + 1).replace(/\r?\n$/, '');
        const ok = hash === undefined ? false : verify(password, hash, scheme);
        if (typeof ok === 'string') return { changes: [], failed: `htpasswd: ${p.name} has ${ok}`, secrets };
        if (ok) msg = `${p.name} already present`;
        else {
          msg = `Add/update ${p.name}`;
          const line = `${p.name}:${WRITERS[scheme](password)}\n`;
          const kept = lines.map((l) => (l.endsWith('\n') ? l : `${l}\n`));
          if (at < 0) kept.push(line);
          else kept[at] = line;
          text = kept.join('');
        }
      }
    }
    const changes: Change[] =
      text === undefined
        ? attributeChanges(p.path, file, attrs)
        : quiet(contentChanges(p.path, file, text, { ...attrs, parents: true }));
    const content = text !== undefined;
    // a new file is made 0644 (the umask's) before the module sets the attributes asked
    const attributes =
      file.kind === 'absent'
        ? attrs.mode !== undefined && normalizeMode(attrs.mode) !== '0644'
        : changes.some((c) => !c.summary.startsWith('update'));
    // check_file_attrs: " and " only after a change; else glued on, as the module writes it
    if (attributes) msg += `${content ? ' and ' : ''}ownership, perms or SE linux context changed`;
    return { changes, result: { msg }, secrets };
  },
});
