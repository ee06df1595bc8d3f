// IEEE arithmetic as SSE does it: MXCSR rounding control, DAZ/FTZ, and the sticky exception flags
// (IE DE ZE OE UE PE), bit-exact NaN propagation (first source operand wins, SNaNs are quieted,
// invalid operations give the negative "real indefinite" QNaN).
//
// Lanes travel as bit patterns: single as an int32, double as (lo, hi) int32 halves with the
// high half returned through `fp.hi`. The fast paths use JS doubles, which round to nearest:
//  - single precision: the exact result of + - * / sqrt of two singles rounded to double and then
//    to single is the correctly rounded single (double rounding is innocuous, 53 >= 2*24+2);
//    inexactness comes from comparing back (TwoSum for +, r*b == a for /, r*r == a for sqrt);
//  - double precision: TwoSum / Dekker's TwoProduct give the exact error of the rounded result.
// Everything else (directed rounding, results near the underflow or overflow threshold, operands
// outside the ranges where those error terms are exact) takes the exact path: operands as BigInt
// significands, the exact result rounded by `roundExact`. Tininess is detected after rounding, as
// on x86.
//
// Denormal operands: DAZ turns them into signed zeros first (MIN/MAX then return the zeroed
// operand); without DAZ they raise DE, unless a NaN operand, an invalid operation or a division
// by zero takes priority.
//
// Unmasked exceptions: the instruction stores nothing and raises SIGFPE with the si_code Linux
// derives from MXCSR. An unmasked pre-computation exception (IE, DE, ZE) records only those
// flags; otherwise all flags of the computation are recorded.
import { CpuException, SIGFPE } from '../faults.js';
import { bitLength, DE, IE, isqrt, OE, PE, Rc, UE, ZE } from '../fp-common.js';
import type { Insn } from '../insn.js';
import type { Cpu } from '../state.js';

export const DAZ = 0x40;
export const UM = 0x800;
export const FTZ = 0x8000;
export const RC_MASK = 0x6000;

/** Arithmetic operations shared by the PS/SS/PD/SD forms (also i.op in the binder). */
export const enum FpOp {
  Add = 0,
  Sub = 1,
  Mul = 2,
  Div = 3,
  Sqrt = 4,
  Min = 5,
  Max = 6,
}

/** Per-instruction accumulator: exception flags raised so far; high half of a double result. */
export const fp = { flags: 0, hi: 0 };

export const F32_DEFAULT_NAN = 0xffc00000 | 0;
export const F64_DEFAULT_NAN_HI = 0xfff80000 | 0;

const MIN_NORMAL_F32 = 1.1754943508222875e-38; // 2^-126
const MIN_NORMAL_F64 = 2.2250738585072014e-308; // 2^-1022

// ---------------------------------------------------------------- bit conversions

const cvBuffer = new ArrayBuffer(8);
const cvF32 = new Float32Array(cvBuffer);
const cvF64 = new Float64Array(cvBuffer);
const cvI32 = new Int32Array(cvBuffer);

/** Bits of a single-precision value (not a NaN). */
export function f32Bits(v: number): number {
  cvF32[0] = v;
  return cvI32[0];
}

export function bitsToF32(bits: number): number {
  cvI32[0] = bits;
  return cvF32[0];
}

/** Low half of a double's bits (not a NaN); the high half goes to fp.hi. */
export function f64Bits(v: number): number {
  cvF64[0] = v;
  fp.hi = cvI32[1];
  return cvI32[0];
}

export function bitsToF64(lo: number, hi: number): number {
  cvI32[0] = lo;
  cvI32[1] = hi;
  return cvF64[0];
}

// ---------------------------------------------------------------- classification

export function isNaN32(bits: number): boolean {
  return (bits & 0x7fffffff) > 0x7f800000;
}

export function isNaN64(lo: number, hi: number): boolean {
  const h = hi & 0x7fffffff;
  return h > 0x7ff00000 || (h === 0x7ff00000 && lo !== 0);
}

function isDenormal32(bits: number): boolean {
  return (bits & 0x7f800000) === 0 && (bits & 0x7fffff) !== 0;
}

function isDenormal64(lo: number, hi: number): boolean {
  return (hi & 0x7ff00000) === 0 && ((hi & 0xfffff) | lo) !== 0;
}

/** A denormal single source operand: zero with its sign under DAZ, else raises DE. */
export function denormal32(bits: number, mxcsr: number): number {
  if (!isDenormal32(bits)) return bits;
  if (mxcsr & DAZ) return bits & 0x80000000;
  fp.flags |= DE;
  return bits;
}

