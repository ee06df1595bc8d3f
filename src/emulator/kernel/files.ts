// Open file descriptions and the fd table. A description backed by a host file keeps its own
// offset and reads and writes at explicit positions, so the guest's view of the offset never
// depends on what else the host process does with the fd.
import fs from 'node:fs';
import tty from 'node:tty';
import { Errno, hostErrno } from './errno.js';
import { EMULATED_DEVICES_DEV, FileKey, fileKey, makedev } from './metadata.js';
import type { Entropy } from './random.js';
import type { BackingStore } from './mm.js';

export const O_ACCMODE = 3;
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_LARGEFILE = 0o100000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;
export const O_TMPFILE = 0o20200000;

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;
export const SEEK_DATA = 3;
export const SEEK_HOLE = 4;

/** What stat(2) reports, with 64-bit fields as bigint. */
export interface StatInfo {
  dev: bigint;
  ino: bigint;
  mode: number;
  nlink: bigint;
  uid: number;
  gid: number;
  rdev: bigint;
  size: bigint;
  blksize: bigint;
  blocks: bigint;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** Birth time (statx's stx_btime), when the filesystem keeps one. */
  btimeNs?: bigint;
}

export function statFromHost(s: fs.BigIntStats): StatInfo {
  return {
    dev: s.dev,
    ino: s.ino,
    mode: Number(s.mode),
    nlink: s.nlink,
    uid: Number(s.uid),
    gid: Number(s.gid),
    rdev: s.rdev,
    size: s.size,
    blksize: s.blksize,
    blocks: s.blocks,
    atimeNs: s.atimeNs,
    mtimeNs: s.mtimeNs,
    ctimeNs: s.ctimeNs,
    btimeNs: s.birthtimeNs > 0n ? s.birthtimeNs : undefined,
  };
}

/** What an open file description is: poll, ioctl, fcntl and /proc/self/fd ask. */
/** 'anon': an anonymous inode (anon_inode:inotify...). */
export type FileKind = 'regular' | 'directory' | 'chardev' | 'blockdev' | 'fifo' | 'socket' | 'symlink' | 'pipe' | 'proc' | 'anon';

/** poll(2) event bits. */
export const POLLIN = 0x1;
export const POLLPRI = 0x2;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;
export const POLLRDNORM = 0x40;
export const POLLWRNORM = 0x100;
/** What a file that never blocks reports (Linux's DEFAULT_POLLMASK). */
export const DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

/** The file kind of an S_IFMT file type. */
export function kindOfMode(mode: number): FileKind {
  switch (mode & 0o170000) {
    case 0o040000:
      return 'directory';
    case 0o020000:
      return 'chardev';
    case 0o060000:
      return 'blockdev';
    case 0o010000:
      return 'fifo';
    case 0o140000:
      return 'socket';
    case 0o120000:
      return 'symlink';
    default:
      return 'regular';
  }
}

/** An open file description: what an fd refers to. Results are byte counts or -errno. */
export interface OpenFile {
  /** What /proc/self/fd shows for it (and -y): the guest path it resolved to, `pipe:[N]`... */
  readonly path: string;
  /** O_* status flags (access mode, O_APPEND, O_NONBLOCK...). */
  flags: number;
  readonly kind: FileKind;
  read(into: Uint8Array): number;
  write(data: Uint8Array): number;
  pread(into: Uint8Array, position: number): number;
  pwrite(data: Uint8Array, position: number): number;
  seek(offset: number, whence: number): number;
  stat(): StatInfo | number;
  /** The host fd, when there is one (terminal queries). */
  readonly hostFd: number | null;
  /** The host file's identity, for the times the guest gives it (metadata.ts); null for files
   *  with none the guest could change. */
  hostKey?(): FileKey | null;
  /** The file offset (fdinfo's pos); 0 for files without one. */
  tell?(): number;
  /** The poll(2) events ready now, of those asked for (POLLHUP, POLLERR and POLLNVAL always). */
  poll?(events: number): number;
  /** Bytes a read could return at once (FIONREAD). */
  readable?(): number;
  /** How many times its wait queue was woken (each change a poller could see): an epoll
   *  edge-triggered interest fires when it moves. */
  wakeups?(): number;
  /** The monotonic time at which its readiness changes by time alone (an armed timerfd). */
  wakesAt?(): bigint | null;
  /** What it adds to /proc/<pid>/fdinfo/N after the common lines. */
  fdinfo?(): string;
  /** Sets the size (ftruncate); -errno when the description cannot. */
  truncate?(length: number): number;
  /** The bytes a file mapping of it shares, when the file lives in the emulator (memfd). */
  mappable?(): BackingStore;
  close(): void;
}

/** An open directory (a host one, or one of /proc): getdents lists it. */
export interface DirectoryLike extends OpenFile {
  /** Index of the next entry getdents returns. */
  position: number;
  listing(): DirectoryEntry[] | number;
}

export function isDirectory(file: OpenFile): file is DirectoryLike {
  return file.kind === 'directory';
}

/** The identity of the file behind a host fd, or null when fstat fails. */
function hostKeyOf(fd: number): FileKey | null {
  try {
    const s = fs.fstatSync(fd, { bigint: true });
    return fileKey(s.dev, s.ino);
  } catch {
    return null;
  }
}

/** A file description over a host file descriptor. */
export class HostFile implements OpenFile {
  /** The offset; -1 after an O_APPEND write until someone asks (the size then). */
  private position = 0;
  private key: FileKey | null | undefined;
  /** Regular files and block devices opened by the guest have offsets kept here; pipes,
   *  sockets, terminals and inherited stdio use the host's. */
  private readonly seekable: boolean;
  readonly kind: FileKind;
  /** A terminal (isatty). */
  readonly isTerminal: boolean;
  /** Bytes taken from a pipe or terminal by a readiness check and not yet read by the guest;
   *  `eof` when the check met the end. */
  private pending: Buffer | null = null;
  private pendingEof = false;
  /** A second, non-blocking description of the same pipe or terminal for readiness checks
   *  (-1: none can be had; null: not opened yet). */
  private probeFd: number | null = null;

