// Conversions between the 80-bit format and the memory formats the x87 loads and stores:
// singles, doubles, 16/32/64-bit integers (exact on the way in; rounded per RC, with the
// integer indefinite for NaNs and values out of range, on the way out). Results in R (extended),
// D (double bits) or I (integer halves), flags in fx.flags.
import { C1, DOUBLE, fx, IE, Kind, kindOf, packedTiny, PE, R, Rc, roundPack, setR, SINGLE, Unpacked, unpack } from './float80.js';

const TWO_32 = 4294967296;

// ---------------------------------------------------------------- conversions from memory

/** Set by the single/double loads: the source was denormal in its own format (an operand that
 *  raises DE once the operation gets that far). */
export let loadedDenormal = false;

/** Single-precision bits to extended (exact) in R; SNaNs are quieted but IE is left to the
 *  caller (FLD raises it, arithmetic raises it through NaN propagation). */
export function fromF32(bits: number): void {
  const sign = bits >>> 31;
  const e = (bits >>> 23) & 0xff;
  const f = bits & 0x7fffff;
  loadedDenormal = false;
  if (e === 0xff) {
    R.se = (sign << 15) | 0x7fff;
    R.hi = (0x80000000 | (f << 8)) >>> 0;
    R.lo = 0;
  } else if (e === 0) {
    if (f === 0) setR(sign << 15, 0, 0);
    else {
      loadedDenormal = true;
      const n = Math.clz32(f) - 8; // shift that brings bit 22.. to bit 23
      R.se = (sign << 15) | (16383 - 126 - n);
      R.hi = (f << (8 + n)) >>> 0;
      R.lo = 0;
    }
  } else {
    R.se = (sign << 15) | (e - 127 + 16383);
    R.hi = (0x80000000 | (f << 8)) >>> 0;
    R.lo = 0;
  }
}

/** Double-precision bits (lo, hi) to extended (exact) in R. */
export function fromF64(lo: number, hi: number): void {
  const sign = hi >>> 31;
  const e = (hi >>> 20) & 0x7ff;
  const fh = hi & 0xfffff;
  loadedDenormal = false;
  if (e === 0x7ff) {
    R.se = (sign << 15) | 0x7fff;
    R.hi = (0x80000000 | (fh << 11) | (lo >>> 21)) >>> 0;
    R.lo = (lo << 11) >>> 0;
  } else if (e === 0) {
    if (fh === 0 && lo === 0) setR(sign << 15, 0, 0);
    else {
      loadedDenormal = true;
      // Shift the 52-bit fraction left until its top bit reaches bit 63.
      let h = fh;
      let l = lo >>> 0;
      let n: number;
      if (h !== 0) n = Math.clz32(h) - 11;
      else n = 21 + Math.clz32(l);
      // n = 52 - (position of the top fraction bit); shift it to bit 63.
      const s = 11 + n;
      if (s >= 32) {
        h = (l << (s - 32)) >>> 0;
        l = 0;
      } else {
        h = ((h << s) | (l >>> (32 - s))) >>> 0;
        l = (l << s) >>> 0;
      }
      R.se = (sign << 15) | (16383 - 1022 - n);
      R.hi = h;
      R.lo = l;
    }
  } else {
    R.se = (sign << 15) | (e - 1023 + 16383);
    R.hi = (0x80000000 | (fh << 11) | (lo >>> 21)) >>> 0;
    R.lo = (lo << 11) >>> 0;
  }
}

/** An 80-bit memory operand into R (any encoding, as it is). */
export function fromF80(se: number, hi: number, lo: number): void {
  loadedDenormal = false;
  setR(se, hi, lo);
}

/** A signed 32-bit integer to extended (exact) in R. */
export function fromInt32(v: number): void {
  loadedDenormal = false;
  if (v === 0) {
    setR(0, 0, 0);
    return;
  }
  const sign = v < 0 ? 1 : 0;
  const m = Math.abs(v);
  const n = Math.clz32(m);
  R.se = (sign << 15) | (16383 + 31 - n);
  R.hi = (m * 2 ** n) >>> 0;
  R.lo = 0;
}