/** A double operand's value after DAZ (a denormal becomes a signed zero), raising DE for a
 *  denormal without DAZ. */
function value64(lo: number, hi: number, mxcsr: number): number {
  if (isDenormal64(lo, hi)) {
    if (mxcsr & DAZ) return hi < 0 ? -0 : 0;
    fp.flags |= DE;
  }
  return bitsToF64(lo, hi);
}

// ---------------------------------------------------------------- exceptions

/** Ends a floating-point instruction before its results are stored: records the exception
 *  flags in MXCSR; an unmasked exception raises SIGFPE (#XM) instead, so nothing is stored. */
export function commitFlags(cpu: Cpu, i: Insn): void {
  const flags = fp.flags;
  if (flags === 0) return;
  const unmasked = flags & ~(cpu.mxcsr >> 7) & 0x3f;
  // An unmasked pre-computation exception (IE, DE, ZE in any lane) stops the instruction before
  // anything is computed: only those flags are recorded.
  if (unmasked & (IE | DE | ZE)) {
    cpu.mxcsr |= flags & (IE | DE | ZE);
    throw simdException(cpu, i);
  }
  cpu.mxcsr |= flags;
  if (unmasked) throw simdException(cpu, i);
}

/** SIGFPE for #XM with the si_code Linux computes (arch/x86/kernel/fpu/core.c). */
function simdException(cpu: Cpu, i: Insn): CpuException {
  const err = ~(cpu.mxcsr >> 7) & cpu.mxcsr;
  let code = 0;
  if (err & IE) code = 7; // FPE_FLTINV
  else if (err & ZE) code = 3; // FPE_FLTDIV
  else if (err & OE) code = 4; // FPE_FLTOVF
  else if (err & (UE | DE)) code = 5; // FPE_FLTUND
  else if (err & PE) code = 6; // FPE_FLTRES
  return new CpuException(SIGFPE, code, i.rip);
}

// ---------------------------------------------------------------- exact rounding (slow path)

interface Format {
  /** Precision in bits, including the implicit one. */
  p: number;
  emin: number;
  bias: number;
  /** All-ones exponent field. */
  maxField: number;
}

const SINGLE: Format = { p: 24, emin: -126, bias: 127, maxField: 255 };
const DOUBLE: Format = { p: 53, emin: -1022, bias: 1023, maxField: 2047 };

/** Rounds m * 2^e (plus, when `sticky`, a positive amount below 2^e) at the grid 2^g. Returns the
 *  rounded significand at that grid; `roundInexact` tells whether it changed the value. */
let roundInexact = false;
function roundAt(m: bigint, e: number, sticky: boolean, g: number, negative: boolean, rc: number): bigint {
  const shift = g - e;
  if (shift <= 0) {
    roundInexact = sticky;
    return m << BigInt(-shift);
  }
  const s = BigInt(shift);
  const q = m >> s;
  const rem = m - (q << s);
  const half = 1n << (s - 1n);
  const inexact = rem !== 0n || sticky;
  roundInexact = inexact;
  let up = false;
  switch (rc) {
    case Rc.Nearest:
      up = rem > half || (rem === half && (sticky || (q & 1n) === 1n));
      break;
    case Rc.Down:
      up = negative && inexact;
      break;
    case Rc.Up:
      up = !negative && inexact;
      break;
  }
  return up ? q + 1n : q;
}

/** The correctly rounded result (as bits) of the exact value (-1)^negative * (m + sticky) * 2^e,
 *  with MXCSR's rounding, FTZ and the OE/UE/PE flags. A sticky value needs m >= 2^(p+1). */