  /** Its name, or how to make it when first asked. */
  private name: string | (() => string);
  /** The host fd was opened O_APPEND (the host then appends by itself). */
  private readonly hostAppends: boolean;

  constructor(
    readonly hostFd: number,
    name: string | (() => string),
    public flags: number,
    /** Whether closing the description closes the host fd (not for emtrace's own stdio). */
    private readonly ownsFd: boolean,
    /** The host fstat of the fd, when the caller has it. */
    hostStat?: fs.BigIntStats,
  ) {
    this.name = name;
    this.hostAppends = (flags & O_APPEND) !== 0;
    // emtrace's own stdio shares its offset with the shell that started it (`prog > out; echo
    // more >> out`), so those fds read and write at the host offset; Node has no lseek(2) to
    // move it, so they report ESPIPE to lseek.
    let mode = 0o100000;
    try {
      mode = Number((hostStat ?? fs.fstatSync(hostFd, { bigint: true })).mode);
    } catch {
      // a regular file then; using it reports the error
    }
    this.kind = kindOfMode(mode);
    this.seekable = ownsFd && (this.kind === 'regular' || this.kind === 'blockdev');
    this.isTerminal = this.kind === 'chardev' && tty.isatty(hostFd);
  }

  get path(): string {
    if (typeof this.name !== 'string') this.name = this.name();
    return this.name;
  }

  read(into: Uint8Array): number {
    if ((this.flags & O_ACCMODE) === O_WRONLY) return -Errno.EBADF;
    if (this.pending || this.pendingEof) return this.takePending(into);
    const n = this.transfer(() => fs.readSync(this.hostFd, into, 0, into.length, this.seekable ? this.tell() : null));
    if (n > 0 && this.seekable) this.position += n;
    return n;
  }

