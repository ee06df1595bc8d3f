// Calls that would watch the host or hand the guest kernel-level hooks: fanotify_init,
// fanotify_mark, userfaultfd. Their arguments are checked as Linux checks them; creating the
// object is refused with EPERM (as for a caller without CAP_SYS_ADMIN / CAP_SYS_PTRACE).
import { argInt, argUint, argU64 } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';
import { O_ACCMODE, O_CLOEXEC, O_NONBLOCK } from '../files.js';

/** FAN_CLOEXEC .. FAN_REPORT_MNT. */
const FANOTIFY_INIT_FLAGS = 0x7fff;
const FAN_ALL_CLASS_BITS = 0xc;
/** What event_f_flags may hold: the O_* flags of the event descriptors. */
const FANOTIFY_EVENT_F_FLAGS = O_ACCMODE | 0o2000 | O_NONBLOCK | 0o4010000 | 0o100000 | 0o1000000 | O_CLOEXEC | 0o40000;
const FAN_MARK_ADD = 0x1;
const FAN_MARK_REMOVE = 0x2;
const FAN_MARK_FLUSH = 0x80;
const FANOTIFY_MARK_FLAGS = 0x7ff;
const UFFD_USER_MODE_ONLY = 1;

function fanotifyInit(c: SyscallContext): number {
  const flags = argUint(c.args, 0);
  const eventFlags = argUint(c.args, 1);
  if (flags & ~FANOTIFY_INIT_FLAGS) return -Errno.EINVAL;
  if ((flags & FAN_ALL_CLASS_BITS) === FAN_ALL_CLASS_BITS) return -Errno.EINVAL;
  if (eventFlags & ~FANOTIFY_EVENT_F_FLAGS || (eventFlags & O_ACCMODE) === O_ACCMODE) return -Errno.EINVAL;
  return -Errno.EPERM;
}

function fanotifyMark(c: SyscallContext): number {
  const flags = argUint(c.args, 1);
  const mask = argU64(c.args, 2);
  if (mask >> 32n) return -Errno.EINVAL;
  if (flags & ~FANOTIFY_MARK_FLAGS) return -Errno.EINVAL;
  const command = flags & (FAN_MARK_ADD | FAN_MARK_REMOVE | FAN_MARK_FLUSH);
  if (command !== FAN_MARK_ADD && command !== FAN_MARK_REMOVE && command !== FAN_MARK_FLUSH) return -Errno.EINVAL;
  if (command !== FAN_MARK_FLUSH && mask === 0n) return -Errno.EINVAL;
  // No descriptor is a fanotify group.
  return c.proc.fds.get(argInt(c.args, 0)) ? -Errno.EINVAL : -Errno.EBADF;
}

function userfaultfd(c: SyscallContext): number {
  if (argUint(c.args, 0) & ~(O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY)) return -Errno.EINVAL;
  return -Errno.EPERM;
}

export const NOTIFICATION_SYSCALLS: Record<string, SyscallHandler> = {
  fanotify_init: fanotifyInit,
  fanotify_mark: fanotifyMark,
  userfaultfd,
};
