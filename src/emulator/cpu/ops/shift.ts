// Shifts and rotates (group 2: ROL ROR RCL RCR SHL SHR SAL SAR) and the double shifts SHLD/SHRD,
// with the count masking and flag rules of the Intel SDM: a masked count of 0 changes no flags;
// OF is defined only for 1-bit shifts (we compute it the way current Intel parts do for any count).
import { getCF, setFlagsResult, updateFlags } from '../flags.js';
import { Shift32, Shift64, shiftFunction32, shiftFunction64 } from '../jit/compile.js';
import type { Insn } from '../insn.js';
import { ea, load, readRm, readRm64, writeRm, writeRm64 } from '../operands.js';
import { CF, Cpu, OF } from '../state.js';

/** SHL/SHR/SAL/SAR come from the templates (jit/templates.ts) compiled for run-time counts, by
 *  size and kind; the rotates are here. */
const KINDS = [4, 5, 6, 7];
const SHIFT32: Shift32[][] = [];
for (const size of [1, 2, 4]) {
  SHIFT32[size] = [];
  for (const kind of KINDS) SHIFT32[size][kind] = shiftFunction32(kind, size);
}
const SHIFT64: Shift64[] = [];
for (const kind of KINDS) SHIFT64[kind] = shiftFunction64(kind);

export const enum ShiftKind {
  Rol = 0,
  Ror = 1,
  Rcl = 2,
  Rcr = 3,
  Shl = 4,
  Shr = 5,
  Sal = 6,
  Sar = 7,
}

/** The count operand: i.imm, or CL when i.imm is -1 (the binder's convention). */
function shiftCount(cpu: Cpu, i: Insn): number {
  const raw = i.imm < 0 ? cpu.regs8[8] : i.imm;
  return raw & (i.size === 8 ? 63 : 31);
}

/** Group 2 on any size; i.op is the ShiftKind. */
export function shiftGroup(cpu: Cpu, i: Insn): void {
  const count = shiftCount(cpu, i);
  if (count === 0) {
    zeroCount(cpu, i);
    return;
  }
  if (i.size === 8) {
    const lo = readRm64(cpu, i);
    const rLo = shift64(cpu, i.op, lo, cpu.hi, count);
    writeRm64(cpu, i, rLo, cpu.hi);
  } else {
    const value = readRm(cpu, i, i.size);
    writeRm(cpu, i, i.size, shift32(cpu, i.op, i.size, value, count));
  }
}

/** A shift whose masked count is 0 changes no flags, but it still accesses its memory operand
 *  (all of it: a faulting address faults) and still writes a 32-bit register, which clears the
 *  upper half as any 32-bit register write does. */
function zeroCount(cpu: Cpu, i: Insn): void {
  if (i.rm < 0) {
    const addr = ea(cpu, i);
    if (i.size === 8) cpu.mem.read64(addr);
    else load(cpu, i.size, addr);
  } else if (i.size === 4) cpu.regs[2 * i.rm + 1] = 0;
}

/** Shifts a value of size 1, 2 or 4 by a masked, nonzero count; records flags; returns the
 *  result (the caller stores only `size` bytes of it). */
function shift32(cpu: Cpu, kind: number, size: number, value: number, count: number): number {
  const bits = size * 8;
  const mask = size === 4 ? -1 : (1 << bits) - 1;
  const v = value & mask;
  const msb = (x: number) => (x >>> (bits - 1)) & 1;
  if (kind >= ShiftKind.Shl) return SHIFT32[size][kind](cpu, value, count);
  switch (kind) {
    case ShiftKind.Rol: {
      const n = count % bits;
      const r = n === 0 ? v : ((v << n) | (v >>> (bits - n))) & mask;
      const carry = r & 1;
      rotateFlags(cpu, carry, msb(r) ^ carry);
      return r;
    }
    case ShiftKind.Ror: {
      const n = count % bits;
      const r = n === 0 ? v : ((v >>> n) | (v << (bits - n))) & mask;
      rotateFlags(cpu, msb(r), msb(r) ^ ((r >>> (bits - 2)) & 1));
      return r;
    }
    case ShiftKind.Rcl: {
      let carry = getCF(cpu);
      let r = v;
      const n = count % (bits + 1);
      for (let k = 0; k < n; k++) {
        const out = msb(r);
        r = ((r << 1) | carry) & mask;
        carry = out;
      }
      rotateFlags(cpu, carry, msb(r) ^ carry);
      return r;
    }
    default: {
      // RCR
      let carry = getCF(cpu);
      let r = v;
      const n = count % (bits + 1);
      const overflow = msb(v) ^ carry;
      for (let k = 0; k < n; k++) {
        const out = r & 1;
        r = ((r >>> 1) | (carry << (bits - 1))) & mask;
        carry = out;
      }
      rotateFlags(cpu, carry, overflow);
      return r;
    }
  }
}

/** Rotates change only CF and OF. */
function rotateFlags(cpu: Cpu, carry: number, overflow: number): void {
  updateFlags(cpu, CF | OF, (carry ? CF : 0) | (overflow ? OF : 0));
}

