// SSE/SSE2 conversions between integers, singles and doubles. The rounding ones follow
// MXCSR.RC; the CVTT forms truncate. Out-of-range and NaN sources give the integer indefinite
// (0x80000000 / 0x8000000000000000) with IE. i.size is the GPR width (4, or 8 with REX.W) for
// the scalar forms that read or write a general register; i.op is 1 for the truncating forms.
import type { Insn } from '../insn.js';
import { ea } from '../operands.js';
import type { Cpu } from '../state.js';
import {
  commitFlags,
  f32ToF64,
  f32Value,
  f64Bits,
  f64ToF32,
  f64Value,
  fp,
  int64ToF32,
  int64ToF64,
  intToF32,
  toInt32,
  toInt64,
} from './fp.js';
import { load32, load64, src128, src32, src64 } from './xmm.js';

const RESULT = new Int32Array(4);

// ---------------------------------------------------------------- integer -> float (scalar)

/** Reads the r/m32|64 integer source: low half returned, high half (size 8) in cpu.hi. */
function intSource(cpu: Cpu, i: Insn): number {
  if (i.rm >= 0) {
    cpu.hi = cpu.regs[2 * i.rm + 1];
    return cpu.regs[2 * i.rm];
  }
  if (i.size === 8) return load64(cpu, ea(cpu, i));
  return load32(cpu, ea(cpu, i));
}

/** CVTSI2SS xmm, r/m32|64 (F3 0F 2A) */
export function cvtsi2ss(cpu: Cpu, i: Insn): void {
  const lo = intSource(cpu, i);
  fp.flags = 0;
  const r = i.size === 8 ? int64ToF32(lo, cpu.hi, cpu.mxcsr) : intToF32(lo, cpu.mxcsr);
  commitFlags(cpu, i);
  cpu.xmm[4 * i.reg] = r;
}

/** CVTSI2SD xmm, r/m32|64 (F2 0F 2A) */
export function cvtsi2sd(cpu: Cpu, i: Insn): void {
  const lo = intSource(cpu, i);
  fp.flags = 0;
  const r = i.size === 8 ? int64ToF64(lo, cpu.hi, cpu.mxcsr) : f64Bits(lo);
  const hi = fp.hi;
  commitFlags(cpu, i);
  cpu.xmm[4 * i.reg] = r;
  cpu.xmm[4 * i.reg + 1] = hi;
}

// ---------------------------------------------------------------- float -> integer (scalar)

function writeInt(cpu: Cpu, i: Insn, lo: number, hi: number): void {
  cpu.regs[2 * i.reg] = lo;
  cpu.regs[2 * i.reg + 1] = i.size === 8 ? hi : 0;
}

/** CVTSS2SI / CVTTSS2SI r32|64, xmm/m32 (F3 0F 2D / 2C) */
export function cvtss2si(cpu: Cpu, i: Insn): void {
  const s = src32(cpu, i);
  const v = f32Value(cpu.xmm[s], cpu.mxcsr);
  fp.flags = 0;
  const lo = i.size === 8 ? toInt64(v, i.op === 1, cpu.mxcsr) : toInt32(v, i.op === 1, cpu.mxcsr);
  const hi = fp.hi;
  commitFlags(cpu, i);
  writeInt(cpu, i, lo, hi);
}

/** CVTSD2SI / CVTTSD2SI r32|64, xmm/m64 (F2 0F 2D / 2C) */
export function cvtsd2si(cpu: Cpu, i: Insn): void {
  const s = src64(cpu, i);
  const v = f64Value(cpu.xmm[s], cpu.xmm[s + 1], cpu.mxcsr);
  fp.flags = 0;
  const lo = i.size === 8 ? toInt64(v, i.op === 1, cpu.mxcsr) : toInt32(v, i.op === 1, cpu.mxcsr);
  const hi = fp.hi;
  commitFlags(cpu, i);
  writeInt(cpu, i, lo, hi);
}

// ---------------------------------------------------------------- float <-> float

