// The guest's entropy: a deterministic stream derived from the seed (SHA-256 in counter mode),
// so AT_RANDOM, getrandom and /dev/urandom give the same bytes on every run with the same seed;
// or, opted into (RunOptions.hostRandom), the host's.
import { createHash, randomBytes } from 'node:crypto';

/** Where AT_RANDOM, getrandom, /dev/random and /dev/urandom take their bytes. */
export interface Entropy {
  bytes(count: number): Uint8Array;
}

/** The host's entropy: different on every run. */
export class HostRandom implements Entropy {
  bytes(count: number): Uint8Array {
    return new Uint8Array(randomBytes(count));
  }
}

export class SeededRandom implements Entropy {
  private counter = 0;
  private pool = new Uint8Array(0);
  private poolOffset = 0;

  constructor(private readonly seed: string) {}

  bytes(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let done = 0;
    while (done < count) {
      if (this.poolOffset === this.pool.length) this.refill();
      const n = Math.min(count - done, this.pool.length - this.poolOffset);
      out.set(this.pool.subarray(this.poolOffset, this.poolOffset + n), done);
      this.poolOffset += n;
      done += n;
    }
    return out;
  }

  private refill(): void {
    this.pool = createHash('sha256').update(`emtrace:${this.seed}:${this.counter++}`).digest();
    this.poolOffset = 0;
  }
}
