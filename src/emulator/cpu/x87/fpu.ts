// The x87 register stack and status word as the instruction semantics use them: ST(i) access,
// push/pop with the tag bits, the per-instruction prologue (a pending unmasked exception raises
// #MF, which Linux turns into SIGFPE, before a waiting instruction runs; the last-instruction
// pointers), `commit`, which records an operation's exception flags with the x87's rules for
// which result still gets written, and the operand prologues of the register arithmetic.
import { CpuException, FPE_FLTDIV, FPE_FLTINV, FPE_FLTOVF, FPE_FLTRES, FPE_FLTUND, SIGFPE } from '../faults.js';
import type { Insn } from '../insn.js';
import type { Cpu } from '../state.js';
import { C1, C2, DE, ES, fx, IE, indefinite, Kind, kindOf, OE, PE, R, SF, UE, ZE } from './float80.js';

/** TOP's position in the status word. */
export const TOP_SHIFT = 11;

/** The full status word, TOP included. */
export function statusWord(cpu: Cpu): number {
  return cpu.fpuStatus | (cpu.fpTop << TOP_SHIFT);
}

/** Sets the status word (TOP included); ES and B follow the flags and masks. */
export function setStatusWord(cpu: Cpu, value: number): void {
  cpu.fpTop = (value >> TOP_SHIFT) & 7;
  cpu.fpuStatus = value & ~(7 << TOP_SHIFT);
  summarize(cpu);
}

/** Recomputes ES and B: set exactly when an exception flag is set whose mask bit is clear. */
export function summarize(cpu: Cpu): void {
  const s = cpu.fpuStatus & ~0x8080;
  cpu.fpuStatus = s & ~cpu.fpuControl & 0x3f ? s | 0x8080 : s;
}

/** FLDCW semantics for any control word load: reserved bits 7 and 13-15 read as 0, bit 6 as 1. */
export function setControlWord(cpu: Cpu, value: number): void {
  cpu.fpuControl = (value & 0x1f3f) | 0x40;
  summarize(cpu);
}

/** The SIGFPE a pending unmasked x87 exception raises at `rip` (si_code as Linux derives it). */
export function pendingException(cpu: Cpu, rip: number): CpuException {
  const err = cpu.fpuStatus & ~cpu.fpuControl & 0x3f;
  let code = 0;
  if (err & IE) code = FPE_FLTINV;
  else if (err & ZE) code = FPE_FLTDIV;
  else if (err & OE) code = FPE_FLTOVF;
  else if (err & (DE | UE)) code = FPE_FLTUND;
  else if (err & PE) code = FPE_FLTRES;
  return new CpuException(SIGFPE, code, rip, '', false);
}

/** The prologue of a waiting x87 instruction without a memory operand. */
export function begin(cpu: Cpu, i: Insn): void {
  if (cpu.fpuStatus & ES) throw pendingException(cpu, i.rip);
  cpu.fpuIp = i.rip;
  cpu.fpuOpcode = i.imm;
}

/** Only the #MF check (control instructions, and memory forms before their operand is read). */
export function waitCheck(cpu: Cpu, i: Insn): void {
  if (cpu.fpuStatus & ES) throw pendingException(cpu, i.rip);
}

/** The last-instruction pointers of a memory form, once its operand has been read. */
export function noteMemory(cpu: Cpu, i: Insn, addr: number): void {
  cpu.fpuIp = i.rip;
  cpu.fpuOpcode = i.imm;
  cpu.fpuDp = addr;
}

// ---------------------------------------------------------------- registers

export function isEmpty(cpu: Cpu, st: number): boolean {
  return ((cpu.fpValid >> ((cpu.fpTop + st) & 7)) & 1) === 0;
}

/** ST(st)'s bits 64-79. */
export function seOf(cpu: Cpu, st: number): number {
  return cpu.fpExp[(cpu.fpTop + st) & 7];
}

export function hiOf(cpu: Cpu, st: number): number {
  return cpu.fpSig[2 * ((cpu.fpTop + st) & 7) + 1] >>> 0;
}

export function loOf(cpu: Cpu, st: number): number {
  return cpu.fpSig[2 * ((cpu.fpTop + st) & 7)] >>> 0;
}

/** Writes ST(st) and marks it valid. */
export function writeSt(cpu: Cpu, st: number, se: number, hi: number, lo: number): void {
  const p = (cpu.fpTop + st) & 7;
  cpu.fpExp[p] = se;
  cpu.fpSig[2 * p] = lo;
  cpu.fpSig[2 * p + 1] = hi;
  cpu.fpValid |= 1 << p;
}

/** Decrements TOP (the caller writes the new ST(0)). */
export function push(cpu: Cpu): void {
  cpu.fpTop = (cpu.fpTop - 1) & 7;
}

/** Marks ST(0) empty and increments TOP. */
export function pop(cpu: Cpu): void {
  cpu.fpValid &= ~(1 << cpu.fpTop);
  cpu.fpTop = (cpu.fpTop + 1) & 7;
}

// ---------------------------------------------------------------- exceptions

/** The FCW fields an operation needs. */
export function precisionOf(cpu: Cpu): number {
  const pc = (cpu.fpuControl >> 8) & 3;
  return pc === 0 ? 24 : pc === 2 ? 53 : 64; // 01 is reserved and behaves as 64 bits
}

export function roundingOf(cpu: Cpu): number {
  return (cpu.fpuControl >> 10) & 3;
}

export function masksOf(cpu: Cpu): number {
  return cpu.fpuControl & 0x3f;
}

