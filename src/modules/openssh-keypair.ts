/**
 * community.crypto.openssh_keypair as the collection runs it with ssh-keygen (its opensshbin
 * backend, which `auto` picks wherever ssh-keygen is; ansible 12.0.0's collection,
 * module_utils/_openssh/backends/keypair_backend.py): one probe reads the private key's size,
 * type and fingerprint (`ssh-keygen -l`), its public key (`-y`) and the `.pub` file; a key is
 * generated when there is none or, by `regenerate`, when its type or size differ; a missing or
 * mismatched `.pub` is written again from the private key; mode, owner and group apply to both
 * files. A passphrase (the cryptography backend) and other private key formats are refused.
 */
import { sh } from '../transport/shell.ts';
import { attributeChanges, normalizeMode } from './content.ts';
import { type Change, defineModule } from './types.ts';

interface KeypairParams {
  path: string;
  state?: 'present' | 'absent';
  type?: 'rsa' | 'dsa' | 'rsa1' | 'ecdsa' | 'ed25519';
  size?: number;
  comment?: string;
  regenerate?: 'never' | 'fail' | 'partial_idempotence' | 'full_idempotence' | 'always';
  force?: boolean;
  backend?: 'auto' | 'opensshbin';
  private_key_format?: 'auto';
  mode?: string | number;
  owner?: string;
  group?: string;
}

/** The key size the module asks for: its default per type, or its failure. */
function keySize(type: string, size: number | undefined): number | string {
  if (type === 'rsa' || type === 'rsa1') {
    const bits = size ?? 4096;
    return bits < 1024
      ? 'For RSA keys, the minimum size is 1024 bits and the default is 4096 bits. Attempting to use bit lengths under 1024 will cause the module to fail.'
      : bits;
  }
  if (type === 'dsa')
    return (size ?? 1024) === 1024 ? 1024 : 'DSA keys must be exactly 1024 bits as specified by FIPS 186-2.';
  if (type === 'ecdsa')
    return [256, 384, 521].includes(size ?? 256)
      ? (size ?? 256)
      : 'For ECDSA keys, size determines the key length by selecting from one of three elliptic curve sizes: 256, 384 or 521 bits. Attempting to use bit lengths other than these three values for ECDSA keys will cause this module to fail.';
  return 256; // ed25519: the size given is ignored
}

const MARK = '@@quorum-keypair';

/** What is there: the private key as `-l` and `-y` read it, and the .pub file. */
const PROBE = (path: string) =>
  [
    sh`k=${path}`,
    `[ -d "$k" ] && echo ${MARK}dir`,
    `[ -d "$(dirname "$k")" ] || echo ${MARK}nobase`,
    `if [ -e "$k" ]; then echo ${MARK}l; ssh-keygen -l -f "$k" 2>&1; echo "@@rc $?"; echo ${MARK}y; ssh-keygen -P '' -y -f "$k" 2>&1; echo "@@rc $?"; fi`,
    `if [ -e "$k.pub" ]; then echo ${MARK}pub; cat "$k.pub"; echo; fi`,
    'true',
  ].join('\n');

interface Found {
  dir: boolean;
  noBase: boolean;
  /** ssh-keygen -l: size, fingerprint, type; undefined when there is no readable key. */
  key?: { size: number; fingerprint: string; type: string };
  privateExists: boolean;
  readable: boolean;
  /** ssh-keygen -y: the key's public half, with the comment the key holds. */
  publicOfKey?: { type: string; data: string; comment: string };
  pub?: { type: string; data: string; comment: string };
}

