// Syscalls that change a file's inode: chmod, fchmod, fchmodat; chown, fchown, lchown, fchownat;
// utimensat, utimes, futimesat, utime; truncate, ftruncate; fallocate; and the flushes fsync,
// fdatasync, syncfs, sync. The guest's own permission rules are checked first (owner, root), then
// the host makes the change; the times it sets are the file metadata's (metadata.ts), so stat
// reports what the guest asked for, or the virtual clock for "now".
import fs from 'node:fs';
import { argInt, argLong, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW } from '../context.js';
import { Errno, hostCall } from '../errno.js';
import { isDirectory, O_ACCMODE, O_RDONLY, OpenFile, StatInfo } from '../files.js';
import type { Process } from '../process.js';
import { exists, Lookup, mayAccess, W_OK } from '../vfs.js';
import { fdLookup, keyOf, lookupAt, statOf, usableFd } from './lookup.js';
import { IN_ATTRIB, IN_MODIFY, notifyFile, notifyLookup } from '../inotify.js';

/** The owner the guest sees of a file, and whether the file is one the kernel makes itself. */
function ownerOf(proc: Process, st: StatInfo): { uid: number; gid: number; own: boolean } {
  if (st.dev < 0n) return { uid: st.uid, gid: st.gid, own: true };
  return { ...proc.metadata.guestOwner(st.uid, st.gid), own: false };
}

/** What kind of target an inode change has: a host path, an open host fd, or something virtual
 *  (a /proc entry, an emulated device, a pipe). */
type Target = { host: string; fd: null; follow: boolean } | { host: null; fd: number; follow: boolean } | null;

function targetOf(l: Lookup, follow: boolean): Target {
  const v = l.virtual;
  if (v?.kind === 'fd') return v.file.hostFd !== null ? { host: null, fd: v.file.hostFd, follow } : null;
  if (v || l.host === null) return null;
  return { host: l.host, fd: null, follow };
}

/** The common prelude of an inode change: it exists, the tree is writable, and its stat. */
function prelude(c: SyscallContext, l: Lookup): StatInfo | number {
  if (!exists(l)) return -Errno.ENOENT;
  const st = statOf(c.proc, l);
  if (typeof st === 'number') return st;
  // Changing an inode on the read-only tree is refused whatever its type.
  if (c.proc.vfs.readOnly && st.dev >= 0n) return -Errno.EROFS;
  return st;
}

// ---------------------------------------------------------------- chmod

function chmodLookup(c: SyscallContext, l: Lookup, mode: number, follow: boolean): number {
  const st = prelude(c, l);
  if (typeof st === 'number') return st;
  const proc = c.proc;
  const owner = ownerOf(proc, st);
  if (proc.identity.euid !== 0 && owner.uid !== proc.identity.euid) return -Errno.EPERM;
  const target = targetOf(l, follow);
  if (!target) return l.virtual?.kind === 'fd' && l.virtual.file.kind === 'pipe' ? 0 : -Errno.EPERM;
  if (!follow && (st.mode & 0o170000) === 0o120000) return -Errno.EOPNOTSUPP;
  const bits = mode & 0o7777;
  const result = hostCall(() => (target.fd !== null ? fs.fchmodSync(target.fd, bits) : fs.chmodSync(target.host, bits)));
  if (result === 0) {
    proc.metadata.changed(keyOf(l));
    notifyLookup(proc, l, IN_ATTRIB);
  }
  return result;
}

function chmodAt(c: SyscallContext, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  const follow = !(flags & AT_SYMLINK_NOFOLLOW);
  const l = lookupAt(c, dirfd, pathAddr, follow, flags);
  if (typeof l === 'number') return l;
  return chmodLookup(c, l, mode, follow);
}

function chmod(c: SyscallContext): number {
  return chmodAt(c, AT_FDCWD, argUlong(c.args, 0), argUint(c.args, 1), 0);
}

function fchmodat(c: SyscallContext): number {
  return chmodAt(c, argInt(c.args, 0), argUlong(c.args, 1), argUint(c.args, 2), 0);
}

function fchmod(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  return chmodLookup(c, fdLookup(file), argUint(c.args, 1), true);
}

// ---------------------------------------------------------------- chown

const NO_CHANGE = 0xffffffff;

/** chown: root may give a file to anyone; others may only change the group of their own files to
 *  their group (or change nothing). The ids are the guest's; the host gets their mapping. */
