/** `mount` (ansible.posix.mount): an /etc/fstab entry, and whether it is mounted now. */
import { sh } from '../transport/shell.ts';
import { type Change, defineModule } from './types.ts';

interface MountParams {
  path: string;
  src?: string;
  fstype?: string;
  opts?: string;
  dump?: number | string;
  passno?: number | string;
  state: 'mounted' | 'present' | 'unmounted' | 'absent' | 'remounted';
  fstab?: string;
}

/** fstab writes a space as \040 */
const field = (s: string) => s.replace(/ /g, '\\040');
const exec = (summary: string, command: string): Change => ({ summary, action: { kind: 'exec', command } });

export function fstabLine(p: MountParams): string {
  return [
    field(p.src ?? ''),
    field(p.path),
    p.fstype ?? '',
    p.opts ?? 'defaults',
    String(p.dump ?? 0),
    String(p.passno ?? 0),
  ].join('\t');
}

export const mountModule = defineModule<MountParams>({
  name: 'mount',
  aliases: ['ansible.posix.mount'],
  paramAliases: { name: 'path' },
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1 },
      src: { type: 'string' },
      fstype: { type: 'string' },
      opts: { type: 'string' },
      dump: { type: ['integer', 'string'] },
      passno: { type: ['integer', 'string'] },
      state: { enum: ['mounted', 'present', 'unmounted', 'absent', 'remounted'] },
      fstab: { type: 'string' },
    },
    required: ['path', 'state'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const fstab = p.fstab ?? '/etc/fstab';
    const wantsEntry = p.state === 'mounted' || p.state === 'present';
    if (wantsEntry && (!p.src || !p.fstype))
      return { changes: [], failed: `state=${p.state} needs src and fstype` };
    const r = await ctx.probe(
      `awk -v p=${sh`${field(p.path)}`} '$1 !~ /^#/ && $2 == p' ${sh`${fstab}`} 2>/dev/null; echo "--"; findmnt -n -o SOURCE --mountpoint ${sh`${p.path}`} 2>/dev/null || true`,
    );
    const [entries, mounted] = r.stdout.split('--\n');
    const current = entries.trim().split('\n').filter(Boolean);
    const isMounted = (mounted ?? '').trim() !== '';
    const changes: Change[] = [];
    const line = wantsEntry ? fstabLine(p) : '';
    const same = current.length === 1 && current[0].split(/\s+/).join('\t') === line;
    const drop = sh`awk -v p=${field(p.path)} '!($1 !~ /^#/ && $2 == p)' ${fstab} > ${`${fstab}.quorum`} && cat ${`${fstab}.quorum`} > ${fstab} && rm -f ${`${fstab}.quorum`}`;
    if (wantsEntry && !same)
      changes.push(
        exec(
          `fstab entry for ${p.path}`,
          `${current.length ? `${drop} && ` : ''}printf '%s\\n' ${sh`${line}`} >> ${sh`${fstab}`}`,
        ),
      );
    if (p.state === 'absent' && current.length)
      changes.push(exec(`remove the fstab entry for ${p.path}`, drop));
    // swap has no mount point to mount
    const mountable = p.fstype !== 'swap' && p.path !== 'none';
    if (mountable && p.state === 'mounted' && !isMounted)
      changes.push(exec(`mount ${p.path}`, sh`mkdir -p ${p.path} && mount ${p.path}`));
    if (mountable && p.state === 'mounted' && isMounted && !same && current.length)
      changes.push(exec(`remount ${p.path}`, sh`mount -o remount ${p.path}`));
    if (mountable && (p.state === 'unmounted' || p.state === 'absent') && isMounted)
      changes.push(exec(`unmount ${p.path}`, sh`umount ${p.path}`));
    if (p.state === 'remounted' && isMounted)
      changes.push(exec(`remount ${p.path}`, sh`mount -o remount ${p.path}`));
    return { changes };
  },
});
