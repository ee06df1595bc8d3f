// A process's signal state: the actions (rt_sigaction), the blocked mask, the pending signals,
// the alternate stack and the timers that send signals (timers.ts). Generation and dequeueing
// follow Linux (kernel/signal.c): signals sent to the thread (tgkill, tkill, faults) and to the
// process (kill, timers) wait in two queues, and the thread's go first; in each, standard
// signals coalesce, real-time signals queue in order, synchronous fault signals go before the
// others, then the lowest number.
//
// One deliberate difference: a signal that is ignored when it is generated (SIG_IGN, or SIG_DFL
// whose default is to ignore) is discarded, as Linux does when no tracer is attached. strace
// shows such signals because ptrace makes the kernel queue them; emtrace models the process
// as it runs untraced.
import type { SeccompSigInfo } from '../cpu/faults.js';
import { Errno } from './errno.js';
import type { PosixTimer } from './timers.js';
import { Timers } from './timers.js';

export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGSEGV = 11;
export const SIGALRM = 14;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGURG = 23;
export const SIGXCPU = 24;
export const SIGXFSZ = 25;
export const SIGVTALRM = 26;
export const SIGPROF = 27;
export const SIGWINCH = 28;
export const SIGSYS = 31;
/** The highest signal number (SIGRTMAX); 32..64 are the real-time signals. */
export const NSIG = 64;
export const SIGRTMIN = 32;

export const SIG_DFL = 0n;
export const SIG_IGN = 1n;

export const SA_NOCLDSTOP = 0x1;
export const SA_NOCLDWAIT = 0x2;
export const SA_SIGINFO = 0x4;
export const SA_EXPOSE_TAGBITS = 0x800;
export const SA_RESTORER = 0x04000000;
export const SA_ONSTACK = 0x08000000;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000;
/** The sa_flags bits the kernel keeps (UAPI_SA_FLAGS): it clears the others. */
export const UAPI_SA_FLAGS =
  SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER;

export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
export const SS_AUTODISARM = 0x80000000;
/** The smallest alternate stack sigaltstack accepts. */
export const MINSIGSTKSZ = 2048;

/** si_code values. */
export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const SI_QUEUE = -1;
export const SI_TIMER = -2;
export const SI_TKILL = -6;

/** The "restart me" results of an interrupted syscall (never seen by the guest). */
export const ERESTARTSYS = 512;
export const ERESTARTNOINTR = 513;
export const ERESTARTNOHAND = 514;
export const ERESTART_RESTARTBLOCK = 516;

export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;

/** The bit of signal `sig` in a mask. */
export function sigbit(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}

export const ALL_SIGNALS = (1n << 64n) - 1n;
/** SIGKILL and SIGSTOP: never blocked, caught or ignored. */
export const UNBLOCKABLE = sigbit(SIGKILL) | sigbit(SIGSTOP);
/** Signals raised by faulting instructions: dequeued before the others. */
const SYNCHRONOUS_MASK = sigbit(SIGSEGV) | sigbit(SIGBUS) | sigbit(SIGILL) | sigbit(SIGTRAP) | sigbit(SIGFPE) | sigbit(SIGSYS);
const STOP_SIGNALS = sigbit(SIGSTOP) | sigbit(SIGTSTP) | sigbit(SIGTTIN) | sigbit(SIGTTOU);

export type DefaultAction = 'terminate' | 'core' | 'ignore' | 'stop';

const CORE_SIGNALS = [SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS];
const IGNORED_SIGNALS = [SIGCHLD, SIGCONT, SIGURG, SIGWINCH];

/** What SIG_DFL does with a signal (signal(7)). */
export function defaultAction(sig: number): DefaultAction {
  if (CORE_SIGNALS.includes(sig)) return 'core';
  if (IGNORED_SIGNALS.includes(sig)) return 'ignore';
  if ((STOP_SIGNALS & sigbit(sig)) !== 0n) return 'stop';
  return 'terminate';
}

/** A mask as the 8 bytes of a kernel sigset_t. */
export function maskBytes(mask: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, mask & ALL_SIGNALS, true);
  return b;
}

export function maskFromBytes(b: Uint8Array, offset = 0): bigint {
  return new DataView(b.buffer, b.byteOffset + offset, 8).getBigUint64(0, true);
}

/** A signal as the kernel queues it: the siginfo fields that matter here. */
export interface SigInfo {
  signo: number;
  code: number;
  /** si_errno. */
  errno?: number;
  /** si_addr of a fault. */
  addr?: number;
  /** si_pid and si_uid of a signal a process sent (kill, tgkill). */
  sender?: { pid: number; uid: number };
  /** si_timerid and si_overrun of a POSIX timer's signal. */
  timer?: { id: number; overrun: number };
  /** A SIGCHLD's si_status (the child's exit code or signal), si_utime and si_stime. */
  child?: { status: number; utime: number; stime: number };
  /** si_value (POSIX timers). */
  value?: bigint;
  /** The extra fields of a seccomp SIGSYS. */
  seccomp?: SeccompSigInfo;
  /** Sent from outside the instruction stream (kill, a timer): a replay delivers it from the
   *  recording instead of generating it. */
  async?: boolean;
  /** The POSIX timer that queued it (overrun bookkeeping). */
  origin?: PosixTimer;
  /** Sent to the process (kill, timers: Linux's shared pending queue) rather than to the
   *  thread (tgkill, tkill, faults). */
  shared?: boolean;
}

