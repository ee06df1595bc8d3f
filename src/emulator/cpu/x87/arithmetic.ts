// x87 arithmetic instructions: FADD FSUB FSUBR FMUL FDIV FDIVR in their register, popping and
// memory (m32fp, m64fp, m16int, m32int) forms, FSQRT, FRNDINT, FSCALE, FXTRACT, FPREM, FPREM1.
// Fields: i.op is the Op; i.rm the ST(i) of register forms; i.target for register forms is
// DEST_STI | POP bits, for memory forms the Mem kind; i.imm the FOP.
import type { Insn } from '../insn.js';
import { ea } from '../operands.js';
import type { Cpu } from '../state.js';
import { add, div, mul, sqrt } from './arith.js';
import { loadedDenormal } from './convert.js';
import {
  C0,
  C1,
  C2,
  C3,
  DE,
  fx,
  indefinite,
  invalid,
  Kind,
  PE,
  R,
  Rc,
  roundBig,
  roundPack,
  setR,
  sigBig,
  specialOperand,
  specialOperands,
  Unpacked,
  unpack,
  ZE,
} from './float80.js';
import {
  begin,
  commit,
  hiOf,
  isEmpty,
  loOf,
  masksOf,
  noteMemory,
  pop,
  precisionOf,
  push,
  pushingOperand,
  roundingOf,
  seOf,
  st01Operands,
  st0Operand,
  StValue,
  UNDERFLOW,
  waitCheck,
  writeResult,
  writeSt,
  X,
  Y,
} from './fpu.js';
import { loadOperand, Mem } from './load-store.js';

/** The operation of D8/DA/DC/DE by ModRM.reg, stated as "x op y" with x the destination's old
 *  value (2 and 3 are the compares, bound elsewhere). */
export const enum Op {
  Add = 0,
  Mul = 1,
  Sub = 4,
  /** y - x */
  Subr = 5,
  Div = 6,
  /** y / x */
  Divr = 7,
}

/** Register forms: the destination is ST(i) (DC, DE) rather than ST(0); pop afterwards (DE). */
export const DEST_STI = 1;
export const POP = 2;

/** x op y into R, flags into fx.flags. `denormal`: y was a denormal single/double operand. */
function operate(cpu: Cpu, op: number, xSe: number, xHi: number, xLo: number, ySe: number, yHi: number, yLo: number, denormal: boolean): void {
  fx.flags = 0;
  const prec = precisionOf(cpu);
  const rc = roundingOf(cpu);
  const masks = masksOf(cpu);
  switch (op) {
    case Op.Add:
      return add(xSe, xHi, xLo, ySe, yHi, yLo, false, prec, rc, masks, denormal);
    case Op.Mul:
      return mul(xSe, xHi, xLo, ySe, yHi, yLo, prec, rc, masks, denormal);
    case Op.Sub:
      return add(xSe, xHi, xLo, ySe, yHi, yLo, true, prec, rc, masks, denormal);
    case Op.Subr:
      return add(ySe, yHi, yLo, xSe, xHi, xLo, true, prec, rc, masks, denormal);
    case Op.Div:
      return div(xSe, xHi, xLo, ySe, yHi, yLo, prec, rc, masks, denormal);
    default:
      return div(ySe, yHi, yLo, xSe, xHi, xLo, prec, rc, masks, denormal);
  }
}

/** FADD/FMUL/FSUB/FSUBR/FDIV/FDIVR ST(0), ST(i) / ST(i), ST(0) and the popping forms. */
export function arithSt(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  const dst = i.target & DEST_STI ? i.rm : 0;
  const src = i.target & DEST_STI ? 0 : i.rm;
  const thenPop = (i.target & POP) !== 0;
  if (isEmpty(cpu, 0) || isEmpty(cpu, i.rm)) {
    indefinite();
    writeResult(cpu, UNDERFLOW, dst, thenPop);
    return;
  }
  operate(cpu, i.op, seOf(cpu, dst), hiOf(cpu, dst), loOf(cpu, dst), seOf(cpu, src), hiOf(cpu, src), loOf(cpu, src), false);
  writeResult(cpu, fx.flags, dst, thenPop);
}

/** The same with a memory operand (m32fp, m64fp, m16int, m32int): ST(0) = ST(0) op m. */
export function arithMem(cpu: Cpu, i: Insn): void {
  waitCheck(cpu, i);
  const addr = ea(cpu, i);
  loadOperand(cpu, i.target as Mem, addr);
  noteMemory(cpu, i, addr);
  const ySe = R.se;
  const yHi = R.hi;
  const yLo = R.lo;
  if (isEmpty(cpu, 0)) {
    indefinite();
    writeResult(cpu, UNDERFLOW);
    return;
  }
  operate(cpu, i.op, seOf(cpu, 0), hiOf(cpu, 0), loOf(cpu, 0), ySe, yHi, yLo, loadedDenormal);
  writeResult(cpu, fx.flags);
}

// ---------------------------------------------------------------- one-operand

