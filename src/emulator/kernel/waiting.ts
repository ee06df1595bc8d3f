// Waiting for descriptors to become ready, shared by poll, ppoll, select, pselect6 and the epoll
// waits. Readiness comes from each description (files.ts OpenFile.poll): regular files,
// directories and devices are always ready, a pipe by its buffer and its other end, a host pipe
// or terminal by a non-blocking look at it, a timerfd by the clock.
//
// While other tasks live, the wait is on the scheduler (timers.ts sleepOnScheduler): the call
// returns BLOCKED and looks again after other tasks' calls, at its timeout, or at the next
// timer or timerfd expiry. Alone, only the host (a terminal, an inherited pipe) and time
// (timers, timerfds) can make a descriptor ready later. So a wait with a timeout moves the
// virtual clock to the first moment something can change (a timer's or a timerfd's expiry),
// looks again, and so on until the timeout (with --host-time: really waits, looking again every
// 10 ms); a wait without one on host descriptors looks every 10 ms until one is ready; and a
// wait on nothing that can ever change would never end: emtrace says so and the call fails with
// EDEADLK (blocksForever).
import type { SyscallContext } from './context.js';
import { BLOCKED, blocksForever } from './context.js';
import { DEFAULT_POLLMASK, HostFile, O_PATH, OpenFile, POLLERR, POLLHUP, POLLNVAL } from './files.js';
import { ERESTARTNOHAND } from './signals.js';
import { waitForSignal } from './timers.js';

const SLICE_MS = 10;

/** The events of `events` ready on `file` (POLLERR and POLLHUP always; POLLNVAL for no file). */
export function readiness(file: OpenFile | undefined, events: number): number {
  if (!file || file.flags & O_PATH) return POLLNVAL;
  const ready = file.poll?.(events) ?? DEFAULT_POLLMASK;
  return ready & (events | POLLERR | POLLHUP);
}

/** Whether the host may make this descriptor ready while the guest waits. */
export function hostMayWake(file: OpenFile | undefined): boolean {
  return file instanceof HostFile && file.kind !== 'regular' && file.kind !== 'directory' && file.kind !== 'blockdev';
}

/** The first monotonic time at which one of `files` may become ready by time alone, or null. */
export function firstWake(files: Iterable<OpenFile | undefined>): bigint | null {
  let first: bigint | null = null;
  for (const f of files) {
    const at = f?.wakesAt?.() ?? null;
    if (at !== null && (first === null || at < first)) first = at;
  }
  return first;
}

function sleepHost(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface WaitOutcome {
  /** What `check` gave (a count, or -errno), or -`interrupted`. */
  n: number;
  /** Time slept. */
  sleptNs: bigint;
}

/**
 * Checks until something is ready or the timeout (ns; null: none) passes. Returns the count
 * `check` gives (or -errno) and the time slept. A signal that can be delivered ends the wait
 * with -`interrupted` (the restart code strace shows, or EINTR), unless something is ready too.
 * `nextWake` says when the waited-for descriptors may change by time alone (firstWake).
 */
export function waitFor(
  c: SyscallContext,
  what: string,
  check: () => number,
  timeoutNs: bigint | null,
  hostWakes: boolean,
  interrupted: number,
  nextWake: () => bigint | null = () => null,
): WaitOutcome {
  let n = check();
  if (n !== 0 || timeoutNs === 0n) return { n, sleptNs: 0n };
  const proc = c.proc;
  const clock = proc.clock;
  const signalled = (): boolean => {
    proc.signals.timers.fireDue(proc);
    return proc.signals.hasDeliverable();
  };
  if (!clock.host && (timeoutNs !== null || !hostWakes)) {
    // The virtual clock moves from one expiry to the next until something is ready, a signal
    // comes or the timeout passes.
    const wakes = (): boolean => (n = check()) !== 0 || proc.signals.hasDeliverable();
    const wait = waitForSignal(proc, timeoutNs, wakes, nextWake, true);
    if (n !== 0) return { n, sleptNs: wait.sleptNs };
    if (wait.blocked) return { n: BLOCKED, sleptNs: 0n };
    if (wait.woken) return { n: -interrupted, sleptNs: wait.sleptNs };
    if (wait.forever) return { n: blocksForever(proc, what), sleptNs: 0n };
    return { n: check(), sleptNs: timeoutNs ?? wait.sleptNs };
  }
  if (timeoutNs === null) {
    for (;;) {
      if (signalled()) return { n: -interrupted, sleptNs: 0n };
      sleepHost(SLICE_MS);
      n = check();
      if (n !== 0) return { n, sleptNs: 0n };
    }
  }
  const start = clock.monotonicNs();
  for (;;) {
    const elapsed = clock.monotonicNs() - start;
    if (signalled()) return { n: -interrupted, sleptNs: elapsed };
    if (elapsed >= timeoutNs) return { n: check(), sleptNs: timeoutNs };
    clock.sleep(timeoutNs - elapsed < BigInt(SLICE_MS) * 1_000_000n ? timeoutNs - elapsed : BigInt(SLICE_MS) * 1_000_000n);
    n = check();
    if (n !== 0) return { n, sleptNs: clock.monotonicNs() - start };
  }
}

/** Runs a wait with the temporary signal mask `mask` (ppoll, pselect6, epoll_pwait; null:
 *  none). The old mask comes back unless a signal interrupted the wait (result -`interrupted`):
 *  then after its delivery. */
export function withMask<T extends { n: number }>(c: SyscallContext, mask: bigint | null, wait: () => T, interrupted = ERESTARTNOHAND): T {
  const signals = c.proc.signals;
  if (mask !== null) signals.suspendWith(mask);
  let result: T | null = null;
  try {
    result = wait();
    return result;
  } finally {
    if (result?.n !== -interrupted) signals.restoreSavedMask();
  }
}
