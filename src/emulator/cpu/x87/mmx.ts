// MMX: the eight 64-bit MM registers are the significands of the x87 registers R0-R7. Every MMX
// instruction first takes a pending x87 exception (#MF), then switches the FPU to MMX use
// (TOP = 0, all registers valid; a faulting memory access prevents it, except for MASKMOVQ); a
// write to MMi sets bits 64-79 of Ri to all ones. EMMS sets TOP = 0 and empties the tags. CVTPI2PS/CVTPI2PD with a memory
// source are not MMX instructions (no #MF, no transition).
// The packed operations reuse the SSE integer semantics (cpu/sse/integer.ts, shuffle.ts) on the
// low quadword of two scratch XMM slots: the destination MM register is copied to slot 17, the
// source (register, or memory read with its MMX width) to slot 16, the SSE function runs with
// i.reg = 17, i.rm = 16, and the low quadword of slot 17 is the result. The few operations whose
// 64-bit form is not the low half of the 128-bit one (packs, high unpacks, word insert/extract,
// byte masks) are written here against the same slots (the packs with shuffle.ts's functions on
// half as many lanes).
// Fields: i.reg / i.rm are MM register numbers (REX does not extend them), or a GPR / XMM number
// where the instruction names one; i.imm the imm8 (-1 for shifts by register); i.op the SSE
// function's selector.
import { OpcodeMap, Segment, syntheticInsn } from '../decoded.js';
import { generalProtection } from '../faults.js';
import { Exec, Insn } from '../insn.js';
import { ea } from '../operands.js';
import type { Cpu } from '../state.js';
import { commitFlags, f32Value, f64Bits, f64Value, fp, intToF32, toInt32 } from '../sse/fp.js';
import { packDwordsToWords, packWordsToBytes } from '../sse/shuffle.js';
import { load32, load64, loadRm64, src64, store64, storeRm64 } from '../sse/xmm.js';
import { ES } from './float80.js';
import { pendingException } from './fpu.js';

/** Int32 indexes of the two scratch XMM slots: the source (16) and the destination (17). */
const SRC = 64;
const DST = 68;
const SRC_SLOT = 16;
const DST_SLOT = 17;

/** The Insn the SSE semantics see: reg = destination slot, rm = source slot. */
const INNER = new Insn(
  syntheticInsn({ map: OpcodeMap.Map0F, hasModrm: true, mod: 3, reg: DST_SLOT, rmReg: SRC_SLOT }),
  () => {},
);

/** #MF for a pending unmasked x87 exception (every MMX instruction checks, EMMS included). */
function check(cpu: Cpu, i: Insn): void {
  if (cpu.fpuStatus & ES) throw pendingException(cpu, i.rip);
}

/** The x87-to-MMX transition: TOP = 0, every register valid (once the memory operand has been
 *  accessed: a faulting access leaves the x87 state alone, except for MASKMOVQ). */
function enter(cpu: Cpu): void {
  cpu.fpTop = 0;
  cpu.fpValid = 0xff;
}

/** Writes MM r (and its exponent bits) from (lo, hi). */
function setMm(cpu: Cpu, r: number, lo: number, hi: number): void {
  cpu.fpSig[2 * r] = lo;
  cpu.fpSig[2 * r + 1] = hi;
  cpu.fpExp[r] = 0xffff;
}

/** An mm/m64 operand: the low half returned, the high half in cpu.hi. */
function mmOrM64(cpu: Cpu, i: Insn): number {
  if (i.rm < 0) return load64(cpu, ea(cpu, i));
  cpu.hi = cpu.fpSig[2 * i.rm + 1];
  return cpu.fpSig[2 * i.rm];
}

/** The source operand (MM i.rm or memory of `size` bytes) into the low quadword of slot 16,
 *  zeros above. */
function loadSource(cpu: Cpu, i: Insn, size: number): void {
  const x = cpu.xmm;
  if (i.rm >= 0 || size === 8) {
    x[SRC] = mmOrM64(cpu, i);
    x[SRC + 1] = cpu.hi;
  } else {
    x[SRC] = load32(cpu, ea(cpu, i));
    x[SRC + 1] = 0;
  }
  x[SRC + 2] = 0;
  x[SRC + 3] = 0;
}

function loadDest(cpu: Cpu, r: number): void {
  const x = cpu.xmm;
  x[DST] = cpu.fpSig[2 * r];
  x[DST + 1] = cpu.fpSig[2 * r + 1];
  x[DST + 2] = 0;
  x[DST + 3] = 0;
}

/** mm, mm/m64 (or m32 for the low unpacks): runs `exec` on the slots. */
export function lanes(exec: Exec, size = 8): Exec {
  return (cpu, i) => {
    check(cpu, i);
    loadSource(cpu, i, size);
    loadDest(cpu, i.reg);
    INNER.reg = DST_SLOT;
    INNER.rm = SRC_SLOT;
    INNER.imm = i.imm;
    INNER.op = i.op;
    exec(cpu, INNER);
    enter(cpu);
    setMm(cpu, i.reg, cpu.xmm[DST], cpu.xmm[DST + 1]);
  };
}

