// Syscalls that add, remove and move directory entries: mkdir, mkdirat, mknod, mknodat, rmdir,
// unlink, unlinkat, rename, renameat, renameat2, link, linkat, symlink, symlinkat. Names are
// resolved by the VFS without following a last symlink; the checks come in Linux's order (the
// kind of last component, the read-only mount, existence, types), then the host does the change.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, readPath } from '../context.js';
import { Errno, hostCall } from '../errno.js';
import type { Process } from '../process.js';
import { exists, isDirectoryLookup, Lookup } from '../vfs.js';
import { keyOf, lookupAt, lstatKey, mayChangeParent, parentHost } from './lookup.js';
import { IN_ATTRIB, IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_MOVE_SELF, IN_MOVED_FROM, IN_MOVED_TO, notifyLookup } from '../inotify.js';

/** The guest changed a directory's entries: its mtime and ctime move. */
function parentModified(proc: Process, l: Lookup): void {
  proc.metadata.modified(lstatKey(parentHost(l)));
}

/** Whether a descriptor of the process refers to the file. */
function isOpen(proc: Process, key: string | null): boolean {
  return key !== null && proc.fds.openFds().some((fd) => proc.fds.get(fd)?.hostKey?.() === key);
}

/** The name removed was the file's last (a directory has only one): tell the metadata. */
function lastNameGone(proc: Process, l: Lookup, key: string | null): void {
  if (!l.stat || (l.stat.nlink > 1n && !l.stat.isDirectory())) return;
  proc.metadata.removed(key, isOpen(proc, key));
}

/** inotify's events for a removed name, in Linux's order: the file's link count changed
 *  (IN_ATTRIB, not for a directory); a file that lost its last name is gone (IN_DELETE_SELF,
 *  its watches end), then the directory lost the entry. */
function notifyRemoved(proc: Process, l: Lookup, key: string | null): void {
  const isDir = l.stat?.isDirectory() ?? false;
  if (!isDir) notifyLookup(proc, l, IN_ATTRIB, { key, isDir, selfOnly: true });
  if (isDir || !l.stat || l.stat.nlink <= 1n) notifyLookup(proc, l, IN_DELETE_SELF, { key, isDir, dropped: true });
  notifyLookup(proc, l, IN_DELETE, { key, isDir });
}

/** A name in /proc or an emulated device node: not the host's to change. */
function isVirtual(l: Lookup): boolean {
  return l.host === null || l.virtual !== undefined || l.guest === '/proc' || l.guest.startsWith('/proc/');
}

// ---------------------------------------------------------------- mkdir

function mkdirAt(c: SyscallContext, dirfd: number, pathAddr: number, mode: number): number {
  const proc = c.proc;
  const l = lookupAt(c, dirfd, pathAddr, 'never');
  if (typeof l === 'number') return l;
  if (exists(l)) return -Errno.EEXIST;
  if (isVirtual(l)) return -Errno.EPERM;
  const refused = proc.vfs.refuseChange(l);
  if (refused) return refused;
  if (!mayChangeParent(proc, l)) return -Errno.EACCES;
  const host = l.host!;
  const result = proc.vfs.withUmask(proc.umask, () => hostCall(() => fs.mkdirSync(host, { mode: mode & 0o1777 })));
  if (result < 0) return result;
  proc.metadata.created(lstatKey(host));
  parentModified(proc, l);
  notifyLookup(proc, l, IN_CREATE, { isDir: true });
  return 0;
}

function mkdir(c: SyscallContext): number {
  return mkdirAt(c, AT_FDCWD, argUlong(c.args, 0), argUint(c.args, 1));
}

function mkdirat(c: SyscallContext): number {
  return mkdirAt(c, argInt(c.args, 0), argUlong(c.args, 1), argUint(c.args, 2));
}

// ---------------------------------------------------------------- mknod

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFIFO = 0o010000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFSOCK = 0o140000;

/**
 * mknod: regular files (created empty) and FIFOs (made by the host's mkfifo(1): Node has no
 * mkfifo). Device nodes need CAP_MKNOD (EPERM for other users) and are made by mknod(1);
 * sockets are not made (EPERM).
 */
