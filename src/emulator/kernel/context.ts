// What a syscall implementation gets: the calling process, its raw argument registers and a few
// helpers shared by the families (guest strings, paths, struct writes).
import type { Process } from './process.js';
import { Errno } from './errno.js';
import { ERESTARTSYS } from './signals.js';

export interface SyscallContext {
  readonly proc: Process;
  /** RDI, RSI, RDX, R10, R8, R9 as 32-bit halves (read with the arg* helpers of trace/event). */
  readonly args: Int32Array;
}

/** An implementation returns the result or -errno. Guest memory faults inside it (MemoryFault)
 *  become EFAULT in the dispatcher. `noReturn` marks calls that end the process. */
export type SyscallHandler = (c: SyscallContext) => number;

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_EMPTY_PATH = 0x1000;

export const PATH_MAX = 4096;

/** Reads a path argument: -ENAMETOOLONG when it has no NUL within PATH_MAX. */
export function readPath(proc: Process, addr: number): string | number {
  const s = proc.mem.readCString(addr, PATH_MAX);
  if (!s.terminated) return s.faulted ? -Errno.EFAULT : -Errno.ENAMETOOLONG;
  return Buffer.from(s.bytes).toString('utf8');
}

const warned = new WeakMap<Process, Set<string>>();

/** A call that would wait for something no one in this process can ever do (read an empty pipe
 *  it holds the write end of, poll with nothing that can become ready): a real kernel would
 *  block forever. emtrace says so once per call and fd, and the call fails with EDEADLK. */
export function blocksForever(proc: Process, what: string): number {
  let seen = warned.get(proc);
  if (!seen) warned.set(proc, (seen = new Set()));
  if (!seen.has(what)) {
    seen.add(what);
    proc.diagnose(`${what} would block forever (nothing in this process can end the wait): the guest gets EDEADLK`);
  }
  return -Errno.EDEADLK;
}

/** What a handler returns when its call must wait (blockOn): not a result. The kernel keeps the
 *  call pending, the machine runs other processes, and when the wait ends the call runs again
 *  from the start with the same arguments (so handlers check before they change anything). */
export const BLOCKED = -0x7fff0000;

/**
 * The call cannot complete yet: when another process could end the wait, the caller waits for
 * `key` (a scheduler wait key: waitKey(pipe, 'readable')); BLOCKED. When nothing else could
 * (one process), or the wait ended in a deadlock, the call fails with EDEADLK (blocksForever);
 * a signal that ended the wait gives -ERESTARTSYS, which the signal's delivery turns into EINTR
 * or a restart.
 */
export function blockOn(proc: Process, key: unknown, what: string): number {
  const reason = proc.wakeReason;
  proc.wakeReason = null;
  // A signal ended the wait, or came while it was being looked at again: it is handled first.
  if (reason === 'signal' || (reason !== null && proc.signals.hasDeliverable())) return -ERESTARTSYS;
  if (reason === 'deadlock' || !proc.canWaitForOthers()) return blocksForever(proc, what);
  proc.pendingWait = { key, what };
  return BLOCKED;
}

/** A little-endian struct builder for results the kernel writes to the guest. */
export class StructWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u16(offset: number, value: number): this {
    this.view.setUint16(offset, value, true);
    return this;
  }

  u32(offset: number, value: number): this {
    this.view.setUint32(offset, value >>> 0, true);
    return this;
  }

  u64(offset: number, value: bigint | number): this {
    this.view.setBigUint64(offset, BigInt.asUintN(64, BigInt(value)), true);
    return this;
  }

  text(offset: number, value: string, size: number): this {
    const encoded = Buffer.from(value, 'utf8').subarray(0, size - 1);
    this.bytes.set(encoded, offset);
    return this;
  }
}
