/**
 * `community.general.filesystem`: a filesystem made on a device (or an image file), as the
 * collection's module decides it (plugins/modules/filesystem.py, community.general 11): `blkid -c
 * /dev/null -o value -s TYPE` says what is there; the same type is left alone, another one is
 * refused without `force`, nothing is made with mkfs and the module's flags; `resizefs` grows an
 * ext filesystem to its device with resize2fs, `uuid` sets an ext filesystem's UUID; `state:
 * absent` wipes signatures (wipefs --all). Types whose mkfs flags depend on the tool's version
 * (btrfs, f2fs) or whose resize needs a mount are refused before any host is touched.
 */
import { sh } from '../transport/shell.ts';
import { requiredBin } from './bin-path.ts';
import { type Change, defineModule, type ModuleOutcome, type ProbeContext } from './types.ts';

interface FilesystemParams {
  dev: string;
  fstype?: string;
  state?: 'present' | 'absent';
  opts?: string;
  force?: boolean;
  resizefs?: boolean;
  uuid?: string;
}

/** The module's class of each type (its name is what messages call it), mkfs and mkfs's force flags. */
interface Kind {
  name: string;
  mkfs: string;
  force: string[];
  /** mkfs's options that set a UUID (the first is used), then what goes with it. */
  uuidAtMkfs?: { options: string[]; extra: string[] };
  ext?: true;
}

const EXT = (n: number): Kind => ({
  name: `Ext${n}`,
  mkfs: `mkfs.ext${n}`,
  force: ['-F'],
  uuidAtMkfs: { options: ['-U'], extra: [] },
  ext: true,
});

/** By blkid's TYPE (the module's FILESYSTEMS): the types quorum makes. */
const KINDS: Record<string, Kind> = {
  ext2: EXT(2),
  ext3: EXT(3),
  ext4: EXT(4),
  ext4dev: EXT(4),
  xfs: { name: 'XFS', mkfs: 'mkfs.xfs', force: ['-f'] },
  reiserfs: { name: 'Reiserfs', mkfs: 'mkfs.reiserfs', force: ['-q'] },
  ocfs2: { name: 'Ocfs2', mkfs: 'mkfs.ocfs2', force: ['-Fx'] },
  vfat: { name: 'VFAT', mkfs: 'mkfs.vfat', force: [] },
  LVM2_member: {
    name: 'LVM',
    mkfs: 'pvcreate',
    force: ['-f'],
    uuidAtMkfs: { options: ['-u', '--uuid'], extra: ['--norestorefile'] },
  },
  swap: { name: 'Swap', mkfs: 'mkswap', force: ['-f'] },
};

/** The module's other types: known to it, not made by quorum (version-dependent flags, another OS). */
const REFUSED = ['btrfs', 'f2fs', 'bcachefs', 'ufs'];

const kindOf = (fstype: string) => KINDS[fstype === 'lvm' ? 'LVM2_member' : fstype];