function mknodAt(c: SyscallContext, dirfd: number, pathAddr: number, mode: number, dev: number): number {
  const proc = c.proc;
  const type = mode & S_IFMT;
  if (type !== 0 && type !== S_IFREG && type !== S_IFIFO && type !== S_IFCHR && type !== S_IFBLK && type !== S_IFSOCK) return -Errno.EINVAL;
  const l = lookupAt(c, dirfd, pathAddr, 'never');
  if (typeof l === 'number') return l;
  if (exists(l)) return -Errno.EEXIST;
  if (isVirtual(l)) return -Errno.EPERM;
  const refused = proc.vfs.refuseChange(l);
  if (refused) return refused;
  if (!mayChangeParent(proc, l)) return -Errno.EACCES;
  if (type === S_IFSOCK || ((type === S_IFCHR || type === S_IFBLK) && proc.identity.euid !== 0)) return -Errno.EPERM;
  const host = l.host!;
  const perm = (mode & 0o7777 & ~proc.umask).toString(8);
  let result: number;
  if (type === 0 || type === S_IFREG) {
    result = proc.vfs.withUmask(proc.umask, () =>
      hostCall(() => fs.closeSync(fs.openSync(host, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, mode & 0o7777))),
    );
  } else {
    const args =
      type === S_IFIFO
        ? ['mkfifo', '-m', perm, host]
        : ['mknod', '-m', perm, host, type === S_IFCHR ? 'c' : 'b', String(((dev >>> 8) & 0xfff) >>> 0), String(((dev & 0xff) | ((dev >>> 12) & ~0xff)) >>> 0)];
    const r = spawnSync(args[0], args.slice(1), { stdio: 'ignore' });
    result = r.status === 0 ? 0 : fs.existsSync(host) ? -Errno.EEXIST : -Errno.EPERM;
  }
  if (result < 0) return result;
  proc.metadata.created(lstatKey(host));
  parentModified(proc, l);
  notifyLookup(proc, l, IN_CREATE, { isDir: false });
  return 0;
}

function mknod(c: SyscallContext): number {
  return mknodAt(c, AT_FDCWD, argUlong(c.args, 0), argUint(c.args, 1), argUint(c.args, 2));
}

function mknodat(c: SyscallContext): number {
  return mknodAt(c, argInt(c.args, 0), argUlong(c.args, 1), argUint(c.args, 2), argUint(c.args, 3));
}

// ---------------------------------------------------------------- rmdir, unlink

function rmdirAt(c: SyscallContext, dirfd: number, pathAddr: number): number {
  const proc = c.proc;
  const l = lookupAt(c, dirfd, pathAddr, 'never');
  if (typeof l === 'number') return l;
  if (l.last === 'dot') return -Errno.EINVAL;
  if (l.last === 'dotdot') return -Errno.ENOTEMPTY;
  if (l.last === 'root' || l.guest === '/proc') return -Errno.EBUSY;
  const refused = proc.vfs.refuseChange(l);
  if (refused) return refused;
  if (!exists(l)) return -Errno.ENOENT;
  if (!isDirectoryLookup(l) || l.stat?.isSymbolicLink()) return -Errno.ENOTDIR;
  if (isVirtual(l)) return -Errno.EPERM;
  if (!mayChangeParent(proc, l)) return -Errno.EACCES;
  return removeName(proc, l, fs.rmdirSync);
}

function unlinkAt(c: SyscallContext, dirfd: number, pathAddr: number, flags: number): number {
  if (flags & ~AT_REMOVEDIR) return -Errno.EINVAL;
  if (flags & AT_REMOVEDIR) return rmdirAt(c, dirfd, pathAddr);
  const proc = c.proc;
  const l = lookupAt(c, dirfd, pathAddr, 'never');
  if (typeof l === 'number') return l;
  if (l.last !== 'norm') return -Errno.EISDIR;
  const refused = proc.vfs.refuseChange(l);
  if (refused) return refused;
  if (!exists(l)) return -Errno.ENOENT;
  const isDir = isDirectoryLookup(l) && !l.stat?.isSymbolicLink();
  if (l.trailingSlash) return isDir ? -Errno.EISDIR : -Errno.ENOTDIR;
  if (isDir) return -Errno.EISDIR;
  if (isVirtual(l)) return l.virtual?.kind === 'device' ? -Errno.EACCES : -Errno.EPERM;
  if (!mayChangeParent(proc, l)) return -Errno.EACCES;
  return removeName(proc, l, fs.unlinkSync);
}

/** Removes the name `l` from the host with `remove` (rmdir or unlink) and updates what the
 *  guest sees: the directory lost an entry; the file (if linked elsewhere or open) lost a link. */
function removeName(proc: Process, l: Lookup, remove: (hostPath: string) => void): number {
  const key = keyOf(l);
  const result = hostCall(() => remove(l.host!));
  if (result < 0) return result;
  parentModified(proc, l);
  proc.metadata.changed(key);
  lastNameGone(proc, l, key);
  notifyRemoved(proc, l, key);
  return 0;
}

