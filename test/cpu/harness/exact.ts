// Exact references for the trigonometric x87 instructions, written independently of the
// emulator: the host's FSIN/FCOS/FPTAN/FSINCOS reduce their argument with a pi of about 68 bits,
// so near the zeros of the functions and for large arguments the host is many ulps off, and the
// emulator's (correctly rounded) results are checked against these instead. Fixed point with
// 1200 fractional bits: pi from Takano's Machin-like formula, the argument reduced modulo 2*pi,
// then the Taylor series.
import type { F80 } from './x87.js';

const F = 1200n;
const GUARD = 64n;

function atanInverse(x: bigint, bits: bigint): bigint {
  let sum = 0n;
  let term = (1n << bits) / x;
  const x2 = x * x;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += (k & 2n ? -1n : 1n) * (term / k);
    term /= x2;
  }
  return sum;
}

/** pi * 2^(F + GUARD + 64): pi/4 = 12 atan(1/49) + 32 atan(1/57) - 5 atan(1/239) + 12 atan(1/110443). */
const PI_WIDE = (() => {
  const bits = F + GUARD + 64n;
  return 4n * (12n * atanInverse(49n, bits) + 32n * atanInverse(57n, bits) - 5n * atanInverse(239n, bits) + 12n * atanInverse(110443n, bits));
})();
const TWO_PI = PI_WIDE << 1n;

/** An exact value: value * 2^-F. */
export interface Exact {
  value: bigint;
}

/** The value of a finite 80-bit number times 2^(F + GUARD + 64), or undefined if not finite. */
function wide(x: F80): bigint | undefined {
  const e = x.se & 0x7fff;
  if (e === 0x7fff) return undefined;
  const shift = BigInt(Math.max(e, 1) - 16383 - 63) + F + GUARD + 64n;
  let v = shift >= 0n ? x.sig << shift : x.sig >> -shift;
  if (x.se & 0x8000) v = -v;
  return v;
}

/** sin and cos of x, each times 2^F. */
function sinCos(x: F80): [bigint, bigint] | undefined {
  const w = wide(x);
  if (w === undefined) return undefined;
  // r = x - round(x / 2pi) * 2pi, in units of 2^-(F + GUARD + 64)
  let q = w / TWO_PI;
  let r = w - q * TWO_PI;
  if (r > PI_WIDE) {
    r -= TWO_PI;
    q += 1n;
  } else if (r < -PI_WIDE) r += TWO_PI;
  const scale = F + GUARD;
  r >>= 64n; // now r * 2^-(F + GUARD)
  const one = 1n << scale;
  const r2 = (r * r) >> scale;
  let s = 0n;
  let term = r;
  for (let k = 1n; term !== 0n; k += 2n) {
    s += term;
    term = -((term * r2) >> scale) / ((k + 1n) * (k + 2n));
  }
  let c = 0n;
  term = one;
  for (let k = 0n; term !== 0n; k += 2n) {
    c += term;
    term = -((term * r2) >> scale) / ((k + 1n) * (k + 2n));
  }
  return [s >> GUARD, c >> GUARD];
}

export type Trig = 'sin' | 'cos' | 'tan';

export function exactTrig(fn: Trig, x: F80): Exact | undefined {
  const sc = sinCos(x);
  if (!sc) return undefined;
  const [s, c] = sc;
  if (fn === 'sin') return { value: s };
  if (fn === 'cos') return { value: c };
  if (c === 0n) return undefined;
  return { value: (s << F) / c };
}

/** True when the 80-bit value v is within `ulps` units in its last place of the exact value. */
export function withinUlps(v: F80, exact: Exact, ulps: number): boolean {
  const e = v.se & 0x7fff;
  if (e === 0x7fff) return false;
  if (e !== 0 && !(v.sig >> 63n)) return false;
  const shift = BigInt(Math.max(e, 1) - 16383 - 63) + F;
  if (shift < 0n) return false; // below the reference's resolution
  let value = v.sig << shift;
  if (v.se & 0x8000) value = -value;
  const ulp = 1n << shift;
  const d = value - exact.value;
  return (d < 0n ? -d : d) <= BigInt(ulps) * ulp;
}
