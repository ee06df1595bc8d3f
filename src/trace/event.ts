// What one syscall looks like to every sink (strace text, trace file, summary, replay checker).
import { VIRTUAL_EPOCH_NS } from '../emulator/kernel/clock.js';

/** One syscall as the emulated kernel saw it. */
export interface SyscallEvent {
  /** 0-based position of this call in the run. */
  seq: number;
  pid: number;
  tid: number;
  /** Instructions retired before the syscall instruction. */
  icount: number;
  /** Address of the syscall instruction. */
  rip: number;
  nr: number;
  /** The six argument registers RDI, RSI, RDX, R10, R8, R9 as raw 32-bit halves:
   *  [lo0, hi0, lo1, hi1, ...]. Read them with the helpers below. */
  args: Int32Array;
  /** RAX after the call as a signed 64-bit value (exact below 2^53 in magnitude, which covers
   *  every address and size the kernel returns). NaN while the call has not returned, and for
   *  calls that never return (exit, exit_group, a successful execve's old image). */
  ret: number;
  /** The positive errno when the call failed (ret is -errno), else 0. */
  errno: number;
  /** RSP at the syscall, for the calls whose decoding needs it (rt_sigreturn reads its frame
   *  there). */
  sp?: number;
  /** 'i386': made with INT 0x80 (the i386 ABI): nr is an i386 number, args are EBX, ECX, EDX,
   *  ESI, EDI, EBP. Absent for the x86-64 ABI. */
  abi?: 'i386';
  /** How the call reached the kernel when not by a syscall instruction: 'vdso' (a vDSO function)
   *  or 'vsyscall' (the legacy vsyscall page). strace sees neither. */
  via?: 'vdso' | 'vsyscall';
  /** What the descriptors the call names in its arguments referred to at entry (-100: the
   *  working directory, for AT_FDCWD); filled when an observer describesFds (strace -y, -P). */
  fds?: FdNames;
  /** What the descriptors the call returned or wrote (open's result, pipe's pair) refer to. */
  newFds?: FdNames;
  /** Nanoseconds the guest had slept before the call (the virtual clock's advance beyond the
   *  instruction count: see eventTime); absent when none. */
  slept?: number;
  /** Nanoseconds the call took on the virtual clock (its sleeps); absent when none. */
  duration?: number;
  /** The call did not run: a fault injection (strace -e inject) gave its result. */
  injected?: boolean;
  /** A successful execve's new program, which a replay loads in its place. */
  exec?: ExecRecord;
}

/** The program an execve started: its ELF file, and the arguments when a `#!` line changed them
 *  (latin1 strings: the bytes as given). */
export interface ExecRecord {
  path: string;
  sha256: string;
  argv?: string[];
}

/** What a descriptor referred to, as strace -y shows it: the path (`/etc/passwd`, `pipe:[3]`)
 *  and, for a device, its type and number (`char 1:3`, shown by -yy). */
export interface FdName {
  path: string;
  dev?: string;
  /** What -yy shows in place of the path: a socket's protocol, inode and addresses. */
  detail?: string;
}

/** Descriptor descriptions by descriptor number. */
export type FdNames = Record<number, FdName>;

/** Where and when a call is made (SyscallEvent's fields of the same names), known before it
 *  runs (observers' wants()). */
export interface CallSite {
  /** The calling thread (absent: the process's main thread, tid = pid). */
  readonly tid?: number;
  readonly icount: number;
  readonly rip: number;
  readonly slept?: number;
}

/** What distinguishes a call besides its number, known before it runs (observers' wants()). */
export interface CallOrigin {
  readonly abi?: 'i386';
  readonly via?: 'vdso' | 'vsyscall';
}

/** How a process ended, as wait(2) would report it. */
export type ExitStatus = { kind: 'exited'; code: number } | { kind: 'killed'; signal: number; coreDumped: boolean };

