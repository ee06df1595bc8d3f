// Data movement: MOV in all its forms, MOVZX/MOVSX/MOVSXD, LEA, XCHG, CMOVcc, SETcc, the sign
// extensions of the accumulator (CBW..CQO), the stack (PUSH POP ENTER LEAVE PUSHF POPF), LAHF/SAHF
// and the atomic read-modify-writes (XADD, CMPXCHG, CMPXCHG8B/16B: atomic by construction, since
// guest threads never run in parallel).
import { alu32, alu64, AluOp } from './alu.js';
import { generalProtection } from '../faults.js';
import { condition, getArithFlags, getRflags, setArithFlags, updateFlags } from '../flags.js';
import type { Insn } from '../insn.js';
import {
  ea,
  getReg,
  getRegAny,
  load,
  pop64,
  push64,
  readRm,
  readRm64,
  readRmAny,
  setReg,
  setRegAny,
  signExtend,
  store,
  writeRm,
  writeRm64,
  writeRmAny,
} from '../operands.js';
import { AC, ARITH_FLAGS, Cpu, DF, ID, ZF } from '../state.js';

const TWO_32 = 4294967296;

/** MOV with a 64-bit absolute address (A0-A3): i.op 0 loads the accumulator, 1 stores it. The
 *  address was put in i.target by the binder. */
export function movMoffs(cpu: Cpu, i: Insn): void {
  let addr = i.target;
  if (i.segment) addr += i.segment === 4 ? cpu.fsBase : cpu.gsBase;
  if (i.op === 0) {
    if (i.size === 8) {
      cpu.regs[0] = cpu.mem.read64(addr);
      cpu.regs[1] = cpu.mem.hi;
    } else setReg(cpu, i.size, 0, i.size === 4 ? cpu.mem.read32(addr) : i.size === 2 ? cpu.mem.read16(addr) : cpu.mem.read8(addr));
  } else if (i.size === 8) cpu.mem.write64(addr, cpu.regs[0], cpu.regs[1]);
  else if (i.size === 4) cpu.mem.write32(addr, cpu.regs[0]);
  else if (i.size === 2) cpu.mem.write16(addr, cpu.regs16[0]);
  else cpu.mem.write8(addr, cpu.regs8[0]);
}

/** XCHG r/m, reg (86, 87; 90+r with rm set to the register) */
export function xchg(cpu: Cpu, i: Insn): void {
  const size = i.size;
  const regLo = getRegAny(cpu, size, i.reg);
  const regHi = cpu.hi;
  if (i.rm >= 0) {
    const rmLo = getRegAny(cpu, size, i.rm);
    const rmHi = cpu.hi;
    setRegAny(cpu, size, i.rm, regLo, regHi);
    setRegAny(cpu, size, i.reg, rmLo, rmHi);
    return;
  }
  const addr = ea(cpu, i);
  const memLo = size === 8 ? cpu.mem.read64(addr) : readRm(cpu, i, size);
  const memHi = size === 8 ? cpu.mem.hi : 0;
  writeRmAny(cpu, i, size, regLo, regHi);
  setRegAny(cpu, size, i.reg, memLo, memHi);
}

/** CBW/CWDE/CDQE (98): sign-extend the lower half of the accumulator into all of it. */
export function signExtendAccumulator(cpu: Cpu, i: Insn): void {
  if (i.size === 8) {
    cpu.regs[1] = cpu.regs[0] >> 31;
  } else if (i.size === 4) setReg(cpu, 4, 0, (cpu.regs16[0] << 16) >> 16);
  else cpu.regs16[0] = (cpu.regs8[0] << 24) >> 24;
}

/** CWD/CDQ/CQO (99): fill rDX with the accumulator's sign. */
export function signFillDx(cpu: Cpu, i: Insn): void {
  if (i.size === 8) {
    const sign = cpu.regs[1] >> 31;
    cpu.regs[4] = sign;
    cpu.regs[5] = sign;
  } else if (i.size === 4) setReg(cpu, 4, 2, cpu.regs[0] >> 31);
  else cpu.regs16[8] = (cpu.regs16[0] << 16) >> 31;
}

// ---------------------------------------------------------------- stack

/** PUSH r/m16 (FF /6, 50+r with 0x66; 64-bit pushes are templates). */
export function push16(cpu: Cpu, i: Insn): void {
  const value = readRm(cpu, i, 2);
  const rsp = cpu.getU(4) - 2;
  cpu.mem.write16(rsp, value);
  cpu.setNumber(4, rsp);
}

