// Reading, writing and seeking on open file descriptors, directory listings, and the terminal
// ioctls.
import tty from 'node:tty';
import { argInt, argLong, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import { DirectoryFile, O_APPEND, O_CLOEXEC, O_NONBLOCK } from '../files.js';
import type { OpenFile } from '../files.js';

/** Linux caps one read/write at 0x7ffff000 bytes. */
const MAX_RW = 0x7ffff000;
/** Larger transfers than this are done in pieces, so a huge count does not allocate a huge buffer. */
const CHUNK = 1 << 20;
const IOV_MAX = 1024;

function fileOf(c: SyscallContext, argIndex: number): OpenFile | number {
  return c.proc.fds.get(argInt(c.args, argIndex)) ?? -Errno.EBADF;
}

/** A read's result, noting the access in the file's atime (metadata.ts). */
function accessed(c: SyscallContext, file: OpenFile, result: number): number {
  if (result >= 0) c.proc.metadata.accessed(file.hostKey?.() ?? null);
  return result;
}

/** A write's result, noting the change in the file's mtime and ctime when data was written. */
function modified(c: SyscallContext, file: OpenFile, result: number): number {
  if (result > 0) c.proc.metadata.modified(file.hostKey?.() ?? null);
  return result;
}

function read(c: SyscallContext): number {
  const file = fileOf(c, 0);
  if (typeof file === 'number') return file;
  const count = Math.min(argUlong(c.args, 2), MAX_RW);
  const n = readInto(c, file, argUlong(c.args, 1), count, null);
  return count > 0 ? accessed(c, file, n) : n;
}

function write(c: SyscallContext): number {
  const file = fileOf(c, 0);
  if (typeof file === 'number') return file;
  return modified(c, file, writeFrom(c, file, argUlong(c.args, 1), Math.min(argUlong(c.args, 2), MAX_RW), null));
}

function pread64(c: SyscallContext): number {
  const file = fileOf(c, 0);
  if (typeof file === 'number') return file;
  const offset = argLong(c.args, 3);
  if (offset < 0) return -Errno.EINVAL;
  const count = Math.min(argUlong(c.args, 2), MAX_RW);
  const n = readInto(c, file, argUlong(c.args, 1), count, offset);
  return count > 0 ? accessed(c, file, n) : n;
}

function pwrite64(c: SyscallContext): number {
  const file = fileOf(c, 0);
  if (typeof file === 'number') return file;
  const offset = argLong(c.args, 3);
  if (offset < 0) return -Errno.EINVAL;
  return modified(c, file, writeFrom(c, file, argUlong(c.args, 1), Math.min(argUlong(c.args, 2), MAX_RW), offset));
}

/** Reads up to count bytes into guest memory at addr (at `position`, or the file offset). */
function readInto(c: SyscallContext, file: OpenFile, addr: number, count: number, position: number | null): number {
  if (count === 0) return 0;
  if (!c.proc.mem.isAccessible(addr, count, 'write')) return -Errno.EFAULT;
  let total = 0;
  while (total < count) {
    const buffer = new Uint8Array(Math.min(count - total, CHUNK));
    const n = position === null ? file.read(buffer) : file.pread(buffer, position + total);
    if (n < 0) return total > 0 ? total : n;
    c.proc.mem.writeBytes(addr + total, buffer.subarray(0, n));
    total += n;
    // A short read (pipe, terminal, end of file) ends the call, as read(2) does.
    if (n < buffer.length) break;
  }
  return total;
}

function writeFrom(c: SyscallContext, file: OpenFile, addr: number, count: number, position: number | null): number {
  if (count === 0) return 0;
  if (!c.proc.mem.isAccessible(addr, count, 'read')) return -Errno.EFAULT;
  let total = 0;
  while (total < count) {
    const data = c.proc.mem.readBytes(addr + total, Math.min(count - total, CHUNK));
    const n = position === null ? file.write(data) : file.pwrite(data, position + total);
    if (n < 0) return total > 0 ? total : n;
    total += n;
    if (n < data.length) break;
  }
  return total;
}

/** The iovec array at addr: [base, len] pairs; -EINVAL for a bad count or total. */
function readIovecs(c: SyscallContext, addr: number, count: number): [number, number][] | number {
  if (count < 0 || count > IOV_MAX) return -Errno.EINVAL;
  const raw = c.proc.mem.readBytes(addr, count * 16);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const iovecs: [number, number][] = [];
  let total = 0;
  for (let k = 0; k < count; k++) {
    const base = view.getUint32(16 * k, true) + view.getUint32(16 * k + 4, true) * 4294967296;
    const lenHigh = view.getUint32(16 * k + 12, true);
    const len = view.getUint32(16 * k + 8, true) + lenHigh * 4294967296;
    if (lenHigh >= 0x80000000) return -Errno.EINVAL;
    total += len;
    iovecs.push([base, len]);
  }
  if (total > 0x7fffffffffffffff) return -Errno.EINVAL;
  return iovecs;
}

function readv(c: SyscallContext): number {
  const file = fileOf(c, 0);
  if (typeof file === 'number') return file;
  const iovecs = readIovecs(c, argUlong(c.args, 1), argInt(c.args, 2));
  if (typeof iovecs === 'number') return iovecs;
  let total = 0;
  for (const [base, len] of iovecs) {
    const n = readInto(c, file, base, Math.min(len, MAX_RW - total), null);
    if (n < 0) return total > 0 ? accessed(c, file, total) : n;
    total += n;
    if (n < len) break;
  }
  return iovecs.length > 0 ? accessed(c, file, total) : total;
}

function writev(c: SyscallContext): number {
  const file = fileOf(c, 0);
  if (typeof file === 'number') return file;
  const iovecs = readIovecs(c, argUlong(c.args, 1), argInt(c.args, 2));
  if (typeof iovecs === 'number') return iovecs;
  // Gather first so the data reaches the file in one write, as the kernel does for a pipe.
  for (const [base, len] of iovecs) if (len > 0 && !c.proc.mem.isAccessible(base, len, 'read')) return -Errno.EFAULT;
  const parts = iovecs.filter(([, len]) => len > 0).map(([base, len]) => c.proc.mem.readBytes(base, len));
  const data = Buffer.concat(parts);
  if (data.length === 0) return 0;
  return modified(c, file, file.write(data));
}

function lseek(c: SyscallContext): number {
  const file = fileOf(c, 0);
  if (typeof file === 'number') return file;
  return file.seek(argLong(c.args, 1), argUint(c.args, 2));
}

function close(c: SyscallContext): number {
  return c.proc.fds.close(argInt(c.args, 0)) ? 0 : -Errno.EBADF;
}

// ---------------------------------------------------------------- directories

/** struct linux_dirent64 up to d_name: d_ino, d_off, d_reclen, d_type. */
const DIRENT64_HEADER = 19;

/**
 * getdents64: as many whole entries of the directory's sorted listing (files.ts DirectoryFile) as
 * fit in `count` bytes, from its offset on. d_ino is the virtual inode number (metadata.ts), d_off
 * the index of the next entry; EINVAL when not even one entry fits, 0 at the end.
 */
function getdents64(c: SyscallContext): number {
  const file = fileOf(c, 0);
  if (typeof file === 'number') return file;
  if (!(file instanceof DirectoryFile)) return -Errno.ENOTDIR;
  const addr = argUlong(c.args, 1);
  const count = argUint(c.args, 2);
  const entries = file.listing();
  if (typeof entries === 'number') return entries;
  const records: Uint8Array[] = [];
  let used = 0;
  let position = file.position;
  for (; position < entries.length; position++) {
    const entry = entries[position];
    const reclen = (DIRENT64_HEADER + entry.name.length + 1 + 7) & ~7;
    if (used + reclen > count) break;
    const w = new StructWriter(reclen)
      .u64(0, c.proc.metadata.virtualIno(entry.hostDev, entry.hostIno))
      .u64(8, position + 1)
      .u16(16, reclen);
    w.bytes[18] = entry.type;
    w.bytes.set(entry.name, DIRENT64_HEADER);
    records.push(w.bytes);
    used += reclen;
  }
  if (used === 0 && position < entries.length) return -Errno.EINVAL;
  if (used > 0) c.proc.mem.writeBytes(addr, Buffer.concat(records));
  file.position = position;
  c.proc.metadata.accessed(file.hostKey());
  return used;
}

// ---------------------------------------------------------------- descriptors

const F_DUPFD = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const F_DUPFD_CLOEXEC = 1030;
const FD_CLOEXEC = 1;
/** The status flags F_SETFL may change: O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, O_NONBLOCK. */
const SETFL_MASK = O_APPEND | 0o20000 | 0o40000 | 0o1000000 | O_NONBLOCK;

function fcntl(c: SyscallContext): number {
  const fd = argInt(c.args, 0);
  const file = c.proc.fds.get(fd);
  if (!file) return -Errno.EBADF;
  const arg = argInt(c.args, 2);
  switch (argInt(c.args, 1)) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
      if (arg < 0 || arg >= c.proc.fds.limit) return -Errno.EINVAL;
      return c.proc.fds.allocate(file, argInt(c.args, 1) === F_DUPFD_CLOEXEC, arg);
    case F_GETFD:
      return c.proc.fds.isCloseOnExec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
      c.proc.fds.setCloseOnExec(fd, (arg & FD_CLOEXEC) !== 0);
      return 0;
    case F_GETFL:
      return file.flags;
    case F_SETFL:
      file.flags = (file.flags & ~SETFL_MASK) | (arg & SETFL_MASK);
      return 0;
    default:
      // Record locks, leases, pipe sizes and seals come with the kernel issue.
      return -Errno.EINVAL;
  }
}

