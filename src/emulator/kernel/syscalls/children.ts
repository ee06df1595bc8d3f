// Creating and waiting for children: clone, clone3, fork, vfork, wait4, waitid. Requests are
// read and checked as Linux does (clone-args.ts; kernel/exit.c for the waits), so refused ones
// fail with Linux's errno. A new process is a copy of its parent (kernel/fork.ts) that the
// machine schedules; vfork's child gets a copy too (a correct vfork child only execs or exits,
// and the parent cannot see the difference but in timing), and the parent waits until the
// child has exec'd or ended, as Linux's does. CLONE_THREAD makes a thread of the
// process (kernel/fork.ts createThread). A process sharing its parent's memory (CLONE_VM
// without CLONE_THREAD or CLONE_VFORK) is not supported: ENOSYS and a diagnostic.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext } from '../context.js';
import { BLOCKED, blockOn, StructWriter } from '../context.js';
import { CLONE_THREAD, CLONE_VFORK, CLONE_VM } from '../clone-args.js';
import { childInfo, waitStatus } from '../fork.js';
import { jobInfo, jobStatus, type JobChange } from '../job-control.js';
import type { Process } from '../process.js';
import { waitKey } from '../scheduler.js';
import { PidFd } from './pidfd.js';
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

const SIGCHLD = 17;
const SIGINFO_SIZE = 128;
const RUSAGE_SIZE = 144;

const reported = new WeakSet<object>();

/** A valid request for a new task: a process or thread the machine adds, or ENOSYS for a
 *  process that would share its parent's memory. */
function createTask(c: SyscallContext, request: CloneRequest | number, what: string): number {
  if (typeof request === 'number') return request;
  const sharedMemoryProcess = (request.flags & BigInt(CLONE_VM)) !== 0n && (request.flags & BigInt(CLONE_VFORK | CLONE_THREAD)) === 0n;
  if (sharedMemoryProcess || !c.proc.fork) {
    if (!reported.has(c.proc)) {
      reported.add(c.proc);
      c.proc.diagnose(`${what}: a process sharing its parent's memory (CLONE_VM without CLONE_THREAD) is not supported: the guest gets ENOSYS`);
    }
    return -Errno.ENOSYS;
  }
  // A vfork that waits for its child runs again: the child exists already.
  if (c.proc.vforkChild) return vforkDone(c.proc);
  const tid = c.proc.fork(request);
  if (tid < 0 || !(request.flags & BigInt(CLONE_VFORK))) return tid;
  c.proc.vforkChild = c.proc.children.find((p) => p.pid === tid) ?? null;
  return vforkDone(c.proc);
}

/** CLONE_VFORK: the parent waits until its child has called execve or ended, uninterruptibly
 *  (Linux's wait_for_vfork_done: signals wait until the call returns). */
function vforkDone(proc: Process): number {
  const child = proc.vforkChild!;
  if (child.group.forkedNoExec && !child.ended && proc.wakeReason !== 'deadlock' && proc.canWaitForOthers()) {
    proc.wakeReason = null;
    proc.pendingWait = { key: waitKey(child, 'vfork'), what: 'vfork' };
    return BLOCKED;
  }
  proc.vforkChild = null;
  return child.pid;
}

function clone(c: SyscallContext): number {
  const a = c.args;
  return createTask(c, legacyClone(argUint(a, 0), argUlong(a, 1), argUlong(a, 2), argUlong(a, 3), argUlong(a, 4)), 'clone');
}

function clone3(c: SyscallContext): number {
  return createTask(c, clone3Request(c.proc, argUlong(c.args, 0), argUlong(c.args, 1)), 'clone3');
}

/** Which children a wait is for: wait4's pid argument (waitid's idtype and id map to it). */
type Selector = { kind: 'any' } | { kind: 'pid'; pid: number } | { kind: 'pgid'; pgid: number };

/** The children a wait may take, by its selector and __WCLONE/__WALL: a "clone" child is one
 *  whose exit signal is not SIGCHLD. */
function eligible(proc: Process, selector: Selector, options: number): Process[] {
  return proc.children.filter((child) => {
    if (selector.kind === 'pid' && child.pid !== selector.pid) return false;
    if (selector.kind === 'pgid' && child.pgid !== selector.pgid) return false;
    if (options & __WALL) return true;
    return (child.exitSignal !== SIGCHLD) === ((options & __WCLONE) !== 0);
  });
}

/** What a wait reports of a child: its end, or a stop or continue (job-control.ts). */
interface Report {
  child: Process;
  change: JobChange | null;
}

/** Which reports a wait takes: ends, stops, continues. */
interface Wanted {
  exits: boolean;
  stops: boolean;
  continues: boolean;
}

