/**
 * AnsibleModule.add_path_info: a module whose result has a `path` (known_hosts, ...) registers the
 * path's uid, gid, owner, group, mode ('0%03o'), state (file, directory, link, hard) and size when
 * it exists; its `state` then stands where the module's own state parameter was.
 */
/** A shell line printing the information of `word` (a path as a shell word) for `pathInfo`. */
export const pathInfoCommand = (word: string) =>
  `stat -c 'pathinfo %u %g %U %G %a %F|%h %s' ${word} 2>/dev/null || echo 'pathinfo none'`;

/** The fields add_path_info adds, read from `pathInfoCommand`'s line in `stdout`; {} when it is not there. */
export function pathInfo(stdout: string): Record<string, unknown> {
  const line = stdout.split('\n').find((l) => l.startsWith('pathinfo '));
  const m = /^pathinfo (\d+) (\d+) (\S+) (\S+) ([0-7]+) ([^|]+)\|(\d+) (\d+)$/.exec(line ?? '');
  if (!m) return {};
  const [, uid, gid, owner, group, mode, kind, links, size] = m;
  const state =
    kind === 'symbolic link'
      ? 'link'
      : kind === 'directory'
        ? 'directory'
        : Number(links) > 1
          ? 'hard'
          : 'file';
  return {
    uid: Number(uid),
    gid: Number(gid),
    owner: owner === 'UNKNOWN' ? uid : owner,
    group: group === 'UNKNOWN' ? gid : group,
    mode: `0${mode.padStart(3, '0')}`,
    state,
    size: Number(size),
  };
}