function chownLookup(c: SyscallContext, l: Lookup, uid: number, gid: number, follow: boolean): number {
  const st = prelude(c, l);
  if (typeof st === 'number') return st;
  const proc = c.proc;
  const owner = ownerOf(proc, st);
  if (proc.identity.euid !== 0) {
    const mine = owner.uid === proc.identity.euid;
    if (uid !== NO_CHANGE && (uid !== owner.uid || !mine)) return -Errno.EPERM;
    if (gid !== NO_CHANGE && (!mine || (gid !== owner.gid && gid !== proc.identity.egid))) return -Errno.EPERM;
  }
  const target = targetOf(l, follow);
  if (!target) return l.virtual?.kind === 'fd' && l.virtual.file.kind === 'pipe' ? 0 : -Errno.EPERM;
  const mapped = proc.metadata.hostOwner(uid, gid);
  const hostUid = uid === NO_CHANGE ? -1 : mapped.uid;
  const hostGid = gid === NO_CHANGE ? -1 : mapped.gid;
  const result = hostCall(() => {
    if (target.fd !== null) fs.fchownSync(target.fd, hostUid, hostGid);
    else if (follow) fs.chownSync(target.host, hostUid, hostGid);
    else fs.lchownSync(target.host, hostUid, hostGid);
  });
  if (result === 0) {
    proc.metadata.changed(keyOf(l));
    notifyLookup(proc, l, IN_ATTRIB);
  }
  return result;
}

function chownAt(c: SyscallContext, dirfd: number, pathAddr: number, uid: number, gid: number, flags: number): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  const follow = !(flags & AT_SYMLINK_NOFOLLOW);
  const l = lookupAt(c, dirfd, pathAddr, follow, flags);
  if (typeof l === 'number') return l;
  return chownLookup(c, l, uid, gid, follow);
}

function chown(c: SyscallContext): number {
  return chownAt(c, AT_FDCWD, argUlong(c.args, 0), argUint(c.args, 1), argUint(c.args, 2), 0);
}

function lchown(c: SyscallContext): number {
  return chownAt(c, AT_FDCWD, argUlong(c.args, 0), argUint(c.args, 1), argUint(c.args, 2), AT_SYMLINK_NOFOLLOW);
}

function fchownat(c: SyscallContext): number {
  return chownAt(c, argInt(c.args, 0), argUlong(c.args, 1), argUint(c.args, 2), argUint(c.args, 3), argInt(c.args, 4));
}

function fchown(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  return chownLookup(c, fdLookup(file), argUint(c.args, 1), argUint(c.args, 2), true);
}

// ---------------------------------------------------------------- times

const UTIME_NOW = 0x3fffffff;
const UTIME_OMIT = 0x3ffffffe;
const NS = 1_000_000_000n;

/** One time to set: a moment (ns since the epoch), the current time, or no change. */
type TimeSpec = bigint | 'now' | 'omit';

/**
 * Sets a file's access and modification times. Explicit times need the owner (or root); "now"
 * needs the owner or write permission. The host file gets the explicit times (to the
 * microsecond) or the host's own now; the file metadata keeps what the guest sees: the exact
 * times, or the virtual clock's now.
 */
function setTimes(c: SyscallContext, l: Lookup, atime: TimeSpec, mtime: TimeSpec, follow: boolean): number {
  const st = prelude(c, l);
  if (typeof st === 'number') return st;
  const proc = c.proc;
  const owner = ownerOf(proc, st);
  const isOwner = proc.identity.euid === 0 || owner.uid === proc.identity.euid;
  const explicit = typeof atime === 'bigint' || typeof mtime === 'bigint';
  if (explicit && !isOwner) return -Errno.EPERM;
  if (!isOwner && !mayAccess(proc, st, W_OK, { guestOwned: owner.own })) return -Errno.EACCES;
  const target = targetOf(l, follow);
  if (!target) return owner.own && l.virtual?.kind !== 'proc' ? 0 : -Errno.EPERM;
  const hostNow = Date.now() / 1000;
  const hostTime = (t: TimeSpec, current: bigint): number => (t === 'now' ? hostNow : Number(t === 'omit' ? current : t) / 1e9);
  const a = hostTime(atime, st.atimeNs);
  const m = hostTime(mtime, st.mtimeNs);
  const result = hostCall(() => {
    if (target.fd !== null) fs.futimesSync(target.fd, a, m);
    else if (follow) fs.utimesSync(target.host, a, m);
    else fs.lutimesSync(target.host, a, m);
  });
  if (result < 0) return result;
  const now = proc.clock.realtimeNs();
  const guestTime = (t: TimeSpec): bigint | undefined => (t === 'now' ? now : t === 'omit' ? undefined : t);
  proc.metadata.timesSet(keyOf(l), guestTime(atime), guestTime(mtime));
  notifyLookup(proc, l, IN_ATTRIB);
  return 0;
}

