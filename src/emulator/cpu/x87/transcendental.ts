// The x87 transcendental instructions: F2XM1, FYL2X, FYL2XP1, FPATAN, FPTAN, FSIN, FCOS,
// FSINCOS. Each is computed in a small binary floating-point format with a 200-bit BigInt
// significand (series after argument reduction; the trigonometric reduction uses a 640-bit pi,
// so even arguments near multiples of pi/2 up to 2^63 keep their accuracy) and then rounded once
// per RC: results are correctly rounded except in cases closer to a rounding boundary than
// 2^-190 relative. Precision control does not apply (as on hardware). The trigonometric
// instructions leave ST(0) unchanged and set C2 when |ST(0)| >= 2^63.
import { isqrt } from '../fp-common.js';
import type { Insn } from '../insn.js';
import type { Cpu } from '../state.js';
import { mul } from './arith.js';
import { bitLength, C2, DE, fx, invalid, Kind, kindOf, PE, R, roundBig, setR, sigBig, specialOperand, specialOperands, UE, Unpacked, unpack, ZE } from './float80.js';
import { commit, masksOf, push, pushingOperand, roundingOf, st01Operands, st0Operand, writeResult, writeSt, X, Y } from './fpu.js';

// ---------------------------------------------------------------- a 200-bit float

const W = 200;

/** m * 2^e; m is normalized to W bits (or zero). Exactness is not tracked: every result that
 *  reaches the rounding is treated as inexact, and exact cases are handled before. */
interface Big {
  m: bigint;
  e: number;
}

const bitLen = bitLength;

function big(m: bigint, e: number): Big {
  const n = bitLen(m);
  if (n > W) {
    const s = BigInt(n - W);
    return { m: m >> s, e: e + Number(s) };
  }
  if (n > 0 && n < W) {
    const s = BigInt(W - n);
    return { m: m << s, e: e - Number(s) };
  }
  return { m, e };
}

function bmul(a: Big, b: Big): Big {
  return big(a.m * b.m, a.e + b.e);
}

function badd(a: Big, b: Big): Big {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  if (a.e < b.e) [a, b] = [b, a];
  const d = a.e - b.e;
  if (d > 2 * W) return a;
  return big((a.m << BigInt(d)) + b.m, b.e);
}

function bneg(a: Big): Big {
  return { m: -a.m, e: a.e };
}

function bsub(a: Big, b: Big): Big {
  return badd(a, bneg(b));
}

function bdiv(a: Big, b: Big): Big {
  return big((a.m << BigInt(W + 2)) / b.m, a.e - b.e - W - 2);
}

function bsqrt(a: Big): Big {
  // a >= 0; make the exponent even and the radicand about 2W bits.
  let m = a.m << BigInt(W + 2);
  let e = a.e - W - 2;
  if (e & 1) {
    m <<= 1n;
    e -= 1;
  }
  return big(isqrt(m), e / 2);
}

function bint(n: number): Big {
  return big(BigInt(n), 0);
}

const ONE = bint(1);

/** The exact value of a finite extended operand. */
function fromExt(se: number, hi: number, lo: number): Big {
  if (kindOf(se, hi, lo) === Kind.Zero) return { m: 0n, e: 0 };
  unpack(U, se, hi, lo);
  const m = sigBig(U.hi, U.lo);
  return big(U.sign ? -m : m, U.exp - 16446);
}

/** Rounds to extended in R (PE, C1 as rounded; UE/OE per masks). The true value lies just
 *  above v (tail +1) or just below (tail -1), or is not known to the last bit (0): then it is
 *  taken as just above v's truncated magnitude. The tail matters only where the result is
 *  nearly exact, as sin x = x - x^3/6 is for tiny x. */
function toExt(v: Big, rc: number, masks: number, tail = 0): void {
  if (v.m === 0n) {
    setR(0, 0, 0);
    return;
  }
  const sign = v.m < 0n ? 1 : 0;
  const m = sign ? -v.m : v.m;
  const smaller = tail !== 0 && (tail < 0) !== (sign === 1); // the magnitude is just below m
  roundBig(sign, smaller ? m - 1n : m, v.e, true, 64, rc, masks);
}

/** Below this magnitude the first correction term of sin/tan/atan (x^3/3) is under the working
 *  precision relative to x: those results are x itself plus a known-sign tail. */
