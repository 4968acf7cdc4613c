/**
 * `apt_key`: a key in apt's keyring (or `keyring`) through apt-key, as ansible-core 2.19's module
 * adds one: from `url`, `data`, `file` or, with `id`, a `keyserver` (`apt-key adv --recv`, its
 * failures in the module's words); present when apt-key lists its id, and checked again after
 * it is added. apt-key is Debian 12's and Ubuntu's (Debian 13 has none, as 2.19 then fails too).
 */
import { sh } from '../transport/shell.ts';
import { defineModule } from './types.ts';

interface AptKeyParams {
  url?: string;
  data?: string;
  file?: string;
  id?: string;
  keyring?: string;
  keyserver?: string;
  validate_certs?: boolean;
  state?: 'present' | 'absent';
}

const SOURCES = ['data', 'file', 'keyserver', 'url'] as const;
/** The module's message when apt-key exits 0 yet does not list the key. */
const NOT_ADDED =
  'apt-key did not return an error, but failed to add the key (check that the id is correct and *not* a subkey)';

export const aptKeyModule = defineModule<AptKeyParams>({
  name: 'apt_key',
  schema: {
    type: 'object',
    properties: {
      url: { type: 'string' },
      data: { type: 'string' },
      file: { type: 'string' },
      id: { type: 'string', pattern: '^(0x)?[0-9A-Fa-f]{8,40}$' },
      keyring: { type: 'string' },
      keyserver: { type: 'string', minLength: 1 },
      validate_certs: { type: 'boolean' },
      state: { enum: ['present', 'absent'] },
    },
    additionalProperties: false,
  },
  check(p) {
    const given = SOURCES.filter((k) => p[k] !== undefined);
    if (given.length > 1) return [`parameters are mutually exclusive: ${SOURCES.join('|')}`];
    if (p.keyserver && !p.id) return ['Missing key_id, required with keyserver.'];
    return given.length || (p.id && p.state === 'absent')
      ? []
      : ['apt_key needs url, data, file or keyserver'];
  },
  async plan(ctx, p) {
    const keyring = p.keyring ? sh`--keyring ${p.keyring}` : '';
    const curl = p.validate_certs === false ? 'curl -kfsSL' : 'curl -fsSL';
    const read = p.url
      ? `${curl} ${sh`${p.url}`}`
      : p.file
        ? sh`cat ${p.file}`
        : sh`printf %s ${p.data ?? ''}`;
    const wanted = p.id?.replace(/^0x/, '').toUpperCase();
    const listed = (id: string) => `apt-key ${keyring} list --with-colons 2>/dev/null | grep -qi ${id}`;
    // the id from the key itself unless given; present when apt-key lists it
    const r = await ctx.probe(
      `id=${wanted ? sh`${wanted}` : `$(${read} | gpg --with-colons --show-keys 2>/dev/null | awk -F: '$1=="pub" {print $5; exit}')`}; [ -n "$id" ] || exit 3; echo "$id"; ${listed('"$id"')} && echo installed || echo absent`,
    );
    if (r.code !== 0) return { changes: [], failed: `cannot read the key (exit ${r.code})` };
    const [id, status] = r.stdout.trim().split('\n');
    if ((p.state ?? 'present') === 'absent')
      return {
        changes:
          status === 'installed'
            ? [
                {
                  summary: `remove key ${id}`,
                  action: { kind: 'exec', command: `apt-key ${keyring} del ${sh`${id}`}` },
                },
              ]
            : [],
      };
    if (status === 'installed') return { changes: [] };
    const add = p.keyserver ? recv(keyring, p.keyserver, id) : `${read} | apt-key ${keyring} add -`;
    return {
      changes: [
        {
          summary: p.keyserver ? `add key ${id} from ${p.keyserver}` : `add key ${id}`,
          action: {
            kind: 'exec',
            command: `${add} && { ${listed(sh`${id}`)} || { echo ${sh`${NOT_ADDED}`} >&2; exit 1; }; }`,
            errorFromStderr: true,
          },
        },
      ],
    };
  },
});

/** `apt-key adv --recv` from the keyserver; a failure ends with the module's own message. */
function recv(keyring: string, keyserver: string, id: string): string {
  const notFound = `Key ${id} not found on keyserver ${keyserver}`;
  const failed = `Error fetching key ${id} from keyserver: ${keyserver}`;
  return [
    `{ out=$(LANG=C LC_ALL=C LC_MESSAGES=C LANGUAGE=C apt-key ${keyring} adv --no-tty --keyserver ${sh`${keyserver}`} --recv ${sh`${id}`} 2>&1); rc=$?;`,
    `[ $rc -eq 0 ] || { printf '%s\\n' "$out" >&2;`,
    `if [ $rc -eq 2 ] && printf %s "$out" | grep -q 'not found on keyserver'; then echo ${sh`${notFound}`} >&2; else echo ${sh`${failed}`} >&2; fi; exit 1; }; }`,
  ].join(' ');
}
