/**
 * Ansible's filters random and shuffle (seeded as Python seeds them), product, to_uuid,
 * mandatory, urlsplit, and Jinja2's wordcount, which the engine lacks; each as ansible-core
 * 2.19 computes it (plugins/filter/core.py, urlsplit.py; test/template/more-filters.test.ts).
 */
import { createHash } from 'node:crypto';
import { kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';
import { cartesianProduct } from './list-lookups.ts';
import { PyRandom, systemRandom } from './py-random.ts';
import { pyRepr } from './values.ts';

type Filter = (v: unknown, ...args: unknown[]) => unknown;

/** ansible's UUID_NAMESPACE_ANSIBLE, for to_uuid. */
const ANSIBLE_NAMESPACE = '361E6D51-FAEC-444A-9079-341386DA8E2E';

function seeded(seed: unknown): PyRandom | undefined {
  if (seed === undefined || seed === null) return undefined;
  if (typeof seed === 'string' || (typeof seed === 'number' && Number.isInteger(seed)))
    return new PyRandom(seed);
  throw new FilterError(`random: a seed of ${pyRepr(seed)} is not supported (text or a whole number)`);
}

const random: Filter = (end, ...args) => {
  const kw = kwargs(args, ['start', 'step', 'seed']);
  const [start = kw.start, step = kw.step, seed = kw.seed] = args;
  const r = seeded(seed) ?? systemRandom;
  if (typeof end === 'number' && Number.isInteger(end))
    return r.randrange(Number(start || 0), end, Number(step || 1));
  if (Array.isArray(end) || typeof end === 'string') {
    if (start || step) throw new FilterError('start and step can only be used with integer values');
    const items = [...end];
    if (items.length === 0) throw new FilterError('Cannot choose from an empty sequence');
    return items[r.below(items.length)];
  }
  throw new FilterError('random can only be used on sequences and integers');
};

const shuffle: Filter = (v, ...args) => {
  const kw = kwargs(args, ['seed']);
  const seed = args[0] ?? kw.seed;
  if (!Array.isArray(v) && typeof v !== 'string') return v;
  // a seed Python finds false (None, '', 0) shuffles at random, as the filter's `if seed:`
  return ((seed ? seeded(seed) : undefined) ?? systemRandom).shuffle([...v]);
};

const product: Filter = (v, ...args) => {
  const kw = kwargs(args, ['repeat']);
  const lists = [v, ...args].map((l) => (Array.isArray(l) ? l : typeof l === 'string' ? [...l] : undefined));
  if (lists.some((l) => l === undefined)) throw new FilterError('product takes lists');
  const repeat = kw.repeat === undefined ? 1 : Number(kw.repeat);
  return cartesianProduct(Array.from({ length: repeat }, () => lists as unknown[][]).flat());
};

function uuid5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest().subarray(0, 16);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const SCHEME_CHARS = /^[A-Za-z][A-Za-z0-9+.-]*$/;

/** Python's urllib.parse.urlsplit, as the urlsplit filter gives it (its fields by name). */
export function urlsplit(url: string): Record<string, unknown> {
  let rest = url.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  const colon = rest.indexOf(':');
  if (colon > 0 && SCHEME_CHARS.test(rest.slice(0, colon))) {
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, 2 + end);
    rest = end < 0 ? '' : rest.slice(2 + end);
    if (netloc.includes('[') !== netloc.includes(']')) throw new FilterError('Invalid IPv6 URL');
  }
  let fragment = '';
  let query = '';
  if (rest.includes('#'))
    [rest, fragment] = [rest.slice(0, rest.indexOf('#')), rest.slice(rest.indexOf('#') + 1)];
  if (rest.includes('?'))
    [rest, query] = [rest.slice(0, rest.indexOf('?')), rest.slice(rest.indexOf('?') + 1)];
  const at = netloc.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : netloc.slice(0, at);
  const hostinfo = netloc.slice(at + 1);
  const colonInUser = userinfo?.indexOf(':') ?? -1;
  let hostname: string;
  let portText: string;
  const bracket = /^\[([^\]]*)\](?::(.*))?/.exec(hostinfo);
  if (bracket) [hostname, portText] = [bracket[1], bracket[2] ?? ''];
  else
    [hostname, portText] = hostinfo.includes(':')
      ? [hostinfo.slice(0, hostinfo.indexOf(':')), hostinfo.slice(hostinfo.indexOf(':') + 1)]
      : [hostinfo, ''];
  let port: number | null = null;
  if (portText !== '') {
    if (!/^[0-9]+$/.test(portText))
      throw new FilterError(`Port could not be cast to integer value as ${pyRepr(portText)}`);
    port = Number(portText);
    if (port > 65535) throw new FilterError('Port out of range 0-65535');
  }
  return {
    fragment,
    hostname: hostname === '' ? null : hostname.toLowerCase(),
    netloc,
    password: userinfo !== undefined && colonInUser >= 0 ? userinfo.slice(colonInUser + 1) : null,
    path: rest,
    port,
    query,
    scheme,
    username: userinfo === undefined ? null : colonInUser >= 0 ? userinfo.slice(0, colonInUser) : userinfo,
  };
}

export const MORE_FILTERS: Record<string, Filter> = {
  random,
  shuffle,
  product,
  to_uuid: (v, ...args) => {
    const kw = kwargs(args, ['namespace']);
    return uuid5(String(args[0] ?? kw.namespace ?? ANSIBLE_NAMESPACE), String(v));
  },
  mandatory: (v) => v,
  wordcount: (v) => (String(v ?? '').match(/[\p{L}\p{N}_]+/gu) ?? []).length,
  urlsplit: (v, ...args) => {
    const parts = urlsplit(String(v));
    const query = args[0];
    if (query === undefined || query === '') return parts;
    if (!(String(query) in parts)) throw new FilterError(`urlsplit: unknown URL component: ${String(query)}`);
    return parts[String(query)];
  },
};
