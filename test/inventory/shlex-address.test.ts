import { describe, expect, it } from 'vitest';
import {
  expandHostPattern,
  expandHostRange,
  HOSTNAME,
  isHostname,
  parseAddress,
} from '../../src/inventory/address.ts';
import { ShlexError, shlexSplit } from '../../src/inventory/shlex.ts';

describe('shlexSplit (Python shlex.split, comments=True)', () => {
  it.each([
    ['host a=1 b=2', ['host', 'a=1', 'b=2']],
    ["host lst='[1,2]'", ['host', 'lst=[1,2]']],
    ['host q="a b" # comment', ['host', 'q=a b']],
    ['host a#b', ['host', 'a']],
    ['host e=""', ['host', 'e=']],
    ['host x=a\\ b', ['host', 'x=a b']],
    ['host d="say \\"hi\\" \\n"', ['host', 'd=say "hi" \\n']],
  ])('%s', (line, tokens) => {
    expect(shlexSplit(line)).toEqual(tokens);
  });

  it('rejects an unbalanced quote', () => {
    expect(() => shlexSplit("host x='open")).toThrow(ShlexError);
  });
});

describe('host addresses and ranges', () => {
  it.each([
    ['web1', { host: 'web1', port: undefined }],
    ['web1:2222', { host: 'web1', port: 2222 }],
    ['10.0.0.1:22', { host: '10.0.0.1', port: 22 }],
    ['[2001:db8::1]:2223', { host: '2001:db8::1', port: 2223 }],
    ['2001:db8::1', { host: '2001:db8::1', port: undefined }],
    ['w[01:03]:22', { host: 'w[01:03]', port: 22 }],
  ])('parses %s', (text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
  });

  it('refuses what is no address', () => {
    expect(parseAddress('a b')).toBeUndefined();
    expect(parseAddress('user@host')).toBeUndefined();
  });

  it.each([
    ['w[8:10]', ['w8', 'w9', 'w10']],
    ['web[08:10]', ['web08', 'web09', 'web10']],
    ['db-[99:101]-node', ['db-99-node', 'db-100-node', 'db-101-node']],
    ['s[1:10:3]', ['s1', 's4', 's7', 's10']],
    ['[a:c]x', ['ax', 'bx', 'cx']],
    ['r[1:2]c[a:b]', ['r1ca', 'r1cb', 'r2ca', 'r2cb']],
  ])('expands %s', (name, hosts) => {
    expect(expandHostRange(name)).toEqual(hosts);
  });

  it.each(['w[1:]', 'w[01:100]', 'w[c:a]', 'w[1:2:0]'])('rejects the bad range %s', (name) => {
    expect(() => expandHostRange(name)).toThrow(/host range/);
  });

  it('keeps the port for every host of a range', () => {
    expect(expandHostPattern('n[1:2]:2200')).toEqual({ hosts: ['n1', 'n2'], port: 2200 });
  });
});

describe('isHostname', () => {
  it('answers as the full Unicode HOSTNAME pattern does, on generated names', () => {
    // a small deterministic generator (LCG): names built from the characters that matter
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const alphabet = ['a', 'Z', '0', '9', '_', '-', '.', ' ', ':', '[', ']', 'é', 'ß', '٣', '\t', '~'];
    let hostnames = 0;
    for (let i = 0; i < 5000; i++) {
      const name = Array.from({ length: 1 + (next() % 8) }, () => alphabet[next() % alphabet.length]).join(
        '',
      );
      expect(isHostname(name), JSON.stringify(name)).toBe(HOSTNAME.test(name));
      if (HOSTNAME.test(name)) hostnames++;
    }
    for (const name of ['cp1', 'w-1.lab', '198.51.100.11', 'a_', '-a', 'a..b', 'db[01:03]', 'émile.fr', ''])
      expect(isHostname(name), name).toBe(HOSTNAME.test(name));
    expect(hostnames).toBeGreaterThan(100);
  });
});
