// Scheduling: CPU affinity (one CPU), policy and real-time priority (sched_*), nice values
// (getpriority, setpriority) and I/O priorities (ioprio_*), with Linux's checks
// (kernel/sched/core.c, kernel/sys.c, block/ioprio.c). The state is in sched.ts; the process
// is the only one, so a pid, process group or user names it or nothing (ESRCH).
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import { nsToTimespec } from '../clock.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';
import { CAP_SYS_ADMIN, CAP_SYS_NICE } from '../creds.js';
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import {
  CPUMASK_SIZE, MAX_NICE, MAX_RT_PRIO, MIN_NICE, NR_CPUS, rtPolicy, SCHED_DEADLINE, SCHED_IDLE, SCHED_RESET_ON_FORK, validPolicy,
} from '../sched.js';

const RLIMIT_NICE = 13;
const RLIMIT_RTPRIO = 14;

/** Whether `pid` (0: the caller) is the process. */
function isSelf(proc: Process, pid: number): boolean {
  return pid === 0 || pid === proc.pid;
}

// ---------------------------------------------------------------- affinity

/** sched_getaffinity: the mask of CPU 0, as many bytes as the kernel's mask has (at most
 *  `len`, which must hold every CPU and be a whole number of longs). */
function schedGetaffinity(c: SyscallContext): number {
  const len = argUint(c.args, 1);
  // (len * 8 is an unsigned int in the kernel: it wraps.)
  if ((len * 8) % 2 ** 32 < NR_CPUS || len % 8 !== 0) return -Errno.EINVAL;
  if (!isSelf(c.proc, argInt(c.args, 0))) return -Errno.ESRCH;
  const size = Math.min(len, CPUMASK_SIZE);
  const mask = new Uint8Array(size);
  mask[0] = 1;
  c.proc.mem.writeBytes(argUlong(c.args, 2), mask);
  return size;
}

/** sched_setaffinity: the mask (read up to the kernel's mask size) must contain CPU 0. */
function schedSetaffinity(c: SyscallContext): number {
  const mask = c.proc.mem.readBytes(argUlong(c.args, 2), Math.min(argUint(c.args, 1), CPUMASK_SIZE));
  if (!isSelf(c.proc, argInt(c.args, 0))) return -Errno.ESRCH;
  return mask.length > 0 && mask[0] & 1 ? 0 : -Errno.EINVAL;
}

// ---------------------------------------------------------------- policy and priority

/** can_nice: lowering the nice value to `nice` needs RLIMIT_NICE (20 - nice) or CAP_SYS_NICE. */
function canNice(proc: Process, nice: number): boolean {
  return BigInt(20 - nice) <= proc.limits[RLIMIT_NICE][0] || proc.identity.capable(CAP_SYS_NICE);
}

/**
 * __sched_setscheduler: `policy` null keeps the current one (sched_setparam). The priority
 * must be 1..99 for the real-time policies and 0 for the others; without CAP_SYS_NICE a
 * real-time policy needs RLIMIT_RTPRIO, SCHED_IDLE is left only as far as RLIMIT_NICE allows
 * and SCHED_RESET_ON_FORK cannot be cleared. SCHED_DEADLINE needs sched_setattr's parameters.
 */
function setScheduler(proc: Process, requested: number | null, rawPriority: number): number {
  const s = proc.sched;
  const policy = requested === null ? s.policy : requested & ~SCHED_RESET_ON_FORK;
  const resetOnFork = requested === null ? s.resetOnFork : (requested & SCHED_RESET_ON_FORK) !== 0;
  if (!validPolicy(policy)) return -Errno.EINVAL;
  const priority = rawPriority >>> 0;
  if (priority > MAX_RT_PRIO - 1 || policy === SCHED_DEADLINE || rtPolicy(policy) !== (priority !== 0)) return -Errno.EINVAL;
  if (!proc.identity.capable(CAP_SYS_NICE)) {
    const rtLimit = proc.limits[RLIMIT_RTPRIO][0];
    if (rtPolicy(policy) && policy !== s.policy && rtLimit === 0n) return -Errno.EPERM;
    if (rtPolicy(policy) && priority > s.rtPriority && BigInt(priority) > rtLimit) return -Errno.EPERM;
    if (s.policy === SCHED_IDLE && policy !== SCHED_IDLE && !canNice(proc, s.nice)) return -Errno.EPERM;
    if (s.resetOnFork && !resetOnFork) return -Errno.EPERM;
  }
  s.policy = policy;
  s.rtPriority = priority;
  s.resetOnFork = resetOnFork;
  return 0;
}

