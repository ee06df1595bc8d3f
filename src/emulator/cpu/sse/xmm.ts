// Operand access shared by the SSE semantics. Registers are addressed by their index into the
// Int32 view of the register file (XMM r starts at 4r); a memory source operand is loaded into the
// scratch slot 16 (index SCRATCH) so every semantics function reads its source the same way.
// 16-byte accesses that cross a page go byte by byte in address order, so a fault reports the
// first inaccessible byte and a faulting store writes nothing.
import { generalProtection } from '../faults.js';
import type { Insn } from '../insn.js';
import { ea } from '../operands.js';
import type { Cpu } from '../state.js';

/** Int32 index of the scratch slot (XMM "16"). */
export const SCRATCH = 64;

/** Alignment masks for Insn.target: legacy SSE 128-bit memory operands must be 16-byte aligned
 *  (#GP otherwise) except for the unaligned moves. */
export const ALIGN16 = 15;
export const UNALIGNED = 0;

/** The address of the memory operand, checked against the instruction's alignment mask. */
export function memAddress(cpu: Cpu, i: Insn): number {
  const addr = ea(cpu, i);
  if (addr & i.target) throw generalProtection();
  return addr;
}

/** Loads 16 bytes at addr into the register file at Int32 index `dst`. */
export function load128(cpu: Cpu, addr: number, dst: number): void {
  const mem = cpu.mem;
  const x = cpu.xmm;
  if ((addr & 0xfff) <= 0xff0) {
    const a = mem.read64(addr);
    const b = mem.hi;
    const c = mem.read64(addr + 8);
    x[dst] = a;
    x[dst + 1] = b;
    x[dst + 2] = c;
    x[dst + 3] = mem.hi;
    return;
  }
  // Crossing a page: read every byte first (in address order), then commit.
  const s = SCRATCH * 4;
  const b8 = cpu.xmm8;
  for (let k = 0; k < 16; k++) b8[s + k] = mem.read8(addr + k);
  if (dst !== SCRATCH) for (let k = 0; k < 4; k++) x[dst + k] = x[SCRATCH + k];
}

/** Stores the 16 bytes at Int32 index `src` of the register file to addr. */
export function store128(cpu: Cpu, addr: number, src: number): void {
  const mem = cpu.mem;
  const x = cpu.xmm;
  if ((addr & 0xfff) <= 0xff0) {
    // One page: if the first store succeeds the second cannot fault.
    mem.write64(addr, x[src], x[src + 1]);
    mem.write64(addr + 8, x[src + 2], x[src + 3]);
    return;
  }
  storeBytesChecked(cpu, addr, 16);
  mem.write64(addr, x[src], x[src + 1]);
  mem.write64(addr + 8, x[src + 2], x[src + 3]);
}

/** Stores a 64-bit value; an access crossing into an unwritable page writes nothing. */
export function store64(cpu: Cpu, addr: number, lo: number, hi: number): void {
  if ((addr & 0xfff) > 0xff8) storeBytesChecked(cpu, addr, 8);
  cpu.mem.write64(addr, lo, hi);
}

/** Loads a 64-bit value (low half returned, high half in cpu.hi); a page-crossing access faults
 *  at its first inaccessible byte. */
export function load64(cpu: Cpu, addr: number): number {
  const mem = cpu.mem;
  if ((addr & 0xfff) <= 0xff8) {
    const lo = mem.read64(addr);
    cpu.hi = mem.hi;
    return lo;
  }
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const byte = mem.read8(addr + k);
    if (k < 4) lo |= byte << (8 * k);
    else hi |= byte << (8 * (k - 4));
  }
  cpu.hi = hi;
  return lo;
}

/** Loads a 32-bit value; a page-crossing access faults at its first inaccessible byte. */
export function load32(cpu: Cpu, addr: number): number {
  if ((addr & 0xfff) <= 0xffc) return cpu.mem.read32(addr);
  let v = 0;
  for (let k = 0; k < 4; k++) v |= cpu.mem.read8(addr + k) << (8 * k);
  return v;
}

export function store32(cpu: Cpu, addr: number, value: number): void {
  if ((addr & 0xfff) > 0xffc) storeBytesChecked(cpu, addr, 4);
  cpu.mem.write32(addr, value);
}

/** Throws the fault of the first unwritable byte of [addr, addr+len), if any. */
function storeBytesChecked(cpu: Cpu, addr: number, len: number): void {
  if (cpu.mem.isAccessible(addr, len, 'write')) return;
  for (let k = 0; k < len; k++) if (!cpu.mem.isAccessible(addr + k, 1, 'write')) cpu.mem.write8(addr + k, 0);
}

// ---------------------------------------------------------------- general-register operands

/** An r/m32|64 source (i.size 4 or 8), zero-extended to 64 bits: the low half returned, the high
 *  half in cpu.hi (MOVD/MOVQ into an XMM or MM register). */
export function loadRm64(cpu: Cpu, i: Insn): number {
  if (i.rm >= 0) {
    cpu.hi = i.size === 8 ? cpu.regs[2 * i.rm + 1] : 0;
    return cpu.regs[2 * i.rm];
  }
  if (i.size === 8) return load64(cpu, ea(cpu, i));
  cpu.hi = 0;
  return load32(cpu, ea(cpu, i));
}

/** Writes an r/m32|64 destination (i.size 4 or 8; a register is written whole: hi is 0 for a
 *  32-bit one) from (lo, hi). */
export function storeRm64(cpu: Cpu, i: Insn, lo: number, hi: number): void {
  if (i.rm >= 0) {
    cpu.regs[2 * i.rm] = lo;
    cpu.regs[2 * i.rm + 1] = hi;
  } else if (i.size === 8) store64(cpu, ea(cpu, i), lo, hi);
  else store32(cpu, ea(cpu, i), lo);
}

// ---------------------------------------------------------------- source operands

/** The full 128-bit source (xmm/m128): Int32 index of the register or of the loaded scratch. */
export function src128(cpu: Cpu, i: Insn): number {
  if (i.rm >= 0) return 4 * i.rm;
  load128(cpu, memAddress(cpu, i), SCRATCH);
  return SCRATCH;
}

/** A 64-bit source (xmm/m64): the low quadword of the register, or memory loaded into the low
 *  quadword of the scratch slot. */
export function src64(cpu: Cpu, i: Insn): number {
  if (i.rm >= 0) return 4 * i.rm;
  const lo = load64(cpu, ea(cpu, i));
  cpu.xmm[SCRATCH] = lo;
  cpu.xmm[SCRATCH + 1] = cpu.hi;
  return SCRATCH;
}

/** A 32-bit source (xmm/m32). */
export function src32(cpu: Cpu, i: Insn): number {
  if (i.rm >= 0) return 4 * i.rm;
  cpu.xmm[SCRATCH] = load32(cpu, ea(cpu, i));
  return SCRATCH;
}
