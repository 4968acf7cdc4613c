/**
 * AnsibleModule.get_bin_path on the host: a program is looked for on PATH, then in the sbin
 * folders that exist and are not on it (module_utils/common/process.py), and a required one that
 * is not there fails with the search list in its words.
 */

const SBIN = ['/sbin', '/usr/sbin', '/usr/local/sbin'];

/** Shell: the program's path on stdout, or a non-zero exit. */
export const findBin = (program: string) => `PATH="$PATH:${SBIN.join(':')}" command -v ${program}`;

/** Shell: get_bin_path's search list into $p. */
export const SEARCHED_INTO_P = `p="$PATH"; for d in ${SBIN.join(' ')}; do case ":$p:" in *":$d:"*) ;; *) [ -d "$d" ] && p="$p:$d";; esac; done`;

/** get_bin_path's failure for `program` searched in `paths`. */
export const missingBin = (program: string, paths: string) =>
  `Failed to find required executable "${program}" in paths: ${paths}`;

/** Shell: `command` with the program's path ("$b"), or get_bin_path's failure on stderr and exit 1. */
export function requiredBin(program: string, command: (bin: string) => string): string {
  return `b=$(${findBin(program)}) || { ${SEARCHED_INTO_P}; echo "${missingBin(program, '$p').replaceAll('"', '\\"')}" >&2; exit 1; }; ${command('"$b"')}`;
}
