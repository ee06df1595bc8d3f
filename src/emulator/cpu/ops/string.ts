// String instructions MOVS STOS LODS CMPS SCAS, with REP/REPE/REPNE and the direction flag.
// Registers are written back after every element, so a fault part-way leaves RSI/RDI/RCX where
// the hardware would (the instruction restarts from there).
import { alu32, alu64, AluOp } from './alu.js';
import { getZF } from '../flags.js';
import type { Insn } from '../insn.js';
import { getReg, setReg } from '../operands.js';
import { Cpu, DF } from '../state.js';
import { RepPrefix, Segment } from '../decoded.js';

export const enum StringOp {
  Movs = 0,
  Stos = 1,
  Lods = 2,
  Cmps = 3,
  Scas = 4,
}

const TWO_32 = 4294967296;
const RSI = 6;
const RDI = 7;
const RCX = 1;

/** i.op is the StringOp; i.size the element size. */
export function stringOp(cpu: Cpu, i: Insn): void {
  const size = i.size;
  const step = cpu.controlFlags & DF ? -size : size;
  const repeat = i.rep !== RepPrefix.None;
  if (repeat && (i.addr32 ? cpu.regs[2] : cpu.regs[2] | cpu.regs[3]) === 0) return;
  // Bulk paths for the forms memset and memcpy use.
  if (repeat && step > 0 && !i.addr32) {
    if (i.op === StringOp.Stos && storeRun(cpu, i)) return;
    if (i.op === StringOp.Movs && copyRun(cpu, i)) return;
  }
  const segmentBase = i.segment === Segment.FS ? cpu.fsBase : i.segment === Segment.GS ? cpu.gsBase : 0;
  for (;;) {
    const si = address(cpu, i, RSI);
    const di = address(cpu, i, RDI);
    let done = false;
    switch (i.op) {
      case StringOp.Movs:
        copyElement(cpu, size, si + segmentBase, di);
        advance(cpu, i, RSI, step);
        advance(cpu, i, RDI, step);
        break;
      case StringOp.Stos:
        storeAccumulator(cpu, size, di);
        advance(cpu, i, RDI, step);
        break;
      case StringOp.Lods:
        loadAccumulator(cpu, size, si + segmentBase);
        advance(cpu, i, RSI, step);
        break;
      case StringOp.Cmps:
        compare(cpu, size, si + segmentBase, di);
        advance(cpu, i, RSI, step);
        advance(cpu, i, RDI, step);
        done = true;
        break;
      default:
        compareAccumulator(cpu, size, di);
        advance(cpu, i, RDI, step);
        done = true;
    }
    if (!repeat) return;
    if (decrementCounter(cpu, i)) return;
    if (done) {
      // CMPS/SCAS: REPE stops on a difference, REPNE on a match.
      const zf = getZF(cpu);
      if (i.rep === RepPrefix.Rep ? zf === 0 : zf === 1) return;
    }
  }
}

function address(cpu: Cpu, i: Insn, reg: number): number {
  return i.addr32 ? cpu.regs[2 * reg] >>> 0 : cpu.getU(reg);
}

function advance(cpu: Cpu, i: Insn, reg: number, step: number): void {
  if (i.addr32) setReg(cpu, 4, reg, (cpu.regs[2 * reg] + step) | 0);
  else {
    const lo = (cpu.regs[2 * reg] >>> 0) + step;
    if (lo >= 0 && lo < TWO_32) cpu.regs[2 * reg] = lo;
    else cpu.setNumber(reg, (cpu.getU(reg) + step + 18446744073709551616) % 18446744073709551616);
  }
}

/** RCX (ECX with 0x67) minus one, exactly; true when it reached zero. */
function decrementCounter(cpu: Cpu, i: Insn): boolean {
  const r = cpu.regs;
  if (i.addr32) {
    setReg(cpu, 4, RCX, (r[2] - 1) | 0);
    return r[2] === 0;
  }
  if (r[2] === 0) r[3] = (r[3] - 1) | 0;
  r[2] = (r[2] - 1) | 0;
  return (r[2] | r[3]) === 0;
}

/** RCX minus n (n < 2^32), exactly. */
function subtractCounter(cpu: Cpu, n: number): void {
  const r = cpu.regs;
  const lo = (r[2] >>> 0) - n;
  if (lo < 0) r[3] = (r[3] - 1) | 0;
  r[2] = lo | 0;
}