export interface SigAction {
  /** sa_handler: SIG_DFL, SIG_IGN or an address (any 64-bit value the guest gave). */
  handler: bigint;
  flags: number;
  restorer: bigint;
  mask: bigint;
}

export interface AltStack {
  sp: number;
  size: number;
  /** ss_flags as set (SS_DISABLE when there is none, SS_AUTODISARM). */
  flags: number;
}

/** The fault information of the last hardware trap (sigcontext's trapno, err and cr2): like
 *  Linux's thread.trap_nr, error_code and cr2 they stay until the next trap. */
export interface TrapInfo {
  trapno: number;
  err: number;
  cr2: number;
}

/** What the threads of a process share (signal_struct and sighand_struct): the actions, the
 *  signals sent to the process, the timers. */
export class SignalGroup {
  readonly actions: SigAction[] = Array.from({ length: NSIG + 1 }, () => ({ handler: SIG_DFL, flags: 0, restorer: 0n, mask: 0n }));
  /** Sent to the process (kill, timers) and not yet taken by one of its threads. */
  readonly pending: SigInfo[] = [];
  readonly timers = new Timers();
}

/** One thread's signal state, with its process's (`group`). */
export class SignalState {
  constructor(readonly group = new SignalGroup()) {}

  get actions(): SigAction[] {
    return this.group.actions;
  }

  get timers(): Timers {
    return this.group.timers;
  }

  blocked = 0n;
  /** Set while rt_sigsuspend, ppoll or pselect6 run with a temporary mask: the mask to put back
   *  (by the signal frame when a handler runs, else after the signal is dealt with). */
  savedMask: bigint | null = null;
  /** Sent to this thread (tgkill, tkill, faults) and not yet delivered, in the order they
   *  came. */
  readonly pending: SigInfo[] = [];
  /** None at first (its flags read 0 in a frame, as Linux's; sigaltstack reports SS_DISABLE). */
  altstack: AltStack = { sp: 0, size: 0, flags: 0 };
  lastTrap: TrapInfo = { trapno: 0, err: 0, cr2: 0 };
  /** RAX exactly as rt_sigreturn restored it (the kernel writes results as numbers). */
  restoredRax: [number, number] | null = null;

  /** Whether the signal would be ignored now (SIG_IGN, or SIG_DFL ignoring it). */
  ignores(sig: number): boolean {
    const handler = this.actions[sig].handler;
    return handler === SIG_IGN || (handler === SIG_DFL && defaultAction(sig) === 'ignore');
  }

  /** The signals pending for this thread: its own and its process's. */
  pendingMask(): bigint {
    let mask = 0n;
    for (const info of this.pending) mask |= sigbit(info.signo);
    for (const info of this.group.pending) mask |= sigbit(info.signo);
    return mask;
  }

  /** Every pending signal this thread may take: its own, then its process's. */
  allPending(): SigInfo[] {
    return [...this.pending, ...this.group.pending];
  }

  /** A pending signal is not blocked: the next delivery point delivers it (signal_pending()). */
  hasDeliverable(): boolean {
    return (this.pending.length > 0 || this.group.pending.length > 0) && (this.pendingMask() & ~this.blocked) !== 0n;
  }

  /**
   * Generates a signal for the process (send_signal): stop and continue signals cancel each
   * other's pending instances; an ignored unblocked signal is discarded; a standard signal
   * already pending is not queued twice. Returns whether it was queued.
   */
  send(info: SigInfo): boolean {
    const sig = info.signo;
    if (sig === SIGCONT) this.discard(STOP_SIGNALS);
    else if ((STOP_SIGNALS & sigbit(sig)) !== 0n) this.discard(sigbit(SIGCONT));
    if ((this.blocked & sigbit(sig)) === 0n && this.ignores(sig)) return false;
    const queue = info.shared === true ? this.group.pending : this.pending;
    if (sig < SIGRTMIN && queue.some((p) => p.signo === sig)) return false;
    queue.push(info);
    return true;
  }

  /** force_sig: a signal the process cannot refuse. Blocked or ignored, it is unblocked and
   *  its action reset to SIG_DFL (a blocked SIGSEGV from a fault kills). */
  force(info: SigInfo): void {
    this.unrefusable(info.signo);
    if (!this.pending.some((p) => p.signo === info.signo)) this.pending.push(info);
  }

  /** force_sig_info's preparation: unblocks `sig` and resets it to SIG_DFL when it was blocked
   *  or ignored. */
  unrefusable(sig: number): void {
    const bit = sigbit(sig);
    const action = this.actions[sig];
    if ((this.blocked & bit) !== 0n || action.handler === SIG_IGN) {
      action.handler = SIG_DFL;
      this.blocked &= ~bit;
    }
  }

