/**
 * Ansible host patterns with ansible-core 2.14's exact semantics and order: `a:b`, `a,b`,
 * `a:&b`, `a:!b`, globs (on group and host names), `~regex` (anchored at the start only),
 * subscripts `g[0]`, `g[-1]`, `g[1:]`, `g[0:2]`, and `@file` in limits.
 */
import { existsSync, statSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { readBoundedText } from '../input-file.ts';
import { parseAddress } from './address.ts';
import { type Host, type InventoryData, LOCALHOST_NAMES } from './model.ts';

export function splitPattern(pattern: string): string[] {
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern)) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Plain terms first, then `&` terms, then `!` terms; only `!`/`&` terms means `all` first. */
export function orderTerms(terms: string[]): string[] {
  const regular = terms.filter((t) => t[0] !== '!' && t[0] !== '&');
  const and = terms.filter((t) => t[0] === '&');
  const not = terms.filter((t) => t[0] === '!');
  return [...(regular.length ? regular : ['all']), ...and, ...not];
}

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s;

export class SubscriptOutOfRange extends InputError {}

/** fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`, whole-string match, case-sensitive. */
export function fnmatchRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) re += '\\[';
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body[0] === '!') body = `^${body.slice(1)}`;
        else if (body[0] === '^') body = `\\${body}`;
        re += `[${body}]`;
        i = j;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's');
}

/** Python's `re.match`: anchored at the start, not at the end. */
function pythonRegex(source: string): RegExp {
  const js = source.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  try {
    return new RegExp(`^(?:${js})`, 'u');
  } catch {
    try {
      return new RegExp(`^(?:${js})`);
    } catch {
      throw new InputError('PATTERN', `invalid host pattern regex: ~${source}`);
    }
  }
}

export class PatternMatcher {
  private readonly cache = new Map<string, Host[]>();
  constructor(private readonly inv: InventoryData) {}

  /** The inventory changed (group_by, add_host): patterns are matched again. */
  forget() {
    this.cache.clear();
  }

  /** Ansible's `groups`: every group's hosts by name, as every host sees it. */
  groupsVar(): Record<string, string[]> {
    return Object.fromEntries(
      [...this.inv.groups].map(([name, g]) => [name, g.allHosts().map((h) => h.name)]),
    );
  }

  /** The hosts a play with `hosts: PATTERN` targets, in the order it runs them. */
  hosts(pattern: string | string[]): Host[] {
    const terms = Array.isArray(pattern) ? pattern.flatMap(splitPattern) : splitPattern(pattern);
    try {
      return dedupe(this.evaluate(terms));
    } catch (e) {
      // Ansible's play targets nothing here; only --limit turns this into an error
      if (e instanceof SubscriptOutOfRange) return [];
      throw e;
    }
  }

  /** `hosts: all` narrowed by `--limit`, which keeps the order of `all`. */
  limit(base: Host[], limit: string): Host[] {
    const terms: string[] = [];
    for (const t of splitPattern(limit)) {
      if (t[0] !== '@') {
        terms.push(t);
        continue;
      }
      const file = t.slice(1);
      if (!existsSync(file)) throw new InputError('LIMIT_FILE', `limit file not found: ${file}`);
      if (!statSync(file).isFile())
        throw new InputError('LIMIT_FILE', `a limit starting with "@" must be a file: ${file}`);
      terms.push(
        ...readBoundedText(file, 'the limit file')
          .split('\n')
          .map((l) => l.trim()),
      );
    }
    const allowed = new Set(this.evaluate(terms.filter((t) => t !== '')));
    return base.filter((h) => allowed.has(h));
  }

  private evaluate(terms: string[]): Host[] {
    let hosts: Host[] = [];
    for (const term of orderTerms(terms)) {
      const plain = this.inv.hosts.get(term);
      if (plain) {
        hosts.push(plain);
        continue;
      }
      const matched = this.matchOne(term);
      if (term[0] === '!') {
        const drop = new Set(matched);
        hosts = hosts.filter((h) => !drop.has(h));
      } else if (term[0] === '&') {
        const keep = new Set(matched);
        hosts = hosts.filter((h) => keep.has(h));
      } else {
        const present = new Set(hosts.map((h) => h.name));
        hosts.push(...matched.filter((h) => !present.has(h.name)));
      }
    }
    return hosts;
  }

  private matchOne(term: string): Host[] {
    const pattern = term[0] === '&' || term[0] === '!' ? term.slice(1) : term;
    const cached = this.cache.get(pattern);
    if (cached) return cached;
    let expr = pattern;
    let start: number | undefined;
    let end: number | undefined;
    const m = pattern[0] === '~' ? null : SUBSCRIPT.exec(pattern);
    if (m) {
      expr = m[1];
      if (m[2] !== undefined) start = Number(m[2]);
      else {
        start = Number(m[3]);
        end = m[5] ? Number(m[5]) : -1;
      }
    }
    let hosts = this.enumerate(expr);
    if (start !== undefined) {
      if (end) hosts = hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1);
      else {
        const at = start < 0 ? hosts.length + start : start;
        if (at < 0 || at >= hosts.length) {
          throw new SubscriptOutOfRange(
            'PATTERN_SUBSCRIPT',
            `no hosts matched the subscripted pattern "${pattern}"`,
          );
        }
        hosts = [hosts[at]];
      }
    }
    this.cache.set(pattern, hosts);
    return hosts;
  }

  private enumerate(pattern: string): Host[] {
    const regex = pattern[0] === '~' ? pythonRegex(pattern.slice(1)) : fnmatchRegExp(pattern);
    const results: Host[] = [];
    const groups = [...this.inv.groups.keys()].filter((g) => regex.test(g));
    for (const g of groups) results.push(...this.inv.groups.get(g)!.allHosts());
    if (groups.length === 0 || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
      for (const [name, host] of this.inv.hosts) if (regex.test(name)) results.push(host);
    }
    if (results.length === 0 && LOCALHOST_NAMES.includes(pattern)) {
      const local = this.inv.getHost(pattern);
      if (local) results.push(local);
    }
    return results;
  }
}

function dedupe(hosts: Host[]): Host[] {
  return [...new Set(hosts)];
}
