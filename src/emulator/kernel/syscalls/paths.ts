// Syscalls that look files up by name: open, openat, openat2, creat; stat, lstat, fstat,
// newfstatat, statx; readlink, readlinkat; access, faccessat, faccessat2; getcwd, chdir, fchdir;
// statfs, fstatfs. Every path goes through the VFS (vfs.ts): its root, its /proc and devices,
// its read-only mode.
import fs from 'node:fs';
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, readPath, StructWriter } from '../context.js';
import { Errno, hostErrno } from '../errno.js';
import {
  DeviceFile,
  DirectoryFile,
  HostFile,
  isDirectory,
  O_ACCMODE,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_LARGEFILE,
  O_NOCTTY,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
  OpenFile,
  StatInfo,
} from '../files.js';
import { MemfdFile } from '../memfd.js';
import { PipeEnd } from '../pipes.js';
import { linkText, openProc, PROCFS_DEV, ProcDirectory, ProcFile, procStat } from '../procfs.js';
import {
  exists,
  isDirectoryLookup,
  Lookup,
  mayAccess,
  R_OK,
  RESOLVE_BENEATH,
  RESOLVE_CACHED,
  RESOLVE_IN_ROOT,
  W_OK,
  X_OK,
} from '../vfs.js';
import { fdArg, lookupAt, lstatKey, mayChangeParent, statOf } from './lookup.js';
import { IN_CREATE, IN_MODIFY, IN_OPEN, notifyFile } from '../inotify.js';

const AT_NO_AUTOMOUNT = 0x800;
const AT_EACCESS = 0x200;

// ---------------------------------------------------------------- open

/** The flags a description keeps (F_GETFL): the kernel drops the open-time-only ones and, on
 *  64-bit, always sets O_LARGEFILE. */
function descriptionFlags(flags: number): number {
  return (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) | O_LARGEFILE;
}

/** Installs a new description; closes it again when no fd is free. */
function install(c: SyscallContext, file: OpenFile, flags: number): number {
  const fd = c.proc.fds.allocate(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) file.close();
  return fd;
}

function openAt(c: SyscallContext, dirfd: number, pathAddr: number, flags: number, mode: number, resolveFlags = 0): number {
  const p = readPath(c.proc, pathAddr);
  if (typeof p === 'number') return p;
  if (p === '') return -Errno.ENOENT;
  return openPath(c, dirfd, p, flags, mode, resolveFlags);
}

