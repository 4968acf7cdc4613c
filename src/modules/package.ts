/**
 * `package` / `apt` / `dnf`: packages present, absent or latest, with the apt cache refreshed
 * only when older than `cache_valid_time`. One probe asks for every package at once.
 */
import { sh } from '../transport/shell.ts';
import { type Change, defineModule, type ModuleDef, type ProbeContext } from './types.ts';

/** dnf's --enablerepo/--disablerepo for this transaction. */
const repoFlags = (p: PackageParams) => [
  ...[p.enablerepo ?? []].flat().map((r) => `--enablerepo=${r}`),
  ...[p.disablerepo ?? []].flat().map((r) => `--disablerepo=${r}`),
];

export interface PackageParams {
  name?: string | string[];
  pkg?: string | string[];
  state?: 'present' | 'absent' | 'latest' | 'installed' | 'removed';
  update_cache?: boolean;
  cache_valid_time?: number;
  install_recommends?: boolean;
  /** A version older than the installed one may be installed (apt --allow-downgrades). */
  allow_downgrade?: boolean;
  /** apt only: the release packages are taken from (apt-get -t, e.g. bookworm-backports). */
  default_release?: string;
  /** yum/dnf only: repositories to enable or disable for this transaction. */
  enablerepo?: string | string[];
  disablerepo?: string | string[];
}

const schema = {
  type: 'object',
  properties: {
    name: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string' }, minItems: 1 },
      ],
    },
    pkg: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    state: { enum: ['present', 'absent', 'latest', 'installed', 'removed'] },
    update_cache: { type: 'boolean' },
    cache_valid_time: { type: 'integer', minimum: 0 },
    install_recommends: { type: 'boolean' },
    allow_downgrade: { type: 'boolean' },
    // empty means none, as in Ansible (roles default it to "")
    default_release: { type: 'string' },
    enablerepo: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    disablerepo: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  },
  // apt: update_cache alone refreshes the cache, as in Ansible
  anyOf: [{ required: ['name'] }, { required: ['pkg'] }, { required: ['update_cache'] }],
  additionalProperties: false,
};

const namesOf = (p: PackageParams): string[] => [p.name ?? p.pkg ?? []].flat();

const APT_ENV = 'DEBIAN_FRONTEND=noninteractive';
/** Another apt or dpkg (unattended-upgrades, a second run) holds the lock: wait for it, bounded. */
const APT_LOCK = '-o DPkg::Lock::Timeout=120';

async function installedApt(ctx: ProbeContext, names: string[]): Promise<Map<string, string>> {
  const r = await ctx.probe(
    `dpkg-query -W -f='\${Package} \${Status} \${Version}\\n' ${sh`${names}`} 2>/dev/null || true`,
  );
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const [pkg, , , status, version] = line.split(' ');
    if (status === 'installed') out.set(pkg.split(':')[0], version);
  }
  return out;
}