/** Reads struct timespec[2] (utimensat); NULL: both now. A bad tv_nsec gives 'invalid', which
 *  the call reports (EINVAL) only after the path was found, as Linux does. */
function readTimespecs(c: SyscallContext, addr: number): [TimeSpec | 'invalid', TimeSpec | 'invalid'] {
  if (addr === 0) return ['now', 'now'];
  const raw = c.proc.mem.readBytes(addr, 32);
  const view = new DataView(raw.buffer, raw.byteOffset, 32);
  const times: (TimeSpec | 'invalid')[] = [];
  for (let k = 0; k < 2; k++) {
    const sec = view.getBigInt64(16 * k, true);
    const nsec = view.getBigInt64(16 * k + 8, true);
    if (nsec === BigInt(UTIME_NOW)) times.push('now');
    else if (nsec === BigInt(UTIME_OMIT)) times.push('omit');
    else if (nsec < 0n || nsec >= NS) times.push('invalid');
    else times.push(sec * NS + nsec);
  }
  return [times[0], times[1]];
}

/** Reads struct timeval[2] (utimes, futimesat); -EINVAL for a bad tv_usec. NULL: both now. */
function readTimevals(c: SyscallContext, addr: number): [TimeSpec, TimeSpec] | number {
  if (addr === 0) return ['now', 'now'];
  const raw = c.proc.mem.readBytes(addr, 32);
  const view = new DataView(raw.buffer, raw.byteOffset, 32);
  const times: TimeSpec[] = [];
  for (let k = 0; k < 2; k++) {
    const sec = view.getBigInt64(16 * k, true);
    const usec = view.getBigInt64(16 * k + 8, true);
    if (usec < 0n || usec >= 1_000_000n) return -Errno.EINVAL;
    times.push(sec * NS + usec * 1000n);
  }
  return [times[0], times[1]];
}

