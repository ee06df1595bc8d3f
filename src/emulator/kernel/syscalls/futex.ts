// futex(2) (kernel/futex/syscalls.c, waitwake.c, requeue.c). FUTEX_WAIT and FUTEX_WAIT_BITSET
// check the word, queue the thread (futex.ts) and wait on the scheduler for a waker, their
// timeout or a signal (timers.ts waitForSignal); the call runs again after each wake-up and
// finds its queued waiter (Process.futexWait) instead of checking the word again. Alone in the
// machine, a wait no timeout or signal can end would wait forever, and gets EDEADLK as
// rt_sigsuspend does (blocksForever). FUTEX_WAKE, FUTEX_WAKE_BITSET, FUTEX_REQUEUE,
// FUTEX_CMP_REQUEUE and FUTEX_WAKE_OP check their arguments, do their part on the words and
// wake what the wait queues hold. The priority-inheritance operations answer ENOSYS.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { ClockBase } from '../clock.js';
import { timespecToNs, timespecValid } from '../clock.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { BLOCKED, blocksForever, StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import { FUTEX_BITSET_MATCH_ANY, type FutexWait } from '../futex.js';
import type { Process } from '../process.js';
import { ERESTART_RESTARTBLOCK, ERESTARTSYS } from '../signals.js';
import { waitForSignal } from '../timers.js';
import { USER_SPACE_END } from '../../memory.js';


const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128;
const FUTEX_CLOCK_REALTIME = 256;

/** The operations not emulated yet (they need other threads to mean much), by number. */
const PI_OPERATIONS: Readonly<Record<number, string>> = {
  6: 'FUTEX_LOCK_PI',
  7: 'FUTEX_UNLOCK_PI',
  8: 'FUTEX_TRYLOCK_PI',
  11: 'FUTEX_WAIT_REQUEUE_PI',
  12: 'FUTEX_CMP_REQUEUE_PI',
  13: 'FUTEX_LOCK_PI2',
};

/** The operations whose fourth argument is a timeout (else it is the number val2). */
const TIMEOUT_OPERATIONS = new Set([FUTEX_WAIT, 6, 13, FUTEX_WAIT_BITSET, 11]);
/** The operations FUTEX_CLOCK_REALTIME may go with. */
const REALTIME_OPERATIONS = new Set([FUTEX_WAIT_BITSET, 11, 13]);

/** One futex call's arguments, decoded. */
interface FutexCall {
  proc: Process;
  uaddr: number;
  /** Not FUTEX_PRIVATE_FLAG: the word may be shared with other processes. */
  shared: boolean;
  realtime: boolean;
  val: number;
  /** The timeout in ns as given (null: none). */
  timeout: bigint | null;
  /** The fourth argument as a number (the requeue and wake-op counts). */
  val2: number;
  uaddr2: number;
  val3: number;
}

/** get_futex_key: a naturally aligned user address (EINVAL, EFAULT); a shared futex must be
 *  mapped (readable, or writable for `write`). The key is the address (futex.ts). */
function futexKey(f: FutexCall, addr: number, access: 'read' | 'write' = 'read'): number {
  if (addr % 4 !== 0) return -Errno.EINVAL;
  if (addr + 4 > USER_SPACE_END) return -Errno.EFAULT;
  if (f.shared && !f.proc.mem.isAccessible(addr, 4, access)) return -Errno.EFAULT;
  return addr;
}

/** The futex word (a MemoryFault is EFAULT). */
function readWord(proc: Process, addr: number): number {
  return new DataView(proc.mem.readBytes(addr, 4).buffer).getUint32(0, true);
}

/**
 * Waits queued on the futex until a waker, the timeout or a signal (the first run queues it,
 * the runs after a wake-up find it queued). Interrupted, the call restarts (ERESTARTSYS:
 * SA_RESTART decides) without a timeout, and fails with EINTR after a handler with one (Linux's
 * restart block resumes it only when no handler ran).
 */
