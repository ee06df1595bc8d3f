// SSE2 packed-integer arithmetic on XMM registers: add/subtract (wrapping and saturating),
// compares, logic, min/max, averages, multiplies, PSADBW and the shifts. Every binary form is
// "xmm(reg) = xmm(reg) op xmm/m128"; src128 loads a memory source into the scratch slot.
// The logic functions also serve ANDPS/ANDNPS/ORPS/XORPS and their PD forms (pure bit operations).
import type { Insn } from '../insn.js';
import type { Cpu } from '../state.js';
import { src128 } from './xmm.js';

// ---------------------------------------------------------------- logic

export function pand(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  x[d] &= x[s];
  x[d + 1] &= x[s + 1];
  x[d + 2] &= x[s + 2];
  x[d + 3] &= x[s + 3];
}

export function pandn(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  x[d] = ~x[d] & x[s];
  x[d + 1] = ~x[d + 1] & x[s + 1];
  x[d + 2] = ~x[d + 2] & x[s + 2];
  x[d + 3] = ~x[d + 3] & x[s + 3];
}

export function por(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  x[d] |= x[s];
  x[d + 1] |= x[s + 1];
  x[d + 2] |= x[s + 2];
  x[d + 3] |= x[s + 3];
}

export function pxor(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  x[d] ^= x[s];
  x[d + 1] ^= x[s + 1];
  x[d + 2] ^= x[s + 2];
  x[d + 3] ^= x[s + 3];
}

// ---------------------------------------------------------------- add / subtract

export function paddb(cpu: Cpu, i: Insn): void {
  const s = 4 * src128(cpu, i);
  const d = 16 * i.reg;
  const b = cpu.xmm8;
  for (let k = 0; k < 16; k++) b[d + k] = b[d + k] + b[s + k];
}

export function paddw(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 0; k < 8; k++) w[d + k] = w[d + k] + w[s + k];
}

export function paddd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  x[d] = (x[d] + x[s]) | 0;
  x[d + 1] = (x[d + 1] + x[s + 1]) | 0;
  x[d + 2] = (x[d + 2] + x[s + 2]) | 0;
  x[d + 3] = (x[d + 3] + x[s + 3]) | 0;
}

export function paddq(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  for (let k = 0; k < 4; k += 2) {
    const a = x[d + k];
    const lo = (a + x[s + k]) | 0;
    x[d + k + 1] = (x[d + k + 1] + x[s + k + 1] + (lo >>> 0 < a >>> 0 ? 1 : 0)) | 0;
    x[d + k] = lo;
  }
}

export function psubb(cpu: Cpu, i: Insn): void {
  const s = 4 * src128(cpu, i);
  const d = 16 * i.reg;
  const b = cpu.xmm8;
  for (let k = 0; k < 16; k++) b[d + k] = b[d + k] - b[s + k];
}

export function psubw(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 0; k < 8; k++) w[d + k] = w[d + k] - w[s + k];
}

export function psubd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  x[d] = (x[d] - x[s]) | 0;
  x[d + 1] = (x[d + 1] - x[s + 1]) | 0;
  x[d + 2] = (x[d + 2] - x[s + 2]) | 0;
  x[d + 3] = (x[d + 3] - x[s + 3]) | 0;
}

export function psubq(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  for (let k = 0; k < 4; k += 2) {
    const a = x[d + k];
    const b = x[s + k];
    x[d + k + 1] = (x[d + k + 1] - x[s + k + 1] - (a >>> 0 < b >>> 0 ? 1 : 0)) | 0;
    x[d + k] = (a - b) | 0;
  }
}

// ---------------------------------------------------------------- saturating

const enum Sat {
  AddSigned = 0,
  AddUnsigned = 1,
  SubSigned = 2,
  SubUnsigned = 3,
}