function copyElement(cpu: Cpu, size: number, from: number, to: number): void {
  const mem = cpu.mem;
  switch (size) {
    case 1:
      mem.write8(to, mem.read8(from));
      return;
    case 2:
      mem.write16(to, mem.read16(from));
      return;
    case 4:
      mem.write32(to, mem.read32(from));
      return;
    default: {
      const lo = mem.read64(from);
      mem.write64(to, lo, mem.hi);
    }
  }
}

function storeAccumulator(cpu: Cpu, size: number, to: number): void {
  const mem = cpu.mem;
  if (size === 8) mem.write64(to, cpu.regs[0], cpu.regs[1]);
  else if (size === 4) mem.write32(to, cpu.regs[0]);
  else if (size === 2) mem.write16(to, cpu.regs16[0]);
  else mem.write8(to, cpu.regs8[0]);
}

function loadAccumulator(cpu: Cpu, size: number, from: number): void {
  const mem = cpu.mem;
  if (size === 8) {
    cpu.regs[0] = mem.read64(from);
    cpu.regs[1] = mem.hi;
  } else if (size === 4) setReg(cpu, 4, 0, mem.read32(from));
  else if (size === 2) cpu.regs16[0] = mem.read16(from);
  else cpu.regs8[0] = mem.read8(from);
}

/** CMPS compares [RSI] with [RDI] (flags of [RSI] - [RDI]). */
function compare(cpu: Cpu, size: number, si: number, di: number): void {
  const mem = cpu.mem;
  if (size === 8) {
    const aLo = mem.read64(si);
    const aHi = mem.hi;
    const bLo = mem.read64(di);
    alu64(cpu, AluOp.Cmp, aLo, aHi, bLo, mem.hi);
  } else {
    const a = size === 4 ? mem.read32(si) : size === 2 ? mem.read16(si) : mem.read8(si);
    const b = size === 4 ? mem.read32(di) : size === 2 ? mem.read16(di) : mem.read8(di);
    alu32(cpu, AluOp.Cmp, size, a, b);
  }
}

/** SCAS compares the accumulator with [RDI]. */
function compareAccumulator(cpu: Cpu, size: number, di: number): void {
  const mem = cpu.mem;
  if (size === 8) {
    const bLo = mem.read64(di);
    alu64(cpu, AluOp.Cmp, cpu.regs[0], cpu.regs[1], bLo, mem.hi);
  } else {
    const b = size === 4 ? mem.read32(di) : size === 2 ? mem.read16(di) : mem.read8(di);
    alu32(cpu, AluOp.Cmp, size, getReg(cpu, size, 0), b);
  }
}

/** Forward REP STOS as page-sized fills; false when the fast path does not apply. */
function storeRun(cpu: Cpu, i: Insn): boolean {
  const size = i.size;
  const pattern = new Uint8Array(8);
  new DataView(pattern.buffer).setInt32(0, cpu.regs[0], true);
  new DataView(pattern.buffer).setInt32(4, cpu.regs[1], true);
  for (;;) {
    if ((cpu.regs[2] | cpu.regs[3]) === 0) return true;
    const count = cpu.getU(RCX);
    const di = cpu.getU(RDI);
    const elements = Math.min(count, Math.floor((4096 - (di % 4096)) / size) || 1);
    const bytes = elements * size;
    if (!cpu.mem.fill(di, pattern, size, bytes)) return false;
    cpu.setNumber(RDI, di + bytes);
    subtractCounter(cpu, elements);
  }
}

/** Forward REP MOVS in page-sized copies when source and destination do not overlap in the way
 *  that makes element order visible (destination just above the source). */
function copyRun(cpu: Cpu, i: Insn): boolean {
  const size = i.size;
  const segmentBase = i.segment === Segment.FS ? cpu.fsBase : i.segment === Segment.GS ? cpu.gsBase : 0;
  for (;;) {
    if ((cpu.regs[2] | cpu.regs[3]) === 0) return true;
    const count = cpu.getU(RCX);
    const si = cpu.getU(RSI) + segmentBase;
    const di = cpu.getU(RDI);
    if (di > si && di < si + count * size) return false;
    const room = Math.min(4096 - (si % 4096), 4096 - (di % 4096));
    const elements = Math.min(count, Math.floor(room / size) || 1);
    const bytes = elements * size;
    if (!cpu.mem.copy(di, si, bytes)) return false;
    cpu.setNumber(RSI, si - segmentBase + bytes);
    cpu.setNumber(RDI, di + bytes);
    subtractCounter(cpu, elements);
  }
}
