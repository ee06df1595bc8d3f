// SSE/SSE2 rearrangements: interleaves (PUNPCKL/H BW WD DQ QDQ, UNPCKL/H PS PD), packs with
// saturation, shuffles (PSHUFD/LW/HW, SHUFPS/PD; the selector is i.imm) and word insert/extract.
// Sources are read before the destination is written, so xmm1 may equal xmm2.
import type { Insn } from '../insn.js';
import { ea } from '../operands.js';
import type { Cpu } from '../state.js';
import { src128 } from './xmm.js';

const TEMP = new Int32Array(4);
const TEMP16 = new Uint16Array(TEMP.buffer);
const TEMP8 = new Uint8Array(TEMP.buffer);

// ---------------------------------------------------------------- interleaves

/** PUNPCKLBW: bytes 0-7 of dst and src interleaved. */
export function punpcklbw(cpu: Cpu, i: Insn): void {
  const s = 4 * src128(cpu, i);
  const d = 16 * i.reg;
  const b = cpu.xmm8;
  for (let k = 7; k >= 0; k--) {
    const src = b[s + k];
    b[d + 2 * k] = b[d + k];
    b[d + 2 * k + 1] = src;
  }
}

/** PUNPCKHBW: bytes 8-15 interleaved. */
export function punpckhbw(cpu: Cpu, i: Insn): void {
  const s = 4 * src128(cpu, i);
  const d = 16 * i.reg;
  const b = cpu.xmm8;
  for (let k = 0; k < 8; k++) {
    TEMP8[2 * k] = b[d + 8 + k];
    TEMP8[2 * k + 1] = b[s + 8 + k];
  }
  for (let k = 0; k < 16; k++) b[d + k] = TEMP8[k];
}

export function punpcklwd(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 3; k >= 0; k--) {
    const src = w[s + k];
    w[d + 2 * k] = w[d + k];
    w[d + 2 * k + 1] = src;
  }
}

export function punpckhwd(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 0; k < 4; k++) {
    TEMP16[2 * k] = w[d + 4 + k];
    TEMP16[2 * k + 1] = w[s + 4 + k];
  }
  for (let k = 0; k < 8; k++) w[d + k] = TEMP16[k];
}

/** PUNPCKLDQ / UNPCKLPS: [d0, s0, d1, s1] */
export function unpckldq(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  const s0 = x[s];
  const s1 = x[s + 1];
  x[d + 2] = x[d + 1];
  x[d + 1] = s0;
  x[d + 3] = s1;
}

/** PUNPCKHDQ / UNPCKHPS: [d2, s2, d3, s3] */
export function unpckhdq(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  const s2 = x[s + 2];
  const s3 = x[s + 3];
  x[d] = x[d + 2];
  x[d + 1] = s2;
  x[d + 2] = x[d + 3];
  x[d + 3] = s3;
}

/** PUNPCKLQDQ / UNPCKLPD: [d.lo, s.lo] */
export function unpcklqdq(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  x[d + 2] = x[s];
  x[d + 3] = x[s + 1];
}

/** PUNPCKHQDQ / UNPCKHPD: [d.hi, s.hi] */
export function unpckhqdq(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  x[d] = x[d + 2];
  x[d + 1] = x[d + 3];
  x[d + 2] = x[s + 2];
  x[d + 3] = x[s + 3];
}

// ---------------------------------------------------------------- packs

function signedByte(word: number): number {
  const v = (word << 16) >> 16;
  return v < -128 ? 0x80 : v > 127 ? 0x7f : v & 0xff;
}

