// The x87 80-bit extended format: classification, NaN propagation, and exact rounding to a
// precision and an exponent range (conversions to and from memory formats are in convert.ts).
//
// A value travels as three numbers: `se` (sign << 15 | biased exponent, the register's bits
// 64-79) and the 64-bit significand as uint32 halves `hi` (bit 31 = the explicit integer bit J)
// and `lo`. Arithmetic works on unpacked operands: sign, an unbounded biased exponent `exp` and a
// normalized significand (J set), so value = sig * 2^(exp - 16383 - 63); denormals are
// normalized to exponents below 1. Results carry a third word `ext` of bits below the
// significand (with any further nonzero bits ORed into its bit 0) into `roundPack`, which
// rounds to the precision control (24, 53 or 64 bits) and rounding control, denormalizes tiny
// results (tininess is detected after rounding), and handles overflow, all the way the x87 does;
// the same routine rounds for FST to a single or double by narrowing the exponent range.
//
// Exception flags accumulate in `fx.flags` (FSW bit positions); C1 (0x200) there means "the
// result was rounded up in magnitude". The flag bits IE..PE and Rc are those SSE uses too
// (../fp-common.ts), re-exported here for the x87 files.
import { bitLength, DE, IE, OE, PE, Rc, UE } from '../fp-common.js';

export { bitLength, DE, IE, OE, PE, Rc, UE, ZE } from '../fp-common.js';

/** Stack fault (with IE; C1 tells overflow from underflow). */
export const SF = 0x40;
export const ES = 0x80;
export const C0 = 0x100;
export const C1 = 0x200;
export const C2 = 0x400;
export const C3 = 0x4000;

/** The unbiased exponent of unmasked over/underflow results is moved by this much. */
export const BIAS_ADJUST = 24576;

export const enum Kind {
  Zero = 0,
  Normal = 1,
  /** Exponent field 0 and a nonzero significand (pseudo-denormals included). */
  Denormal = 2,
  Infinity = 3,
  QNaN = 4,
  SNaN = 5,
  /** Unnormals, pseudo-NaNs and pseudo-infinities: invalid operands. */
  Unsupported = 6,
}

const TWO_32 = 4294967296;

/** Per-instruction accumulator of exception flags (and C1 = rounded up). */
export const fx = { flags: 0 };

/** The output of roundPack and of the conversions: a packed 80-bit value. */
export const R = { se: 0, hi: 0, lo: 0 };

export function kindOf(se: number, hi: number, lo: number): Kind {
  const e = se & 0x7fff;
  if (e === 0) return hi === 0 && lo === 0 ? Kind.Zero : Kind.Denormal;
  if (!(hi & 0x80000000)) return Kind.Unsupported;
  if (e === 0x7fff) {
    if ((hi & 0x7fffffff) === 0 && lo === 0) return Kind.Infinity;
    return hi & 0x40000000 ? Kind.QNaN : Kind.SNaN;
  }
  return Kind.Normal;
}

/** Writes the "real indefinite" QNaN to R. */
export function indefinite(): void {
  R.se = 0xffff;
  R.hi = 0xc0000000;
  R.lo = 0;
}

export function setR(se: number, hi: number, lo: number): void {
  R.se = se;
  R.hi = hi;
  R.lo = lo;
}

/** The NaN result of a two-operand operation where at least one operand is a NaN (neither is
 *  unsupported): an SNaN raises IE; a QNaN beats an SNaN; of two NaNs of the same kind, the one
 *  with the larger significand (on a tie, the positive one; then b). Quieted, in R. */
export function propagateNaN(aSe: number, aHi: number, aLo: number, aKind: Kind, bSe: number, bHi: number, bLo: number, bKind: Kind): void {
  const aNaN = aKind === Kind.QNaN || aKind === Kind.SNaN;
  const bNaN = bKind === Kind.QNaN || bKind === Kind.SNaN;
  if (aKind === Kind.SNaN || bKind === Kind.SNaN) fx.flags |= IE;
  let pickA: boolean;
  if (aNaN && !bNaN) pickA = true;
  else if (bNaN && !aNaN) pickA = false;
  else if (aKind !== bKind) pickA = aKind === Kind.QNaN;
  else {
    const ah = aHi & 0xbfffffff;
    const bh = bHi & 0xbfffffff;
    if (ah !== bh) pickA = ah > bh;
    else if (aLo !== bLo) pickA = aLo > bLo;
    else pickA = aSe < bSe;
  }
  if (pickA) setR(aSe, (aHi | 0x40000000) >>> 0, aLo);
  else setR(bSe, (bHi | 0x40000000) >>> 0, bLo);
}