/** CVTSS2SD xmm, xmm/m32 (F3 0F 5A) */
export function cvtss2sd(cpu: Cpu, i: Insn): void {
  const s = src32(cpu, i);
  fp.flags = 0;
  const lo = f32ToF64(cpu.xmm[s], cpu.mxcsr);
  const hi = fp.hi;
  commitFlags(cpu, i);
  cpu.xmm[4 * i.reg] = lo;
  cpu.xmm[4 * i.reg + 1] = hi;
}

/** CVTSD2SS xmm, xmm/m64 (F2 0F 5A) */
export function cvtsd2ss(cpu: Cpu, i: Insn): void {
  const s = src64(cpu, i);
  fp.flags = 0;
  const r = f64ToF32(cpu.xmm[s], cpu.xmm[s + 1], cpu.mxcsr);
  commitFlags(cpu, i);
  cpu.xmm[4 * i.reg] = r;
}

/** CVTPS2PD xmm, xmm/m64 (0F 5A): the two low singles. */
export function cvtps2pd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src64(cpu, i);
  fp.flags = 0;
  RESULT[0] = f32ToF64(x[s], cpu.mxcsr);
  RESULT[1] = fp.hi;
  RESULT[2] = f32ToF64(x[s + 1], cpu.mxcsr);
  RESULT[3] = fp.hi;
  commitFlags(cpu, i);
  store(x, 4 * i.reg);
}

/** CVTPD2PS xmm, xmm/m128 (66 0F 5A): two singles in the low quadword, the high one zeroed. */
export function cvtpd2ps(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  fp.flags = 0;
  RESULT[0] = f64ToF32(x[s], x[s + 1], cpu.mxcsr);
  RESULT[1] = f64ToF32(x[s + 2], x[s + 3], cpu.mxcsr);
  RESULT[2] = 0;
  RESULT[3] = 0;
  commitFlags(cpu, i);
  store(x, 4 * i.reg);
}

// ---------------------------------------------------------------- packed integer <-> float

/** CVTDQ2PS xmm, xmm/m128 (0F 5B) */
export function cvtdq2ps(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  fp.flags = 0;
  for (let k = 0; k < 4; k++) RESULT[k] = intToF32(x[s + k], cpu.mxcsr);
  commitFlags(cpu, i);
  store(x, 4 * i.reg);
}

/** CVTPS2DQ (66 0F 5B) / CVTTPS2DQ (F3 0F 5B, i.op 1) xmm, xmm/m128 */
export function cvtps2dq(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const mxcsr = cpu.mxcsr;
  fp.flags = 0;
  for (let k = 0; k < 4; k++) RESULT[k] = toInt32(f32Value(x[s + k], mxcsr), i.op === 1, mxcsr);
  commitFlags(cpu, i);
  store(x, 4 * i.reg);
}

/** CVTDQ2PD xmm, xmm/m64 (F3 0F E6): exact. */
export function cvtdq2pd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src64(cpu, i);
  RESULT[0] = f64Bits(x[s]);
  RESULT[1] = fp.hi;
  RESULT[2] = f64Bits(x[s + 1]);
  RESULT[3] = fp.hi;
  store(x, 4 * i.reg);
}

/** CVTPD2DQ (F2 0F E6) / CVTTPD2DQ (66 0F E6, i.op 1) xmm, xmm/m128: two dwords, the high
 *  quadword zeroed. */
export function cvtpd2dq(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const mxcsr = cpu.mxcsr;
  fp.flags = 0;
  RESULT[0] = toInt32(f64Value(x[s], x[s + 1], mxcsr), i.op === 1, mxcsr);
  RESULT[1] = toInt32(f64Value(x[s + 2], x[s + 3], mxcsr), i.op === 1, mxcsr);
  RESULT[2] = 0;
  RESULT[3] = 0;
  commitFlags(cpu, i);
  store(x, 4 * i.reg);
}

function store(x: Int32Array, d: number): void {
  x[d] = RESULT[0];
  x[d + 1] = RESULT[1];
  x[d + 2] = RESULT[2];
  x[d + 3] = RESULT[3];
}