const TINY = -92;

function isTiny(v: Big): boolean {
  return v.m === 0n || bitLen(v.m) + v.e < TINY;
}

function sign(v: Big): number {
  return v.m < 0n ? -1 : v.m > 0n ? 1 : 0;
}

const U = new Unpacked();

// ---------------------------------------------------------------- constants

/** pi with 640 bits (Machin's formula), as a fixed-point integer scaled by 2^640. */
const PI_BITS = 640;
const PI_FIXED = (() => {
  const F = BigInt(PI_BITS + 16);
  const atanInv = (x: bigint): bigint => {
    let sum = 0n;
    let term = (1n << F) / x;
    const x2 = x * x;
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += ((k & 3n) === 1n ? 1n : -1n) * (term / k);
      term /= x2;
    }
    return sum;
  };
  return (16n * atanInv(5n) - 4n * atanInv(239n)) >> 16n;
})();
const PI: Big = big(PI_FIXED, -PI_BITS);
const LN2: Big = (() => {
  // ln 2 = 2 atanh(1/3)
  return bmul(bint(2), atanhSeries(bdiv(ONE, bint(3))));
})();

// ---------------------------------------------------------------- series

/** atanh(s) = s + s^3/3 + s^5/5 + ... for |s| < 1/2. */
function atanhSeries(s: Big): Big {
  const s2 = bmul(s, s);
  let term = s;
  let sum = s;
  for (let k = 3; ; k += 2) {
    term = bmul(term, s2);
    const t = bdiv(term, bint(k));
    if (t.m === 0n || sum.e - t.e > W + 8) break;
    sum = badd(sum, t);
  }
  return sum;
}

/** ln(x) for x > 0. */
function ln(x: Big): Big {
  // x = m * 2^k with m in [sqrt(1/2), sqrt(2)); ln x = k ln 2 + 2 atanh((m - 1) / (m + 1)).
  let k = bitLen(x.m) + x.e - 1; // x in [2^k, 2^(k+1))
  let m: Big = { m: x.m, e: x.e - k };
  // m in [1, 2): move to [0.707, 1.414)
  if (bcmp(m, SQRT2) >= 0) {
    m = { m: m.m, e: m.e - 1 };
    k += 1;
  }
  const s = bdiv(bsub(m, ONE), badd(m, ONE));
  return badd(bmul(bint(k), LN2), bmul(bint(2), atanhSeries(s)));
}

function bcmp(a: Big, b: Big): number {
  const d = bsub(a, b);
  return d.m > 0n ? 1 : d.m < 0n ? -1 : 0;
}

const SQRT2 = bsqrt(bint(2));

/** e^t - 1 for |t| <= 1. */
function expm1(t: Big): Big {
  let term = t;
  let sum = t;
  for (let k = 2; ; k++) {
    term = bdiv(bmul(term, t), bint(k));
    if (term.m === 0n || sum.e - term.e > W + 8) break;
    sum = badd(sum, term);
  }
  return sum;
}

/** sin(r) and cos(r) for |r| <= pi/4. */
function sinCos(r: Big): [Big, Big] {
  const r2 = bmul(r, r);
  let s = r;
  let term = r;
  for (let k = 2; ; k += 2) {
    term = bneg(bdiv(bmul(term, r2), bint(k * (k + 1))));
    if (term.m === 0n || s.e - term.e > W + 8 || (s.m === 0n && k > 4)) break;
    s = badd(s, term);
  }
  let c = ONE;
  term = ONE;
  for (let k = 1; ; k += 2) {
    term = bneg(bdiv(bmul(term, r2), bint(k * (k + 1))));
    if (term.m === 0n || c.e - term.e > W + 8) break;
    c = badd(c, term);
  }
  return [s, c];
}

/** sin and cos with the directions of their neglected tails (nonzero only for tiny r, where
 *  sin r = r - r^3/6 and cos r = 1 - r^2/2 are r and 1 to the working precision). */
function sinCosTails(r: Big): [Big, Big, number, number] {
  const [s, c] = sinCos(r);
  if (!isTiny(r)) return [s, c, 0, 0];
  return [s, c, -sign(r), r.m === 0n ? 0 : -1];
}