function roundExact(negative: boolean, m: bigint, e: number, sticky: boolean, f: Format, mxcsr: number): bigint {
  const sign = negative ? 1n << BigInt(f.p - 1 + (f === SINGLE ? 8 : 11)) : 0n;
  if (m === 0n) return sign;
  const rc = (mxcsr >> 13) & 3;
  const top = e + bitLength(m) - 1; // exponent of the leading bit
  let tiny = false;
  let unboundedInexact = false;
  if (top < f.emin) {
    // Tininess after rounding: round to p bits with an unbounded exponent.
    const q = roundAt(m, e, sticky, top - f.p + 1, negative, rc);
    unboundedInexact = roundInexact;
    tiny = !(q >> BigInt(f.p) === 1n && top + 1 >= f.emin);
  }
  const g = Math.max(top - f.p + 1, f.emin - f.p + 1);
  let q = roundAt(m, e, sticky, g, negative, rc);
  const inexact = roundInexact;
  if (tiny && mxcsr & FTZ && mxcsr & UM) {
    fp.flags |= UE | PE;
    return sign;
  }
  if (tiny && !(mxcsr & UM)) {
    // Unmasked underflow: the handler would get the result with its exponent adjusted, so PE
    // reflects the rounding at full precision.
    fp.flags |= UE | (unboundedInexact ? PE : 0);
    return sign;
  }
  if (inexact) fp.flags |= PE;
  if (tiny && inexact) fp.flags |= UE;
  let grid = g;
  if (q >> BigInt(f.p) === 1n) {
    q >>= 1n;
    grid++;
  }
  const mantBits = BigInt(f.p - 1);
  const field = q >> mantBits === 0n ? 0 : grid + f.p - 1 + f.bias;
  if (field >= f.maxField) {
    // Masked overflow is always inexact; unmasked, PE reflects the rounding at full precision.
    fp.flags |= OE | (mxcsr & 0x400 || inexact ? PE : 0);
    const toInfinity = rc === Rc.Nearest || (rc === Rc.Down && negative) || (rc === Rc.Up && !negative);
    const inf = BigInt(f.maxField) << mantBits;
    return sign | (toInfinity ? inf : inf - 1n);
  }
  return sign | (BigInt(field) << mantBits) | (q & ((1n << mantBits) - 1n));
}

/** A finite operand as sign, significand and exponent. */
interface Unpacked {
  negative: boolean;
  m: bigint;
  e: number;
}

function unpack32(bits: number): Unpacked {
  const field = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  return field === 0
    ? { negative: bits < 0, m: BigInt(mant), e: -149 }
    : { negative: bits < 0, m: BigInt(mant | 0x800000), e: field - 150 };
}

function unpack64(lo: number, hi: number): Unpacked {
  const field = (hi >>> 20) & 0x7ff;
  const mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo >>> 0);
  return field === 0
    ? { negative: hi < 0, m: mant, e: -1074 }
    : { negative: hi < 0, m: mant | (1n << 52n), e: field - 1075 };
}

/** Exact a op b (finite, DAZ applied, no invalid or divide-by-zero case) rounded to format f. */
function exactArith(op: number, a: Unpacked, b: Unpacked, f: Format, mxcsr: number): bigint {
  switch (op) {
    case FpOp.Add:
    case FpOp.Sub: {
      const bNeg = op === FpOp.Sub ? !b.negative : b.negative;
      const e = Math.min(a.e, b.e);
      const sa = (a.negative ? -a.m : a.m) << BigInt(a.e - e);
      const sb = (bNeg ? -b.m : b.m) << BigInt(b.e - e);
      const sum = sa + sb;
      if (sum === 0n) {
        // Exact zero: zeros of one sign keep it; otherwise +0, or -0 when rounding down.
        const negative = a.m === 0n && b.m === 0n && a.negative === bNeg ? bNeg : ((mxcsr >> 13) & 3) === Rc.Down;
        return roundExact(negative, 0n, 0, false, f, mxcsr);
      }
      return roundExact(sum < 0n, sum < 0n ? -sum : sum, e, false, f, mxcsr);
    }
    case FpOp.Mul:
      return roundExact(a.negative !== b.negative, a.m * b.m, a.e + b.e, false, f, mxcsr);
    case FpOp.Div: {
      const negative = a.negative !== b.negative;
      if (a.m === 0n) return roundExact(negative, 0n, 0, false, f, mxcsr);
      const k = Math.max(0, f.p + 2 + bitLength(b.m) - bitLength(a.m));
      const num = a.m << BigInt(k);
      const q = num / b.m;
      return roundExact(negative, q, a.e - b.e - k, num % b.m !== 0n, f, mxcsr);
    }
    default: {
      // Sqrt of b (non-negative).
      if (b.m === 0n) return roundExact(b.negative, 0n, 0, false, f, mxcsr);
      let m = b.m;
      let e = b.e;
      if (e & 1) {
        m <<= 1n;
        e -= 1;
      }
      let k = Math.max(0, 2 * (f.p + 2) - bitLength(m) + 1);
      if (k & 1) k++;
      m <<= BigInt(k);
      e -= k;
      const s = isqrt(m);
      return roundExact(false, s, e / 2, s * s !== m, f, mxcsr);
    }
  }
}

