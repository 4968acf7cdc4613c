/** `get_url` (download with a checksum) and `wait_for` (port, path, http, command; with a timeout). */
import { sh } from '../transport/shell.ts';
import { attributeChanges, normalizeMode } from './content.ts';
import { type Action, defineModule } from './types.ts';

export interface GetUrlParams {
  url: string;
  dest: string;
  checksum?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  force?: boolean;
}

export const getUrlModule = defineModule<GetUrlParams>({
  name: 'get_url',
  schema: {
    type: 'object',
    properties: {
      url: { type: 'string', pattern: '^(https?|ftp|file)://' },
      dest: { type: 'string', minLength: 1 },
      checksum: { type: 'string', pattern: '^sha256:[0-9a-fA-F]{64}$' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      force: { type: 'boolean' },
    },
    required: ['url', 'dest'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const want = p.checksum?.slice('sha256:'.length).toLowerCase();
    const attrs = { mode: p.mode, owner: p.owner, group: p.group };
    const r = await ctx.probe(sh`if [ -f ${p.dest} ]; then sha256sum ${p.dest}; else echo absent; fi`);
    const have = r.stdout.trim() === 'absent' ? undefined : r.stdout.split(' ')[0];
    // as Ansible's get_url: a file that is already right still gets its mode and owner
    if (have && (want ? have === want : !p.force))
      return { changes: attributeChanges(p.dest, await ctx.probePath(p.dest), attrs) };
    const tmp = `${p.dest}.quorum-download`;
    const verify = want ? ` && echo ${sh`${`${want}  ${tmp}`}`} | sha256sum -c --quiet -` : '';
    const mode = normalizeMode(p.mode);
    const chmod = mode ? sh` && chmod ${mode} ${tmp}` : '';
    const owner = p.owner || p.group ? `${p.owner ?? ''}${p.group ? `:${p.group}` : ''}` : '';
    const chown = owner ? sh` && chown ${owner} ${tmp}` : '';
    const fetch = sh`(curl -fsSL -o ${tmp} ${p.url} || wget -q -O ${tmp} ${p.url})`;
    return {
      changes: [
        {
          summary: `download ${p.url} to ${p.dest}${have ? ` (checksum ${have.slice(0, 12)}... differs)` : ''}`,
          action: {
            kind: 'exec',
            command: `${fetch}${verify}${chmod}${chown} && mv -f ${sh`${tmp} ${p.dest}`} || { rm -f ${sh`${tmp}`}; exit 1; }`,
          },
        },
      ],
    };
  },
});

export interface WaitForParams {
  host?: string;
  port?: number;
  path?: string;
  url?: string;
  command?: string;
  state?: 'started' | 'present' | 'stopped' | 'absent';
  timeout?: number;
  delay?: number;
}

/** A bounded poll loop, run on the host: it only reads, so it is a wait, never a change. */
function pollLoop(test: string, timeout: number, delay: number, negate: boolean): string {
  const cond = negate ? `! { ${test}; }` : test;
  return `sleep ${delay}; end=$(( $(date +%s) + ${timeout} )); until ${cond}; do if [ $(date +%s) -ge $end ]; then echo "timed out after ${timeout}s" >&2; exit 1; fi; sleep 0.5; done`;
}

export const waitForModule = defineModule<WaitForParams>({
  name: 'wait_for',
  schema: {
    type: 'object',
    properties: {
      host: { type: 'string' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      path: { type: 'string' },
      url: { type: 'string' },
      command: { type: 'string' },
      state: { enum: ['started', 'present', 'stopped', 'absent'] },
      timeout: { type: 'integer', minimum: 0 },
      delay: { type: 'integer', minimum: 0 },
    },
    oneOf: [{ required: ['port'] }, { required: ['path'] }, { required: ['url'] }, { required: ['command'] }],
    additionalProperties: false,
  },
  async plan(_ctx, p) {
    const negate = p.state === 'stopped' || p.state === 'absent';
    let test: string;
    let what: string;
    if (p.port !== undefined) {
      const host = p.host ?? '127.0.0.1';
      // bash's /dev/tcp needs the address inside a path: it reaches bash as an argument ($1),
      // never as part of the script text, so no value of `host` can become a command
      test = sh`bash -c ${'(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null'} wait_for ${host} ${String(p.port)}`;
      what = `port ${host}:${p.port}`;
    } else if (p.path !== undefined) {
      test = sh`test -e ${p.path}`;
      what = `path ${p.path}`;
    } else if (p.url !== undefined) {
      test = sh`curl -fsk -o /dev/null --max-time 2 ${p.url}`;
      what = `url ${p.url}`;
    } else {
      test = `{ ${p.command}; } >/dev/null 2>&1`;
      what = `command ${p.command}`;
    }
    const wait: Action = { kind: 'exec', command: pollLoop(test, p.timeout ?? 300, p.delay ?? 0, negate) };
    return { changes: [], waits: [wait], message: `wait for ${what} to be ${negate ? 'gone' : 'up'}` };
  },
});