function parse(stdout: string): Found {
  const sections = new Map<string, string>();
  for (const part of stdout.split(MARK).slice(1)) {
    const nl = part.indexOf('\n');
    sections.set(nl < 0 ? part : part.slice(0, nl), nl < 0 ? '' : part.slice(nl + 1));
  }
  const withRc = (s: string | undefined) => {
    const m = /([\s\S]*?)@@rc (\d+)\s*$/.exec(s ?? '');
    return m ? { text: m[1], rc: Number(m[2]) } : undefined;
  };
  const l = withRc(sections.get('l'));
  const y = withRc(sections.get('y'));
  const f: Found = {
    dir: sections.has('dir'),
    noBase: sections.has('nobase'),
    privateExists: sections.has('l'),
    readable: false,
  };
  if (l?.rc === 0) {
    const words = l.text.trim().split(/\s+/);
    f.key = { size: Number(words[0]), fingerprint: words[1], type: words.at(-1)!.slice(1, -1).toLowerCase() };
  }
  if (y) {
    f.readable = !(
      y.rc === 255 ||
      ['is not a public key file', 'incorrect passphrase', 'load failed'].some((s) => y.text.includes(s))
    );
    const [type, data, ...comment] = y.text.trim().split(' ');
    if (y.rc === 0) f.publicOfKey = { type, data, comment: comment.join(' ') };
  }
  const pub = sections.get('pub');
  if (pub !== undefined) {
    const words = pub.replace(/^[ \n]+|[ \n]+$/g, '').split(' ');
    if (words.length >= 2) f.pub = { type: words[0], data: words[1], comment: words.slice(2).join(' ') };
  }
  return f;
}

