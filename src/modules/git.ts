/**
 * `git`: a checkout of `repo` at `version` (a branch, tag or commit) in `dest`, on the host.
 * Converged when dest's HEAD is the commit `version` names in the repository; a clone when
 * dest has none, else a fetch and a checkout of that commit (a dirty checkout is refused
 * unless force, as Ansible does).
 */
import { sh } from '../transport/shell.ts';
import { defineModule } from './types.ts';

interface GitParams {
  repo: string;
  dest: string;
  version?: string;
  force?: boolean;
  depth?: number;
  update?: boolean;
  clone?: boolean;
  /** Accept the server's SSH host key the first time (OpenSSH's accept-new). */
  accept_hostkey?: boolean;
}

export const gitModule = defineModule<GitParams>({
  name: 'git',
  paramAliases: { name: 'repo' },
  schema: {
    type: 'object',
    properties: {
      repo: { type: 'string', minLength: 1 },
      dest: { type: 'string', minLength: 1 },
      version: { type: 'string', minLength: 1 },
      force: { type: 'boolean' },
      depth: { type: 'integer', minimum: 1 },
      update: { type: 'boolean' },
      clone: { type: 'boolean' },
      accept_hostkey: { type: 'boolean' },
    },
    required: ['repo', 'dest'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const version = p.version ?? 'HEAD';
    // every git command of the step, with the host key policy asked for
    const env = p.accept_hostkey ? "GIT_SSH_COMMAND='ssh -o StrictHostKeyChecking=accept-new' " : '';
    // what dest holds (its HEAD and whether it has local changes) and what version names remotely
    const r = await ctx.probe(
      `head=$(git -C ${sh`${p.dest}`} rev-parse HEAD 2>/dev/null) || head=none; echo "$head"; ` +
        `[ "$head" = none ] || git -C ${sh`${p.dest}`} status --porcelain --untracked-files=no | head -n1; echo --; ` +
        `${env}git ls-remote ${sh`${p.repo}`} ${sh`${version}`} ${sh`refs/tags/${version}^{}`} 2>&1 | tail -n1`,
    );
    const [local, remote = ''] = r.stdout.split('--\n');
    const [head = 'none', dirty = ''] = local.trim().split('\n');
    const listed = remote.trim().split(/\s+/)[0];
    // a commit id as version is its own answer when ls-remote lists no ref of that name
    const want = /^[0-9a-f]{40}$/.test(listed ?? '')
      ? listed
      : /^[0-9a-f]{7,40}$/.test(version)
        ? version
        : undefined;
    if (!want)
      return {
        changes: [],
        failed: `cannot resolve ${version} in ${p.repo}: ${remote.trim() || 'no such ref'}`,
      };
    const result = { before: head === 'none' ? null : head, after: want };
    if (head === 'none') {
      if (p.clone === false) return { changes: [], result };
      const depth = p.depth ? ['--depth', String(p.depth)] : [];
      const checkout = version === 'HEAD' ? '' : ` && git -C ${sh`${p.dest}`} checkout -q ${sh`${want}`}`;
      return {
        changes: [
          {
            summary: `clone ${p.repo} into ${p.dest}`,
            action: {
              kind: 'exec',
              command: `${env}git clone -q ${sh`${depth}`} ${sh`${p.repo}`} ${sh`${p.dest}`}${checkout}`,
            },
          },
        ],
        result,
      };
    }
    if (head.startsWith(want) || p.update === false) return { changes: [], result };
    if (dirty && !p.force)
      return { changes: [], failed: `${p.dest} has local changes (force: true discards them)`, result };
    return {
      changes: [
        {
          summary: `update ${p.dest} ${head.slice(0, 7)} -> ${want.slice(0, 7)}`,
          action: {
            kind: 'exec',
            command: `${env}git -C ${sh`${p.dest}`} fetch -q --tags origin && git -C ${sh`${p.dest}`} checkout -q ${p.force ? '-f ' : ''}${sh`${want}`}`,
          },
        },
      ],
      result,
    };
  },
});