/**
 * Whether an operation with these exception flags (FSW bit positions; C1 = rounded up) writes its
 * result: not after an unmasked invalid operation, division by zero or denormal operand, nor
 * after an unmasked overflow or underflow when the destination is memory (`memoryDest`; a
 * register destination gets the exponent-adjusted result).
 */
export function writes(cpu: Cpu, flags: number, memoryDest = false): boolean {
  const unmasked = flags & ~cpu.fpuControl & 0x3f;
  if (flags & IE) return (unmasked & IE) === 0;
  if (flags & ZE) return (unmasked & ZE) === 0;
  if (unmasked & DE) return false;
  return !(memoryDest && unmasked & (OE | UE));
}

/**
 * Records an operation's exception flags in the status word and says whether its result is
 * written (see `writes`). Invalid operation and division by zero are reported alone; an unmasked
 * denormal operand alone too; a suppressed memory store reports no PE (unless already set) and
 * clears C1. C1 is cleared unless the flags set it (`keepC1`: left as it was, except by a stack
 * fault).
 */
export function commit(cpu: Cpu, flags: number, memoryDest = false, keepC1 = false): boolean {
  const before = cpu.fpuStatus;
  let status = keepC1 && !(flags & SF) ? before : before & ~C1;
  const write = writes(cpu, flags, memoryDest);
  if (flags & IE) status |= flags & (IE | SF | C1);
  else if (flags & ZE) status |= ZE;
  else if (flags & ~cpu.fpuControl & DE) status |= DE;
  else {
    status |= flags & (DE | OE | UE | PE | C1);
    if (!write) {
      status &= ~C1;
      if (!(before & PE)) status &= ~PE;
    }
  }
  cpu.fpuStatus = status;
  summarize(cpu);
  return write;
}

/** Stack underflow (an empty source register): IE with SF, C1 = 0. */
export const UNDERFLOW = IE | SF;
/** Stack overflow (a push onto a non-empty register): IE with SF, C1 = 1. */
export const OVERFLOW = IE | SF | C1;

/** Records `flags` (commit) and, unless an unmasked exception suppresses the result, writes R to
 *  ST(dest), then pops when `thenPop`. */
export function writeResult(cpu: Cpu, flags: number, dest = 0, thenPop = false): void {
  if (!commit(cpu, flags)) return;
  writeSt(cpu, dest, R.se, R.hi, R.lo);
  if (thenPop) pop(cpu);
}

// ---------------------------------------------------------------- register-operand prologues
// Of the instructions that compute from ST(0) (and ST(1)): begin, fx.flags = 0 (and C2 = 0 with
// `clearC2`), then the stack-fault check. They return false after the fault's response (the
// indefinite as the result, when IE is masked); true with the operands loaded into X (ST(0)) and
// Y (ST(1)).

/** An ST(i) value: the packed parts and the kind. */
export interface StValue {
  se: number;
  hi: number;
  lo: number;
  kind: Kind;
}

export const X: StValue = { se: 0, hi: 0, lo: 0, kind: Kind.Zero };
export const Y: StValue = { se: 0, hi: 0, lo: 0, kind: Kind.Zero };

function load(cpu: Cpu, st: number, v: StValue): void {
  v.se = seOf(cpu, st);
  v.hi = hiOf(cpu, st);
  v.lo = loOf(cpu, st);
  v.kind = kindOf(v.se, v.hi, v.lo);
}

function start(cpu: Cpu, i: Insn, clearC2: boolean): void {
  begin(cpu, i);
  fx.flags = 0;
  if (clearC2) cpu.fpuStatus &= ~C2;
}

/** ST(0) -> ST(0): FSQRT, FRNDINT, F2XM1, FSIN, FCOS. */
export function st0Operand(cpu: Cpu, i: Insn, clearC2 = false): boolean {
  start(cpu, i, clearC2);
  if (isEmpty(cpu, 0)) {
    indefinite();
    writeResult(cpu, UNDERFLOW);
    return false;
  }
  load(cpu, 0, X);
  return true;
}

/** ST(0), ST(1) -> ST(dest): FSCALE, FPREM, FPREM1 (dest 0); FYL2X, FYL2XP1, FPATAN (dest 1,
 *  which pop). */
export function st01Operands(cpu: Cpu, i: Insn, dest: 0 | 1, clearC2 = false): boolean {
  start(cpu, i, clearC2);
  if (isEmpty(cpu, 0) || isEmpty(cpu, 1)) {
    indefinite();
    writeResult(cpu, UNDERFLOW, dest, dest === 1);
    return false;
  }
  load(cpu, 0, X);
  load(cpu, 1, Y);
  return true;
}

/** ST(0) -> ST(0) and a second result pushed: FXTRACT, FPTAN, FSINCOS. An empty ST(0) is a stack
 *  underflow, a full stack (ST(7) in use) an overflow; either response pushes a second indefinite. */
export function pushingOperand(cpu: Cpu, i: Insn, clearC2 = false): boolean {
  start(cpu, i, clearC2);
  if (!isEmpty(cpu, 0) && isEmpty(cpu, 7)) {
    load(cpu, 0, X);
    return true;
  }
  if (commit(cpu, isEmpty(cpu, 0) ? UNDERFLOW : OVERFLOW)) {
    indefinite();
    writeSt(cpu, 0, R.se, R.hi, R.lo);
    push(cpu);
    writeSt(cpu, 0, R.se, R.hi, R.lo);
  }
  return false;
}