function dup(c: SyscallContext): number {
  const file = fileOf(c, 0);
  if (typeof file === 'number') return file;
  return c.proc.fds.allocate(file, false);
}

function dupTo(c: SyscallContext, oldFd: number, newFd: number, closeOnExec: boolean): number {
  const file = c.proc.fds.get(oldFd);
  if (!file) return -Errno.EBADF;
  if (newFd < 0 || newFd >= c.proc.fds.limit) return -Errno.EBADF;
  c.proc.fds.install(newFd, file, closeOnExec);
  return newFd;
}

function dup2(c: SyscallContext): number {
  const oldFd = argInt(c.args, 0);
  const newFd = argInt(c.args, 1);
  // dup2 of an fd onto itself only checks that it is open.
  if (oldFd === newFd) return c.proc.fds.get(oldFd) ? newFd : -Errno.EBADF;
  return dupTo(c, oldFd, newFd, false);
}

function dup3(c: SyscallContext): number {
  const oldFd = argInt(c.args, 0);
  const newFd = argInt(c.args, 1);
  const flags = argInt(c.args, 2);
  if (flags & ~O_CLOEXEC || oldFd === newFd) return -Errno.EINVAL;
  return dupTo(c, oldFd, newFd, (flags & O_CLOEXEC) !== 0);
}

