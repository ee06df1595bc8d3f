// The architectural state of one x86-64 thread: general registers as 32-bit halves, lazily
// evaluated arithmetic flags, RIP, the FS/GS bases, SSE registers and MXCSR, the x87/MMX registers.
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
  /** Two- and three-operand 64-bit IMUL: CF = OF = whether the signed product of the operands
   *  (a, b) overflows 64 bits, computed on demand; ZF/SF/PF from the result, AF 0. */
  Imul64,
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
   *  register the SSE semantics load memory operands into, and slot 17: a second scratch register
   *  (the MMX forms run the SSE integer semantics on slots 16 and 17). The other views share the
   *  storage. */
  readonly xmm: Int32Array;
  readonly xmm8: Uint8Array;
  readonly xmm16: Uint16Array;
  readonly xmmF32: Float32Array;
  readonly xmmF64: Float64Array;
  mxcsr = 0x1f80;

  // ---- x87 FPU and MMX (semantics in cpu/x87/; this block is its state) ----
  /** Physical registers R0-R7, bits 0-63 (the significand): (low, high) int32 halves at [2r] and
   *  [2r+1]. MMX register r is this quadword of R r. */
  readonly fpSig: Int32Array;
  /** Bits 64-79 of R0-R7: sign and biased exponent (all ones after an MMX write). */
  readonly fpExp: Uint16Array;
  /** Bit r set when R r is not empty (the abridged tag word). Valid/zero/special tags are derived
   *  from the contents when an FSTENV/FSAVE image needs them. */
  fpValid = 0;
  /** TOP: the physical register that is ST(0). */
  fpTop = 0;
  /** FCW. */
  fpuControl = 0x37f;
  /** FSW with the TOP field (bits 11-13) zero; ES and B always equal "an unmasked flag is set". */
  fpuStatus = 0;
  /** The last non-control x87 instruction: its address, opcode (11 bits) and memory operand. */
  fpuIp = 0;
  fpuOpcode = 0;
  fpuDp = 0;

  /** The kernel's entry point, called by the SYSCALL instruction (cpu.rip is already the return
   *  address). */
  onSyscall: (cpu: Cpu, insn: Insn) => void = () => {};
  /** The kernel's i386 entry point, called by INT 0x80 (cpu.rip is already the return address). */
  onInt80: (cpu: Cpu, insn: Insn) => void = () => {};

  /** Index within its block of the instruction that raised the last exception (set by
   *  compiled blocks). */
  faultIndex = 0;
  /** Changes whenever decoded code is dropped (a write to a code page): a compiled loop checks
   *  it to stop running code that may be stale. */
  codeVersion = 0;

  /** Instructions retired. */
  icount = 0;
  /** Scratch: high half of a 64-bit value a helper returns (the low half is the return value). */
  hi = 0;

  constructor(readonly mem: AddressSpace) {
    const gpr = new ArrayBuffer(16 * 8);
    this.regs = new Int32Array(gpr);
    this.regs8 = new Uint8Array(gpr);
    this.regs16 = new Uint16Array(gpr);
    const sse = new ArrayBuffer(18 * 16);
    this.xmm = new Int32Array(sse);
    this.xmm8 = new Uint8Array(sse);
    this.xmm16 = new Uint16Array(sse);
    this.xmmF32 = new Float32Array(sse);
    this.xmmF64 = new Float64Array(sse);
    this.fpSig = new Int32Array(16);
    this.fpExp = new Uint16Array(8);
  }

  /** Takes every register of `other` (fork: the child continues from the parent's state). */
  copyFrom(other: Cpu): void {
    this.regs.set(other.regs);
    this.xmm.set(other.xmm);
    this.fpSig.set(other.fpSig);
    this.fpExp.set(other.fpExp);
    this.rip = other.rip;
    this.fsBase = other.fsBase;
    this.gsBase = other.gsBase;
    this.flagOp = other.flagOp;
    this.flagSize = other.flagSize;
    this.flagResLo = other.flagResLo;
    this.flagResHi = other.flagResHi;
    this.flagALo = other.flagALo;
    this.flagAHi = other.flagAHi;
    this.flagBLo = other.flagBLo;
    this.flagBHi = other.flagBHi;
    this.carry = other.carry;
    this.overflow = other.overflow;
    this.flagsWord = other.flagsWord;
    this.controlFlags = other.controlFlags;
    this.mxcsr = other.mxcsr;
    this.fpValid = other.fpValid;
    this.fpTop = other.fpTop;
    this.fpuControl = other.fpuControl;
    this.fpuStatus = other.fpuStatus;
    this.fpuIp = other.fpuIp;
    this.fpuOpcode = other.fpuOpcode;
    this.fpuDp = other.fpuDp;
  }

  /** The state a new program starts in (Linux's start_thread and FPU reset at execve): every
   *  register zero, IF set, default MXCSR and FCW, empty x87 stack, no FS/GS base. */
  resetForExec(): void {
    this.regs.fill(0);
    this.xmm.fill(0);
    this.fpSig.fill(0);
    this.fpExp.fill(0);
    this.fsBase = 0;
    this.gsBase = 0;
    this.flagOp = FlagOp.Explicit;
    this.flagsWord = 0;
    this.carry = 0;
    this.overflow = 0;
    this.controlFlags = 0x202;
    this.mxcsr = 0x1f80;
    this.fpValid = 0;
    this.fpTop = 0;
    this.fpuControl = 0x37f;
    this.fpuStatus = 0;
    this.fpuIp = 0;
    this.fpuOpcode = 0;
    this.fpuDp = 0;
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

  /** Sets register r from a 64-bit BigInt (the 128/64 division slow path, ops/muldiv.ts). */
  setU64(r: number, value: bigint): void {
    this.regs[2 * r] = Number(value & 0xffffffffn);
    this.regs[2 * r + 1] = Number((value >> 32n) & 0xffffffffn);
  }
}
