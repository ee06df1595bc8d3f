// The basic x87 arithmetic on 80-bit values: add, subtract, multiply, divide and square root,
// with the special cases (NaNs, infinities, zeros, unsupported encodings, denormal operands) the
// way the x87 treats them. Inputs are packed (se, hi, lo) values; the result goes to R and the
// exception flags to fx.flags. Add, subtract and multiply work on 32-bit limbs in plain numbers
// (they are the common operations); divide and square root use BigInt.
import { isqrt } from '../fp-common.js';
import {
  aligned,
  DE,
  fx,
  invalid,
  Kind,
  kindOf,
  normRoundPack,
  Rc,
  roundBig,
  roundPack,
  setR,
  shiftRightJam,
  sigBig,
  specialOperand,
  specialOperands,
  splitBig,
  Unpacked,
  unpack,
  ZE,
} from './float80.js';

const TWO_32 = 4294967296;
const A = new Unpacked();
const B = new Unpacked();

/**
 * a + b, or a - b when `subtract`. `bDenormal`: an operand came from a single/double memory
 * operand that was denormal in its own format (it raises DE like a denormal register operand;
 * the same holds for mul and div).
 */
export function add(aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number, subtract: boolean, prec: number, rc: number, masks: number, bDenormal = false): void {
  const ka = kindOf(aSe, aHi, aLo);
  const kb = kindOf(bSe, bHi, bLo);
  if ((ka !== Kind.Normal || kb !== Kind.Normal) && specialOperands(aSe, aHi, aLo, ka, bSe, bHi, bLo, kb)) return;
  const aSign = aSe >>> 15;
  const bSign = (bSe >>> 15) ^ (subtract ? 1 : 0);
  if (ka === Kind.Denormal || kb === Kind.Denormal || bDenormal) fx.flags |= DE;
  if (ka === Kind.Infinity || kb === Kind.Infinity) {
    if (ka === Kind.Infinity && kb === Kind.Infinity && aSign !== bSign) return invalid();
    setR(((ka === Kind.Infinity ? aSign : bSign) << 15) | 0x7fff, 0x80000000, 0);
    return;
  }
  if (kb === Kind.Zero) {
    if (ka === Kind.Zero) {
      setR((aSign === bSign ? aSign : rc === Rc.Down ? 1 : 0) << 15, 0, 0);
      return;
    }
    unpack(A, aSe, aHi, aLo);
    roundPack(aSign, A.exp, A.hi, A.lo, 0, prec, rc, masks);
    return;
  }
  if (ka === Kind.Zero) {
    unpack(B, bSe, bHi, bLo);
    roundPack(bSign, B.exp, B.hi, B.lo, 0, prec, rc, masks);
    return;
  }
  unpack(A, aSe, aHi, aLo);
  unpack(B, bSe, bHi, bLo);
  A.sign = aSign;
  B.sign = bSign;
  if (aSign === bSign) addMagnitudes(A, B, prec, rc, masks);
  else subtractMagnitudes(A, B, prec, rc, masks);
}

function addMagnitudes(a: Unpacked, b: Unpacked, prec: number, rc: number, masks: number): void {
  if (a.exp < b.exp) {
    const t = a;
    a = b;
    b = t;
  }
  shiftRightJam(b.hi, b.lo, 0, a.exp - b.exp);
  let ext = aligned.ext;
  let lo = a.lo + aligned.lo;
  let carry = lo >= TWO_32 ? 1 : 0;
  if (carry) lo -= TWO_32;
  let hi = a.hi + aligned.hi + carry;
  let exp = a.exp;
  if (hi >= TWO_32) {
    hi -= TWO_32;
    ext = ((ext >>> 1) | (lo << 31) | (ext & 1)) >>> 0;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi = ((hi >>> 1) | 0x80000000) >>> 0;
    exp++;
  }
  roundPack(a.sign, exp, hi, lo, ext, prec, rc, masks);
}

