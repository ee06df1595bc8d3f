// What a thread's end does to the threads left in its process (mm_release, exit_robust_list):
// the robust futexes it held are marked FUTEX_OWNER_DIED and a waiter of each is woken; its
// CLONE_CHILD_CLEARTID word is cleared and one waiter woken (how pthread_join learns of it);
// a futex wait it was in leaves its queue. With no thread left, the memory goes anyway, and
// Linux skips the writes (mm_users is 1).
import { MemoryFault } from '../memory.js';
import type { Process } from './process.js';

const FUTEX_WAITERS = 0x80000000;
const FUTEX_OWNER_DIED = 0x40000000;
const FUTEX_TID_MASK = 0x3fffffff;
/** ROBUST_LIST_LIMIT: a corrupt (circular) list is walked no further. */
const ROBUST_LIST_LIMIT = 2048;

/** `thread` ended: it leaves its group, and the group's other threads see what Linux does.
 *  Returns how many threads the process has left. */
export function threadEnded(thread: Process): number {
  const threads = thread.group.threads;
  const at = threads.indexOf(thread);
  if (at >= 0) threads.splice(at, 1);
  if (thread.futexWait) thread.futexes.dequeue(thread.futexWait.waiter);
  thread.futexWait = null;
  if (threads.length === 0) return 0;
  try {
    releaseRobustList(thread);
    if (thread.clearChildTid !== 0) {
      thread.mem.writeBytes(thread.clearChildTid, new Uint8Array(4));
      thread.futexes.wake(thread.clearChildTid, 1);
    }
  } catch (e) {
    // A list or word the thread unmapped: Linux gives up on it silently, too.
    if (!(e instanceof MemoryFault)) throw e;
  }
  return threads.length;
}

/** exit_robust_list: the list head set_robust_list registered is {next, futex_offset,
 *  list_op_pending}; each entry's futex word is at entry + futex_offset. */
function releaseRobustList(thread: Process): void {
  const head = thread.robustList;
  if (head === 0) return;
  const pointer = (addr: number) => Number(u64(thread, addr) & ~1n);
  const offset = Number(BigInt.asIntN(64, u64(thread, head + 8)));
  const pending = pointer(head + 16);
  let entry = pointer(head);
  for (let k = 0; entry !== head && k < ROBUST_LIST_LIMIT; k++) {
    const next = pointer(entry);
    if (entry !== pending) ownerDied(thread, entry + offset);
    entry = next;
  }
  if (pending !== 0) ownerDied(thread, pending + offset);
}

/** handle_futex_death: a word the thread owned gets FUTEX_OWNER_DIED, and a waiter is woken. */
function ownerDied(thread: Process, addr: number): void {
  if (addr % 4 !== 0) return;
  const word = new DataView(thread.mem.readBytes(addr, 4).buffer).getUint32(0, true);
  if ((word & FUTEX_TID_MASK) !== thread.tid) return;
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, ((word & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0, true);
  thread.mem.writeBytes(addr, new Uint8Array(view.buffer));
  if (word & FUTEX_WAITERS) thread.futexes.wake(addr, 1);
}

function u64(thread: Process, addr: number): bigint {
  return new DataView(thread.mem.readBytes(addr, 8).buffer).getBigUint64(0, true);
}
