// x87 control instructions and state images: FLDCW, FNSTCW, FNSTSW (m16, AX), FNCLEX, FNINIT,
// FNSTENV/FLDENV and FNSAVE/FRSTOR (the 28-byte 32-bit protected-mode layout, or the 14-byte
// one with a 66 prefix: i.size 2), FWAIT, FNOP, and the x87 part of the FXSAVE/FXRSTOR image.
// The FN* forms do not wait for pending exceptions; FLDCW, FLDENV, FRSTOR and FWAIT do.
// FCS/FDS are stored as 0 (deprecated, as recent Intel CPUs report).
import type { Insn } from '../insn.js';
import { ea, setReg } from '../operands.js';
import type { Cpu } from '../state.js';
import { Kind, kindOf } from './float80.js';
import { begin, pendingException, setControlWord, setStatusWord, statusWord, summarize, waitCheck } from './fpu.js';

/** FLDCW m16 */
export function fldcw(cpu: Cpu, i: Insn): void {
  waitCheck(cpu, i);
  setControlWord(cpu, cpu.mem.read16(ea(cpu, i)));
}

/** FNSTCW m16 */
export function fnstcw(cpu: Cpu, i: Insn): void {
  cpu.mem.write16(ea(cpu, i), cpu.fpuControl);
}

/** FNSTSW m16 (i.rm < 0) / FNSTSW AX */
export function fnstsw(cpu: Cpu, i: Insn): void {
  if (i.rm >= 0) setReg(cpu, 2, 0, statusWord(cpu));
  else cpu.mem.write16(ea(cpu, i), statusWord(cpu));
}

/** FNCLEX: clears the exception flags, SF, ES and B. */
export function fnclex(cpu: Cpu): void {
  cpu.fpuStatus &= ~0x80ff;
}

/** FNINIT */
export function fninit(cpu: Cpu): void {
  initialize(cpu);
}

export function initialize(cpu: Cpu): void {
  cpu.fpuControl = 0x37f;
  cpu.fpuStatus = 0;
  cpu.fpTop = 0;
  cpu.fpValid = 0;
  cpu.fpuIp = 0;
  cpu.fpuOpcode = 0;
  cpu.fpuDp = 0;
}

/** FWAIT (9B): raises a pending unmasked x87 exception. */
export function fwait(cpu: Cpu, i: Insn): void {
  if (cpu.fpuStatus & 0x80) throw pendingException(cpu, i.rip);
}

/** FNOP (waiting, no operation). */
export function fnop(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
}

/** FNENI, FNDISI, FNSETPM: no operation on a 387 and later (and no wait). */
export function obsolete(): void {}

/** Faults unless [addr, addr + len) is accessible, where the hardware does: it accesses the
 *  first field (FCW: 4 bytes in the 32-bit layouts, 2 in the 16-bit ones) and then the last
 *  byte, so a fault names the first inaccessible byte of that field, else the last byte. */
function checkRange(cpu: Cpu, addr: number, len: number, first: number, access: 'read' | 'write'): void {
  const mem = cpu.mem;
  if (mem.isAccessible(addr, len, access)) return;
  let bad = addr;
  while (bad < addr + first && mem.isAccessible(bad, 1, access)) bad++;
  if (bad === addr + first) bad = addr + len - 1;
  if (access === 'read') mem.read8(bad);
  else mem.write8(bad, 0);
}

// ---------------------------------------------------------------- tag word

/** The full tag word: per physical register 00 valid, 01 zero, 10 special, 11 empty. */
export function tagWord(cpu: Cpu): number {
  let tags = 0;
  for (let r = 0; r < 8; r++) {
    let t: number;
    if (!((cpu.fpValid >> r) & 1)) t = 3;
    else {
      const kind = kindOf(cpu.fpExp[r], cpu.fpSig[2 * r + 1] >>> 0, cpu.fpSig[2 * r] >>> 0);
      t = kind === Kind.Normal ? 0 : kind === Kind.Zero ? 1 : 2;
    }
    tags |= t << (2 * r);
  }
  return tags;
}

function setTags(cpu: Cpu, tags: number): void {
  let valid = 0;
  for (let r = 0; r < 8; r++) if (((tags >> (2 * r)) & 3) !== 3) valid |= 1 << r;
  cpu.fpValid = valid;
}

// ---------------------------------------------------------------- environment

/** Bytes of the environment image: 28 (32-bit layout) or 14 (66 prefix). */
function envSize(i: Insn): number {
  return i.size === 2 ? 14 : 28;
}

function firstField(i: Insn): number {
  return i.size === 2 ? 2 : 4;
}

function storeEnv(cpu: Cpu, addr: number, small: boolean): void {
  const mem = cpu.mem;
  const ip = cpu.fpuIp % 4294967296;
  const dp = cpu.fpuDp % 4294967296;
  if (small) {
    mem.write16(addr, cpu.fpuControl);
    mem.write16(addr + 2, statusWord(cpu));
    mem.write16(addr + 4, tagWord(cpu));
    mem.write16(addr + 6, ip & 0xffff);
    mem.write16(addr + 8, 0);
    mem.write16(addr + 10, dp & 0xffff);
    mem.write16(addr + 12, 0);
    return;
  }
  mem.write32(addr, cpu.fpuControl | 0xffff0000);
  mem.write32(addr + 4, statusWord(cpu) | 0xffff0000);
  mem.write32(addr + 8, tagWord(cpu) | 0xffff0000);
  mem.write32(addr + 12, ip | 0);
  mem.write32(addr + 16, (cpu.fpuOpcode & 0x7ff) << 16);
  mem.write32(addr + 20, dp | 0);
  mem.write32(addr + 24, 0xffff0000 | 0);
}

