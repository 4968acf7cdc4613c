/**
 * The command module's words as ansible-core 2.19 runs them, written as shell code for the host.
 * Ansible's command module runs its program itself, without a shell (run_command in
 * module_utils/basic.py): each word is first expanded as Python's
 * `os.path.expanduser(os.path.expandvars(word))` on the host (`$HOME`, `${HOME}` and a leading
 * `~`; an unset variable stays as written, quotes do not stop it), then the program is found on
 * PATH and exec'd: never a shell builtin (dash's `echo` reads backslashes, /bin/echo does not),
 * and a program that is not there fails the task with its errno as rc, unchanged. Paths of
 * type "path" (chdir, creates, removes) are expanded the same way; creates/removes are then
 * glob patterns (Python's glob.glob, which counts a dangling link).
 */
import { quote } from '../transport/shell.ts';
import { pyQuote } from './synchronize.ts';

/** What the exec line writes to stderr when the program could not be started: the exit code is its errno. */
export const EXEC_FAILED = '__quorum: the program could not be executed__';
/** What a command's chdir writes to stderr when it cannot change into the folder. */
export const CHDIR_FAILED = '__quorum: could not change into chdir__';

/** The shell's own variables, which are not in a program's environment (Python's os.environ lacks them). */
const SHELL_OWN = new Set(['IFS', 'PS1', 'PS2', 'PS4', 'OPTIND', 'PPID', 'LINENO']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Python's expandvars pattern (\w without the u flag is ASCII, as Python compiles it with re.ASCII). */
const VARIABLE = /\$(\w+|\{[^}]*\})/g;
/** A word the host would change: a leading `~` or a variable reference. */
export const expandsOnHost = (word: string) => word.startsWith('~') || new RegExp(VARIABLE.source).test(word);
/** A user name dash's `~name` looks up as getpwnam does (any other name is left as written, as no user has it). */
const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;

/** Text quoted for the shell, glob characters left active when `glob` (Python's glob magic: * ? [...]). */
function literal(text: string, glob: boolean): string {
  if (!glob) return text === '' ? '' : quote(text);
  let out = '';
  let plain = '';
  const flush = () => {
    if (plain) out += quote(plain);
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const bracket = c === '[' ? /^\[!?\]?[A-Za-z0-9._^-]*\]/.exec(text.slice(i)) : null;
    if (c === '*' || c === '?' || bracket) {
      flush();
      out += bracket ? bracket[0] : c;
      if (bracket) i += bracket[0].length - 1;
    } else plain += c;
  }
  flush();
  return out;
}

/** Shell code for `text` as Python's expandvars gives it: `$NAME`/`${NAME}` the environment's value (empty too), else as written. */
function varsCode(text: string, glob: boolean): string {
  let out = '';
  let from = 0;
  for (const m of text.matchAll(VARIABLE)) {
    const name = m[1].startsWith('{') ? m[1].slice(1, -1) : m[1];
    if (!NAME.test(name) || SHELL_OWN.has(name)) continue;
    out += literal(text.slice(from, m.index), glob);
    // set: its value, quoted (not split, not globbed); unset: the reference as written
    const written = m[1].startsWith('{') ? `\\\${${name}\\}` : `\\$${name}`;
    out += `"\${${name}-${written}}"`;
    from = m.index + m[0].length;
  }
  return out + literal(text.slice(from), glob);
}

/**
 * One word as a shell word expanding to what Python's expanduser(expandvars(word)) gives on the
 * host; with `glob`, its glob characters left active (creates/removes).
 */
export function expandedWord(word: string, glob = false): string {
  let code = '';
  let rest = word;
  if (word.startsWith('~')) {
    const slash = word.indexOf('/');
    const user = word.slice(1, slash < 0 ? word.length : slash);
    const after = slash < 0 ? '' : word.slice(slash);
    if (user === '') {
      // expanduser: $HOME without its trailing slashes, '/' when nothing is left
      code = after ? '"${HOME%/}"' : '"${HOME:-/}"';
      rest = after;
    } else if (USER.test(user)) {
      // unquoted, so dash looks the user up; the slash unquoted too, or the prefix would not expand
      code = `~${user}${after ? '/' : ''}`;
      rest = after.slice(1);
    }
  }
  const tail = varsCode(rest, glob);
  return code + tail || "''";
}

