/**
 * `user` and `group`: local accounts through shadow-utils (useradd, usermod, groupadd ...),
 * read with getent. Only the attributes given are managed, as in Ansible.
 */
import { sh } from '../transport/shell.ts';
import { type Change, defineModule, type ProbeContext } from './types.ts';
import {
  chageFlags,
  SHADOW_SCHEMA,
  type ShadowParams,
  shadowChanges,
  shadowCreateFlags,
} from './user-shadow.ts';
import { SSH_KEY_SCHEMA, type SshKeyParams, sshKeyOutcome } from './user-ssh-key.ts';

const NAME = { type: 'string' };
/**
 * A name useradd/groupadd would take, asked of what is made; one to remove may be anything
 * (Ansible's str of a list included): not there, it is nothing to do, as in Ansible.
 */
const NAME_TO_MAKE = {
  if: { properties: { state: { const: 'absent' } }, required: ['state'] },
  else: { properties: { name: { pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?$' } } },
};
const exec = (summary: string, command: string): Change => ({ summary, action: { kind: 'exec', command } });

interface GroupParams {
  name: string;
  state?: 'present' | 'absent';
  gid?: number;
  system?: boolean;
  /** libuser's lgroupadd/lgroupmod/lgroupdel, the group looked for in /etc/group only. */
  local?: boolean;
  force?: boolean;
}

/**
 * The group line (from /etc/group alone with `local`: getent also answers for a directory's
 * groups), then, with `local`, whether libuser's commands are there: the module asks for
 * lgroupmod before it knows whether anything changes, so without them even a converged run fails.
 */
const GROUP_PROBE = (p: GroupParams) =>
  p.local
    ? sh`grep -- ${`^${p.name.replace(/[.$]/g, '\\$&')}:`} /etc/group | tail -1; for c in lgroupadd lgroupmod lgroupdel; do command -v $c >/dev/null && echo has:$c; done; true`
    : sh`getent group ${p.name} || true`;

export const groupModule = defineModule<GroupParams>({
  name: 'group',
  schema: {
    type: 'object',
    properties: {
      name: NAME,
      state: { enum: ['present', 'absent'] },
      gid: { type: 'integer', minimum: 0 },
      system: { type: 'boolean' },
      local: { type: 'boolean' },
      force: { type: 'boolean' },
    },
    required: ['name'],
    ...NAME_TO_MAKE,
    additionalProperties: false,
  },
  async plan(ctx, p) {
    if (p.force && p.local)
      throw new Error(
        'force is not a valid option for local, force=True and local=True are mutually exclusive',
      );
    const lines = (await ctx.probe(GROUP_PROBE(p))).stdout.trim().split('\n');
    const line = lines.find((l) => l !== '' && !l.startsWith('has:')) ?? '';
    const [, , gid] = line.split(':');
    const exists = line !== '';
    // the module's get_bin_path(required=True), in its words
    const command = (name: string) => {
      const cmd = p.local ? `l${name}` : name;
      if (p.local && !lines.includes(`has:${cmd}`))
        throw new Error(`Failed to find required executable "${cmd}" in the host's PATH`);
      return cmd;
    };
    if (p.state === 'absent') {
      if (!exists) return { changes: [] };
      const del = command('groupdel');
      return {
        changes: [exec(`remove group ${p.name}`, sh`${del} ${[...(p.force ? ['-f'] : []), p.name]}`)],
      };
    }
    if (!exists) {
      const add = command('groupadd');
      const opts = [...(p.gid !== undefined ? ['-g', String(p.gid)] : []), ...(p.system ? ['-r'] : [])];
      return {
        changes: [exec(`create group ${p.name}`, sh`${add} ${opts} ${p.name}`)],
        result: { name: p.name },
      };
    }
    const mod = command('groupmod');
    if (p.gid !== undefined && Number(gid) !== p.gid)
      return {
        changes: [exec(`gid of ${p.name} ${gid} -> ${p.gid}`, sh`${mod} -g ${String(p.gid)} ${p.name}`)],
      };
    return { changes: [], result: { name: p.name, gid: Number(gid) } };
  },
});

interface UserParams extends ShadowParams, SshKeyParams {
  name: string;
  state?: 'present' | 'absent';
  uid?: number;
  group?: string;
  groups?: string | string[];
  append?: boolean;
  shell?: string;
  home?: string;
  create_home?: boolean;
  createhome?: boolean;
  /** A new `home` for an existing user: its files moved there (usermod -m), not left behind. */
  move_home?: boolean;
  /** The folder a new home is copied from (useradd -k; the module's create_homedir too), else /etc/skel. */
  skeleton?: string;
  /** With uid: a uid another user has may be given too (useradd/usermod -o). */
  non_unique?: boolean;
  system?: boolean;
  comment?: string;
  remove?: boolean;
}

/** The host's name, as the module's socket.gethostname() (the default key comment). */
const hostName = async (ctx: ProbeContext) => (await ctx.probe('uname -n')).stdout.trim();

/**
 * passwd line, primary group name, supplementary groups and shadow line, in one probe; last,
 * `home:yes` or `home:no`: whether the home the task wants (else the user's) is there.
 */
const USER_PROBE = (name: string, home: string | undefined) =>
  sh`if p=$(getent passwd ${name}); then echo "$p"; getent group "$(echo "$p" | cut -d: -f4)" | cut -d: -f1; id -Gn ${name}; getent shadow ${name}; h=${home ?? ''}; [ -n "$h" ] || h=$(echo "$p" | cut -d: -f6); [ -e "$h" ] && echo home:yes || echo home:no; fi`;

/**
 * The module's create_homedir for a user that exists without its home: the skeleton copied there
 * (else the folder made), its mode login.defs' first HOME_MODE, else 0777 less its last UMASK
 * (left as made without login.defs), then owned by the user, everything in it too.
 */
const makeHome = (name: string, home: string, skeleton = '/etc/skel') =>
  sh`h=${home}; s=${skeleton}; mkdir -p "$(dirname "$h")" && if [ -d "$s" ] && [ "$s" != /dev/null ]; then cp -a "$s" "$h"; else mkdir "$h"; fi && if [ -f /etc/login.defs ]; then m=$(awk '/^HOME_MODE[ \t]+[0-9]+$/ { m = "H" $2; exit } /^UMASK[ \t]+[0-9]+$/ { m = "U" $2 } END { print m }' /etc/login.defs); case $m in H*) chmod "0\${m#H}" "$h" ;; U*) chmod "$(printf %o $(( 0777 & ~0\${m#U} )))" "$h" ;; *) chmod 0755 "$h" ;; esac; fi && chown -R ${name}: "$h"`;

export const userModule = defineModule<UserParams>({
  name: 'user',
  paramAliases: { createhome: 'create_home' },
  schema: {
    type: 'object',
    properties: {
      name: NAME,
      state: { enum: ['present', 'absent'] },
      uid: { type: 'integer', minimum: 0 },
      group: { type: 'string' },
      groups: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      append: { type: 'boolean' },
      shell: { type: 'string' },
      home: { type: 'string' },
      create_home: { type: 'boolean' },
      move_home: { type: 'boolean' },
      skeleton: { type: 'string' },
      non_unique: { type: 'boolean' },
      system: { type: 'boolean' },
      comment: { type: 'string' },
      remove: { type: 'boolean' },
      ...SHADOW_SCHEMA,
      ...SSH_KEY_SCHEMA,
    },
    required: ['name'],
    ...NAME_TO_MAKE,
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const secrets = p.password ? [p.password] : undefined;
    const r = await ctx.probe(USER_PROBE(p.name, p.home));
    const lines = r.stdout.trim().split('\n');
    const homeThere = lines.at(-1) !== 'home:no';
    const [passwd = '', primary = '', groupLine = '', shadow = ''] = lines.filter(
      (l) => !l.startsWith('home:'),
    );
    const exists = passwd !== '';
    if (p.state === 'absent')
      return {
        changes: exists
          ? [
              exec(
                `remove user ${p.name}`,
                sh`userdel ${[...(p.remove ? ['-r'] : []), ...(p.force ? ['-f'] : [])]} ${p.name}`,
              ),
            ]
          : [],
      };
    const wanted =
      p.groups === undefined
        ? undefined
        : [p.groups]
            .flat()
            .flatMap((g) => g.split(','))
            .map((g) => g.trim())
            .filter(Boolean);
    if (!exists) {
      const opts = [
        ...(p.uid !== undefined ? ['-u', String(p.uid), ...(p.non_unique ? ['-o'] : [])] : []),
        ...(p.group ? ['-g', p.group] : []),
        ...(wanted?.length ? ['-G', wanted.join(',')] : []),
        ...(p.shell ? ['-s', p.shell] : []),
        ...(p.home ? ['-d', p.home] : []),
        ...(p.comment !== undefined ? ['-c', p.comment] : []),
        ...(p.system ? ['-r'] : []),
        // Ansible creates the home unless told not to (system users too)
        ...(p.create_home === false
          ? ['-M']
          : ['-m', ...(p.skeleton !== undefined ? ['-k', p.skeleton] : [])]),
        ...shadowCreateFlags(p),
      ];
      const ageing = chageFlags(p);
      const key = await sshKeyOutcome(p, false, ctx.probe, () => hostName(ctx));
      return {
        ...key,
        changes: [
          exec(`create user ${p.name}`, sh`useradd ${opts} ${p.name}`),
          ...(ageing.length ? [exec(`password ageing of ${p.name}`, sh`chage ${ageing} ${p.name}`)] : []),
          ...key.changes,
        ],
        secrets: [...(secrets ?? []), ...(key.secrets ?? [])],
      };
    }
    const [, , uid, , gecos, home, shell] = passwd.split(':');
    const have = groupLine.split(' ').filter((g) => g && g !== primary);
    const changes: Change[] = [];
    // `also`: the flags that go with this one (-o with -u, -m with -d), as the module adds them
    const mod = (what: string, flag: string, value: string, also: string[] = []) =>
      changes.push(exec(`${what} of ${p.name} -> ${value}`, sh`usermod ${[flag, value, ...also, p.name]}`));
    if (p.uid !== undefined && Number(uid) !== p.uid)
      mod('uid', '-u', String(p.uid), p.non_unique ? ['-o'] : []);
    if (p.group && p.group !== primary) mod('primary group', '-g', p.group);
    if (p.shell && p.shell !== shell) mod('shell', '-s', p.shell);
    if (p.home && p.home !== home) mod('home', '-d', p.home, p.move_home ? ['-m'] : []);
    if (p.comment !== undefined && p.comment !== gecos) mod('comment', '-c', p.comment);
    if (wanted) {
      const missing = wanted.filter((g) => !have.includes(g));
      const extra = have.filter((g) => !wanted.includes(g));
      if (p.append ? missing.length > 0 : missing.length > 0 || extra.length > 0) {
        const list = p.append ? [...have, ...missing] : wanted;
        changes.push(
          exec(
            `groups of ${p.name} -> ${list.join(',') || '(none)'}`,
            sh`usermod -G ${list.join(',')} ${p.name}`,
          ),
        );
      }
    }
    // as the module: a home that is not there is made for an existing user too, unless told not to
    if (!homeThere && p.create_home !== false && !(p.move_home && p.home && p.home !== home))
      changes.push(
        exec(`home of ${p.name}: ${p.home ?? home} made`, makeHome(p.name, p.home ?? home, p.skeleton)),
      );
    changes.push(...shadowChanges(p.name, p, shadow));
    const key = await sshKeyOutcome(p, true, ctx.probe, () => hostName(ctx));
    return {
      ...key,
      changes: [...changes, ...key.changes],
      result: { name: p.name, uid: Number(uid), home, shell, ...key.result },
      secrets: [...(secrets ?? []), ...(key.secrets ?? [])],
    };
  },
});