function loadEnv(cpu: Cpu, addr: number, small: boolean): void {
  const mem = cpu.mem;
  if (small) {
    const cw = mem.read16(addr);
    const sw = mem.read16(addr + 2);
    const tw = mem.read16(addr + 4);
    const ip = mem.read16(addr + 6);
    const dp = mem.read16(addr + 10);
    setControlWord(cpu, cw);
    setStatusWord(cpu, sw);
    setTags(cpu, tw);
    cpu.fpuIp = ip;
    cpu.fpuDp = dp;
    cpu.fpuOpcode = 0;
    return;
  }
  const cw = mem.read16(addr);
  const sw = mem.read16(addr + 4);
  const tw = mem.read16(addr + 8);
  const ip = mem.read32(addr + 12) >>> 0;
  const op = (mem.read32(addr + 16) >>> 16) & 0x7ff;
  const dp = mem.read32(addr + 20) >>> 0;
  setControlWord(cpu, cw);
  setStatusWord(cpu, sw);
  setTags(cpu, tw);
  cpu.fpuIp = ip;
  cpu.fpuOpcode = op;
  cpu.fpuDp = dp;
}

/** FNSTENV m14/28: stores the environment, then masks all exceptions. */
export function fnstenv(cpu: Cpu, i: Insn): void {
  const addr = ea(cpu, i);
  checkRange(cpu, addr, envSize(i), firstField(i), 'write');
  storeEnv(cpu, addr, i.size === 2);
  cpu.fpuControl |= 0x3f;
  summarize(cpu);
}

/** FLDENV m14/28 */
export function fldenv(cpu: Cpu, i: Insn): void {
  waitCheck(cpu, i);
  const addr = ea(cpu, i);
  checkRange(cpu, addr, envSize(i), firstField(i), 'read');
  loadEnv(cpu, addr, i.size === 2);
}

/** FNSAVE m94/108: the environment and ST(0)-ST(7), then FNINIT. */
export function fnsave(cpu: Cpu, i: Insn): void {
  const addr = ea(cpu, i);
  const size = envSize(i);
  checkRange(cpu, addr, size + 80, firstField(i), 'write');
  storeEnv(cpu, addr, i.size === 2);
  for (let k = 0; k < 8; k++) storeRegister(cpu, addr + size + 10 * k, (cpu.fpTop + k) & 7);
  initialize(cpu);
}

/** FRSTOR m94/108 */
export function frstor(cpu: Cpu, i: Insn): void {
  waitCheck(cpu, i);
  const addr = ea(cpu, i);
  const size = envSize(i);
  checkRange(cpu, addr, size + 80, firstField(i), 'read');
  loadEnv(cpu, addr, i.size === 2);
  for (let k = 0; k < 8; k++) loadRegister(cpu, addr + size + 10 * k, (cpu.fpTop + k) & 7);
}

function storeRegister(cpu: Cpu, addr: number, r: number): void {
  cpu.mem.write64(addr, cpu.fpSig[2 * r], cpu.fpSig[2 * r + 1]);
  cpu.mem.write16(addr + 8, cpu.fpExp[r]);
}

function loadRegister(cpu: Cpu, addr: number, r: number): void {
  cpu.fpSig[2 * r] = cpu.mem.read64(addr);
  cpu.fpSig[2 * r + 1] = cpu.mem.hi;
  cpu.fpExp[r] = cpu.mem.read16(addr + 8);
}

// ---------------------------------------------------------------- FXSAVE / FXRSTOR

/** Writes the x87 part of an FXSAVE image (bytes 0-23 and the registers at 32-159). The caller
 *  has checked that the 512 bytes are writable. `wide`: FXSAVE64 (64-bit FIP/FDP). */
export function fxsaveX87(cpu: Cpu, addr: number, wide: boolean): void {
  const mem = cpu.mem;
  mem.write16(addr, cpu.fpuControl);
  mem.write16(addr + 2, statusWord(cpu));
  mem.write16(addr + 4, cpu.fpValid);
  mem.write16(addr + 6, cpu.fpuOpcode & 0x7ff);
  writePointer(cpu, addr + 8, cpu.fpuIp, wide);
  writePointer(cpu, addr + 16, cpu.fpuDp, wide);
  for (let k = 0; k < 8; k++) {
    const at = addr + 32 + 16 * k;
    storeRegister(cpu, at, (cpu.fpTop + k) & 7);
    mem.write16(at + 10, 0);
    mem.write32(at + 12, 0);
  }
}

function writePointer(cpu: Cpu, at: number, value: number, wide: boolean): void {
  const hi = Math.floor(value / 4294967296);
  cpu.mem.write64(at, value | 0, wide ? hi : 0);
}

/** Loads the x87 part of an FXRSTOR image (the caller has checked it is readable). */
export function fxrstorX87(cpu: Cpu, addr: number, wide: boolean): void {
  const mem = cpu.mem;
  const cw = mem.read16(addr);
  const sw = mem.read16(addr + 2);
  cpu.fpValid = mem.read8(addr + 4);
  cpu.fpuOpcode = mem.read16(addr + 6) & 0x7ff;
  const ipLo = mem.read64(addr + 8) >>> 0;
  const ipHi = mem.hi >>> 0;
  const dpLo = mem.read64(addr + 16) >>> 0;
  const dpHi = mem.hi >>> 0;
  cpu.fpuIp = wide ? ipHi * 4294967296 + ipLo : ipLo;
  cpu.fpuDp = wide ? dpHi * 4294967296 + dpLo : dpLo;
  cpu.fpuControl = (cw & 0x1f3f) | 0x40;
  setStatusWord(cpu, sw);
  for (let k = 0; k < 8; k++) loadRegister(cpu, addr + 32 + 16 * k, (cpu.fpTop + k) & 7);
}
