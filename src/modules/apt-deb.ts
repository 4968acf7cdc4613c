/**
 * apt's `deb`: a .deb file on the host (or downloaded from a URL) installed with dpkg, as
 * ansible-core 2.19's apt module does it (install_deb): nothing to do when that version is
 * installed; refused when a later one is, unless force or allow_downgrade; dependencies it
 * lacks installed through apt-get first, then `dpkg -i`. The probe of a converged host reads
 * the file's fields and dpkg's status file: no apt cache load.
 */
import { sh } from '../transport/shell.ts';
import { APT_ENV, APT_LOCK, aptCandidates, withPolicyRcD } from './apt-parts.ts';
import { compareDebVersions, type DebDependency, parseDepends, satisfies } from './deb-version.ts';
import type { Change, ProbeContext } from './types.ts';

export interface DebOptions {
  deb?: string;
  state?: string;
  force?: boolean;
  allow_downgrade?: boolean;
  allow_unauthenticated?: boolean;
  install_recommends?: boolean;
  policy_rc_d?: number;
}

const FIELDS = ['Package', 'Version', 'Depends', 'Pre-Depends', 'Recommends'];
const SECTION = '--quorum-deb--';
const STATUS = '--quorum-dpkg-status--';

/** A path as the module's `type='path'` reads it: `~` is the connection user's home. */
const shellPath = (p: string) => (p === '~' || p.startsWith('~/') ? `"$HOME"${sh`${p.slice(1)}`}` : sh`${p}`);

const isUrl = (p: string) => p.includes('://');

/** Shell that leaves each file's path in "$f<i>" (a URL downloaded into "$t", removed on exit). */
function fetchFiles(files: string[]): string {
  const lines = ['t=$(mktemp -d) || exit 1', 'trap \'rm -rf "$t"\' EXIT'];
  for (const [i, file] of files.entries()) {
    if (!isUrl(file)) {
      lines.push(`f${i}=${shellPath(file)}`);
      continue;
    }
    const to = `"$t/${i}.deb"`;
    lines.push(
      `f${i}=${to}`,
      `curl -fsSL -o ${to} ${sh`${file}`} 2>"$t/err" || wget -q -O ${to} ${sh`${file}`} 2>>"$t/err" || { echo "Failure downloading ${file.replace(/["$`\\]/g, '\\$&')}: $(cat "$t/err")" >&2; exit 3; }`,
    );
  }
  return lines.join('\n');
}

interface Installed {
  version: Map<string, string>;
  /** Virtual name -> versions it is provided at ('' for an unversioned Provides). */
  provides: Map<string, string[]>;
}

function readStatus(text: string): Installed {
  const version = new Map<string, string>();
  const provides = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [status, pkg, ver, ...rest] = line.split(' ');
    if (status !== 'installed' || !pkg) continue;
    version.set(pkg, ver);
    for (const [p] of rest.length ? parseDepends(rest.join(' ')) : [])
      provides.set(p.name, [...(provides.get(p.name) ?? []), p.version ?? '']);
  }
  return { version, provides };
}

function met(dep: DebDependency, have: Installed): boolean {
  const v = have.version.get(dep.name);
  if (v !== undefined && satisfies(dep, v)) return true;
  // a versioned dependency is met only by a versioned Provides (deb-control(5))
  return (have.provides.get(dep.name) ?? []).some((pv) => (dep.op ? pv !== '' && satisfies(dep, pv) : true));
}

/** "Field: value" lines of `dpkg-deb -f`, continuation lines joined. */
function readFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last = '';
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m) out[(last = m[1])] = m[2];
    else if (last && /^\s/.test(line)) out[last] += ` ${line.trim()}`;
  }
  return out;
}

const groupText = (g: DebDependency[]) =>
  g.map((d) => d.name + (d.op ? ` (${d.op} ${d.version})` : '')).join('|');

