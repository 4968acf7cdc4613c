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
/**
 * apt's reads that must leave the host as it was (a check run's simulate, the versions apt
 * knows): without these, apt-get writes its planner's log (/var/log/apt/eipp.log.xz, even when
 * it only simulates: the lab's check-run test saw it) and apt its binary caches under
 * /var/cache/apt where the host's configuration keeps them.
 */
export const NO_CACHE_FILES =
  "-o Dir::Cache::pkgcache='' -o Dir::Cache::srcpkgcache='' -o Dir::Log::Planner=''";

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

/** What dpkg-query and apt's auto-installed marks read: a read of them alone is kept (kept-probes.ts). */
export const DPKG_DATABASE = [
  '/var/lib/dpkg/status',
  '/var/lib/dpkg/updates',
  '/var/lib/apt/extended_states',
];

/** A read whose answer is dpkg's database's alone: from the controller while it lists the same. */
export const readDpkg = (ctx: ProbeContext, command: string) =>
  ctx.probeKept ? ctx.probeKept(command, DPKG_DATABASE) : ctx.probe(command);

/** Installed packages with their versions, and those removed whose configuration files remain. */
export async function installedApt(ctx: ProbeContext, names: string[]) {
  // and which of them apt holds as installed only as a dependency (its extended_states file)
  const want = ` ${names.map((n) => n.split('=')[0]).join(' ')} `;
  const r = await readDpkg(
    ctx,
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
  const sim = await ctx.probe(`LC_ALL=C apt-get ${NO_CACHE_FILES} -s${purge} ${op}`);
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

/** What apt's `upgrade` reads besides its mode. */
interface UpgradeOptions extends AptOptions {
  upgrade?: string | boolean;
  force_apt_get?: boolean;
  force?: boolean;
  allow_unauthenticated?: boolean;
  allow_downgrade?: boolean;
  default_release?: string;
}

/** Ansible's APT_GET_ZERO and APTITUDE_ZERO: the upgrade had nothing to do. */
const NOTHING = {
  'apt-get': '\n0 upgraded, 0 newly installed, 0 to remove',
  aptitude: '\n0 packages upgraded, 0 newly installed, 0 to remove',
};

/** apt's `upgrade` as Ansible's upgrade() runs it: aptitude where installed (unless force_apt_get), else apt-get. */
export async function planUpgrade(
  ctx: ProbeContext,
  p: UpgradeOptions,
): Promise<{ changes: Change[]; result: Record<string, unknown>; failed?: string }> {
  const mode = p.upgrade === true ? 'yes' : p.upgrade;
  const aptitude = !p.force_apt_get && (await ctx.probe('command -v aptitude')).code === 0;
  const tool = mode === 'dist' || (mode === 'full' && !aptitude) || !aptitude ? 'apt-get' : 'aptitude';
  const remove = p.autoremove ? ' --auto-remove' : '';
  const sub =
    tool === 'apt-get'
      ? mode === 'dist' || mode === 'full'
        ? `dist-upgrade${remove}`
        : `upgrade --with-new-pkgs${remove}`
      : mode === 'full'
        ? 'full-upgrade'
        : 'safe-upgrade';
  const flags = [
    '-o "Dpkg::Options::=--force-confdef" -o "Dpkg::Options::=--force-confold"',
    p.force ? (tool === 'apt-get' ? '--force-yes' : '--assume-yes --allow-untrusted') : '',
    p.allow_unauthenticated ? '--allow-unauthenticated' : '',
    p.allow_downgrade && tool === 'apt-get' ? '--allow-downgrades' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const release = p.default_release ? sh` -t ${p.default_release}` : '';
  const run = (simulate: string) =>
    `LC_ALL=C LANG=C ${APT_ENV} DEBIAN_PRIORITY=critical ${tool} -y ${flags}${simulate} ${sub}${release}`;
  const sim = await ctx.probe(run(' --simulate'));
  const said = { msg: sim.stdout, stdout: sim.stdout, stderr: sim.stderr };
  if (sim.code !== 0)
    return {
      changes: [],
      result: { ...said, rc: sim.code },
      failed: `'${tool} ${sub}' failed: ${sim.stderr}`,
    };
  if (sim.stdout.includes(NOTHING[tool])) return { changes: [], result: said };
  const command = withPolicyRcD(p, tool === 'apt-get' ? run(` ${APT_LOCK}`) : run(''));
  return {
    changes: [
      {
        summary: `${tool} ${sub}`,
        action: { kind: 'exec', command },
        changedIf: (out) => !out.includes(NOTHING[tool]),
      },
    ],
    result: said,
  };
}

/** apt's `clean`: apt-get clean, a change whatever it removed (as Ansible's aptclean). */
export const CLEAN: Change = {
  summary: 'apt-get clean',
  action: { kind: 'exec', command: `LC_ALL=C ${APT_ENV} apt-get clean` },
};
