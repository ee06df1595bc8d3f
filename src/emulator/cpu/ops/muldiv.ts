// MUL, IMUL (one-, two- and three-operand forms), DIV and IDIV on every size. 64x64 products are
// computed exactly in 16-bit limbs (no BigInt on this path: compiled code multiplies a lot);
// 128/64 division falls back to BigInt unless both values fit in a double's 53 bits.
import { divideError } from '../faults.js';
import { setFlags64, setFlagsResult } from '../flags.js';
import type { Insn } from '../insn.js';
import { getReg, readRm, readRm64, setReg, signExtend, truncate } from '../operands.js';
import { Cpu, FlagOp } from '../state.js';
import { multiplyHigh32, multiplySigned64, multiplyUnsigned64, PRODUCT } from '../multiply.js';

const TWO_32 = 4294967296;

// ---------------------------------------------------------------- one-operand MUL / IMUL

/** MUL r/m (F6/F7 /4): unsigned rDX:rAX = rAX * src; CF = OF = (high half != 0). */
export function mul(cpu: Cpu, i: Insn): void {
  const r = cpu.regs;
  switch (i.size) {
    case 1: {
      const p = cpu.regs8[0] * (readRm(cpu, i, 1) & 0xff);
      cpu.regs16[0] = p;
      const high = p >>> 8 ? 1 : 0;
      setFlagsResult(cpu, 1, p & 0xff, 0, high, high);
      return;
    }
    case 2: {
      const p = cpu.regs16[0] * (readRm(cpu, i, 2) & 0xffff);
      cpu.regs16[0] = p;
      cpu.regs16[8] = p >>> 16;
      const high = p >>> 16 ? 1 : 0;
      setFlagsResult(cpu, 2, p & 0xffff, 0, high, high);
      return;
    }
    case 4: {
      multiplyUnsigned64(r[0], 0, readRm(cpu, i, 4), 0);
      setReg(cpu, 4, 0, PRODUCT[0]);
      setReg(cpu, 4, 2, PRODUCT[1]);
      const high = PRODUCT[1] !== 0 ? 1 : 0;
      setFlagsResult(cpu, 4, PRODUCT[0], 0, high, high);
      return;
    }
    default: {
      const bLo = readRm64(cpu, i);
      multiplyUnsigned64(r[0], r[1], bLo, cpu.hi);
      r[0] = PRODUCT[0];
      r[1] = PRODUCT[1];
      r[4] = PRODUCT[2];
      r[5] = PRODUCT[3];
      const high = (PRODUCT[2] | PRODUCT[3]) !== 0 ? 1 : 0;
      setFlagsResult(cpu, 8, PRODUCT[0], PRODUCT[1], high, high);
    }
  }
}

/** IMUL r/m (F6/F7 /5): signed rDX:rAX = rAX * src; CF = OF = (the product does not fit the low half). */
export function imulOne(cpu: Cpu, i: Insn): void {
  const r = cpu.regs;
  switch (i.size) {
    case 1: {
      const p = signExtend(1, cpu.regs8[0]) * signExtend(1, readRm(cpu, i, 1));
      cpu.regs16[0] = p;
      const fits = p === signExtend(1, p) ? 0 : 1;
      setFlagsResult(cpu, 1, p & 0xff, 0, fits, fits);
      return;
    }
    case 2: {
      const p = signExtend(2, cpu.regs16[0]) * signExtend(2, readRm(cpu, i, 2));
      cpu.regs16[0] = p;
      cpu.regs16[8] = p >> 16;
      const overflow = p === signExtend(2, p) ? 0 : 1;
      setFlagsResult(cpu, 2, p & 0xffff, 0, overflow, overflow);
      return;
    }
    case 4: {
      const a = r[0];
      const b = readRm(cpu, i, 4);
      multiplySigned64(a, a >> 31, b, b >> 31);
      setReg(cpu, 4, 0, PRODUCT[0]);
      setReg(cpu, 4, 2, PRODUCT[1]);
      const overflow = PRODUCT[1] !== PRODUCT[0] >> 31 ? 1 : 0;
      setFlagsResult(cpu, 4, PRODUCT[0], 0, overflow, overflow);
      return;
    }
    default: {
      const bLo = readRm64(cpu, i);
      multiplySigned64(r[0], r[1], bLo, cpu.hi);
      r[0] = PRODUCT[0];
      r[1] = PRODUCT[1];
      r[4] = PRODUCT[2];
      r[5] = PRODUCT[3];
      const signFill = PRODUCT[1] >> 31;
      const overflow = PRODUCT[2] !== signFill || PRODUCT[3] !== signFill ? 1 : 0;
      setFlagsResult(cpu, 8, PRODUCT[0], PRODUCT[1], overflow, overflow);
    }
  }
}

// ---------------------------------------------------------------- two- and three-operand IMUL

/** IMUL reg, r/m (0F AF) and IMUL reg, r/m, imm (69, 6B): when i.op is 1 the second factor is
 *  the immediate, else the destination register. */
