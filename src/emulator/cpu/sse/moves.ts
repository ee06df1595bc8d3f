// SSE/SSE2 data movement: full-register moves (MOVAPS/UPS/APD/UPD/DQA/DQU and the non-temporal
// stores), scalar and half-register moves (MOVSS/SD, MOVLPS/HPS/LPD/HPD, MOVHLPS/LHPS, MOVQ),
// moves between XMM and general registers (MOVD/MOVQ), the sign-mask extractions (MOVMSKPS/PD,
// PMOVMSKB) and MASKMOVDQU.
// Fields: i.reg / i.rm are XMM numbers (for MOVD/MOVQ/MOVMSK the GPR side is a GPR number);
// i.target is the alignment mask of a 128-bit memory operand; i.size is the GPR width (4 or 8).
import type { Insn } from '../insn.js';
import { ea } from '../operands.js';
import type { Cpu } from '../state.js';
import { load128, load32, load64, loadRm64, memAddress, store128, store32, store64, storeRm64 } from './xmm.js';

// ---------------------------------------------------------------- 128-bit

/** MOVAPS/MOVUPS/MOVAPD/MOVUPD/MOVDQA/MOVDQU xmm, xmm/m128 */
export function movXmmRm(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const d = 4 * i.reg;
  if (i.rm >= 0) {
    const s = 4 * i.rm;
    x[d] = x[s];
    x[d + 1] = x[s + 1];
    x[d + 2] = x[s + 2];
    x[d + 3] = x[s + 3];
  } else load128(cpu, memAddress(cpu, i), d);
}

/** The store forms xmm/m128, xmm; also MOVNTPS/MOVNTPD/MOVNTDQ (memory only). */
export function movRmXmm(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = 4 * i.reg;
  if (i.rm >= 0) {
    const d = 4 * i.rm;
    x[d] = x[s];
    x[d + 1] = x[s + 1];
    x[d + 2] = x[s + 2];
    x[d + 3] = x[s + 3];
  } else store128(cpu, memAddress(cpu, i), s);
}

// ---------------------------------------------------------------- scalar

/** MOVSS xmm, xmm/m32 (F3 0F 10): a register source merges the low dword; memory zeroes the rest. */
export function movssLoad(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const d = 4 * i.reg;
  if (i.rm >= 0) x[d] = x[4 * i.rm];
  else {
    x[d] = load32(cpu, ea(cpu, i));
    x[d + 1] = 0;
    x[d + 2] = 0;
    x[d + 3] = 0;
  }
}

/** MOVSS xmm/m32, xmm (F3 0F 11) */
export function movssStore(cpu: Cpu, i: Insn): void {
  if (i.rm >= 0) cpu.xmm[4 * i.rm] = cpu.xmm[4 * i.reg];
  else store32(cpu, ea(cpu, i), cpu.xmm[4 * i.reg]);
}

/** MOVSD xmm, xmm/m64 (F2 0F 10): a register source merges the low quadword; memory zeroes the
 *  high one. */
export function movsdLoad(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const d = 4 * i.reg;
  if (i.rm >= 0) {
    x[d] = x[4 * i.rm];
    x[d + 1] = x[4 * i.rm + 1];
  } else {
    x[d] = load64(cpu, ea(cpu, i));
    x[d + 1] = cpu.hi;
    x[d + 2] = 0;
    x[d + 3] = 0;
  }
}

/** MOVSD xmm/m64, xmm (F2 0F 11); MOVLPS/MOVLPD m64, xmm (0F 13) are its memory form. */
export function movsdStore(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = 4 * i.reg;
  if (i.rm >= 0) {
    x[4 * i.rm] = x[s];
    x[4 * i.rm + 1] = x[s + 1];
  } else store64(cpu, ea(cpu, i), x[s], x[s + 1]);
}

/** MOVQ xmm, xmm/m64 (F3 0F 7E): low quadword, high quadword zeroed. */
export function movqLoad(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const d = 4 * i.reg;
  if (i.rm >= 0) {
    x[d] = x[4 * i.rm];
    x[d + 1] = x[4 * i.rm + 1];
  } else {
    x[d] = load64(cpu, ea(cpu, i));
    x[d + 1] = cpu.hi;
  }
  x[d + 2] = 0;
  x[d + 3] = 0;
}

/** MOVQ xmm/m64, xmm (66 0F D6): a register destination gets its high quadword zeroed. */
export function movqStore(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = 4 * i.reg;
  if (i.rm >= 0) {
    const d = 4 * i.rm;
    x[d] = x[s];
    x[d + 1] = x[s + 1];
    x[d + 2] = 0;
    x[d + 3] = 0;
  } else store64(cpu, ea(cpu, i), x[s], x[s + 1]);
}

// ---------------------------------------------------------------- half registers

/** MOVLPS/MOVLPD xmm, m64 (0F 12 memory): the low quadword only. */
export function movlpLoad(cpu: Cpu, i: Insn): void {
  const d = 4 * i.reg;
  cpu.xmm[d] = load64(cpu, ea(cpu, i));
  cpu.xmm[d + 1] = cpu.hi;
}

