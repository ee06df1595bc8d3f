// Process file descriptors and the calls that act on a process through one: pidfd_open,
// pidfd_send_signal, pidfd_getfd, process_madvise, process_mrelease. The only process is the
// caller, so a pidfd always names it; other pids do not exist (ESRCH).
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import { AnonInodeFile } from '../anon-inode.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';
import { O_EXCL, O_NONBLOCK, O_RDWR, OpenFile } from '../files.js';
import { PAGE_SIZE } from '../../memory.js';
import { readIovecs } from './io.js';
import { queueSignal, readSiginfo, SiginfoFields } from './sigqueue.js';
import { SI_TKILL, SI_USER } from '../signals.js';

const PIDFD_NONBLOCK = O_NONBLOCK;
const PIDFD_THREAD = O_EXCL;
const PIDFD_SIGNAL_THREAD = 1;
const PIDFD_SIGNAL_THREAD_GROUP = 2;
const PIDFD_SIGNAL_PROCESS_GROUP = 4;
const MADV_WILLNEED = 3;
const MADV_COLD = 20;
const MADV_PAGEOUT = 21;
const MADV_COLLAPSE = 25;

/** A pidfd: `anon_inode:[pidfd]`. It becomes readable when the process exits (which its only
 *  holder never sees). */
export class PidFd extends AnonInodeFile {
  constructor(
    readonly pid: number,
    flags: number,
    bootNs: bigint,
  ) {
    super('[pidfd]', O_RDWR | flags, bootNs);
  }

  override poll(): number {
    return 0;
  }
}

/** The pidfd behind an fd argument: EBADF when the fd is not open or not a pidfd. */
function pidfdArg(c: SyscallContext, index: number): PidFd | number {
  const file = c.proc.fds.get(argInt(c.args, index));
  return file instanceof PidFd ? file : -Errno.EBADF;
}

function pidfdOpen(c: SyscallContext): number {
  const pid = argInt(c.args, 0);
  const flags = argUint(c.args, 1);
  if (flags & ~(PIDFD_NONBLOCK | PIDFD_THREAD)) return -Errno.EINVAL;
  if (pid <= 0) return -Errno.EINVAL;
  if (pid !== c.proc.pid) return -Errno.ESRCH;
  return c.proc.fds.allocate(new PidFd(pid, flags, c.proc.clock.bootRealtimeNs), true);
}

function pidfdSendSignal(c: SyscallContext): number {
  const sig = argInt(c.args, 1);
  const infoAddr = argUlong(c.args, 2);
  const flags = argUint(c.args, 3);
  if (flags & ~(PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP)) return -Errno.EINVAL;
  if (flags & (flags - 1)) return -Errno.EINVAL;
  const pidfd = pidfdArg(c, 0);
  if (typeof pidfd === 'number') return pidfd;
  const toThread = flags ? flags === PIDFD_SIGNAL_THREAD : (pidfd.flags & PIDFD_THREAD) !== 0;
  let info: SiginfoFields;
  if (infoAddr !== 0) {
    info = readSiginfo(c.proc, infoAddr);
    if (info.signo !== sig) return -Errno.EINVAL;
    // Arbitrary siginfo only to oneself (as a process, or as a process group of one).
    if (flags === PIDFD_SIGNAL_PROCESS_GROUP && (info.code >= 0 || info.code === SI_TKILL)) return -Errno.EPERM;
  } else {
    info = { signo: sig, code: toThread ? SI_TKILL : SI_USER, pid: c.proc.pid, uid: c.proc.identity.uid, value: 0n };
  }
  return queueSignal(c.proc, sig, info, !toThread);
}

function pidfdGetfd(c: SyscallContext): number {
  if (argUint(c.args, 2) !== 0) return -Errno.EINVAL;
  const pidfd = pidfdArg(c, 0);
  if (typeof pidfd === 'number') return pidfd;
  const file: OpenFile | undefined = c.proc.fds.get(argInt(c.args, 1));
  if (!file) return -Errno.EBADF;
  return c.proc.fds.allocate(file, true);
}

/** process_madvise: the advice it takes only changes how pages are kept, which the emulator
 *  does not model; the ranges are checked as madvise checks them and count as advised. */
function processMadvise(c: SyscallContext): number {
  if (argUint(c.args, 4) !== 0) return -Errno.EINVAL;
  const iovecs = readIovecs(c, argUlong(c.args, 1), argInt(c.args, 2));
  if (typeof iovecs === 'number') return iovecs;
  const pidfd = pidfdArg(c, 0);
  if (typeof pidfd === 'number') return pidfd;
  const advice = argInt(c.args, 3);
  if (advice !== MADV_COLD && advice !== MADV_PAGEOUT && advice !== MADV_WILLNEED && advice !== MADV_COLLAPSE) return -Errno.EINVAL;
  let total = 0;
  for (const [start, len] of iovecs) {
    const error = checkAdviceRange(c, start, len);
    if (error) return total > 0 ? total : error;
    total += len;
  }
  return total;
}

/** madvise's range rules: page-aligned start, and every page of the range mapped. */
function checkAdviceRange(c: SyscallContext, start: number, len: number): number {
  if (start % PAGE_SIZE) return -Errno.EINVAL;
  const end = start + Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  if (end < start) return -Errno.EINVAL;
  let at = start;
  for (const m of c.proc.mem.mappings) {
    if (m.end <= at) continue;
    if (m.start > at || at >= end) break;
    at = m.end;
  }
  return at >= end ? 0 : -Errno.ENOMEM;
}

function processMrelease(c: SyscallContext): number {
  if (argUint(c.args, 1) !== 0) return -Errno.EINVAL;
  const pidfd = pidfdArg(c, 0);
  if (typeof pidfd === 'number') return pidfd;
  // Only the memory of a dying process can be reaped; the caller is alive.
  return -Errno.EINVAL;
}

export const PIDFD_SYSCALLS: Record<string, SyscallHandler> = {
  pidfd_open: pidfdOpen,
  pidfd_send_signal: pidfdSendSignal,
  pidfd_getfd: pidfdGetfd,
  process_madvise: processMadvise,
  process_mrelease: processMrelease,
};