/** do_sched_setscheduler: reads struct sched_param (an int priority). */
function setSchedulerFrom(c: SyscallContext, policy: number | null, paramArg: number): number {
  const pid = argInt(c.args, 0);
  const param = argUlong(c.args, paramArg);
  if (param === 0 || pid < 0) return -Errno.EINVAL;
  const priority = new DataView(c.proc.mem.readBytes(param, 4).buffer).getInt32(0, true);
  if (!isSelf(c.proc, pid)) return -Errno.ESRCH;
  return setScheduler(c.proc, policy, priority);
}

function schedSetscheduler(c: SyscallContext): number {
  const policy = argInt(c.args, 1);
  return policy < 0 ? -Errno.EINVAL : setSchedulerFrom(c, policy, 2);
}

function schedGetscheduler(c: SyscallContext): number {
  const pid = argInt(c.args, 0);
  if (pid < 0) return -Errno.EINVAL;
  if (!isSelf(c.proc, pid)) return -Errno.ESRCH;
  const s = c.proc.sched;
  return s.policy | (s.resetOnFork ? SCHED_RESET_ON_FORK : 0);
}

function schedGetparam(c: SyscallContext): number {
  const pid = argInt(c.args, 0);
  const param = argUlong(c.args, 1);
  if (param === 0 || pid < 0) return -Errno.EINVAL;
  if (!isSelf(c.proc, pid)) return -Errno.ESRCH;
  c.proc.mem.writeBytes(param, new StructWriter(4).u32(0, c.proc.sched.rtPriority).bytes);
  return 0;
}

/** The priority range of a policy: 1..99 for the real-time ones, 0 for the others. */
function priorityLimit(which: 'min' | 'max'): SyscallHandler {
  return (c) => {
    const policy = argInt(c.args, 0);
    if (!validPolicy(policy)) return -Errno.EINVAL;
    if (!rtPolicy(policy)) return 0;
    return which === 'max' ? MAX_RT_PRIO - 1 : 1;
  };
}

function schedRrGetInterval(c: SyscallContext): number {
  const pid = argInt(c.args, 0);
  if (pid < 0) return -Errno.EINVAL;
  if (!isSelf(c.proc, pid)) return -Errno.ESRCH;
  const t = nsToTimespec(c.proc.sched.timeslice());
  c.proc.mem.writeBytes(argUlong(c.args, 1), new StructWriter(16).u64(0, t.sec).u64(8, t.nsec).bytes);
  return 0;
}

// ---------------------------------------------------------------- nice values, I/O priorities

const PRIO_PROCESS = 0;
const PRIO_PGRP = 1;
const PRIO_USER = 2;

/** Whether getpriority's (`which`, `who`) takes in the process: its pid, its process group or
 *  its real user (0: the caller's). ioprio_set takes user 0 as uid 0 (`userZeroIsCaller`). */
function targetsSelf(proc: Process, which: number, who: number, userZeroIsCaller = true): boolean {
  switch (which) {
    case PRIO_PROCESS:
      return isSelf(proc, who);
    case PRIO_PGRP:
      return who === 0 || who === proc.pgid;
    default:
      return (who === 0 && userZeroIsCaller) || who >>> 0 === proc.identity.uid;
  }
}