/** PUSH imm16 (68, 6A with 0x66). */
export function pushImm16(cpu: Cpu, i: Insn): void {
  const rsp = cpu.getU(4) - 2;
  cpu.mem.write16(rsp, i.imm);
  cpu.setNumber(4, rsp);
}

/** POP r/m16 (8F /0, 58+r with 0x66). RSP is incremented before a memory destination's address
 *  is computed, as the SDM specifies, but changes only once the store has succeeded. */
export function pop16(cpu: Cpu, i: Insn): void {
  const r = cpu.regs;
  const rspLo = r[8];
  const rspHi = r[9];
  const rsp = cpu.getU(4);
  const value = cpu.mem.read16(rsp);
  cpu.setNumber(4, rsp + 2);
  if (i.rm >= 0) {
    cpu.regs16[4 * i.rm] = value;
    return;
  }
  const addr = ea(cpu, i);
  r[8] = rspLo;
  r[9] = rspHi;
  cpu.mem.write16(addr, value);
  cpu.setNumber(4, rsp + 2);
}

/** LEAVE (C9): RSP = RBP, then POP RBP. */
export function leave(cpu: Cpu, i: Insn): void {
  const rbp = cpu.getU(5);
  const lo = cpu.mem.read64(rbp);
  const hi = cpu.mem.hi;
  cpu.setNumber(4, rbp + 8);
  if (i.size === 2) cpu.regs16[4 * 5] = lo;
  else {
    cpu.regs[10] = lo;
    cpu.regs[11] = hi;
  }
}

/** ENTER imm16, imm8 (C8): the nesting level is taken modulo 32. The pushes go to memory in
 *  order (a frame-pointer copy may read a slot just pushed) before RSP and RBP change; then the
 *  hardware probes the final RSP for a write. A fault leaves the registers as they were. */
export function enter(cpu: Cpu, i: Insn): void {
  const frameSize = i.imm & 0xffff;
  const level = i.imm2 & 31;
  const mem = cpu.mem;
  const rsp = cpu.getU(4);
  const rbp = cpu.getU(5);
  const frame = rsp - 8;
  mem.write64(frame, cpu.regs[10], cpu.regs[11]);
  for (let n = 1; n < level; n++) {
    const lo = mem.read64(rbp - 8 * n);
    mem.write64(frame - 8 * n, lo, mem.hi);
  }
  if (level > 0) mem.write64(frame - 8 * level, frame % TWO_32, Math.floor(frame / TWO_32));
  const finalRsp = frame - 8 * level - frameSize;
  if (!mem.isAccessible(finalRsp, 8, 'write')) mem.write64(finalRsp, 0, 0);
  cpu.setNumber(5, frame);
  cpu.setNumber(4, finalRsp);
}

/** The RFLAGS bits POPF may change in user mode. */
const POPF_MASK = ARITH_FLAGS | DF | AC | ID | 0x100;

/** PUSHF (9C) */
export function pushf(cpu: Cpu): void {
  push64(cpu, getRflags(cpu), 0);
}

/** POPF (9D) */
export function popf(cpu: Cpu): void {
  const value = pop64(cpu);
  setArithFlags(cpu, value);
  cpu.controlFlags = (cpu.controlFlags & ~POPF_MASK) | (value & POPF_MASK & ~ARITH_FLAGS) | 0x202;
}

/** LAHF (9F): AH = SF:ZF:0:AF:0:PF:1:CF */
export function lahf(cpu: Cpu): void {
  cpu.regs8[1] = (getArithFlags(cpu) & 0xd5) | 2;
}

/** SAHF (9E) */
export function sahf(cpu: Cpu): void {
  updateFlags(cpu, 0xd5, cpu.regs8[1]);
}

// ---------------------------------------------------------------- atomics

