// Bit tests (BT BTS BTR BTC), bit scans (BSF BSR, and TZCNT/LZCNT which run as BSF/BSR on a CPU
// that does not advertise BMI1/LZCNT, exactly as hardware does), POPCNT and BSWAP.
import { getArithFlags, setArithFlags, updateFlags } from '../flags.js';
import type { Insn } from '../insn.js';
import { ea, load, readRm, readRm64, setReg, store } from '../operands.js';
import { CF, Cpu, ZF } from '../state.js';

export const enum BitOp {
  Test = 0,
  Set = 1,
  Reset = 2,
  Complement = 3,
}

/** BT/BTS/BTR/BTC r/m, reg|imm. i.op: BitOp; i.target: 1 when the bit offset is the immediate.
 *  The bit position is the offset modulo the operand size. With a register offset and a memory
 *  operand, the offset is signed and also selects the operand-sized unit around the effective
 *  address (EA + size * floor(offset / bits)); the whole unit is accessed, as on hardware (it
 *  matters for faults at the edge of a mapping). Only CF changes (the others are undefined; kept). */
export function bitTest(cpu: Cpu, i: Insn): void {
  const size = i.size;
  const bits = size * 8;
  const byImmediate = i.target === 1;
  const bit = (byImmediate ? i.imm : cpu.regs[2 * i.reg]) & (bits - 1);

  if (i.rm >= 0) {
    const word = bit >= 32 ? 2 * i.rm + 1 : 2 * i.rm;
    const value = size === 2 ? cpu.regs16[4 * i.rm] : cpu.regs[word];
    updateFlags(cpu, CF, (value >>> (bit & 31)) & 1 ? CF : 0);
    if (i.op === BitOp.Test) return;
    const updated = applyBit(i.op, value, bit & 31);
    if (size === 2) cpu.regs16[4 * i.rm] = updated;
    else {
      cpu.regs[word] = updated;
      if (size === 4) cpu.regs[2 * i.rm + 1] = 0;
    }
    return;
  }
  let addr = ea(cpu, i);
  if (!byImmediate) addr += size * unitIndex(cpu, i.reg, size);
  if (size === 8) {
    let lo = cpu.mem.read64(addr);
    let hi = cpu.mem.hi;
    updateFlags(cpu, CF, ((bit >= 32 ? hi : lo) >>> (bit & 31)) & 1 ? CF : 0);
    if (i.op === BitOp.Test) return;
    if (bit >= 32) hi = applyBit(i.op, hi, bit & 31);
    else lo = applyBit(i.op, lo, bit);
    cpu.mem.write64(addr, lo, hi);
    return;
  }
  const value = load(cpu, size, addr);
  updateFlags(cpu, CF, (value >>> bit) & 1 ? CF : 0);
  if (i.op !== BitOp.Test) store(cpu, size, addr, applyBit(i.op, value, bit));
}

/** floor(offset / bits) for the signed bit offset in register r (operand size 2, 4 or 8). */
function unitIndex(cpu: Cpu, r: number, size: number): number {
  if (size === 2) return ((cpu.regs16[4 * r] << 16) >> 16) >> 4;
  if (size === 4) return cpu.regs[2 * r] >> 5;
  return cpu.regs[2 * r + 1] * 67108864 + (cpu.regs[2 * r] >>> 6);
}

function applyBit(op: number, value: number, bit: number): number {
  if (op === BitOp.Set) return value | (1 << bit);
  if (op === BitOp.Reset) return value & ~(1 << bit);
  return value ^ (1 << bit);
}

/** BSF (i.op 0) / BSR (i.op 1) reg, r/m: ZF=1 and the destination unchanged when the source is 0. */
export function bitScan(cpu: Cpu, i: Insn): void {
  const size = i.size;
  let lo: number;
  let hi = 0;
  if (size === 8) {
    lo = readRm64(cpu, i);
    hi = cpu.hi;
  } else lo = size === 4 ? readRm(cpu, i, 4) : readRm(cpu, i, 2) & 0xffff;
  const flags = getArithFlags(cpu) & ~ZF;
  if ((lo | hi) === 0) {
    setArithFlags(cpu, flags | ZF);
    return;
  }
  let index: number;
  if (i.op === 0) index = lo !== 0 ? 31 - Math.clz32(lo & -lo) : 32 + 31 - Math.clz32(hi & -hi);
  else index = hi !== 0 ? 63 - Math.clz32(hi) : 31 - Math.clz32(lo);
  setArithFlags(cpu, flags);
  if (size === 8) {
    cpu.regs[2 * i.reg] = index;
    cpu.regs[2 * i.reg + 1] = 0;
  } else setReg(cpu, size, i.reg, index);
}

/** POPCNT reg, r/m: ZF = (source == 0), other arithmetic flags cleared. */
export function popcount(cpu: Cpu, i: Insn): void {
  let lo: number;
  let hi = 0;
  if (i.size === 8) {
    lo = readRm64(cpu, i);
    hi = cpu.hi;
  } else lo = i.size === 4 ? readRm(cpu, i, 4) : readRm(cpu, i, 2) & 0xffff;
  const count = bitCount(lo) + bitCount(hi);
  setArithFlags(cpu, count === 0 ? ZF : 0);
  if (i.size === 8) {
    cpu.regs[2 * i.reg] = count;
    cpu.regs[2 * i.reg + 1] = 0;
  } else setReg(cpu, i.size, i.reg, count);
}

function bitCount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** BSWAP reg (0F C8+r). With a 16-bit operand the result is undefined; hardware gives 0. */
export function byteSwap(cpu: Cpu, i: Insn): void {
  const r = i.reg;
  if (i.size === 8) {
    const lo = cpu.regs[2 * r];
    cpu.regs[2 * r] = swap32(cpu.regs[2 * r + 1]);
    cpu.regs[2 * r + 1] = swap32(lo);
  } else if (i.size === 4) setReg(cpu, 4, r, swap32(cpu.regs[2 * r]));
  else cpu.regs16[4 * r] = 0;
}

function swap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