function split64(bits: bigint): number {
  fp.hi = Number((bits >> 32n) & 0xffffffffn) | 0;
  return Number(bits & 0xffffffffn) | 0;
}

// ---------------------------------------------------------------- error-free transformations

function twoSumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

const SPLITTER = 134217729; // 2^27 + 1

/** The exact error a*b - p of the rounded product p (valid when nothing over- or underflows). */
function twoProductError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

// ---------------------------------------------------------------- single precision

/** ADD/SUB/MUL/DIV/SQRT on single-precision bit patterns (SQRT reads only b). */
export function f32Arith(op: number, a: number, b: number, mxcsr: number): number {
  const aNaN = op !== FpOp.Sqrt && isNaN32(a);
  const bNaN = isNaN32(b);
  if (aNaN || bNaN) {
    if ((aNaN && (a & 0x400000) === 0) || (bNaN && (b & 0x400000) === 0)) fp.flags |= IE;
    return (aNaN ? a : b) | 0x400000;
  }
  // Denormals: DAZ makes them zeros; otherwise DE, unless the operation is invalid or divides
  // by zero (those take priority).
  let denormal = false;
  if (op !== FpOp.Sqrt && isDenormal32(a)) {
    if (mxcsr & DAZ) a &= 0x80000000;
    else denormal = true;
  }
  if (isDenormal32(b)) {
    if (mxcsr & DAZ) b &= 0x80000000;
    else denormal = true;
  }
  const aInf = op !== FpOp.Sqrt && (a & 0x7fffffff) === 0x7f800000;
  const bInf = (b & 0x7fffffff) === 0x7f800000;
  const signs = (a ^ b) & 0x80000000;
  if (aInf || bInf) {
    switch (op) {
      case FpOp.Add:
        if (aInf && bInf && signs) return invalid32();
        break;
      case FpOp.Sub:
        if (aInf && bInf && !signs) return invalid32();
        break;
      case FpOp.Mul:
        if ((a & 0x7fffffff) === 0 || (b & 0x7fffffff) === 0) return invalid32();
        break;
      case FpOp.Div:
        if (aInf && bInf) return invalid32();
        break;
      default:
        if (b < 0) return invalid32();
    }
    if (denormal) fp.flags |= DE;
    switch (op) {
      case FpOp.Add:
        return aInf ? a : b;
      case FpOp.Sub:
        return aInf ? a : b ^ 0x80000000;
      case FpOp.Mul:
        return signs | 0x7f800000;
      case FpOp.Div:
        return aInf ? signs | 0x7f800000 : signs;
      default:
        return b;
    }
  }
  const fa = bitsToF32(a);
  const fb = bitsToF32(b);
  if (op === FpOp.Div && fb === 0) {
    if (fa === 0) return invalid32();
    fp.flags |= ZE;
    return signs | 0x7f800000;
  }
  if (op === FpOp.Sqrt && fb < 0) return invalid32();
  if (denormal) fp.flags |= DE;
  if ((mxcsr & RC_MASK) === 0) {
    let d: number;
    switch (op) {
      case FpOp.Add:
      case FpOp.Sub: {
        const y = op === FpOp.Sub ? -fb : fb;
        d = fa + y;
        if (d === 0) return f32Bits(d);
        const r = Math.fround(d);
        if (Math.abs(d) >= MIN_NORMAL_F32 && r !== Infinity && r !== -Infinity) {
          if (r !== d || twoSumError(fa, y, d) !== 0) fp.flags |= PE;
          return f32Bits(r);
        }
        break;
      }
      case FpOp.Mul: {
        d = fa * fb;
        if (fa === 0 || fb === 0) return f32Bits(d);
        const r = Math.fround(d);
        if (Math.abs(d) >= MIN_NORMAL_F32 && r !== Infinity && r !== -Infinity) {
          if (r !== d) fp.flags |= PE;
          return f32Bits(r);
        }
        break;
      }
      case FpOp.Div: {
        d = fa / fb;
        if (fa === 0) return f32Bits(d);
        const r = Math.fround(d);
        if (Math.abs(d) >= MIN_NORMAL_F32 && r !== Infinity && r !== -Infinity) {
          if (r * fb !== fa) fp.flags |= PE;
          return f32Bits(r);
        }
        break;
      }
      default: {
        if (fb === 0) return b;
        const r = Math.fround(Math.sqrt(fb));
        if (r * r !== fb) fp.flags |= PE;
        return f32Bits(r);
      }
    }
  }
  return Number(exactArith(op, unpack32(a), unpack32(b), SINGLE, mxcsr)) | 0;
}

