// Fault injection (strace -e inject=): before a call that enters the kernel runs, the injector
// may answer it instead (the call does not run) and may send the process a signal, as strace
// does by tampering with the tracee at syscall entry.
import type { SyscallEvent } from '../../trace/event.js';

/** What an injection does to one call. */
export interface Tampering {
  /** The call does not run and returns this: a result, or -errno. */
  result?: number;
  /** This signal is sent to the process as the call enters the kernel (si_code SI_KERNEL). */
  signal?: number;
}

export interface SyscallInjector {
  /** Asked before each call that enters the kernel (not vDSO or vsyscall ones); null leaves the
   *  call alone. */
  tamper(ev: SyscallEvent): Tampering | null;
}
