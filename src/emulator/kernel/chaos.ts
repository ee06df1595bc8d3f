// The scheduler's chaos mode (Hermit's): a PRNG seeded from --seed varies each time slice and
// which runnable task goes next, to shake out races, while the same seed still gives the same
// schedule. Its stream is its own (not the guest's entropy), so turning chaos on changes the
// schedule and nothing the guest reads from getrandom.
import { createHash } from 'node:crypto';

/** xoshiro128** over a SHA-256 of the seed: small, fast, and the same on every host. */
export class ChaosRandom {
  private readonly s = new Uint32Array(4);

  constructor(seed: string) {
    const digest = createHash('sha256').update(`emtrace-schedule:${seed}`).digest();
    for (let k = 0; k < 4; k++) this.s[k] = digest.readUInt32LE(4 * k);
    if (this.s.every((w) => w === 0)) this.s[0] = 1; // the one state xoshiro cannot leave
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform integer in [0, n) (n <= 2^32). */
  below(n: number): number {
    return Math.floor((this.next() / 4294967296) * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