function invalid32(): number {
  fp.flags |= IE;
  return F32_DEFAULT_NAN;
}

/** MINSS/MAXSS lane: a NaN operand (quiet or not) raises IE and returns b, as does a tie
 *  (so MIN(+0, -0) is -0 and MIN(-0, +0) is +0). */
export function f32MinMax(max: boolean, a: number, b: number, mxcsr: number): number {
  // DAZ applies first: even a NaN compare returns the zeroed source.
  let denormal = false;
  if (isDenormal32(a)) {
    if (mxcsr & DAZ) a &= 0x80000000;
    else denormal = true;
  }
  if (isDenormal32(b)) {
    if (mxcsr & DAZ) b &= 0x80000000;
    else denormal = true;
  }
  if (isNaN32(a) || isNaN32(b)) {
    fp.flags |= IE;
    return b;
  }
  if (denormal) fp.flags |= DE;
  const fa = bitsToF32(a);
  const fb = bitsToF32(b);
  return (max ? fa > fb : fa < fb) ? a : b;
}

/** CMPPS/CMPSS predicate 0-7 on one lane: true when the predicate holds. */
export function f32Compare(predicate: number, a: number, b: number, mxcsr: number): boolean {
  const aNaN = isNaN32(a);
  const bNaN = isNaN32(b);
  if (aNaN || bNaN) {
    if (SIGNALING[predicate] || (aNaN && (a & 0x400000) === 0) || (bNaN && (b & 0x400000) === 0)) fp.flags |= IE;
    return UNORDERED[predicate];
  }
  return orderedCompare(predicate, bitsToF32(denormal32(a, mxcsr)), bitsToF32(denormal32(b, mxcsr)));
}

/** Predicates 1, 2, 5, 6 (LT, LE, NLT, NLE) signal on QNaNs too. */
const SIGNALING = [false, true, true, false, false, true, true, false];
/** The result of each predicate when an operand is a NaN. */
const UNORDERED = [false, false, false, true, true, true, true, false];

function orderedCompare(predicate: number, a: number, b: number): boolean {
  switch (predicate) {
    case 0:
      return a === b;
    case 1:
      return a < b;
    case 2:
      return a <= b;
    case 3:
      return false;
    case 4:
      return a !== b;
    case 5:
      return !(a < b);
    case 6:
      return !(a <= b);
    default:
      return true;
  }
}

/** COMISS/UCOMISS: returns ZF|PF|CF as RFLAGS bits (0x45 unordered, 0x40 equal, 0x01 less). */
export function f32CompareFlags(signalQuiet: boolean, a: number, b: number, mxcsr: number): number {
  const aNaN = isNaN32(a);
  const bNaN = isNaN32(b);
  if (aNaN || bNaN) {
    if (signalQuiet || (aNaN && (a & 0x400000) === 0) || (bNaN && (b & 0x400000) === 0)) fp.flags |= IE;
    return 0x45;
  }
  const fa = bitsToF32(denormal32(a, mxcsr));
  const fb = bitsToF32(denormal32(b, mxcsr));
  return fa === fb ? 0x40 : fa < fb ? 0x01 : 0;
}

// ---------------------------------------------------------------- double precision

/** ADD/SUB/MUL/DIV/SQRT on doubles given as bit halves (SQRT reads only b). Returns the low half
 *  of the result, the high half in fp.hi. */