/** The shifts by imm8 (0F 71-73 /digit mm, imm8): the destination is the r/m register. */
export function shiftImmediate(exec: Exec): Exec {
  return (cpu, i) => {
    check(cpu, i);
    loadDest(cpu, i.rm);
    INNER.reg = DST_SLOT;
    INNER.rm = DST_SLOT;
    INNER.imm = i.imm;
    INNER.op = i.op;
    exec(cpu, INNER);
    enter(cpu);
    setMm(cpu, i.rm, cpu.xmm[DST], cpu.xmm[DST + 1]);
  };
}

// ---------------------------------------------------------------- 64-bit forms of their own
// (run through `lanes`: destination in slot 17, source in slot 16)

/** PACKSSWB (i.op 0) / PACKUSWB (i.op 1) mm, mm/m64 */
export function packwb(cpu: Cpu, i: Insn): void {
  packWordsToBytes(cpu, i, 4 * i.rm, 4);
}

/** PACKSSDW mm, mm/m64 */
export function packssdw(cpu: Cpu, i: Insn): void {
  packDwordsToWords(cpu, i, 4 * i.rm, 2);
}

const T8 = new Uint8Array(8);

/** PUNPCKHBW (i.op 1), PUNPCKHWD (2), PUNPCKHDQ (4): the high halves interleaved. */
export function unpackHigh(cpu: Cpu, i: Insn): void {
  const b = cpu.xmm8;
  const d = 16 * i.reg;
  const s = 16 * i.rm;
  const n = i.op;
  let at = 0;
  for (let k = 4; k < 8; k += n) {
    for (let j = 0; j < n; j++) T8[at++] = b[d + k + j];
    for (let j = 0; j < n; j++) T8[at++] = b[s + k + j];
  }
  b.set(T8, d);
}

// ---------------------------------------------------------------- moves

/** MOVD/MOVQ mm, r/m32|64 (0F 6E; i.size 8 with REX.W): zero-extended. */
export function movdToMm(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  const lo = loadRm64(cpu, i);
  enter(cpu);
  setMm(cpu, i.reg, lo, cpu.hi);
}

/** MOVD/MOVQ r/m32|64, mm (0F 7E) */
export function movdFromMm(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  storeRm64(cpu, i, cpu.fpSig[2 * i.reg], i.size === 8 ? cpu.fpSig[2 * i.reg + 1] : 0);
  enter(cpu);
}

/** MOVQ mm, mm/m64 (0F 6F) */
export function movqLoad(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  const lo = mmOrM64(cpu, i);
  enter(cpu);
  setMm(cpu, i.reg, lo, cpu.hi);
}

/** MOVQ mm/m64, mm (0F 7F); MOVNTQ m64, mm (0F E7) */
export function movqStore(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  const lo = cpu.fpSig[2 * i.reg];
  const hi = cpu.fpSig[2 * i.reg + 1];
  if (i.rm >= 0) {
    enter(cpu);
    setMm(cpu, i.rm, lo, hi);
    return;
  }
  store64(cpu, ea(cpu, i), lo, hi);
  enter(cpu);
}

/** MOVDQ2Q mm, xmm (F2 0F D6): i.reg the MM register, i.rm the XMM register. */
export function movdq2q(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  enter(cpu);
  setMm(cpu, i.reg, cpu.xmm[4 * i.rm], cpu.xmm[4 * i.rm + 1]);
}

/** MOVQ2DQ xmm, mm (F3 0F D6): i.reg the XMM register, i.rm the MM register. */
export function movq2dq(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  const x = cpu.xmm;
  const d = 4 * i.reg;
  x[d] = cpu.fpSig[2 * i.rm];
  x[d + 1] = cpu.fpSig[2 * i.rm + 1];
  x[d + 2] = 0;
  x[d + 3] = 0;
  enter(cpu);
}

/** PMOVMSKB r32|64, mm (0F D7): the eight byte sign bits. */
export function pmovmskb(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  const lo = cpu.fpSig[2 * i.rm];
  const hi = cpu.fpSig[2 * i.rm + 1];
  const gather = (v: number) => (Math.imul((v >>> 7) & 0x01010101, 0x01020408) >>> 24) & 0xf;
  cpu.regs[2 * i.reg] = gather(lo) | (gather(hi) << 4);
  cpu.regs[2 * i.reg + 1] = 0;
  enter(cpu);
}

/** PEXTRW r32|64, mm, imm8 (0F C5) */
export function pextrw(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  const k = i.imm & 3;
  const v = cpu.fpSig[2 * i.rm + (k >> 1)];
  cpu.regs[2 * i.reg] = k & 1 ? v >>> 16 : v & 0xffff;
  cpu.regs[2 * i.reg + 1] = 0;
  enter(cpu);
}

/** PINSRW mm, r32/m16, imm8 (0F C4) */
export function pinsrw(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  const value = (i.rm >= 0 ? cpu.regs[2 * i.rm] : cpu.mem.read16(ea(cpu, i))) & 0xffff;
  enter(cpu);
  const k = i.imm & 3;
  const at = 2 * i.reg + (k >> 1);
  const old = cpu.fpSig[at];
  cpu.fpSig[at] = k & 1 ? (old & 0xffff) | (value << 16) : (old & ~0xffff) | value;
  cpu.fpExp[i.reg] = 0xffff;
}