export function imulTruncating(cpu: Cpu, i: Insn): void {
  const size = i.size;
  if (size === 8) {
    const aLo = readRm64(cpu, i);
    const aHi = cpu.hi;
    const bLo = i.op === 1 ? i.imm : cpu.regs[2 * i.reg];
    const bHi = i.op === 1 ? i.immHi : cpu.regs[2 * i.reg + 1];
    // Only the low 64 bits are kept; whether the product overflowed them (CF, OF) is worked out
    // when a flag is read, which compiled code rarely does.
    const lo = Math.imul(aLo, bLo);
    const hi = (multiplyHigh32(aLo, bLo) + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)) | 0;
    cpu.regs[2 * i.reg] = lo;
    cpu.regs[2 * i.reg + 1] = hi;
    setFlags64(cpu, FlagOp.Imul64, lo, hi, aLo, aHi, bLo, bHi);
    return;
  }
  const a = signExtend(size, readRm(cpu, i, size));
  const b = i.op === 1 ? i.imm : signExtend(size, getReg(cpu, size, i.reg));
  const low = truncate(size, Math.imul(a, b));
  // The exact product, when it fits a double, tells whether the truncated one lost bits; when it
  // does not fit, it is far outside every operand range anyway.
  const overflow = a * b === signExtend(size, low) ? 0 : 1;
  setReg(cpu, size, i.reg, low);
  setFlagsResult(cpu, size, low, 0, overflow, overflow);
}

// ---------------------------------------------------------------- DIV / IDIV

/** DIV r/m (F6/F7 /6) and IDIV r/m (/7 with i.op = 1). #DE on a zero divisor or a quotient that
 *  does not fit. Flags are undefined; we leave them unchanged. */
export function divide(cpu: Cpu, i: Insn): void {
  const signed = i.op === 1;
  const r = cpu.regs;
  switch (i.size) {
    case 1: {
      const divisor = signed ? signExtend(1, readRm(cpu, i, 1)) : readRm(cpu, i, 1) & 0xff;
      if (divisor === 0) throw divideError(i.rip);
      const dividend = signed ? signExtend(2, cpu.regs16[0]) : cpu.regs16[0];
      const q = Math.trunc(dividend / divisor);
      if (signed ? q < -128 || q > 127 : q > 255) throw divideError(i.rip);
      cpu.regs8[0] = q;
      cpu.regs8[1] = dividend - q * divisor;
      return;
    }
    case 2: {
      const divisor = signed ? signExtend(2, readRm(cpu, i, 2)) : readRm(cpu, i, 2) & 0xffff;
      if (divisor === 0) throw divideError(i.rip);
      const dividend = signed ? ((cpu.regs16[8] << 16) | cpu.regs16[0]) : cpu.regs16[8] * 65536 + cpu.regs16[0];
      const q = Math.trunc(dividend / divisor);
      if (signed ? q < -32768 || q > 32767 : q > 65535) throw divideError(i.rip);
      cpu.regs16[0] = q;
      cpu.regs16[8] = dividend - q * divisor;
      return;
    }
    case 4: {
      const raw = readRm(cpu, i, 4);
      const divisor = signed ? raw : raw >>> 0;
      if (divisor === 0) throw divideError(i.rip);
      // EDX:EAX fits a double exactly only when EDX is small; otherwise use BigInt.
      const dividendHi = signed ? r[4] : r[4] >>> 0;
      const dividend = dividendHi * TWO_32 + (r[0] >>> 0);
      let q: number;
      let rem: number;
      if (Math.abs(dividend) <= Number.MAX_SAFE_INTEGER) {
        q = Math.trunc(dividend / divisor);
        rem = dividend - q * divisor;
      } else {
        const big = (BigInt(dividendHi) << 32n) + BigInt(r[0] >>> 0);
        q = Number(big / BigInt(divisor));
        rem = Number(big % BigInt(divisor));
      }
      if (signed ? q < -2147483648 || q > 2147483647 : q > 0xffffffff) throw divideError(i.rip);
      setReg(cpu, 4, 0, q);
      setReg(cpu, 4, 2, rem);
      return;
    }
    default:
      divide64(cpu, i, signed);
  }
}

function divide64(cpu: Cpu, i: Insn, signed: boolean): void {
  const r = cpu.regs;
  const dLo = readRm64(cpu, i);
  const dHi = cpu.hi;
  if ((dLo | dHi) === 0) throw divideError(i.rip);
  // Fast path: unsigned, RDX = 0 and both below 2^53 (the common size_t / size_t case).
  if (!signed && r[4] === 0 && r[5] === 0 && r[1] >>> 0 < 0x200000 && dHi >>> 0 < 0x200000) {
    const dividend = (r[1] >>> 0) * TWO_32 + (r[0] >>> 0);
    const divisor = (dHi >>> 0) * TWO_32 + (dLo >>> 0);
    const q = Math.floor(dividend / divisor);
    const rem = dividend - q * divisor;
    cpu.setNumber(0, q);
    cpu.setNumber(2, rem);
    return;
  }
  const u64 = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  let dividend = (u64(r[4], r[5]) << 64n) | u64(r[0], r[1]);
  let divisor = u64(dLo, dHi);
  if (signed) {
    dividend = BigInt.asIntN(128, dividend);
    divisor = BigInt.asIntN(64, divisor);
  }
  const q = dividend / divisor;
  const rem = dividend % divisor;
  const fits = signed ? q >= -(1n << 63n) && q < 1n << 63n : q < 1n << 64n;
  if (!fits) throw divideError(i.rip);
  cpu.setU64(0, BigInt.asUintN(64, q));
  cpu.setU64(2, BigInt.asUintN(64, rem));
}