/** PADDSB/PADDUSB/PSUBSB/PSUBUSB: i.op is the Sat kind. */
export function saturateBytes(cpu: Cpu, i: Insn): void {
  const s = 4 * src128(cpu, i);
  const d = 16 * i.reg;
  const b = cpu.xmm8;
  switch (i.op) {
    case Sat.AddSigned:
      for (let k = 0; k < 16; k++) b[d + k] = clamp(((b[d + k] << 24) >> 24) + ((b[s + k] << 24) >> 24), -128, 127);
      break;
    case Sat.AddUnsigned:
      for (let k = 0; k < 16; k++) b[d + k] = Math.min(b[d + k] + b[s + k], 255);
      break;
    case Sat.SubSigned:
      for (let k = 0; k < 16; k++) b[d + k] = clamp(((b[d + k] << 24) >> 24) - ((b[s + k] << 24) >> 24), -128, 127);
      break;
    default:
      for (let k = 0; k < 16; k++) b[d + k] = Math.max(b[d + k] - b[s + k], 0);
  }
}

/** PADDSW/PADDUSW/PSUBSW/PSUBUSW: i.op is the Sat kind. */
export function saturateWords(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  switch (i.op) {
    case Sat.AddSigned:
      for (let k = 0; k < 8; k++) w[d + k] = clamp(((w[d + k] << 16) >> 16) + ((w[s + k] << 16) >> 16), -32768, 32767);
      break;
    case Sat.AddUnsigned:
      for (let k = 0; k < 8; k++) w[d + k] = Math.min(w[d + k] + w[s + k], 65535);
      break;
    case Sat.SubSigned:
      for (let k = 0; k < 8; k++) w[d + k] = clamp(((w[d + k] << 16) >> 16) - ((w[s + k] << 16) >> 16), -32768, 32767);
      break;
    default:
      for (let k = 0; k < 8; k++) w[d + k] = Math.max(w[d + k] - w[s + k], 0);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

// ---------------------------------------------------------------- compares

/** PCMPEQB (strlen/memchr's inner loop): four bytes at a time. For v = a ^ b, bit 7 of each byte
 *  of `nonzero` is set when that byte of v is not zero. */
export function pcmpeqb(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  for (let k = 0; k < 4; k++) {
    const v = x[d + k] ^ x[s + k];
    const nonzero = (((v & 0x7f7f7f7f) + 0x7f7f7f7f) | v) & 0x80808080;
    x[d + k] = ~((nonzero >>> 7) * 0xff);
  }
}

export function pcmpeqw(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 0; k < 8; k++) w[d + k] = w[d + k] === w[s + k] ? 0xffff : 0;
}

export function pcmpeqd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  for (let k = 0; k < 4; k++) x[d + k] = x[d + k] === x[s + k] ? -1 : 0;
}

export function pcmpgtb(cpu: Cpu, i: Insn): void {
  const s = 4 * src128(cpu, i);
  const d = 16 * i.reg;
  const b = cpu.xmm8;
  for (let k = 0; k < 16; k++) b[d + k] = (b[d + k] << 24) >> 24 > (b[s + k] << 24) >> 24 ? 0xff : 0;
}

export function pcmpgtw(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 0; k < 8; k++) w[d + k] = (w[d + k] << 16) >> 16 > (w[s + k] << 16) >> 16 ? 0xffff : 0;
}

export function pcmpgtd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  for (let k = 0; k < 4; k++) x[d + k] = x[d + k] > x[s + k] ? -1 : 0;
}

// ---------------------------------------------------------------- min / max / average

export function pminub(cpu: Cpu, i: Insn): void {
  const s = 4 * src128(cpu, i);
  const d = 16 * i.reg;
  const b = cpu.xmm8;
  for (let k = 0; k < 16; k++) if (b[s + k] < b[d + k]) b[d + k] = b[s + k];
}

export function pmaxub(cpu: Cpu, i: Insn): void {
  const s = 4 * src128(cpu, i);
  const d = 16 * i.reg;
  const b = cpu.xmm8;
  for (let k = 0; k < 16; k++) if (b[s + k] > b[d + k]) b[d + k] = b[s + k];
}

