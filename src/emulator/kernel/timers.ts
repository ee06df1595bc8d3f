// Timers that send signals: the three interval timers (setitimer: ITIMER_REAL on the monotonic
// clock, ITIMER_VIRTUAL and ITIMER_PROF on the process's CPU time) and the POSIX timers
// (timer_create). With the virtual clock, time is the instruction count (plus what the guest
// slept), so a timer expires at a known instruction: the run loop stops there and the signal
// goes out at exactly that instruction (signal-delivery.ts); a sleeping syscall jumps the clock
// to the next expiry instead (waitForSignal). With --host-time the host's clock decides and the
// run loop looks every HOST_POLL_INSNS instructions.
//
// Differences from Linux: the CPU-time timers are not rounded to the scheduler tick (Linux adds
// one tick to a new ITIMER_VIRTUAL/PROF value); a SIGEV_NONE timer is only read, never
// scheduled.
import type { Clock } from './clock.js';
import type { Process } from './process.js';
import type { SignalState, SigInfo } from './signals.js';
import { SI_KERNEL, SI_TIMER, SIGALRM, SIGPROF, SIGVTALRM } from './signals.js';

/** What a timer counts: monotonic (wall) time, or the process's CPU time (its instructions). */
export type TimerBase = 'wall' | 'cpu';

/** With host time, how often (in instructions) the run loop checks the host clock for timers. */
const HOST_POLL_INSNS = 100_000;

export const SIGEV_SIGNAL = 0;
export const SIGEV_NONE = 1;
export const SIGEV_THREAD = 2;
export const SIGEV_THREAD_ID = 4;

export const ITIMER_REAL = 0;
export const ITIMER_VIRTUAL = 1;
export const ITIMER_PROF = 2;

const INT_MAX = 0x7fffffff;

export class IntervalTimer {
  /** When it expires next on its base's clock (ns), or null when disarmed. */
  expires: bigint | null = null;
  interval = 0n;

  constructor(
    readonly base: TimerBase,
    /** The signal an interval timer sends (SIGALRM, SIGVTALRM, SIGPROF). */
    readonly signo: number,
  ) {}

  /** Whether it is armed and sends a signal when it expires. */
  get signals(): boolean {
    return this.expires !== null;
  }

  /** Time left until it expires (0 when disarmed). */
  remaining(clock: Clock): bigint {
    if (this.expires === null) return 0n;
    const left = this.expires - timerNow(clock, this.base);
    return left > 0n ? left : 0n;
  }

  /** Sets or clears it: `value` 0 disarms, else it expires `value` from now. */
  arm(clock: Clock, value: bigint, interval: bigint): void {
    this.interval = interval;
    this.expires = value === 0n ? null : timerNow(clock, this.base) + value;
  }

  /** It expired `periods` times since it last fired (the timer is already moved on). Returns
   *  whether that changed anything in the signal state. */
  fire(state: SignalState, _periods: bigint): boolean {
    return state.send({ signo: this.signo, code: SI_KERNEL, async: true, shared: true });
  }
}

export class PosixTimer extends IntervalTimer {
  /** si_overrun of its last delivered signal (timer_getoverrun). */
  overrunLast = 0;
  /** Its signal while it is pending: a new expiry counts as an overrun of it. */
  queued: SigInfo | null = null;

  constructor(
    readonly id: number,
    base: TimerBase,
    readonly clockid: number,
    readonly notify: number,
    signo: number,
    readonly value: bigint,
  ) {
    super(base, signo);
  }

  override get signals(): boolean {
    return this.expires !== null && this.notify !== SIGEV_NONE;
  }

  override remaining(clock: Clock): bigint {
    // A SIGEV_NONE timer is never scheduled: move a periodic one on when it is read.
    if (this.notify === SIGEV_NONE && this.expires !== null && this.interval > 0n) {
      const now = timerNow(clock, this.base);
      if (this.expires <= now) this.expires += ((now - this.expires) / this.interval + 1n) * this.interval;
    }
    return super.remaining(clock);
  }

  override fire(state: SignalState, periods: bigint): boolean {
    if (this.queued) {
      const timer = this.queued.timer!;
      timer.overrun = Math.min(INT_MAX, timer.overrun + Number(periods));
      return false;
    }
    const info: SigInfo = {
      signo: this.signo,
      code: SI_TIMER,
      timer: { id: this.id, overrun: Math.min(INT_MAX, Number(periods - 1n)) },
      value: this.value,
      async: true,
      origin: this,
      // SIGEV_THREAD_ID aims at the thread, the others at the process.
      shared: this.notify !== (SIGEV_SIGNAL | SIGEV_THREAD_ID),
    };
    if (!state.send(info)) return false;
    this.queued = info;
    return true;
  }

  /** Its signal was dequeued (delivered, or taken by rt_sigtimedwait). */
  delivered(info: SigInfo): void {
    if (this.queued === info) this.queued = null;
    this.overrunLast = info.timer?.overrun ?? 0;
  }
}

/** The clock a timer base reads, in ns. */
export function timerNow(clock: Clock, base: TimerBase): bigint {
  return base === 'cpu' ? clock.cpuTimeNs() : clock.monotonicNs();
}

export class Timers {
  /** ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF. */
  readonly itimers: readonly IntervalTimer[] = [new IntervalTimer('wall', SIGALRM), new IntervalTimer('cpu', SIGVTALRM), new IntervalTimer('cpu', SIGPROF)];
  readonly posix = new Map<number, PosixTimer>();
  private nextId = 0;

