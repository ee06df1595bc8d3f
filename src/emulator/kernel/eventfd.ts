// eventfd objects (fs/eventfd.c): a 64-bit counter. A read of 8 bytes or more takes the count
// and zeroes it (EFD_SEMAPHORE: takes 1), a write adds to it; the count never reaches
// 2^64 - 1, so a write that would pass 0xfffffffffffffffe waits for a read. A read at 0 or a
// write that cannot fit waits (EAGAIN under O_NONBLOCK) for a write or read that only this
// process could make: a signal handler, or never (anon-inode.ts waitUntil).
import { AnonFile, waitUntil } from './anon-inode.js';
import { Errno } from './errno.js';
import { O_NONBLOCK, POLLERR, POLLIN, POLLOUT } from './files.js';
import type { Process } from './process.js';

export const EFD_SEMAPHORE = 1;
const ULLONG_MAX = (1n << 64n) - 1n;
const COUNT_SIZE = 8;

export class EventFd extends AnonFile {
  private woken = 0;

  constructor(
    private readonly proc: Process,
    private count: bigint,
    private readonly semaphore: boolean,
    flags: number,
    /** eventfd-id in fdinfo (Linux's eventfd_ida: the lowest free number). */
    private readonly id: number,
    /** Gives the id back. */
    private readonly release: (id: number) => void,
  ) {
    super('[eventfd]', flags, proc.clock.bootRealtimeNs);
  }

  /** Waits until `possible()` (0), or says why not (-errno). */
  private whenPossible(possible: () => boolean): number {
    if (possible()) return 0;
    return this.flags & O_NONBLOCK ? -Errno.EAGAIN : waitUntil(this.proc, possible);
  }

  override read(into: Uint8Array): number {
    if (into.length < COUNT_SIZE) return -Errno.EINVAL;
    const waited = this.whenPossible(() => this.count > 0n);
    if (waited < 0) return waited;
    const taken = this.semaphore ? 1n : this.count;
    this.count -= taken;
    this.woken++;
    new DataView(into.buffer, into.byteOffset, COUNT_SIZE).setBigUint64(0, taken, true);
    return COUNT_SIZE;
  }

  override write(data: Uint8Array): number {
    if (data.length < COUNT_SIZE) return -Errno.EINVAL;
    const add = new DataView(data.buffer, data.byteOffset, COUNT_SIZE).getBigUint64(0, true);
    if (add === ULLONG_MAX) return -Errno.EINVAL;
    const waited = this.whenPossible(() => ULLONG_MAX - this.count > add);
    if (waited < 0) return waited;
    this.count += add;
    this.woken++;
    return COUNT_SIZE;
  }

  poll(): number {
    let ready = 0;
    if (this.count > 0n) ready |= POLLIN;
    if (this.count === ULLONG_MAX) ready |= POLLERR;
    if (ULLONG_MAX - 1n > this.count) ready |= POLLOUT;
    return ready;
  }

  wakeups(): number {
    return this.woken;
  }

  override close(): void {
    this.release(this.id);
  }

  fdinfo(): string {
    return `eventfd-count: ${this.count.toString(16).padStart(16)}\neventfd-id: ${this.id}\neventfd-semaphore: ${this.semaphore ? 1 : 0}\n`;
  }
}