/** A signed 64-bit integer (lo, hi int32 halves) to extended (exact) in R. */
export function fromInt64(lo: number, hi: number): void {
  loadedDenormal = false;
  let l = lo >>> 0;
  let h = hi >>> 0;
  const sign = hi < 0 ? 1 : 0;
  if (sign) {
    // two's complement negate
    l = (~l + 1) >>> 0;
    h = (~h + (l === 0 ? 1 : 0)) >>> 0;
  }
  if (h === 0 && l === 0) {
    if (sign) setR(0x8000 | (16383 + 63), 0x80000000, 0); // -2^63
    else setR(0, 0, 0);
    return;
  }
  let e = 16383 + 63;
  if (h === 0) {
    h = l;
    l = 0;
    e -= 32;
  }
  const n = Math.clz32(h);
  if (n > 0) {
    h = ((h << n) | (l >>> (32 - n))) >>> 0;
    l = (l << n) >>> 0;
    e -= n;
  }
  R.se = (sign << 15) | e;
  R.hi = h;
  R.lo = l;
}

// ---------------------------------------------------------------- conversions to memory

/** Output of the integer conversions: the low and high halves. */
export const I = { lo: 0, hi: 0 };

/**
 * Rounds an extended value to an integer of `bits` (16, 32, 64) per rc (truncating when
 * `truncate`): I.lo/I.hi (two's complement), or the integer indefinite with IE when it is a NaN,
 * infinite, unsupported or out of range; PE (and C1 when rounded up in magnitude) if inexact.
 */
export function toInteger(se: number, hi: number, lo: number, bits: number, rc: number, truncate: boolean): void {
  const kind = kindOf(se, hi, lo);
  if (kind === Kind.Zero) {
    I.lo = 0;
    I.hi = 0;
    return;
  }
  if (kind !== Kind.Normal && kind !== Kind.Denormal) return integerIndefinite(bits);
  if (truncate) rc = Rc.Zero;
  const sign = se >>> 15;
  const e = (se & 0x7fff) - 16383; // unbiased exponent of the integer bit (denormals: tiny)
  let qh: number;
  let ql: number;
  let inexact: boolean;
  let inc = false;
  if (e >= 64) return integerIndefinite(bits);
  if (e < -1 || (se & 0x7fff) === 0) {
    // |x| < 0.5
    qh = 0;
    ql = 0;
    inexact = true;
    if (rc === Rc.Up) inc = sign === 0;
    else if (rc === Rc.Down) inc = sign === 1;
  } else {
    // integer part = sig >> (63 - e), fraction bits below
    const s = 63 - e; // 0..64
    let fracHi: number; // the first discarded bit and the rest (as "half" comparison)
    let half: boolean;
    let above: boolean;
    if (s === 0) {
      qh = hi;
      ql = lo;
      inexact = false;
      half = false;
      above = false;
    } else if (s < 32) {
      ql = ((lo >>> s) | (hi << (32 - s))) >>> 0;
      qh = hi >>> s;
      const rem = (lo << (32 - s)) >>> 0; // discarded bits at the top of a word
      inexact = rem !== 0;
      half = rem === 0x80000000;
      above = rem > 0x80000000;
    } else if (s === 32) {
      ql = hi;
      qh = 0;
      inexact = lo !== 0;
      half = lo === 0x80000000;
      above = lo > 0x80000000;
    } else {
      const t = s - 32; // 1..32
      ql = t === 32 ? 0 : hi >>> t;
      qh = 0;
      fracHi = t === 32 ? hi : (hi << (32 - t)) >>> 0;
      inexact = fracHi !== 0 || lo !== 0;
      half = fracHi === 0x80000000 && lo === 0;
      above = fracHi > 0x80000000 || (fracHi === 0x80000000 && lo !== 0);
    }
    if (inexact) {
      if (rc === Rc.Nearest) inc = above || (half && (ql & 1) !== 0);
      else if (rc === Rc.Up) inc = sign === 0;
      else if (rc === Rc.Down) inc = sign === 1;
    }
  }
  if (inc) {
    ql += 1;
    if (ql === TWO_32) {
      ql = 0;
      qh += 1;
      if (qh === TWO_32) return integerIndefinite(bits); // 2^64
    }
  }
  // Range check on the magnitude (qh:ql).
  let fits: boolean;
  if (bits === 64) fits = qh < 0x80000000 || (sign === 1 && qh === 0x80000000 && ql === 0);
  else if (bits === 32) fits = qh === 0 && (ql < 0x80000000 || (sign === 1 && ql === 0x80000000));
  else fits = qh === 0 && (ql < 0x8000 || (sign === 1 && ql === 0x8000));
  if (!fits) return integerIndefinite(bits);
  if (inexact) fx.flags |= PE | (inc ? C1 : 0);
  if (sign) {
    ql = (~ql + 1) >>> 0;
    qh = (~qh + (ql === 0 ? 1 : 0)) >>> 0;
  }
  I.lo = ql | 0;
  I.hi = qh | 0;
}

