// Futex wait queues (kernel/futex): the threads waiting on a 32-bit word, found by the word's
// key, woken in the order they came when their bitset meets the waker's. syscalls/futex.ts
// checks the arguments and reads the word; this is the part the threads of a process share.
//
// The key is the word's address: right for private futexes and for the mappings of one
// process's threads; shared file mappings between processes would key by file and offset.

export const FUTEX_BITSET_MATCH_ANY = 0xffffffff;

export interface FutexWaiter {
  key: number;
  readonly bitset: number;
  /** Set by a waker; the waiting thread then returns 0. */
  woken: boolean;
}

/** A thread's wait in progress: its queued waiter and the timeout it started with. */
export interface FutexWait {
  readonly waiter: FutexWaiter;
  readonly timeoutNs: bigint | null;
}

export class FutexTable {
  private readonly queues = new Map<number, FutexWaiter[]>();

  /** Queues a waiter on `key` (futex_queue). */
  enqueue(key: number, bitset: number): FutexWaiter {
    const waiter: FutexWaiter = { key, bitset, woken: false };
    this.queueOf(key).push(waiter);
    return waiter;
  }

  /** Takes a waiter off its queue after its wait ended (futex_unqueue). */
  dequeue(waiter: FutexWaiter): void {
    const queue = this.queues.get(waiter.key);
    if (!queue) return;
    const at = queue.indexOf(waiter);
    if (at >= 0) queue.splice(at, 1);
    if (queue.length === 0) this.queues.delete(waiter.key);
  }

  /** Wakes up to `count` waiters of `key` whose bitset meets `bitset`; returns how many. */
  wake(key: number, count: number, bitset = FUTEX_BITSET_MATCH_ANY): number {
    const queue = this.queues.get(key);
    if (!queue) return 0;
    let woken = 0;
    for (const waiter of [...queue]) {
      if (woken >= Math.max(count, 1)) break;
      if ((waiter.bitset & bitset) === 0) continue;
      waiter.woken = true;
      this.dequeue(waiter);
      woken++;
    }
    return woken;
  }

  /** Wakes the first `wakeCount` waiters of `from` (whatever their bitset) and moves up to
   *  `moveCount` more to `to`; returns how many were woken or moved (futex_requeue). */
  requeue(from: number, to: number, wakeCount: number, moveCount: number): number {
    let count = 0;
    for (const waiter of [...(this.queues.get(from) ?? [])]) {
      if (count - wakeCount >= moveCount) break;
      this.dequeue(waiter);
      if (++count <= wakeCount) {
        waiter.woken = true;
      } else {
        waiter.key = to;
        this.queueOf(to).push(waiter);
      }
    }
    return count;
  }

  private queueOf(key: number): FutexWaiter[] {
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = []));
    return queue;
  }
}
