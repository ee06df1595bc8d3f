// The eight classic ALU operations (ADD OR ADC SBB AND SUB XOR CMP, numbered as in their /digit
// encoding), INC/DEC/NEG/NOT, and TEST, on every operand size.
import { getCF, setFlags32, setFlags64 } from '../flags.js';
import type { Insn } from '../insn.js';
import { ea, getReg, load, readRm, readRm64, setReg, store, truncate, writeRm, writeRm64 } from '../operands.js';
import { Cpu, FlagOp } from '../state.js';

export const enum AluOp {
  Add = 0,
  Or = 1,
  Adc = 2,
  Sbb = 3,
  And = 4,
  Sub = 5,
  Xor = 6,
  Cmp = 7,
}

/** Applies `op` to two values of size 1, 2 or 4, records the flags and returns the result
 *  truncated to the size. */
export function alu32(cpu: Cpu, op: number, size: number, a: number, b: number): number {
  let r: number;
  switch (op) {
    case AluOp.Add:
      r = truncate(size, a + b);
      setFlags32(cpu, FlagOp.Add, size, r, a, b);
      return r;
    case AluOp.Or:
      r = truncate(size, a | b);
      setFlags32(cpu, FlagOp.Logic, size, r, 0, 0);
      return r;
    case AluOp.Adc: {
      const carry = getCF(cpu);
      r = truncate(size, a + b + carry);
      setFlags32(cpu, FlagOp.Adc, size, r, a, b);
      cpu.carry = carry;
      return r;
    }
    case AluOp.Sbb: {
      const carry = getCF(cpu);
      r = truncate(size, a - b - carry);
      setFlags32(cpu, FlagOp.Sbb, size, r, a, b);
      cpu.carry = carry;
      return r;
    }
    case AluOp.And:
      r = truncate(size, a & b);
      setFlags32(cpu, FlagOp.Logic, size, r, 0, 0);
      return r;
    case AluOp.Sub:
    case AluOp.Cmp:
      r = truncate(size, a - b);
      setFlags32(cpu, FlagOp.Sub, size, r, a, b);
      return r;
    default:
      r = truncate(size, a ^ b);
      setFlags32(cpu, FlagOp.Logic, size, r, 0, 0);
      return r;
  }
}

/** Applies `op` to two 64-bit values given as halves; returns the low half, high half in cpu.hi. */
export function alu64(cpu: Cpu, op: number, aLo: number, aHi: number, bLo: number, bHi: number): number {
  let lo: number;
  let hi: number;
  switch (op) {
    case AluOp.Add: {
      lo = (aLo + bLo) | 0;
      hi = (aHi + bHi + (lo >>> 0 < aLo >>> 0 ? 1 : 0)) | 0;
      setFlags64(cpu, FlagOp.Add, lo, hi, aLo, aHi, bLo, bHi);
      break;
    }
    case AluOp.Or:
      lo = aLo | bLo;
      hi = aHi | bHi;
      setFlags64(cpu, FlagOp.Logic, lo, hi, 0, 0, 0, 0);
      break;
    case AluOp.Adc: {
      const carry = getCF(cpu);
      const sum = (aLo >>> 0) + (bLo >>> 0) + carry;
      lo = sum | 0;
      hi = (aHi + bHi + (sum > 0xffffffff ? 1 : 0)) | 0;
      setFlags64(cpu, FlagOp.Adc, lo, hi, aLo, aHi, bLo, bHi);
      cpu.carry = carry;
      break;
    }
    case AluOp.Sbb: {
      const carry = getCF(cpu);
      const diff = (aLo >>> 0) - (bLo >>> 0) - carry;
      lo = diff | 0;
      hi = (aHi - bHi - (diff < 0 ? 1 : 0)) | 0;
      setFlags64(cpu, FlagOp.Sbb, lo, hi, aLo, aHi, bLo, bHi);
      cpu.carry = carry;
      break;
    }
    case AluOp.And:
      lo = aLo & bLo;
      hi = aHi & bHi;
      setFlags64(cpu, FlagOp.Logic, lo, hi, 0, 0, 0, 0);
      break;
    case AluOp.Sub:
    case AluOp.Cmp: {
      lo = (aLo - bLo) | 0;
      hi = (aHi - bHi - (aLo >>> 0 < bLo >>> 0 ? 1 : 0)) | 0;
      setFlags64(cpu, FlagOp.Sub, lo, hi, aLo, aHi, bLo, bHi);
      break;
    }
    default:
      lo = aLo ^ bLo;
      hi = aHi ^ bHi;
      setFlags64(cpu, FlagOp.Logic, lo, hi, 0, 0, 0, 0);
  }
  cpu.hi = hi;
  return lo;
}

// ---------------------------------------------------------------- forms
// `i.op` holds the AluOp. CMP and TEST (op Cmp with `writes` false) never write their result.

/** op r/m, reg (opcodes x0, x1) */
export function aluRmReg(cpu: Cpu, i: Insn): void {
  const size = i.size;
  if (size === 8) {
    const bLo = cpu.regs[2 * i.reg];
    const bHi = cpu.regs[2 * i.reg + 1];
    if (i.rm >= 0) {
      const lo = alu64(cpu, i.op, cpu.regs[2 * i.rm], cpu.regs[2 * i.rm + 1], bLo, bHi);
      if (i.op !== AluOp.Cmp) {
        cpu.regs[2 * i.rm] = lo;
        cpu.regs[2 * i.rm + 1] = cpu.hi;
      }
    } else {
      const addr = ea(cpu, i);
      const aLo = cpu.mem.read64(addr);
      const lo = alu64(cpu, i.op, aLo, cpu.mem.hi, bLo, bHi);
      if (i.op !== AluOp.Cmp) cpu.mem.write64(addr, lo, cpu.hi);
    }
    return;
  }
  const b = getReg(cpu, size, i.reg);
  if (i.rm >= 0) {
    const r = alu32(cpu, i.op, size, getReg(cpu, size, i.rm), b);
    if (i.op !== AluOp.Cmp) setReg(cpu, size, i.rm, r);
  } else {
    const addr = ea(cpu, i);
    const r = alu32(cpu, i.op, size, load(cpu, size, addr), b);
    if (i.op !== AluOp.Cmp) store(cpu, size, addr, r);
  }
}