export function pminsw(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 0; k < 8; k++) if ((w[s + k] << 16) >> 16 < (w[d + k] << 16) >> 16) w[d + k] = w[s + k];
}

export function pmaxsw(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 0; k < 8; k++) if ((w[s + k] << 16) >> 16 > (w[d + k] << 16) >> 16) w[d + k] = w[s + k];
}

export function pavgb(cpu: Cpu, i: Insn): void {
  const s = 4 * src128(cpu, i);
  const d = 16 * i.reg;
  const b = cpu.xmm8;
  for (let k = 0; k < 16; k++) b[d + k] = (b[d + k] + b[s + k] + 1) >> 1;
}

export function pavgw(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 0; k < 8; k++) w[d + k] = (w[d + k] + w[s + k] + 1) >> 1;
}

// ---------------------------------------------------------------- multiplies

export function pmullw(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 0; k < 8; k++) w[d + k] = Math.imul(w[d + k], w[s + k]);
}

export function pmulhw(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 0; k < 8; k++) w[d + k] = (((w[d + k] << 16) >> 16) * ((w[s + k] << 16) >> 16)) >> 16;
}

export function pmulhuw(cpu: Cpu, i: Insn): void {
  const s = 2 * src128(cpu, i);
  const d = 8 * i.reg;
  const w = cpu.xmm16;
  for (let k = 0; k < 8; k++) w[d + k] = (w[d + k] * w[s + k]) >>> 16;
}

/** PMULUDQ: unsigned dword 0 x dword 0 and dword 2 x dword 2, 64-bit products. */
export function pmuludq(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  for (let k = 0; k < 4; k += 2) {
    const a = x[d + k] >>> 0;
    const b = x[s + k] >>> 0;
    // Split b into 16-bit halves: a*bLo and a*bHi are exact in doubles (< 2^48).
    const low = a * (b & 0xffff);
    const high = a * (b >>> 16);
    const lowPart = (low % 4294967296) + (high % 65536) * 65536;
    const lo = lowPart % 4294967296;
    const hi = Math.floor(low / 4294967296) + Math.floor(high / 65536) + Math.floor(lowPart / 4294967296);
    x[d + k] = lo | 0;
    x[d + k + 1] = hi | 0;
  }
}

/** PMADDWD: signed word products, adjacent pairs summed into dwords (wrapping). */
export function pmaddwd(cpu: Cpu, i: Insn): void {
  const x = cpu.xmm;
  const w = cpu.xmm16;
  const s = src128(cpu, i);
  const d = 4 * i.reg;
  for (let k = 0; k < 4; k++) {
    const a = 2 * (d + k);
    const b = 2 * (s + k);
    const p0 = ((w[a] << 16) >> 16) * ((w[b] << 16) >> 16);
    const p1 = ((w[a + 1] << 16) >> 16) * ((w[b + 1] << 16) >> 16);
    x[d + k] = (p0 + p1) | 0;
  }
}

/** PSADBW: per quadword, the sum of absolute byte differences in its low word. */
export function psadbw(cpu: Cpu, i: Insn): void {
  const s = 4 * src128(cpu, i);
  const d = 16 * i.reg;
  const b = cpu.xmm8;
  const x = cpu.xmm;
  for (let q = 0; q < 16; q += 8) {
    let sum = 0;
    for (let k = q; k < q + 8; k++) sum += Math.abs(b[d + k] - b[s + k]);
    x[(d + q) >> 2] = sum;
    x[((d + q) >> 2) + 1] = 0;
  }
}

// ---------------------------------------------------------------- shifts

export const enum Shift {
  Right = 0,
  Arith = 1,
  Left = 2,
}

/** The shift count of the by-register forms: the low quadword of xmm/m128, saturated at 255. */
function xmmCount(cpu: Cpu, i: Insn): number {
  const s = src128(cpu, i);
  const lo = cpu.xmm[s] >>> 0;
  return cpu.xmm[s + 1] !== 0 || lo > 255 ? 255 : lo;
}