/** atan(z) for 0 <= z <= 1 (argument halving, then the series). */
function atan(z: Big): Big {
  let halvings = 0;
  while (bitLen(z.m) + z.e > -4 && z.m !== 0n) {
    // atan z = 2 atan(z / (1 + sqrt(1 + z^2)))
    z = bdiv(z, badd(ONE, bsqrt(badd(ONE, bmul(z, z)))));
    halvings++;
  }
  const z2 = bmul(z, z);
  let term = z;
  let sum = z;
  for (let k = 3; ; k += 2) {
    term = bneg(bmul(term, z2));
    const t = bdiv(term, bint(k));
    if (t.m === 0n || sum.e - t.e > W + 8) break;
    sum = badd(sum, t);
  }
  return { m: sum.m, e: sum.e + halvings };
}

// ---------------------------------------------------------------- instructions

/** F2XM1: 2^ST(0) - 1 (defined for -1 <= ST(0) <= 1). */
export function f2xm1(cpu: Cpu, i: Insn): void {
  if (!st0Operand(cpu, i, true)) return;
  const { se, hi, lo, kind } = X;
  if (!specialOperand(se, hi, lo, kind)) {
    if (kind === Kind.Zero) setR(se, hi, lo);
    else if (kind === Kind.Infinity) {
      if (se & 0x8000) setR(0xbfff, 0x80000000, 0);
      else setR(se, hi, lo);
    } else {
      if (kind === Kind.Denormal) fx.flags |= DE;
      const x = fromExt(se, hi, lo);
      if (se === 0x3fff && hi === 0x80000000 && lo === 0) setR(0x3fff, 0x80000000, 0);
      else if (se === 0xbfff && hi === 0x80000000 && lo === 0) setR(0xbffe, 0x80000000, 0);
      else if (bitLen(x.m) + x.e > 1) {
        // |x| > 1: outside the documented range; compute 2^x - 1 when it is moderate.
        toExt(pow2m1Large(x), roundingOf(cpu), masksOf(cpu));
      } else toExt(expm1(bmul(x, LN2)), roundingOf(cpu), masksOf(cpu));
    }
  }
  writeResult(cpu, fx.flags);
}

function pow2m1Large(x: Big): Big {
  const v = Number(x.m) * 2 ** x.e;
  if (v > 16400) return big(1n, 16500);
  if (v < -200) return bneg(ONE);
  const n = Math.trunc(v);
  const f = bsub(x, bint(n));
  const e = badd(expm1(bmul(f, LN2)), ONE);
  return bsub({ m: e.m, e: e.e + n }, ONE);
}

function infinity(sign: number): void {
  setR((sign << 15) | 0x7fff, 0x80000000, 0);
}

function zero(sign: number): void {
  setR(sign << 15, 0, 0);
}

/** FYL2X: ST(1) = ST(1) * log2(ST(0)), pop. */
export function fyl2x(cpu: Cpu, i: Insn): void {
  if (!st01Operands(cpu, i, 1)) return;
  const { se: xSe, hi: xHi, lo: xLo, kind: kx } = X;
  const { se: ySe, hi: yHi, lo: yLo, kind: ky } = Y;
  if (!specialOperands(xSe, xHi, xLo, kx, ySe, yHi, yLo, ky)) log2Product(xSe, xHi, xLo, kx, ySe, yHi, yLo, ky, roundingOf(cpu), masksOf(cpu));
  writeResult(cpu, fx.flags, 1, true);
}