  write(data: Uint8Array): number {
    if ((this.flags & O_ACCMODE) === O_RDONLY) return -Errno.EBADF;
    if (this.seekable && this.flags & O_APPEND) {
      // The host appends when the fd was opened O_APPEND; when the guest set it later (F_SETFL),
      // the write goes at the size. The offset is the size then, found when asked.
      const n = this.hostAppends
        ? this.transfer(() => fs.writeSync(this.hostFd, data, 0, data.length, null))
        : this.transfer(() => writeAll(this.hostFd, data, Number(fs.fstatSync(this.hostFd).size)));
      if (n >= 0) this.position = -1;
      return n;
    }
    const n = this.transfer(() => writeAll(this.hostFd, data, this.seekable ? this.tell() : null));
    if (n > 0 && this.seekable) this.position += n;
    return n;
  }

  pread(into: Uint8Array, position: number): number {
    if (!this.seekable) return -Errno.ESPIPE;
    if ((this.flags & O_ACCMODE) === O_WRONLY) return -Errno.EBADF;
    return this.transfer(() => fs.readSync(this.hostFd, into, 0, into.length, position));
  }

  pwrite(data: Uint8Array, position: number): number {
    if (!this.seekable) return -Errno.ESPIPE;
    if ((this.flags & O_ACCMODE) === O_RDONLY) return -Errno.EBADF;
    return this.transfer(() => writeAll(this.hostFd, data, position));
  }

  seek(offset: number, whence: number): number {
    if (!this.seekable) return -Errno.ESPIPE;
    let base: number;
    if (whence === SEEK_SET) base = 0;
    else if (whence === SEEK_CUR) base = this.tell();
    else if (whence === SEEK_END || whence === SEEK_DATA || whence === SEEK_HOLE) {
      const s = this.stat();
      if (typeof s === 'number') return s;
      base = Number(s.size);
      // No holes are known: data runs from 0 to the end, the one hole is at the end.
      if (whence !== SEEK_END) {
        if (offset < 0 || offset >= base) return -Errno.ENXIO;
        this.position = whence === SEEK_DATA ? offset : base;
        return this.position;
      }
    } else return -Errno.EINVAL;
    const target = base + offset;
    if (target < 0) return -Errno.EINVAL;
    this.position = target;
    return target;
  }

  tell(): number {
    if (this.position < 0) {
      try {
        this.position = Number(fs.fstatSync(this.hostFd).size);
      } catch {
        this.position = 0;
      }
    }
    return this.seekable ? this.position : 0;
  }

  truncate(length: number): number {
    if (this.kind !== 'regular') return -Errno.EINVAL;
    try {
      fs.ftruncateSync(this.hostFd, length);
      return 0;
    } catch (e) {
      return -hostErrno(e);
    }
  }

  poll(events: number): number {
    if (this.kind === 'regular' || this.kind === 'blockdev' || (this.kind === 'chardev' && !this.isTerminal)) return DEFAULT_POLLMASK;
    let ready = POLLOUT | POLLWRNORM;
    if (events & (POLLIN | POLLRDNORM) && (this.flags & O_ACCMODE) !== O_WRONLY) {
      const state = this.probe();
      if (state === 'data' || state === 'unknown') ready |= POLLIN | POLLRDNORM;
      if (state === 'eof') ready |= this.kind === 'fifo' ? POLLHUP : POLLIN | POLLRDNORM;
    }
    return ready;
  }

  readable(): number {
    if (this.seekable) {
      const s = this.stat();
      return typeof s === 'number' ? 0 : Math.max(0, Number(s.size) - this.tell());
    }
    this.probe();
    return this.pending?.length ?? 0;
  }