/** open(2)'s rules over a resolved path. */
export function openPath(c: SyscallContext, dirfd: number, p: string, flags: number, mode: number, resolveFlags = 0): number {
  const proc = c.proc;
  const pathOnly = (flags & O_PATH) !== 0;
  // O_PATH keeps only these flags; the others are ignored.
  if (pathOnly) flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  const tmpfile = (flags & O_TMPFILE) === O_TMPFILE;
  const creating = !pathOnly && (flags & O_CREAT) !== 0;
  if (tmpfile && ((flags & O_ACCMODE) === O_RDONLY || flags & O_CREAT)) return -Errno.EINVAL;
  if (creating && flags & O_DIRECTORY) return -Errno.EINVAL;
  const exclusive = creating && (flags & O_EXCL) !== 0;
  const l = proc.vfs.resolve(proc, dirfd, p, { follow: !(flags & O_NOFOLLOW) && !exclusive, resolve: resolveFlags });
  if (typeof l === 'number') return l;
  if (tmpfile) return openTmpfile(c, l, flags, mode);
  if (!exists(l)) {
    if (!creating) return -Errno.ENOENT;
    if (l.trailingSlash) return -Errno.EISDIR;
    if (l.host === null || l.guest.startsWith('/proc/')) return -Errno.EACCES;
    const refused = proc.vfs.refuseWrite(null);
    if (refused) return refused;
    if (!mayChangeParent(proc, l)) return -Errno.EACCES;
    return openHost(c, l.host, l.guest, flags, mode, true);
  }
  if (exclusive) return -Errno.EEXIST;
  const v = l.virtual;
  if (v?.kind === 'device') {
    if (flags & O_DIRECTORY) return -Errno.ENOTDIR;
    return install(c, new DeviceFile(l.guest, descriptionFlags(flags), v.device, proc.random, proc.clock.bootRealtimeNs), flags);
  }
  if (v?.kind === 'proc') {
    const node = v.node;
    if (flags & O_DIRECTORY && node.type !== 'dir') return -Errno.ENOTDIR;
    if (node.type === 'dir' && creating) return -Errno.EISDIR;
    const info = procStat(proc, l.guest, node);
    if (pathOnly) {
      const file = node.type === 'dir' ? new ProcDirectory(proc, l.guest, flags, node, info) : new ProcFile(l.guest, flags, '', info);
      return install(c, file, flags);
    }
    if (node.type === 'link') return -Errno.ELOOP;
    const file = openProc(proc, l.guest, node, descriptionFlags(flags));
    return typeof file === 'number' ? file : install(c, file, flags);
  }
  if (v?.kind === 'fd') return reopen(c, v.file, flags, mode);
  const st = l.stat!;
  if (st.isSymbolicLink() && !pathOnly) return -Errno.ELOOP;
  const isDir = st.isDirectory();
  if (flags & O_DIRECTORY && !isDir) return -Errno.ENOTDIR;
  const writes = !pathOnly && ((flags & O_ACCMODE) !== O_RDONLY || (flags & O_TRUNC) !== 0);
  if (isDir && (writes || creating)) return -Errno.EISDIR;
  if (writes) {
    const refused = proc.vfs.refuseWrite(l);
    if (refused) return refused;
  }
  if (!pathOnly && proc.identity.euid !== 0) {
    const acc = flags & O_ACCMODE;
    const want = (acc === O_RDONLY || acc === O_RDWR ? R_OK : 0) | (writes ? W_OK : 0);
    if (!mayAccess(proc, st, want)) return -Errno.EACCES;
  }
  return openHost(c, l.host!, l.guest, flags, mode, false);
}

/** Opens a host file for the guest; `creating` when the name did not exist. */
function openHost(c: SyscallContext, hostPath: string, guest: string, flags: number, mode: number, creating: boolean): number {
  const magic = hostPath.startsWith('/proc/self/fd/');
  // O_CLOEXEC is ours to track; the host fd is private to emtrace anyway. O_NOFOLLOW: the walk
  // resolved every link already, so a link swapped in meanwhile must not lead elsewhere.
  let hostFlags = (flags & ~O_CLOEXEC) | O_NOCTTY | (magic ? 0 : O_NOFOLLOW);
  // The running executable cannot be opened for writing (nor truncated by O_TRUNC): ETXTBSY, as
  // Linux's deny_write_access does. Checked before the host open, which would truncate it.
  if (!creating && ((flags & O_ACCMODE) !== O_RDONLY || flags & O_TRUNC) && c.proc.isRunningExecutable(hostPath)) return -Errno.ETXTBSY;
  hostFlags = creating ? hostFlags | O_CREAT | O_EXCL : hostFlags & ~(O_CREAT | O_EXCL);
  let fd: number;
  try {
    fd = creating ? c.proc.vfs.withUmask(c.proc.umask, () => fs.openSync(hostPath, hostFlags, mode & 0o7777)) : fs.openSync(hostPath, hostFlags);
  } catch (e) {
    return -hostErrno(e);
  }
  let st: fs.BigIntStats | undefined;
  try {
    st = fs.fstatSync(fd, { bigint: true });
  } catch {
    // a HostFile then, which reports the error when used
  }
  const keep = descriptionFlags(flags);
  const file: OpenFile = st?.isDirectory()
    ? new DirectoryFile(fd, guest, keep, magic ? `/proc/self/fd/${fd}` : hostPath)
    : new HostFile(fd, guest, keep, true, st);
  const result = install(c, file, flags);
  if (result < 0) return result;
  // The times the guest gave the file (and a new file's directory).
  const metadata = c.proc.metadata;
  const pathOnly = (flags & O_PATH) !== 0;
  if (creating) {
    metadata.created(file.hostKey?.() ?? null);
    metadata.modified(lstatKey(hostPath.slice(0, Math.max(1, hostPath.lastIndexOf('/')))));
    notifyFile(c.proc, file, IN_CREATE);
  }
  if (!pathOnly) notifyFile(c.proc, file, IN_OPEN);
  if (!creating && flags & O_TRUNC && (flags & O_ACCMODE) !== O_RDONLY && file.kind === 'regular') {
    metadata.modified(file.hostKey?.() ?? null);
    notifyFile(c.proc, file, IN_MODIFY);
  }
  return result;
}

