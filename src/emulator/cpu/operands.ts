// Reading and writing instruction operands: the effective address, registers by size (byte
// registers through their regs8 index, see Insn.reg) and memory by size. 64-bit values travel as
// (low return value, cpu.hi).
import { Segment } from './decoded.js';
import { generalProtection } from './faults.js';
import type { Insn } from './insn.js';
import type { Cpu } from './state.js';

const TWO_32 = 4294967296;

/** The effective address of the instruction's memory operand. */
export function ea(cpu: Cpu, i: Insn): number {
  const addr = addressSum(cpu, i);
  if (i.segment === Segment.None) return canonical(addr);
  return canonical(addr + (i.segment === Segment.FS ? cpu.fsBase : cpu.gsBase));
}

/** The address arithmetic without the segment base, as a signed sum: exact for values below
 *  2^53, which covers every user-space address and small negative offsets. */
function addressSum(cpu: Cpu, i: Insn): number {
  let addr = i.disp;
  const regs = cpu.regs;
  if (i.memBase >= 0) addr += regs[2 * i.memBase + 1] * TWO_32 + (regs[2 * i.memBase] >>> 0);
  if (i.memIndex >= 0) addr += (regs[2 * i.memIndex + 1] * TWO_32 + (regs[2 * i.memIndex] >>> 0)) * i.memScale;
  if (i.addr32) addr = addr - Math.floor(addr / TWO_32) * TWO_32;
  return addr;
}

const LOWER_HALF_END = 0x800000000000; // 2^47
const UPPER_HALF_START = 18446603336221196288; // 2^64 - 2^47
const TWO_64 = 18446744073709551616;

/** Keeps user-space addresses as they are; wraps other sums to their 64-bit value. A
 *  non-canonical address raises #GP (SIGSEGV, SI_KERNEL, address 0) as on hardware; a canonical
 *  kernel-half one goes on to fault as unmapped. */
export function canonical(addr: number): number {
  if (addr >= 0 && addr < LOWER_HALF_END) return addr;
  const wrapped = addr < 0 ? addr + TWO_64 : addr >= TWO_64 ? addr - TWO_64 : addr;
  if (wrapped < LOWER_HALF_END) return wrapped;
  if (wrapped < UPPER_HALF_START) throw generalProtection();
  return wrapped;
}

// ---------------------------------------------------------------- registers, sizes 1/2/4

/** Register value of size 1, 2 or 4 (byte registers by regs8 index). Bytes and words are
 *  zero-extended; dwords come back as int32. */
export function getReg(cpu: Cpu, size: number, r: number): number {
  if (size === 4) return cpu.regs[2 * r];
  if (size === 1) return cpu.regs8[r];
  return cpu.regs16[4 * r];
}

/** Writes a register of size 1, 2 or 4; a 32-bit write zeroes the upper half, as on hardware. */
export function setReg(cpu: Cpu, size: number, r: number, value: number): void {
  if (size === 4) {
    cpu.regs[2 * r] = value;
    cpu.regs[2 * r + 1] = 0;
  } else if (size === 1) cpu.regs8[r] = value;
  else cpu.regs16[4 * r] = value;
}

// ---------------------------------------------------------------- memory, sizes 1/2/4

export function load(cpu: Cpu, size: number, addr: number): number {
  if (size === 4) return cpu.mem.read32(addr);
  if (size === 1) return cpu.mem.read8(addr);
  return cpu.mem.read16(addr);
}

export function store(cpu: Cpu, size: number, addr: number, value: number): void {
  if (size === 4) cpu.mem.write32(addr, value);
  else if (size === 1) cpu.mem.write8(addr, value);
  else cpu.mem.write16(addr, value);
}

// ---------------------------------------------------------------- the r/m operand

/** The r/m operand of size 1, 2 or 4. */
export function readRm(cpu: Cpu, i: Insn, size: number): number {
  return i.rm >= 0 ? getReg(cpu, size, i.rm) : load(cpu, size, ea(cpu, i));
}

export function writeRm(cpu: Cpu, i: Insn, size: number, value: number): void {
  if (i.rm >= 0) setReg(cpu, size, i.rm, value);
  else store(cpu, size, ea(cpu, i), value);
}

/** The 64-bit r/m operand: low half returned, high half in cpu.hi. */
export function readRm64(cpu: Cpu, i: Insn): number {
  if (i.rm >= 0) {
    cpu.hi = cpu.regs[2 * i.rm + 1];
    return cpu.regs[2 * i.rm];
  }
  const lo = cpu.mem.read64(ea(cpu, i));
  cpu.hi = cpu.mem.hi;
  return lo;
}

export function writeRm64(cpu: Cpu, i: Insn, lo: number, hi: number): void {
  if (i.rm >= 0) {
    cpu.regs[2 * i.rm] = lo;
    cpu.regs[2 * i.rm + 1] = hi;
  } else cpu.mem.write64(ea(cpu, i), lo, hi);
}

// ---------------------------------------------------------------- any size

/** Reads the r/m operand of any integer size, sign-agnostic: 64-bit leaves the high half in
 *  cpu.hi, smaller sizes set cpu.hi to 0. */
export function readRmAny(cpu: Cpu, i: Insn, size: number): number {
  if (size === 8) return readRm64(cpu, i);
  cpu.hi = 0;
  return readRm(cpu, i, size);
}

export function writeRmAny(cpu: Cpu, i: Insn, size: number, lo: number, hi: number): void {
  if (size === 8) writeRm64(cpu, i, lo, hi);
  else writeRm(cpu, i, size, lo);
}

export function getRegAny(cpu: Cpu, size: number, r: number): number {
  if (size === 8) {
    cpu.hi = cpu.regs[2 * r + 1];
    return cpu.regs[2 * r];
  }
  cpu.hi = 0;
  return getReg(cpu, size, r);
}

export function setRegAny(cpu: Cpu, size: number, r: number, lo: number, hi: number): void {
  if (size === 8) {
    cpu.regs[2 * r] = lo;
    cpu.regs[2 * r + 1] = hi;
  } else setReg(cpu, size, r, lo);
}

// ---------------------------------------------------------------- stack

export function push64(cpu: Cpu, lo: number, hi: number): void {
  const rsp = cpu.getU(4) - 8;
  cpu.mem.write64(rsp, lo, hi);
  cpu.setNumber(4, rsp);
}

/** Pops 64 bits: low half returned, high half in cpu.hi. */
export function pop64(cpu: Cpu): number {
  const rsp = cpu.getU(4);
  const lo = cpu.mem.read64(rsp);
  cpu.hi = cpu.mem.hi;
  cpu.setNumber(4, rsp + 8);
  return lo;
}

/** Pushes an address (a number below 2^53), e.g. a return address. */
export function pushAddress(cpu: Cpu, addr: number): void {
  const hi = Math.floor(addr / TWO_32);
  push64(cpu, addr - hi * TWO_32, hi);
}

export function popAddress(cpu: Cpu): number {
  const lo = pop64(cpu);
  return cpu.hi * TWO_32 + (lo >>> 0);
}

/** Masks a value to an operand size of 1, 2 or 4 bytes (4 gives int32). */
export function truncate(size: number, value: number): number {
  return size === 4 ? value | 0 : size === 1 ? value & 0xff : value & 0xffff;
}

/** Sign-extends a value of size 1, 2 or 4 to int32. */
export function signExtend(size: number, value: number): number {
  return size === 4 ? value | 0 : size === 1 ? (value << 24) >> 24 : (value << 16) >> 16;
}
