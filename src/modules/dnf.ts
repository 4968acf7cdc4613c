/** `dnf`/`yum` (and `package` on hosts with dnf): rpm's view of the packages, dnf's transactions. */
import { sh } from '../transport/shell.ts';
import { namesOf, type PackageParams } from './package-params.ts';
import type { Change, ProbeContext } from './types.ts';

/** dnf's options for this transaction: repositories, plugins, exclusions, how it resolves. */
const repoFlags = (p: PackageParams) => [
  ...[p.enablerepo ?? []].flat().map((r) => `--enablerepo=${r}`),
  ...[p.disablerepo ?? []].flat().map((r) => `--disablerepo=${r}`),
  ...[p.enable_plugin ?? []].flat().map((r) => `--enableplugin=${r}`),
  ...[p.disable_plugin ?? []].flat().map((r) => `--disableplugin=${r}`),
  ...[p.exclude ?? []].flat().map((r) => `--exclude=${r}`),
  ...(p.nobest ? ['--nobest'] : []),
  ...(p.skip_broken ? ['--skip-broken'] : []),
  ...(p.allowerasing ? ['--allowerasing'] : []),
  ...(p.disable_gpg_check ? ['--nogpgcheck'] : []),
];

export const DNF_ONLY = [
  'enablerepo',
  'disablerepo',
  'enable_plugin',
  'disable_plugin',
  'exclude',
  'nobest',
  'skip_broken',
  'allowerasing',
  'disable_gpg_check',
  'bugfix',
  'security',
] as const;

export async function planDnf(ctx: ProbeContext, p: PackageParams): Promise<Change[]> {
  const names = namesOf(p);
  if (names.length === 0) return [];
  const state =
    p.state === 'installed' ? 'present' : p.state === 'removed' ? 'absent' : (p.state ?? 'present');
  const advisories = [...(p.bugfix ? ['--bugfix'] : []), ...(p.security ? ['--security'] : [])];
  if (names.includes('*')) {
    // `*` with latest: every installed package upgraded (dnf upgrade), as Ansible's dnf
    if (state !== 'latest' || names.length > 1)
      throw new Error("dnf: name '*' is taken only alone, with state latest");
    const all = await ctx.probe(
      `dnf -q check-update ${sh`${[...repoFlags(p), ...advisories]}`} >/dev/null 2>&1; echo $?`,
    );
    if (all.stdout.trim() !== '100') return [];
    const command = `dnf upgrade -y -q ${sh`${[...repoFlags(p), ...advisories]}`}`;
    return [{ summary: 'upgrade every package', action: { kind: 'exec', command } }];
  }
  const r = await ctx.probe(
    `rpm -q --qf '%{NAME}\\n' ${sh`${names}`} 2>/dev/null | grep -v 'is not installed' || true`,
  );
  const installed = new Set(r.stdout.split('\n').filter(Boolean));
  if (state === 'present') {
    const missing = names.filter((n) => !installed.has(n));
    return missing.length
      ? [
          {
            summary: `install ${missing.join(', ')}`,
            action: { kind: 'exec', command: `dnf install -y -q ${sh`${repoFlags(p)}`} ${sh`${missing}`}` },
          },
        ]
      : [];
  }
  if (state === 'absent') {
    const present = names.filter((n) => installed.has(n));
    return present.length
      ? [
          {
            summary: `remove ${present.join(', ')}`,
            action: { kind: 'exec', command: `dnf remove -y -q ${sh`${repoFlags(p)}`} ${sh`${present}`}` },
          },
        ]
      : [];
  }
  const upd = await ctx.probe(
    `dnf -q check-update ${sh`${[...repoFlags(p), ...advisories]}`} ${sh`${names}`} >/dev/null 2>&1; echo $?`,
  );
  const missing = names.filter((n) => !installed.has(n));
  if (missing.length || upd.stdout.trim() === '100') {
    return [
      {
        summary: `install the latest ${names.join(', ')}`,
        action: {
          kind: 'exec',
          command: `dnf install -y -q ${sh`${[...repoFlags(p), ...advisories]}`} ${sh`${names}`}`,
        },
      },
    ];
  }
  return [];
}