/** PSRLW/PSRAW/PSLLW by xmm/m128 (i.op = Shift) or by imm8 (i.imm >= 0, i.rm the register). */
export function shiftWords(cpu: Cpu, i: Insn): void {
  const count = i.imm >= 0 ? i.imm : xmmCount(cpu, i);
  const d = 8 * (i.imm >= 0 ? i.rm : i.reg);
  const w = cpu.xmm16;
  if (i.op === Shift.Arith) {
    const n = count > 15 ? 15 : count;
    for (let k = 0; k < 8; k++) w[d + k] = ((w[d + k] << 16) >> 16) >> n;
  } else if (count > 15) for (let k = 0; k < 8; k++) w[d + k] = 0;
  else if (i.op === Shift.Left) for (let k = 0; k < 8; k++) w[d + k] = w[d + k] << count;
  else for (let k = 0; k < 8; k++) w[d + k] = w[d + k] >>> count;
}

/** PSRLD/PSRAD/PSLLD */
export function shiftDwords(cpu: Cpu, i: Insn): void {
  const count = i.imm >= 0 ? i.imm : xmmCount(cpu, i);
  const d = 4 * (i.imm >= 0 ? i.rm : i.reg);
  const x = cpu.xmm;
  if (i.op === Shift.Arith) {
    const n = count > 31 ? 31 : count;
    for (let k = 0; k < 4; k++) x[d + k] = x[d + k] >> n;
  } else if (count > 31) for (let k = 0; k < 4; k++) x[d + k] = 0;
  else if (i.op === Shift.Left) for (let k = 0; k < 4; k++) x[d + k] = x[d + k] << count;
  else for (let k = 0; k < 4; k++) x[d + k] = x[d + k] >>> count;
}

/** PSRLQ/PSLLQ (there is no arithmetic quadword shift in SSE2) */
export function shiftQwords(cpu: Cpu, i: Insn): void {
  const count = i.imm >= 0 ? i.imm : xmmCount(cpu, i);
  const d = 4 * (i.imm >= 0 ? i.rm : i.reg);
  const x = cpu.xmm;
  for (let k = 0; k < 4; k += 2) {
    const lo = x[d + k];
    const hi = x[d + k + 1];
    let rlo: number;
    let rhi: number;
    if (count > 63) rlo = rhi = 0;
    else if (i.op === Shift.Left) {
      if (count >= 32) {
        rhi = lo << (count - 32);
        rlo = 0;
      } else if (count === 0) {
        rlo = lo;
        rhi = hi;
      } else {
        rhi = (hi << count) | (lo >>> (32 - count));
        rlo = lo << count;
      }
    } else if (count >= 32) {
      rlo = hi >>> (count - 32);
      rhi = 0;
    } else if (count === 0) {
      rlo = lo;
      rhi = hi;
    } else {
      rlo = (lo >>> count) | (hi << (32 - count));
      rhi = hi >>> count;
    }
    x[d + k] = rlo;
    x[d + k + 1] = rhi;
  }
}

/** PSRLDQ/PSLLDQ xmm, imm8 (66 0F 73 /3, /7): whole-register byte shifts. i.op = Shift. */
export function shiftBytes(cpu: Cpu, i: Insn): void {
  const b = cpu.xmm8;
  const d = 16 * i.rm;
  const n = i.imm > 16 ? 16 : i.imm;
  if (n === 0) return;
  if (i.op === Shift.Left) {
    for (let k = 15; k >= n; k--) b[d + k] = b[d + k - n];
    for (let k = 0; k < n; k++) b[d + k] = 0;
  } else {
    for (let k = 0; k < 16 - n; k++) b[d + k] = b[d + k + n];
    for (let k = 16 - n; k < 16; k++) b[d + k] = 0;
  }
}