/** O_TMPFILE: an unnamed file in the directory. */
function openTmpfile(c: SyscallContext, l: Lookup, flags: number, mode: number): number {
  if (!exists(l)) return -Errno.ENOENT;
  if (!isDirectoryLookup(l) || l.host === null) return -Errno.ENOTDIR;
  const refused = c.proc.vfs.refuseWrite(l);
  if (refused) return refused;
  let fd: number;
  try {
    const host = l.host;
    fd = c.proc.vfs.withUmask(c.proc.umask, () => fs.openSync(host, (flags & ~O_CLOEXEC) | O_NOCTTY, mode & 0o7777));
  } catch (e) {
    return -hostErrno(e);
  }
  const st = fs.fstatSync(fd, { bigint: true });
  const ino = c.proc.metadata.virtualIno(st.dev, st.ino);
  const file = new HostFile(fd, `${l.guest === '/' ? '' : l.guest}/#${ino} (deleted)`, descriptionFlags(flags), true, st);
  const result = install(c, file, flags);
  if (result >= 0) {
    c.proc.metadata.created(file.hostKey());
    // It has no name: its number is free again when it is closed.
    c.proc.metadata.removed(file.hostKey(), true);
  }
  return result;
}

/** Opening /proc/self/fd/N: a new description of the same file. */
function reopen(c: SyscallContext, file: OpenFile, flags: number, mode: number): number {
  if (flags & O_DIRECTORY && !isDirectory(file)) return -Errno.ENOTDIR;
  if (file.hostFd !== null) {
    if (isDirectory(file) && ((flags & O_ACCMODE) !== O_RDONLY || flags & O_TRUNC)) return -Errno.EISDIR;
    if ((flags & O_ACCMODE) !== O_RDONLY && file.kind === 'regular') {
      const refused = c.proc.vfs.refuseWrite(null);
      if (refused) return refused;
    }
    return openHost(c, `/proc/self/fd/${file.hostFd}`, file.path, flags & ~(O_CREAT | O_EXCL), mode, false);
  }
  if (file instanceof PipeEnd) {
    const acc = (flags & O_ACCMODE) === O_RDONLY ? O_RDONLY : O_WRONLY;
    return install(c, new PipeEnd(file.pipe, (flags & ~O_ACCMODE & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC)) | acc), flags);
  }
  if (file instanceof MemfdFile) {
    const reopened = file.reopen(descriptionFlags(flags));
    if (flags & O_TRUNC && (flags & O_ACCMODE) !== O_RDONLY) {
      const r = reopened.truncate(0);
      if (r < 0) return r;
    }
    return install(c, reopened, flags);
  }
  if (file instanceof DeviceFile) {
    return install(c, new DeviceFile(file.path, descriptionFlags(flags), file.node, c.proc.random, c.proc.clock.bootRealtimeNs), flags);
  }
  // A /proc file: open it again by its path.
  return openPath(c, AT_FDCWD, file.path, flags & ~(O_CREAT | O_EXCL), mode);
}

function open(c: SyscallContext): number {
  return openAt(c, AT_FDCWD, argUlong(c.args, 0), argInt(c.args, 1), argUint(c.args, 2));
}

function openat(c: SyscallContext): number {
  return openAt(c, argInt(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2), argUint(c.args, 3));
}

function creat(c: SyscallContext): number {
  return openAt(c, AT_FDCWD, argUlong(c.args, 0), O_CREAT | O_TRUNC | O_WRONLY, argUint(c.args, 1));
}

/** The flags openat2 accepts (Linux's VALID_OPEN_FLAGS). */
const VALID_OPEN_FLAGS = 0o3 | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | 0o2000 | 0o4000 | 0o4000000 | 0o10000 | 0o20000 | 0o40000 | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | 0o1000000 | O_CLOEXEC | O_PATH | 0o20000000;
const OPEN_HOW_SIZE = 24;