function utimensat(c: SyscallContext): number {
  const dirfd = argInt(c.args, 0);
  const pathAddr = argUlong(c.args, 1);
  const flags = argInt(c.args, 3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  const times = readTimespecs(c, argUlong(c.args, 2));
  // Nothing to change: success before the path is even looked at, as Linux does.
  if (times[0] === 'omit' && times[1] === 'omit') return 0;
  const follow = !(flags & AT_SYMLINK_NOFOLLOW);
  let l: Lookup | number;
  if (pathAddr === 0) {
    // futimens: the file is dirfd itself.
    if (dirfd === AT_FDCWD) return -Errno.EFAULT;
    if (flags) return -Errno.EINVAL;
    const file = usableFd(c, 0);
    if (typeof file === 'number') return file;
    l = fdLookup(file);
  } else l = lookupAt(c, dirfd, pathAddr, follow, flags);
  if (typeof l === 'number') return l;
  const [atime, mtime] = times;
  if (atime === 'invalid' || mtime === 'invalid') return exists(l) ? -Errno.EINVAL : -Errno.ENOENT;
  return setTimes(c, l, atime, mtime, follow);
}

function utimesAt(c: SyscallContext, dirfd: number, pathAddr: number, timesAddr: number): number {
  const times = readTimevals(c, timesAddr);
  if (typeof times === 'number') return times;
  const l = lookupAt(c, dirfd, pathAddr, true);
  if (typeof l === 'number') return l;
  return setTimes(c, l, times[0], times[1], true);
}

function utimes(c: SyscallContext): number {
  return utimesAt(c, AT_FDCWD, argUlong(c.args, 0), argUlong(c.args, 1));
}

function futimesat(c: SyscallContext): number {
  return utimesAt(c, argInt(c.args, 0), argUlong(c.args, 1), argUlong(c.args, 2));
}

/** utime: struct utimbuf { actime, modtime } in whole seconds; NULL is now. */
function utime(c: SyscallContext): number {
  const addr = argUlong(c.args, 1);
  let times: [TimeSpec, TimeSpec] = ['now', 'now'];
  if (addr !== 0) {
    const raw = c.proc.mem.readBytes(addr, 16);
    const view = new DataView(raw.buffer, raw.byteOffset, 16);
    times = [view.getBigInt64(0, true) * NS, view.getBigInt64(8, true) * NS];
  }
  const l = lookupAt(c, AT_FDCWD, argUlong(c.args, 0), true);
  if (typeof l === 'number') return l;
  return setTimes(c, l, times[0], times[1], true);
}

// ---------------------------------------------------------------- sizes

function truncate(c: SyscallContext): number {
  const length = argLong(c.args, 1);
  if (length < 0) return -Errno.EINVAL;
  const l = lookupAt(c, AT_FDCWD, argUlong(c.args, 0), true);
  if (typeof l === 'number') return l;
  if (!exists(l)) return -Errno.ENOENT;
  const st = statOf(c.proc, l);
  if (typeof st === 'number') return st;
  const type = st.mode & 0o170000;
  if (type === 0o040000) return -Errno.EISDIR;
  if (type !== 0o100000 || st.dev < 0n) return -Errno.EINVAL;
  if (c.proc.vfs.readOnly) return -Errno.EROFS;
  if (!mayAccess(c.proc, st, W_OK)) return -Errno.EACCES;
  // The running executable: get_write_access fails (ETXTBSY).
  if (c.proc.isRunningExecutable(l.host!)) return -Errno.ETXTBSY;
  const result = hostCall(() => fs.truncateSync(l.host!, length));
  if (result === 0) {
    c.proc.metadata.modified(keyOf(l));
    notifyLookup(c.proc, l, IN_MODIFY);
  }
  return result;
}

function ftruncate(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  const length = argLong(c.args, 1);
  if (length < 0) return -Errno.EINVAL;
  if ((file.flags & O_ACCMODE) === O_RDONLY) return -Errno.EINVAL;
  if (!file.truncate) return -Errno.EINVAL;
  const result = file.truncate(length);
  if (result === 0) {
    c.proc.metadata.modified(file.hostKey?.() ?? null);
    notifyFile(c.proc, file, IN_MODIFY);
  }
  return result;
}

const FALLOC_FL_KEEP_SIZE = 0x01;

/** fallocate: mode 0 extends the file to offset + len (the host file gets the size; the blocks
 *  are not reserved), FALLOC_FL_KEEP_SIZE changes nothing visible; other modes (punching and
 *  zeroing ranges, collapsing, inserting) are not supported: EOPNOTSUPP. */
function fallocate(c: SyscallContext): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  const mode = argInt(c.args, 1);
  const offset = argLong(c.args, 2);
  const len = argLong(c.args, 3);
  if (offset < 0 || len <= 0) return -Errno.EINVAL;
  if ((file.flags & O_ACCMODE) === O_RDONLY) return -Errno.EBADF;
  if (mode & ~FALLOC_FL_KEEP_SIZE) return -Errno.EOPNOTSUPP;
  if (file.kind === 'pipe' || file.kind === 'fifo') return -Errno.ESPIPE;
  if (isDirectory(file)) return -Errno.EISDIR;
  if (file.kind !== 'regular' || !file.truncate) return -Errno.ENODEV;
  if (offset + len > Number.MAX_SAFE_INTEGER) return -Errno.EFBIG;
  if (mode & FALLOC_FL_KEEP_SIZE) return 0;
  const st = file.stat();
  if (typeof st === 'number') return st;
  if (offset + len <= Number(st.size)) return 0;
  const result = file.truncate(offset + len);
  if (result === 0) {
    c.proc.metadata.modified(file.hostKey?.() ?? null);
    notifyFile(c.proc, file, IN_MODIFY);
  }
  return result;
}

// ---------------------------------------------------------------- flushes

/** fsync and fdatasync: the host's, for host files; EINVAL for what cannot be synced (pipes,
 *  emulated devices, /proc), as Linux answers. */
function syncFile(c: SyscallContext, data: boolean): number {
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  return flush(file, data);
}

function flush(file: OpenFile, data: boolean): number {
  if (file.hostFd === null) return -Errno.EINVAL;
  return hostCall(() => (data ? fs.fdatasyncSync(file.hostFd!) : fs.fsyncSync(file.hostFd!)));
}

function syncfs(c: SyscallContext): number {
  const file = usableFd(c, 0);
  return typeof file === 'number' ? file : 0;
}

export const ATTR_SYSCALLS: Record<string, SyscallHandler> = {
  chmod,
  fchmod,
  fchmodat,
  chown,
  fchown,
  lchown,
  fchownat,
  utimensat,
  utimes,
  futimesat,
  utime,
  truncate,
  ftruncate,
  fallocate,
  fsync: (c) => syncFile(c, false),
  fdatasync: (c) => syncFile(c, true),
  syncfs,
  sync: () => 0,
};