function sleep(proc: Process, queued: FutexWait): number {
  const { waiter, timeoutNs } = queued;
  const wait = waitForSignal(proc, timeoutNs, () => waiter.woken || proc.signals.hasDeliverable(), undefined, true);
  if (wait.blocked) {
    proc.futexWait = queued;
    return BLOCKED;
  }
  proc.futexWait = null;
  proc.futexes.dequeue(waiter);
  if (waiter.woken) return 0;
  if (wait.forever) return blocksForever(proc, 'futex wait');
  if (!wait.woken) return -Errno.ETIMEDOUT;
  return timeoutNs === null ? -ERESTARTSYS : -ERESTART_RESTARTBLOCK;
}

/** FUTEX_WAIT (a timeout relative to now) and FUTEX_WAIT_BITSET (a deadline on `base`): the
 *  word must still hold `val` (else EAGAIN); a deadline already past times out at once. */
function wait(f: FutexCall, bitset: number, base: ClockBase | null): number {
  if (f.proc.futexWait) return sleep(f.proc, f.proc.futexWait);
  if (bitset === 0) return -Errno.EINVAL;
  const key = futexKey(f, f.uaddr);
  if (key < 0) return key;
  if (readWord(f.proc, f.uaddr) !== f.val) return -Errno.EAGAIN;
  let timeoutNs = f.timeout;
  if (timeoutNs !== null && base !== null) timeoutNs -= f.proc.clock.read(base);
  if (timeoutNs !== null && timeoutNs <= 0n) return -Errno.ETIMEDOUT;
  return sleep(f.proc, { waiter: f.proc.futexes.enqueue(key, bitset), timeoutNs });
}

function wake(f: FutexCall, bitset: number): number {
  if (bitset === 0) return -Errno.EINVAL;
  const key = futexKey(f, f.uaddr);
  return key < 0 ? key : f.proc.futexes.wake(key, f.val | 0, bitset);
}

/** FUTEX_REQUEUE and FUTEX_CMP_REQUEUE (which first checks the word against val3). */
function requeue(f: FutexCall, expected: number | null): number {
  const wakeCount = f.val | 0;
  const moveCount = f.val2 | 0;
  if (wakeCount < 0 || moveCount < 0) return -Errno.EINVAL;
  const from = futexKey(f, f.uaddr);
  if (from < 0) return from;
  const to = futexKey(f, f.uaddr2);
  if (to < 0) return to;
  if (expected !== null && readWord(f.proc, f.uaddr) !== expected) return -Errno.EAGAIN;
  return f.proc.futexes.requeue(from, to, wakeCount, moveCount);
}

/** FUTEX_WAKE_OP's operations on the old value and the argument, by number (SET, ADD, OR,
 *  ANDN, XOR), and its comparisons (EQ, NE, LT, LE, GT, GE). */
const WAKE_OPS: readonly ((old: number, arg: number) => number)[] = [
  (_old, arg) => arg,
  (old, arg) => old + arg,
  (old, arg) => old | arg,
  (old, arg) => old & ~arg,
  (old, arg) => old ^ arg,
];
const WAKE_CMPS: readonly ((old: number, arg: number) => boolean)[] = [
  (old, arg) => old === arg,
  (old, arg) => old !== arg,
  (old, arg) => old < arg,
  (old, arg) => old <= arg,
  (old, arg) => old > arg,
  (old, arg) => old >= arg,
];

/** A 12-bit field as a signed number. */
function signed12(v: number): number {
  return (v << 20) >> 20;
}

/** futex_atomic_op_inuser: applies val3's operation to the word at `addr`; returns whether its
 *  comparison held for the old value (or -errno: an unknown operation or comparison is ENOSYS,
 *  the latter after the word is written). */
