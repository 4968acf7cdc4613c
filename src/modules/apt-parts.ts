/**
 * The parts of apt the package module runs through: its probe of installed and auto-installed
 * packages, the cache refresh Ansible's apt would call a change, cleanups, and policy-rc.d.
 */
import { sh } from '../transport/shell.ts';
import type { Change, ProbeContext } from './types.ts';

/** The package module's apt parameters these parts read. */
interface AptOptions {
  purge?: boolean;
  autoremove?: boolean;
  autoclean?: boolean;
  policy_rc_d?: number;
}

export const APT_ENV = 'DEBIAN_FRONTEND=noninteractive';
/** Another apt or dpkg (unattended-upgrades, a second run) holds the lock: wait for it, bounded. */
export const APT_LOCK = '-o DPkg::Lock::Timeout=120';

const AUTO_MARK = '--auto-installed--';

/**
 * apt-get under a /usr/sbin/policy-rc.d that exits with `policy_rc_d` (as Ansible's PolicyRcD: a
 * policy-rc.d already there is put back afterwards, else the file is removed).
 */
export function withPolicyRcD(p: AptOptions, command: string): string {
  if (p.policy_rc_d === undefined) return command;
  return [
    'f=/usr/sbin/policy-rc.d; b=',
    'if [ -e $f ]; then b=$(mktemp); cp -p $f "$b"; fi',
    `printf '#!/bin/sh\\nexit %d\\n' ${p.policy_rc_d} > $f && chmod 0755 $f`,
    command,
    'rc=$?',
    'if [ -n "$b" ]; then mv "$b" $f; else rm -f $f; fi',
    'exit $rc',
  ].join('\n');
}

export const CACHE_UNCHANGED = 'quorum: apt cache time unchanged';
/**
 * apt-get update, said unchanged when the time Ansible's apt reads (update-success-stamp if it
 * exists, else the lists folder) did not move; then the stamp is touched, so that
 * cache_valid_time counts from this refresh.
 */
export const REFRESH = [
  'stamp=/var/lib/apt/periodic/update-success-stamp',
  't() { if [ -e $stamp ]; then stat -c %Y $stamp; else stat -c %Y /var/lib/apt/lists; fi; }',
  'before=$(t)',
  `apt-get update -q ${APT_LOCK} || exit $?`,
  `[ "$(t)" = "$before" ] && echo '${CACHE_UNCHANGED}'`,
  'mkdir -p /var/lib/apt/periodic && touch $stamp',
].join('\n');

/** Installed packages with their versions, and those removed whose configuration files remain. */
export async function installedApt(ctx: ProbeContext, names: string[]) {
  // and which of them apt holds as installed only as a dependency (its extended_states file)
  const want = ` ${names.map((n) => n.split('=')[0]).join(' ')} `;
  const r = await ctx.probe(
    `dpkg-query -W -f='\${Package} \${Status} \${Version}\\n' ${sh`${names}`} 2>/dev/null || true; echo ${AUTO_MARK}; awk -v RS= -v want=${sh`${want}`} '/Auto-Installed: 1/ && index(want, " " $2 " ") {print $2}' /var/lib/apt/extended_states 2>/dev/null || true`,
  );
  const [listed, auto = ''] = r.stdout.split(`${AUTO_MARK}\n`);
  const installed = new Map<string, string>();
  const configFiles = new Set<string>();
  for (const line of listed.split('\n')) {
    const [pkg, , , status, version] = line.split(' ');
    if (status === 'installed') installed.set(pkg.split(':')[0], version);
    else if (status === 'config-files') configFiles.add(pkg.split(':')[0]);
  }
  return { installed, configFiles, auto: new Set(auto.split('\n').filter(Boolean)) };
}

/** apt's candidate version of each package (`(none)` where it has none), from `apt-cache policy`. */
export async function aptCandidates(
  ctx: ProbeContext,
  names: string[],
  release = '',
): Promise<Map<string, string>> {
  const policy = await ctx.probe(`LC_ALL=C apt-cache${release} policy ${sh`${names}`}`);
  const candidates = new Map<string, string>();
  let current = '';
  for (const line of policy.stdout.split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head) current = head[1];
    const cand = /^\s+Candidate:\s+(\S+)/.exec(line);
    if (cand && current) candidates.set(current, cand[1]);
  }
  return candidates;
}

/** What marks each cleanup as a change in apt-get's output (Ansible's CLEAN_OP_CHANGED_STR). */
const CLEANUP_DID = { autoclean: 'Del ', autoremove: 'The following packages will be REMOVED' };

/** autoclean or autoremove without packages; Ansible runs only the first when both are asked. */
export async function planCleanup(ctx: ProbeContext, p: AptOptions): Promise<Change[]> {
  const op = p.autoclean ? 'autoclean' : 'autoremove';
  const purge = p.purge ? ' --purge' : '';
  const sim = await ctx.probe(`LC_ALL=C apt-get -s${purge} ${op}`);
  if (sim.code !== 0) throw new Error(`apt-get ${op} failed: ${sim.stderr.trim()}`);
  if (!sim.stdout.includes(CLEANUP_DID[op])) return [];
  return [
    {
      summary: `apt-get ${op}`,
      action: {
        kind: 'exec',
        command: withPolicyRcD(p, `${APT_ENV} apt-get -y -q ${APT_LOCK}${purge} ${op}`),
      },
    },
  ];
}