function subtractMagnitudes(a: Unpacked, b: Unpacked, prec: number, rc: number, masks: number): void {
  // Make |a| >= |b|; the result has a's sign.
  if (a.exp < b.exp || (a.exp === b.exp && (a.hi < b.hi || (a.hi === b.hi && a.lo < b.lo)))) {
    const t = a;
    a = b;
    b = t;
  }
  if (a.exp === b.exp && a.hi === b.hi && a.lo === b.lo) {
    setR(rc === Rc.Down ? 0x8000 : 0, 0, 0);
    return;
  }
  shiftRightJam(b.hi, b.lo, 0, a.exp - b.exp);
  let borrow = aligned.ext !== 0 ? 1 : 0;
  const ext = borrow ? TWO_32 - aligned.ext : 0;
  let lo = a.lo - aligned.lo - borrow;
  borrow = lo < 0 ? 1 : 0;
  if (borrow) lo += TWO_32;
  const hi = a.hi - aligned.hi - borrow;
  normRoundPack(a.sign, a.exp, hi, lo, ext, prec, rc, masks);
}

/** a * b */
export function mul(aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number, prec: number, rc: number, masks: number, bDenormal = false): void {
  const ka = kindOf(aSe, aHi, aLo);
  const kb = kindOf(bSe, bHi, bLo);
  if ((ka !== Kind.Normal || kb !== Kind.Normal) && specialOperands(aSe, aHi, aLo, ka, bSe, bHi, bLo, kb)) return;
  const sign = (aSe ^ bSe) >>> 15;
  if (ka === Kind.Infinity || kb === Kind.Infinity) {
    if (ka === Kind.Zero || kb === Kind.Zero) return invalid();
    if (ka === Kind.Denormal || kb === Kind.Denormal || bDenormal) fx.flags |= DE;
    setR((sign << 15) | 0x7fff, 0x80000000, 0);
    return;
  }
  if (ka === Kind.Denormal || kb === Kind.Denormal || bDenormal) fx.flags |= DE;
  if (ka === Kind.Zero || kb === Kind.Zero) {
    setR(sign << 15, 0, 0);
    return;
  }
  unpack(A, aSe, aHi, aLo);
  unpack(B, bSe, bHi, bLo);
  multiply(sign, A.exp + B.exp - 16383, A.hi, A.lo, B.hi, B.lo, prec, rc, masks);
}

// The 128-bit product of two 64-bit significands, as four 32-bit words (p3 most significant).
let p0 = 0;
let p1 = 0;
let p2 = 0;
let p3 = 0;

/** 64 x 64 -> 128-bit product in 16-bit limbs: every column sum stays below 2^36, exact in a
 *  double; `& 0xffff` takes its low limb and the exact scaling by 2^-16 the carry. */
export function product128(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const a2 = aHi & 0xffff;
  const a3 = aHi >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const b2 = bHi & 0xffff;
  const b3 = bHi >>> 16;
  let c = a0 * b0;
  const l0 = c & 0xffff;
  c = (c - l0) * INV_65536 + a0 * b1 + a1 * b0;
  const l1 = c & 0xffff;
  c = (c - l1) * INV_65536 + a0 * b2 + a1 * b1 + a2 * b0;
  const l2 = c & 0xffff;
  c = (c - l2) * INV_65536 + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  const l3 = c & 0xffff;
  c = (c - l3) * INV_65536 + a1 * b3 + a2 * b2 + a3 * b1;
  const l4 = c & 0xffff;
  c = (c - l4) * INV_65536 + a2 * b3 + a3 * b2;
  const l5 = c & 0xffff;
  c = (c - l5) * INV_65536 + a3 * b3;
  const l6 = c & 0xffff;
  const l7 = (c - l6) * INV_65536;
  p0 = l0 + l1 * 65536;
  p1 = l2 + l3 * 65536;
  p2 = l4 + l5 * 65536;
  p3 = l6 + l7 * 65536;
}

const INV_65536 = 1 / 65536;

/** Rounds sign * (aSig * bSig) * 2^(exp - 16383 - 63) where exp = aExp + bExp - 16383. */
function multiply(sign: number, exp: number, aHi: number, aLo: number, bHi: number, bLo: number, prec: number, rc: number, masks: number): void {
  product128(aHi, aLo, bHi, bLo);
  if (p3 >= 0x80000000) {
    roundPack(sign, exp + 1, p3, p2, p0 !== 0 ? (p1 | 1) >>> 0 : p1, prec, rc, masks);
  } else {
    const hi = ((p3 << 1) | (p2 >>> 31)) >>> 0;
    const lo = ((p2 << 1) | (p1 >>> 31)) >>> 0;
    let ext = ((p1 << 1) | (p0 >>> 31)) >>> 0;
    if ((p0 & 0x7fffffff) !== 0) ext = (ext | 1) >>> 0;
    roundPack(sign, exp, hi, lo, ext, prec, rc, masks);
  }
}