/** MOVHPS/MOVHPD xmm, m64 (0F 16 memory): the high quadword only. */
export function movhpLoad(cpu: Cpu, i: Insn): void {
  const d = 4 * i.reg;
  cpu.xmm[d + 2] = load64(cpu, ea(cpu, i));
  cpu.xmm[d + 3] = cpu.hi;
}

/** MOVHPS/MOVHPD m64, xmm (0F 17) */
export function movhpStore(cpu: Cpu, i: Insn): void {
  const s = 4 * i.reg;
  store64(cpu, ea(cpu, i), cpu.xmm[s + 2], cpu.xmm[s + 3]);
}

/** MOVHLPS xmm1, xmm2 (0F 12 register): low quadword of xmm1 = high quadword of xmm2. */
export function movhlps(cpu: Cpu, i: Insn): void {
  const d = 4 * i.reg;
  const s = 4 * i.rm;
  cpu.xmm[d] = cpu.xmm[s + 2];
  cpu.xmm[d + 1] = cpu.xmm[s + 3];
}

/** MOVLHPS xmm1, xmm2 (0F 16 register): high quadword of xmm1 = low quadword of xmm2. */
export function movlhps(cpu: Cpu, i: Insn): void {
  const d = 4 * i.reg;
  const s = 4 * i.rm;
  cpu.xmm[d + 2] = cpu.xmm[s];
  cpu.xmm[d + 3] = cpu.xmm[s + 1];
}

// ---------------------------------------------------------------- XMM <-> general registers

/** MOVD/MOVQ xmm, r/m32|64 (66 [REX.W] 0F 6E): zero-extended into the whole register. */
export function movdToXmm(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const d = 4 * i.reg;
  x[d] = loadRm64(cpu, i);
  x[d + 1] = cpu.hi;
  x[d + 2] = 0;
  x[d + 3] = 0;
}

/** MOVD/MOVQ r/m32|64, xmm (66 [REX.W] 0F 7E): a 32-bit register destination is zero-extended. */
export function movdFromXmm(cpu: Cpu, i: Insn): void {
  const s = 4 * i.reg;
  storeRm64(cpu, i, cpu.xmm[s], i.size === 8 ? cpu.xmm[s + 1] : 0);
}

/** MOVNTI m32|64, r (0F C3) */
export function movnti(cpu: Cpu, i: Insn): void {
  const addr = ea(cpu, i);
  if (i.size === 8) store64(cpu, addr, cpu.regs[2 * i.reg], cpu.regs[2 * i.reg + 1]);
  else store32(cpu, addr, cpu.regs[2 * i.reg]);
}

// ---------------------------------------------------------------- masks

/** MOVMSKPS r32|64, xmm (0F 50): the four sign bits. i.reg is the GPR, i.rm the XMM register. */
export function movmskps(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = 4 * i.rm;
  cpu.regs[2 * i.reg] = (x[s] >>> 31) | ((x[s + 1] >>> 31) << 1) | ((x[s + 2] >>> 31) << 2) | ((x[s + 3] >>> 31) << 3);
  cpu.regs[2 * i.reg + 1] = 0;
}

/** MOVMSKPD r32|64, xmm (66 0F 50) */
export function movmskpd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = 4 * i.rm;
  cpu.regs[2 * i.reg] = (x[s + 1] >>> 31) | ((x[s + 3] >>> 31) << 1);
  cpu.regs[2 * i.reg + 1] = 0;
}

/** PMOVMSKB r32|64, xmm (66 0F D7): the sixteen byte sign bits. Per dword, the four sign bits
 *  (moved to bits 0, 8, 16, 24) are gathered into bits 24-27 by one multiply. */
export function pmovmskb(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = 4 * i.rm;
  let m = 0;
  for (let k = 3; k >= 0; k--) m = (m << 4) | ((Math.imul((x[s + k] >>> 7) & 0x01010101, 0x01020408) >>> 24) & 0xf);
  cpu.regs[2 * i.reg] = m;
  cpu.regs[2 * i.reg + 1] = 0;
}

/** MASKMOVDQU xmm1, xmm2 (66 0F F7): stores the bytes of xmm1 whose mask byte in xmm2 has its top
 *  bit set to [RDI] (EDI with 0x67; FS/GS overrides apply). A fault writes nothing. */
export function maskmovdqu(cpu: Cpu, i: Insn): void {
  const b = cpu.xmm8;
  const s = 16 * i.reg;
  const m = 16 * i.rm;
  let addr = i.addr32 ? cpu.regs[14] >>> 0 : cpu.getU(7);
  if (i.segment) addr += i.segment === 4 ? cpu.fsBase : cpu.gsBase;
  // The whole 16-byte range is checked, selected or not, even with an all-zero mask (as the host
  // CPU does); the fault names the first inaccessible byte.
  if (!cpu.mem.isAccessible(addr, 16, 'write'))
    for (let k = 0; k < 16; k++) if (!cpu.mem.isAccessible(addr + k, 1, 'write')) cpu.mem.write8(addr + k, 0);
  for (let k = 0; k < 16; k++) if (b[m + k] & 0x80) cpu.mem.write8(addr + k, b[s + k]);
}