/** openat2: open with a struct open_how { flags, mode, resolve } and RESOLVE_* rules. */
function openat2(c: SyscallContext): number {
  const size = argUlong(c.args, 3);
  if (size < OPEN_HOW_SIZE) return -Errno.EINVAL;
  if (size > 4096) return -Errno.E2BIG;
  const raw = c.proc.mem.readBytes(argUlong(c.args, 2), size);
  if (raw.subarray(OPEN_HOW_SIZE).some((b) => b !== 0)) return -Errno.E2BIG;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const flags = view.getBigUint64(0, true);
  const mode = view.getBigUint64(8, true);
  const resolve = view.getBigUint64(16, true);
  if (flags & ~BigInt(VALID_OPEN_FLAGS)) return -Errno.EINVAL;
  const f = Number(flags);
  if (mode & ~0o7777n || (mode !== 0n && !(f & O_CREAT) && (f & O_TMPFILE) !== O_TMPFILE)) return -Errno.EINVAL;
  if (resolve & ~0x3fn) return -Errno.EINVAL;
  const r = Number(resolve);
  if (r & RESOLVE_BENEATH && r & RESOLVE_IN_ROOT) return -Errno.EINVAL;
  if (r & RESOLVE_CACHED && f & (O_CREAT | O_TRUNC | O_TMPFILE)) return -Errno.EAGAIN;
  return openAt(c, argInt(c.args, 0), argUlong(c.args, 1), f, Number(mode), r);
}

// ---------------------------------------------------------------- stat

/** struct stat as x86-64 Linux lays it out (144 bytes). */
export function encodeStat(s: StatInfo): Uint8Array {
  const w = new StructWriter(144);
  const seconds = (ns: bigint) => ns / 1000000000n;
  const nanos = (ns: bigint) => ns % 1000000000n;
  w.u64(0, s.dev)
    .u64(8, s.ino)
    .u64(16, s.nlink)
    .u32(24, s.mode)
    .u32(28, s.uid)
    .u32(32, s.gid)
    .u64(40, s.rdev)
    .u64(48, s.size)
    .u64(56, s.blksize)
    .u64(64, s.blocks)
    .u64(72, seconds(s.atimeNs))
    .u64(80, nanos(s.atimeNs))
    .u64(88, seconds(s.mtimeNs))
    .u64(96, nanos(s.mtimeNs))
    .u64(104, seconds(s.ctimeNs))
    .u64(112, nanos(s.ctimeNs));
  return w.bytes;
}

function writeStat(c: SyscallContext, result: StatInfo | number, bufAddr: number): number {
  if (typeof result === 'number') return result;
  c.proc.mem.writeBytes(bufAddr, encodeStat(c.proc.metadata.view(result)));
  return 0;
}

function statAt(c: SyscallContext, dirfd: number, pathAddr: number, bufAddr: number, flags: number): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) return -Errno.EINVAL;
  const l = lookupAt(c, dirfd, pathAddr, !(flags & AT_SYMLINK_NOFOLLOW), flags);
  if (typeof l === 'number') return l;
  return writeStat(c, statOf(c.proc, l), bufAddr);
}

function stat(c: SyscallContext): number {
  return statAt(c, AT_FDCWD, argUlong(c.args, 0), argUlong(c.args, 1), 0);
}

function lstat(c: SyscallContext): number {
  return statAt(c, AT_FDCWD, argUlong(c.args, 0), argUlong(c.args, 1), AT_SYMLINK_NOFOLLOW);
}

function fstat(c: SyscallContext): number {
  const file = fdArg(c, 0);
  if (typeof file === 'number') return file;
  return writeStat(c, file.stat(), argUlong(c.args, 1));
}

function newfstatat(c: SyscallContext): number {
  return statAt(c, argInt(c.args, 0), argUlong(c.args, 1), argUlong(c.args, 2), argInt(c.args, 3));
}