  /** Whether a read of a pipe, socket or terminal would return at once: the bytes a
   *  non-blocking read of a second description of it got are kept for the guest's next read. */
  private probe(): 'data' | 'eof' | 'empty' | 'unknown' {
    if (this.pending) return 'data';
    if (this.pendingEof) return 'eof';
    if (this.probeFd === null) {
      try {
        this.probeFd = fs.openSync(`/proc/self/fd/${this.hostFd}`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
      } catch {
        this.probeFd = -1;
      }
    }
    if (this.probeFd < 0) return 'unknown';
    const buffer = Buffer.alloc(65536);
    try {
      const n = fs.readSync(this.probeFd, buffer, 0, buffer.length, null);
      if (n === 0) {
        this.pendingEof = true;
        return 'eof';
      }
      this.pending = buffer.subarray(0, n);
      return 'data';
    } catch (e) {
      return hostErrno(e) === Errno.EAGAIN ? 'empty' : 'unknown';
    }
  }

  private takePending(into: Uint8Array): number {
    if (!this.pending) {
      this.pendingEof = false;
      return 0;
    }
    const n = Math.min(into.length, this.pending.length);
    into.set(this.pending.subarray(0, n));
    this.pending = n < this.pending.length ? this.pending.subarray(n) : null;
    return n;
  }

  stat(): StatInfo | number {
    try {
      return statFromHost(fs.fstatSync(this.hostFd, { bigint: true }));
    } catch (e) {
      return -hostErrno(e);
    }
  }

  hostKey(): FileKey | null {
    if (this.key === undefined) this.key = hostKeyOf(this.hostFd);
    return this.key;
  }

  close(): void {
    if (this.probeFd !== null && this.probeFd >= 0) closeQuietly(this.probeFd);
    if (this.ownsFd) closeQuietly(this.hostFd);
  }

  /** Runs a host transfer, mapping errors to -errno and waiting out EAGAIN on descriptors the
   *  guest did not ask to be non-blocking (the host side may be non-blocking behind our back). */
  private transfer(io: () => number): number {
    for (;;) {
      try {
        return io();
      } catch (e) {
        const errno = hostErrno(e);
        if (errno === Errno.EAGAIN && !(this.flags & O_NONBLOCK)) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          continue;
        }
        return -errno;
      }
    }
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Closing cannot fail in a way the guest could act on.
  }
}

/** Writes all of data (a short write to a pipe or terminal is continued), returning the count. */
function writeAll(fd: number, data: Uint8Array, position: number | null): number {
  let done = 0;
  while (done < data.length) {
    const n = fs.writeSync(fd, data, done, data.length - done, position === null ? null : position + done);
    if (n <= 0) break;
    done += n;
  }
  return done;
}

// ---------------------------------------------------------------- directories

/** One entry of a directory listing, with the host identity the inode number is derived from. */
export interface DirectoryEntry {
  /** The name's bytes as the host filesystem has them. */
  name: Buffer;
  hostDev: bigint;
  hostIno: bigint;
  /** DT_* (the S_IFMT bits of the mode, shifted: DT_REG 8, DT_DIR 4, ...). */
  type: number;
}

/**
 * An open directory. Its listing is taken at the first getdents after the open or a rewind, sorted
 * by name after `.` and `..`, so it is the same on every filesystem; the offset is the index of the
 * next entry (the d_off cookie), and lseek(fd, 0, SEEK_SET) takes a fresh listing.
 */
export class DirectoryFile implements DirectoryLike {
  /** Index of the next entry getdents returns. */
  position = 0;
  readonly kind = 'directory';
  private entries: DirectoryEntry[] | null = null;
  private key: FileKey | null | undefined;

  constructor(
    readonly hostFd: number,
    readonly path: string,
    public flags: number,
    /** Its host path, when it differs from the guest's (--root). */
    private readonly hostPath = path,
  ) {}

  tell(): number {
    return this.position;
  }

  read(): number {
    return -Errno.EISDIR;
  }

  write(): number {
    return -Errno.EBADF;
  }

  pread(): number {
    return -Errno.EISDIR;
  }

  pwrite(): number {
    return -Errno.EBADF;
  }

  seek(offset: number, whence: number): number {
    let target: number;
    if (whence === SEEK_SET) target = offset;
    else if (whence === SEEK_CUR) target = this.position + offset;
    else return -Errno.EINVAL;
    if (target < 0) return -Errno.EINVAL;
    if (target === 0) this.entries = null;
    this.position = target;
    return target;
  }

  stat(): StatInfo | number {
    try {
      return statFromHost(fs.fstatSync(this.hostFd, { bigint: true }));
    } catch (e) {
      return -hostErrno(e);
    }
  }

