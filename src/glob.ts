/** A shell glob (`*`, `?`) as a RegExp for a whole name: ssh_config Host patterns, fileglob, find's patterns. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}