function log2Product(xSe: number, xHi: number, xLo: number, kx: Kind, ySe: number, yHi: number, yLo: number, ky: Kind, rc: number, masks: number): void {
  const xSign = xSe >>> 15;
  const ySign = ySe >>> 15;
  if (xSign && kx !== Kind.Zero) return invalid();
  const denormal = kx === Kind.Denormal || ky === Kind.Denormal;
  const xOne = xSe === 0x3fff && xHi === 0x80000000 && xLo === 0;
  if (kx === Kind.Infinity) {
    if (ky === Kind.Zero) return invalid();
    if (denormal) fx.flags |= DE;
    return infinity(ySign);
  }
  if (kx === Kind.Zero) {
    if (ky === Kind.Zero) return invalid();
    if (denormal) fx.flags |= DE;
    if (ky !== Kind.Infinity) fx.flags |= ZE;
    return infinity(ySign ^ 1);
  }
  if (ky === Kind.Infinity) {
    if (xOne) return invalid();
    if (denormal) fx.flags |= DE;
    // log2(x) < 0 for x < 1
    return infinity(ySign ^ ((xSe & 0x7fff) < 0x3fff ? 1 : 0));
  }
  if (denormal) fx.flags |= DE;
  if (ky === Kind.Zero) return zero(ySign ^ ((xSe & 0x7fff) < 0x3fff ? 1 : 0));
  if (xOne) return zero(ySign);
  unpack(U, xSe, xHi, xLo);
  if (U.hi === 0x80000000 && U.lo === 0) {
    // log2 of a power of two is its exponent: the product is y * k, rounded once (the hardware
    // reports it inexact all the same).
    const k = U.exp - 16383;
    const m = Math.abs(k);
    const n = Math.clz32(m);
    mul(ySe, yHi, yLo, ((k < 0 ? 1 : 0) << 15) | (16383 + 31 - n), (m * 2 ** n) >>> 0, 0, 64, rc, masks);
    fx.flags |= PE;
    if ((R.se & 0x7fff) === 0 && (R.hi !== 0 || R.lo !== 0)) fx.flags |= UE; // tiny and "inexact"
    return;
  }
  const x = fromExt(xSe, xHi, xLo);
  const y = fromExt(ySe, yHi, yLo);
  toExt(bmul(y, bdiv(ln(x), LN2)), rc, masks);
}

/** FYL2XP1: ST(1) = ST(1) * log2(ST(0) + 1), pop (defined for |ST(0)| < 1 - sqrt(2)/2). */
export function fyl2xp1(cpu: Cpu, i: Insn): void {
  if (!st01Operands(cpu, i, 1)) return;
  const { se: xSe, hi: xHi, lo: xLo, kind: kx } = X;
  const { se: ySe, hi: yHi, lo: yLo, kind: ky } = Y;
  if (!specialOperands(xSe, xHi, xLo, kx, ySe, yHi, yLo, ky)) {
    const xSign = xSe >>> 15;
    const ySign = ySe >>> 15;
    const denormal = kx === Kind.Denormal || ky === Kind.Denormal;
    if (kx === Kind.Infinity) {
      if (xSign || ky === Kind.Zero) invalid();
      else {
        if (denormal) fx.flags |= DE;
        infinity(ySign);
      }
    } else if (kx === Kind.Zero) {
      if (ky === Kind.Infinity) invalid();
      else {
        if (denormal) fx.flags |= DE;
        zero(xSign ^ ySign);
      }
    } else if (ky === Kind.Infinity) {
      if (denormal) fx.flags |= DE;
      const x = fromExt(xSe, xHi, xLo);
      if (bcmp(x, bneg(ONE)) <= 0) invalid();
      else infinity(ySign ^ xSign);
    } else {
      if (denormal) fx.flags |= DE;
      const x = fromExt(xSe, xHi, xLo);
      if (ky === Kind.Zero) {
        if (bcmp(x, bneg(ONE)) < 0) invalid();
        else zero(xSign ^ ySign);
      } else if (bcmp(x, bneg(ONE)) <= 0) {
        if (bcmp(x, bneg(ONE)) === 0) {
          fx.flags |= ZE;
          infinity(ySign ^ 1);
        } else invalid();
      } else {
        const y = fromExt(ySe, yHi, yLo);
        // ln(1 + x) = 2 atanh(x / (2 + x)) keeps the relative accuracy for tiny x.
        const l = bitLen(x.m) + x.e > -1 ? ln(badd(ONE, x)) : bmul(bint(2), atanhSeries(bdiv(x, badd(bint(2), x))));
        toExt(bmul(y, bdiv(l, LN2)), roundingOf(cpu), masksOf(cpu));
      }
    }
  }
  writeResult(cpu, fx.flags, 1, true);
}