export function f64Arith(op: number, aLo: number, aHi: number, bLo: number, bHi: number, mxcsr: number): number {
  const aNaN = op !== FpOp.Sqrt && isNaN64(aLo, aHi);
  const bNaN = isNaN64(bLo, bHi);
  if (aNaN || bNaN) {
    if ((aNaN && (aHi & 0x80000) === 0) || (bNaN && (bHi & 0x80000) === 0)) fp.flags |= IE;
    if (aNaN) {
      fp.hi = aHi | 0x80000;
      return aLo;
    }
    fp.hi = bHi | 0x80000;
    return bLo;
  }
  let denormal = false;
  if (op !== FpOp.Sqrt && isDenormal64(aLo, aHi)) {
    if (mxcsr & DAZ) {
      aLo = 0;
      aHi &= 0x80000000;
    } else denormal = true;
  }
  if (isDenormal64(bLo, bHi)) {
    if (mxcsr & DAZ) {
      bLo = 0;
      bHi &= 0x80000000;
    } else denormal = true;
  }
  const aInf = op !== FpOp.Sqrt && (aHi & 0x7fffffff) === 0x7ff00000 && aLo === 0;
  const bInf = (bHi & 0x7fffffff) === 0x7ff00000 && bLo === 0;
  const signs = (aHi ^ bHi) & 0x80000000;
  if (aInf || bInf) {
    switch (op) {
      case FpOp.Add:
        if (aInf && bInf && signs) return invalid64();
        break;
      case FpOp.Sub:
        if (aInf && bInf && !signs) return invalid64();
        break;
      case FpOp.Mul:
        if (((aHi & 0x7fffffff) | aLo) === 0 || ((bHi & 0x7fffffff) | bLo) === 0) return invalid64();
        break;
      case FpOp.Div:
        if (aInf && bInf) return invalid64();
        break;
      default:
        if (bHi < 0) return invalid64();
    }
    if (denormal) fp.flags |= DE;
    switch (op) {
      case FpOp.Add:
        fp.hi = aInf ? aHi : bHi;
        break;
      case FpOp.Sub:
        fp.hi = aInf ? aHi : bHi ^ 0x80000000;
        break;
      case FpOp.Mul:
        fp.hi = signs | 0x7ff00000;
        break;
      case FpOp.Div:
        fp.hi = aInf ? signs | 0x7ff00000 : signs;
        break;
      default:
        fp.hi = bHi;
    }
    return 0;
  }
  const fa = bitsToF64(aLo, aHi);
  const fb = bitsToF64(bLo, bHi);
  if (op === FpOp.Div && fb === 0) {
    if (fa === 0) return invalid64();
    fp.flags |= ZE;
    fp.hi = signs | 0x7ff00000;
    return 0;
  }
  if (op === FpOp.Sqrt && fb < 0) return invalid64();
  if (denormal) fp.flags |= DE;
  if ((mxcsr & RC_MASK) === 0) {
    switch (op) {
      case FpOp.Add:
      case FpOp.Sub: {
        const y = op === FpOp.Sub ? -fb : fb;
        const r = fa + y;
        if (r === 0) return f64Bits(r);
        const abs = Math.abs(r);
        if (abs >= MIN_NORMAL_F64 && abs !== Infinity) {
          if (twoSumError(fa, y, r) !== 0) fp.flags |= PE;
          return f64Bits(r);
        }
        break;
      }
      case FpOp.Mul: {
        const r = fa * fb;
        if (fa === 0 || fb === 0) return f64Bits(r);
        const abs = Math.abs(r);
        if (abs > 1e-270 && abs < 1e270 && Math.abs(fa) < 1e290 && Math.abs(fb) < 1e290) {
          if (twoProductError(fa, fb, r) !== 0) fp.flags |= PE;
          return f64Bits(r);
        }
        break;
      }
      case FpOp.Div: {
        const r = fa / fb;
        if (fa === 0) return f64Bits(r);
        const absR = Math.abs(r);
        const absB = Math.abs(fb);
        if (absR > 1e-140 && absR < 1e140 && absB > 1e-140 && absB < 1e140) {
          const p = r * fb;
          if (p !== fa || twoProductError(r, fb, p) !== 0) fp.flags |= PE;
          return f64Bits(r);
        }
        break;
      }
      default: {
        if (fb === 0) {
          fp.hi = bHi;
          return bLo;
        }
        const r = Math.sqrt(fb);
        if (r > 1e-140 && r < 1e140) {
          const p = r * r;
          if (p !== fb || twoProductError(r, r, p) !== 0) fp.flags |= PE;
          return f64Bits(r);
        }
      }
    }
  }
  return split64(exactArith(op, unpack64(aLo, aHi), unpack64(bLo, bHi), DOUBLE, mxcsr));
}

function invalid64(): number {
  fp.flags |= IE;
  fp.hi = F64_DEFAULT_NAN_HI;
  return 0;
}

