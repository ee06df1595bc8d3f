// epoll: epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait, epoll_pwait2. The
// instances are eventpoll.ts; a wait ends as poll's do (waiting.ts), except that a signal makes
// it fail with EINTR (epoll waits are never restarted).
import { argInt, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';
import { CAP_BLOCK_SUSPEND } from '../creds.js';
import { Errno } from '../errno.js';
import { EPOLLET, EPOLLEXCLUSIVE, EPOLLWAKEUP, EventPoll } from '../eventpoll.js';
import { DeviceFile, HostFile, O_CLOEXEC, O_RDWR, OpenFile, POLLERR, POLLHUP, POLLIN, POLLOUT } from '../files.js';
import { hostMayWake, waitFor, WaitOutcome, withMask } from '../waiting.js';
import { usableFd } from './lookup.js';
import { readTimespec } from './poll.js';
import { readMask, SIGSET_SIZE } from './signal.js';

const EPOLL_CLOEXEC = O_CLOEXEC;
const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_DEL = 2;
const EPOLL_CTL_MOD = 3;
/** struct epoll_event: u32 events, u64 data (packed on x86-64). */
const EPOLL_EVENT_SIZE = 12;
/** The most events one wait may ask for (INT_MAX / sizeof(struct epoll_event)). */
const EP_MAX_EVENTS = Math.floor(0x7fffffff / EPOLL_EVENT_SIZE);
/** How deep epoll instances may watch each other. */
const EP_MAX_NESTS = 4;
/** The only events an EPOLLEXCLUSIVE interest may ask for. */
const EPOLLEXCLUSIVE_OK_BITS = POLLIN | POLLOUT | POLLERR | POLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
/** The end of the user address space (access_ok). */
const TASK_SIZE_MAX = 0x7ffffffff000;

/** fdinfo's identity of a watched description: its inode number and its device as the kernel
 *  encodes it (major << 20 | minor). */
function identify(c: SyscallContext): (file: OpenFile) => string {
  return (file) => {
    const s = file.stat();
    if (typeof s === 'number') return 'ino:0 sdev:0';
    const v = c.proc.metadata.view(s);
    const major = ((v.dev >> 8n) & 0xfffn) | ((v.dev >> 32n) & ~0xfffn);
    const minor = (v.dev & 0xffn) | ((v.dev >> 12n) & ~0xffn);
    return `ino:${v.ino.toString(16)} sdev:${((major << 20n) | minor).toString(16)}`;
  };
}

function create(c: SyscallContext, flags: number): number {
  const proc = c.proc;
  const file = new EventPoll(O_RDWR, proc.clock.bootRealtimeNs, proc.fds.refs, identify(c));
  return proc.fds.allocate(file, (flags & EPOLL_CLOEXEC) !== 0);
}

function epollCreate(c: SyscallContext): number {
  return argInt(c.args, 0) <= 0 ? -Errno.EINVAL : create(c, 0);
}

function epollCreate1(c: SyscallContext): number {
  const flags = argInt(c.args, 0);
  return flags & ~EPOLL_CLOEXEC ? -Errno.EINVAL : create(c, flags);
}

/** file_can_poll: whether the description has a poll operation (regular files, directories,
 *  block devices and most character devices do not: EPERM). */
function canPoll(file: OpenFile): boolean {
  switch (file.kind) {
    case 'pipe':
    case 'fifo':
    case 'socket':
    case 'anon':
      return true;
    case 'chardev':
      if (file instanceof HostFile) return file.isTerminal;
      return file instanceof DeviceFile && file.node.name === 'random';
    default:
      return false;
  }
}

/** ep_loop_check: whether watching `target` from `ep` would close a loop or nest too deep. */
function makesLoop(ep: EventPoll, target: EventPoll): boolean {
  const visited = new Set<EventPoll>();
  const visit = (at: EventPoll, depth: number): boolean => {
    visited.add(at);
    for (const next of at.watchedEpolls()) {
      if (visited.has(next)) continue;
      if (next === ep || depth > EP_MAX_NESTS || visit(next, depth + 1)) return true;
    }
    return false;
  };
  return visit(target, 0);
}

function epollCtl(c: SyscallContext): number {
  const { proc, args } = c;
  const op = argInt(args, 1);
  let events = 0;
  let data = 0n;
  if (op !== EPOLL_CTL_DEL) {
    const raw = proc.mem.readBytes(argUlong(args, 3), EPOLL_EVENT_SIZE);
    const view = new DataView(raw.buffer, raw.byteOffset, EPOLL_EVENT_SIZE);
    events = view.getUint32(0, true);
    data = view.getBigUint64(4, true);
  }
  const ep = usableFd(c, 0);
  if (typeof ep === 'number') return ep;
  const target = usableFd(c, 2);
  if (typeof target === 'number') return target;
  if (!canPoll(target)) return -Errno.EPERM;
  if (op !== EPOLL_CTL_DEL && !proc.identity.capable(CAP_BLOCK_SUSPEND)) events &= ~EPOLLWAKEUP;
  if (ep === target || !(ep instanceof EventPoll)) return -Errno.EINVAL;
  if (op !== EPOLL_CTL_DEL && events & EPOLLEXCLUSIVE) {
    if (op === EPOLL_CTL_MOD) return -Errno.EINVAL;
    if (op === EPOLL_CTL_ADD && (target instanceof EventPoll || events & ~EPOLLEXCLUSIVE_OK_BITS)) return -Errno.EINVAL;
  }
  if (op === EPOLL_CTL_ADD && target instanceof EventPoll && makesLoop(ep, target)) return -Errno.ELOOP;
  const fd = argInt(args, 2);
  const interest = ep.find(target, fd);
  switch (op) {
    case EPOLL_CTL_ADD:
      if (interest) return -Errno.EEXIST;
      ep.add(target, fd, events >>> 0, data);
      return 0;
    case EPOLL_CTL_DEL:
      if (!interest) return -Errno.ENOENT;
      ep.remove(interest);
      return 0;
    case EPOLL_CTL_MOD:
      if (!interest) return -Errno.ENOENT;
      if (interest.events & EPOLLEXCLUSIVE) return -Errno.EINVAL;
      ep.modify(interest, events >>> 0, data);
      return 0;
    default:
      return -Errno.EINVAL;
  }
}

/** do_epoll_wait: up to maxevents ready events to `addr`, waiting up to the timeout (ns; null:
 *  none). */
function epollWaitFor(c: SyscallContext, timeoutNs: bigint | null): WaitOutcome {
  const { proc, args } = c;
  const addr = argUlong(args, 1);
  const max = argInt(args, 2);
  if (max <= 0 || max > EP_MAX_EVENTS) return { n: -Errno.EINVAL, sleptNs: 0n };
  if (addr + max * EPOLL_EVENT_SIZE > TASK_SIZE_MAX) return { n: -Errno.EFAULT, sleptNs: 0n };
  const ep = usableFd(c, 0);
  if (typeof ep === 'number') return { n: ep, sleptNs: 0n };
  if (!(ep instanceof EventPoll)) return { n: -Errno.EINVAL, sleptNs: 0n };
  const check = (): number => {
    const ready = ep.harvest(max);
    if (ready.length === 0) return 0;
    const w = new StructWriter(ready.length * EPOLL_EVENT_SIZE);
    ready.forEach((e, k) => w.u32(k * EPOLL_EVENT_SIZE, e.events).u64(k * EPOLL_EVENT_SIZE + 4, e.data));
    proc.mem.writeBytes(addr, w.bytes);
    return ready.length;
  };
  const hostWakes = ep.interests.some((it) => hostMayWake(it.file));
  return waitFor(c, 'epoll_wait', check, timeoutNs, hostWakes, Errno.EINTR, () => ep.wakesAt());
}

/** A timeout in milliseconds (negative: none). */
function msTimeout(ms: number): bigint | null {
  return ms < 0 ? null : BigInt(ms) * 1_000_000n;
}

/** set_user_sigmask: the temporary mask of epoll_pwait and epoll_pwait2 (arguments 4 and 5). */
function userMask(c: SyscallContext): bigint | null | number {
  const addr = argUlong(c.args, 4);
  if (addr === 0) return null;
  if (argUlong(c.args, 5) !== SIGSET_SIZE) return -Errno.EINVAL;
  return readMask(c.proc, addr);
}

function epollWait(c: SyscallContext): number {
  return epollWaitFor(c, msTimeout(argInt(c.args, 3))).n;
}

function pwait(c: SyscallContext, timeoutNs: bigint | null): number {
  const mask = userMask(c);
  if (typeof mask === 'number') return mask;
  return withMask(c, mask, () => epollWaitFor(c, timeoutNs), Errno.EINTR).n;
}

function epollPwait(c: SyscallContext): number {
  return pwait(c, msTimeout(argInt(c.args, 3)));
}

function epollPwait2(c: SyscallContext): number {
  const timeout = readTimespec(c, argUlong(c.args, 3));
  if (typeof timeout === 'number') return timeout;
  return pwait(c, timeout);
}

export const EPOLL_SYSCALLS: Record<string, SyscallHandler> = {
  epoll_create: epollCreate,
  epoll_create1: epollCreate1,
  epoll_ctl: epollCtl,
  epoll_wait: epollWait,
  epoll_pwait: epollPwait,
  epoll_pwait2: epollPwait2,
};
