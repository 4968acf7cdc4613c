/**
 * `ansible.posix.patch`: a patch applied (or reverted) with GNU patch, as the collection's module
 * does it (plugins/modules/patch.py, ansible.posix 2): already applied when `patch --reverse
 * --dry-run` goes through (for `absent`, when the forward dry run does); else the same patch
 * with `--batch --reject-file=-`, tried first as a dry run so a patch that does not apply fails
 * in patch's own words in a check run too. The patch is the play's file (files/) sent on patch's
 * stdin, or a file on the host with `remote_src`. Registers only `changed`.
 */
import { sh } from '../transport/shell.ts';
import { defineModule } from './types.ts';

interface PatchParams {
  src: string;
  patchfile?: string;
  dest?: string;
  basedir?: string;
  strip?: number;
  remote_src?: boolean;
  backup?: boolean;
  binary?: boolean;
  ignore_whitespace?: boolean;
  state?: 'present' | 'absent';
}

export const patchModule = defineModule<PatchParams>({
  name: 'patch',
  aliases: ['ansible.posix.patch'],
  paramAliases: { originalfile: 'dest' },
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string', minLength: 1 },
      // the module's alias of src, which its action plugin never reads: a task naming it fails
      patchfile: { type: 'string' },
      dest: { type: 'string', minLength: 1 },
      basedir: { type: 'string', minLength: 1 },
      strip: { type: 'integer' },
      remote_src: { type: 'boolean' },
      backup: { type: 'boolean' },
      binary: { type: 'boolean' },
      ignore_whitespace: { type: 'boolean' },
      state: { enum: ['present', 'absent'] },
    },
    anyOf: [{ required: ['dest'] }, { required: ['basedir'] }],
    additionalProperties: false,
  },
  // a play's patch that is not there is an input error before any host is touched
  check(p, _readLocal, _listLocal, readLocalBytes) {
    if (p.src !== undefined && !p.remote_src && !p.src.includes('{{')) readLocalBytes?.(p.src, 'files');
    return [];
  },
  async plan(ctx, p) {
    if (p.src === undefined) return { changes: [], failed: 'src is required', failedOnInput: true };
    const state = p.state ?? 'present';
    const fromHost = p.remote_src === true;
    const basedir = p.basedir ?? (p.dest!.includes('/') ? p.dest!.slice(0, p.dest!.lastIndexOf('/')) : '');
    const pre = await ctx.probe(
      [
        fromHost ? sh`[ -r ${p.src} ] || { echo nosrc; exit 0; }` : '',
        p.dest !== undefined ? sh`[ -w ${p.dest} ] || { echo nodest; exit 0; }` : '',
        p.basedir !== undefined ? sh`[ -e ${p.basedir} ] || { echo nobasedir; exit 0; }` : '',
        `command -v patch >/dev/null || { echo nopatch; exit 0; }; echo ready`,
      ]
        .filter(Boolean)
        .join('; '),
    );
    const ready = pre.stdout.trim();
    if (ready === 'nosrc') return { changes: [], failed: `src ${p.src} doesn't exist or not readable` };
    if (ready === 'nodest') return { changes: [], failed: `dest ${p.dest} doesn't exist or not writable` };
    if (ready === 'nobasedir') return { changes: [], failed: `basedir ${p.basedir} doesn't exist` };
    if (ready === 'nopatch') return { changes: [], failed: 'patch command not found' };
    if (ready !== 'ready')
      return { changes: [], failed: `cannot read the host's state: ${pre.stderr.trim()}` };
    const content = fromHost ? undefined : ctx.readLocalBytes(p.src, 'files');
    // the patch on stdin (a file of the play) or read by patch itself (a file on the host)
    const input = content ? '' : sh` --input=${p.src}`;
    const feed = (command: string) =>
      content ? `printf %s ${content.toString('base64')} | base64 -d | ${command}` : command;
    const common = [
      `--strip=${p.strip ?? 0}`,
      sh`--directory=${basedir}`,
      p.binary ? '--binary' : '',
      p.ignore_whitespace ? '--ignore-whitespace' : '',
      p.dest !== undefined ? sh`${p.dest}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const applied = await ctx.probe(
      feed(`patch --quiet --forward${input} ${common} --dry-run${state === 'present' ? ' --reverse' : ''}`),
    );
    if (applied.code === 0) return { changes: [], result: {} };
    const apply = `patch --quiet --forward --batch --reject-file=-${input} ${common}${p.backup ? ' --backup --version-control=numbered' : ''}${state === 'absent' ? ' --reverse' : ''}`;
    const trial = await ctx.probe(feed(`${apply} --dry-run`));
    if (trial.code !== 0) return { changes: [], failed: trial.stderr || trial.stdout };
    return {
      changes: [
        {
          summary: `${state === 'present' ? 'apply' : 'revert'} ${p.src} on ${p.dest ?? basedir}`,
          // a play's patch travels as the probes' did: base64 in the command (bytes kept as they are)
          action: { kind: 'exec', command: feed(apply) },
        },
      ],
      result: {},
    };
  },
});