/** A wait's common part: the first child with something to report that the wait wants, 0 with
 *  WNOHANG while none has, ECHILD when there is none to wait for; else it waits. */
function findReport(c: SyscallContext, selector: Selector, options: number, wanted: Wanted, what: string): Report | number {
  const children = eligible(c.proc, selector, options);
  if (children.length === 0) return -Errno.ECHILD;
  for (const child of children) {
    if (wanted.exits && child.isZombie) return { child, change: null };
    const change = child.group.jobChange;
    if (change && !child.isZombie && (change.kind === 'stopped' ? wanted.stops : wanted.continues)) return { child, change };
  }
  if (options & WNOHANG) return 0;
  return blockOn(c.proc, waitKey(c.proc, 'child'), what);
}

/** The wait took the report: an end reaps the child (unless WNOWAIT), a stop or continue is
 *  taken. */
function take(parent: Process, report: Report, options: number): void {
  if (options & WNOWAIT) return;
  if (report.change) report.child.group.jobChange = null;
  else reap(parent, report.child);
}

/** The parent takes the child's status: it is gone. */
function reap(parent: Process, child: Process): void {
  parent.children.splice(parent.children.indexOf(child), 1);
  parent.reap(child);
}

function wait4(c: SyscallContext): number {
  const pid = argInt(c.args, 0);
  const statusAddr = argUlong(c.args, 1);
  const options = argUint(c.args, 2);
  const rusageAddr = argUlong(c.args, 3);
  if (options & ~WAIT4_OPTIONS) return -Errno.EINVAL;
  if (pid === INT_MIN) return -Errno.ESRCH;
  const selector: Selector = pid === -1 ? { kind: 'any' } : pid > 0 ? { kind: 'pid', pid } : { kind: 'pgid', pgid: pid === 0 ? c.proc.pgid : -pid };
  const found = findReport(c, selector, options, { exits: true, stops: (options & WUNTRACED) !== 0, continues: (options & WCONTINUED) !== 0 }, 'wait4');
  if (typeof found === 'number') return found;
  const status = found.change ? jobStatus(found.change) : waitStatus(found.child.exitStatus!);
  if (statusAddr !== 0) c.proc.mem.writeBytes(statusAddr, new StructWriter(4).u32(0, status).bytes);
  if (rusageAddr !== 0) c.proc.mem.writeBytes(rusageAddr, new Uint8Array(RUSAGE_SIZE));
  take(c.proc, found, options);
  return found.child.pid;
}

function waitid(c: SyscallContext): number {
  const which = argInt(c.args, 0);
  const id = argInt(c.args, 1);
  const infoAddr = argUlong(c.args, 2);
  const options = argUint(c.args, 3);
  if (options & ~WAITID_OPTIONS) return -Errno.EINVAL;
  if (!(options & (WEXITED | WSTOPPED | WCONTINUED))) return -Errno.EINVAL;
  let selector: Selector;
  switch (which) {
    case P_ALL:
      selector = { kind: 'any' };
      break;
    case P_PID:
      if (id <= 0) return -Errno.EINVAL;
      selector = { kind: 'pid', pid: id };
      break;
    case P_PGID:
      if (id < 0) return -Errno.EINVAL;
      selector = { kind: 'pgid', pgid: id === 0 ? c.proc.pgid : id };
      break;
    case P_PIDFD: {
      if (id < 0) return -Errno.EINVAL;
      // Any descriptor but a pidfd is a bad one here (pidfd_pid).
      const file = c.proc.fds.get(id);
      if (!(file instanceof PidFd)) return -Errno.EBADF;
      selector = { kind: 'pid', pid: file.pid };
      break;
    }
    default:
      return -Errno.EINVAL;
  }
  const wanted = { exits: (options & WEXITED) !== 0, stops: (options & WSTOPPED) !== 0, continues: (options & WCONTINUED) !== 0 };
  const found = findReport(c, selector, options, wanted, 'waitid');
  if (typeof found === 'number' && found !== 0) return found;
  if (infoAddr !== 0) {
    const info = new StructWriter(SIGINFO_SIZE);
    if (typeof found !== 'number') {
      const { child, change } = found;
      const what = change ? jobInfo(change) : childInfo(child.exitStatus!);
      info.u32(0, SIGCHLD).u32(8, what.code).u32(16, child.pid).u32(20, child.identity.uid).u32(24, what.status);
    }
    c.proc.mem.writeBytes(infoAddr, info.bytes);
  }
  if (typeof found !== 'number') take(c.proc, found, options);
  return 0;
}

export const CHILD_SYSCALLS = {
  clone,
  clone3,
  fork: (c: SyscallContext) => createTask(c, forkRequest(false), 'fork'),
  vfork: (c: SyscallContext) => createTask(c, forkRequest(true), 'vfork'),
  wait4,
  waitid,
};