/** MINSD/MAXSD lane (see f32MinMax). */
export function f64MinMax(max: boolean, aLo: number, aHi: number, bLo: number, bHi: number, mxcsr: number): number {
  let denormal = false;
  if (isDenormal64(aLo, aHi)) {
    if (mxcsr & DAZ) {
      aLo = 0;
      aHi &= 0x80000000;
    } else denormal = true;
  }
  if (isDenormal64(bLo, bHi)) {
    if (mxcsr & DAZ) {
      bLo = 0;
      bHi &= 0x80000000;
    } else denormal = true;
  }
  if (isNaN64(aLo, aHi) || isNaN64(bLo, bHi)) {
    fp.flags |= IE;
    fp.hi = bHi;
    return bLo;
  }
  if (denormal) fp.flags |= DE;
  const fa = bitsToF64(aLo, aHi);
  const fb = bitsToF64(bLo, bHi);
  if (max ? fa > fb : fa < fb) {
    fp.hi = aHi;
    return aLo;
  }
  fp.hi = bHi;
  return bLo;
}

export function f64Compare(predicate: number, aLo: number, aHi: number, bLo: number, bHi: number, mxcsr: number): boolean {
  const aNaN = isNaN64(aLo, aHi);
  const bNaN = isNaN64(bLo, bHi);
  if (aNaN || bNaN) {
    if (SIGNALING[predicate] || (aNaN && (aHi & 0x80000) === 0) || (bNaN && (bHi & 0x80000) === 0)) fp.flags |= IE;
    return UNORDERED[predicate];
  }
  return orderedCompare(predicate, value64(aLo, aHi, mxcsr), value64(bLo, bHi, mxcsr));
}

export function f64CompareFlags(signalQuiet: boolean, aLo: number, aHi: number, bLo: number, bHi: number, mxcsr: number): number {
  const aNaN = isNaN64(aLo, aHi);
  const bNaN = isNaN64(bLo, bHi);
  if (aNaN || bNaN) {
    if (signalQuiet || (aNaN && (aHi & 0x80000) === 0) || (bNaN && (bHi & 0x80000) === 0)) fp.flags |= IE;
    return 0x45;
  }
  const fa = value64(aLo, aHi, mxcsr);
  const fb = value64(bLo, bHi, mxcsr);
  return fa === fb ? 0x40 : fa < fb ? 0x01 : 0;
}

// ---------------------------------------------------------------- conversions

/** Single to double (exact): SNaN raises IE and is quieted; denormals follow DAZ/DE. */
export function f32ToF64(bits: number, mxcsr: number): number {
  if (isNaN32(bits)) {
    if ((bits & 0x400000) === 0) fp.flags |= IE;
    fp.hi = (bits & 0x80000000) | 0x7ff80000 | ((bits & 0x3fffff) >>> 3);
    return bits << 29;
  }
  return f64Bits(bitsToF32(denormal32(bits, mxcsr)));
}

/** Double to single with MXCSR rounding and OE/UE/PE. */
export function f64ToF32(lo: number, hi: number, mxcsr: number): number {
  if (isNaN64(lo, hi)) {
    if ((hi & 0x80000) === 0) fp.flags |= IE;
    return (hi & 0x80000000) | 0x7fc00000 | ((hi & 0x7ffff) << 3) | (lo >>> 29);
  }
  if (isDenormal64(lo, hi)) {
    if (mxcsr & DAZ) return hi & 0x80000000;
    fp.flags |= DE;
  }
  const d = bitsToF64(lo, hi);
  if ((mxcsr & RC_MASK) === 0 || d === 0 || Math.abs(d) === Infinity) {
    const r = Math.fround(d);
    const abs = Math.abs(d);
    if (d === 0 || abs === Infinity || (abs >= MIN_NORMAL_F32 && Math.abs(r) !== Infinity)) {
      if (r !== d) fp.flags |= PE;
      return f32Bits(r);
    }
  }
  const u = unpack64(lo, hi);
  return Number(roundExact(u.negative, u.m, u.e, false, SINGLE, mxcsr)) | 0;
}

/** Signed integer (exact in a double, or as BigInt for 64-bit sources) to single/double. */
export function intToF32(value: number, mxcsr: number): number {
  if ((mxcsr & RC_MASK) === 0) {
    const r = Math.fround(value);
    if (r !== value) fp.flags |= PE;
    return f32Bits(r);
  }
  return Number(roundExact(value < 0, BigInt(Math.abs(value)), 0, false, SINGLE, mxcsr)) | 0;
}

/** A signed 64-bit integer (lo, hi halves) to single precision. */
export function int64ToF32(lo: number, hi: number, mxcsr: number): number {
  const v = hi * 4294967296 + (lo >>> 0);
  if (Math.abs(v) <= 9007199254740992) return intToF32(v, mxcsr);
  const big = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
  return Number(roundExact(big < 0n, big < 0n ? -big : big, 0, false, SINGLE, mxcsr)) | 0;
}

