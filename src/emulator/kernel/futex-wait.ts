// Futex waits on the scheduler: a task that waits on a futex is queued in the FutexTable
// (futex.ts: which waiters a FUTEX_WAKE, WAKE_BITSET, REQUEUE or WAKE_OP takes, in order) and
// blocked in the scheduler on its own waiter, so the table's wakes make exactly those tasks
// runnable, and a timeout or a signal ends the wait through the scheduler.
//
// The table marks a waiter it wakes by setting `woken`; until it calls a hook of its own
// (a one-line change in futex.ts, left to its owner), the waiter's `woken` is watched here.
import type { FutexTable, FutexWaiter } from './futex.js';
import type { Scheduler, Task } from './scheduler.js';

/** How a futex wait ended, as FUTEX_WAIT returns it: 0, ETIMEDOUT, or a signal (EINTR or a
 *  restart), or EDEADLK when the scheduler found it could never end. */
export type FutexWaitResult = 'woken' | 'timeout' | 'signal' | 'deadlock';

/** Queues `task` on the futex `key` and blocks it until a wake takes it, `deadline` (virtual
 *  ns) passes, or a signal comes. Returns the waiter to give endFutexWait() later. */
export function blockOnFutex<T>(sched: Scheduler<T>, task: Task<T>, table: FutexTable, key: number, bitset: number, deadline?: bigint): FutexWaiter {
  const waiter = table.enqueue(key, bitset);
  onWoken(waiter, () => sched.wake(waiter));
  sched.block(task, { key: waiter, deadline, what: `futex wait on 0x${key.toString(16)}` });
  return waiter;
}

/** When the task runs again: takes it off the futex queue and says why it woke. A waiter a
 *  waker took counts as woken even if its timeout or a signal came first (Linux's futex_wait
 *  returns 0 when futex_unqueue finds it already taken), so the waker's count stays true. */
export function endFutexWait<T>(table: FutexTable, waiter: FutexWaiter, task: Task<T>): FutexWaitResult {
  table.dequeue(waiter);
  // (A wait ended by anything else than the table is a spurious wake-up: 0, as futex allows.)
  return waiter.woken ? 'woken' : (task.wakeReason ?? 'woken');
}

/** Calls `then` when a waker sets the waiter's `woken`. */
function onWoken(waiter: FutexWaiter, then: () => void): void {
  let woken = waiter.woken;
  Object.defineProperty(waiter, 'woken', {
    get: () => woken,
    set: (value: boolean) => {
      woken = value;
      if (value) then();
    },
    enumerable: true,
    configurable: true,
  });
}
