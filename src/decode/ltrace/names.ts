// The names ltrace 0.7.3 prints: syscalls from its own tables (sysdeps/linux-gnu/x86/
// syscallent1.h for x86-64, syscallent.h for i386), which end at 311 and 348 and differ from
// strace's in a few places; signals from its signalent (1..31) and glibc's strsignal.
import { i386ByNumber, syscallByNumber } from '../syscalls.js';
import { signalName } from '../constants/signals.js';

interface NameTable {
  /** The first number past ltrace's table: printed as a number. */
  end: number;
  /** Where ltrace's name differs from strace's; null: ltrace has only the number. */
  differences: ReadonlyMap<number, string | null>;
  lookup(nr: number): string | undefined;
}

const X86_64: NameTable = {
  end: 312,
  differences: new Map([[17, 'pread'], [18, 'pwrite'], [214, 'epoll_ctl'], [215, 'epoll_wait']]),
  lookup: (nr) => syscallByNumber(nr)?.name,
};

const I386: NameTable = {
  end: 349,
  differences: new Map<number, string | null>([
    [219, 'madvise1'],
    ...[222, 223, 251, 260, 261, 262, 263, 264, 265, 266, 267, 278, 279, 280, 281, 282, 285].map((nr) => [nr, null] as const),
  ]),
  lookup: (nr) => i386ByNumber(nr)?.name,
};

/** `write`, or the number when ltrace's table has no name for it (`SYS_334`). */
export function ltraceSyscallName(nr: number, abi?: 'i386'): string {
  const table = abi === 'i386' ? I386 : X86_64;
  if (nr < 0 || nr >= table.end) return String(nr);
  const name = table.differences.has(nr) ? table.differences.get(nr) : table.lookup(nr);
  return name ?? String(nr);
}

/** glibc's strsignal texts, which ltrace prints beside the name. */
const SIGNAL_MESSAGES: readonly string[] = [
  '', 'Hangup', 'Interrupt', 'Quit', 'Illegal instruction', 'Trace/breakpoint trap', 'Aborted', 'Bus error',
  'Floating point exception', 'Killed', 'User defined signal 1', 'Segmentation fault', 'User defined signal 2',
  'Broken pipe', 'Alarm clock', 'Terminated', 'Stack fault', 'Child exited', 'Continued', 'Stopped (signal)',
  'Stopped', 'Stopped (tty input)', 'Stopped (tty output)', 'Urgent I/O condition', 'CPU time limit exceeded',
  'File size limit exceeded', 'Virtual timer expired', 'Profiling timer expired', 'Window changed', 'I/O possible',
  'Power failure', 'Bad system call',
];
/** glibc's SIGRTMIN (32 and 33 are its threads' own). */
const LIBC_SIGRTMIN = 34;

/** ltrace's short name of a signal: its signalent stops at 31. */
export function ltraceSignalName(sig: number): string {
  return sig > 0 && sig < 32 ? signalName(sig)! : 'UNKNOWN_SIGNAL';
}

/** strsignal(sig) as glibc words it. */
export function signalMessage(sig: number): string {
  if (sig > 0 && sig < SIGNAL_MESSAGES.length) return SIGNAL_MESSAGES[sig];
  if (sig >= LIBC_SIGRTMIN && sig <= 64) return `Real-time signal ${sig - LIBC_SIGRTMIN}`;
  return `Unknown signal ${sig}`;
}