  hostKey(): FileKey | null {
    if (this.key === undefined) this.key = hostKeyOf(this.hostFd);
    return this.key;
  }

  /** The whole listing (taking it if needed), or -errno. */
  listing(): DirectoryEntry[] | number {
    if (this.entries) return this.entries;
    // Through the open fd, so a directory renamed since it was opened still lists.
    let dir = `/proc/self/fd/${this.hostFd}`;
    let names: Buffer[];
    try {
      try {
        names = fs.readdirSync(dir, { encoding: 'buffer' });
      } catch {
        dir = this.hostPath;
        names = fs.readdirSync(dir, { encoding: 'buffer' });
      }
    } catch (e) {
      return -hostErrno(e);
    }
    names.sort(Buffer.compare);
    const entries: DirectoryEntry[] = [];
    const prefix = Buffer.from(dir + '/');
    for (const name of [Buffer.from('.'), Buffer.from('..'), ...names]) {
      let s: fs.BigIntStats;
      try {
        s = fs.lstatSync(Buffer.concat([prefix, name]), { bigint: true });
      } catch {
        continue; // removed since the listing was read
      }
      entries.push({ name, hostDev: s.dev, hostIno: s.ino, type: Number((s.mode >> 12n) & 0xfn) });
    }
    this.entries = entries;
    return entries;
  }

  close(): void {
    closeQuietly(this.hostFd);
  }
}

// ---------------------------------------------------------------- emulated device nodes

export interface DeviceNode {
  readonly name: 'null' | 'zero' | 'random' | 'urandom';
  /** Linux's device numbers for it (major 1, the mem driver). */
  readonly major: number;
  readonly minor: number;
}

/** The device nodes the kernel emulates instead of opening the host's, by path. */
export const EMULATED_DEVICES: ReadonlyMap<string, DeviceNode> = new Map([
  ['/dev/null', { name: 'null', major: 1, minor: 3 }],
  ['/dev/zero', { name: 'zero', major: 1, minor: 5 }],
  ['/dev/random', { name: 'random', major: 1, minor: 8 }],
  ['/dev/urandom', { name: 'urandom', major: 1, minor: 9 }],
]);

const S_IFCHR = 0o020000;

/** What stat reports for an emulated device node (its dev and ino are renumbered as any file's). */
export function deviceStat(node: DeviceNode, timeNs: bigint): StatInfo {
  return {
    dev: EMULATED_DEVICES_DEV,
    ino: BigInt(node.minor),
    mode: S_IFCHR | 0o666,
    nlink: 1n,
    uid: 0,
    gid: 0,
    rdev: makedev(node.major, node.minor),
    size: 0n,
    blksize: 4096n,
    blocks: 0n,
    atimeNs: timeNs,
    mtimeNs: timeNs,
    ctimeNs: timeNs,
  };
}

/** /dev/null (reads end at once, writes vanish), /dev/zero (reads zeros) and /dev/random and
 *  /dev/urandom (reads from the guest's entropy stream; writes are accepted and ignored). */
export class DeviceFile implements OpenFile {
  readonly hostFd = null;
  readonly kind = 'chardev';

  constructor(
    readonly path: string,
    public flags: number,
    readonly node: DeviceNode,
    private readonly random: Entropy,
    /** Its times: when the machine booted. */
    private readonly timeNs: bigint,
  ) {}

  read(into: Uint8Array): number {
    if ((this.flags & O_ACCMODE) === O_WRONLY) return -Errno.EBADF;
    switch (this.node.name) {
      case 'null':
        return 0;
      case 'zero':
        into.fill(0);
        return into.length;
      default:
        into.set(this.random.bytes(into.length));
        return into.length;
    }
  }

  write(data: Uint8Array): number {
    if ((this.flags & O_ACCMODE) === O_RDONLY) return -Errno.EBADF;
    return data.length;
  }

  /** These devices ignore the position. */
  pread(into: Uint8Array): number {
    return this.read(into);
  }

  pwrite(data: Uint8Array): number {
    return this.write(data);
  }

  /** null_lseek and noop_llseek: the offset stays 0. */
  seek(): number {
    return 0;
  }

