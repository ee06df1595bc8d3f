// Signal names and the constants of the signal syscalls and siginfo (x86-64).

import { styled } from '../style.js';
import type { Xlat } from '../xlat.js';

/** signalent: index = signal number; 32 is SIGRTMIN, 33..64 print as SIGRT_1..SIGRT_32. */
const SIGNAL_NAMES: readonly string[] = [
  '0', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS',
  'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM',
  'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG',
  'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
  'SIGRTMIN',
];
export const ASM_SIGRTMIN = 32;
export const ASM_SIGRTMAX = 64;

/** The name strace gives signal `sig` (`SIGSEGV`, `SIGRT_2`), or undefined. */
export function signalName(sig: number): string | undefined {
  if (sig > 0 && sig < SIGNAL_NAMES.length) return SIGNAL_NAMES[sig];
  if (sig >= ASM_SIGRTMIN && sig <= ASM_SIGRTMAX) return 'SIGRT_' + (sig - ASM_SIGRTMIN);
  return undefined;
}

/** strace's printsignal: the name, or the number in decimal (-X: style.ts). */
export function printSignal(sig: number): string {
  const name = signalName(sig);
  return name === undefined ? String(sig) : styled(String(sig), name);
}

/** Signal number by name (`SIGSEGV` or `SEGV`), or undefined. */
export function signalByName(name: string): number | undefined {
  const n = name.startsWith('SIG') ? name : 'SIG' + name;
  const i = SIGNAL_NAMES.indexOf(n);
  if (i > 0) return i;
  const m = /^SIGRT_(\d+)$/.exec(n);
  if (m && Number(m[1]) <= ASM_SIGRTMAX - ASM_SIGRTMIN) return ASM_SIGRTMIN + Number(m[1]);
  return undefined;
}

/** The short name used inside signal masks (`INT`, `RTMIN`, `RT_2`), or undefined. */
export function maskSignalName(sig: number): string | undefined {
  if (sig > 0 && sig < SIGNAL_NAMES.length) return SIGNAL_NAMES[sig].slice(3);
  if (sig >= ASM_SIGRTMIN && sig <= ASM_SIGRTMAX) return 'RT_' + (sig - ASM_SIGRTMIN);
  return undefined;
}

export const SA_RESTORER = 0x04000000;

export const SA_FLAGS: Xlat = [
  [0x04000000, 'SA_RESTORER'],
  [0x08000000, 'SA_ONSTACK'],
  [0x10000000, 'SA_RESTART'],
  [0x20000000, 'SA_INTERRUPT'],
  [0x40000000, 'SA_NODEFER'],
  [0x80000000, 'SA_RESETHAND'],
  [0x4, 'SA_SIGINFO'],
  [0x1, 'SA_NOCLDSTOP'],
  [0x2, 'SA_NOCLDWAIT'],
];

/** sa_handler special values; SIG_ERR is -1 (all ones), handled by the printer. */
export const SA_HANDLERS: Xlat = [
  [0, 'SIG_DFL'],
  [1, 'SIG_IGN'],
];

export const SIGPROCMASK_HOW: Xlat = [
  [0, 'SIG_BLOCK'],
  [1, 'SIG_UNBLOCK'],
  [2, 'SIG_SETMASK'],
];

/** si_code values common to all signals (negative ones from user space). */
export const SI_CODES: Xlat = [
  [0, 'SI_USER'],
  [0x80, 'SI_KERNEL'],
  [-1, 'SI_QUEUE'],
  [-2, 'SI_TIMER'],
  [-3, 'SI_MESGQ'],
  [-4, 'SI_ASYNCIO'],
  [-5, 'SI_SIGIO'],
  [-6, 'SI_TKILL'],
  [-7, 'SI_DETHREAD'],
  [-60, 'SI_ASYNCNL'],
];
export const SI_USER = 0;
export const SI_QUEUE = -1;
export const SI_TIMER = -2;
export const SI_SIGIO = -5;
export const SI_TKILL = -6;

/** si_code values specific to one signal, by signal number. */
export const SI_CODES_BY_SIGNAL: Readonly<Record<number, Xlat>> = {
  4: [
    [1, 'ILL_ILLOPC'], [2, 'ILL_ILLOPN'], [3, 'ILL_ILLADR'], [4, 'ILL_ILLTRP'],
    [5, 'ILL_PRVOPC'], [6, 'ILL_PRVREG'], [7, 'ILL_COPROC'], [8, 'ILL_BADSTK'],
  ],
  5: [[1, 'TRAP_BRKPT'], [2, 'TRAP_TRACE'], [3, 'TRAP_BRANCH'], [4, 'TRAP_HWBKPT'], [5, 'TRAP_UNK'], [6, 'TRAP_PERF']],
  7: [[1, 'BUS_ADRALN'], [2, 'BUS_ADRERR'], [3, 'BUS_OBJERR'], [4, 'BUS_MCEERR_AR'], [5, 'BUS_MCEERR_AO']],
  8: [
    [1, 'FPE_INTDIV'], [2, 'FPE_INTOVF'], [3, 'FPE_FLTDIV'], [4, 'FPE_FLTOVF'], [5, 'FPE_FLTUND'],
    [6, 'FPE_FLTRES'], [7, 'FPE_FLTINV'], [8, 'FPE_FLTSUB'], [14, 'FPE_FLTUNK'], [15, 'FPE_CONDTRAP'],
  ],
  11: [
    [1, 'SEGV_MAPERR'], [2, 'SEGV_ACCERR'], [3, 'SEGV_BNDERR'], [4, 'SEGV_PKUERR'], [5, 'SEGV_ACCADI'],
    [6, 'SEGV_ADIDERR'], [7, 'SEGV_ADIPERR'], [8, 'SEGV_MTEAERR'], [9, 'SEGV_MTESERR'],
  ],
  17: [
    [1, 'CLD_EXITED'], [2, 'CLD_KILLED'], [3, 'CLD_DUMPED'], [4, 'CLD_TRAPPED'], [5, 'CLD_STOPPED'],
    [6, 'CLD_CONTINUED'],
  ],
  29: [[1, 'POLL_IN'], [2, 'POLL_OUT'], [3, 'POLL_MSG'], [4, 'POLL_ERR'], [5, 'POLL_PRI'], [6, 'POLL_HUP']],
  31: [[1, 'SYS_SECCOMP'], [2, 'SYS_USER_DISPATCH']],
};
export const CLD_EXITED = 1;

export const AUDIT_ARCH: Xlat = [
  [0xc000003e, 'AUDIT_ARCH_X86_64'],
  [0x40000003, 'AUDIT_ARCH_I386'],
];

/** sigaltstack's ss_flags. */
export const SS_FLAGS: Xlat = [
  [1, 'SS_ONSTACK'],
  [2, 'SS_DISABLE'],
  [0x80000000, 'SS_AUTODISARM'],
];

/** setitimer/getitimer's `which`. */
export const ITIMER_WHICH: Xlat = [
  [0, 'ITIMER_REAL'],
  [1, 'ITIMER_VIRTUAL'],
  [2, 'ITIMER_PROF'],
];

/** struct sigevent's sigev_notify. */
export const SIGEV_NOTIFY: Xlat = [
  [0, 'SIGEV_SIGNAL'],
  [1, 'SIGEV_NONE'],
  [2, 'SIGEV_THREAD'],
  [4, 'SIGEV_THREAD_ID'],
];