async function planApt(ctx: ProbeContext, p: PackageParams): Promise<Change[]> {
  const names = namesOf(p);
  const state =
    p.state === 'installed' ? 'present' : p.state === 'removed' ? 'absent' : (p.state ?? 'present');
  const changes: Change[] = [];
  if (p.update_cache) {
    const valid = p.cache_valid_time ?? 0;
    const age = await ctx.probe(
      'stamp=/var/lib/apt/periodic/update-success-stamp; [ -e $stamp ] || stamp=/var/lib/apt/lists; echo $(( $(date +%s) - $(stat -c %Y $stamp) ))',
    );
    if (valid === 0 || Number(age.stdout.trim()) > valid) {
      changes.push({
        summary: 'refresh the apt cache',
        action: {
          kind: 'exec',
          command: `apt-get update -q ${APT_LOCK} && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/update-success-stamp`,
        },
      });
    }
  }
  if (names.length === 0) return changes;
  const installed = await installedApt(ctx, names);
  const release = p.default_release ? ` -t ${sh`${p.default_release}`}` : '';
  // as Ansible's apt: recommends as apt's own default unless said; a conffile the play wrote
  // before the package is kept (force-confold), a new default taken where nothing was changed
  const recommends =
    (p.install_recommends === undefined
      ? ''
      : p.install_recommends
        ? ' --install-recommends'
        : ' --no-install-recommends') +
    ' -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold' +
    (p.allow_downgrade ? ' --allow-downgrades' : '') +
    release;
  if (state === 'present') {
    const missing = names.filter((n) => !installed.has(n.split('=')[0]));
    if (missing.length) {
      changes.push({
        summary: `install ${missing.join(', ')}`,
        action: {
          kind: 'exec',
          command: `${APT_ENV} apt-get install -y -q ${APT_LOCK}${recommends} ${sh`${missing}`}`,
        },
      });
    }
  } else if (state === 'absent') {
    const present = names.filter((n) => installed.has(n));
    if (present.length) {
      changes.push({
        summary: `remove ${present.join(', ')}`,
        action: { kind: 'exec', command: `${APT_ENV} apt-get remove -y -q ${APT_LOCK} ${sh`${present}`}` },
      });
    }
  } else {
    const policy = await ctx.probe(`LC_ALL=C apt-cache${release} policy ${sh`${names}`}`);
    const candidates = new Map<string, string>();
    let current = '';
    for (const line of policy.stdout.split('\n')) {
      const head = /^(\S+):$/.exec(line);
      if (head) current = head[1];
      const cand = /^\s+Candidate:\s+(\S+)/.exec(line);
      if (cand && current) candidates.set(current, cand[1]);
    }
    const outdated = names.filter((n) => installed.get(n) !== candidates.get(n));
    if (outdated.length) {
      changes.push({
        summary: `install the latest ${outdated.join(', ')}`,
        action: {
          kind: 'exec',
          command: `${APT_ENV} apt-get install -y -q ${APT_LOCK}${recommends} ${sh`${outdated}`}`,
        },
      });
    }
  }
  return changes;
}

async function planDnf(ctx: ProbeContext, p: PackageParams): Promise<Change[]> {
  const names = namesOf(p);
  if (names.length === 0) return [];
  const state =
    p.state === 'installed' ? 'present' : p.state === 'removed' ? 'absent' : (p.state ?? 'present');
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
  const upd = await ctx.probe(`dnf -q check-update ${sh`${names}`} >/dev/null 2>&1; echo $?`);
  const missing = names.filter((n) => !installed.has(n));
  if (missing.length || upd.stdout.trim() === '100') {
    return [
      {
        summary: `install the latest ${names.join(', ')}`,
        action: { kind: 'exec', command: `dnf install -y -q ${sh`${repoFlags(p)}`} ${sh`${names}`}` },
      },
    ];
  }
  return [];
}

function packageModule(name: string, manager?: 'apt' | 'dnf'): ModuleDef<PackageParams> {
  return defineModule<PackageParams>({
    name,
    aliases: name === 'dnf' ? ['yum', 'ansible.builtin.yum'] : [],
    schema,
    async plan(ctx, p) {
      const mgr = manager ?? (await ctx.facts()).pkg_mgr;
      if (mgr === 'apt' && (p.enablerepo || p.disablerepo))
        return { changes: [], failed: "enablerepo and disablerepo are yum/dnf parameters, not apt's" };
      if (mgr === 'apt') return { changes: await planApt(ctx, p) };
      if (mgr === 'dnf' || mgr === 'yum') return { changes: await planDnf(ctx, p) };
      return { changes: [], failed: `no supported package manager on ${ctx.host} (found: ${mgr || 'none'})` };
    },
  });
}

export const packageModules = [
  packageModule('package'),
  packageModule('apt', 'apt'),
  packageModule('dnf', 'dnf'),
];
