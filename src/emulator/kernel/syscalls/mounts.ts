// The mount table's calls: mount, umount2, pivot_root, the new mount API (open_tree, move_mount,
// fsopen, fsconfig, fsmount, fspick, mount_setattr) and sysfs(2). Every argument is checked as
// fs/namespace.c and fs/fsopen.c check it, in their order; a call that would then change the
// mount table is refused with EPERM, as Linux refuses a caller without CAP_SYS_ADMIN: the guest's
// mounts are the host's. What needs no change is real: open_tree without OPEN_TREE_CLONE is an
// O_PATH open, mount_setattr that sets nothing succeeds, sysfs lists the file system types.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, PATH_MAX, readPath } from '../context.js';
import { Errno } from '../errno.js';
import { O_CLOEXEC, O_NOFOLLOW, O_PATH } from '../files.js';
import { filesystemType, FILESYSTEMS } from '../filesystems.js';
import { copyStructFromUser, popcount } from '../user-struct.js';
import { exists, isDirectoryLookup, Lookup } from '../vfs.js';
import { fdLookup } from './lookup.js';
import { openPath } from './paths.js';

const PAGE_SIZE = 4096;
const MS_NOUSER = 0x80000000;
const AT_NO_AUTOMOUNT = 0x800;
const AT_RECURSIVE = 0x8000;
const MNT_FORCE = 1;
const MNT_DETACH = 2;
const MNT_EXPIRE = 4;
const UMOUNT_NOFOLLOW = 8;
const OPEN_TREE_CLONE = 1;
const MOVE_MOUNT_F_SYMLINKS = 0x1;
const MOVE_MOUNT_F_EMPTY_PATH = 0x4;
const MOVE_MOUNT_T_SYMLINKS = 0x10;
const MOVE_MOUNT_T_EMPTY_PATH = 0x40;
const MOVE_MOUNT_SET_GROUP = 0x100;
const MOVE_MOUNT_BENEATH = 0x200;
const MOVE_MOUNT__MASK = 0x377;
const FSOPEN_CLOEXEC = 1;
const FSPICK_CLOEXEC = 1;
const FSPICK_SYMLINK_NOFOLLOW = 2;
const FSPICK_NO_AUTOMOUNT = 4;
const FSPICK_EMPTY_PATH = 8;
const FSMOUNT_CLOEXEC = 1;
const MOUNT_ATTR_RDONLY = 0x1;
const MOUNT_ATTR_NOSUID = 0x2;
const MOUNT_ATTR_NODEV = 0x4;
const MOUNT_ATTR_NOEXEC = 0x8;
const MOUNT_ATTR__ATIME = 0x70;
const MOUNT_ATTR_RELATIME = 0x0;
const MOUNT_ATTR_NOATIME = 0x10;
const MOUNT_ATTR_STRICTATIME = 0x20;
const MOUNT_ATTR_NODIRATIME = 0x80;
const MOUNT_ATTR_IDMAP = 0x100000;
const MOUNT_ATTR_NOSYMFOLLOW = 0x200000;
const FSMOUNT_VALID_FLAGS =
  MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW;
const MOUNT_SETATTR_VALID_FLAGS = FSMOUNT_VALID_FLAGS | MOUNT_ATTR_IDMAP;
const MOUNT_SETATTR_PROPAGATION_FLAGS = (1 << 17) | (1 << 18) | (1 << 19) | (1 << 20);
const MOUNT_ATTR_SIZE_VER0 = 32;
const FSCONFIG_SET_FLAG = 0;
const FSCONFIG_SET_STRING = 1;
const FSCONFIG_SET_BINARY = 2;
const FSCONFIG_SET_PATH = 3;
const FSCONFIG_SET_PATH_EMPTY = 4;
const FSCONFIG_SET_FD = 5;
const FSCONFIG_CMD_CREATE = 6;
const FSCONFIG_CMD_RECONFIGURE = 7;
const FSCONFIG_CMD_CREATE_EXCL = 8;
const INT_MAX = 0x7fffffff;

/** The mount points: the root and /proc (see /proc/self/mounts). */
function isMountRoot(l: Lookup): boolean {
  return l.guest === '/' || l.guest === '/proc';
}

/**
 * user_path_at: the path at `addr` resolved from dirfd, which must exist. With `emptyPath` an
 * empty path is dirfd itself.
 */