export const opensshKeypairModule = defineModule<KeypairParams>({
  name: 'openssh_keypair',
  aliases: ['community.crypto.openssh_keypair'],
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1 },
      state: { enum: ['present', 'absent'] },
      type: { enum: ['rsa', 'dsa', 'rsa1', 'ecdsa', 'ed25519'] },
      size: { type: 'integer' },
      comment: { type: 'string' },
      regenerate: { enum: ['never', 'fail', 'partial_idempotence', 'full_idempotence', 'always'] },
      force: { type: 'boolean' },
      backend: { enum: ['auto', 'opensshbin'] },
      private_key_format: { enum: ['auto'] },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const path = p.path;
    const type = p.type ?? 'rsa';
    const size = keySize(type, p.size);
    if (typeof size === 'string') return { changes: [], failed: size, failedOnInput: true };
    const found = parse((await ctx.probe(PROBE(path))).stdout);
    if (found.noBase)
      return {
        changes: [],
        failed: `The directory ${path.slice(0, path.lastIndexOf('/')) || '.'} does not exist or the file is not a directory`,
      };
    if (found.dir) return { changes: [], failed: `${path} is a directory. Please specify a path to a file.` };
    const both = [path, `${path}.pub`];
    if (p.state === 'absent') {
      const there = found.privateExists || found.pub !== undefined;
      return {
        changes: there
          ? [{ summary: `remove ${both.join(', ')}`, action: { kind: 'exec', command: sh`rm -f ${both}` } }]
          : [],
        result: registered(path, type, size, found.key?.fingerprint, found.pub),
      };
    }
    const regenerate = p.force ? 'always' : (p.regenerate ?? 'partial_idempotence');
    const original = found.key;
    if (
      found.privateExists &&
      ['never', 'fail', 'partial_idempotence'].includes(regenerate) &&
      (!original || !found.readable)
    )
      return {
        changes: [],
        failed:
          'Unable to read the key. The key is protected with a passphrase or broken. Will not proceed. To force regeneration, call the module with `generate` set to `full_idempotence` or `always`, or with `force=true`.',
      };
    const valid = original !== undefined && original.size === size && original.type === type;
    if (original && regenerate === 'fail' && !valid)
      return {
        changes: [],
        failed:
          'Key has wrong type and/or size. Will not proceed. To force regeneration, call the module with `generate` set to `partial_idempotence`, `full_idempotence` or `always`, or with `force=true`.',
      };
    const generate =
      !original || regenerate === 'always' || (regenerate !== 'never' && regenerate !== 'fail' && !valid);
    const attrs = { mode: p.mode, owner: p.owner, group: p.group };
    const chmod = [
      ...(p.mode !== undefined ? [sh`chmod ${normalizeMode(p.mode) ?? ''} ${both}`] : []),
      ...(p.owner ? [sh`chown ${p.owner} ${both}`] : []),
      ...(p.group ? [sh`chgrp ${p.group} ${both}`] : []),
    ];
    const describe = sh`ssh-keygen -l -f ${path}; echo; cat ${`${path}.pub`}`;
    const outputResult = {
      keys: ['fingerprint', 'public_key', 'comment'],
      from: (out: string) => resultOf(path, type, size, out),
    };
    if (generate) {
      // as the module: made beside, then moved over both files; ssh-keygen's own modes until mode says
      const tmp = `${path}.quorum-new`;
      const command = [
        sh`rm -f ${[tmp, `${tmp}.pub`]}`,
        sh`ssh-keygen -q -N '' -b ${String(size)} -t ${type} -f ${tmp} -C ${p.comment ?? ''} </dev/null`,
        sh`mv -f ${tmp} ${path} && mv -f ${`${tmp}.pub`} ${`${path}.pub`}`,
        ...chmod,
        describe,
      ].join(' && ');
      return {
        changes: [
          { summary: `generate a ${type} key of ${size} bits at ${path}`, action: { kind: 'exec', command } },
        ],
        result: registered(path, type, size, undefined, undefined),
        outputResult,
      };
    }
    const changes: Change[] = [];
    const pubOk =
      found.pub !== undefined &&
      found.publicOfKey !== undefined &&
      found.pub.type === found.publicOfKey.type &&
      found.pub.data === found.publicOfKey.data &&
      (p.comment === undefined || found.pub.comment === p.comment);
    if (!pubOk) {
      const write = sh`m=$(stat -c %a ${`${path}.pub`} 2>/dev/null || echo 644); ssh-keygen -P '' -y -f ${path} > ${`${path}.pub`}.quorum && chmod "$m" ${`${path}.pub`}.quorum && mv -f ${`${path}.pub`}.quorum ${`${path}.pub`}`;
      const comment = p.comment ? ` && ${sh`ssh-keygen -q -c -C ${p.comment} -f ${path}`}` : '';
      changes.push({
        summary: `write ${path}.pub from the private key`,
        action: { kind: 'exec', command: `${write}${comment}` },
      });
    }
    if (changes.length)
      changes.push(
        ...chmod.map((command) => ({
          summary: 'mode, owner and group of both files',
          action: { kind: 'exec' as const, command },
        })),
      );
    else for (const file of both) changes.push(...attributeChanges(file, await ctx.probePath(file), attrs));
    // the .pub as it is, or as it is written again from the key (the comment given, else the key's)
    const pubAfter = pubOk
      ? found.pub
      : found.publicOfKey && { ...found.publicOfKey, comment: p.comment ?? found.publicOfKey.comment };
    const now = registered(path, type, size, original?.fingerprint, pubAfter);
    return { changes, result: now };
  },
});

/** What the module registers: the asked type and size, the key's fingerprint, the .pub's key and comment. */
function registered(
  path: string,
  type: string,
  size: number,
  fingerprint: string | undefined,
  pub: { type: string; data: string; comment: string } | undefined,
): Record<string, unknown> {
  return {
    size,
    type,
    filename: path,
    fingerprint: fingerprint ?? '',
    public_key: pub ? `${pub.type} ${pub.data}` : '',
    comment: pub?.comment ?? '',
  };
}

/** The same after a key was made, from `ssh-keygen -l` and the .pub file the action prints. */
function resultOf(path: string, type: string, size: number, out: string): Record<string, unknown> {
  const [l = '', pub = ''] = out.split('\n\n');
  const [ptype, data, ...comment] = pub.replace(/^[ \n]+|[ \n]+$/g, '').split(' ');
  const pubAfter = data === undefined ? undefined : { type: ptype, data, comment: comment.join(' ') };
  return registered(path, type, size, l.trim().split(/\s+/)[1], pubAfter);
}