/** Shifts a 64-bit value (halves) by a masked, nonzero count; returns the low half, high in cpu.hi. */
function shift64(cpu: Cpu, kind: number, lo: number, hi: number, count: number): number {
  let rLo: number;
  let rHi: number;
  if (kind >= ShiftKind.Shl) {
    const low = SHIFT64[kind](cpu, lo, hi, count);
    return low;
  }
  switch (kind) {
    case ShiftKind.Rol:
    case ShiftKind.Ror: {
      // A right rotate by n is a left rotate by 64 - n.
      const n = kind === ShiftKind.Rol ? count : 64 - count;
      [rLo, rHi] = rotateLeft64(lo, hi, n);
      if (kind === ShiftKind.Rol) rotateFlags(cpu, rLo & 1, (rHi >>> 31) ^ (rLo & 1));
      else rotateFlags(cpu, rHi >>> 31, (rHi >>> 31) ^ ((rHi >>> 30) & 1));
      break;
    }
    default: {
      // RCL/RCR through carry, one bit at a time (rare instructions).
      let carry = getCF(cpu);
      rLo = lo;
      rHi = hi;
      const overflowRcr = (hi >>> 31) ^ carry;
      for (let k = 0; k < count; k++) {
        if (kind === ShiftKind.Rcl) {
          const out = rHi >>> 31;
          rHi = (rHi << 1) | (rLo >>> 31);
          rLo = (rLo << 1) | carry;
          carry = out;
        } else {
          const out = rLo & 1;
          rLo = (rLo >>> 1) | (rHi << 31);
          rHi = (rHi >>> 1) | (carry << 31);
          carry = out;
        }
      }
      rotateFlags(cpu, carry, kind === ShiftKind.Rcl ? (rHi >>> 31) ^ carry : overflowRcr);
    }
  }
  cpu.hi = rHi;
  return rLo;
}

function bit64(lo: number, hi: number, n: number): number {
  return n < 32 ? (lo >>> n) & 1 : (hi >>> (n - 32)) & 1;
}

function rotateLeft64(lo: number, hi: number, n: number): [number, number] {
  n &= 63;
  if (n === 0) return [lo, hi];
  if (n >= 32) {
    [lo, hi] = [hi, lo];
    n -= 32;
    if (n === 0) return [lo, hi];
  }
  return [(lo << n) | (hi >>> (32 - n)), (hi << n) | (lo >>> (32 - n))];
}

// ---------------------------------------------------------------- SHLD / SHRD

/** SHLD/SHRD r/m, reg, imm8|CL. i.op is 0 for SHLD, 1 for SHRD; the count is i.imm or CL (-1). */
export function doubleShift(cpu: Cpu, i: Insn): void {
  const size = i.size;
  const count = (i.imm < 0 ? cpu.regs8[8] : i.imm) & (size === 8 ? 63 : 31);
  if (count === 0) {
    zeroCount(cpu, i);
    return;
  }
  const left = i.op === 0;
  const dst = size === 8 ? readRm64(cpu, i) : readRm(cpu, i, size);
  const dstHi = size === 8 ? cpu.hi : 0;
  const src = cpu.regs[2 * i.reg];
  let lo: number;
  let hi = 0;
  let carry: number;
  if (size === 8) {
    [lo, hi, carry] = funnel64(left, dst, dstHi, src, cpu.regs[2 * i.reg + 1], count);
    writeRm64(cpu, i, lo, hi);
  } else {
    [lo, carry] = size === 4 ? funnel32(left, dst >>> 0, src >>> 0, count) : funnel16(left, dst & 0xffff, src & 0xffff, count);
    writeRm(cpu, i, size, lo);
  }
  const top = size * 8 - 1;
  const signBefore = size === 8 ? dstHi >>> 31 : (dst >>> top) & 1;
  const signAfter = size === 8 ? hi >>> 31 : (lo >>> top) & 1;
  setFlagsResult(cpu, size, lo, hi, carry, signBefore ^ signAfter);
}

// The funnel shifts: the destination shifted by n, filled from the source; they return the result
// word(s) and the last bit shifted out. Plain 32-bit arithmetic: SHLD/SHRD are ordinary integer
// instructions, not a slow path for BigInt.

/** 16-bit: the pair is 32 bits wide, so a count above 16 (undefined in the manuals) shifts
 *  through it as the hardware does. n is 1..31. */
function funnel16(left: boolean, dst: number, src: number, n: number): [number, number] {
  if (left) {
    const wide = ((dst << 16) | src) >>> 0;
    const result = n <= 16 ? wide >>> (16 - n) : wide << (n - 16);
    return [result & 0xffff, (wide >>> (32 - n)) & 1];
  }
  const wide = ((src << 16) | dst) >>> 0;
  return [(wide >>> n) & 0xffff, (wide >>> (n - 1)) & 1];
}

/** 32-bit, n is 1..31. */
function funnel32(left: boolean, dst: number, src: number, n: number): [number, number] {
  if (left) return [((dst << n) | (src >>> (32 - n))) | 0, (dst >>> (32 - n)) & 1];
  return [((dst >>> n) | (src << (32 - n))) | 0, (dst >>> (n - 1)) & 1];
}

/** 64-bit on halves, n is 1..63: [lo, hi, carry]. */
function funnel64(left: boolean, dl: number, dh: number, sl: number, sh: number, n: number): [number, number, number] {
  // SHLD shifts the words (dh, dl, sh, sl) left; SHRD shifts (sh, sl, dh, dl) right.
  const words = left ? [dh, dl, sh, sl] : [dl, dh, sl, sh];
  const skip = n >>> 5;
  const k = n & 31;
  const at = (j: number): number => words[j] ?? 0;
  if (left) {
    // The result is the 64 bits starting n bits into the 128-bit word list.
    const word = (j: number): number => (k === 0 ? at(j + skip) : (at(j + skip) << k) | (at(j + skip + 1) >>> (32 - k))) | 0;
    const carryWord = at((n - 1) >>> 5);
    return [word(1), word(0), (carryWord >>> (31 - ((n - 1) & 31))) & 1];
  }
  const word = (j: number): number => (k === 0 ? at(j + skip) : (at(j + skip) >>> k) | (at(j + skip + 1) << (32 - k))) | 0;
  const carryWord = at((n - 1) >>> 5);
  return [word(0), word(1), (carryWord >>> ((n - 1) & 31)) & 1];
}