/** An invalid operation: IE, and the indefinite in R. */
export function invalid(): void {
  fx.flags |= IE;
  indefinite();
}

/** The common start of one-operand operations: an unsupported operand is invalid; a NaN gives
 *  itself quieted (an SNaN raises IE). Returns true when R already holds the result. */
export function specialOperand(se: number, hi: number, lo: number, kind: Kind): boolean {
  if (kind === Kind.Unsupported) {
    invalid();
    return true;
  }
  if (kind === Kind.SNaN || kind === Kind.QNaN) {
    if (kind === Kind.SNaN) fx.flags |= IE;
    setR(se, (hi | 0x40000000) >>> 0, lo);
    return true;
  }
  return false;
}

/** The same for two-operand operations: an unsupported operand is invalid; a NaN operand gives
 *  the propagated NaN. Returns true when R already holds the result. */
export function specialOperands(aSe: number, aHi: number, aLo: number, ka: Kind, bSe: number, bHi: number, bLo: number, kb: Kind): boolean {
  if (ka === Kind.Unsupported || kb === Kind.Unsupported) {
    invalid();
    return true;
  }
  if (ka >= Kind.QNaN || kb >= Kind.QNaN) {
    propagateNaN(aSe, aHi, aLo, ka, bSe, bHi, bLo, kb);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- unpacking

/** Unpacked operand: sign, unbounded biased exponent, normalized significand. */
export class Unpacked {
  sign = 0;
  exp = 0;
  hi = 0;
  lo = 0;
}

/** Unpacks a finite nonzero value (normal or denormal). */
export function unpack(u: Unpacked, se: number, hi: number, lo: number): void {
  u.sign = se >>> 15;
  let e = se & 0x7fff;
  if (e === 0) {
    // Denormal or pseudo-denormal: the exponent is that of the smallest normal (1).
    e = 1;
    if (!(hi & 0x80000000)) {
      let n: number;
      if (hi !== 0) {
        n = Math.clz32(hi);
        hi = ((hi << n) | (lo >>> (32 - n))) >>> 0;
        lo = (lo << n) >>> 0;
      } else {
        n = 32 + Math.clz32(lo);
        hi = (lo << (n - 32)) >>> 0;
        lo = 0;
      }
      e -= n;
    }
  }
  u.exp = e;
  u.hi = hi;
  u.lo = lo;
}

// ---------------------------------------------------------------- rounding

// Outputs of roundSig.
let rHi = 0;
let rLo = 0;
let rCarry = false;
let rInexact = false;
let rUp = false;

/** Rounds the 96-bit significand (hi, lo, ext) to `prec` bits (64, 53 or 24) in rounding mode
 *  rc. rCarry: the significand overflowed (it is then 2^63 and the exponent must grow). */
function roundSig(sign: number, hi: number, lo: number, ext: number, prec: number, rc: number): void {
  let inc = false;
  rCarry = false;
  if (prec === 64) {
    rInexact = ext !== 0;
    if (rInexact) {
      if (rc === Rc.Nearest) inc = ext > 0x80000000 || (ext === 0x80000000 && (lo & 1) !== 0);
      else inc = rc === Rc.Up ? sign === 0 : rc === Rc.Down ? sign === 1 : false;
      if (inc) {
        lo += 1;
        if (lo === TWO_32) {
          lo = 0;
          hi += 1;
          if (hi === TWO_32) {
            hi = 0x80000000;
            rCarry = true;
          }
        }
      }
    }
  } else if (prec === 53) {
    const r = lo & 0x7ff;
    rInexact = r !== 0 || ext !== 0;
    if (rInexact) {
      lo -= r;
      if (rc === Rc.Nearest) inc = r > 0x400 || (r === 0x400 && (ext !== 0 || (lo & 0x800) !== 0));
      else inc = rc === Rc.Up ? sign === 0 : rc === Rc.Down ? sign === 1 : false;
      if (inc) {
        lo += 0x800;
        if (lo >= TWO_32) {
          lo -= TWO_32;
          hi += 1;
          if (hi === TWO_32) {
            hi = 0x80000000;
            rCarry = true;
          }
        }
      }
    }
  } else {
    const r = hi & 0xff;
    const rest = lo !== 0 || ext !== 0;
    rInexact = r !== 0 || rest;
    if (rInexact) {
      hi -= r;
      lo = 0;
      if (rc === Rc.Nearest) inc = r > 0x80 || (r === 0x80 && (rest || (hi & 0x100) !== 0));
      else inc = rc === Rc.Up ? sign === 0 : rc === Rc.Down ? sign === 1 : false;
      if (inc) {
        hi += 0x100;
        if (hi >= TWO_32) {
          hi = 0x80000000;
          rCarry = true;
        }
      }
    }
  }
  rHi = hi;
  rLo = lo;
  rUp = inc;
}

/** The exponent ranges roundPack rounds into for a store to a double or a single (biased like
 *  the extended format). */
export const DOUBLE = { emin: 16383 - 1022, emax: 16383 + 1023 };
export const SINGLE = { emin: 16383 - 126, emax: 16383 + 127 };

/** Set by roundPack: the result is denormal in its format (or zero), R.se holds exponent 0. */
export let packedTiny = false;

/**
 * Rounds sign * (hi:lo:ext) * 2^(exp - 16383 - 63) (hi normalized, bit 31 set) to `prec` bits in
 * rounding mode rc within [emin, emax], into R (an extended value: sign, exponent field, 64-bit
 * significand; exponent field 0 for denormal results). `masks` are the FCW exception masks: an
 * unmasked underflow or overflow delivers the result with its exponent moved by 24576 instead
 * (only meaningful for register destinations; a store discards it), or, when that still does not
 * bring it into range, a signed zero or infinity.
 */
export function roundPack(sign: number, exp: number, hi: number, lo: number, ext: number, prec: number, rc: number, masks: number, emin = 1, emax = 0x7ffe): void {
  packedTiny = false;
  if (exp < emin) {
    // Tininess is detected after rounding: tiny unless rounding at `prec` with an unbounded
    // exponent carries the value up to the smallest normal.
    let tiny = true;
    if (exp === emin - 1) {
      roundSig(sign, hi, lo, ext, prec, rc);
      tiny = !rCarry;
    }
    if (tiny) {
      if (!(masks & UE)) {
        // Unmasked: the exponent moves up by 24576; a result still too small becomes zero.
        fx.flags |= UE;
        if (exp + BIAS_ADJUST < emin || exp + BIAS_ADJUST > emax) {
          fx.flags |= PE;
          packedTiny = true;
          setR(sign << 15, 0, 0);
          return;
        }
        exp += BIAS_ADJUST;
      } else {
        // Denormalize, then round at the same bit position of the significand field.
        denormalize(hi, lo, ext, emin - exp);
        roundSig(sign, sHi, sLo, sExt, prec, rc);
        if (rInexact) fx.flags |= UE | PE;
        if (rUp) fx.flags |= C1;
        if (rHi & 0x80000000) {
          R.se = (sign << 15) | emin;
        } else {
          R.se = sign << 15;
          packedTiny = true;
        }
        R.hi = rHi;
        R.lo = rLo;
        return;
      }
    }
  }
  roundSig(sign, hi, lo, ext, prec, rc);
  if (rCarry) exp++;
  if (rInexact) fx.flags |= PE;
  if (rUp) fx.flags |= C1;
  if (exp > emax) {
    const unmasked = !(masks & OE);
    if (unmasked && exp - BIAS_ADJUST <= emax && exp - BIAS_ADJUST >= emin) {
      fx.flags |= OE;
      exp -= BIAS_ADJUST;
    } else {
      // Masked, or unmasked and too large for the exponent adjustment (then infinity).
      fx.flags |= OE | PE;
      const toInfinity = unmasked || rc === Rc.Nearest || (rc === Rc.Up && sign === 0) || (rc === Rc.Down && sign === 1);
      if (toInfinity) {
        fx.flags |= C1;
        R.se = (sign << 15) | 0x7fff;
        R.hi = 0x80000000;
        R.lo = 0;
      } else {
        fx.flags &= ~C1;
        R.se = (sign << 15) | emax;
        R.hi = prec === 24 ? 0xffffff00 : 0xffffffff;
        R.lo = prec === 64 ? 0xffffffff : prec === 53 ? 0xfffff800 : 0;
      }
      return;
    }
  }
  R.se = (sign << 15) | (exp & 0x7fff);
  R.hi = rHi;
  R.lo = rLo;
}

let sHi = 0;
let sLo = 0;
let sExt = 0;

/** Shifts (hi, lo, ext) right by `shift` > 0 bits, ORing every bit shifted out of ext into its
 *  bit 0; result in sHi, sLo, sExt. */
function denormalize(hi: number, lo: number, ext: number, shift: number): void {
  if (shift >= 96) {
    sHi = 0;
    sLo = 0;
    sExt = hi !== 0 || lo !== 0 || ext !== 0 ? 1 : 0;
    return;
  }
  while (shift >= 32) {
    ext = lo | (ext !== 0 ? 1 : 0);
    lo = hi;
    hi = 0;
    shift -= 32;
  }
  if (shift > 0) {
    const lost = (ext << (32 - shift)) !== 0 ? 1 : 0;
    ext = ((ext >>> shift) | (lo << (32 - shift)) | lost) >>> 0;
    lo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
    hi = hi >>> shift;
  }
  sHi = hi >>> 0;
  sLo = lo >>> 0;
  sExt = ext >>> 0;
}

/** Shifts (hi, lo, ext) right by d >= 0 with jamming (as denormalize), for operand alignment.
 *  Result in the exported variables via `aligned`. */
export function shiftRightJam(hi: number, lo: number, ext: number, d: number): void {
  if (d === 0) {
    sHi = hi;
    sLo = lo;
    sExt = ext;
  } else denormalize(hi, lo, ext, d);
  aligned.hi = sHi;
  aligned.lo = sLo;
  aligned.ext = sExt;
}
export const aligned = { hi: 0, lo: 0, ext: 0 };

/** Normalizes sign * (hi:lo:ext) * 2^(exp - 16446) (not all zero) and rounds it (roundPack). */
export function normRoundPack(sign: number, exp: number, hi: number, lo: number, ext: number, prec: number, rc: number, masks: number): void {
  if (hi === 0) {
    if (lo === 0) {
      hi = ext;
      lo = 0;
      ext = 0;
      exp -= 64;
    } else {
      hi = lo;
      lo = ext;
      ext = 0;
      exp -= 32;
    }
  }
  const n = Math.clz32(hi);
  if (n > 0) {
    hi = ((hi << n) | (lo >>> (32 - n))) >>> 0;
    lo = ((lo << n) | (ext >>> (32 - n))) >>> 0;
    ext = (ext << n) >>> 0;
    exp -= n;
  }
  roundPack(sign, exp, hi, lo, ext, prec, rc, masks);
}

/** Rounds sign * v * 2^scale (v > 0; `sticky`: further nonzero bits lie below v's last bit)
 *  into R with roundPack. */
export function roundBig(sign: number, v: bigint, scale: number, sticky: boolean, prec: number, rc: number, masks: number, emin = 1, emax = 0x7ffe): void {
  const n = bitLength(v);
  // Keep the top 96 bits as hi:lo:ext.
  let top: bigint;
  if (n > 96) {
    const drop = BigInt(n - 96);
    top = v >> drop;
    if (!sticky && top << drop !== v) sticky = true;
  } else top = v << BigInt(96 - n);
  const hi = Number(top >> 64n);
  const lo = Number((top >> 32n) & 0xffffffffn);
  let ext = Number(top & 0xffffffffn);
  if (sticky) ext = (ext | 1) >>> 0;
  // value = top * 2^(scale + n - 96) = sig * 2^(exp - 16446) with sig = top >> 32.
  const exp = scale + n - 96 + 32 + 16446;
  roundPack(sign, exp, hi, lo, ext, prec, rc, masks, emin, emax);
}

// A 64-bit lane shared by the BigInt conversions (one BigInt allocation instead of three).
const LANE = new BigUint64Array(1);
const LANE32 = new Uint32Array(LANE.buffer);

/** The 64-bit significand as a BigInt. */
export function sigBig(hi: number, lo: number): bigint {
  LANE32[0] = lo;
  LANE32[1] = hi;
  return LANE[0];
}

/** Splits the low 64 bits of v into LANE32 (low word [0], high word [1]). */
export function splitBig(v: bigint): Uint32Array {
  LANE[0] = v;
  return LANE32;
}