  /** The next POSIX timer id (Linux numbers them from 0, one after the other). */
  allocateId(): number {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) & INT_MAX;
    return id;
  }

  private *scheduled(): Iterable<IntervalTimer> {
    for (const t of this.itimers) if (t.signals) yield t;
    for (const t of this.posix.values()) if (t.signals) yield t;
  }

  /** The instruction count at which the next timer expires (Infinity when none will). */
  nextDueIcount(clock: Clock, icount: number): number {
    let due = Infinity;
    for (const t of this.scheduled()) {
      let at: number;
      if (t.base === 'cpu') at = Number(t.expires);
      else if (clock.host) at = icount + HOST_POLL_INSNS;
      else at = icount + Number(t.expires! - clock.monotonicNs());
      due = Math.min(due, Math.max(at, icount));
    }
    return due;
  }

  /** When the next timer on the monotonic clock expires (the ones `idle` aside), or null. */
  nextWallExpiry(idle?: ReadonlySet<IntervalTimer>): bigint | null {
    let next: bigint | null = null;
    for (const t of this.scheduled()) {
      if (t.base !== 'wall' || idle?.has(t)) continue;
      if (next === null || t.expires! < next) next = t.expires!;
    }
    return next;
  }

  /** Fires every timer that has expired: it sends its signal and moves on by its interval (or
   *  is disarmed). Returns the ones whose expiry changed nothing (a dropped signal). */
  fireDue(proc: Process): IntervalTimer[] {
    const idle: IntervalTimer[] = [];
    const clock = proc.clock;
    for (const t of [...this.scheduled()]) {
      const now = timerNow(clock, t.base);
      if (t.expires! > now) continue;
      let periods = 1n;
      if (t.interval > 0n) {
        periods = (now - t.expires!) / t.interval + 1n;
        t.expires! += periods * t.interval;
      } else t.expires = null;
      if (!t.fire(proc.signals, periods) && t.expires !== null) idle.push(t);
    }
    return idle;
  }
}

export interface WaitResult {
  /** Something woke the wait (by default: a signal can be delivered). */
  woken: boolean;
  /** Nothing could ever end it: no timeout, and no timer that runs while the process sleeps. */
  forever: boolean;
  /** Time it slept. */
  sleptNs: bigint;
  /** Other processes run meanwhile: the call must return BLOCKED and will run again. */
  blocked?: boolean;
}

/**
 * A sleep while other processes can run: the calling process waits on the scheduler until the
 * sleep's deadline, its next timer, `nextWake`, or any change (every call elsewhere wakes it to
 * look again). The sleep's start and deadline are kept on the process across those re-runs of
 * the same call (the kernel forgets them when the call returns).
 */
function sleepOnScheduler(proc: Process, timeoutNs: bigint | null, wakes: () => boolean, nextWake: () => bigint | null): WaitResult {
  const clock = proc.clock;
  const timers = proc.signals.timers;
  const first = clock.monotonicNs();
  const sleep = (proc.sleep ??= { start: first, deadline: timeoutNs === null ? null : first + timeoutNs });
  timers.fireDue(proc);
  const now = clock.monotonicNs();
  const sleptNs = now - sleep.start;
  if (wakes()) return { woken: true, forever: false, sleptNs };
  if (sleep.deadline !== null && now >= sleep.deadline) return { woken: false, forever: false, sleptNs };
  if (proc.wakeReason === 'deadlock') return { woken: false, forever: true, sleptNs };
  let next = sleep.deadline;
  const timer = timers.nextWallExpiry(new Set());
  if (timer !== null && (next === null || timer < next)) next = timer;
  const other = nextWake();
  if (other !== null && other > now && (next === null || other < next)) next = other;
  proc.pendingWait = next === null ? { key: null, what: 'sleep' } : { key: null, deadline: next, what: 'sleep' };
  return { woken: false, forever: false, sleptNs, blocked: true };
}

/**
 * Sleeps the way a blocking syscall does, until `wakes()` (by default: a signal can be
 * delivered) or `timeoutNs` passes (null: no timeout). The clock moves: the virtual clock jumps
 * to the next timer expiry, fires it and looks again; with --host-time it really sleeps. A
 * periodic timer whose signal changes nothing (ignored, or already pending) is skipped over: it
 * will not change anything while the process sleeps either. `nextWake` gives another moment
 * (monotonic) at which `wakes()` may change by time alone (a timerfd's expiry).
 */
export function waitForSignal(
  proc: Process,
  timeoutNs: bigint | null,
  wakes = () => proc.signals.hasDeliverable(),
  nextWake: () => bigint | null = () => null,
  /** The caller returns BLOCKED when told to (`blocked`), so the sleep may wait on the
   *  scheduler while other processes run; the other callers still move the clock themselves. */
  onScheduler = false,
): WaitResult {
  const clock = proc.clock;
  if (onScheduler && !clock.host && proc.canWaitForOthers()) return sleepOnScheduler(proc, timeoutNs, wakes, nextWake);
  const timers = proc.signals.timers;
  const start = clock.monotonicNs();
  const deadline = timeoutNs === null ? null : start + timeoutNs;
  const idle = new Set<IntervalTimer>();
  for (;;) {
    for (const t of timers.fireDue(proc)) idle.add(t);
    const now = clock.monotonicNs();
    if (wakes()) return { woken: true, forever: false, sleptNs: now - start };
    let next = timers.nextWallExpiry(idle);
    const other = nextWake();
    if (other !== null && other > now && (next === null || other < next)) next = other;
    if (deadline !== null && (next === null || next >= deadline)) {
      clock.sleep(deadline - now);
      timers.fireDue(proc);
      return { woken: false, forever: false, sleptNs: timeoutNs! };
    }
    if (next === null) return { woken: false, forever: true, sleptNs: now - start };
    clock.sleep(next - now);
  }
}
