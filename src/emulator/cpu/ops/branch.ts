// Control transfer. Every one of these ends a basic block; the run loop has already set cpu.rip to
// the next instruction, so a branch that is not taken does nothing.
import { condition } from '../flags.js';
import type { Insn } from '../insn.js';
import { popAddress, pushAddress, readRm64 } from '../operands.js';
import type { Cpu } from '../state.js';

const TWO_32 = 4294967296;

/** JMP rel (E9, EB): i.target is the absolute destination. */
export function jump(cpu: Cpu, i: Insn): void {
  cpu.rip = i.target;
}

/** Jcc rel (70-7F, 0F 80-8F): i.op is the condition code. */
export function jumpIf(cpu: Cpu, i: Insn): void {
  if (condition(cpu, i.op)) cpu.rip = i.target;
}

/** JMP r/m64 (FF /4) */
export function jumpIndirect(cpu: Cpu, i: Insn): void {
  const lo = readRm64(cpu, i);
  cpu.rip = cpu.hi * TWO_32 + (lo >>> 0);
}

/** CALL rel32 (E8) */
export function call(cpu: Cpu, i: Insn): void {
  pushAddress(cpu, i.next);
  cpu.rip = i.target;
}

/** CALL r/m64 (FF /2): the target is read before the return address is pushed. */
export function callIndirect(cpu: Cpu, i: Insn): void {
  const lo = readRm64(cpu, i);
  const target = cpu.hi * TWO_32 + (lo >>> 0);
  pushAddress(cpu, i.next);
  cpu.rip = target;
}

/** RET (C3) and RET imm16 (C2): i.imm is the number of extra bytes to release. */
export function ret(cpu: Cpu, i: Insn): void {
  cpu.rip = popAddress(cpu);
  if (i.imm) cpu.setNumber(4, cpu.getU(4) + (i.imm & 0xffff));
}

/** LOOP/LOOPE/LOOPNE (E2, E1, E0): i.op 0 plain, 1 while ZF, 2 while !ZF. RCX is decremented
 *  (ECX with 0x67). */
export function loop(cpu: Cpu, i: Insn): void {
  let remaining: boolean;
  if (i.addr32) {
    cpu.regs[2] = (cpu.regs[2] - 1) | 0;
    cpu.regs[3] = 0;
    remaining = cpu.regs[2] !== 0;
  } else {
    const lo = (cpu.regs[2] - 1) | 0;
    if (lo === -1) cpu.regs[3] = (cpu.regs[3] - 1) | 0;
    cpu.regs[2] = lo;
    remaining = (lo | cpu.regs[3]) !== 0;
  }
  if (!remaining) return;
  if (i.op === 1 && !condition(cpu, 4)) return;
  if (i.op === 2 && !condition(cpu, 5)) return;
  cpu.rip = i.target;
}

/** JRCXZ/JECXZ (E3) */
export function jumpIfRcxZero(cpu: Cpu, i: Insn): void {
  const zero = i.addr32 ? cpu.regs[2] === 0 : (cpu.regs[2] | cpu.regs[3]) === 0;
  if (zero) cpu.rip = i.target;
}