/** FSQRT */
export function fsqrt(cpu: Cpu, i: Insn): void {
  if (!st0Operand(cpu, i)) return;
  sqrt(X.se, X.hi, X.lo, precisionOf(cpu), roundingOf(cpu), masksOf(cpu));
  writeResult(cpu, fx.flags);
}

/** FRNDINT: ST(0) rounded to an integer per RC (precision control does not apply). */
export function frndint(cpu: Cpu, i: Insn): void {
  if (!st0Operand(cpu, i)) return;
  roundToInteger(X.se, X.hi, X.lo, X.kind, roundingOf(cpu), masksOf(cpu));
  writeResult(cpu, fx.flags);
}

function roundToInteger(se: number, hi: number, lo: number, kind: Kind, rc: number, masks: number): void {
  if (specialOperand(se, hi, lo, kind)) return;
  if (kind === Kind.Infinity || kind === Kind.Zero) return setR(se, hi, lo);
  if (kind === Kind.Denormal) fx.flags |= DE;
  const sign = se >>> 15;
  unpack(U, se, hi, lo);
  const e = U.exp - 16383;
  if (e >= 63) {
    setR(se, hi, lo);
    return;
  }
  const sig = sigBig(U.hi, U.lo);
  let q: bigint;
  let inc: boolean;
  if (e < -1) {
    q = 0n;
    inc = rc === Rc.Up ? sign === 0 : rc === Rc.Down ? sign === 1 : false;
  } else {
    const shift = BigInt(63 - e);
    q = sig >> shift;
    const rem = sig - (q << shift);
    const half = 1n << (shift - 1n);
    if (rem === 0n) {
      setR(se, hi, lo); // already an integer
      return;
    }
    if (rc === Rc.Nearest) inc = rem > half || (rem === half && (q & 1n) === 1n);
    else inc = rc === Rc.Up ? sign === 0 : rc === Rc.Down ? sign === 1 : false;
  }
  fx.flags |= PE | (inc ? C1 : 0);
  if (inc) q += 1n;
  if (q === 0n) setR(sign << 15, 0, 0);
  else {
    const saved = fx.flags;
    roundBig(sign, q, 0, false, 64, rc, masks);
    fx.flags = saved;
  }
}

const U = new Unpacked();
const V = new Unpacked();

/** FSCALE: ST(0) * 2^trunc(ST(1)). */
export function fscale(cpu: Cpu, i: Insn): void {
  if (!st01Operands(cpu, i, 0)) return;
  scale(X, Y, roundingOf(cpu), masksOf(cpu));
  writeResult(cpu, fx.flags);
}

function scale(a: StValue, b: StValue, rc: number, masks: number): void {
  const { se: aSe, hi: aHi, lo: aLo, kind: ka } = a;
  const { se: bSe, hi: bHi, lo: bLo, kind: kb } = b;
  if (specialOperands(aSe, aHi, aLo, ka, bSe, bHi, bLo, kb)) return;
  const aSign = aSe >>> 15;
  const bSign = bSe >>> 15;
  if (ka === Kind.Infinity) {
    if (kb === Kind.Infinity && bSign) return invalid();
    if (kb === Kind.Denormal) fx.flags |= DE;
    setR(aSe, aHi, aLo);
    return;
  }
  if (kb === Kind.Infinity) {
    if (ka === Kind.Zero) {
      if (!bSign) invalid();
      else setR(aSe, aHi, aLo);
      return;
    }
    if (ka === Kind.Denormal) fx.flags |= DE;
    if (bSign) setR(aSign << 15, 0, 0);
    else setR((aSign << 15) | 0x7fff, 0x80000000, 0);
    return;
  }
  if (kb === Kind.Denormal) fx.flags |= DE;
  if (ka === Kind.Zero) {
    setR(aSe, aHi, aLo);
    return;
  }
  if (ka === Kind.Denormal) fx.flags |= DE;
  unpack(U, aSe, aHi, aLo);
  let n = 0;
  if (kb !== Kind.Zero) {
    unpack(V, bSe, bHi, bLo);
    const e = V.exp - 16383;
    if (e >= 16) n = bSign ? -100000 : 100000; // far beyond the exponent range
    else if (e >= 0) n = (bSign ? -1 : 1) * Math.floor(V.hi / 2 ** (31 - e));
  }
  if (n === 0 && ka !== Kind.Denormal) {
    setR(aSe, aHi, aLo);
    return;
  }
  roundPack(aSign, U.exp + n, U.hi, U.lo, 0, 64, rc, masks);
}

