/**
 * PEP 440 versions and specifiers, as the `packaging` library that 2.19's pip module asks
 * (Requirement.specifier.contains(version, prereleases=True)): whether an installed version
 * satisfies `>=2,<3`, `~=1.4`, `==1.2.*`, `!=1.5`. Versions are normalized as packaging
 * normalizes them (alpha -> a, `-`/`_` separators, implicit post releases, v prefix).
 */

export interface Version {
  epoch: number;
  release: number[];
  pre?: [string, number];
  post?: number;
  dev?: number;
  local?: string;
}

// packaging's VERSION_PATTERN, with its spellings of the pre-release, post and dev parts
const VERSION =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;
const PRE: Record<string, string> = {
  alpha: 'a',
  a: 'a',
  beta: 'b',
  b: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rc: 'rc',
};

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  const [, epoch, release, pre, preN, postImplicit, post, postN, dev, devN, local] = m;
  return {
    epoch: Number(epoch ?? 0),
    release: release.split('.').map(Number),
    pre: pre ? [PRE[pre.toLowerCase()], Number(preN ?? 0)] : undefined,
    post: postImplicit !== undefined ? Number(postImplicit) : post ? Number(postN ?? 0) : undefined,
    dev: dev ? Number(devN ?? 0) : undefined,
    local: local?.toLowerCase().replace(/[-_]/g, '.'),
  };
}

const cmpNums = (a: number[], b: number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
};

/** packaging's sort key: a dev release before its pre-releases, pre before the release, post after. */
function key(v: Version): number[] {
  const preRank = v.pre
    ? ['a', 'b', 'rc'].indexOf(v.pre[0])
    : v.post === undefined && v.dev !== undefined
      ? -2
      : 3;
  return [
    preRank,
    v.pre?.[1] ?? 0,
    v.post === undefined ? -1 : v.post,
    v.dev === undefined ? Infinity : v.dev,
  ];
}

/** Compares two versions, the local part left out (as the specifiers compare). */
export function compareVersions(a: Version, b: Version): number {
  if (a.epoch !== b.epoch) return Math.sign(a.epoch - b.epoch);
  const r = cmpNums(a.release, b.release);
  if (r) return r;
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

const isPre = (v: Version) => v.pre !== undefined || v.dev !== undefined;
const base = (v: Version): Version => ({ epoch: v.epoch, release: v.release });

/** The leading release numbers of `v` padded to `n`, for prefix matches (`==1.2.*`). */
const prefix = (v: Version, n: number) => Array.from({ length: n }, (_, i) => v.release[i] ?? 0);

function one(op: string, spec: string, v: Version): boolean {
  if (op === '===') return false; // arbitrary equality compares text: never from a parsed version here
  if (spec.endsWith('.*')) {
    const s = parseVersion(spec.slice(0, -2));
    if (!s || (op !== '==' && op !== '!=')) throw new Error(`invalid specifier ${op}${spec}`);
    const same = s.epoch === v.epoch && cmpNums(prefix(v, s.release.length), s.release) === 0;
    return op === '==' ? same : !same;
  }
  const s = parseVersion(spec);
  if (!s) throw new Error(`invalid specifier ${op}${spec}`);
  const local = s.local === undefined ? { ...v, local: undefined } : v;
  const c = compareVersions(local, s);
  switch (op) {
    case '==':
      return c === 0 && (s.local === undefined || s.local === v.local);
    case '!=':
      return !(c === 0 && (s.local === undefined || s.local === v.local));
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
    case '<':
      // not a pre-release of the version itself, unless it names one
      return c < 0 && (isPre(s) || !isPre(v) || compareVersions(base(v), base(s)) !== 0);
    case '>':
      // not a post-release of the version itself unless it names one, nor a local version of it
      return (
        c > 0 &&
        (s.post !== undefined || v.post === undefined || compareVersions(base(v), base(s)) !== 0) &&
        (v.local === undefined || compareVersions(base(v), base(s)) !== 0)
      );
    case '~=': {
      if (s.release.length < 2) throw new Error(`invalid specifier ~=${spec}`);
      const stem = s.release.slice(0, -1);
      return c >= 0 && cmpNums(prefix(v, stem.length), stem) === 0 && v.epoch === s.epoch;
    }
  }
  throw new Error(`invalid specifier ${op}${spec}`);
}

const SPEC = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,]+)\s*$/;

/** Whether `version` satisfies every specifier of `specifiers` (comma-separated; empty: any). */
export function satisfies(version: string, specifiers: string): boolean {
  const v = parseVersion(version);
  const parts = specifiers.split(',').filter((s) => s.trim());
  if (!v) return parts.length === 0;
  return parts.every((part) => {
    const m = SPEC.exec(part);
    if (!m) throw new Error(`invalid specifier ${part.trim()}`);
    return one(m[1], m[2], v);
  });
}
