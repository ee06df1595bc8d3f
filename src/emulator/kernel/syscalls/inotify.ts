// inotify_init, inotify_init1, inotify_add_watch, inotify_rm_watch: instances and watches
// (inotify.ts); the events come from the file-system calls (notifyLookup, notifyFile).
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { AT_FDCWD } from '../context.js';
import { Errno } from '../errno.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDONLY, StatInfo } from '../files.js';
import { ALL_INOTIFY_BITS, IN_DONT_FOLLOW, IN_MASK_ADD, IN_MASK_CREATE, IN_ONLYDIR, InotifyFile } from '../inotify.js';
import type { Process } from '../process.js';
import { exists, isDirectoryLookup, mayAccess, R_OK } from '../vfs.js';
import { keyOf, lookupAt } from './lookup.js';

function create(c: SyscallContext, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -Errno.EINVAL;
  const proc = c.proc;
  const file = new InotifyFile(O_RDONLY | (flags & O_NONBLOCK), proc.vfs.inotify, proc.clock.bootRealtimeNs);
  const fd = proc.fds.allocate(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) file.close();
  return fd;
}

/** The instance an fd argument refers to: EBADF without one, EINVAL for another kind of file. */
function instance(c: SyscallContext): InotifyFile | number {
  const file = c.proc.fds.get(argInt(c.args, 0));
  if (!file) return -Errno.EBADF;
  return file instanceof InotifyFile ? file : -Errno.EINVAL;
}

function addWatch(c: SyscallContext): number {
  const mask = argUint(c.args, 2);
  if (mask & IN_MASK_ADD && mask & IN_MASK_CREATE) return -Errno.EINVAL;
  if (mask & ~ALL_INOTIFY_BITS || !(mask & ALL_INOTIFY_BITS)) return -Errno.EINVAL;
  const file = instance(c);
  if (typeof file === 'number') return file;
  const l = lookupAt(c, AT_FDCWD, argUlong(c.args, 1), !(mask & IN_DONT_FOLLOW));
  if (typeof l === 'number') return l;
  if (!exists(l)) return -Errno.ENOENT;
  if (mask & IN_ONLYDIR && !isDirectoryLookup(l)) return -Errno.ENOTDIR;
  if (l.stat && !mayAccess(c.proc, l.stat, R_OK)) return -Errno.EACCES;
  // Objects without an identity (in /proc, device nodes) are watched by path: nothing changes them.
  return file.addWatch(keyOf(l) ?? `path:${l.guest}`, mask);
}

function rmWatch(c: SyscallContext): number {
  const file = instance(c);
  if (typeof file === 'number') return file;
  return file.removeWatch(argInt(c.args, 1));
}

export const INOTIFY_SYSCALLS: Record<string, SyscallHandler> = {
  inotify_init: (c) => create(c, 0),
  inotify_init1: (c) => create(c, argInt(c.args, 0)),
  inotify_add_watch: addWatch,
  inotify_rm_watch: rmWatch,
};