function rmdir(c: SyscallContext): number {
  return rmdirAt(c, AT_FDCWD, argUlong(c.args, 0));
}

function unlink(c: SyscallContext): number {
  return unlinkAt(c, AT_FDCWD, argUlong(c.args, 0), 0);
}

function unlinkat(c: SyscallContext): number {
  return unlinkAt(c, argInt(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2));
}

// ---------------------------------------------------------------- rename

const RENAME_NOREPLACE = 1;
const RENAME_EXCHANGE = 2;
const RENAME_WHITEOUT = 4;

let exchangeCounter = 0;

/**
 * rename with renameat2's flags. RENAME_NOREPLACE checks that the target is absent, then
 * renames; RENAME_EXCHANGE swaps the two names through a temporary third one. Neither is atomic
 * against other processes on the host (Node has no renameat2). RENAME_WHITEOUT is refused
 * (EINVAL): there are no union mounts here.
 */
function renameAt(c: SyscallContext, olddirfd: number, oldAddr: number, newdirfd: number, newAddr: number, flags: number): number {
  const proc = c.proc;
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -Errno.EINVAL;
  if (flags & RENAME_NOREPLACE && flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) return -Errno.EINVAL;
  if (flags & RENAME_EXCHANGE && flags & RENAME_WHITEOUT) return -Errno.EINVAL;
  if (flags & RENAME_WHITEOUT) return -Errno.EINVAL;
  const from = lookupAt(c, olddirfd, oldAddr, 'never');
  if (typeof from === 'number') return from;
  const to = lookupAt(c, newdirfd, newAddr, 'never');
  if (typeof to === 'number') return to;
  if (from.last !== 'norm' || to.last !== 'norm') return -Errno.EBUSY;
  const refused = proc.vfs.refuseChange(from) || proc.vfs.refuseChange(to);
  if (refused) return refused;
  if (!exists(from)) return -Errno.ENOENT;
  const exchange = (flags & RENAME_EXCHANGE) !== 0;
  if (exchange && !exists(to)) return -Errno.ENOENT;
  if (flags & RENAME_NOREPLACE && exists(to)) return -Errno.EEXIST;
  const fromDir = isDirectoryLookup(from) && !from.stat?.isSymbolicLink();
  const toDir = exists(to) && isDirectoryLookup(to) && !to.stat?.isSymbolicLink();
  if (!fromDir && (from.trailingSlash || (to.trailingSlash && !exchange))) return -Errno.ENOTDIR;
  if (exchange && !toDir && to.trailingSlash) return -Errno.ENOTDIR;
  if (isVirtual(from) || isVirtual(to)) return isVirtual(from) && isVirtual(to) ? -Errno.EPERM : -Errno.EXDEV;
  if (from.guest === '/proc' || to.guest === '/proc') return -Errno.EBUSY;
  // A directory cannot move below itself.
  if (fromDir && to.guest.startsWith(from.guest + '/')) return -Errno.EINVAL;
  if (exchange && toDir && from.guest.startsWith(to.guest + '/')) return -Errno.EINVAL;
  if (exists(to) && !exchange) {
    if (fromDir && !toDir) return -Errno.ENOTDIR;
    if (!fromDir && toDir) return -Errno.EISDIR;
  }
  if (!mayChangeParent(proc, from) || !mayChangeParent(proc, to)) return -Errno.EACCES;
  const fromKey = keyOf(from);
  const toKey = keyOf(to);
  const src = from.host!;
  const dst = to.host!;
  let result: number;
  if (exchange) {
    const temporary = `${dst}.emtrace-exchange-${process.pid}-${exchangeCounter++}`;
    result = hostCall(() => fs.renameSync(dst, temporary));
    if (result === 0) {
      result = hostCall(() => fs.renameSync(src, dst));
      if (result === 0) result = hostCall(() => fs.renameSync(temporary, src));
      else hostCall(() => fs.renameSync(temporary, dst));
    }
  } else result = hostCall(() => fs.renameSync(src, dst));
  if (result < 0) return result;
  parentModified(proc, from);
  parentModified(proc, to);
  const cookie = proc.vfs.inotify.cookie();
  notifyLookup(proc, from, IN_MOVED_FROM, { key: fromKey, isDir: fromDir, cookie });
  notifyLookup(proc, to, IN_MOVED_TO, { key: fromKey, isDir: fromDir, cookie });
  notifyLookup(proc, to, IN_MOVE_SELF, { key: fromKey, isDir: fromDir });
  if (toKey !== null && toKey !== fromKey && !exchange) notifyLookup(proc, to, IN_DELETE_SELF, { key: toKey, isDir: toDir, dropped: true, selfOnly: true });
  proc.metadata.changed(fromKey);
  if (toKey !== fromKey) {
    proc.metadata.changed(toKey);
    // A file renamed over another: that one lost its name.
    if (!exchange) lastNameGone(proc, to, toKey);
  }
  return 0;
}

