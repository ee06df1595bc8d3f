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

/** MOV r/m, reg (88, 89) */
export function movRmReg(cpu: Cpu, i: Insn): void {
  if (i.size === 8) writeRm64(cpu, i, cpu.regs[2 * i.reg], cpu.regs[2 * i.reg + 1]);
  else writeRm(cpu, i, i.size, getReg(cpu, i.size, i.reg));
}

/** MOV reg, r/m (8A, 8B) */
export function movRegRm(cpu: Cpu, i: Insn): void {
  if (i.size === 8) {
    if (i.rm >= 0) {
      cpu.regs[2 * i.reg] = cpu.regs[2 * i.rm];
      cpu.regs[2 * i.reg + 1] = cpu.regs[2 * i.rm + 1];
    } else {
      cpu.regs[2 * i.reg] = cpu.mem.read64(ea(cpu, i));
      cpu.regs[2 * i.reg + 1] = cpu.mem.hi;
    }
  } else setReg(cpu, i.size, i.reg, readRm(cpu, i, i.size));
}

/** MOV r/m, imm (C6, C7; B0-BF with rm set to the register). */
export function movRmImm(cpu: Cpu, i: Insn): void {
  if (i.size === 8) writeRm64(cpu, i, i.imm, i.immHi);
  else writeRm(cpu, i, i.size, i.imm);
}

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

/** MOVZX reg, r/m8|16 (0F B6, B7): i.op is the source size. */
export function movZeroExtend(cpu: Cpu, i: Insn): void {
  const value = readRm(cpu, i, i.op);
  setRegAny(cpu, i.size, i.reg, value, 0);
}

/** MOVSX reg, r/m8|16 (0F BE, BF) and MOVSXD reg, r/m32 (63): i.op is the source size. */
export function movSignExtend(cpu: Cpu, i: Insn): void {
  const value = signExtend(i.op, readRm(cpu, i, i.op));
  setRegAny(cpu, i.size, i.reg, value, value >> 31);
}

/** LEA reg, m */
export function lea(cpu: Cpu, i: Insn): void {
  // LEA is also plain arithmetic on full 64-bit values (x*3 as lea (x,x,2)), so it is computed
  // in 32-bit halves, exactly, rather than as a double like a memory address.
  const regs = cpu.regs;
  let hi = Math.floor(i.disp / TWO_32);
  let lo = i.disp - hi * TWO_32; // 0 <= lo < 2^32
  if (i.memBase >= 0) {
    lo += regs[2 * i.memBase] >>> 0;
    hi += regs[2 * i.memBase + 1];
  }
  if (i.memIndex >= 0) {
    const shift = 31 - Math.clz32(i.memScale);
    const indexLo = regs[2 * i.memIndex] >>> 0;
    lo += (indexLo << shift) >>> 0;
    hi += (regs[2 * i.memIndex + 1] << shift) | (shift ? indexLo >>> (32 - shift) : 0);
  }
  // lo holds up to three 32-bit terms: carry what overflowed into the high half.
  const carry = Math.floor(lo / TWO_32);
  lo -= carry * TWO_32;
  hi = (hi + carry) | 0;
  if (i.size === 8 && !i.addr32) {
    regs[2 * i.reg] = lo;
    regs[2 * i.reg + 1] = hi;
  } else setReg(cpu, i.size === 8 ? 4 : i.size, i.reg, lo | 0);
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

/** CMOVcc reg, r/m (0F 40-4F): i.op is the condition. A 32-bit CMOV zero-extends even when the
 *  condition is false; the memory operand is read either way. */
export function cmov(cpu: Cpu, i: Insn): void {
  const lo = readRmAny(cpu, i, i.size);
  const hi = cpu.hi;
  if (condition(cpu, i.op)) setRegAny(cpu, i.size, i.reg, lo, hi);
  else if (i.size === 4) cpu.regs[2 * i.reg + 1] = 0;
}

/** SETcc r/m8 (0F 90-9F) */
export function setcc(cpu: Cpu, i: Insn): void {
  writeRm(cpu, i, 1, condition(cpu, i.op) ? 1 : 0);
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

/** PUSH r/m|reg (FF /6, 50+r with rm set): 64-bit, or 16-bit with 0x66. */
export function pushRm(cpu: Cpu, i: Insn): void {
  if (i.size === 2) {
    const value = readRm(cpu, i, 2);
    const rsp = cpu.getU(4) - 2;
    cpu.mem.write16(rsp, value);
    cpu.setNumber(4, rsp);
    return;
  }
  const lo = readRm64(cpu, i);
  push64(cpu, lo, cpu.hi);
}

/** PUSH imm (68, 6A): sign-extended to 64 bits. */
export function pushImm(cpu: Cpu, i: Insn): void {
  if (i.size === 2) {
    const rsp = cpu.getU(4) - 2;
    cpu.mem.write16(rsp, i.imm);
    cpu.setNumber(4, rsp);
    return;
  }
  push64(cpu, i.imm, i.immHi);
}

/** POP r/m|reg (8F /0, 58+r with rm set). RSP is incremented before a memory destination's
 *  address is computed, as the SDM specifies. */
export function popRm(cpu: Cpu, i: Insn): void {
  const r = cpu.regs;
  const rspLo = r[8];
  const rspHi = r[9];
  const rsp = cpu.getU(4);
  const size = i.size === 2 ? 2 : 8;
  const lo = size === 2 ? cpu.mem.read16(rsp) : cpu.mem.read64(rsp);
  const hi = size === 2 ? 0 : cpu.mem.hi;
  cpu.setNumber(4, rsp + size);
  if (i.rm >= 0) {
    // POP RSP: the popped value wins over the increment.
    writeRmAny(cpu, i, size, lo, hi);
    return;
  }
  // The address uses the incremented RSP, but RSP changes only once the store has succeeded.
  const addr = ea(cpu, i);
  r[8] = rspLo;
  r[9] = rspHi;
  if (size === 2) cpu.mem.write16(addr, lo);
  else cpu.mem.write64(addr, lo, hi);
  cpu.setNumber(4, rsp + size);
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