const STATX_BASIC_STATS = 0x7ff;
const STATX_BTIME = 0x800;
const STATX_MNT_ID = 0x1000;
const STATX_RESERVED = 0x80000000;
const AT_STATX_SYNC_TYPE = 0x6000;
const STATX_ATTR_MOUNT_ROOT = 0x2000;
/** The attributes an ext4 file system can report, and the ones the VFS adds. */
const STATX_ATTRIBUTES_MASK = 0x100874 | STATX_ATTR_MOUNT_ROOT | 0x1000 | 0x200000;
/** The mount ids /proc/self/mountinfo lists. */
const ROOT_MOUNT_ID = 21;
const PROC_MOUNT_ID = 22;

function major(dev: bigint): number {
  return Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
}

function minor(dev: bigint): number {
  return Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
}

/** struct statx (256 bytes). */
function encodeStatx(s: StatInfo, mask: number, attributes: number, mountId: number): Uint8Array {
  const w = new StructWriter(256);
  const time = (offset: number, ns: bigint) => w.u64(offset, ns / 1000000000n).u32(offset + 8, Number(ns % 1000000000n));
  w.u32(0, mask)
    .u32(4, Number(s.blksize))
    .u64(8, attributes)
    .u32(16, Number(s.nlink))
    .u32(20, s.uid)
    .u32(24, s.gid)
    .u16(28, s.mode & 0xffff)
    .u64(32, s.ino)
    .u64(40, s.size)
    .u64(48, s.blocks)
    .u64(56, STATX_ATTRIBUTES_MASK);
  time(64, s.atimeNs);
  if (mask & STATX_BTIME && s.btimeNs !== undefined) time(80, s.btimeNs);
  time(96, s.ctimeNs);
  time(112, s.mtimeNs);
  w.u32(128, major(s.rdev)).u32(132, minor(s.rdev)).u32(136, major(s.dev)).u32(140, minor(s.dev)).u64(144, mountId);
  return w.bytes;
}

/** statx: the basic fields always, the birth time (from the file metadata) when asked for and
 *  known, the mount id. */
function statx(c: SyscallContext): number {
  const dirfd = argInt(c.args, 0);
  const flags = argInt(c.args, 2);
  const mask = argUint(c.args, 3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)) return -Errno.EINVAL;
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) return -Errno.EINVAL;
  if (mask & STATX_RESERVED) return -Errno.EINVAL;
  const l = lookupAt(c, dirfd, argUlong(c.args, 1), !(flags & AT_SYMLINK_NOFOLLOW), flags);
  if (typeof l === 'number') return l;
  const host = statOf(c.proc, l);
  if (typeof host === 'number') return host;
  const s = c.proc.metadata.view(host);
  let resultMask = STATX_BASIC_STATS | STATX_MNT_ID;
  if (mask & STATX_BTIME && s.btimeNs !== undefined) resultMask |= STATX_BTIME;
  const onProc = host.dev === PROCFS_DEV;
  const attributes = l.guest === '/' || l.guest === '/proc' ? STATX_ATTR_MOUNT_ROOT : 0;
  c.proc.mem.writeBytes(argUlong(c.args, 4), encodeStatx(s, resultMask, attributes, onProc ? PROC_MOUNT_ID : ROOT_MOUNT_ID));
  return 0;
}

// ---------------------------------------------------------------- links, access, the cwd

function readlinkAt(c: SyscallContext, dirfd: number, pathAddr: number, bufAddr: number, size: number): number {
  if (size <= 0) return -Errno.EINVAL;
  const p = readPath(c.proc, pathAddr);
  if (typeof p === 'number') return p;
  // An empty path names dirfd itself, when that is a link (an O_PATH|O_NOFOLLOW descriptor).
  if (p === '' && dirfd === AT_FDCWD) return -Errno.ENOENT;
  const l = lookupAt(c, dirfd, pathAddr, false, AT_EMPTY_PATH);
  if (typeof l === 'number') return l;
  if (p === '' && l.virtual?.kind === 'fd') {
    const st = l.virtual.file.stat();
    if (typeof st === 'number' || (st.mode & 0o170000) !== 0o120000) return -Errno.ENOENT;
  }
  let target: Buffer;
  const v = l.virtual;
  if (v?.kind === 'proc') {
    if (v.node.type !== 'link') return -Errno.EINVAL;
    target = Buffer.from(linkText(v.node), 'utf8');
  } else if (v?.kind === 'fd') {
    const st = v.file.stat();
    if (typeof st === 'number' || (st.mode & 0o170000) !== 0o120000 || v.file.hostFd === null) return -Errno.EINVAL;
    try {
      target = fs.readlinkSync(c.proc.vfs.hostPath(v.file.path), { encoding: 'buffer' });
    } catch (e) {
      return -hostErrno(e);
    }
  } else if (l.stat?.isSymbolicLink()) {
    try {
      target = fs.readlinkSync(l.host!, { encoding: 'buffer' });
    } catch (e) {
      return -hostErrno(e);
    }
  } else return exists(l) ? -Errno.EINVAL : -Errno.ENOENT;
  // readlink does not NUL-terminate and silently truncates.
  const bytes = target.subarray(0, size);
  c.proc.mem.writeBytes(bufAddr, bytes);
  return bytes.length;
}