  stat(): StatInfo {
    return deviceStat(this.node, this.timeNs);
  }

  hostKey(): null {
    return null;
  }

  close(): void {}
}

/** How many fds, over all the fd tables that share descriptions (a process and the children it
 *  forked), refer to each open file description: the description closes with the last of them,
 *  whichever process closes it. */
export class DescriptionRefs {
  private readonly counts = new Map<OpenFile, number>();

  hold(file: OpenFile): void {
    this.counts.set(file, (this.counts.get(file) ?? 0) + 1);
  }

  /** Drops one reference; true when it was the last. */
  drop(file: OpenFile): boolean {
    const n = (this.counts.get(file) ?? 1) - 1;
    if (n > 0) this.counts.set(file, n);
    else this.counts.delete(file);
    return n <= 0;
  }

  /** The fds referring to the description, in all tables. */
  count(file: OpenFile): number {
    return this.counts.get(file) ?? 0;
  }
}

/** The fd table: fd number -> description, plus the close-on-exec bit. Threads made with
 *  CLONE_FILES share one table; fork gives the child a copy (fork()). */
export class FdTable {
  private files: (OpenFile | undefined)[] = [];
  private cloexec: boolean[] = [];
  /** RLIMIT_NOFILE's soft limit. */
  limit = 1024;
  /** Told of every close: the description, and whether it was its last fd in any table (record
   *  locks: a process's POSIX locks go with any close, a description's OFD locks with its last). */
  onClose: ((file: OpenFile, last: boolean) => void) | null = null;

  constructor(
    /** The reference counts this table shares with the tables forked from it or it from. */
    readonly refs = new DescriptionRefs(),
  ) {}

  get(fd: number): OpenFile | undefined {
    return fd >= 0 ? this.files[fd] : undefined;
  }

  /** Installs a description at the lowest free fd >= minimum; -EMFILE when none is free. */
  allocate(file: OpenFile, closeOnExec: boolean, minimum = 0): number {
    for (let fd = minimum; fd < this.limit; fd++) {
      if (!this.files[fd]) {
        this.files[fd] = file;
        this.cloexec[fd] = closeOnExec;
        this.refs.hold(file);
        return fd;
      }
    }
    return -Errno.EMFILE;
  }

  /** Puts a description at a specific fd (dup2, stdio), closing what was there. */
  install(fd: number, file: OpenFile, closeOnExec: boolean): void {
    this.close(fd);
    this.files[fd] = file;
    this.cloexec[fd] = closeOnExec;
    this.refs.hold(file);
  }

  close(fd: number): boolean {
    const file = this.get(fd);
    if (!file) return false;
    this.files[fd] = undefined;
    const last = this.refs.drop(file);
    this.onClose?.(file, last);
    if (last) file.close();
    return true;
  }

  isCloseOnExec(fd: number): boolean {
    return this.cloexec[fd] ?? false;
  }

  setCloseOnExec(fd: number, value: boolean): void {
    this.cloexec[fd] = value;
  }

  /** Open fds in ascending order. */
  openFds(): number[] {
    const fds: number[] = [];
    this.files.forEach((f, fd) => f && fds.push(fd));
    return fds;
  }

  closeAll(): void {
    for (const fd of this.openFds()) this.close(fd);
  }

  /** The table of a forked child: the same fds on the same descriptions (so offsets, status
   *  flags and OFD locks are shared), the same close-on-exec bits and limit. Closing an fd in
   *  one table leaves the other's open. The child's onClose is its owner's to set (its POSIX
   *  locks are its own pid's). */
  fork(): FdTable {
    const child = new FdTable(this.refs);
    child.limit = this.limit;
    child.files = this.files.slice();
    child.cloexec = this.cloexec.slice();
    for (const file of child.files) if (file) this.refs.hold(file);
    return child;
  }

  /** execve: closes the fds marked close-on-exec, in ascending order; returns them. */
  closeOnExec(): number[] {
    const closed = this.openFds().filter((fd) => this.cloexec[fd]);
    for (const fd of closed) this.close(fd);
    return closed;
  }
}
