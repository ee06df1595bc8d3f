// Creating and waiting for children: clone, clone3, fork, vfork, wait4, waitid. Requests are
// read and checked as Linux does (clone-args.ts; kernel/exit.c for the waits), so refused ones
// fail with Linux's errno. The machine runs one process and no other threads so far
// (docs/processes.md: the scheduler is not wired yet): a valid request to create a task fails
// with ENOSYS and a diagnostic, and so a wait finds no children (ECHILD), which is exactly
// Linux's answer to a process that has none.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext } from '../context.js';
import { Errno } from '../errno.js';
import { clone3Request, CloneRequest, forkRequest, legacyClone } from '../clone-args.js';

const WNOHANG = 1;
const WUNTRACED = 2;
const WSTOPPED = 2;
const WEXITED = 4;
const WCONTINUED = 8;
const WNOWAIT = 0x01000000;
const __WNOTHREAD = 0x20000000;
const __WALL = 0x40000000;
const __WCLONE = 0x80000000;
const WAIT4_OPTIONS = WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL;
const WAITID_OPTIONS = WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL;

const P_ALL = 0;
const P_PID = 1;
const P_PGID = 2;
const P_PIDFD = 3;
const INT_MIN = -0x80000000;

/** What /proc/self/fd shows for a pidfd. */
const PIDFD_PATH = 'anon_inode:[pidfd]';

const reported = new WeakSet<object>();

/** A valid request for a new task: not possible yet (one process, one thread). */
function createTask(c: SyscallContext, request: CloneRequest | number, what: string): number {
  if (typeof request === 'number') return request;
  if (!reported.has(c.proc)) {
    reported.add(c.proc);
    c.proc.diagnose(`${what}: creating processes and threads is not supported yet: the guest gets ENOSYS`);
  }
  return -Errno.ENOSYS;
}

function clone(c: SyscallContext): number {
  const a = c.args;
  return createTask(c, legacyClone(argUint(a, 0), argUlong(a, 1), argUlong(a, 2), argUlong(a, 3), argUlong(a, 4)), 'clone');
}

function clone3(c: SyscallContext): number {
  return createTask(c, clone3Request(c.proc, argUlong(c.args, 0), argUlong(c.args, 1)), 'clone3');
}

function wait4(c: SyscallContext): number {
  const pid = argInt(c.args, 0);
  const options = argUint(c.args, 2);
  if (options & ~WAIT4_OPTIONS) return -Errno.EINVAL;
  if (pid === INT_MIN) return -Errno.ESRCH;
  return -Errno.ECHILD;
}

function waitid(c: SyscallContext): number {
  const which = argInt(c.args, 0);
  const id = argInt(c.args, 1);
  const options = argUint(c.args, 3);
  if (options & ~WAITID_OPTIONS) return -Errno.EINVAL;
  if (!(options & (WEXITED | WSTOPPED | WCONTINUED))) return -Errno.EINVAL;
  switch (which) {
    case P_ALL:
      break;
    case P_PID:
      if (id <= 0) return -Errno.EINVAL;
      break;
    case P_PGID:
      if (id < 0) return -Errno.EINVAL;
      break;
    case P_PIDFD: {
      if (id < 0) return -Errno.EINVAL;
      // Any descriptor but a pidfd is a bad one here (pidfd_pid).
      if (c.proc.fds.get(id)?.path !== PIDFD_PATH) return -Errno.EBADF;
      break;
    }
    default:
      return -Errno.EINVAL;
  }
  return -Errno.ECHILD;
}

export const CHILD_SYSCALLS = {
  clone,
  clone3,
  fork: (c: SyscallContext) => createTask(c, forkRequest(false), 'fork'),
  vfork: (c: SyscallContext) => createTask(c, forkRequest(true), 'vfork'),
  wait4,
  waitid,
};