function readlink(c: SyscallContext): number {
  return readlinkAt(c, AT_FDCWD, argUlong(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2));
}

function readlinkat(c: SyscallContext): number {
  return readlinkAt(c, argInt(c.args, 0), argUlong(c.args, 1), argUlong(c.args, 2), argInt(c.args, 3));
}

/** access(2): with the real ids, unless AT_EACCESS. The host must agree too (it may refuse
 *  what the guest's ids would allow). */
function accessAt(c: SyscallContext, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  if (mode & ~7) return -Errno.EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  const l = lookupAt(c, dirfd, pathAddr, !(flags & AT_SYMLINK_NOFOLLOW), flags);
  if (typeof l === 'number') return l;
  if (!exists(l)) return -Errno.ENOENT;
  if (mode === 0) return 0;
  const st = statOf(c.proc, l);
  if (typeof st === 'number') return st;
  if (mode & W_OK) {
    const refused = c.proc.vfs.refuseWrite(l);
    if (refused) return refused;
  }
  const guestOwned = st.dev < 0n;
  if (!mayAccess(c.proc, st, mode, { real: !(flags & AT_EACCESS), guestOwned })) return -Errno.EACCES;
  if (guestOwned) return mode & W_OK && l.virtual?.kind === 'proc' ? -Errno.EACCES : 0;
  if (l.host !== null) {
    try {
      fs.accessSync(l.host, mode);
    } catch (e) {
      return -hostErrno(e);
    }
  }
  return 0;
}

function access(c: SyscallContext): number {
  return accessAt(c, AT_FDCWD, argUlong(c.args, 0), argInt(c.args, 1), 0);
}

function faccessat(c: SyscallContext): number {
  return accessAt(c, argInt(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2), 0);
}

function faccessat2(c: SyscallContext): number {
  return accessAt(c, argInt(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2), argInt(c.args, 3));
}

function getcwd(c: SyscallContext): number {
  // The cwd may have been removed since: Linux then answers ENOENT.
  const here = c.proc.vfs.resolve(c.proc, AT_FDCWD, '.', { follow: true });
  if (typeof here === 'number' || !exists(here)) return -Errno.ENOENT;
  const bytes = Buffer.from(c.proc.cwd + '\0', 'utf8');
  const size = argUlong(c.args, 1);
  if (size < bytes.length) return -Errno.ERANGE;
  c.proc.mem.writeBytes(argUlong(c.args, 0), bytes);
  return bytes.length;
}

/** Makes a directory the cwd after the checks chdir and fchdir share. */
function enter(c: SyscallContext, l: Lookup): number {
  if (!exists(l)) return -Errno.ENOENT;
  if (!isDirectoryLookup(l)) return -Errno.ENOTDIR;
  if (c.proc.identity.euid !== 0) {
    const st = statOf(c.proc, l);
    if (typeof st === 'number') return st;
    if (!mayAccess(c.proc, st, X_OK, { guestOwned: st.dev < 0n })) return -Errno.EACCES;
  }
  c.proc.cwd = l.guest;
  return 0;
}

function chdir(c: SyscallContext): number {
  const l = lookupAt(c, AT_FDCWD, argUlong(c.args, 0), true);
  if (typeof l === 'number') return l;
  return enter(c, l);
}

