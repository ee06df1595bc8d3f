// The architectural state of one x86-64 thread: general registers as 32-bit halves, lazily
// evaluated arithmetic flags, RIP, the FS/GS bases, SSE registers and MXCSR.
import type { AddressSpace } from '../memory.js';
import type { Insn } from './insn.js';

/** General-purpose register numbers as the ModRM/REX encoding uses them. */
export const enum Reg {
  RAX = 0,
  RCX = 1,
  RDX = 2,
  RBX = 3,
  RSP = 4,
  RBP = 5,
  RSI = 6,
  RDI = 7,
  R8 = 8,
  R9 = 9,
  R10 = 10,
  R11 = 11,
  R12 = 12,
  R13 = 13,
  R14 = 14,
  R15 = 15,
}

export const REG_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/** RFLAGS bits. */
export const CF = 1 << 0;
export const PF = 1 << 2;
export const AF = 1 << 4;
export const ZF = 1 << 6;
export const SF = 1 << 7;
export const TF = 1 << 8;
export const IF = 1 << 9;
export const DF = 1 << 10;
export const OF = 1 << 11;
export const AC = 1 << 18;
export const ID = 1 << 21;
/** The six arithmetic flags, the ones the lazy evaluator computes. */
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;

/** How the arithmetic flags derive from the last flag-setting operation (see flags.ts). */
export const enum FlagOp {
  /** `flagsWord` holds all six flags explicitly. */
  Explicit = 0,
  Add,
  Adc,
  Sub,
  Sbb,
  /** AND/OR/XOR/TEST: CF=OF=0. */
  Logic,
  /** INC/DEC keep CF (saved in `carry`). */
  Inc,
  Dec,
  /** Shifts and multiplies: CF and OF were computed when the instruction ran (`carry`, `overflow`);
   *  ZF/SF/PF come from the result, AF is 0. */
  ResultCarryOverflow,
}

export class Cpu {
  /** 16 registers x (low 32 bits, high 32 bits). Register r lives at [2r] and [2r+1]. */
  readonly regs: Int32Array;
  /** Byte view of the same storage: AL = regs8[8r], AH = regs8[8r+1]. */
  readonly regs8: Uint8Array;
  /** 16-bit view: AX = regs16[4r]. */
  readonly regs16: Uint16Array;

  rip = 0;
  fsBase = 0;
  gsBase = 0;

  // ---- lazy flags: the last flag-setting operation, its size in bytes, operands and result.
  // For sizes 1, 2 and 4 the values are in the *Lo fields (bytes/words zero-extended, dwords as
  // int32) and the *Hi fields are 0; for size 8 both halves are used.
  flagOp: FlagOp = FlagOp.Explicit;
  flagSize = 4;
  flagResLo = 0;
  flagResHi = 0;
  flagALo = 0;
  flagAHi = 0;
  flagBLo = 0;
  flagBHi = 0;
  /** Carry-in for ADC/SBB, saved CF for INC/DEC, computed CF for ResultCarryOverflow (0 or 1). */
  carry = 0;
  /** Computed OF for ResultCarryOverflow (0 or 1). */
  overflow = 0;
  /** The six arithmetic flags when flagOp is Explicit (RFLAGS bit positions). */
  flagsWord = 0;
  /** The non-arithmetic RFLAGS bits (DF, TF, AC, ID, IF and bit 1), kept apart from the lazy ones. */
  controlFlags = 0x202;

  // ---- SSE
  /** 16 XMM registers of 4 x 32 bits, plus slot 16 (elements 64..67 of the Int32 view): a scratch
   *  register the SSE semantics load memory operands into. The other views share the storage. */
  readonly xmm: Int32Array;
  readonly xmm8: Uint8Array;
  readonly xmm16: Uint16Array;
  readonly xmmF32: Float32Array;
  readonly xmmF64: Float64Array;
  mxcsr = 0x1f80;

  // ---- x87 control word (FNSTCW/FLDCW); the register stack itself arrives with the x87 unit.
  fpuControl = 0x37f;
  fpuStatus = 0;
  fpuTag = 0xffff;

  /** The kernel's entry point, called by the SYSCALL instruction (cpu.rip is already the return
   *  address). */
  onSyscall: (cpu: Cpu, insn: Insn) => void = () => {};

  /** Instructions retired. */
  icount = 0;
  /** Scratch: high half of a 64-bit value a helper returns (the low half is the return value). */
  hi = 0;

  constructor(readonly mem: AddressSpace) {
    const gpr = new ArrayBuffer(16 * 8);
    this.regs = new Int32Array(gpr);
    this.regs8 = new Uint8Array(gpr);
    this.regs16 = new Uint16Array(gpr);
    const sse = new ArrayBuffer(17 * 16);
    this.xmm = new Int32Array(sse);
    this.xmm8 = new Uint8Array(sse);
    this.xmm16 = new Uint16Array(sse);
    this.xmmF32 = new Float32Array(sse);
    this.xmmF64 = new Float64Array(sse);
  }

  /** Register r as an unsigned 64-bit number (exact below 2^53: addresses, counts). */
  getU(r: number): number {
    return (this.regs[2 * r + 1] >>> 0) * 4294967296 + (this.regs[2 * r] >>> 0);
  }

  /** Register r as a signed 64-bit number (exact in magnitude below 2^53). */
  getS(r: number): number {
    return this.regs[2 * r + 1] * 4294967296 + (this.regs[2 * r] >>> 0);
  }

  /** Sets register r from a number in [-2^63, 2^64) that is exact (an address, a count, -errno). */
  setNumber(r: number, value: number): void {
    const hi = Math.floor(value / 4294967296);
    this.regs[2 * r] = value - hi * 4294967296;
    this.regs[2 * r + 1] = hi;
  }

  getU64(r: number): bigint {
    return (BigInt(this.regs[2 * r + 1] >>> 0) << 32n) | BigInt(this.regs[2 * r] >>> 0);
  }

  setU64(r: number, value: bigint): void {
    this.regs[2 * r] = Number(value & 0xffffffffn);
    this.regs[2 * r + 1] = Number((value >> 32n) & 0xffffffffn);
  }
}