/** getpriority: the raw syscall's 20 - nice (1..40), so that no success looks like an error. */
function getpriority(c: SyscallContext): number {
  const which = argInt(c.args, 0);
  if (which < PRIO_PROCESS || which > PRIO_USER) return -Errno.EINVAL;
  if (!targetsSelf(c.proc, which, argInt(c.args, 1))) return -Errno.ESRCH;
  return 20 - c.proc.sched.nice;
}

/** setpriority: the nice value, clamped to -20..19; lowering it is can_nice's (EACCES). */
function setpriority(c: SyscallContext): number {
  const which = argInt(c.args, 0);
  if (which < PRIO_PROCESS || which > PRIO_USER) return -Errno.EINVAL;
  const nice = Math.min(MAX_NICE, Math.max(MIN_NICE, argInt(c.args, 2)));
  if (!targetsSelf(c.proc, which, argInt(c.args, 1))) return -Errno.ESRCH;
  const s = c.proc.sched;
  if (nice < s.nice && !canNice(c.proc, nice)) return -Errno.EACCES;
  s.nice = nice;
  return 0;
}

const IOPRIO_CLASS_SHIFT = 13;
const IOPRIO_CLASS_NONE = 0;
const IOPRIO_CLASS_RT = 1;
const IOPRIO_CLASS_BE = 2;
const IOPRIO_CLASS_IDLE = 3;
/** The levels of the RT and BE classes (0 highest). */
const IOPRIO_NR_LEVELS = 8;
/** IOPRIO_WHO_PROCESS, _PGRP, _USER: PRIO_* + 1. */
const IOPRIO_WHO_PROCESS = 1;
const IOPRIO_WHO_USER = 3;

/** ioprio_check_cap: the class and its level; the real-time class needs CAP_SYS_NICE or
 *  CAP_SYS_ADMIN. */
function checkIoprio(proc: Process, ioprio: number): number {
  const level = ioprio & ((1 << IOPRIO_CLASS_SHIFT) - 1);
  switch ((ioprio >> IOPRIO_CLASS_SHIFT) & 7) {
    case IOPRIO_CLASS_RT:
      if (!proc.identity.capable(CAP_SYS_NICE) && !proc.identity.capable(CAP_SYS_ADMIN)) return -Errno.EPERM;
      return level >= IOPRIO_NR_LEVELS ? -Errno.EINVAL : 0;
    case IOPRIO_CLASS_BE:
      return level >= IOPRIO_NR_LEVELS ? -Errno.EINVAL : 0;
    case IOPRIO_CLASS_IDLE:
      return 0;
    case IOPRIO_CLASS_NONE:
      return level !== 0 ? -Errno.EINVAL : 0;
    default:
      return -Errno.EINVAL;
  }
}

function ioprioSet(c: SyscallContext): number {
  const ioprio = argInt(c.args, 2);
  const error = checkIoprio(c.proc, ioprio);
  if (error) return error;
  const which = argInt(c.args, 0);
  if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER) return -Errno.EINVAL;
  if (!targetsSelf(c.proc, which - 1, argInt(c.args, 1), false)) return -Errno.ESRCH;
  c.proc.sched.ioprio = ioprio;
  return 0;
}

function ioprioGet(c: SyscallContext): number {
  const which = argInt(c.args, 0);
  if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER) return -Errno.EINVAL;
  if (!targetsSelf(c.proc, which - 1, argInt(c.args, 1))) return -Errno.ESRCH;
  return c.proc.sched.ioprio;
}

export const SCHED_SYSCALLS: Record<string, SyscallHandler> = {
  sched_setaffinity: schedSetaffinity,
  sched_getaffinity: schedGetaffinity,
  sched_setscheduler: schedSetscheduler,
  sched_getscheduler: schedGetscheduler,
  sched_setparam: (c) => setSchedulerFrom(c, null, 1),
  sched_getparam: schedGetparam,
  sched_get_priority_max: priorityLimit('max'),
  sched_get_priority_min: priorityLimit('min'),
  sched_rr_get_interval: schedRrGetInterval,
  getpriority,
  setpriority,
  ioprio_set: ioprioSet,
  ioprio_get: ioprioGet,
};