/** a / b */
export function div(aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number, prec: number, rc: number, masks: number, bDenormal = false): void {
  const ka = kindOf(aSe, aHi, aLo);
  const kb = kindOf(bSe, bHi, bLo);
  if ((ka !== Kind.Normal || kb !== Kind.Normal) && specialOperands(aSe, aHi, aLo, ka, bSe, bHi, bLo, kb)) return;
  const sign = (aSe ^ bSe) >>> 15;
  const denormal = ka === Kind.Denormal || kb === Kind.Denormal || bDenormal;
  if (ka === Kind.Infinity) {
    if (kb === Kind.Infinity) return invalid();
    if (denormal) fx.flags |= DE;
    setR((sign << 15) | 0x7fff, 0x80000000, 0);
    return;
  }
  if (kb === Kind.Infinity) {
    if (denormal) fx.flags |= DE;
    setR(sign << 15, 0, 0);
    return;
  }
  if (kb === Kind.Zero) {
    if (ka === Kind.Zero) return invalid();
    fx.flags |= ZE;
    setR((sign << 15) | 0x7fff, 0x80000000, 0);
    return;
  }
  if (denormal) fx.flags |= DE;
  if (ka === Kind.Zero) {
    setR(sign << 15, 0, 0);
    return;
  }
  unpack(A, aSe, aHi, aLo);
  unpack(B, bSe, bHi, bLo);
  // q = floor(aSig * 2^95 / bSig) (2^96 when aSig < bSig) has 96 bits: the 64-bit significand
  // and 32 more, the remainder's being nonzero the sticky bit.
  const aBelow = A.hi < B.hi || (A.hi === B.hi && A.lo < B.lo);
  const n = sigBig(A.hi, A.lo) << (aBelow ? 96n : 95n);
  const d = sigBig(B.hi, B.lo);
  const q = n / d;
  const sticky = q * d !== n;
  const exp = A.exp - B.exp + 16383 - (aBelow ? 1 : 0);
  const ext = Number(q & 0xffffffffn);
  const words = splitBig(q >> 32n);
  roundPack(sign, exp, words[1], words[0], sticky ? (ext | 1) >>> 0 : ext, prec, rc, masks);
}

/** sqrt(a) */
export function sqrt(aSe: number, aHi: number, aLo: number, prec: number, rc: number, masks: number): void {
  const ka = kindOf(aSe, aHi, aLo);
  if (specialOperand(aSe, aHi, aLo, ka)) return;
  if (ka === Kind.Zero) return setR(aSe, aHi, aLo); // sqrt(-0) = -0
  if (aSe & 0x8000) return invalid();
  if (ka === Kind.Infinity) return setR(aSe, aHi, aLo);
  if (ka === Kind.Denormal) fx.flags |= DE;
  unpack(A, aSe, aHi, aLo);
  // a = sig * 2^k with k = exp - 16446; make k even, then scale by 2^128 for 96+ result bits.
  let k = A.exp - 16446;
  let m = sigBig(A.hi, A.lo);
  if (k & 1) {
    m <<= 1n;
    k -= 1;
  }
  const n = m << 128n;
  const root = isqrt(n);
  roundBig(0, root, (k - 128) / 2, root * root !== n, prec, rc, masks);
}

/** a compared with b (neither a NaN nor unsupported): -1, 0 or 1 (the compares). */
export function compareFinite(aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number): number {
  const ka = kindOf(aSe, aHi, aLo);
  const kb = kindOf(bSe, bHi, bLo);
  const aSign = aSe >>> 15;
  const bSign = bSe >>> 15;
  const aZero = ka === Kind.Zero;
  const bZero = kb === Kind.Zero;
  if (aZero && bZero) return 0;
  if (aZero) return bSign ? 1 : -1;
  if (bZero) return aSign ? -1 : 1;
  if (aSign !== bSign) return aSign ? -1 : 1;
  let c: number;
  if (ka === Kind.Infinity || kb === Kind.Infinity) c = ka === kb ? 0 : ka === Kind.Infinity ? 1 : -1;
  else {
    unpack(A, aSe, aHi, aLo);
    unpack(B, bSe, bHi, bLo);
    c = A.exp !== B.exp ? (A.exp > B.exp ? 1 : -1) : A.hi !== B.hi ? (A.hi > B.hi ? 1 : -1) : A.lo !== B.lo ? (A.lo > B.lo ? 1 : -1) : 0;
  }
  return aSign ? -c : c;
}