function unsignedByte(word: number): number {
  const v = (word << 16) >> 16;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** PACKSSWB (i.op 0) / PACKUSWB (i.op 1): dst words then src words, saturated to bytes. */
export function packwb(cpu: Cpu, i: Insn): void {
  packWordsToBytes(cpu, i, src128(cpu, i), 8);
}

/** PACKSSDW: dst dwords then src dwords, saturated to signed words. */
export function packssdw(cpu: Cpu, i: Insn): void {
  packDwordsToWords(cpu, i, src128(cpu, i), 4);
}

// The packs on `n` lanes of each operand: 8 words / 4 dwords for XMM registers, 4 / 2 for the MMX
// forms (cpu/x87/mmx.ts). `s` is the source's Int32 index; the result fills the destination's
// low 2n bytes (words).

export function packWordsToBytes(cpu: Cpu, i: Insn, s: number, n: number): void {
  const w = cpu.xmm16;
  const d = 8 * i.reg;
  const sw = 2 * s;
  const sat = i.op === 0 ? signedByte : unsignedByte;
  for (let k = 0; k < n; k++) {
    TEMP8[k] = sat(w[d + k]);
    TEMP8[k + n] = sat(w[sw + k]);
  }
  const x = cpu.xmm;
  const dd = 4 * i.reg;
  for (let k = 0; k < n >> 1; k++) x[dd + k] = TEMP[k];
}

function signedWord(dword: number): number {
  return dword < -32768 ? 0x8000 : dword > 32767 ? 0x7fff : dword & 0xffff;
}

export function packDwordsToWords(cpu: Cpu, i: Insn, s: number, n: number): void {
  const x = cpu.xmm;
  const d = 4 * i.reg;
  for (let k = 0; k < n; k++) {
    TEMP16[k] = signedWord(x[d + k]);
    TEMP16[k + n] = signedWord(x[s + k]);
  }
  for (let k = 0; k < n; k++) x[d + k] = TEMP[k];
}

// ---------------------------------------------------------------- shuffles

/** PSHUFD xmm, xmm/m128, imm8 */
export function pshufd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  const n = i.imm;
  const a = x[s + (n & 3)];
  const b = x[s + ((n >> 2) & 3)];
  const c = x[s + ((n >> 4) & 3)];
  const e = x[s + ((n >> 6) & 3)];
  x[d] = a;
  x[d + 1] = b;
  x[d + 2] = c;
  x[d + 3] = e;
}

/** PSHUFLW (i.op 0: words 0-3) / PSHUFHW (i.op 4: words 4-7); the other quadword is copied. */
export function pshufw(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  const n = i.imm;
  const base = s + i.op;
  for (let k = 0; k < 4; k++) TEMP16[k] = w[base + ((n >> (2 * k)) & 3)];
  const other = i.op === 0 ? 4 : 0;
  for (let k = 0; k < 4; k++) TEMP16[4 + k] = w[s + other + k];
  for (let k = 0; k < 4; k++) {
    w[d + i.op + k] = TEMP16[k];
    w[d + other + k] = TEMP16[4 + k];
  }
}

/** SHUFPS xmm, xmm/m128, imm8: two dst lanes then two src lanes. */
export function shufps(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  const n = i.imm;
  const a = x[d + (n & 3)];
  const b = x[d + ((n >> 2) & 3)];
  const c = x[s + ((n >> 4) & 3)];
  const e = x[s + ((n >> 6) & 3)];
  x[d] = a;
  x[d + 1] = b;
  x[d + 2] = c;
  x[d + 3] = e;
}

/** SHUFPD xmm, xmm/m128, imm8 */
export function shufpd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  const lo = d + 2 * (i.imm & 1);
  const hi = s + 2 * ((i.imm >> 1) & 1);
  const a = x[lo];
  const b = x[lo + 1];
  const c = x[hi];
  const e = x[hi + 1];
  x[d] = a;
  x[d + 1] = b;
  x[d + 2] = c;
  x[d + 3] = e;
}

// ---------------------------------------------------------------- words

/** PEXTRW r32|64, xmm, imm8 (66 0F C5): i.reg is the GPR, i.rm the XMM register. */
export function pextrw(cpu: Cpu, i: Insn): void {
  cpu.regs[2 * i.reg] = cpu.xmm16[8 * i.rm + (i.imm & 7)];
  cpu.regs[2 * i.reg + 1] = 0;
}

/** PINSRW xmm, r32/m16, imm8 (66 0F C4) */
export function pinsrw(cpu: Cpu, i: Insn): void {
  const value = i.rm >= 0 ? cpu.regs[2 * i.rm] : cpu.mem.read16(ea(cpu, i));
  cpu.xmm16[8 * i.reg + (i.imm & 7)] = value;
}
