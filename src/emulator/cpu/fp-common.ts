// What the x87 (x87/float80.ts) and SSE (sse/fp.ts) floating point share: the exception flag
// bits, which sit at the same positions in the x87 status word and in MXCSR; the rounding-control
// encoding; and the BigInt helpers of their exact slow paths.

export const IE = 0x01;
export const DE = 0x02;
export const ZE = 0x04;
export const OE = 0x08;
export const UE = 0x10;
export const PE = 0x20;

/** Rounding control (FCW bits 10-11, MXCSR bits 13-14). */
export const enum Rc {
  Nearest = 0,
  Down = 1,
  Up = 2,
  Zero = 3,
}

const TWO_32 = 4294967296;

/** The number of significant bits of |v| (0 for 0). */
export function bitLength(v: bigint): number {
  if (v < 0n) v = -v;
  if (v < 0x20000000000000n) {
    const x = Number(v);
    return x === 0 ? 0 : x < TWO_32 ? 32 - Math.clz32(x) : 64 - Math.clz32(Math.floor(x / TWO_32));
  }
  const approx = Number(v);
  if (approx !== Infinity) {
    // From the double's exponent; the rounding to 53 bits may have carried into the next power.
    let n = Math.floor(Math.log2(approx)) + 1;
    if (v >> BigInt(n - 1) === 0n) n--;
    else if (v >> BigInt(n) !== 0n) n++;
    return n;
  }
  const hex = v.toString(16);
  return hex.length * 4 - (Math.clz32(parseInt(hex[0], 16)) - 28);
}

/** floor(sqrt(n)) (0 for n <= 0). */
export function isqrt(n: bigint): bigint {
  if (n <= 0n) return 0n;
  // Start above the root, 2^(floor(bits/2) + 1); Newton's iteration then decreases monotonically.
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