/**
 * Shell code that runs argv as Ansible's command module does: each word expanded (unless
 * `expand` is false), the program exec'd, and when it cannot be (not on PATH, not executable)
 * the expanded words on stdout (NUL-separated), EXEC_FAILED on stderr and the errno
 * (2 ENOENT, 13 EACCES) as exit code.
 */
export function execLine(argv: string[], expand: boolean): string {
  const words = argv.map((w) => (expand ? expandedWord(w) : quote(w) || "''"));
  const [program, ...args] = words;
  const rest = args.length ? ` ${args.join(' ')}` : '';
  const found = (p: string) => `[ -f ${p} ] && [ -x ${p} ]`;
  return [
    `__q_c=${program}; __q_e=2`,
    `case $__q_c in */*) [ -e "$__q_c" ] && __q_e=13; ${found('"$__q_c"')} && __q_e=0;;`,
    `*) __q_i=$IFS; IFS=:; set -f; for __q_d in \${PATH-/bin:/usr/bin}; do __q_p=\${__q_d:-.}/$__q_c;`,
    `[ -e "$__q_p" ] && __q_e=13; if ${found('"$__q_p"')}; then __q_e=0; break; fi; done; IFS=$__q_i; set +f;; esac`,
    `if [ $__q_e != 0 ]; then printf '%s\\0' "$__q_c"${rest}; printf '%s\\n' ${quote(EXEC_FAILED)} >&2; exit $__q_e; fi`,
    `exec "$__q_c"${rest}`,
  ].join('\n');
}

/** Ansible's PASSWD_ARG_RE: such an argument's value (after `=`, or the next argument) is masked. */
const PASSWORD_ARG = /^-{0,2}pass-?(word|wd)?/;

/** The `cmd` Ansible registers when the program could not run: the expanded words, passwords masked, shlex-quoted. */
export function cleanedCommand(words: string[]): string {
  const out: string[] = [];
  let masked = false;
  for (const w of words) {
    if (masked) {
      masked = false;
      out.push('********');
    } else if (PASSWORD_ARG.test(w)) {
      const eq = w.indexOf('=');
      if (eq >= 0) out.push(`${w.slice(0, eq)}=********`);
      else {
        out.push(w);
        masked = true;
      }
    } else out.push(w);
  }
  return out.map(pyQuote).join(' ');
}

/** The errno's words, as Python's OSError prints them. */
const errnoText = (code: number) => (code === 13 ? 'Permission denied' : 'No such file or directory');

const noOutput = { stderr: '', stderr_lines: [], stdout: '', stdout_lines: [] };

/**
 * A command or shell step whose program never ran (it is not there, its chdir is not), from
 * what the exec line reported: the failure's words and the result the module registers for it
 * (unchanged; `cmd` as registered when it ran, or the expanded words when exec failed).
 */
export function notExecuted(
  r: { code: number; stdout: string; stderr: string },
  cmd: unknown,
): { message: string; result: Record<string, unknown> } | undefined {
  const said = r.stderr.trimEnd();
  const common = { changed: false, exception: '(traceback unavailable)', failed: true, ...noOutput };
  if (said === CHDIR_FAILED) {
    const message = 'Unable to change directory before execution.';
    return {
      message,
      result: { ...common, cmd, start: null, end: null, delta: null, msg: message, rc: null },
    };
  }
  if (said !== EXEC_FAILED) return undefined;
  const words = r.stdout.split('\0').slice(0, -1);
  return {
    message: `Error executing command: [Errno ${r.code}] ${errnoText(r.code)}: b'${words[0] ?? ''}'`,
    result: { ...common, cmd: cleanedCommand(words), msg: 'Error executing command.', rc: r.code },
  };
}
