/**
 * Python's random.Random (CPython 3's MT19937, seeded as version 2 seeds it: a text seed is its
 * UTF-8 bytes followed by their SHA-512, read as one big integer), for the `random` and `shuffle`
 * filters with a seed: `{{ 59 | random(seed=inventory_hostname) }}` gives each host the minute
 * Ansible gives it.
 */
import { createHash, randomInt } from 'node:crypto';

const N = 624;
const M = 397;

/** What random.py draws from _randbelow: randrange, a choice's index, shuffle. */
export abstract class RandomSource {
  abstract below(n: number): number;

  randrange(start: number, stop: number, step: number): number {
    const width = stop - start;
    if (step === 1) {
      if (width <= 0) throw new Error(`empty range in randrange(${start}, ${stop})`);
      return start + this.below(width);
    }
    const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step);
    if (n <= 0) throw new Error(`empty range in randrange(${start}, ${stop}, ${step})`);
    return start + step * this.below(n);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/** random.SystemRandom: the operating system's randomness. */
export const systemRandom: RandomSource = new (class extends RandomSource {
  below(n: number): number {
    return randomInt(n);
  }
})();

export class PyRandom extends RandomSource {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(seed: string | number) {
    super();
    let big: bigint;
    if (typeof seed === 'string') {
      const bytes = Buffer.from(seed, 'utf8');
      const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
      big = BigInt(`0x${all.toString('hex') || '0'}`);
    } else big = BigInt(Math.abs(Math.trunc(seed)));
    const key: number[] = [];
    do {
      key.push(Number(big & 0xffffffffn));
      big >>= 32n;
    } while (big > 0n);
    this.initByArray(key);
  }

  private initGenrand(s: number): void {
    this.mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: number[]): void {
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      this.mt[i] = ((this.mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        this.mt[0] = this.mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      this.mt[i] = ((this.mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        this.mt[0] = this.mt[N - 1];
        i = 1;
      }
    }
    this.mt[0] = 0x80000000;
  }

  private uint32(): number {
    if (this.index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (this.mt[k] & 0x80000000) | (this.mt[(k + 1) % N] & 0x7fffffff);
        this.mt[k] = this.mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** getrandbits(k), k up to 53 (words taken least significant first, as CPython fills them). */
  private bits(k: number): number {
    if (k <= 32) return this.uint32() >>> (32 - k);
    const low = this.uint32();
    const high = this.uint32() >>> (64 - k);
    return high * 2 ** 32 + low;
  }

  /** _randbelow(n): getrandbits of n's bit length until one falls below n. */
  below(n: number): number {
    if (n <= 0) throw new Error('empty range');
    const k = n.toString(2).length;
    for (;;) {
      const r = this.bits(k);
      if (r < n) return r;
    }
  }
}