/** FPATAN: ST(1) = atan2(ST(1), ST(0)) (the angle of the point (ST(0), ST(1))), pop. */
export function fpatan(cpu: Cpu, i: Insn): void {
  if (!st01Operands(cpu, i, 1)) return;
  const { se: xSe, hi: xHi, lo: xLo, kind: kx } = X;
  const { se: ySe, hi: yHi, lo: yLo, kind: ky } = Y;
  if (!specialOperands(xSe, xHi, xLo, kx, ySe, yHi, yLo, ky)) {
    if (kx === Kind.Denormal || ky === Kind.Denormal) fx.flags |= DE;
    const rc = roundingOf(cpu);
    const masks = masksOf(cpu);
    const xSign = xSe >>> 15;
    const ySign = ySe >>> 15;
    const piTimes = (num: number, den: number): Big => {
      const v = bdiv(bmul(PI, bint(num)), bint(den));
      return ySign ? bneg(v) : v;
    };
    if (ky === Kind.Zero) {
      if (xSign) toExt(piTimes(1, 1), rc, masks);
      else zero(ySign);
    } else if (kx === Kind.Zero) toExt(piTimes(1, 2), rc, masks);
    else if (ky === Kind.Infinity) {
      if (kx === Kind.Infinity) toExt(piTimes(xSign ? 3 : 1, 4), rc, masks);
      else toExt(piTimes(1, 2), rc, masks);
    } else if (kx === Kind.Infinity) {
      if (xSign) toExt(piTimes(1, 1), rc, masks);
      else zero(ySign);
    } else {
      const x = fromExt(xSe & 0x7fff, xHi, xLo);
      const y = fromExt(ySe & 0x7fff, yHi, yLo);
      let a: Big;
      let tail = 0;
      if (bcmp(y, x) <= 0) {
        const z = bdiv(y, x);
        a = atan(z);
        // atan z = z - z^3/3 for tiny z: below z when the quotient is exact.
        if (isTiny(z) && (y.m << BigInt(W + 2)) % x.m === 0n) tail = -1;
      } else a = bsub(bdiv(PI, bint(2)), atan(bdiv(x, y)));
      if (xSign) {
        a = bsub(PI, a);
        tail = 0;
      }
      toExt(ySign ? bneg(a) : a, rc, masks, ySign ? -tail : tail);
    }
  }
  writeResult(cpu, fx.flags, 1, true);
}

/** The reduction of the trigonometric instructions: r = x - q * pi/2 with |r| <= pi/4; returns
 *  q mod 4, r in REDUCED. */
let REDUCED: Big = ONE;

function reduce(se: number, hi: number, lo: number): number {
  const x = fromExt(se, hi, lo);
  // |x| < pi/4 (0.785...): no reduction.
  if (bitLen(x.m) + x.e <= -1) {
    REDUCED = x;
    return 0;
  }
  unpack(U, se, hi, lo);
  const scale = U.exp - 16446 + PI_BITS; // x * 2^PI_BITS = sig * 2^scale, scale >= 0 here
  let xf = sigBig(U.hi, U.lo) << BigInt(scale);
  if (U.sign) xf = -xf;
  const halfPi = PI_FIXED >> 1n;
  const quarterPi = PI_FIXED >> 2n;
  let q = (xf + (xf >= 0n ? quarterPi : -quarterPi)) / halfPi;
  let rf = xf - q * halfPi;
  // Keep |r| <= pi/4 after truncating division.
  if (rf > quarterPi) {
    q += 1n;
    rf -= halfPi;
  } else if (rf < -quarterPi) {
    q -= 1n;
    rf += halfPi;
  }
  REDUCED = big(rf, -PI_BITS);
  return Number(((q % 4n) + 4n) % 4n);
}

/** How the operand checks of FSIN/FCOS/FPTAN/FSINCOS end. */
const enum Trig {
  /** A finite nonzero operand below 2^63: reduce and compute. */
  Compute,
  /** A zero (each instruction knows its exact results). */
  Zero,
  /** R already holds the result (a NaN operand, an unsupported one, an infinity). */
  Special,
  /** |x| >= 2^63: the flags are recorded and C2 set; nothing else changes, the instruction ends. */
  OutOfRange,
}

/** The operand checks of FSIN/FCOS/FPTAN/FSINCOS on ST(0) (in X). */
function trigOperand(cpu: Cpu): Trig {
  const { se, hi, lo, kind } = X;
  if (specialOperand(se, hi, lo, kind)) return Trig.Special;
  if (kind === Kind.Infinity) {
    invalid();
    return Trig.Special;
  }
  if (kind === Kind.Zero) return Trig.Zero;
  if (kind === Kind.Denormal) fx.flags |= DE;
  if ((se & 0x7fff) < 16383 + 63) return Trig.Compute;
  commit(cpu, fx.flags);
  cpu.fpuStatus |= C2;
  return Trig.OutOfRange;
}

