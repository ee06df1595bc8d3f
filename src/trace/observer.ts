// What the kernel tells a tracer. The kernel calls these only when an observer is attached and,
// per call, only when `wants` says so: tracing off costs one null check per syscall.
import type { GuestMemoryReader, SyscallEvent } from './event.js';

/** How a process ended, as wait(2) would report it. */
export type ExitStatus = { kind: 'exited'; code: number } | { kind: 'killed'; signal: number; coreDumped: boolean };

/** A signal delivered to the guest, with the siginfo fields strace prints. */
export interface SignalInfo {
  signal: number;
  code: number;
  /** si_addr for faults; undefined for signals without an address. */
  addr?: number;
}

export interface SyscallObserver {
  /** Whether syscall `nr` is to be observed; asked before the call runs. */
  wants(nr: number): boolean;
  /** Before the kernel runs the call; `mem` reads guest memory as it is at entry. */
  enter(ev: SyscallEvent, mem: GuestMemoryReader): void;
  /** After the call, with ev.ret and ev.errno set (ret is NaN for calls that do not return). */
  exit(ev: SyscallEvent, mem: GuestMemoryReader): void;
  /** A signal is delivered to the process (before its handler or default action runs). */
  signal(pid: number, info: SignalInfo): void;
  /** The process ended. */
  processExit(pid: number, status: ExitStatus): void;
}