// ---------------------------------------------------------------- ioctl

const TCGETS = 0x5401;
const TIOCGWINSZ = 0x5413;

/** The termios a freshly opened terminal has (cooked mode, 38400 baud, 8 bits). */
function defaultTermios(): Uint8Array {
  const t = new StructWriter(60);
  t.u32(0, 0o2400) // c_iflag: ICRNL | IXON
    .u32(4, 0o5) // c_oflag: OPOST | ONLCR
    .u32(8, 0o277) // c_cflag: B38400 | CS8 | CREAD
    .u32(12, 0o105073); // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  // c_line 0, then c_cc: INTR QUIT ERASE KILL EOF TIME MIN ...
  const controlChars = [3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22];
  controlChars.forEach((ch, k) => (t.bytes[17 + k] = ch));
  return t.bytes;
}

function ioctl(c: SyscallContext): number {
  const file = fileOf(c, 0);
  if (typeof file === 'number') return file;
  const request = argUint(c.args, 1);
  const isTerminal = file.hostFd !== null && tty.isatty(file.hostFd);
  switch (request) {
    case TCGETS:
      if (!isTerminal) return -Errno.ENOTTY;
      c.proc.mem.writeBytes(argUlong(c.args, 2), defaultTermios());
      return 0;
    case TIOCGWINSZ: {
      if (!isTerminal) return -Errno.ENOTTY;
      const rows = Number(process.env.LINES) || 24;
      const cols = Number(process.env.COLUMNS) || 80;
      c.proc.mem.writeBytes(argUlong(c.args, 2), new StructWriter(8).u16(0, rows).u16(2, cols).bytes);
      return 0;
    }
    default:
      return -Errno.ENOTTY;
  }
}

export const IO_SYSCALLS: Record<string, SyscallHandler> = {
  read,
  write,
  pread64,
  pwrite64,
  readv,
  writev,
  lseek,
  close,
  getdents64,
  fcntl,
  dup,
  dup2,
  dup3,
  ioctl,
};
