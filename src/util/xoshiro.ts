/**
 * xoshiro128** (Blackman & Vigna, "Scrambled Linear Pseudorandom Number Generators", ACM TOMS
 * 47(4), 2021; reference code https://prng.di.unimi.it/xoshiro128starstar.c) for the draws made
 * per value of a training batch (denoising noise). It is seeded with four words of a PCG32 `Rng`
 * and uses 32-bit operations only, several times cheaper per word in JavaScript than PCG32's
 * 64-bit state (rng.ts). Guarantees: the stream is a deterministic function of the Rng's state
 * when it was made (that Rng advances by exactly four words), so draws replay bit for bit.
 */
import type { Rng } from './rng.js';

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** A xoshiro128** stream. */
export class Xoshiro128 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    // The all-zero state is the generator's one fixed point.
    this.a = (a | b | c | d) === 0 ? 1 : a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** A stream seeded by the next four words of `rng`. */
  static fromRng(rng: Rng): Xoshiro128 {
    return new Xoshiro128(rng.nextU32(), rng.nextU32(), rng.nextU32(), rng.nextU32());
  }

  /** A stream from an explicit state of four unsigned 32-bit words (not all zero). */
  static fromWords(a: number, b: number, c: number, d: number): Xoshiro128 {
    return new Xoshiro128(a, b, c, d);
  }

  /** Next unsigned 32-bit integer. */
  next(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  random(): number {
    return ((this.next() >>> 5) * 67108864 + (this.next() >>> 6)) / 9007199254740992;
  }

  /** Uniform double in (0, 1), never 0 (for logarithms). */
  open01(): number {
    for (;;) {
      const u = this.random();
      if (u !== 0) return u;
    }
  }
}
