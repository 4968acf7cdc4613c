/**
 * apt's versioned names (`kubelet=1.31.2-1.1`, `docker-ce=5:27.*`, `bash>=5.0`) as 2.19's apt
 * module reads them (package_split, package_status, install): `=` matches the installed version
 * as fnmatch does and installs the best version matching it, `>=` compares with dpkg's order.
 * quorum handed the whole text to dpkg-query, found nothing, and installed at every run (and
 * apt-get cannot read `>=`). The available versions (`apt-cache madison`, an apt cache load) are
 * read only where the installed version does not already settle it.
 */
import { globToRegExp } from '../glob.ts';
import { sh } from '../transport/shell.ts';
import { NO_CACHE_FILES } from './apt-parts.ts';
import { compareDebVersions } from './deb-version.ts';
import type { ProbeContext } from './types.ts';

export interface PackageSpec {
  /** As written. */
  text: string;
  name: string;
  cmp?: '=' | '>=';
  version?: string;
}

/** Python's re.split(r'(>?=)', spec, maxsplit=1). */
export function splitSpec(text: string): PackageSpec {
  const m = /^(.*?)(>?=)(.*)$/s.exec(text);
  return m ? { text, name: m[1], cmp: m[2] as '=' | '>=', version: m[3] } : { text, name: text };
}

/** What install() hands apt-get for the versioned specs, or its failure. */
export async function versionedInstalls(
  ctx: ProbeContext,
  specs: PackageSpec[],
  installed: Map<string, string>,
  onlyUpgrade: boolean,
): Promise<{ install: string[]; failed?: string }> {
  const install: string[] = [];
  const asked = specs.filter((s) => {
    const have = installed.get(s.name);
    if (have === undefined) return !onlyUpgrade;
    // `>=` satisfied, or an exact `=` that is installed: nothing to ask apt
    if (s.cmp === '>=') return compareDebVersions(have, s.version ?? '') < 0;
    return !(s.cmp === '=' && !/[*?[]/.test(s.version ?? '') && have === s.version);
  });
  if (!asked.length) return { install };
  const available = await availableVersions(
    ctx,
    asked.map((s) => s.name),
  );
  for (const s of asked) {
    const have = installed.get(s.name);
    // the installed version is one apt knows too (dpkg's status), if no list has it any more
    const versions = [...(available.get(s.name) ?? []), ...(have === undefined ? [] : [have])];
    const matches = (v: string) =>
      s.cmp === '=' ? globToRegExp(s.version ?? '').test(v) : compareDebVersions(v, s.version ?? '') >= 0;
    const best = versions.filter(matches).sort(compareDebVersions).at(-1);
    const haveMatches = have !== undefined && matches(have);
    if (!haveMatches && best === undefined)
      return { install, failed: `no available installation candidate for ${s.text}` };
    if (!haveMatches) install.push(`${s.name}=${best}`);
    // the module's "legacy behavior": a wildcard that matches a newer version than the installed one
    else if (s.cmp === '=' && best !== undefined && best !== have) install.push(s.text);
  }
  return { install };
}

/** Every version apt knows of each package (its lists and dpkg's status), from `apt-cache madison`. */
async function availableVersions(ctx: ProbeContext, names: string[]): Promise<Map<string, string[]>> {
  const r = await ctx.probe(
    `LC_ALL=C apt-cache ${NO_CACHE_FILES} madison ${sh`${names}`} 2>/dev/null || true`,
  );
  const out = new Map<string, string[]>();
  for (const line of r.stdout.split('\n')) {
    const [pkg, version] = line.split('|').map((f) => f.trim());
    if (!pkg || !version) continue;
    out.set(pkg, [...(out.get(pkg) ?? []), version]);
  }
  return out;
}