/** A signed 64-bit integer (lo, hi halves) to double: low half returned, high in fp.hi. */
export function int64ToF64(lo: number, hi: number, mxcsr: number): number {
  const v = hi * 4294967296 + (lo >>> 0);
  if (Math.abs(v) <= 9007199254740992) return f64Bits(v);
  const big = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
  return split64(roundExact(big < 0n, big < 0n ? -big : big, 0, false, DOUBLE, mxcsr));
}

/** Rounds a finite double to an integer-valued double per the rounding control. */
function roundToInteger(v: number, rc: number): number {
  switch (rc) {
    case Rc.Nearest: {
      const r = Math.round(v); // ties toward +infinity; fix to ties-to-even
      return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
    }
    case Rc.Down:
      return Math.floor(v);
    case Rc.Up:
      return Math.ceil(v);
    default:
      return Math.trunc(v);
  }
}

/** CVT(T)SS2SI / CVT(T)PS2DQ / CVT(T)SD2SI / CVT(T)PD2DQ lane to int32: the integer indefinite
 *  0x80000000 with IE for NaN and out-of-range values. `value` is the operand's value (NaN for
 *  any NaN), already through DAZ. */
export function toInt32(value: number, truncate: boolean, mxcsr: number): number {
  if (value !== value) {
    fp.flags |= IE;
    return 0x80000000 | 0;
  }
  const r = truncate ? Math.trunc(value) : roundToInteger(value, (mxcsr >> 13) & 3);
  if (r >= 2147483648 || r < -2147483648) {
    fp.flags |= IE;
    return 0x80000000 | 0;
  }
  if (r !== value) fp.flags |= PE;
  return r | 0;
}

/** The same to int64: low half returned, high half in fp.hi. */
export function toInt64(value: number, truncate: boolean, mxcsr: number): number {
  const r = value !== value ? NaN : truncate ? Math.trunc(value) : roundToInteger(value, (mxcsr >> 13) & 3);
  if (!(r >= -9223372036854775808 && r < 9223372036854775808)) {
    fp.flags |= IE;
    fp.hi = 0x80000000 | 0;
    return 0;
  }
  if (r !== value) fp.flags |= PE;
  const hi = Math.floor(r / 4294967296);
  fp.hi = hi | 0;
  return (r - hi * 4294967296) | 0;
}

/** The value of a single operand for an integer conversion: NaN for NaNs, DAZ applied (no DE:
 *  the conversions to integer do not report denormal operands). */
export function f32Value(bits: number, mxcsr: number): number {
  if (isNaN32(bits)) return NaN;
  if (mxcsr & DAZ && isDenormal32(bits)) return 0;
  return bitsToF32(bits);
}

export function f64Value(lo: number, hi: number, mxcsr: number): number {
  if (isNaN64(lo, hi)) return NaN;
  if (mxcsr & DAZ && isDenormal64(lo, hi)) return 0;
  return bitsToF64(lo, hi);
}

// ---------------------------------------------------------------- approximations

/** RCPSS/RCPPS lane: 1/x rounded to single (the hardware's approximation is within 1.5 * 2^-12;
 *  this one is exact, which is within any tolerance). Denormal inputs give infinities, tiny
 *  results flush to zero; no flags. */
export function f32Reciprocal(bits: number): number {
  if (isNaN32(bits)) return bits | 0x400000;
  const sign = bits & 0x80000000;
  if ((bits & 0x7f800000) === 0) return sign | 0x7f800000;
  if ((bits & 0x7fffffff) === 0x7f800000) return sign;
  const r = Math.fround(1 / bitsToF32(bits));
  return Math.abs(r) < MIN_NORMAL_F32 ? sign : f32Bits(r);
}

/** RSQRTSS/RSQRTPS lane: 1/sqrt(x); negative inputs give the default NaN. */
export function f32ReciprocalSqrt(bits: number): number {
  if (isNaN32(bits)) return bits | 0x400000;
  const sign = bits & 0x80000000;
  if ((bits & 0x7f800000) === 0) return sign | 0x7f800000;
  if (sign) return F32_DEFAULT_NAN;
  if (bits === 0x7f800000) return 0;
  return f32Bits(Math.fround(1 / Math.sqrt(bitsToF32(bits))));
}