export function existingPath(c: SyscallContext, dirfd: number, addr: number, follow: boolean, emptyPath = false): Lookup | number {
  const p = readPath(c.proc, addr);
  if (typeof p === 'number') return p;
  if (p === '' && emptyPath) {
    if (dirfd === AT_FDCWD) return c.proc.vfs.resolve(c.proc, AT_FDCWD, '.', { follow: true });
    const file = c.proc.fds.get(dirfd);
    return file ? fdLookup(file) : -Errno.EBADF;
  }
  const l = c.proc.vfs.resolve(c.proc, dirfd, p, { follow });
  if (typeof l === 'number') return l;
  return exists(l) ? l : -Errno.ENOENT;
}

/** A directory that exists (LOOKUP_DIRECTORY). */
function existingDirectory(c: SyscallContext, addr: number): Lookup | number {
  const l = existingPath(c, AT_FDCWD, addr, true);
  if (typeof l === 'number') return l;
  return isDirectoryLookup(l) ? l : -Errno.ENOTDIR;
}

/** copy_mount_string: a string argument, or null for a NULL pointer. */
function mountString(c: SyscallContext, addr: number): string | null | number {
  if (addr === 0) return null;
  const s = c.proc.mem.readCString(addr, PAGE_SIZE);
  if (!s.terminated) return s.faulted ? -Errno.EFAULT : -Errno.EINVAL;
  return Buffer.from(s.bytes).toString('utf8');
}

function mount(c: SyscallContext): number {
  const type = mountString(c, argUlong(c.args, 2));
  if (typeof type === 'number') return type;
  const source = mountString(c, argUlong(c.args, 0));
  if (typeof source === 'number') return source;
  // copy_mount_options reads what it can of one page: only an unreadable first byte faults.
  const data = argUlong(c.args, 4);
  if (data !== 0) c.proc.mem.readBytes(data, 1);
  const target = existingPath(c, AT_FDCWD, argUlong(c.args, 1), true);
  if (typeof target === 'number') return target;
  if (argUlong(c.args, 3) & MS_NOUSER) return -Errno.EINVAL;
  return -Errno.EPERM;
}

function umount2(c: SyscallContext): number {
  const flags = argInt(c.args, 1);
  if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) return -Errno.EINVAL;
  const target = existingPath(c, AT_FDCWD, argUlong(c.args, 0), !(flags & UMOUNT_NOFOLLOW));
  if (typeof target === 'number') return target;
  return -Errno.EPERM;
}

function pivotRoot(c: SyscallContext): number {
  const newRoot = existingDirectory(c, argUlong(c.args, 0));
  if (typeof newRoot === 'number') return newRoot;
  const putOld = existingDirectory(c, argUlong(c.args, 1));
  if (typeof putOld === 'number') return putOld;
  return -Errno.EPERM;
}

function openTree(c: SyscallContext): number {
  const dirfd = argInt(c.args, 0);
  const flags = argUint(c.args, 2);
  const valid = AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW | OPEN_TREE_CLONE | O_CLOEXEC;
  if (flags & ~valid) return -Errno.EINVAL;
  if ((flags & (AT_RECURSIVE | OPEN_TREE_CLONE)) === AT_RECURSIVE) return -Errno.EINVAL;
  const l = existingPath(c, dirfd, argUlong(c.args, 1), !(flags & AT_SYMLINK_NOFOLLOW), (flags & AT_EMPTY_PATH) !== 0);
  if (typeof l === 'number') return l;
  // Cloning a mount makes a new one; without OPEN_TREE_CLONE the result is an O_PATH open.
  if (flags & OPEN_TREE_CLONE) return -Errno.EPERM;
  const file = l.virtual?.kind === 'fd' ? l.virtual.file : undefined;
  const target = file ? file.path : l.guest;
  return openPath(c, AT_FDCWD, target, O_PATH | (flags & O_CLOEXEC) | (flags & AT_SYMLINK_NOFOLLOW ? O_NOFOLLOW : 0), 0);
}

