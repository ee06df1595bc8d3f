// Paths as file handles (name_to_handle_at, open_by_handle_at), chroot, remap_file_pages, and
// System V shared memory attachment while no segment can exist (shmget is not implemented yet):
// arguments checked as Linux checks them; then the guest's file system is reported as one that
// cannot export handles (EOPNOTSUPP), a handle from elsewhere is stale (ESTALE), changing the
// root is refused (EPERM), remapping is refused as for a mapping that cannot be remapped.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_FOLLOW } from '../context.js';
import { Errno } from '../errno.js';
import { PAGE_SIZE } from '../../memory.js';
import { readI32, readU32 } from '../user-struct.js';
import { isDirectoryLookup, mayAccess, X_OK } from '../vfs.js';
import { statOf } from './lookup.js';
import { existingPath } from './mounts.js';

const AT_HANDLE_FID = 0x200;
const AT_HANDLE_MNT_ID_UNIQUE = 0x1;
const MAX_HANDLE_SZ = 128;
const MAP_NONBLOCK = 0x10000;
const SHMLBA = PAGE_SIZE;

function nameToHandleAt(c: SyscallContext): number {
  const flags = argUint(c.args, 4);
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH | AT_HANDLE_FID | AT_HANDLE_MNT_ID_UNIQUE)) return -Errno.EINVAL;
  const l = existingPath(c, argInt(c.args, 0), argUlong(c.args, 1), (flags & AT_SYMLINK_FOLLOW) !== 0, (flags & AT_EMPTY_PATH) !== 0);
  if (typeof l === 'number') return l;
  const bytes = readU32(c.proc, argUlong(c.args, 2));
  if (bytes > MAX_HANDLE_SZ) return -Errno.EINVAL;
  return -Errno.EOPNOTSUPP;
}

function openByHandleAt(c: SyscallContext): number {
  const dirfd = argInt(c.args, 0);
  if (dirfd !== AT_FDCWD && !c.proc.fds.get(dirfd)) return -Errno.EBADF;
  const addr = argUlong(c.args, 1);
  const bytes = readU32(c.proc, addr);
  const type = readI32(c.proc, addr + 4);
  if (bytes > MAX_HANDLE_SZ || bytes === 0) return -Errno.EINVAL;
  if (type < 0) return -Errno.EINVAL;
  c.proc.mem.readBytes(addr + 8, bytes);
  return -Errno.ESTALE;
}

function chroot(c: SyscallContext): number {
  const l = existingPath(c, AT_FDCWD, argUlong(c.args, 0), true);
  if (typeof l === 'number') return l;
  if (!isDirectoryLookup(l)) return -Errno.ENOTDIR;
  const st = statOf(c.proc, l);
  if (typeof st === 'number') return st;
  if (!mayAccess(c.proc, st, X_OK)) return -Errno.EACCES;
  return -Errno.EPERM;
}

function remapFilePages(c: SyscallContext): number {
  if (argUlong(c.args, 2) !== 0) return -Errno.EINVAL;
  if (argUlong(c.args, 4) & ~MAP_NONBLOCK) return -Errno.EINVAL;
  const start = Math.floor(argUlong(c.args, 0) / PAGE_SIZE) * PAGE_SIZE;
  const size = Math.floor(argUlong(c.args, 1) / PAGE_SIZE) * PAGE_SIZE;
  if (start + size <= start) return -Errno.EINVAL;
  return -Errno.EINVAL;
}

function shmat(c: SyscallContext): number {
  if (argInt(c.args, 0) < 0) return -Errno.EINVAL;
  // No segment exists: any id is invalid.
  return -Errno.EINVAL;
}

function shmdt(c: SyscallContext): number {
  if (argUlong(c.args, 0) % SHMLBA) return -Errno.EINVAL;
  // Nothing is attached.
  return -Errno.EINVAL;
}

export const HANDLE_SYSCALLS: Record<string, SyscallHandler> = {
  name_to_handle_at: nameToHandleAt,
  open_by_handle_at: openByHandleAt,
  chroot,
  remap_file_pages: remapFilePages,
  shmat,
  shmdt,
};