function atomicOp(proc: Process, addr: number, encoded: number): number {
  const op = WAKE_OPS[(encoded >>> 28) & 7];
  const cmp = WAKE_CMPS[(encoded >>> 24) & 15];
  let arg = signed12(encoded >>> 12);
  // FUTEX_OP_OPARG_SHIFT: the argument is a bit number (out of range: taken modulo 32).
  if (encoded & 0x80000000) arg = 1 << (arg & 31);
  if (!op) return -Errno.ENOSYS;
  const old = readWord(proc, addr) | 0;
  proc.mem.writeBytes(addr, new StructWriter(4).u32(0, op(old, arg)).bytes);
  if (!cmp) return -Errno.ENOSYS;
  return cmp(old, signed12(encoded)) ? 1 : 0;
}

/** FUTEX_WAKE_OP: the operation on uaddr2, then wakes on uaddr and, if the comparison held,
 *  on uaddr2. */
function wakeOp(f: FutexCall): number {
  const first = futexKey(f, f.uaddr);
  if (first < 0) return first;
  const second = futexKey(f, f.uaddr2, 'write');
  if (second < 0) return second;
  const held = atomicOp(f.proc, f.uaddr2, f.val3);
  if (held < 0) return held;
  const woken = f.proc.futexes.wake(first, f.val | 0);
  return held ? woken + f.proc.futexes.wake(second, f.val2 | 0) : woken;
}

/** The implemented operations, by number: WAIT's timeout is relative, WAIT_BITSET's a
 *  deadline on the monotonic clock, or the real-time one with FUTEX_CLOCK_REALTIME. */
const OPERATIONS: Readonly<Record<number, (f: FutexCall) => number>> = {
  [FUTEX_WAIT]: (f) => wait(f, FUTEX_BITSET_MATCH_ANY, null),
  [FUTEX_WAIT_BITSET]: (f) => wait(f, f.val3, f.realtime ? 'realtime' : 'monotonic'),
  [FUTEX_WAKE]: (f) => wake(f, FUTEX_BITSET_MATCH_ANY),
  [FUTEX_WAKE_BITSET]: (f) => wake(f, f.val3),
  [FUTEX_REQUEUE]: (f) => requeue(f, null),
  [FUTEX_CMP_REQUEUE]: (f) => requeue(f, f.val3),
  [FUTEX_WAKE_OP]: wakeOp,
};

const reported = new WeakMap<Process, Set<number>>();

/** A priority-inheritance operation: ENOSYS, and a diagnostic the first time. */
function notEmulated(proc: Process, operation: number): number {
  let seen = reported.get(proc);
  if (!seen) reported.set(proc, (seen = new Set()));
  if (!seen.has(operation)) {
    seen.add(operation);
    proc.diagnose(`futex ${PI_OPERATIONS[operation]} is not implemented: the guest gets ENOSYS`);
  }
  return -Errno.ENOSYS;
}

function futex(c: SyscallContext): number {
  const { proc, args } = c;
  const op = argInt(args, 1);
  const operation = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  const timeoutAddr = argUlong(args, 3);
  let timeout: bigint | null = null;
  if (timeoutAddr !== 0 && TIMEOUT_OPERATIONS.has(operation)) {
    const raw = new DataView(proc.mem.readBytes(timeoutAddr, 16).buffer);
    const ts = { sec: raw.getBigInt64(0, true), nsec: raw.getBigInt64(8, true) };
    if (!timespecValid(ts)) return -Errno.EINVAL;
    timeout = timespecToNs(ts);
  }
  const realtime = (op & FUTEX_CLOCK_REALTIME) !== 0;
  if (realtime && !REALTIME_OPERATIONS.has(operation)) return -Errno.ENOSYS;
  const run = OPERATIONS[operation];
  if (!run) return PI_OPERATIONS[operation] ? notEmulated(proc, operation) : -Errno.ENOSYS;
  return run({
    proc,
    uaddr: argUlong(args, 0),
    shared: (op & FUTEX_PRIVATE_FLAG) === 0,
    realtime,
    val: argUint(args, 2),
    timeout,
    val2: argUint(args, 3),
    uaddr2: argUlong(args, 4),
    val3: argUint(args, 5),
  });
}

export const FUTEX_SYSCALLS: Record<string, SyscallHandler> = { futex };