/** op reg, r/m (opcodes x2, x3) */
export function aluRegRm(cpu: Cpu, i: Insn): void {
  const size = i.size;
  if (size === 8) {
    const bLo = readRm64(cpu, i);
    const lo = alu64(cpu, i.op, cpu.regs[2 * i.reg], cpu.regs[2 * i.reg + 1], bLo, cpu.hi);
    if (i.op !== AluOp.Cmp) {
      cpu.regs[2 * i.reg] = lo;
      cpu.regs[2 * i.reg + 1] = cpu.hi;
    }
    return;
  }
  const r = alu32(cpu, i.op, size, getReg(cpu, size, i.reg), readRm(cpu, i, size));
  if (i.op !== AluOp.Cmp) setReg(cpu, size, i.reg, r);
}

/** op r/m, imm (opcodes 80, 81, 83 and the accumulator forms x4, x5 with rm = 0). The binder puts
 *  the immediate, already truncated for sizes 1/2, in i.imm (and its sign extension in i.immHi). */
export function aluRmImm(cpu: Cpu, i: Insn): void {
  const size = i.size;
  if (size === 8) {
    if (i.rm >= 0) {
      const lo = alu64(cpu, i.op, cpu.regs[2 * i.rm], cpu.regs[2 * i.rm + 1], i.imm, i.immHi);
      if (i.op !== AluOp.Cmp) {
        cpu.regs[2 * i.rm] = lo;
        cpu.regs[2 * i.rm + 1] = cpu.hi;
      }
    } else {
      const addr = ea(cpu, i);
      const aLo = cpu.mem.read64(addr);
      const lo = alu64(cpu, i.op, aLo, cpu.mem.hi, i.imm, i.immHi);
      if (i.op !== AluOp.Cmp) cpu.mem.write64(addr, lo, cpu.hi);
    }
    return;
  }
  if (i.rm >= 0) {
    const r = alu32(cpu, i.op, size, getReg(cpu, size, i.rm), i.imm);
    if (i.op !== AluOp.Cmp) setReg(cpu, size, i.rm, r);
  } else {
    const addr = ea(cpu, i);
    const r = alu32(cpu, i.op, size, load(cpu, size, addr), i.imm);
    if (i.op !== AluOp.Cmp) store(cpu, size, addr, r);
  }
}

/** TEST r/m, reg */
export function testRmReg(cpu: Cpu, i: Insn): void {
  if (i.size === 8) {
    const lo = readRm64(cpu, i);
    setFlags64(cpu, FlagOp.Logic, lo & cpu.regs[2 * i.reg], cpu.hi & cpu.regs[2 * i.reg + 1], 0, 0, 0, 0);
    return;
  }
  setFlags32(cpu, FlagOp.Logic, i.size, readRm(cpu, i, i.size) & getReg(cpu, i.size, i.reg), 0, 0);
}

/** TEST r/m, imm (F6/0, F7/0, A8, A9) */
export function testRmImm(cpu: Cpu, i: Insn): void {
  if (i.size === 8) {
    const lo = readRm64(cpu, i);
    setFlags64(cpu, FlagOp.Logic, lo & i.imm, cpu.hi & i.immHi, 0, 0, 0, 0);
    return;
  }
  setFlags32(cpu, FlagOp.Logic, i.size, readRm(cpu, i, i.size) & i.imm, 0, 0);
}

/** INC/DEC r/m (FE/FF /0 /1): i.op is +1 or -1. CF is kept. */
export function incDec(cpu: Cpu, i: Insn): void {
  const carry = getCF(cpu);
  const op = i.op > 0 ? FlagOp.Inc : FlagOp.Dec;
  if (i.size === 8) {
    const aLo = readRm64(cpu, i);
    const aHi = cpu.hi;
    const lo = (aLo + i.op) | 0;
    const hi = i.op > 0 ? (lo === 0 ? (aHi + 1) | 0 : aHi) : aLo === 0 ? (aHi - 1) | 0 : aHi;
    writeRm64(cpu, i, lo, hi);
    setFlags64(cpu, op, lo, hi, aLo, aHi, 1, 0);
  } else {
    const a = readRm(cpu, i, i.size);
    const r = truncate(i.size, a + i.op);
    writeRm(cpu, i, i.size, r);
    setFlags32(cpu, op, i.size, r, a, 1);
  }
  cpu.carry = carry;
}

/** NOT r/m (F6/F7 /2): no flags. */
export function not(cpu: Cpu, i: Insn): void {
  if (i.size === 8) {
    const lo = readRm64(cpu, i);
    writeRm64(cpu, i, ~lo, ~cpu.hi);
  } else writeRm(cpu, i, i.size, ~readRm(cpu, i, i.size));
}

/** NEG r/m (F6/F7 /3): flags as SUB 0, x. */
export function neg(cpu: Cpu, i: Insn): void {
  if (i.size === 8) {
    const lo = readRm64(cpu, i);
    writeRm64(cpu, i, alu64(cpu, AluOp.Sub, 0, 0, lo, cpu.hi), cpu.hi);
  } else writeRm(cpu, i, i.size, alu32(cpu, AluOp.Sub, i.size, 0, readRm(cpu, i, i.size)));
}
