// The extended attribute calls: getxattr, lgetxattr, fgetxattr, setxattr, lsetxattr, fsetxattr,
// listxattr, llistxattr, flistxattr, removexattr, lremovexattr, fremovexattr. The attributes
// are the emulator's own, kept for the run (xattrs.ts); Linux's checks come in Linux's order:
// flags and the name first, then the file (EBADF, the lookup), then the namespace's rules and
// the sizes.
import { argInt, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { AT_FDCWD } from '../context.js';
import { Errno } from '../errno.js';
import type { StatInfo } from '../files.js';
import { SHMEM_DEV } from '../memfd.js';
import type { FileKey } from '../metadata.js';
import { exists, Lookup, mayAccess, R_OK, W_OK } from '../vfs.js';
import { fdLookup, keyOf, lookupAt, statOf, usableFd } from './lookup.js';
import { IN_ATTRIB, notifyLookup } from '../inotify.js';

const XATTR_CREATE = 0x1;
const XATTR_REPLACE = 0x2;
/** Longest name, largest value, longest list (uapi limits.h). */
const XATTR_NAME_MAX = 255;
const XATTR_SIZE_MAX = 65536;
const XATTR_LIST_MAX = 65536;

/** The namespaces a file system with user xattrs (ext4, tmpfs) has handlers for. */
const NAMESPACES = ['user.', 'trusted.', 'security.'];

/** Reads the attribute name: -ERANGE when empty or longer than XATTR_NAME_MAX. */
function readName(c: SyscallContext, addr: number): string | number {
  const s = c.proc.mem.readCString(addr, XATTR_NAME_MAX + 1);
  if (!s.terminated) return s.faulted ? -Errno.EFAULT : -Errno.ERANGE;
  if (s.bytes.length === 0) return -Errno.ERANGE;
  return Buffer.from(s.bytes).toString('latin1');
}

/** The file a call acts on: by path (following a last symlink or not), or by fd. */
function target(c: SyscallContext, how: 'path' | 'lpath' | 'fd'): Lookup | number {
  if (how === 'fd') {
    const file = usableFd(c, 0);
    return typeof file === 'number' ? file : fdLookup(file);
  }
  const l = lookupAt(c, AT_FDCWD, argUlong(c.args, 0), how === 'path');
  if (typeof l === 'number') return l;
  return exists(l) ? l : -Errno.ENOENT;
}

/**
 * The identity of a file whose attribute `name` the caller may read (or write): Linux's
 * xattr_permission (the namespace's rules, then the file's permission bits), then whether the
 * file system has a handler for the name: only user.*, trusted.* and security.* on host files
 * and memfd files (tmpfs); the kernel's other objects (pipes, sockets, /proc, device nodes)
 * have none (EOPNOTSUPP).
 */
function attributed(c: SyscallContext, l: Lookup, name: string, write: boolean): FileKey | number {
  const st = statOf(c.proc, l);
  if (typeof st === 'number') return st;
  const refused = permission(c, st, name, write);
  if (refused) return refused;
  const key = keyOf(l);
  if (key === null || (st.dev < 0n && st.dev !== SHMEM_DEV)) return -Errno.EOPNOTSUPP;
  if (!NAMESPACES.some((ns) => name.startsWith(ns))) return -Errno.EOPNOTSUPP;
  // A namespace's prefix alone names no attribute.
  if (NAMESPACES.includes(name)) return -Errno.EINVAL;
  return key;
}

/** xattr_permission: the VFS's rules for reading (or writing) `name`. */
function permission(c: SyscallContext, st: StatInfo, name: string, write: boolean): number {
  if (name.startsWith('security.') || name.startsWith('system.')) return 0;
  const root = c.proc.identity.euid === 0;
  if (name.startsWith('trusted.')) return root ? 0 : write ? -Errno.EPERM : -Errno.ENODATA;
  if (name.startsWith('user.')) {
    const type = st.mode & 0o170000;
    if (type !== 0o100000 && type !== 0o040000) return write ? -Errno.EPERM : -Errno.ENODATA;
  }
  return mayAccess(c.proc, st, write ? W_OK : R_OK, { guestOwned: st.dev < 0n }) ? 0 : -Errno.EACCES;
}

function getxattr(c: SyscallContext, how: 'path' | 'lpath' | 'fd'): number {
  const name = readName(c, argUlong(c.args, 1));
  if (typeof name === 'number') return name;
  const l = target(c, how);
  if (typeof l === 'number') return l;
  const key = attributed(c, l, name, false);
  if (typeof key === 'number') return key;
  const value = c.proc.vfs.xattrs.get(key, name);
  if (!value) return -Errno.ENODATA;
  return copyOut(c, value, argUlong(c.args, 2), Math.min(argUlong(c.args, 3), XATTR_SIZE_MAX));
}

/** A value or name list to the caller's buffer of `size` bytes: size 0 asks for the length,
 *  a buffer too small is ERANGE. */
function copyOut(c: SyscallContext, bytes: Uint8Array, addr: number, size: number): number {
  if (size === 0) return bytes.length;
  if (bytes.length > size) return -Errno.ERANGE;
  c.proc.mem.writeBytes(addr, bytes);
  return bytes.length;
}

function setxattr(c: SyscallContext, how: 'path' | 'lpath' | 'fd'): number {
  const flags = argInt(c.args, 4);
  if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return -Errno.EINVAL;
  const name = readName(c, argUlong(c.args, 1));
  if (typeof name === 'number') return name;
  const size = argUlong(c.args, 3);
  if (size > XATTR_SIZE_MAX) return -Errno.E2BIG;
  const value = size > 0 ? c.proc.mem.readBytes(argUlong(c.args, 2), size).slice() : new Uint8Array(0);
  const l = target(c, how);
  if (typeof l === 'number') return l;
  const refusedWrite = c.proc.vfs.refuseWrite(l);
  if (refusedWrite) return refusedWrite;
  const key = attributed(c, l, name, true);
  if (typeof key === 'number') return key;
  const store = c.proc.vfs.xattrs;
  const present = store.get(key, name) !== undefined;
  if (flags & XATTR_CREATE && present) return -Errno.EEXIST;
  if (flags & XATTR_REPLACE && !present) return -Errno.ENODATA;
  store.set(key, name, value);
  c.proc.metadata.changed(key);
  notifyLookup(c.proc, l, IN_ATTRIB);
  return 0;
}

function listxattr(c: SyscallContext, how: 'path' | 'lpath' | 'fd'): number {
  const l = target(c, how);
  if (typeof l === 'number') return l;
  const st = statOf(c.proc, l);
  if (typeof st === 'number') return st;
  const key = keyOf(l);
  // Names the caller may not read (trusted.* for others than root) are left out.
  const names = key === null ? [] : c.proc.vfs.xattrs.names(key).filter((n) => permission(c, st, n, false) === 0);
  const list = Buffer.concat(names.map((n) => Buffer.from(n + '\0', 'latin1')));
  return copyOut(c, list, argUlong(c.args, 1), Math.min(argUlong(c.args, 2), XATTR_LIST_MAX));
}

function removexattr(c: SyscallContext, how: 'path' | 'lpath' | 'fd'): number {
  const name = readName(c, argUlong(c.args, 1));
  if (typeof name === 'number') return name;
  const l = target(c, how);
  if (typeof l === 'number') return l;
  const refusedWrite = c.proc.vfs.refuseWrite(l);
  if (refusedWrite) return refusedWrite;
  const key = attributed(c, l, name, true);
  if (typeof key === 'number') return key;
  if (!c.proc.vfs.xattrs.remove(key, name)) return -Errno.ENODATA;
  c.proc.metadata.changed(key);
  notifyLookup(c.proc, l, IN_ATTRIB);
  return 0;
}

export const XATTR_SYSCALLS: Record<string, SyscallHandler> = {
  getxattr: (c) => getxattr(c, 'path'),
  lgetxattr: (c) => getxattr(c, 'lpath'),
  fgetxattr: (c) => getxattr(c, 'fd'),
  setxattr: (c) => setxattr(c, 'path'),
  lsetxattr: (c) => setxattr(c, 'lpath'),
  fsetxattr: (c) => setxattr(c, 'fd'),
  listxattr: (c) => listxattr(c, 'path'),
  llistxattr: (c) => listxattr(c, 'lpath'),
  flistxattr: (c) => listxattr(c, 'fd'),
  removexattr: (c) => removexattr(c, 'path'),
  lremovexattr: (c) => removexattr(c, 'lpath'),
  fremovexattr: (c) => removexattr(c, 'fd'),
};
