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
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const TRAP_BRKPT = 1;
/** Sent by the kernel for #GP and friends (si_addr 0). */
export const SI_KERNEL = 0x80;

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