function moveMount(c: SyscallContext): number {
  const flags = argUint(c.args, 4);
  if (flags & ~MOVE_MOUNT__MASK) return -Errno.EINVAL;
  if ((flags & (MOVE_MOUNT_BENEATH | MOVE_MOUNT_SET_GROUP)) === (MOVE_MOUNT_BENEATH | MOVE_MOUNT_SET_GROUP)) return -Errno.EINVAL;
  // The destination is looked up first (fs/namespace.c since 6.15), then the source.
  const to = existingPath(c, argInt(c.args, 2), argUlong(c.args, 3), (flags & MOVE_MOUNT_T_SYMLINKS) !== 0, (flags & MOVE_MOUNT_T_EMPTY_PATH) !== 0);
  if (typeof to === 'number') return to;
  const from = existingPath(c, argInt(c.args, 0), argUlong(c.args, 1), (flags & MOVE_MOUNT_F_SYMLINKS) !== 0, (flags & MOVE_MOUNT_F_EMPTY_PATH) !== 0);
  if (typeof from === 'number') return from;
  // Only a mount's root can move.
  if (!isMountRoot(from)) return -Errno.EINVAL;
  return -Errno.EPERM;
}

function fsopen(c: SyscallContext): number {
  if (argUint(c.args, 1) & ~FSOPEN_CLOEXEC) return -Errno.EINVAL;
  const s = c.proc.mem.readCString(argUlong(c.args, 0), PATH_MAX);
  if (!s.terminated) return s.faulted ? -Errno.EFAULT : -Errno.EINVAL;
  if (!filesystemType(Buffer.from(s.bytes).toString('utf8'))) return -Errno.ENODEV;
  return -Errno.EPERM;
}

/** fsconfig: no file system context can be open (fsopen and fspick refuse), so after the
 *  argument checks an fd is EBADF or EINVAL. */
function fsconfig(c: SyscallContext): number {
  const fd = argInt(c.args, 0);
  const cmd = argUint(c.args, 1);
  const key = argUlong(c.args, 2);
  const value = argUlong(c.args, 3);
  const aux = argInt(c.args, 4);
  if (fd < 0) return -Errno.EINVAL;
  switch (cmd) {
    case FSCONFIG_SET_FLAG:
      if (!key || value || aux) return -Errno.EINVAL;
      break;
    case FSCONFIG_SET_STRING:
      if (!key || !value || aux) return -Errno.EINVAL;
      break;
    case FSCONFIG_SET_BINARY:
      if (!key || !value || aux <= 0 || aux > 1024 * 1024) return -Errno.EINVAL;
      break;
    case FSCONFIG_SET_PATH:
    case FSCONFIG_SET_PATH_EMPTY:
      if (!key || !value || (aux !== AT_FDCWD && aux < 0)) return -Errno.EINVAL;
      break;
    case FSCONFIG_SET_FD:
      if (!key || value || aux < 0) return -Errno.EINVAL;
      break;
    case FSCONFIG_CMD_CREATE:
    case FSCONFIG_CMD_RECONFIGURE:
    case FSCONFIG_CMD_CREATE_EXCL:
      if (key || value || aux) return -Errno.EINVAL;
      break;
    default:
      return -Errno.EOPNOTSUPP;
  }
  return c.proc.fds.get(fd) ? -Errno.EINVAL : -Errno.EBADF;
}

function fsmount(c: SyscallContext): number {
  if (argUint(c.args, 1) & ~FSMOUNT_CLOEXEC) return -Errno.EINVAL;
  const attrs = argUint(c.args, 2);
  if (attrs & ~FSMOUNT_VALID_FLAGS) return -Errno.EINVAL;
  const atime = attrs & MOUNT_ATTR__ATIME;
  if (atime !== MOUNT_ATTR_RELATIME && atime !== MOUNT_ATTR_NOATIME && atime !== MOUNT_ATTR_STRICTATIME) return -Errno.EINVAL;
  return c.proc.fds.get(argInt(c.args, 0)) ? -Errno.EINVAL : -Errno.EBADF;
}

function fspick(c: SyscallContext): number {
  const flags = argUint(c.args, 2);
  if (flags & ~(FSPICK_CLOEXEC | FSPICK_SYMLINK_NOFOLLOW | FSPICK_NO_AUTOMOUNT | FSPICK_EMPTY_PATH)) return -Errno.EINVAL;
  const l = existingPath(c, argInt(c.args, 0), argUlong(c.args, 1), !(flags & FSPICK_SYMLINK_NOFOLLOW), (flags & FSPICK_EMPTY_PATH) !== 0);
  if (typeof l === 'number') return l;
  if (!isMountRoot(l)) return -Errno.EINVAL;
  return -Errno.EPERM;
}

