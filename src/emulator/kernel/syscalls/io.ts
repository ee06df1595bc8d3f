// Reading, writing and seeking on open file descriptors: read, write, pread64, pwrite64, readv,
// writev, preadv, pwritev, preadv2, pwritev2, lseek, close; directory listings (getdents64,
// getdents); and the in-kernel copies sendfile, copy_file_range and splice.
import { argInt, argLong, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { blocksForever, StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import { DirectoryEntry, isDirectory, O_ACCMODE, O_APPEND, O_NONBLOCK, O_RDONLY, O_WRONLY, OpenFile, SEEK_CUR } from '../files.js';
import { PipeEnd, WOULD_BLOCK_FOREVER } from '../pipes.js';
import { usableFd } from './lookup.js';
import type { Process } from '../process.js';
import { SI_USER } from '../signals.js';
import { Socket, SOCK_STREAM } from '../sockets/socket.js';

/** Linux caps one read/write at 0x7ffff000 bytes. */
const MAX_RW = 0x7ffff000;
/** Larger transfers than this are done in pieces, so a huge count does not allocate a huge buffer. */
const CHUNK = 1 << 20;
const IOV_MAX = 1024;

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

const SIGPIPE = 13;

/** A write to a pipe or stream socket no one reads any more: SIGPIPE, as pipe_write and
 *  unix_stream_sendmsg send it (send_sig: si_code SI_USER from the process itself). */
export function raiseSigpipe(proc: Process): void {
  proc.signals.send({ signo: SIGPIPE, code: SI_USER, sender: { pid: proc.pid, uid: proc.identity.uid } });
}

/** EPIPE from a write comes with SIGPIPE (not from a seqpacket socket: unix_dgram_sendmsg
 *  sends none). */
function brokenPipe(c: SyscallContext, file: OpenFile, result: number): number {
  if (result === -Errno.EPIPE && !(file instanceof Socket && file.type !== SOCK_STREAM)) raiseSigpipe(c.proc);
  return result;
}

/** A transfer that could never complete in this one process (pipes.ts): diagnosed, EDEADLK. */
function stuck(c: SyscallContext, what: string, file: OpenFile): number {
  return blocksForever(c.proc, `${what} on ${file.path}`);
}

function read(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  const count = Math.min(argUlong(c.args, 2), MAX_RW);
  const n = readInto(c, file, argUlong(c.args, 1), count, null);
  return count > 0 ? accessed(c, file, n) : n;
}

function write(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  return modified(c, file, brokenPipe(c, file, writeFrom(c, file, argUlong(c.args, 1), Math.min(argUlong(c.args, 2), MAX_RW), null)));
}

function pread64(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  const offset = argLong(c.args, 3);
  if (offset < 0) return -Errno.EINVAL;
  const count = Math.min(argUlong(c.args, 2), MAX_RW);
  const n = readInto(c, file, argUlong(c.args, 1), count, offset);
  return count > 0 ? accessed(c, file, n) : n;
}

function pwrite64(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  const offset = argLong(c.args, 3);
  if (offset < 0) return -Errno.EINVAL;
  return modified(c, file, writeFrom(c, file, argUlong(c.args, 1), Math.min(argUlong(c.args, 2), MAX_RW), offset));
}

/** Reads up to count bytes into guest memory at addr (at `position`, or the file offset). */
function readInto(c: SyscallContext, file: OpenFile, addr: number, count: number, position: number | null): number {
  if (count === 0) return 0;
  // As Linux, a bad buffer shows only when bytes are to be copied into it (a read at the end of
  // a file returns 0 whatever the buffer).
  let total = 0;
  while (total < count) {
    const buffer = new Uint8Array(Math.min(count - total, CHUNK));
    const n = position === null ? file.read(buffer) : file.pread(buffer, position + total);
    if (n < 0) {
      if (total > 0) return total;
      return n === WOULD_BLOCK_FOREVER ? stuck(c, 'read', file) : n;
    }
    if (n > 0 && !c.proc.mem.isAccessible(addr + total, n, 'write')) {
      // Not read after all: the offset goes back (a pipe's bytes are lost, as the kernel's
      // would be after a fault mid-copy).
      if (position === null) file.seek(-n, SEEK_CUR);
      return total > 0 ? total : -Errno.EFAULT;
    }
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
    if (n < 0) {
      if (total > 0) return total;
      return n === WOULD_BLOCK_FOREVER ? stuck(c, 'write', file) : n;
    }
    total += n;
    if (n < data.length) break;
  }
  return total;
}

/** The iovec array at addr: [base, len] pairs; -EINVAL for a bad count or length. */
function readIovecs(c: SyscallContext, addr: number, count: number): [number, number][] | number {
  if (count < 0 || count > IOV_MAX) return -Errno.EINVAL;
  if (count === 0) return [];
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

/** readv and its positioned forms: fills the buffers in order until a short read. */
function readVector(c: SyscallContext, file: OpenFile, iovecs: [number, number][], position: number | null): number {
  let total = 0;
  for (const [base, len] of iovecs) {
    const n = readInto(c, file, base, Math.min(len, MAX_RW - total), position === null ? null : position + total);
    if (n < 0) return total > 0 ? accessed(c, file, total) : n;
    total += n;
    if (n < len) break;
  }
  return iovecs.length > 0 ? accessed(c, file, total) : total;
}

/** writev and its positioned forms: the buffers gathered, so the data reaches the file in one
 *  write, as the kernel does for a pipe. */
function writeVector(c: SyscallContext, file: OpenFile, iovecs: [number, number][], position: number | null): number {
  for (const [base, len] of iovecs) if (len > 0 && !c.proc.mem.isAccessible(base, len, 'read')) return -Errno.EFAULT;
  const parts = iovecs.filter(([, len]) => len > 0).map(([base, len]) => c.proc.mem.readBytes(base, len));
  const data = Buffer.concat(parts).subarray(0, MAX_RW);
  if (data.length === 0) return 0;
  let n = position === null ? file.write(data) : file.pwrite(data, position);
  if (n === WOULD_BLOCK_FOREVER) n = stuck(c, 'write', file);
  return modified(c, file, brokenPipe(c, file, n));
}

function vectorArgs(c: SyscallContext): { file: OpenFile; iovecs: [number, number][] } | number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  const iovecs = readIovecs(c, argUlong(c.args, 1), argInt(c.args, 2));
  return typeof iovecs === 'number' ? iovecs : { file, iovecs };
}

function readv(c: SyscallContext): number {
  const a = vectorArgs(c);
  return typeof a === 'number' ? a : readVector(c, a.file, a.iovecs, null);
}

function writev(c: SyscallContext): number {
  const a = vectorArgs(c);
  return typeof a === 'number' ? a : writeVector(c, a.file, a.iovecs, null);
}

function preadv(c: SyscallContext): number {
  const a = vectorArgs(c);
  if (typeof a === 'number') return a;
  const offset = argLong(c.args, 3);
  if (offset < 0) return -Errno.EINVAL;
  return readVector(c, a.file, a.iovecs, offset);
}

function pwritev(c: SyscallContext): number {
  const a = vectorArgs(c);
  if (typeof a === 'number') return a;
  const offset = argLong(c.args, 3);
  if (offset < 0) return -Errno.EINVAL;
  return writeVector(c, a.file, a.iovecs, offset);
}

const RWF_HIPRI = 0x1;
const RWF_DSYNC = 0x2;
const RWF_SYNC = 0x4;
const RWF_NOWAIT = 0x8;
const RWF_APPEND = 0x10;
const RWF_SUPPORTED = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND;

/** preadv2/pwritev2: an offset of -1 means the file offset; RWF_* flags (RWF_APPEND writes at the
 *  end, RWF_NOWAIT turns a wait into EAGAIN; the others only tune the host's caching). */
function vector2(c: SyscallContext, writing: boolean): number {
  const a = vectorArgs(c);
  if (typeof a === 'number') return a;
  const offset = argLong(c.args, 3);
  const flags = argInt(c.args, 5);
  if (flags & ~RWF_SUPPORTED) return -Errno.EOPNOTSUPP;
  if (offset < -1) return -Errno.EINVAL;
  const { file } = a;
  if (flags & RWF_NOWAIT && file instanceof PipeEnd) {
    const ready = file.poll();
    if (!(ready & (writing ? 0x4 : 0x1)) && (writing || file.pipe.writers > 0)) return -Errno.EAGAIN;
  }
  if (!writing) return readVector(c, file, a.iovecs, offset === -1 ? null : offset);
  let position: number | null = offset === -1 ? null : offset;
  if (flags & RWF_APPEND && position !== null) {
    const st = file.stat();
    if (typeof st !== 'number' && file.kind === 'regular') position = Number(st.size);
  }
  return writeVector(c, file, a.iovecs, position);
}

function lseek(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  return file.seek(argLong(c.args, 1), argUint(c.args, 2));
}

function close(c: SyscallContext): number {
  return c.proc.fds.close(argInt(c.args, 0)) ? 0 : -Errno.EBADF;
}

// ---------------------------------------------------------------- directories

/** struct linux_dirent64 up to d_name: d_ino, d_off, d_reclen, d_type. */
const DIRENT64_HEADER = 19;
/** struct linux_dirent (getdents) up to d_name: d_ino, d_off, d_reclen; d_type is its last byte. */
const DIRENT_HEADER = 18;

/**
 * getdents64 and getdents: as many whole entries of the directory's sorted listing (files.ts
 * DirectoryFile, procfs.ts ProcDirectory) as fit in `count` bytes, from its offset on. d_ino is
 * the virtual inode number (metadata.ts), d_off the index of the next entry; EINVAL when not even
 * one entry fits, 0 at the end.
 */
function listDirectory(c: SyscallContext, record: (entry: DirectoryEntry, ino: bigint, next: number) => Uint8Array): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  if (!isDirectory(file)) return -Errno.ENOTDIR;
  const addr = argUlong(c.args, 1);
  const count = argUint(c.args, 2);
  const entries = file.listing();
  if (typeof entries === 'number') return entries;
  const records: Uint8Array[] = [];
  let used = 0;
  let position = file.position;
  for (; position < entries.length; position++) {
    const entry = entries[position];
    const bytes = record(entry, c.proc.metadata.virtualIno(entry.hostDev, entry.hostIno), position + 1);
    if (used + bytes.length > count) break;
    records.push(bytes);
    used += bytes.length;
  }
  if (used === 0 && position < entries.length) return -Errno.EINVAL;
  if (used > 0) c.proc.mem.writeBytes(addr, Buffer.concat(records));
  file.position = position;
  c.proc.metadata.accessed(file.hostKey?.() ?? null);
  return used;
}

function getdents64(c: SyscallContext): number {
  return listDirectory(c, (entry, ino, next) => {
    const reclen = (DIRENT64_HEADER + entry.name.length + 1 + 7) & ~7;
    const w = new StructWriter(reclen).u64(0, ino).u64(8, next).u16(16, reclen);
    w.bytes[18] = entry.type;
    w.bytes.set(entry.name, DIRENT64_HEADER);
    return w.bytes;
  });
}

function getdents(c: SyscallContext): number {
  return listDirectory(c, (entry, ino, next) => {
    const reclen = (DIRENT_HEADER + entry.name.length + 2 + 7) & ~7;
    const w = new StructWriter(reclen).u64(0, ino).u64(8, next).u16(16, reclen);
    w.bytes.set(entry.name, DIRENT_HEADER);
    w.bytes[reclen - 1] = entry.type;
    return w.bytes;
  });
}

// ---------------------------------------------------------------- copies inside the kernel

function readable(file: OpenFile): boolean {
  return (file.flags & O_ACCMODE) !== O_WRONLY;
}

function writable(file: OpenFile): boolean {
  return (file.flags & O_ACCMODE) !== O_RDONLY;
}

function isPipe(file: OpenFile): boolean {
  return file.kind === 'pipe' || file.kind === 'fifo';
}

/** The loff_t an offset pointer argument points to (null for NULL), or -errno. */
function readOffset(c: SyscallContext, addr: number): number | null | { errno: number } {
  if (addr === 0) return null;
  const raw = c.proc.mem.readBytes(addr, 8);
  const value = new DataView(raw.buffer, raw.byteOffset, 8).getBigInt64(0, true);
  if (value < 0n) return { errno: -Errno.EINVAL };
  return Number(value);
}

function writeOffset(c: SyscallContext, addr: number, value: number): void {
  c.proc.mem.writeBytes(addr, new StructWriter(8).u64(0, value).bytes);
}

/**
 * Moves up to `count` bytes from `from` to `to`, reading at `inPos` (null: the file offset) and
 * writing at `outPos` (null: the file offset). Returns the bytes moved, or -errno when none were.
 */
function transfer(c: SyscallContext, from: OpenFile, to: OpenFile, count: number, inPos: number | null, outPos: number | null): number {
  let total = 0;
  while (total < count) {
    let chunk = Math.min(count - total, CHUNK);
    if (to instanceof PipeEnd) {
      // Only what fits: a pipe that is full would make the call wait.
      chunk = Math.min(chunk, to.pipe.capacity - to.pipe.length);
      if (chunk === 0) {
        if (total > 0) break;
        return to.flags & O_NONBLOCK ? -Errno.EAGAIN : stuck(c, 'write', to);
      }
    }
    const buffer = new Uint8Array(chunk);
    let n = inPos === null ? from.read(buffer) : from.pread(buffer, inPos + total);
    if (n < 0) {
      if (total > 0) break;
      return n === WOULD_BLOCK_FOREVER ? stuck(c, 'read', from) : n;
    }
    if (n === 0) break;
    const w = outPos === null ? to.write(buffer.subarray(0, n)) : to.pwrite(buffer.subarray(0, n), outPos + total);
    if (w < 0) {
      if (total > 0) break;
      return w === WOULD_BLOCK_FOREVER ? stuck(c, 'write', to) : w;
    }
    total += w;
    // What was read and not written goes back (the source's offset).
    if (w < n) {
      if (inPos === null) from.seek(w - n, SEEK_CUR);
      break;
    }
    if (n < chunk) break;
  }
  if (total > 0) {
    c.proc.metadata.accessed(from.hostKey?.() ?? null);
    c.proc.metadata.modified(to.hostKey?.() ?? null);
  }
  return total;
}

/** sendfile(out_fd, in_fd, offset, count): from a file (not a pipe) to anything. With an offset
 *  pointer the input is read there and its file offset stays. */
function sendfile(c: SyscallContext): number {
  const out = usableFd(c, 0);
  if (typeof out === 'number') return out;
  const input = usableFd(c, 1);
  if (typeof input === 'number') return input;
  if (!readable(input) || !writable(out)) return -Errno.EBADF;
  if (out.flags & O_APPEND) return -Errno.EINVAL;
  const offsetAddr = argUlong(c.args, 2);
  const offset = readOffset(c, offsetAddr);
  if (offset !== null && typeof offset === 'object') return offset.errno;
  if (offset !== null && isPipe(input)) return -Errno.ESPIPE;
  if (isPipe(input) || isDirectory(input)) return -Errno.EINVAL;
  const count = Math.min(argUlong(c.args, 3), MAX_RW);
  if (count === 0) return 0;
  const n = transfer(c, input, out, count, offset, null);
  if (n >= 0 && offset !== null) writeOffset(c, offsetAddr, offset + n);
  return n;
}

/** copy_file_range: between two regular files, at the given offsets or the file offsets. */
function copyFileRange(c: SyscallContext): number {
  const input = usableFd(c, 0);
  if (typeof input === 'number') return input;
  const out = usableFd(c, 2);
  if (typeof out === 'number') return out;
  if (argUint(c.args, 5) !== 0) return -Errno.EINVAL;
  if (!readable(input) || !writable(out) || out.flags & O_APPEND) return -Errno.EBADF;
  if (isDirectory(input) || isDirectory(out)) return -Errno.EISDIR;
  if (input.kind !== 'regular' || out.kind !== 'regular') return -Errno.EINVAL;
  const inAddr = argUlong(c.args, 1);
  const outAddr = argUlong(c.args, 3);
  const inOffset = readOffset(c, inAddr);
  if (inOffset !== null && typeof inOffset === 'object') return inOffset.errno;
  const outOffset = readOffset(c, outAddr);
  if (outOffset !== null && typeof outOffset === 'object') return outOffset.errno;
  const len = Math.min(argUlong(c.args, 4), MAX_RW);
  const inStart = inOffset ?? input.tell?.() ?? 0;
  const outStart = outOffset ?? out.tell?.() ?? 0;
  const inKey = input.hostKey?.() ?? null;
  if (inKey !== null && inKey === out.hostKey?.() && inStart < outStart + len && outStart < inStart + len) return -Errno.EINVAL;
  if (len === 0) return 0;
  const n = transfer(c, input, out, len, inStart, outStart);
  if (n > 0) {
    if (inOffset === null) input.seek(inStart + n, 0);
    else writeOffset(c, inAddr, inOffset + n);
    if (outOffset === null) out.seek(outStart + n, 0);
    else writeOffset(c, outAddr, outOffset + n);
  }
  return n;
}

const SPLICE_F_NONBLOCK = 0x2;
const SPLICE_FLAGS = 0x1 | SPLICE_F_NONBLOCK | 0x4 | 0x8;

/** splice: moves data into or out of a pipe (one end at least must be one). */
function splice(c: SyscallContext): number {
  const input = usableFd(c, 0);
  if (typeof input === 'number') return input;
  const out = usableFd(c, 2);
  if (typeof out === 'number') return out;
  const flags = argUint(c.args, 5);
  if (flags & ~SPLICE_FLAGS) return -Errno.EINVAL;
  if (!readable(input) || !writable(out)) return -Errno.EBADF;
  if (!isPipe(input) && !isPipe(out)) return -Errno.EINVAL;
  const inAddr = argUlong(c.args, 1);
  const outAddr = argUlong(c.args, 3);
  if ((isPipe(input) && inAddr !== 0) || (isPipe(out) && outAddr !== 0)) return -Errno.ESPIPE;
  if (out.flags & O_APPEND) return -Errno.EINVAL;
  const inOffset = readOffset(c, inAddr);
  if (inOffset !== null && typeof inOffset === 'object') return inOffset.errno;
  const outOffset = readOffset(c, outAddr);
  if (outOffset !== null && typeof outOffset === 'object') return outOffset.errno;
  const len = Math.min(argUlong(c.args, 4), MAX_RW);
  if (len === 0) return 0;
  if (flags & SPLICE_F_NONBLOCK && input instanceof PipeEnd && input.pipe.length === 0 && input.pipe.writers > 0) return -Errno.EAGAIN;
  const n = transfer(c, input, out, len, inOffset, outOffset);
  if (n > 0) {
    if (inOffset !== null) writeOffset(c, inAddr, inOffset + n);
    if (outOffset !== null) writeOffset(c, outAddr, outOffset + n);
  }
  return n;
}

export const IO_SYSCALLS: Record<string, SyscallHandler> = {
  read,
  write,
  pread64,
  pwrite64,
  readv,
  writev,
  preadv,
  pwritev,
  preadv2: (c) => vector2(c, false),
  pwritev2: (c) => vector2(c, true),
  lseek,
  close,
  getdents,
  getdents64,
  sendfile,
  copy_file_range: copyFileRange,
  splice,
};