function integerIndefinite(bits: number): void {
  fx.flags |= IE;
  fx.flags &= ~(PE | C1);
  if (bits === 64) {
    I.lo = 0;
    I.hi = 0x80000000 | 0;
  } else {
    I.lo = bits === 32 ? 0x80000000 | 0 : 0x8000;
    I.hi = 0;
  }
}

/** Output of toF64: the double's bits. */
export const D = { lo: 0, hi: 0 };

/** Converts an extended value to double bits in D (rounding per rc; masks as FCW for OE/UE). A
 *  denormal source does not raise DE (as FST does not). */
export function toF64(se: number, hi: number, lo: number, rc: number, masks: number, u: Unpacked): void {
  const kind = kindOf(se, hi, lo);
  const sign = se >>> 15;
  switch (kind) {
    case Kind.Zero:
      D.lo = 0;
      D.hi = (sign << 31) | 0;
      return;
    case Kind.Infinity:
      D.lo = 0;
      D.hi = ((sign << 31) | 0x7ff00000) | 0;
      return;
    case Kind.SNaN:
    case Kind.QNaN:
      if (kind === Kind.SNaN) fx.flags |= IE;
      D.hi = ((sign << 31) | 0x7ff80000 | ((hi >>> 11) & 0x7ffff)) | 0;
      D.lo = ((hi << 21) | (lo >>> 11)) | 0;
      return;
    case Kind.Unsupported:
      fx.flags |= IE;
      D.hi = 0xfff80000 | 0;
      D.lo = 0;
      return;
    default:
  }
  unpack(u, se, hi, lo);
  roundPack(u.sign, u.exp, u.hi, u.lo, 0, 53, rc, masks, DOUBLE.emin, DOUBLE.emax);
  packDouble(sign);
}

/** Packs R (as rounded into the double range by roundPack) into D. */
function packDouble(sign: number): void {
  const e = R.se & 0x7fff;
  const h = R.hi;
  const l = R.lo;
  if (e === 0x7fff) {
    D.hi = ((sign << 31) | 0x7ff00000) | 0;
    D.lo = 0;
    return;
  }
  // significand >> 11: 53 bits
  const fHi = h >>> 11; // 21 bits (bit 20 = J)
  const fLo = ((h << 21) | (l >>> 11)) >>> 0;
  if (packedTiny || e === 0) {
    D.hi = ((sign << 31) | fHi) | 0;
    D.lo = fLo | 0;
  } else {
    const de = e - (16383 - 1023);
    D.hi = ((sign << 31) | (de << 20) | (fHi & 0xfffff)) | 0;
    D.lo = fLo | 0;
  }
}

/** Converts an extended value to single bits (returned). */
export function toF32(se: number, hi: number, lo: number, rc: number, masks: number, u: Unpacked): number {
  const kind = kindOf(se, hi, lo);
  const sign = se >>> 15;
  switch (kind) {
    case Kind.Zero:
      return (sign << 31) | 0;
    case Kind.Infinity:
      return ((sign << 31) | 0x7f800000) | 0;
    case Kind.SNaN:
    case Kind.QNaN:
      if (kind === Kind.SNaN) fx.flags |= IE;
      return ((sign << 31) | 0x7fc00000 | ((hi >>> 8) & 0x3fffff)) | 0;
    case Kind.Unsupported:
      fx.flags |= IE;
      return 0xffc00000 | 0;
    default:
  }
  unpack(u, se, hi, lo);
  roundPack(u.sign, u.exp, u.hi, u.lo, 0, 24, rc, masks, SINGLE.emin, SINGLE.emax);
  const e = R.se & 0x7fff;
  if (e === 0x7fff) return ((sign << 31) | 0x7f800000) | 0;
  const f = R.hi >>> 8; // 24 bits
  if (packedTiny || e === 0) return ((sign << 31) | f) | 0;
  return ((sign << 31) | ((e - (16383 - 127)) << 23) | (f & 0x7fffff)) | 0;
}