/** build_mount_kattr's checks of struct mount_attr. */
function checkMountAttr(c: SyscallContext, attr: DataView): number {
  const set = attr.getUint32(0, true);
  const clr = attr.getUint32(8, true);
  const propagation = attr.getUint32(16, true);
  const usernsFd = attr.getBigUint64(24, true);
  if (propagation & ~MOUNT_SETATTR_PROPAGATION_FLAGS) return -Errno.EINVAL;
  if (popcount(propagation & MOUNT_SETATTR_PROPAGATION_FLAGS) > 1) return -Errno.EINVAL;
  if (attr.getUint32(4, true) | attr.getUint32(12, true) || (set | clr) & ~MOUNT_SETATTR_VALID_FLAGS) return -Errno.EINVAL;
  if (clr & MOUNT_ATTR__ATIME) {
    if ((clr & MOUNT_ATTR__ATIME) !== MOUNT_ATTR__ATIME) return -Errno.EINVAL;
    const atime = set & MOUNT_ATTR__ATIME;
    if (atime !== MOUNT_ATTR_RELATIME && atime !== MOUNT_ATTR_NOATIME && atime !== MOUNT_ATTR_STRICTATIME) return -Errno.EINVAL;
  } else if (set & MOUNT_ATTR__ATIME) return -Errno.EINVAL;
  if (!((set | clr) & MOUNT_ATTR_IDMAP)) return 0;
  if (clr & MOUNT_ATTR_IDMAP || usernsFd > BigInt(INT_MAX)) return -Errno.EINVAL;
  // No descriptor here is a user namespace.
  return c.proc.fds.get(Number(usernsFd)) ? -Errno.EINVAL : -Errno.EBADF;
}

function mountSetattr(c: SyscallContext): number {
  const dirfd = argInt(c.args, 0);
  const flags = argUint(c.args, 2);
  const size = argUlong(c.args, 4);
  if (flags & ~(AT_EMPTY_PATH | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT)) return -Errno.EINVAL;
  if (size > PAGE_SIZE) return -Errno.E2BIG;
  if (size < MOUNT_ATTR_SIZE_VER0) return -Errno.EINVAL;
  const attr = copyStructFromUser(c.proc, argUlong(c.args, 3), size, MOUNT_ATTR_SIZE_VER0);
  if (typeof attr === 'number') return attr;
  // Nothing to change: Linux does not even look at the path.
  if (attr.getBigUint64(0, true) === 0n && attr.getBigUint64(8, true) === 0n && attr.getBigUint64(16, true) === 0n) return 0;
  const bad = checkMountAttr(c, attr);
  if (bad) return bad;
  const l = existingPath(c, dirfd, argUlong(c.args, 1), !(flags & AT_SYMLINK_NOFOLLOW), (flags & AT_EMPTY_PATH) !== 0);
  if (typeof l === 'number') return l;
  if (!isMountRoot(l)) return -Errno.EINVAL;
  return -Errno.EPERM;
}

/** sysfs(2): 1 a type's index by name, 2 the name at an index, 3 the number of types. */
function sysfs(c: SyscallContext): number {
  switch (argInt(c.args, 0)) {
    case 1: {
      const s = c.proc.mem.readCString(argUlong(c.args, 1), PATH_MAX);
      if (!s.terminated) return s.faulted ? -Errno.EFAULT : -Errno.ENAMETOOLONG;
      const name = Buffer.from(s.bytes).toString('utf8');
      const index = FILESYSTEMS.findIndex((f) => f.name === name);
      return index < 0 ? -Errno.EINVAL : index;
    }
    case 2: {
      const index = argUint(c.args, 1);
      if (index >= FILESYSTEMS.length) return -Errno.EINVAL;
      c.proc.mem.writeBytes(argUlong(c.args, 2), Buffer.from(FILESYSTEMS[index].name + '\0'));
      return 0;
    }
    case 3:
      return FILESYSTEMS.length;
    default:
      return -Errno.EINVAL;
  }
}

export const MOUNT_SYSCALLS: Record<string, SyscallHandler> = {
  mount,
  umount2,
  pivot_root: pivotRoot,
  open_tree: openTree,
  move_mount: moveMount,
  fsopen,
  fsconfig,
  fsmount,
  fspick,
  mount_setattr: mountSetattr,
  sysfs,
};
