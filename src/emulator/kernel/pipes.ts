// Pipes inside the emulator: pipe(2) and pipe2(2) make one, with a 64 KiB buffer (F_SETPIPE_SZ
// changes it). Both ends live in this one process, so a read from an empty pipe whose write end
// is still open, or a write to a full one whose read end is open, could never complete: the call
// returns EAGAIN under O_NONBLOCK, and otherwise EDEADLK with a diagnostic (a real kernel would
// block forever). A write with no read end left fails with EPIPE (SIGPIPE comes with signals).
import { Errno } from './errno.js';
import {
  FileKind,
  O_ACCMODE,
  O_NONBLOCK,
  O_RDONLY,
  O_WRONLY,
  OpenFile,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  POLLRDNORM,
  POLLWRNORM,
  StatInfo,
} from './files.js';
import type { FileKey } from './metadata.js';
import { fileKey } from './metadata.js';

/** The host "device" pipes live on (pipefs); no host device number is negative. */
export const PIPEFS_DEV = -3n;
/** Linux's default pipe capacity and the largest an unprivileged F_SETPIPE_SZ may ask for
 *  (/proc/sys/fs/pipe-max-size). */
export const PIPE_DEFAULT_SIZE = 65536;
export const PIPE_MAX_SIZE = 1048576;
/** Writes up to this size are atomic. */
export const PIPE_BUF = 4096;
const PAGE = 4096;

/** What a transfer that cannot complete in this process returns: EAGAIN when non-blocking,
 *  else this marker, which the syscall layer reports as a deadlock. */
export const WOULD_BLOCK_FOREVER = -Errno.EDEADLK;

export class Pipe {
  private readonly chunks: Uint8Array[] = [];
  /** Bytes in the buffer. */
  length = 0;
  /** The buffer's capacity (F_GETPIPE_SZ). */
  capacity = PIPE_DEFAULT_SIZE;
  readers = 0;
  writers = 0;
  /** Wake-ups of each end's waiters (epoll's edge triggers): readers on every write and when the
   *  last writer goes, writers when a read makes room in a full pipe and when the last reader
   *  goes (pipe_write, pipe_read, pipe_release). */
  readerWakeups = 0;
  writerWakeups = 0;

  constructor(
    /** Its inode number on pipefs (before metadata renumbers it). */
    readonly id: bigint,
    /** What /proc/self/fd shows: `pipe:[N]`, N the guest's inode number. */
    readonly label: string,
    /** Owner and times of its inode. */
    private readonly owner: { uid: number; gid: number },
    private readonly timeNs: bigint,
  ) {}

  push(data: Uint8Array): void {
    this.chunks.push(data.slice());
    this.length += data.length;
    this.readerWakeups++;
  }

  take(into: Uint8Array): number {
    if (this.length >= this.capacity) this.writerWakeups++;
    let n = 0;
    while (n < into.length && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const k = Math.min(chunk.length, into.length - n);
      into.set(chunk.subarray(0, k), n);
      n += k;
      if (k === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(k);
    }
    this.length -= n;
    return n;
  }

  /** Copies up to into.length bytes from the front without taking them (tee). */
  peek(into: Uint8Array): number {
    let n = 0;
    for (const chunk of this.chunks) {
      if (n >= into.length) break;
      const k = Math.min(chunk.length, into.length - n);
      into.set(chunk.subarray(0, k), n);
      n += k;
    }
    return n;
  }

  /** F_SETPIPE_SZ: rounds up to a power-of-two number of pages. */
  resize(size: number): number {
    let pages = Math.max(1, Math.ceil(size / PAGE));
    pages = 2 ** Math.ceil(Math.log2(pages));
    const bytes = pages * PAGE;
    if (bytes < this.length) return -Errno.EBUSY;
    this.capacity = bytes;
    return bytes;
  }

  stat(): StatInfo {
    return {
      dev: PIPEFS_DEV,
      ino: this.id,
      mode: 0o010600,
      nlink: 1n,
      uid: this.owner.uid,
      gid: this.owner.gid,
      rdev: 0n,
      size: 0n,
      blksize: 4096n,
      blocks: 0n,
      atimeNs: this.timeNs,
      mtimeNs: this.timeNs,
      ctimeNs: this.timeNs,
    };
  }
}

/** One end of a pipe (the read end is O_RDONLY, the write end O_WRONLY). */
export class PipeEnd implements OpenFile {
  readonly kind: FileKind = 'pipe';
  readonly hostFd = null;
  private closed = false;

  constructor(
    readonly pipe: Pipe,
    public flags: number,
  ) {
    if ((flags & O_ACCMODE) === O_RDONLY) pipe.readers++;
    else pipe.writers++;
  }

  get path(): string {
    return this.pipe.label;
  }

  private get reading(): boolean {
    return (this.flags & O_ACCMODE) === O_RDONLY;
  }

  read(into: Uint8Array): number {
    if (!this.reading) return -Errno.EBADF;
    if (into.length === 0) return 0;
    if (this.pipe.length > 0) return this.pipe.take(into);
    if (this.pipe.writers === 0) return 0;
    return this.flags & O_NONBLOCK ? -Errno.EAGAIN : WOULD_BLOCK_FOREVER;
  }

  write(data: Uint8Array): number {
    if ((this.flags & O_ACCMODE) !== O_WRONLY) return -Errno.EBADF;
    if (this.pipe.readers === 0) return -Errno.EPIPE;
    if (data.length === 0) return 0;
    const room = this.pipe.capacity - this.pipe.length;
    if (room >= data.length) {
      this.pipe.push(data);
      return data.length;
    }
    // Small writes are atomic: all or nothing. Larger ones write what fits.
    if (room === 0 || data.length <= PIPE_BUF) return this.flags & O_NONBLOCK ? -Errno.EAGAIN : WOULD_BLOCK_FOREVER;
    this.pipe.push(data.subarray(0, room));
    return room;
  }

  pread(): number {
    return -Errno.ESPIPE;
  }

  pwrite(): number {
    return -Errno.ESPIPE;
  }

  seek(): number {
    return -Errno.ESPIPE;
  }

  stat(): StatInfo {
    return this.pipe.stat();
  }

  hostKey(): FileKey {
    return fileKey(PIPEFS_DEV, this.pipe.id);
  }

  tell(): number {
    return 0;
  }

  poll(): number {
    const p = this.pipe;
    if (this.reading) return (p.length > 0 ? POLLIN | POLLRDNORM : 0) | (p.writers === 0 ? POLLHUP : 0);
    return (p.length < p.capacity ? POLLOUT | POLLWRNORM : 0) | (p.readers === 0 ? POLLERR : 0);
  }

  readable(): number {
    return this.pipe.length;
  }

  wakeups(): number {
    return this.reading ? this.pipe.readerWakeups : this.pipe.writerWakeups;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.reading) {
      if (--this.pipe.readers === 0) this.pipe.writerWakeups++;
    } else if (--this.pipe.writers === 0) this.pipe.readerWakeups++;
  }
}
