/**
 * `wait_for`: a port, a path (with `search_regex`, a text in it), an http url or a command
 * (quorum's own two), or only a sleep; bounded by `timeout`. The wait is a loop run on the host:
 * it only reads, so it is a wait, never a change. What it registers is 2.19's module's result
 * (state, port, path, search_regex, match_groups, match_groupdict, elapsed).
 */

import { pyRegex } from '../template/jinja/regex.ts';
import { Unknown } from '../template/unknown.ts';
import { sh } from '../transport/shell.ts';
import { pathInfo, pathInfoCommand } from './path-info.ts';
import { type Action, defineModule } from './types.ts';

export interface WaitForParams {
  host?: string;
  port?: number;
  path?: string;
  /** A Python regular expression (MULTILINE) looked for in the file at `path`, or in what the port sends. */
  search_regex?: string;
  url?: string;
  command?: string;
  state?: 'started' | 'present' | 'stopped' | 'absent';
  timeout?: number;
  delay?: number;
  /** Seconds between checks (Ansible's default 1). */
  sleep?: number;
  /** The failure's message when the wait times out. */
  msg?: string;
  /** Seconds a port check may take (quorum's check connects locally at once: taken). */
  connect_timeout?: number;
}

/** wait_for's own words when the wait times out (2.19's module); quorum's own for its url and command. */
function timeoutMessage(p: WaitForParams, negate: boolean): string {
  const host = p.host ?? '127.0.0.1';
  const regex = negate ? undefined : p.search_regex;
  if (p.port !== undefined) {
    if (negate) return `Timeout when waiting for ${host}:${p.port} to stop.`;
    return regex === undefined
      ? `Timeout when waiting for ${host}:${p.port}`
      : `Timeout when waiting for search string ${regex} in ${host}:${p.port}`;
  }
  if (p.path !== undefined) {
    if (negate) return `Timeout when waiting for ${p.path} to be absent.`;
    return regex === undefined
      ? `Timeout when waiting for file ${p.path}`
      : `Timeout when waiting for search string ${regex} in ${p.path}`;
  }
  return `timed out after ${p.timeout ?? 300}s`;
}

const MATCH = '@@quorum-match ';
const ELAPSED = '@@quorum-elapsed ';
const PATH_KEYS = ['uid', 'gid', 'owner', 'group', 'mode', 'state', 'size'];

/**
 * A bounded poll loop, run on the host; once it holds, `after` (what the result needs: the
 * match, the file's attributes). It ends with the whole seconds it took, as the module's `elapsed`.
 */
function pollLoop(test: string, p: WaitForParams, negate: boolean, after: string[]): string {
  const cond = negate ? `! { ${test}; }` : test;
  const timeout = p.timeout ?? 300;
  const said = p.msg ?? timeoutMessage(p, negate);
  return [
    `start=$(date +%s%N); sleep ${p.delay ?? 0}; end=$(( $(date +%s) + ${timeout} ))`,
    `until ${cond}; do if [ $(date +%s) -ge $end ]; then printf '%s\\n' ${sh`${said}`} >&2; exit 1; fi; sleep ${p.sleep ?? 1}; done`,
    ...after,
    `echo "${ELAPSED}$(( ($(date +%s%N) - start) / 1000000000 ))"`,
  ].join('; ');
}

/** Python's MULTILINE pattern as grep -P (PCRE) takes it: `\Z` is PCRE's `\z`. */
const pcre = (pattern: string) => `(?m)${pattern.replace(/\\Z/g, '\\z')}`;

/** A shell line printing the first text `pattern` finds in `file`, whole-file (-z), in base64. */
const firstMatch = (pattern: string, file: string) =>
  `${sh`grep -zoP -- ${pcre(pattern)} ${file}`} | head -zn1 | tr -d '\\0' | base64 -w0`;

/** The groups of the text grep found, as the module registers them (a tuple and a dict, empty without groups). */
function groupsOf(pattern: string, text: string) {
  const m = pyRegex(pattern, { multiline: true }).exec(text);
  if (!m) return undefined;
  const groups = m.slice(1).map((g) => g ?? null);
  const named = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, v ?? null]));
  return { match_groups: groups, match_groupdict: named };
}