/** The changes `deb` asks for, or why it fails (Ansible's messages). */
export async function planDeb(
  ctx: ProbeContext,
  p: DebOptions,
): Promise<{ changes: Change[]; failed?: string }> {
  if ((p.state ?? 'present') !== 'present') return { changes: [], failed: 'deb only supports state=present' };
  const files = (p.deb ?? '').split(',');
  const probe = await ctx.probe(
    [
      fetchFiles(files),
      ...files.map(
        (_, i) =>
          `echo ${SECTION}; dpkg-deb -f "$f${i}" ${FIELDS.join(' ')} || { echo "dpkg-deb could not read ${files[i].replace(/["$`\\]/g, '\\$&')}" >&2; exit 3; }`,
      ),
      `echo ${STATUS}`,
      "dpkg-query -W -f='${db:Status-Status} ${Package} ${Version} ${Provides}\\n'",
    ].join('\n'),
  );
  if (probe.code !== 0) return { changes: [], failed: `Unable to install package: ${probe.stderr.trim()}` };
  const [debs, status = ''] = probe.stdout.split(`${STATUS}\n`);
  const have = readStatus(status);
  const deps: string[] = [];
  const install: string[] = [];
  for (const [i, section] of debs.split(`${SECTION}\n`).slice(1).entries()) {
    const f = readFields(section);
    const installed = have.version.get(f.Package);
    if (installed !== undefined && compareDebVersions(f.Version, installed) === 0) continue;
    if (
      installed !== undefined &&
      compareDebVersions(f.Version, installed) < 0 &&
      !p.force &&
      !p.allow_downgrade
    )
      return { changes: [], failed: 'A later version is already installed' };
    const missing = [...parseDepends(f['Pre-Depends'] ?? ''), ...parseDepends(f.Depends ?? '')].filter(
      (g) => !g.some((d) => met(d, have)),
    );
    const chosen = await installable(ctx, missing);
    if (typeof chosen === 'string' && !p.force) return { changes: [], failed: chosen };
    if (Array.isArray(chosen)) deps.push(...chosen);
    // as Ansible: the Recommends field split at white space, each word a package to install
    if (p.install_recommends) deps.push(...(f.Recommends ?? '').split(/\s+/).filter(Boolean));
    install.push(files[i]);
  }
  if (install.length === 0) return { changes: [] };
  const unique = [...new Set(deps)];
  const aptDeps = unique.length
    ? `${APT_ENV} apt-get install -y -q ${APT_LOCK} -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold${
        p.install_recommends === false
          ? ' --no-install-recommends'
          : p.install_recommends
            ? ' --install-recommends'
            : ''
      }${p.allow_unauthenticated ? ' --allow-unauthenticated' : ''}${p.allow_downgrade ? ' --allow-downgrades' : ''} ${sh`${unique}`} && `
    : '';
  const paths = install.map((f) => `"$f${files.indexOf(f)}"`).join(' ');
  return {
    changes: [
      {
        summary: `install ${install.join(', ')} with dpkg${unique.length ? ` (and ${unique.join(', ')} with apt-get)` : ''}`,
        action: {
          kind: 'exec',
          // the download outside policy-rc.d's wrapper: a failed one leaves nothing to put back
          command: `${fetchFiles(files)}\n${withPolicyRcD(
            p,
            `${aptDeps}${APT_ENV} dpkg --force-confdef --force-confold${p.force ? ' --force-all' : ''} -i ${paths}`,
          )}`,
        },
      },
    ],
  };
}

/**
 * For each unmet group, its first alternative apt has a candidate for (at a version that meets
 * it), as python-apt's DebPackage picks; a group with none is Ansible's failure message.
 */
async function installable(ctx: ProbeContext, groups: DebDependency[][]): Promise<string[] | string> {
  if (groups.length === 0) return [];
  const candidate = await aptCandidates(ctx, [...new Set(groups.flat().map((d) => d.name))]);
  const chosen: string[] = [];
  for (const g of groups) {
    const pick = g.find(
      (d) =>
        candidate.has(d.name) && candidate.get(d.name) !== '(none)' && satisfies(d, candidate.get(d.name)!),
    );
    if (!pick) return `Dependency is not satisfiable: ${groupText(g)}`;
    chosen.push(pick.name);
  }
  return chosen;
}
