// Synchronous exceptions an instruction raises, already translated to the Linux signal the guest
// receives. Thrown as plain objects (no stack capture) and caught by the run loop.

export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGSEGV = 11;

/** si_code values (include/uapi/asm-generic/siginfo.h). */
export const ILL_ILLOPC = 1;
export const ILL_ILLOPN = 2;
export const FPE_INTDIV = 1;
export const FPE_INTOVF = 2;
/** Floating-point si_codes (x87 and SSE): division by zero, overflow, underflow, inexact, invalid. */
export const FPE_FLTDIV = 3;
export const FPE_FLTOVF = 4;
export const FPE_FLTUND = 5;
export const FPE_FLTRES = 6;
export const FPE_FLTINV = 7;
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const TRAP_BRKPT = 1;
/** Sent by the kernel for #GP and friends (si_addr 0). */
export const SI_KERNEL = 0x80;

/** The siginfo fields of a SIGSYS from a seccomp filter (SECCOMP_RET_TRAP). */
export interface SeccompSigInfo {
  /** si_errno: the filter's 16-bit data. */
  errno: number;
  /** si_call_addr: the address after the syscall instruction. */
  callAddr: number;
  /** si_syscall and si_arch. */
  syscall: number;
  arch: number;
}

export const SIGSYS = 31;
/** si_code of a seccomp SIGSYS. */
export const SYS_SECCOMP = 1;

export class CpuException {
  constructor(
    readonly signal: number,
    readonly code: number,
    /** si_addr: the faulting data address for SIGSEGV, the instruction address otherwise. */
    readonly addr: number,
    /** A one-line diagnostic for emtrace's own stderr (e.g. the undecodable bytes). */
    readonly detail = '',
    /** A trap (INT3): the instruction completed and RIP already points past it. Faults leave RIP
     *  at the faulting instruction. */
    readonly trap = false,
    /** For a seccomp SIGSYS: its extra siginfo fields. */
    readonly seccomp?: SeccompSigInfo,
  ) {}
}

/** #UD: an instruction the CPU (or this emulator) does not implement. */
export function invalidOpcode(rip: number, detail: string): CpuException {
  return new CpuException(SIGILL, ILL_ILLOPN, rip, detail);
}

/** #DE: division by zero or a quotient too large. */
export function divideError(rip: number): CpuException {
  return new CpuException(SIGFPE, FPE_INTDIV, rip);
}

/** #GP in user mode: Linux sends SIGSEGV with SI_KERNEL and address 0. */
export function generalProtection(): CpuException {
  return new CpuException(SIGSEGV, SI_KERNEL, 0);
}