/** A signal delivered to a process, with the siginfo fields strace prints. */
export interface SignalEvent {
  pid: number;
  tid: number;
  /** Instructions retired when it was delivered, and where the thread was. */
  icount: number;
  rip: number;
  signo: number;
  /** si_code. */
  code: number;
  /** si_addr, for faults. */
  addr?: number;
  /** For a SIGSYS from a seccomp filter: si_errno, si_call_addr, si_syscall, si_arch. */
  seccomp?: { errno: number; callAddr: number; syscall: number; arch: number };
  /** For a signal a process sent (kill, tgkill, tkill): si_pid and si_uid. */
  sender?: { pid: number; uid: number };
  /** For a POSIX timer's signal: si_timerid and si_overrun. */
  timer?: { id: number; overrun: number };
  /** si_value (a POSIX timer's sigev_value), as the 64-bit union. */
  value?: bigint;
  /** For SIGCHLD: si_status (the exit code, or the signal for CLD_KILLED, CLD_DUMPED,
   *  CLD_STOPPED and CLD_CONTINUED) and the child's si_utime and si_stime in clock ticks;
   *  `sender` is the child. */
  child?: { status: number; utime: number; stime: number };
  /** Sent to the process (kill, a timer) rather than raised by the instruction at rip: a replay
   *  delivers it from the recording, at the same instruction count. */
  async?: boolean;
  /** Nanoseconds the guest had slept before it (see SyscallEvent.slept); absent when none. */
  slept?: number;
}

/** The end of a process, or of one thread of it. */
export interface ExitEvent {
  pid: number;
  /** The thread that ended when not the main one (strace prints `+++ exited` per thread). */
  tid?: number;
  icount: number;
  status: ExitStatus;
  /** Nanoseconds the guest had slept before it (see SyscallEvent.slept); absent when none. */
  slept?: number;
}

/** When an event happened on the virtual clock, in nanoseconds since the Unix epoch: its
 *  instruction count (one nanosecond each) plus what the guest had slept. emtrace's timestamps
 *  (-t, -r, -T) read this timeline, so they are the same on every run. */
export function eventTime(ev: { icount: number; slept?: number }): bigint {
  return VIRTUAL_EPOCH_NS + BigInt(ev.icount) + BigInt(ev.slept ?? 0);
}

/** A range of guest memory with its bytes (or, for a large recorded input, the hash of its bytes
 *  and only the first ones). */
export interface MemoryRange {
  addr: number;
  len: number;
  /** All `len` bytes, or with `sha256` only the first few. */
  data: Uint8Array;
  sha256?: string;
}

/** Reads guest memory for a formatter: live memory while tracing, recorded bytes when dumping. */
export interface GuestMemoryReader {
  /** `len` bytes at `addr`, or null when any of them is unmapped or unreadable. */
  readBytes(addr: number, len: number): Uint8Array | null;
  /** A NUL-terminated string of at most `max` bytes (the NUL not counted): `terminated` is false
   *  when `max` bytes were read without meeting a NUL. Null when the first byte is unreadable;
   *  a fault after some bytes ends the string there, unterminated. */
  readCString(addr: number, max: number): { bytes: Uint8Array; terminated: boolean } | null;
}

export function newArgs(): Int32Array {
  return new Int32Array(12);
}

/** Argument i as a signed 32-bit int (how the kernel reads an `int`: fd, flags, mode...). */
export function argInt(args: Int32Array, i: number): number {
  return args[2 * i];
}

/** Argument i as an unsigned 32-bit value. */
export function argUint(args: Int32Array, i: number): number {
  return args[2 * i] >>> 0;
}

/** Argument i as an unsigned 64-bit number; exact below 2^53 (addresses, sizes). */
export function argUlong(args: Int32Array, i: number): number {
  return (args[2 * i + 1] >>> 0) * 4294967296 + (args[2 * i] >>> 0);
}

/** Argument i as a signed 64-bit number (a `long`, `off_t` or `ssize_t`); exact below 2^53. */
export function argLong(args: Int32Array, i: number): number {
  return args[2 * i + 1] * 4294967296 + (args[2 * i] >>> 0);
}

/** Argument i as an exact unsigned 64-bit BigInt (for printing values that may not fit a double). */
export function argU64(args: Int32Array, i: number): bigint {
  return (BigInt(args[2 * i + 1] >>> 0) << 32n) | BigInt(args[2 * i] >>> 0);
}

/** An exact unsigned 64-bit value: a number when below 2^53 (every user-space address, every
 *  size), a bigint otherwise, so that no printer can lose low bits. */
export type U64 = number | bigint;

/** Argument i as an exact unsigned 64-bit value (see U64). */
export function argExact(args: Int32Array, i: number): U64 {
  const hi = args[2 * i + 1] >>> 0;
  const lo = args[2 * i] >>> 0;
  if (hi < 0x200000) return hi * 4294967296 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Argument i in hexadecimal as strace prints a pointer or unknown value: `0x1f`, or `0` for zero. */
export function argHex(args: Int32Array, i: number): string {
  const hi = args[2 * i + 1] >>> 0;
  const lo = args[2 * i] >>> 0;
  if (hi === 0) return lo === 0 ? '0' : '0x' + lo.toString(16);
  return '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
}