/** MASKMOVQ mm1, mm2 (0F F7): the bytes of mm1 whose mask byte in mm2 has its top bit set go to
 *  [RDI] (EDI with 0x67; FS/GS apply). A fault writes nothing. */
export function maskmovq(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  enter(cpu);
  let addr = i.addr32 ? cpu.regs[14] >>> 0 : cpu.getU(7);
  if (i.segment) addr += i.segment === Segment.FS ? cpu.fsBase : cpu.gsBase;
  const data = [cpu.fpSig[2 * i.reg], cpu.fpSig[2 * i.reg + 1]];
  const mask = [cpu.fpSig[2 * i.rm], cpu.fpSig[2 * i.rm + 1]];
  const mem = cpu.mem;
  if (!mem.isAccessible(addr, 8, 'write'))
    for (let k = 0; k < 8; k++) if (!mem.isAccessible(addr + k, 1, 'write')) mem.write8(addr + k, 0);
  for (let k = 0; k < 8; k++) if ((mask[k >> 2] >>> (8 * (k & 3) + 7)) & 1) mem.write8(addr + k, data[k >> 2] >>> (8 * (k & 3)));
}

/** EMMS (0F 77): TOP = 0 and all registers empty (after the #MF check every MMX instruction
 *  makes). */
export function emms(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  cpu.fpTop = 0;
  cpu.fpValid = 0;
}

// ---------------------------------------------------------------- conversions (SSE <-> MMX)

const RESULT = new Int32Array(4);

/** The 64-bit MMX source of CVTPI2PS/CVTPI2PD: from an MM register (an MMX instruction: #MF
 *  check and transition) or from memory (neither). Low half returned, high half in cpu.hi. */
function mmSource(cpu: Cpu, i: Insn): number {
  if (i.rm >= 0) {
    check(cpu, i);
    enter(cpu);
  }
  return mmOrM64(cpu, i);
}

/** CVTPI2PS xmm, mm/m64 (0F 2A): two dwords to the low two singles (per MXCSR.RC); the high
 *  quadword is kept. */
export function cvtpi2ps(cpu: Cpu, i: Insn): void {
  const lo = mmSource(cpu, i);
  const hi = cpu.hi;
  fp.flags = 0;
  const a = intToF32(lo, cpu.mxcsr);
  const b = intToF32(hi, cpu.mxcsr);
  commitFlags(cpu, i);
  cpu.xmm[4 * i.reg] = a;
  cpu.xmm[4 * i.reg + 1] = b;
}

/** CVTPI2PD xmm, mm/m64 (66 0F 2A): exact. */
export function cvtpi2pd(cpu: Cpu, i: Insn): void {
  const lo = mmSource(cpu, i);
  const hi = cpu.hi;
  const x = cpu.xmm;
  const d = 4 * i.reg;
  x[d] = f64Bits(lo);
  x[d + 1] = fp.hi;
  x[d + 2] = f64Bits(hi);
  x[d + 3] = fp.hi;
}

/** CVTPS2PI / CVTTPS2PI mm, xmm/m64 (0F 2D / 2C, i.op 1 truncates) */
export function cvtps2pi(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  const s = src64(cpu, i);
  const mxcsr = cpu.mxcsr;
  fp.flags = 0;
  RESULT[0] = toInt32(f32Value(cpu.xmm[s], mxcsr), i.op === 1, mxcsr);
  RESULT[1] = toInt32(f32Value(cpu.xmm[s + 1], mxcsr), i.op === 1, mxcsr);
  enter(cpu); // even when an unmasked SIMD exception follows
  commitFlags(cpu, i);
  setMm(cpu, i.reg, RESULT[0], RESULT[1]);
}

/** CVTPD2PI / CVTTPD2PI mm, xmm/m128 (66 0F 2D / 2C, i.op 1 truncates; m128 aligned) */
export function cvtpd2pi(cpu: Cpu, i: Insn): void {
  check(cpu, i);
  const x = cpu.xmm;
  let s: number;
  if (i.rm >= 0) s = 4 * i.rm;
  else {
    const addr = ea(cpu, i);
    if (addr & 15) throw generalProtection();
    x[SRC] = load64(cpu, addr);
    x[SRC + 1] = cpu.hi;
    x[SRC + 2] = load64(cpu, addr + 8);
    x[SRC + 3] = cpu.hi;
    s = SRC;
  }
  const mxcsr = cpu.mxcsr;
  fp.flags = 0;
  RESULT[0] = toInt32(f64Value(x[s], x[s + 1], mxcsr), i.op === 1, mxcsr);
  RESULT[1] = toInt32(f64Value(x[s + 2], x[s + 3], mxcsr), i.op === 1, mxcsr);
  enter(cpu); // even when an unmasked SIMD exception follows
  commitFlags(cpu, i);
  setMm(cpu, i.reg, RESULT[0], RESULT[1]);
}
