// What the kernel tells a tracer. The kernel calls these only when an observer is attached and,
// per call, only when `wants` says so: tracing off costs one null check per syscall.
import type { CallOrigin, CallSite, ExitEvent, GuestMemoryReader, MemoryRange, SignalEvent, SyscallEvent } from './event.js';

export type { ExitStatus } from './event.js';

/** What the kernel knows about a finished call beyond the event itself. */
export interface SyscallOutcome {
  /** Every range of guest memory the kernel wrote during the call, in order; null unless the
   *  observer asked for them (recordsWrites). */
  writes: MemoryRange[] | null;
  /** For a call that returned a new file descriptor: the path behind it. */
  fdPath?: string;
  /** Time from entry to exit on the guest's clocks (virtual: only sleeps and timeouts move it;
   *  host time with --host-time), in nanoseconds (strace -w, -T). */
  elapsedNs?: number;
}

export interface SyscallObserver {
  /** Whether syscall `nr` is to be observed; asked before every call runs (`origin`: its ABI
   *  when it is i386, and how it came when not by a syscall instruction; `pid`: the caller;
   *  `site`: where and when it is made, for what strace prints about untraced calls). */
  wants(nr: number, origin?: CallOrigin, pid?: number, site?: CallSite): boolean;
  /** True when the observer needs the bytes the kernel writes (a recorder). */
  readonly recordsWrites?: boolean;
  /** True when the observer needs what the call's descriptors refer to (SyscallEvent.fds and
   *  newFds: strace -y, -P, a recorder). */
  readonly describesFds?: boolean;
  /** Before the kernel runs the call; `mem` reads guest memory as it is at entry. */
  enter(ev: SyscallEvent, mem: GuestMemoryReader): void;
  /** After the call, with ev.ret and ev.errno set (ret is NaN for calls that do not return). */
  exit(ev: SyscallEvent, mem: GuestMemoryReader, outcome: SyscallOutcome): void;
  /** A signal is delivered to the process (before its handler or default action runs). */
  signal(ev: SignalEvent): void;
  /** The process ended. */
  processExit(ev: ExitEvent): void;
}

/** Several observers as one: each sees the calls it wants. */
export class ObserverGroup implements SyscallObserver {
  readonly recordsWrites: boolean;
  readonly describesFds: boolean;
  private interested: SyscallObserver[] = [];
  /** The members that wanted each thread's call in progress: another thread's call may come
   *  between one call's entry and its exit. */
  private readonly calls = new Map<number, SyscallObserver[]>();

  constructor(private readonly members: SyscallObserver[]) {
    this.recordsWrites = members.some((m) => m.recordsWrites);
    this.describesFds = members.some((m) => m.describesFds);
  }

  wants(nr: number, origin?: CallOrigin, pid?: number, site?: CallSite): boolean {
    this.interested = this.members.filter((m) => m.wants(nr, origin, pid, site));
    return this.interested.length > 0;
  }

  enter(ev: SyscallEvent, mem: GuestMemoryReader): void {
    this.calls.set(ev.tid, this.interested);
    for (const m of this.interested) m.enter(ev, mem);
  }

  exit(ev: SyscallEvent, mem: GuestMemoryReader, outcome: SyscallOutcome): void {
    const interested = this.calls.get(ev.tid) ?? this.interested;
    this.calls.delete(ev.tid);
    for (const m of interested) m.exit(ev, mem, outcome);
  }

  signal(ev: SignalEvent): void {
    for (const m of this.members) m.signal(ev);
  }

  processExit(ev: ExitEvent): void {
    for (const m of this.members) m.processExit(ev);
  }
}
