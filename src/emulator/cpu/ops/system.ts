// Instructions that talk to the kernel or the CPU model: SYSCALL, CPUID, RDTSC(P), the flag
// instructions (CLC STC CMC CLD STD), NOPs and fences, INT 0x80, and the ones that trap (UD2, INT3, INT n,
// HLT and other privileged instructions).
import { cpuid } from '../cpuid.js';
import { CpuException, generalProtection, invalidOpcode, SI_KERNEL, SIGTRAP } from '../faults.js';
import { getCF, getRflags, updateFlags } from '../flags.js';
import type { Insn } from '../insn.js';
import { setReg } from '../operands.js';
import { CF, Cpu, DF } from '../state.js';

/** SYSCALL (0F 05): RCX = return address, R11 = RFLAGS, then the kernel. The run loop has set
 *  cpu.rip to the next instruction already. */
export function syscall(cpu: Cpu, i: Insn): void {
  cpu.setNumber(1, i.next);
  setReg(cpu, 4, 11, getRflags(cpu));
  cpu.onSyscall(cpu, i);
}

/** INT 0x80 (CD 80): the i386 syscall gate, which Linux keeps open to 64-bit code. Unlike
 *  SYSCALL it clobbers nothing but RAX. The run loop has set cpu.rip to the next instruction. */
export function int80(cpu: Cpu, i: Insn): void {
  cpu.onInt80(cpu, i);
}

export function cpuidInsn(cpu: Cpu): void {
  const [a, b, c, d] = cpuid(cpu.regs[0], cpu.regs[2]);
  setReg(cpu, 4, 0, a);
  setReg(cpu, 4, 3, b);
  setReg(cpu, 4, 1, c);
  setReg(cpu, 4, 2, d);
}

/** RDTSC (0F 31): the time stamp counter is the instruction count, so it is deterministic. */
export function rdtsc(cpu: Cpu): void {
  cpu.setNumber(0, cpu.icount % 4294967296);
  cpu.setNumber(2, Math.floor(cpu.icount / 4294967296));
}

/** RDTSCP (0F 01 F9): RDTSC plus IA32_TSC_AUX (cpu 0) in ECX. */
export function rdtscp(cpu: Cpu): void {
  rdtsc(cpu);
  setReg(cpu, 4, 1, 0);
}

export function nop(): void {}

export function clc(cpu: Cpu): void {
  updateFlags(cpu, CF, 0);
}

export function stc(cpu: Cpu): void {
  updateFlags(cpu, CF, CF);
}

export function cmc(cpu: Cpu): void {
  updateFlags(cpu, CF, getCF(cpu) ? 0 : CF);
}

export function cld(cpu: Cpu): void {
  cpu.controlFlags &= ~DF;
}

export function std(cpu: Cpu): void {
  cpu.controlFlags |= DF;
}

/** Every encoding the binder has no semantics for: SIGILL, and a diagnostic naming it. */
export function undefinedInstruction(cpu: Cpu, i: Insn): void {
  throw invalidOpcode(i.rip, `unsupported instruction ${describeBytes(cpu, i)}`);
}

/** UD2 (0F 0B): undefined on purpose, so SIGILL without a diagnostic. */
export function ud2(_cpu: Cpu, i: Insn): void {
  throw invalidOpcode(i.rip, '');
}

/** INT3 (CC): SIGTRAP with RIP after the breakpoint, as Linux reports it. */
export function int3(cpu: Cpu, i: Insn): void {
  cpu.rip = i.next;
  throw new CpuException(SIGTRAP, SI_KERNEL, 0, '', true);
}

/** HLT, CLI, STI, IN, OUT, INT n and other privileged instructions: #GP, i.e. SIGSEGV. */
export function privileged(): void {
  throw generalProtection();
}

/** The instruction's bytes in hex, for diagnostics. */
export function describeBytes(cpu: Cpu, i: Insn): string {
  const bytes = new Uint8Array(15);
  let n = 0;
  try {
    n = cpu.mem.fetchCode(i.rip, bytes, i.length);
  } catch {
    n = 0;
  }
  return Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

