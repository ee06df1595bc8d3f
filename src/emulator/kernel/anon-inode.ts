// What the descriptors made on Linux's one anonymous inode share (anon_inode_getfile: eventfd,
// timerfd, signalfd, epoll): a name `anon_inode:[NAME]` in /proc/self/fd and strace -y, one
// inode on anon_inodefs (mode 0600 without a file type, owned by root, as old as the machine),
// no offset (noop_llseek: lseek returns 0), no pread/pwrite (ESPIPE), and EINVAL for the
// transfers the object does not have (a file without read or write operations).
import { Errno } from './errno.js';
import type { FileKind, OpenFile, StatInfo } from './files.js';
import { DEFAULT_POLLMASK, SEEK_HOLE } from './files.js';
import { WOULD_BLOCK_FOREVER } from './pipes.js';
import type { Process } from './process.js';
import { ERESTARTSYS } from './signals.js';
import { waitForSignal } from './timers.js';

/** The "host device" of anon_inodefs (metadata.ts KERNEL_FS_DEVS). */
export const ANON_INODE_DEV = -5n;
/** The anonymous inode's number on it (before metadata renumbers it). */
const ANON_INODE_INO = 1n;
const S_IRUSR = 0o400;
const S_IWUSR = 0o200;

/**
 * Where these objects wait (the one place a scheduler will suspend them): until `ready()`, 0;
 * a signal that can be delivered first, -ERESTARTSYS (wait_event_interruptible); nothing that
 * could ever end the wait, WOULD_BLOCK_FOREVER (EDEADLK and a diagnostic). Timers and
 * `nextWake` (a timerfd's expiry) move the virtual clock meanwhile.
 */
export function waitUntil(proc: Process, ready: () => boolean, nextWake?: () => bigint | null): number {
  const signals = proc.signals;
  const wait = waitForSignal(proc, null, () => ready() || signals.hasDeliverable(), nextWake);
  if (ready()) return 0;
  return wait.forever ? WOULD_BLOCK_FOREVER : -ERESTARTSYS;
}

/** The one anonymous inode: mode 0600 without a file type, root's, made at boot. */
export function anonInodeStat(bootNs: bigint): StatInfo {
  return {
    dev: ANON_INODE_DEV,
    ino: ANON_INODE_INO,
    mode: S_IRUSR | S_IWUSR,
    nlink: 1n,
    uid: 0,
    gid: 0,
    rdev: 0n,
    size: 0n,
    blksize: 4096n,
    blocks: 0n,
    atimeNs: bootNs,
    mtimeNs: bootNs,
    ctimeNs: bootNs,
  };
}

export abstract class AnonFile implements OpenFile {
  readonly kind: FileKind = 'anon';
  readonly hostFd = null;

  constructor(
    /** The object's name in brackets: `[eventfd]`. */
    private readonly name: string,
    public flags: number,
    /** When the machine booted (the inode's times). */
    private readonly bootNs: bigint,
  ) {}

  get path(): string {
    return `anon_inode:${this.name}`;
  }

  read(_into: Uint8Array): number {
    return -Errno.EINVAL;
  }

  write(_data: Uint8Array): number {
    return -Errno.EINVAL;
  }

  pread(): number {
    return -Errno.ESPIPE;
  }

  pwrite(): number {
    return -Errno.ESPIPE;
  }

  /** noop_llseek (lseek has already refused an unknown whence). */
  seek(_offset: number, whence: number): number {
    return whence >= 0 && whence <= SEEK_HOLE ? 0 : -Errno.EINVAL;
  }

  tell(): number {
    return 0;
  }

  stat(): StatInfo {
    return anonInodeStat(this.bootNs);
  }

  /** Reads and writes leave the inode's times alone. */
  hostKey(): null {
    return null;
  }

  abstract poll(events: number): number;

  close(): void {}
}

/** An anonymous-inode object without transfers of its own (a pidfd, a landlock ruleset): poll
 *  finds it ready for both unless the object says otherwise. */
export class AnonInodeFile extends AnonFile {
  poll(events: number): number {
    return events & DEFAULT_POLLMASK;
  }
}