/** FXTRACT: ST(0) = significand (exponent 0), pushed over ST(1) = unbiased exponent. */
export function fxtract(cpu: Cpu, i: Insn): void {
  if (!pushingOperand(cpu, i)) return;
  const { se, hi, lo, kind } = X;
  let expSe: number;
  let expHi: number;
  let expLo: number;
  let sigSe = se;
  let sigHi = hi;
  let sigLo = lo;
  if (specialOperand(se, hi, lo, kind)) {
    // Both results are the quieted NaN or the indefinite.
    expSe = sigSe = R.se;
    expHi = sigHi = R.hi;
    expLo = sigLo = R.lo;
  } else if (kind === Kind.Infinity) {
    expSe = 0x7fff;
    expHi = 0x80000000;
    expLo = 0;
  } else if (kind === Kind.Zero) {
    fx.flags |= ZE;
    expSe = 0xffff;
    expHi = 0x80000000;
    expLo = 0;
  } else {
    if (kind === Kind.Denormal) fx.flags |= DE;
    unpack(U, se, hi, lo);
    sigSe = (se & 0x8000) | 0x3fff;
    sigHi = U.hi;
    sigLo = U.lo;
    const e = U.exp - 16383;
    if (e === 0) {
      expSe = 0;
      expHi = 0;
      expLo = 0;
    } else {
      const m = Math.abs(e);
      const n = Math.clz32(m);
      expSe = (e < 0 ? 0x8000 : 0) | (16383 + 31 - n);
      expHi = (m * 2 ** n) >>> 0;
      expLo = 0;
    }
  }
  if (!commit(cpu, fx.flags)) return;
  writeSt(cpu, 0, expSe, expHi, expLo);
  push(cpu);
  writeSt(cpu, 0, sigSe, sigHi, sigLo);
}

// ---------------------------------------------------------------- partial remainders

/** FPREM (i.op 0, quotient truncated) and FPREM1 (i.op 1, IEEE remainder: quotient rounded to
 *  nearest). An exponent difference of 64 or more gives a partial remainder (C2 = 1), reduced by
 *  2^N with N = 32 + (difference mod 32), as the hardware does. */
export function fprem(cpu: Cpu, i: Insn): void {
  if (!st01Operands(cpu, i, 0, true)) return;
  const cc = remainder(X, Y, i.op === 1, masksOf(cpu));
  if (!commit(cpu, fx.flags)) return;
  if (cc >= 0) cpu.fpuStatus = (cpu.fpuStatus & ~(C0 | C1 | C2 | C3)) | cc;
  writeSt(cpu, 0, R.se, R.hi, R.lo);
}

/** Returns the condition codes (-1 when the result is a NaN/indefinite: C2 cleared only). */
function remainder(dividend: StValue, divisor: StValue, nearest: boolean, masks: number): number {
  const { se: aSe, hi: aHi, lo: aLo, kind: ka } = dividend;
  const { se: bSe, hi: bHi, lo: bLo, kind: kb } = divisor;
  if (specialOperands(aSe, aHi, aLo, ka, bSe, bHi, bLo, kb)) return -1;
  if (ka === Kind.Infinity || kb === Kind.Zero) {
    if (kb === Kind.Denormal || ka === Kind.Denormal) fx.flags |= DE;
    invalid();
    return -1;
  }
  if (kb === Kind.Infinity) {
    if (ka === Kind.Denormal) fx.flags |= DE;
    keepDividend(aSe, aHi, aLo, ka, masks);
    return 0;
  }
  if (kb === Kind.Denormal) fx.flags |= DE;
  if (ka === Kind.Zero) {
    setR(aSe, aHi, aLo);
    return 0;
  }
  if (ka === Kind.Denormal) fx.flags |= DE;
  unpack(U, aSe, aHi, aLo);
  unpack(V, bSe, bHi, bLo);
  const diff = U.exp - V.exp;
  let sign = U.sign;
  const a = sigBig(U.hi, U.lo);
  const b = sigBig(V.hi, V.lo);
  if (diff >= 64) {
    const n = (diff & 31) | 32;
    const r = (a << BigInt(n)) % b;
    if (r === 0n) setR(sign << 15, 0, 0);
    else roundBig(sign, r, U.exp - n - 16446, false, 64, Rc.Nearest, masks);
    return C2;
  }
  if (diff < -1) {
    keepDividend(aSe, aHi, aLo, ka, masks);
    return 0;
  }
  // Common scale 2^(bExp - 16447): a = x * scale, b = y * scale.
  const x = a << BigInt(diff + 1);
  const y = b << 1n;
  let q = x / y;
  let r = x - q * y;
  if (nearest && (2n * r > y || (2n * r === y && (q & 1n) === 1n))) {
    r = y - r;
    q += 1n;
    sign ^= 1;
  }
  if (r === 0n) setR(sign << 15, 0, 0);
  else roundBig(sign, r, V.exp - 16447, false, 64, Rc.Nearest, masks);
  const bits = Number(q & 7n);
  return (bits & 1 ? C1 : 0) | (bits & 2 ? C3 : 0) | (bits & 4 ? C0 : 0);
}

/** The dividend as the result; a denormal one is normalized and rounded again like any result
 *  (a pseudo-denormal comes back with exponent 1; an unmasked underflow biases it). */
function keepDividend(se: number, hi: number, lo: number, kind: Kind, masks: number): void {
  if (kind !== Kind.Denormal) return setR(se, hi, lo);
  unpack(U, se, hi, lo);
  roundPack(U.sign, U.exp, U.hi, U.lo, 0, 64, Rc.Nearest, masks);
}