export const waitForModule = defineModule<WaitForParams>({
  name: 'wait_for',
  schema: {
    type: 'object',
    properties: {
      host: { type: 'string' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      path: { type: 'string' },
      search_regex: { type: 'string' },
      url: { type: 'string' },
      command: { type: 'string' },
      state: { enum: ['started', 'present', 'stopped', 'absent'] },
      timeout: { type: 'integer', minimum: 0 },
      delay: { type: 'integer', minimum: 0 },
      sleep: { type: 'number', minimum: 0 },
      msg: { type: 'string' },
      connect_timeout: { type: 'integer', minimum: 0 },
    },
    // none of them: the module only waits `timeout` seconds (a sleep, as Ansible's wait_for)
    not: {
      anyOf: [
        { required: ['port', 'path'] },
        { required: ['port', 'url'] },
        { required: ['path', 'url'] },
        { required: ['search_regex', 'url'] },
        { required: ['search_regex', 'command'] },
      ],
    },
    additionalProperties: false,
  },
  async plan(_ctx, p) {
    if (p.search_regex !== undefined) pyRegex(p.search_regex, { multiline: true });
    const negate = p.state === 'stopped' || p.state === 'absent';
    const regex = negate || (p.port === undefined && p.path === undefined) ? undefined : p.search_regex;
    const file = p.port === undefined && !negate ? p.path : undefined;
    const fileWait = file !== undefined;
    // the module keeps the groups of a match in a file, not of one from a port
    const fileRegex = fileWait ? regex : undefined;
    const result = {
      ...(fileWait
        ? Object.fromEntries(PATH_KEYS.map((k) => [k, new Unknown(`the attributes of ${p.path}`)]))
        : {}),
      state: fileWait ? new Unknown(`the attributes of ${p.path}`) : (p.state ?? 'started'),
      port: p.port ?? null,
      path: p.path ?? null,
      search_regex: p.search_regex ?? null,
      match_groups: fileRegex === undefined ? [] : new Unknown('the groups wait_for finds'),
      match_groupdict: fileRegex === undefined ? {} : new Unknown('the groups wait_for finds'),
      elapsed: new Unknown('the seconds wait_for waits'),
    };
    const outputResult = {
      keys: ['match_groups', 'match_groupdict', 'elapsed', ...(fileWait ? PATH_KEYS : [])],
      from(stdout: string) {
        const line = (tag: string) =>
          stdout
            .split('\n')
            .find((l) => l.startsWith(tag))
            ?.slice(tag.length);
        const found = line(MATCH);
        const text = found === undefined ? '' : Buffer.from(found, 'base64').toString('utf8');
        const groups = fileRegex === undefined ? undefined : groupsOf(fileRegex, text);
        return {
          match_groups: [],
          match_groupdict: {},
          ...groups,
          elapsed: Number(line(ELAPSED) ?? 0),
          ...pathInfo(stdout),
        };
      },
    };
    if ([p.port, p.path, p.url, p.command].every((v) => v === undefined)) {
      const seconds = (p.delay ?? 0) + (p.timeout ?? 300);
      const sleep: Action = { kind: 'exec', command: `sleep ${seconds}; echo "${ELAPSED}${seconds}"` };
      return { changes: [], waits: [sleep], message: `wait ${seconds} s`, result, outputResult };
    }
    let test: string;
    let what: string;
    if (p.port !== undefined) {
      const host = p.host ?? '127.0.0.1';
      // bash's /dev/tcp needs the address inside a path: it reaches bash as an argument ($1),
      // never as part of the script text, so no value of `host` can become a command. With a
      // regex, what the port sends is read line by line until a line matches (or it closes)
      test =
        regex === undefined
          ? sh`bash -c ${'(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null'} wait_for ${host} ${String(p.port)}`
          : `timeout $(( end - $(date +%s) + 1 )) ${sh`bash -c ${'exec 3<>"/dev/tcp/$1/$2" && grep -qm1 -P -- "$3" <&3'} wait_for ${host} ${String(p.port)} ${pcre(regex)}`} 2>/dev/null`;
      what = `port ${host}:${p.port}`;
    } else if (p.path !== undefined) {
      // the file's whole text is one record (-z), as the module searches it whole
      test =
        regex === undefined
          ? sh`test -e ${p.path}`
          : sh`test -e ${p.path} && grep -qzP -- ${pcre(regex)} ${p.path}`;
      what = `path ${p.path}`;
    } else if (p.url !== undefined) {
      test = sh`curl -fsk -o /dev/null --max-time 2 ${p.url}`;
      what = `url ${p.url}`;
    } else {
      test = `{ ${p.command}; } >/dev/null 2>&1`;
      what = `command ${p.command}`;
    }
    // its failure says what timed out, in the module's words (or `msg`)
    // what matched (base64), and the file's attributes, for the result
    const after =
      file === undefined
        ? []
        : [
            ...(fileRegex === undefined
              ? []
              : [`printf '${MATCH}%s\\n' "$(${firstMatch(fileRegex, file)})"`]),
            pathInfoCommand(sh`${file}`),
          ];
    const wait: Action = { kind: 'exec', command: pollLoop(test, p, negate, after), errorFromStderr: true };
    const up = regex === undefined ? 'up' : `there, with ${JSON.stringify(regex)}`;
    return {
      changes: [],
      waits: [wait],
      message: `wait for ${what} to be ${negate ? 'gone' : up}`,
      result,
      outputResult,
    };
  },
});
