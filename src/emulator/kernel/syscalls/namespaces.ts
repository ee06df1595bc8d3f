// unshare and setns. The process is alone and single-threaded, so sharing nothing more than it
// already shares (CLONE_FILES, CLONE_FS, CLONE_SYSVSEM, CLONE_THREAD, CLONE_VM, CLONE_SIGHAND) is
// real and changes nothing; a new UTS or IPC namespace is made for real (a copy of the names;
// an empty IPC namespace). The other namespaces (mount, network, pid, user, cgroup, time) would
// need the host's and are refused with EPERM, as for a caller without CAP_SYS_ADMIN.
import { argInt, argUint } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';
import { newIpcNamespace } from '../ipc-namespace.js';
import { PidFd } from './pidfd.js';

const CLONE_VM = 0x100;
const CLONE_FS = 0x200;
const CLONE_FILES = 0x400;
const CLONE_SIGHAND = 0x800;
const CLONE_THREAD = 0x10000;
const CLONE_NEWNS = 0x20000;
const CLONE_SYSVSEM = 0x40000;
const CLONE_NEWCGROUP = 0x02000000;
const CLONE_NEWUTS = 0x04000000;
const CLONE_NEWIPC = 0x08000000;
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWPID = 0x20000000;
const CLONE_NEWNET = 0x40000000;
const CLONE_NEWTIME = 0x80;
const NAMESPACE_FLAGS = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME;
const UNSHARE_FLAGS = CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | CLONE_SYSVSEM | NAMESPACE_FLAGS;
/** The namespaces this kernel can give a process of its own. */
const REAL_NAMESPACES = CLONE_NEWUTS | CLONE_NEWIPC;

function unshare(c: SyscallContext): number {
  const flags = argUint(c.args, 0);
  if (flags & ~UNSHARE_FLAGS) return -Errno.EINVAL;
  if ((flags & NAMESPACE_FLAGS & ~REAL_NAMESPACES) !== 0) return -Errno.EPERM;
  if (flags & CLONE_NEWUTS) c.proc.uts = { ...c.proc.uts };
  if (flags & CLONE_NEWIPC) newIpcNamespace(c.proc);
  return 0;
}

function setns(c: SyscallContext): number {
  const file = c.proc.fds.get(argInt(c.args, 0));
  if (!file) return -Errno.EBADF;
  const nstype = argUint(c.args, 1);
  // Only a pidfd can name namespaces here (there are no /proc/PID/ns files).
  if (!(file instanceof PidFd)) return -Errno.EINVAL;
  if (!nstype || nstype & ~NAMESPACE_FLAGS) return -Errno.EINVAL;
  // The only pidfd is the process's own: it is in those namespaces already, except for a user
  // namespace, which a process cannot re-enter.
  if (nstype & CLONE_NEWUSER) return -Errno.EINVAL;
  return 0;
}


export const NAMESPACE_SYSCALLS: Record<string, SyscallHandler> = { unshare, setns };
