// SSE/SSE2 floating-point arithmetic: ADD SUB MUL DIV MIN MAX SQRT in PS/SS/PD/SD forms (i.op is the
// FpOp), CMPPS/SS/PD/SD (predicate in i.imm), COMISS/UCOMISS/COMISD/UCOMISD (i.op 1 = COMI, which
// signals on QNaNs) and the RCP/RSQRT approximations. Lanes are computed into RESULT first, so an
// unmasked exception (SIGFPE) leaves the destination unchanged. Lane semantics live in fp.ts.
import { setArithFlags } from '../flags.js';
import type { Insn } from '../insn.js';
import type { Cpu } from '../state.js';
import {
  commitFlags,
  f32Arith,
  f32Compare,
  f32CompareFlags,
  f32MinMax,
  f32Reciprocal,
  f32ReciprocalSqrt,
  f64Arith,
  f64Compare,
  f64CompareFlags,
  f64MinMax,
  fp,
  FpOp,
} from './fp.js';
import { src128, src32, src64 } from './xmm.js';

const RESULT = new Int32Array(4);

function lane32(op: number, a: number, b: number, mxcsr: number): number {
  if (op >= FpOp.Min) return f32MinMax(op === FpOp.Max, a, b, mxcsr);
  return f32Arith(op, a, b, mxcsr);
}

function lane64(op: number, aLo: number, aHi: number, bLo: number, bHi: number, mxcsr: number): number {
  if (op >= FpOp.Min) return f64MinMax(op === FpOp.Max, aLo, aHi, bLo, bHi, mxcsr);
  return f64Arith(op, aLo, aHi, bLo, bHi, mxcsr);
}

// ---------------------------------------------------------------- arithmetic

/** ADDPS SUBPS MULPS DIVPS MINPS MAXPS SQRTPS xmm, xmm/m128 */
export function arithPs(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  const mxcsr = cpu.mxcsr;
  fp.flags = 0;
  for (let k = 0; k < 4; k++) RESULT[k] = lane32(i.op, x[d + k], x[s + k], mxcsr);
  commitFlags(cpu, i);
  x[d] = RESULT[0];
  x[d + 1] = RESULT[1];
  x[d + 2] = RESULT[2];
  x[d + 3] = RESULT[3];
}

/** ADDSS ... SQRTSS xmm, xmm/m32: the low lane only. */
export function arithSs(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src32(cpu, i);
  const d = 4 * i.reg;
  fp.flags = 0;
  const r = lane32(i.op, x[d], x[s], cpu.mxcsr);
  commitFlags(cpu, i);
  x[d] = r;
}

/** ADDPD ... SQRTPD xmm, xmm/m128 */
export function arithPd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  const mxcsr = cpu.mxcsr;
  fp.flags = 0;
  for (let k = 0; k < 4; k += 2) {
    RESULT[k] = lane64(i.op, x[d + k], x[d + k + 1], x[s + k], x[s + k + 1], mxcsr);
    RESULT[k + 1] = fp.hi;
  }
  commitFlags(cpu, i);
  x[d] = RESULT[0];
  x[d + 1] = RESULT[1];
  x[d + 2] = RESULT[2];
  x[d + 3] = RESULT[3];
}

/** ADDSD ... SQRTSD xmm, xmm/m64 */
export function arithSd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src64(cpu, i);
  const d = 4 * i.reg;
  fp.flags = 0;
  const lo = lane64(i.op, x[d], x[d + 1], x[s], x[s + 1], cpu.mxcsr);
  const hi = fp.hi;
  commitFlags(cpu, i);
  x[d] = lo;
  x[d + 1] = hi;
}

// ---------------------------------------------------------------- compares

/** CMPPS xmm, xmm/m128, imm8: all-ones or zero per lane. */
export function cmpPs(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  const mxcsr = cpu.mxcsr;
  fp.flags = 0;
  for (let k = 0; k < 4; k++) RESULT[k] = f32Compare(i.imm, x[d + k], x[s + k], mxcsr) ? -1 : 0;
  commitFlags(cpu, i);
  x[d] = RESULT[0];
  x[d + 1] = RESULT[1];
  x[d + 2] = RESULT[2];
  x[d + 3] = RESULT[3];
}

export function cmpSs(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src32(cpu, i);
  const d = 4 * i.reg;
  fp.flags = 0;
  const r = f32Compare(i.imm, x[d], x[s], cpu.mxcsr) ? -1 : 0;
  commitFlags(cpu, i);
  x[d] = r;
}

export function cmpPd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  const mxcsr = cpu.mxcsr;
  fp.flags = 0;
  const r0 = f64Compare(i.imm, x[d], x[d + 1], x[s], x[s + 1], mxcsr) ? -1 : 0;
  const r1 = f64Compare(i.imm, x[d + 2], x[d + 3], x[s + 2], x[s + 3], mxcsr) ? -1 : 0;
  commitFlags(cpu, i);
  x[d] = x[d + 1] = r0;
  x[d + 2] = x[d + 3] = r1;
}

export function cmpSd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src64(cpu, i);
  const d = 4 * i.reg;
  fp.flags = 0;
  const r = f64Compare(i.imm, x[d], x[d + 1], x[s], x[s + 1], cpu.mxcsr) ? -1 : 0;
  commitFlags(cpu, i);
  x[d] = x[d + 1] = r;
}

/** COMISS/UCOMISS xmm, xmm/m32: ZF PF CF from the compare, OF SF AF cleared. */
export function comiss(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src32(cpu, i);
  fp.flags = 0;
  const flags = f32CompareFlags(i.op === 1, x[4 * i.reg], x[s], cpu.mxcsr);
  commitFlags(cpu, i);
  setArithFlags(cpu, flags);
}

/** COMISD/UCOMISD xmm, xmm/m64 */
export function comisd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src64(cpu, i);
  const d = 4 * i.reg;
  fp.flags = 0;
  const flags = f64CompareFlags(i.op === 1, x[d], x[d + 1], x[s], x[s + 1], cpu.mxcsr);
  commitFlags(cpu, i);
  setArithFlags(cpu, flags);
}

// ---------------------------------------------------------------- approximations

/** RCPPS (i.op 0) / RSQRTPS (i.op 1) xmm, xmm/m128 */
export function approxPs(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  const r0 = approx(i.op, x[s]);
  const r1 = approx(i.op, x[s + 1]);
  const r2 = approx(i.op, x[s + 2]);
  const r3 = approx(i.op, x[s + 3]);
  x[d] = r0;
  x[d + 1] = r1;
  x[d + 2] = r2;
  x[d + 3] = r3;
}

/** RCPSS / RSQRTSS xmm, xmm/m32 */
export function approxSs(cpu: Cpu, i: Insn): void {
  const s = src32(cpu, i);
  cpu.xmm[4 * i.reg] = approx(i.op, cpu.xmm[s]);
}

function approx(op: number, bits: number): number {
  return op === 0 ? f32Reciprocal(bits) : f32ReciprocalSqrt(bits);
}
