// The loop instructions (LOOP, LOOPE, LOOPNE, JRCXZ). They end a basic block; the run loop has
// already set cpu.rip to the next instruction, so a branch that is not taken does nothing. The
// other branches are templates (jit/templates.ts).
import { condition } from '../flags.js';
import type { Insn } from '../insn.js';
import { popAddress, pushAddress, readRm64 } from '../operands.js';
import type { Cpu } from '../state.js';

const TWO_32 = 4294967296;

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