function fchdir(c: SyscallContext): number {
  const file = fdArg(c, 0);
  if (typeof file === 'number') return file;
  if (!isDirectory(file)) return -Errno.ENOTDIR;
  const l = c.proc.vfs.resolve(c.proc, AT_FDCWD, file.path, { follow: true });
  return typeof l === 'number' ? l : enter(c, l);
}

// ---------------------------------------------------------------- statfs

const EXT4_SUPER_MAGIC = 0xef53;
const PROC_SUPER_MAGIC = 0x9fa0;
const PIPEFS_MAGIC = 0x50495045;
const TMPFS_MAGIC = 0x01021994;
const ST_RDONLY = 0x1;
const ST_NOSUID = 0x2;
const ST_NODEV = 0x4;
const ST_NOEXEC = 0x8;
const ST_VALID = 0x20;
const ST_RELATIME = 0x1000;

/** The file systems statfs describes: fixed, so a run does not depend on the host's disks. The
 *  root is a 100 GiB ext4-like file system, half free. */
export const ROOT_FS = {
  blocks: 26214400n,
  free: 13107200n,
  available: 11796480n,
  files: 6553600n,
  freeFiles: 6291456n,
};

/** struct statfs (120 bytes) of the file system holding a file of the given kind. */
function encodeStatfs(c: SyscallContext, kind: 'root' | 'proc' | 'pipe' | 'dev'): Uint8Array {
  const w = new StructWriter(120);
  const readOnly = c.proc.vfs.readOnly ? ST_RDONLY : 0;
  switch (kind) {
    case 'root':
      w.u64(0, EXT4_SUPER_MAGIC)
        .u64(16, ROOT_FS.blocks)
        .u64(24, ROOT_FS.free)
        .u64(32, ROOT_FS.available)
        .u64(40, ROOT_FS.files)
        .u64(48, ROOT_FS.freeFiles)
        .u32(56, 0x656d7472)
        .u32(60, 0x61636500)
        .u64(80, ST_VALID | ST_RELATIME | readOnly);
      break;
    case 'proc':
      w.u64(0, PROC_SUPER_MAGIC).u64(80, ST_VALID | ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME);
      break;
    case 'pipe':
      w.u64(0, PIPEFS_MAGIC).u64(80, ST_VALID);
      break;
    case 'dev':
      w.u64(0, TMPFS_MAGIC).u64(16, 2048).u64(24, 2048).u64(32, 2048).u64(40, 1048576).u64(48, 1048000).u64(80, ST_VALID | ST_NOSUID | ST_RELATIME);
      break;
  }
  w.u64(8, 4096).u64(64, 255).u64(72, 4096);
  return w.bytes;
}

function fsKind(st: StatInfo | number, guest: string): 'root' | 'proc' | 'pipe' | 'dev' {
  if (typeof st !== 'number') {
    if (st.dev === PROCFS_DEV) return 'proc';
    if (st.dev < 0n) return (st.mode & 0o170000) === 0o010000 ? 'pipe' : 'dev';
    if ((st.mode & 0o170000) === 0o020000 && guest.startsWith('/dev/')) return 'dev';
  }
  return 'root';
}

function statfs(c: SyscallContext): number {
  const l = lookupAt(c, AT_FDCWD, argUlong(c.args, 0), true);
  if (typeof l === 'number') return l;
  if (!exists(l)) return -Errno.ENOENT;
  const st = statOf(c.proc, l);
  if (typeof st === 'number') return st;
  c.proc.mem.writeBytes(argUlong(c.args, 1), encodeStatfs(c, fsKind(st, l.guest)));
  return 0;
}

function fstatfs(c: SyscallContext): number {
  const file = fdArg(c, 0);
  if (typeof file === 'number') return file;
  const st = file.stat();
  const kind = file.kind === 'pipe' ? 'pipe' : fsKind(st, file.path);
  c.proc.mem.writeBytes(argUlong(c.args, 1), encodeStatfs(c, kind));
  return 0;
}

export const PATH_SYSCALLS: Record<string, SyscallHandler> = {
  open,
  openat,
  openat2,
  creat,
  stat,
  lstat,
  fstat,
  newfstatat,
  statx,
  readlink,
  readlinkat,
  access,
  faccessat,
  faccessat2,
  getcwd,
  chdir,
  fchdir,
  statfs,
  fstatfs,
};

