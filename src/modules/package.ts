/**
 * `package` / `apt` / `dnf`: packages present, absent or latest, with the apt cache refreshed
 * only when older than `cache_valid_time`. One probe asks for every package at once.
 */
import { sh } from '../transport/shell.ts';
import { planDeb } from './apt-deb.ts';
import {
  APT_ENV,
  APT_LOCK,
  aptCandidates,
  CACHE_UNCHANGED,
  CLEAN,
  installedApt,
  NO_CACHE_FILES,
  planCleanup,
  planUpgrade,
  REFRESH,
  withPolicyRcD,
} from './apt-parts.ts';
import { splitSpec, versionedInstalls } from './apt-versions.ts';
import { DNF_ONLY, planDnf } from './dnf.ts';
import { namesOf, type PackageParams } from './package-params.ts';
import { type Change, defineModule, type ModuleDef, type ModuleOutcome, type ProbeContext } from './types.ts';

const TEXTS = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

const schema = {
  type: 'object',
  properties: {
    name: {
      anyOf: [
        { type: 'string', minLength: 1 },
        // an empty list is a task that does nothing, as in Ansible (roles pass `[]` by default)
        { type: 'array', items: { type: 'string' } },
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
    purge: { type: 'boolean' },
    autoremove: { type: 'boolean' },
    autoclean: { type: 'boolean' },
    allow_unauthenticated: { type: 'boolean' },
    allow_change_held_packages: { type: 'boolean' },
    only_upgrade: { type: 'boolean' },
    force: { type: 'boolean' },
    force_apt_get: { type: 'boolean' },
    policy_rc_d: { type: 'integer', minimum: 0, maximum: 255 },
    deb: { type: 'string', minLength: 1 },
    upgrade: { anyOf: [{ enum: ['dist', 'full', 'no', 'safe', 'yes'] }, { type: 'boolean' }] },
    clean: { type: 'boolean' },
    enablerepo: TEXTS,
    disablerepo: TEXTS,
    enable_plugin: TEXTS,
    disable_plugin: TEXTS,
    exclude: TEXTS,
    nobest: { type: 'boolean' },
    skip_broken: { type: 'boolean' },
    allowerasing: { type: 'boolean' },
    disable_gpg_check: { type: 'boolean' },
    bugfix: { type: 'boolean' },
    security: { type: 'boolean' },
  },
  // apt: update_cache, autoremove or autoclean alone are a task, as in Ansible
  anyOf: ['name', 'pkg', 'update_cache', 'autoremove', 'autoclean', 'deb', 'upgrade', 'clean'].map((k) => ({
    required: [k],
  })),
  additionalProperties: false,
};

async function planApt(ctx: ProbeContext, p: PackageParams): Promise<ModuleOutcome> {
  // '*' is every installed package, as Ansible's apt reads it: with state latest an upgrade
  // (ansible-lockdown's CIS roles: `package: name: "*" state: latest`), otherwise nothing
  const all = namesOf(p).includes('*');
  const names = namesOf(p).filter((n) => n !== '*');
  const state =
    p.state === 'installed' ? 'present' : p.state === 'removed' ? 'absent' : (p.state ?? 'present');
  const upgradeGiven = p.upgrade !== undefined && p.upgrade !== 'no' && p.upgrade !== false;
  const upgradeAll = !upgradeGiven && all && state === 'latest';
  if (upgradeAll && names.length)
    return {
      changes: [],
      failed: 'unable to install additional packages when upgrading all installed packages',
    };
  const upgrade = upgradeGiven || upgradeAll;
  // as Ansible's apt: clean first, and alone it is the whole task (a change)
  const changes: Change[] = p.clean ? [CLEAN] : [];
  if (p.clean && !names.length && !upgrade && p.deb === undefined) return { changes };
  if (p.update_cache) {
    const valid = p.cache_valid_time ?? 0;
    const age = await ctx.probe(
      'stamp=/var/lib/apt/periodic/update-success-stamp; [ -e $stamp ] || stamp=/var/lib/apt/lists; echo $(( $(date +%s) - $(stat -c %Y $stamp) ))',
    );
    if (valid === 0 || Number(age.stdout.trim()) > valid) {
      // as Ansible's apt: alone, a change only if the cache's time moved (the stamp, else the
      // lists); beside packages, an upgrade or a .deb never one (their result is the task's)
      const alone = !names.length && !upgrade && p.deb === undefined;
      changes.push({
        summary: 'refresh the apt cache',
        action: { kind: 'exec', command: REFRESH },
        ...(alone
          ? { changedIf: (stdout: string) => !stdout.includes(CACHE_UNCHANGED) }
          : { reportedUnchanged: true }),
      });
    }
  }
  if (upgrade) {
    // Ansible's upgrade() ends the task: named packages are not looked at
    const up = await planUpgrade(ctx, upgradeAll ? { ...p, upgrade: 'yes' } : p);
    return {
      ...up,
      changes: [...changes, ...up.changes],
      outputResult: { keys: ['msg', 'stdout'], from: (out) => ({ msg: out, stdout: out }), checkKeeps: true },
    };
  }
  if (p.deb !== undefined) {
    if (names.length) return { changes, failed: 'parameters are mutually exclusive: deb|package|upgrade' };
    const deb = await planDeb(ctx, p);
    return { changes: [...changes, ...deb.changes], ...(deb.failed ? { failed: deb.failed } : {}) };
  }
  if (names.length === 0) {
    if (p.autoclean || p.autoremove) changes.push(...(await planCleanup(ctx, p)));
    return { changes };
  }
  const specs = names.map(splitSpec);
  const { installed, configFiles, auto } = await installedApt(
    ctx,
    specs.map((s) => s.name),
  );
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
    (p.allow_unauthenticated ? ' --allow-unauthenticated' : '') +
    (p.allow_change_held_packages ? ' --allow-change-held-packages' : '') +
    (p.force ? ' --force-yes' : '') +
    (p.only_upgrade ? ' --only-upgrade' : '') +
    (p.autoremove ? ' --auto-remove' : '') +
    release;
  if (state === 'present') {
    const plain = specs.filter((s) => !s.cmp).map((s) => s.text);
    const versioned = await versionedInstalls(
      ctx,
      specs.filter((s) => s.cmp),
      installed,
      !!p.only_upgrade,
    );
    if (versioned.failed) return { changes, failed: versioned.failed };
    const missing = [...plain.filter((n) => !installed.has(n) && !p.only_upgrade), ...versioned.install];
    if (missing.length) {
      changes.push({
        summary: `install ${missing.join(', ')}`,
        action: {
          kind: 'exec',
          // apt-get's own last words (E: Unable to locate package x), as the module reports apt's
          errorFromStderr: true,
          command: withPolicyRcD(
            p,
            `${APT_ENV} apt-get install -y -q ${APT_LOCK}${recommends} ${sh`${missing}`}`,
          ),
        },
      });
    }
  } else if (state === 'absent') {
    // as Ansible: purge also takes packages already removed whose configuration files remain
    const present = names.filter((n) => installed.has(n) || (p.purge && configFiles.has(n)));
    const flags = `${p.purge ? ' --purge' : ''}${p.autoremove ? ' --auto-remove' : ''}${p.allow_change_held_packages ? ' --allow-change-held-packages' : ''}`;
    if (present.length) {
      changes.push({
        summary: `${p.purge ? 'purge' : 'remove'} ${present.join(', ')}`,
        action: {
          kind: 'exec',
          // apt-get's own last words (E: Unable to locate package x), as the module reports apt's
          errorFromStderr: true,
          command: withPolicyRcD(p, `${APT_ENV} apt-get remove -y -q ${APT_LOCK}${flags} ${sh`${present}`}`),
        },
      });
    }
  } else {
    const candidates = await aptCandidates(ctx, names, release);
    const outdated = names.filter(
      (n) => installed.get(n) !== candidates.get(n) && (installed.has(n) || !p.only_upgrade),
    );
    if (outdated.length) {
      changes.push({
        summary: `install the latest ${outdated.join(', ')}`,
        action: {
          kind: 'exec',
          // apt-get's own last words (E: Unable to locate package x), as the module reports apt's
          errorFromStderr: true,
          command: withPolicyRcD(
            p,
            `${APT_ENV} apt-get install -y -q ${APT_LOCK}${recommends} ${sh`${outdated}`}`,
          ),
        },
      });
    }
  }
  // after earlier predicted changes (a repository added first) apt's answer now says nothing
  const refused = ctx.checkMode && !ctx.predictedBefore ? await simulated(ctx, changes) : undefined;
  if (refused) return { changes: [], failed: refused };
  // as Ansible's apt: packages named with state present or latest are marked as installed by
  // hand (apt-mark manual), also when nothing is installed; like Ansible, not reported as a change
  const named = specs.map((s) => s.name).filter((n) => auto.has(n));
  if (state !== 'absent' && named.length)
    return { changes, waits: [{ kind: 'exec', command: `apt-mark manual ${sh`${named}`} >/dev/null` }] };
  return { changes };
}

/**
 * A check run asks apt what it would do, as Ansible's apt module does there (`--simulate`): an
 * install apt's resolver refuses (conflicts, a held package, no such version) fails the check, as
 * it would fail the run, rather than be predicted. Only where an install or removal is predicted:
 * a converged check reads no apt cache. Not after earlier predicted changes on the host (a
 * repository added first is not in the cache yet): the install stays a prediction there.
 */
async function simulated(ctx: ProbeContext, changes: Change[]): Promise<string | undefined> {
  // the install's own line (policy_rc_d wraps it in others)
  const apt = changes
    .flatMap((c) => (c.action.kind === 'exec' ? c.action.command.split('\n') : []))
    .find((line) => /apt-get (install|remove) -y -q /.test(line));
  if (!apt) return undefined;
  const command = apt
    .slice(apt.indexOf('apt-get '))
    .replace(/^apt-get (install|remove) -y -q /, 'apt-get -y -q --simulate $1 ');
  const r = await ctx.probe(`LC_ALL=C ${command.replace(/^apt-get /, `apt-get ${NO_CACHE_FILES} `)}`);
  if (r.code === 0) return undefined;
  return `'${command}' failed: ${(r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join('\n')}`;
}

const APT_ONLY = [
  'purge',
  'autoremove',
  'autoclean',
  'allow_unauthenticated',
  'allow_change_held_packages',
  'only_upgrade',
  'force',
  'deb',
  'upgrade',
  'clean',
] as const;

/**
 * community.general.zypper's parameters, which `package` passes on as 2.19's action passes every
 * parameter to the host's manager module: taken (roles write them under a `when` for SUSE), and
 * failing the task as apt's and dnf's modules refuse them where one runs (quorum runs no zypper).
 */
const ZYPPER_ONLY: Record<string, object> = {
  oldpackage: { type: 'boolean' },
  type: { enum: ['package', 'patch', 'pattern', 'product', 'srcpackage', 'application'] },
  extra_args: { type: 'string' },
  extra_args_precommand: { type: 'string' },
  disable_recommends: { type: 'boolean' },
  force_resolution: { type: 'boolean' },
  replacefiles: { type: 'boolean' },
  clean_deps: { type: 'boolean' },
  simple_errors: { type: 'boolean' },
  allow_vendor_change: { type: 'boolean' },
  quiet: { type: 'boolean' },
  skip_post_errors: { type: 'boolean' },
};

/** package's `use`: the module it names, as the host's manager quorum runs (auto: the host's own). */
const USE: Record<string, 'apt' | 'dnf'> = { apt: 'apt', dnf: 'dnf', yum: 'dnf', dnf5: 'dnf' };

function packageModule(name: string, manager?: 'apt' | 'dnf'): ModuleDef<PackageParams> {
  return defineModule<PackageParams>({
    name,
    aliases: name === 'dnf' ? ['yum', 'ansible.builtin.yum'] : [],
    // only package has `use` (the other modules are the managers themselves)
    schema:
      name === 'package'
        ? { ...schema, properties: { ...schema.properties, ...ZYPPER_ONLY, use: { type: 'string' } } }
        : schema,
    async plan(ctx, p) {
      const use =
        p.use === undefined || p.use === 'auto' ? undefined : p.use.replace(/^ansible\.builtin\./, '');
      if (use !== undefined && !USE[use])
        return {
          changes: [],
          failed: `package's use: ${p.use} is a module quorum does not run (it runs apt, dnf and yum)`,
          failedOnInput: true,
        };
      const mgr = manager ?? (use ? USE[use] : (await ctx.facts()).pkg_mgr);
      const zypperOnly = Object.keys(ZYPPER_ONLY).filter(
        (k) => (p as Record<string, unknown>)[k] !== undefined,
      );
      if (zypperOnly.length)
        return { changes: [], failed: `${zypperOnly.join(', ')}: zypper parameters, not ${mgr || 'apt'}'s` };
      const dnfOnly = DNF_ONLY.filter((k) => p[k] !== undefined);
      if (mgr === 'apt' && dnfOnly.length)
        return { changes: [], failed: `${dnfOnly.join(', ')}: yum/dnf parameters, not apt's` };
      if (mgr === 'apt') return await planApt(ctx, p);
      const aptOnly = APT_ONLY.filter((k) => p[k] !== undefined);
      if (aptOnly.length)
        return { changes: [], failed: `${aptOnly.join(', ')}: apt parameters, not ${mgr}'s` };
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