function rename(c: SyscallContext): number {
  return renameAt(c, AT_FDCWD, argUlong(c.args, 0), AT_FDCWD, argUlong(c.args, 1), 0);
}

function renameat(c: SyscallContext): number {
  return renameAt(c, argInt(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2), argUlong(c.args, 3), 0);
}

function renameat2(c: SyscallContext): number {
  return renameAt(c, argInt(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2), argUlong(c.args, 3), argUint(c.args, 4));
}

// ---------------------------------------------------------------- link, symlink

function linkAt(c: SyscallContext, olddirfd: number, oldAddr: number, newdirfd: number, newAddr: number, flags: number): number {
  const proc = c.proc;
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  // Linking an fd (AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH.
  if (flags & AT_EMPTY_PATH && proc.identity.euid !== 0) return -Errno.ENOENT;
  const from = lookupAt(c, olddirfd, oldAddr, (flags & AT_SYMLINK_FOLLOW) !== 0, flags);
  if (typeof from === 'number') return from;
  if (!exists(from)) return -Errno.ENOENT;
  const to = lookupAt(c, newdirfd, newAddr, 'never');
  if (typeof to === 'number') return to;
  if (exists(to)) return -Errno.EEXIST;
  if (to.trailingSlash) return -Errno.ENOENT;
  const refused = proc.vfs.refuseChange(to);
  if (refused) return refused;
  const fdSource = from.virtual?.kind === 'fd' && from.virtual.file.hostFd !== null;
  if ((isVirtual(from) && !fdSource) || isVirtual(to)) return -Errno.EXDEV;
  if (isDirectoryLookup(from) && !from.stat?.isSymbolicLink()) return -Errno.EPERM;
  if (!mayChangeParent(proc, to)) return -Errno.EACCES;
  const src = fdSource ? proc.vfs.hostPath(from.guest) : from.host!;
  const result = hostCall(() => fs.linkSync(src, to.host!));
  if (result < 0) return result;
  proc.metadata.changed(keyOf(from));
  parentModified(proc, to);
  notifyLookup(proc, from, IN_ATTRIB, { selfOnly: true });
  notifyLookup(proc, to, IN_CREATE, { isDir: false });
  return 0;
}

function link(c: SyscallContext): number {
  return linkAt(c, AT_FDCWD, argUlong(c.args, 0), AT_FDCWD, argUlong(c.args, 1), 0);
}

function linkat(c: SyscallContext): number {
  return linkAt(c, argInt(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2), argUlong(c.args, 3), argInt(c.args, 4));
}

/** symlink: the target is stored as given; an absolute one is taken inside the root when the
 *  link is followed, as under chroot. */
function symlinkAt(c: SyscallContext, targetAddr: number, newdirfd: number, linkAddr: number): number {
  const proc = c.proc;
  const target = readPath(proc, targetAddr);
  if (typeof target === 'number') return target;
  const to = lookupAt(c, newdirfd, linkAddr, 'never');
  if (typeof to === 'number') return to;
  if (target === '') return -Errno.ENOENT;
  if (exists(to)) return -Errno.EEXIST;
  if (to.trailingSlash) return -Errno.ENOENT;
  if (isVirtual(to)) return -Errno.EPERM;
  const refused = proc.vfs.refuseChange(to);
  if (refused) return refused;
  if (!mayChangeParent(proc, to)) return -Errno.EACCES;
  const result = hostCall(() => fs.symlinkSync(target, to.host!));
  if (result < 0) return result;
  proc.metadata.created(lstatKey(to.host));
  parentModified(proc, to);
  notifyLookup(proc, to, IN_CREATE, { isDir: false });
  return 0;
}

function symlink(c: SyscallContext): number {
  return symlinkAt(c, argUlong(c.args, 0), AT_FDCWD, argUlong(c.args, 1));
}

function symlinkat(c: SyscallContext): number {
  return symlinkAt(c, argUlong(c.args, 0), argInt(c.args, 1), argUlong(c.args, 2));
}

export const NAME_SYSCALLS: Record<string, SyscallHandler> = {
  mkdir,
  mkdirat,
  mknod,
  mknodat,
  rmdir,
  unlink,
  unlinkat,
  rename,
  renameat,
  renameat2,
  link,
  linkat,
  symlink,
  symlinkat,
};
