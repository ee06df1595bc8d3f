// emtrace's decode library: the x86-64 syscall table and the strace formatter.
//
// Public API (everything the rest of the program imports from here):
//
// Syscall table
//   syscallByNumber(nr): SyscallRow | undefined       the row of a syscall number
//   syscallByName(name): SyscallRow | undefined       the row strace calls `name`
//   syscallNumber(name): number | undefined           number of a syscall name
//   syscallName(nr): string                           `read`, or `syscall_0x3e7` when unknown
//   syscallsInClass(cls): number[]                    members of a trace class (%file → 'file')
//   allSyscalls(): readonly SyscallRow[]              every row, ascending
//   i386ByNumber(nr) / i386ByName(name)               the i386 table's rows (INT 0x80)
//   allI386Syscalls(): readonly SyscallRow[]          every i386 row, ascending
//   rowOf(ev) / eventName(ev)                         an event's row and name in its ABI's table
//   returnsFd(ev): boolean                            whether a successful call returned a new fd
//   inputRegions(ev, mem) / outputRegions(ev, mem)    guest bytes a call reads / wrote (record, replay)
//
// strace text
//   beginCall(ev, mem, opts?): PendingCall            at syscall entry: formats the input arguments
//   finishCall(pending, ev, mem, opts?): FinishedCall at exit: outputs and result ({call, result})
//   joinLine(call, result, startColumn?): string      `call` padded so `= …` starts at column 40
//   formatSyscall(ev, mem, opts?): string             both phases on one memory view (trace dumps)
//   resumedText(pending, finished): string            `<... read resumed>…)` for interleaved lines
//   errorText(errno): string                          `-1 ENOENT (No such file or directory)`
//   exitedLine(status) / killedLine(sig, core?)       `+++ exited with 0 +++` / `+++ killed by … +++`
//   personalityLine(pid, abi)                         `[ Process PID=1000 runs in 32 bit mode. ]`
//   signalLine(sig, info?) / formatSiginfo(info)      `--- SIGSEGV {si_signo=SIGSEGV, …} ---`
//   siginfoFromBytes(bytes): SigInfo                  read a 128-byte x86-64 siginfo_t
//
// Names
//   errnoName(n) / errnoMessage(n)                    `ENOENT` / glibc's strerror text
//   signalName(sig) / signalByName(name)              `SIGSEGV`, `SIGRT_2` / back to the number

export type {
  ArgSpec, Call, Dir, FormatOptions, MemRule, RetFormatter, SizeRule, SyscallRow, TraceClass,
} from './types.js';
export type { FinishedCall, PendingCall } from './format.js';
export type { Region } from './regions.js';
export type { SigInfo } from './process-lines.js';

export {
  allI386Syscalls, allSyscalls, eventName, i386ByName, i386ByNumber, returnsFd, rowOf, syscallByName, syscallByNumber, syscallName,
  syscallNumber, syscallsInClass,
} from './syscalls.js';
export { inputRegions, outputRegions } from './regions.js';
export { beginCall, errorText, finishCall, formatSyscall, joinLine, RESULT_COLUMN, resumedText } from './format.js';
export { exitedLine, formatSiginfo, killedLine, personalityLine, siginfoFromBytes, signalLine } from './process-lines.js';
export { errnoMessage, errnoName } from './constants/errno.js';
export { signalByName, signalName } from './constants/signals.js';