export const filesystemModule = defineModule<FilesystemParams>({
  name: 'filesystem',
  aliases: ['community.general.filesystem'],
  paramAliases: { type: 'fstype', device: 'dev' },
  schema: {
    type: 'object',
    properties: {
      dev: { type: 'string', minLength: 1 },
      fstype: { enum: ['lvm', ...Object.keys(KINDS).filter((k) => k !== 'LVM2_member'), ...REFUSED] },
      state: { enum: ['present', 'absent'] },
      opts: { type: 'string' },
      force: { type: 'boolean' },
      resizefs: { type: 'boolean' },
      uuid: { type: 'string' },
    },
    required: ['dev'],
    additionalProperties: false,
  },
  check(p) {
    const fstype = p.fstype;
    if (fstype === undefined || fstype.includes('{{')) return [];
    if (REFUSED.includes(fstype))
      return [
        `fstype ${fstype}: quorum makes ${Object.keys(KINDS).join(', ')} and lvm (its mkfs flags depend on the tool's version)`,
      ];
    if (p.resizefs === true && !kindOf(fstype)?.ext)
      return [
        `resizefs on ${fstype}: quorum grows ext2, ext3 and ext4 (the others need a mount or another tool)`,
      ];
    if (p.uuid !== undefined && !kindOf(fstype)?.uuidAtMkfs)
      return [`uuid on ${fstype}: quorum sets the UUID of ext2, ext3, ext4 and lvm`];
    return [];
  },
  async plan(ctx, p) {
    const state = p.state ?? 'present';
    if (state === 'present' && p.fstype === undefined)
      return {
        changes: [],
        failed: 'state is present but all of the following are missing: fstype',
        failedOnInput: true,
      };
    if (p.resizefs && p.uuid !== undefined)
      return { changes: [], failed: 'parameters are mutually exclusive: resizefs|uuid', failedOnInput: true };
    const dev = p.dev;
    const blkid = (b: string) => `${b} -c /dev/null -o value -s TYPE "$d"`;
    const r = await ctx.probe(
      `d=${sh`${dev}`}; [ -e "$d" ] || { echo absent; exit 0; }; ` +
        requiredBin(
          'blkid',
          (b) =>
            `c=0; o=$(${blkid(b)} 2>/dev/null) || c=$?; e=$(${blkid(b)} 2>&1 >/dev/null); ` +
            `echo "rc $c"; printf %s "$o" | base64 -w0; echo; printf %s "$e" | base64 -w0`,
        ),
    );
    if (r.code !== 0)
      return { changes: [], failed: r.stderr.trim().split('\n').at(-1) ?? `blkid failed (exit ${r.code})` };
    if (r.stdout.startsWith('absent')) {
      const msg = `Device ${dev} not found.`;
      return state === 'present' ? { changes: [], failed: msg } : { changes: [], result: { msg } };
    }
    const [head, typeB64 = '', errB64 = ''] = r.stdout.split('\n');
    const rc = Number(head.replace('rc ', ''));
    const [fs, err] = [typeB64, errB64].map((b) => Buffer.from(b, 'base64').toString('utf8'));
    // blkid's answer as the module reads it (raw_fs.strip())
    const fsType = fs.trim();
    const run = (summary: string, command: string): Change => ({
      summary,
      action: { kind: 'exec', command, errorFromStderr: true },
    });
    if (state === 'absent')
      return {
        changes: fsType
          ? [
              run(
                `wipe the signatures on ${dev}`,
                requiredBin('wipefs', (b) => `${b} --all ${sh`${dev}`}`),
              ),
            ]
          : [],
        result: {},
      };
    const kind = kindOf(p.fstype!);
    const sameFs = fsType !== '' && KINDS[fsType] !== undefined && KINDS[fsType] === kind;
    if (sameFs && !p.resizefs && p.uuid === undefined && !p.force) return { changes: [], result: {} };
    if (sameFs && p.resizefs) return grow(ctx, dev, kind);
    if (sameFs && p.uuid !== undefined)
      // the module sets it again at every run (its check mode reports no change: it returns
      // `change`, not `changed`); quorum's check run predicts the change the run makes
      return {
        changes: [
          run(
            `set the UUID of ${dev}`,
            requiredBin('tune2fs', (b) => `${b} -U ${sh`${p.uuid!}`} ${sh`${dev}`}`),
          ),
        ],
        outputResult: { keys: [], from: (stdout) => ({ msg: stdout }) },
      };
    if (fsType && !p.force)
      return {
        changes: [],
        failed: `'${dev}' is already used as ${fsType}, use force=true to overwrite`,
        result: { rc, err },
      };
    const opts = p.opts === undefined ? [] : p.opts.split(/\s+/).filter(Boolean);
    if (p.uuid !== undefined && kind.uuidAtMkfs && !kind.uuidAtMkfs.options.some((o) => opts.includes(o)))
      opts.push(kind.uuidAtMkfs.options[0], p.uuid, ...kind.uuidAtMkfs.extra);
    const words = [...kind.force, ...opts, dev];
    return {
      changes: [
        run(
          `make ${p.fstype} on ${dev}`,
          requiredBin(kind.mkfs, (b) => `${b} ${sh`${words}`}`),
        ),
      ],
      result: {},
    };
  },
});

/** resize2fs when the filesystem is smaller than its device (Ext.get_fs_size: block count x block size). */
async function grow(ctx: ProbeContext, dev: string, kind: Kind): Promise<ModuleOutcome> {
  const r = await ctx.probe(
    `d=${sh`${dev}`}; if [ -b "$d" ]; then blockdev --getsize64 "$d"; else stat -c %s "$d"; fi; ` +
      requiredBin('tune2fs', (b) => `LANG=C LC_ALL=C ${b} -l "$d"`),
  );
  if (r.code !== 0) return { changes: [], failed: r.stderr.trim().split('\n').at(-1) ?? 'tune2fs failed' };
  const [size, ...info] = r.stdout.split('\n');
  const field = (name: string) =>
    info
      .find((l) => l.includes(`${name}:`))
      ?.split(':')[1]
      ?.trim();
  const [count, block] = [field('Block count'), field('Block size')].map(Number);
  if (!Number.isFinite(count) || !Number.isFinite(block))
    return { changes: [], failed: `unable to process tune2fs output for ${dev}` };
  if (!(count * block < Number(size)))
    return { changes: [], result: { msg: `${kind.name} filesystem is using the whole device ${dev}` } };
  return {
    changes: [
      {
        summary: `grow the ${kind.name} filesystem on ${dev} to its device`,
        action: {
          kind: 'exec' as const,
          command: requiredBin('resize2fs', (b) => `${b} ${sh`${dev}`}`),
          errorFromStderr: true,
        },
      },
    ],
    result: { msg: `resizing filesystem ${kind.name} on device ${dev}` },
    outputResult: { keys: [], from: (stdout: string) => ({ msg: stdout }) },
  };
}
