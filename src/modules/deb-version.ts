/**
 * Debian package versions and dependency fields, as dpkg reads them (deb-version(7),
 * deb-control(5)): `[epoch:]upstream[-revision]` compared part by part, and `Depends:` as
 * comma-separated groups of `|`-separated alternatives, each `name[:arch] [(op version)]`.
 */

/** `~` sorts before anything, even the end of the part; letters before other characters. */
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp: alternating runs of non-digits (by `order`) and digits (by value). */
function comparePart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !/\d/.test(a[i])) || (j < b.length && !/\d/.test(b[j]))) {
      const ac = i < a.length && !/\d/.test(a[i]) ? a[i] : undefined;
      const bc = j < b.length && !/\d/.test(b[j]) ? b[j] : undefined;
      const d = order(ac) - order(bc);
      if (d !== 0) return Math.sign(d);
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let firstDiff = 0;
    while (/\d/.test(a[i] ?? '') && /\d/.test(b[j] ?? '')) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (/\d/.test(a[i] ?? '')) return 1;
    if (/\d/.test(b[j] ?? '')) return -1;
    if (firstDiff) return Math.sign(firstDiff);
  }
  return 0;
}

function split(v: string): [number, string, string] {
  const colon = v.indexOf(':');
  const epoch = colon > 0 ? Number(v.slice(0, colon)) : 0;
  const rest = colon > 0 ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf('-');
  return dash > 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ''];
}

/** <0, 0, >0 as `dpkg --compare-versions a lt|eq|gt b`. */
export function compareDebVersions(a: string, b: string): number {
  const [ea, ua, ra] = split(a.trim());
  const [eb, ub, rb] = split(b.trim());
  if (ea !== eb) return Math.sign(ea - eb);
  return comparePart(ua, ub) || comparePart(ra, rb);
}

export interface DebDependency {
  name: string;
  op?: '<<' | '<=' | '=' | '>=' | '>>';
  version?: string;
}

const OPS: Record<string, DebDependency['op']> = {
  '<<': '<<',
  '<=': '<=',
  '<': '<=', // obsolete forms, as dpkg reads them
  '=': '=',
  '>=': '>=',
  '>': '>=',
  '>>': '>>',
};

/** `a (>= 1), b | c` -> [[a>=1], [b, c]]; an architecture qualifier (`:any`) is dropped. */
export function parseDepends(field: string): DebDependency[][] {
  return field
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean)
    .map((group) =>
      group.split('|').map((alt) => {
        const m = /^\s*([^\s:(]+)(?::\S+)?\s*(?:\(\s*(<<|<=|>=|>>|<|>|=)\s*([^)\s]+)\s*\))?/.exec(alt);
        if (!m) throw new Error(`a dependency dpkg would not read: ${JSON.stringify(alt.trim())}`);
        return { name: m[1], ...(m[2] ? { op: OPS[m[2]], version: m[3] } : {}) };
      }),
    );
}

/** Whether version `have` meets the dependency's relation (none: any version does). */
export function satisfies(dep: DebDependency, have: string): boolean {
  if (!dep.op || dep.version === undefined) return true;
  const c = compareDebVersions(have, dep.version);
  return {
    '<<': c < 0,
    '<=': c <= 0,
    '=': c === 0,
    '>=': c >= 0,
    '>>': c > 0,
  }[dep.op];
}
