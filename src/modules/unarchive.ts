/**
 * `unarchive`: an archive on the host or at a URL (downloaded on the host, as Ansible does)
 * extracted into `dest`. Converged when `creates` exists, or else when every path the archive
 * lists exists under dest. An archive on the controller is not supported (quorum's writes are
 * text): copy it first, or give a URL.
 */
import { sh } from '../transport/shell.ts';
import { normalizeMode } from './content.ts';
import { defineModule } from './types.ts';

interface UnarchiveParams {
  src: string;
  dest: string;
  remote_src?: boolean;
  copy?: boolean;
  creates?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  extra_opts?: string[];
}

/** tar's or unzip's flags for listing and extracting, by the archive's name. */
function format(src: string): { list: string; extract: (dest: string) => string } | undefined {
  const name = src.replace(/[?#].*$/, '');
  if (/\.zip$/i.test(name)) return { list: 'unzip -Z1', extract: (d) => `unzip -o -q -d ${sh`${d}`}` };
  const z = /\.(tar\.gz|tgz)$/i.test(name)
    ? 'z'
    : /\.tar\.xz$|\.txz$/i.test(name)
      ? 'J'
      : /\.tar\.bz2$|\.tbz2?$/i.test(name)
        ? 'j'
        : /\.tar$/i.test(name)
          ? ''
          : undefined;
  if (z === undefined) return undefined;
  return { list: `tar -t${z}f`, extract: (d) => `tar -x${z}f - -C ${sh`${d}`}` };
}

export const unarchiveModule = defineModule<UnarchiveParams>({
  name: 'unarchive',
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string', minLength: 1 },
      dest: { type: 'string', minLength: 1 },
      remote_src: { type: 'boolean' },
      copy: { type: 'boolean' },
      creates: { type: 'string' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      extra_opts: { type: 'array', items: { type: 'string' } },
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  check(p) {
    const url = /^[a-z]+:\/\//.test(p.src);
    const remote = url || p.remote_src === true || p.copy === false;
    const problems = [];
    if (!remote)
      problems.push(
        'unarchive of an archive on the controller is not supported: set remote_src (an archive on the host) or give a URL',
      );
    if (!p.src.includes('{{') && !format(p.src))
      problems.push(
        `unarchive: cannot tell the archive type of ${p.src} (.tar, .tar.gz, .tgz, .tar.xz, .tar.bz2, .zip)`,
      );
    if (p.extra_opts?.length) problems.push('unarchive: extra_opts is not supported');
    return problems;
  },
  async plan(ctx, p) {
    const fmt = format(p.src);
    if (!fmt) return { changes: [], failed: `cannot tell the archive type of ${p.src}` };
    if (p.creates) {
      const c = await ctx.probePath(p.creates);
      if (c.kind !== 'absent') return { changes: [], message: `${p.creates} exists` };
    }
    const url = /^[a-z]+:\/\//.test(p.src);
    const fetch = url ? sh`curl -fsSL ${p.src}` : sh`cat ${p.src}`;
    // zip needs a seekable file: listed and extracted from a temporary copy
    const zip = fmt.list.startsWith('unzip');
    const listing = zip
      ? `t=$(mktemp) && ${fetch} > "$t" && ${fmt.list} "$t"; rm -f "$t"`
      : `${fetch} | ${fmt.list} -`;
    const script = `set -o pipefail; ${listing} | while IFS= read -r f; do [ -e ${sh`${p.dest}`}/"$f" ] || { echo missing; break; }; done`;
    const r = await ctx.probe(`bash -c ${sh`${script}`}`);
    if (r.code !== 0)
      return { changes: [], failed: `cannot list ${p.src}: ${r.stderr.trim() || `exit ${r.code}`}` };
    if (!r.stdout.includes('missing')) return { changes: [] };
    const extract = zip
      ? `( t=$(mktemp) && ${fetch} > "$t" && ${fmt.extract(p.dest)} "$t"; rc=$?; rm -f "$t"; exit $rc )`
      : `set -o pipefail; ${fetch} | ${fmt.extract(p.dest)}`;
    const attrs = [
      ...(p.mode !== undefined ? [sh`chmod ${normalizeMode(p.mode) ?? ''}`] : []),
      ...(p.owner ? [sh`chown ${p.owner}`] : []),
      ...(p.group ? [sh`chgrp ${p.group}`] : []),
    ];
    // attributes go to every extracted path, as Ansible sets them on each archive member
    const apply = attrs.length
      ? ` && cd ${sh`${p.dest}`} && ${zip ? `t=$(mktemp) && ${fetch} > "$t" && ${fmt.list} "$t"` : `${fetch} | ${fmt.list} -`} | while IFS= read -r f; do ${attrs.map((a) => `${a} -- "$f"`).join(' && ')}; done`
      : '';
    return {
      changes: [
        {
          summary: `extract ${p.src} into ${p.dest}`,
          action: { kind: 'exec', command: `bash -c ${sh`${extract}${apply}`}` },
        },
      ],
    };
  },
});