/** XADD r/m, reg (0F C0, C1): temp = dst + src; src = dst; dst = temp. */
export function xadd(cpu: Cpu, i: Insn): void {
  const size = i.size;
  if (size === 8) {
    const addr = i.rm >= 0 ? 0 : ea(cpu, i);
    const dLo = i.rm >= 0 ? cpu.regs[2 * i.rm] : cpu.mem.read64(addr);
    const dHi = i.rm >= 0 ? cpu.regs[2 * i.rm + 1] : cpu.mem.hi;
    const lo = alu64(cpu, AluOp.Add, dLo, dHi, cpu.regs[2 * i.reg], cpu.regs[2 * i.reg + 1]);
    const hi = cpu.hi;
    // Memory first: a faulting store leaves the register alone.
    if (i.rm < 0) cpu.mem.write64(addr, lo, hi);
    cpu.regs[2 * i.reg] = dLo;
    cpu.regs[2 * i.reg + 1] = dHi;
    if (i.rm >= 0) {
      cpu.regs[2 * i.rm] = lo;
      cpu.regs[2 * i.rm + 1] = hi;
    }
    return;
  }
  // The address is computed once: the register operand may be part of it (xadd [rax], eax).
  const addr = i.rm >= 0 ? 0 : ea(cpu, i);
  const dst = i.rm >= 0 ? getReg(cpu, size, i.rm) : load(cpu, size, addr);
  const sum = alu32(cpu, AluOp.Add, size, dst, getReg(cpu, size, i.reg));
  if (i.rm < 0) store(cpu, size, addr, sum);
  setReg(cpu, size, i.reg, dst);
  if (i.rm >= 0) setReg(cpu, size, i.rm, sum);
}

/** CMPXCHG r/m, reg (0F B0, B1): compare the accumulator with dst; equal: dst = src, else
 *  accumulator = dst. The destination is written in both cases (hardware writes it back). */
export function cmpxchg(cpu: Cpu, i: Insn): void {
  const size = i.size;
  if (size === 8) {
    const dLo = readRm64(cpu, i);
    const dHi = cpu.hi;
    alu64(cpu, AluOp.Cmp, cpu.regs[0], cpu.regs[1], dLo, dHi);
    if (dLo === cpu.regs[0] && dHi === cpu.regs[1]) writeRm64(cpu, i, cpu.regs[2 * i.reg], cpu.regs[2 * i.reg + 1]);
    else {
      if (i.rm < 0) writeRm64(cpu, i, dLo, dHi);
      cpu.regs[0] = dLo;
      cpu.regs[1] = dHi;
    }
    return;
  }
  const dst = readRm(cpu, i, size);
  const acc = getReg(cpu, size, 0);
  alu32(cpu, AluOp.Cmp, size, acc, dst);
  if (getArithFlags(cpu) & ZF) writeRm(cpu, i, size, getReg(cpu, size, i.reg));
  else {
    if (i.rm < 0) writeRm(cpu, i, size, dst);
    setReg(cpu, size, 0, dst);
  }
}

/** CMPXCHG8B / CMPXCHG16B m (0F C7 /1): compare rDX:rAX with the memory operand; equal: store
 *  rCX:rBX and set ZF, else load it into rDX:rAX and clear ZF. */
export function cmpxchgDouble(cpu: Cpu, i: Insn): void {
  const addr = ea(cpu, i);
  const r = cpu.regs;
  if (i.size === 8) {
    // CMPXCHG16B: 16 bytes, must be 16-byte aligned (#GP otherwise).
    if (addr % 16 !== 0) throw generalProtection();
    const m0 = cpu.mem.read64(addr);
    const m1 = cpu.mem.hi;
    const m2 = cpu.mem.read64(addr + 8);
    const m3 = cpu.mem.hi;
    if (m0 === r[0] && m1 === r[1] && m2 === r[4] && m3 === r[5]) {
      cpu.mem.write64(addr, r[6], r[7]);
      cpu.mem.write64(addr + 8, r[2], r[3]);
      updateFlags(cpu, ZF, ZF);
    } else {
      cpu.mem.write64(addr, m0, m1);
      cpu.mem.write64(addr + 8, m2, m3);
      r[0] = m0;
      r[1] = m1;
      r[4] = m2;
      r[5] = m3;
      updateFlags(cpu, ZF, 0);
    }
    return;
  }
  const lo = cpu.mem.read64(addr);
  const hi = cpu.mem.hi;
  if (lo === r[0] && hi === r[4]) {
    cpu.mem.write64(addr, r[6], r[2]);
    updateFlags(cpu, ZF, ZF);
  } else {
    cpu.mem.write64(addr, lo, hi);
    setReg(cpu, 4, 0, lo);
    setReg(cpu, 4, 2, hi);
    updateFlags(cpu, ZF, 0);
  }
}