/** FSIN (i.op 0) and FCOS (i.op 1) */
export function fsinFcos(cpu: Cpu, i: Insn): void {
  if (!st0Operand(cpu, i, true)) return;
  const { se, hi, lo } = X;
  switch (trigOperand(cpu)) {
    case Trig.OutOfRange:
      return;
    case Trig.Special:
      break;
    case Trig.Zero:
      if (i.op === 0) setR(se, hi, lo);
      else setR(0x3fff, 0x80000000, 0);
      break;
    default: {
      const q = reduce(se, hi, lo);
      const [s, c, sTail, cTail] = sinCosTails(REDUCED);
      const k = (q + i.op) & 3; // cos x = sin(x + pi/2)
      const v = k === 0 ? s : k === 1 ? c : k === 2 ? bneg(s) : bneg(c);
      const tail = k === 0 ? sTail : k === 1 ? cTail : k === 2 ? -sTail : -cTail;
      toExt(v, roundingOf(cpu), masksOf(cpu), tail);
    }
  }
  writeResult(cpu, fx.flags);
}

/** FPTAN: ST(0) = tan(ST(0)), then pushes 1.0 (a NaN result: pushes it again). */
export function fptan(cpu: Cpu, i: Insn): void {
  if (!pushingOperand(cpu, i, true)) return;
  const { se, hi, lo } = X;
  let nan = false;
  switch (trigOperand(cpu)) {
    case Trig.OutOfRange:
      return;
    case Trig.Special:
      nan = true;
      break;
    case Trig.Zero:
      setR(se, hi, lo);
      break;
    default: {
      const q = reduce(se, hi, lo);
      const [s, c] = sinCos(REDUCED);
      // tan x = x + x^3/3 + ... for tiny x (q even); -cot is never tiny.
      const tail = q & 1 ? 0 : isTiny(REDUCED) ? sign(REDUCED) : 0;
      toExt(q & 1 ? bneg(bdiv(c, s)) : bdiv(s, c), roundingOf(cpu), masksOf(cpu), tail);
    }
  }
  if (!commit(cpu, fx.flags)) return;
  writeSt(cpu, 0, R.se, R.hi, R.lo);
  push(cpu);
  if (nan) writeSt(cpu, 0, R.se, R.hi, R.lo);
  else writeSt(cpu, 0, 0x3fff, 0x80000000, 0);
}

/** FSINCOS: ST(0) = sin, then pushes cos (ST(0) = cos, ST(1) = sin). */
export function fsincos(cpu: Cpu, i: Insn): void {
  if (!pushingOperand(cpu, i, true)) return;
  const { se, hi, lo } = X;
  let sinSe: number;
  let sinHi: number;
  let sinLo: number;
  switch (trigOperand(cpu)) {
    case Trig.OutOfRange:
      return;
    case Trig.Special:
      sinSe = R.se;
      sinHi = R.hi;
      sinLo = R.lo;
      break;
    case Trig.Zero:
      sinSe = se;
      sinHi = hi;
      sinLo = lo;
      setR(0x3fff, 0x80000000, 0);
      break;
    default: {
      const q = reduce(se, hi, lo);
      const [s, c, sTail, cTail] = sinCosTails(REDUCED);
      const rc = roundingOf(cpu);
      const masks = masksOf(cpu);
      toExt(q === 0 ? s : q === 1 ? c : q === 2 ? bneg(s) : bneg(c), rc, masks, q === 0 ? sTail : q === 1 ? cTail : q === 2 ? -sTail : -cTail);
      sinSe = R.se;
      sinHi = R.hi;
      sinLo = R.lo;
      const sinFlags = fx.flags;
      toExt(q === 0 ? c : q === 1 ? bneg(s) : q === 2 ? bneg(c) : s, rc, masks, q === 0 ? cTail : q === 1 ? -sTail : q === 2 ? -cTail : sTail);
      // C1 reports the rounding of the last result (cos); the other flags accumulate.
      fx.flags |= sinFlags & ~0x200;
    }
  }
  if (!commit(cpu, fx.flags)) return;
  writeSt(cpu, 0, sinSe, sinHi, sinLo);
  push(cpu);
  writeSt(cpu, 0, R.se, R.hi, R.lo);
}
