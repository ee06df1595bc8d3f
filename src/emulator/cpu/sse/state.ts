// SSE state management and the memory-ordering / cache instructions: LDMXCSR, STMXCSR, FXSAVE,
// FXRSTOR (group 15, 0F AE; their x87 part is in cpu/x87/control.ts), the fences, CLFLUSH and
// EMMS. Fences and cache hints have nothing to order or flush in a single-threaded interpreter.
import { generalProtection } from '../faults.js';
import type { Insn } from '../insn.js';
import { ea } from '../operands.js';
import type { Cpu } from '../state.js';
import { fxrstorX87, fxsaveX87 } from '../x87/control.js';
import { load32, store32 } from './xmm.js';

/** MXCSR bits this CPU implements (FXSAVE's MXCSR_MASK): flags, DAZ, masks, RC, FTZ. Setting any
 *  other bit raises #GP. */
export const MXCSR_MASK = 0xffff;

const IMAGE = new Int32Array(64);

/** Faults unless all 512 bytes of the image are accessible; the reported address is the last byte
 *  when that one is inaccessible, else the first inaccessible byte (what the host CPU reports). */
function checkImage(cpu: Cpu, addr: number, access: 'read' | 'write'): void {
  const mem = cpu.mem;
  if (mem.isAccessible(addr, 512, access)) return;
  let bad = addr + 511;
  if (mem.isAccessible(bad, 1, access)) {
    bad = addr;
    while (mem.isAccessible(bad, 1, access)) bad++;
  }
  if (access === 'read') mem.read8(bad);
  else mem.write8(bad, 0);
}

/** LDMXCSR m32 (0F AE /2) */
export function ldmxcsr(cpu: Cpu, i: Insn): void {
  const value = load32(cpu, ea(cpu, i));
  if (value & ~MXCSR_MASK) throw generalProtection();
  cpu.mxcsr = value;
}

/** STMXCSR m32 (0F AE /3) */
export function stmxcsr(cpu: Cpu, i: Insn): void {
  store32(cpu, ea(cpu, i), cpu.mxcsr);
}

/** FXSAVE / FXSAVE64 m512 (0F AE /0, REX.W): the legacy x87 + SSE image (the x87 part, with
 *  32-bit or 64-bit instruction/data pointers, from cpu/x87). Bytes 416-511 are left as they
 *  were, as the hardware does. All 512 bytes must be writable. */
export function fxsave(cpu: Cpu, i: Insn): void {
  const addr = ea(cpu, i);
  if (addr & 15) throw generalProtection();
  const mem = cpu.mem;
  checkImage(cpu, addr, 'write');
  fxsaveX87(cpu, addr, i.size === 8);
  mem.write32(addr + 24, cpu.mxcsr);
  mem.write32(addr + 28, MXCSR_MASK);
  const x = cpu.xmm;
  for (let k = 0; k < 64; k += 2) mem.write64(addr + 160 + 4 * k, x[k], x[k + 1]);
}

/** FXRSTOR / FXRSTOR64 m512 (0F AE /1): MXCSR (reserved bits set: #GP), XMM0-15 and the x87
 *  state. Nothing changes if the image faults. */
export function fxrstor(cpu: Cpu, i: Insn): void {
  const addr = ea(cpu, i);
  if (addr & 15) throw generalProtection();
  const mem = cpu.mem;
  checkImage(cpu, addr, 'read');
  const mxcsr = mem.read32(addr + 24);
  if (mxcsr & ~MXCSR_MASK) throw generalProtection();
  for (let k = 0; k < 64; k++) IMAGE[k] = mem.read32(addr + 160 + 4 * k);
  cpu.xmm.set(IMAGE);
  cpu.mxcsr = mxcsr;
  fxrstorX87(cpu, addr, i.size === 8);
}

/** LFENCE, MFENCE, SFENCE (0F AE E8/F0/F8) and PAUSE-like hints. */
export function fence(): void {}

/** CLFLUSH m8 (0F AE /7): faults like a byte load, otherwise nothing to do. */
export function clflush(cpu: Cpu, i: Insn): void {
  cpu.mem.read8(ea(cpu, i));
}

/** EMMS (0F 77): marks the x87 registers empty (cpu/x87/mmx.ts). */
export { emms } from '../x87/mmx.js';