  /** Drops every pending instance of the signals in `mask`. */
  discard(mask: bigint): void {
    for (const queue of [this.pending, this.group.pending]) {
      for (let k = queue.length - 1; k >= 0; k--) if ((mask & sigbit(queue[k].signo)) !== 0n) queue.splice(k, 1);
    }
  }

  /**
   * Takes the next pending signal among `allowed`: the thread's before the process's; in each
   * queue a synchronous one first, else the lowest number; of several instances of a real-time
   * signal, the first queued (dequeue_signal, next_signal).
   */
  dequeue(allowed: bigint): SigInfo | null {
    return this.dequeueFrom(allowed, false) ?? this.dequeueFrom(allowed, true);
  }

  private dequeueFrom(allowed: bigint, shared: boolean): SigInfo | null {
    const queue = shared ? this.group.pending : this.pending;
    let best = -1;
    for (let k = 0; k < queue.length; k++) {
      const sig = queue[k].signo;
      if ((allowed & sigbit(sig)) === 0n) continue;
      if (best < 0) {
        best = k;
        continue;
      }
      const current = queue[best].signo;
      const sync = (SYNCHRONOUS_MASK & sigbit(sig)) !== 0n;
      const currentSync = (SYNCHRONOUS_MASK & sigbit(current)) !== 0n;
      if ((sync && !currentSync) || (sync === currentSync && sig < current)) best = k;
    }
    if (best < 0) return null;
    const [info] = queue.splice(best, 1);
    if (info.origin) info.origin.delivered(info);
    return info;
  }

  /** Sets the blocked mask (SIGKILL and SIGSTOP cannot be blocked). */
  setBlocked(mask: bigint): void {
    this.blocked = mask & ALL_SIGNALS & ~UNBLOCKABLE;
  }

  /** rt_sigsuspend, ppoll, pselect6: run with `mask` until the call ends; the old mask comes
   *  back after the signal that ends it. */
  suspendWith(mask: bigint): void {
    this.savedMask = this.blocked;
    this.setBlocked(mask);
  }

  /** Puts the mask saved by suspendWith back (restore_saved_sigmask). */
  restoreSavedMask(): void {
    if (this.savedMask === null) return;
    this.blocked = this.savedMask;
    this.savedMask = null;
  }

  /** sas_ss_flags(sp): SS_DISABLE without a stack, SS_ONSTACK when sp is on it, else 0. */
  altstackFlags(sp: number): number {
    if (this.altstack.size === 0) return SS_DISABLE;
    return this.onAltstack(sp) ? SS_ONSTACK : 0;
  }

  /** on_sig_stack: sp is on the alternate stack (never with SS_AUTODISARM). */
  onAltstack(sp: number): boolean {
    if ((this.altstack.flags & SS_AUTODISARM) !== 0) return false;
    return this.withinAltstack(sp);
  }

  /** __on_sig_stack: sp lies on the alternate stack (which grows down from sp + size). */
  withinAltstack(sp: number): boolean {
    return sp > this.altstack.sp && sp - this.altstack.sp <= this.altstack.size;
  }

  /** What execve changes: handled signals go back to SIG_DFL (ignored ones stay ignored), every
   *  action loses its flags and mask, the alternate stack and the POSIX timers go; the mask,
   *  the pending signals and the interval timers stay (flush_signal_handlers, exit_itimers). */
  resetForExec(): void {
    this.actions.forEach((a, sig) => {
      this.actions[sig] = { handler: a.handler === SIG_IGN ? SIG_IGN : SIG_DFL, flags: 0, restorer: 0n, mask: 0n };
    });
    this.altstack = { sp: 0, size: 0, flags: 0 };
    this.timers.posix.clear();
  }

  /** sas_ss_reset (SS_AUTODISARM after switching to the stack). */
  resetAltstack(): void {
    this.altstack = { sp: 0, size: 0, flags: SS_DISABLE };
  }

  /**
   * do_sigaltstack: `next` (null: no change) replaces the stack unless the process runs on it
   * (EPERM); the result is 0 or -errno. `sp` is the stack pointer at the call.
   */
  setAltstack(next: AltStack | null, sp: number): number {
    if (next === null) return 0;
    if (this.onAltstack(sp)) return -Errno.EPERM;
    const mode = next.flags & ~SS_AUTODISARM;
    if (mode !== SS_DISABLE && mode !== SS_ONSTACK && mode !== 0) return -Errno.EINVAL;
    const current = this.altstack;
    if (current.sp === next.sp && current.size === next.size && current.flags === next.flags) return 0;
    if (mode === SS_DISABLE) {
      this.altstack = { sp: 0, size: 0, flags: next.flags >>> 0 };
      return 0;
    }
    if (next.size < MINSIGSTKSZ) return -Errno.ENOMEM;
    this.altstack = { sp: next.sp, size: next.size, flags: next.flags >>> 0 };
    return 0;
  }
}
