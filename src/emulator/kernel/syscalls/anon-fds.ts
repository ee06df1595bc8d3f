// Descriptors for events, timers and signals: eventfd, eventfd2, timerfd_create,
// timerfd_settime, timerfd_gettime, signalfd, signalfd4. The objects are eventfd.ts, timerfd.ts
// and signalfd.ts; what they share as files is anon-inode.ts.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { ClockBase } from '../clock.js';
import { NSEC_PER_SEC } from '../clock.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';
import { CAP_WAKE_ALARM } from '../creds.js';
import { Errno } from '../errno.js';
import { EFD_SEMAPHORE, EventFd } from '../eventfd.js';
import type { OpenFile } from '../files.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../files.js';
import type { Process } from '../process.js';
import { SignalFd } from '../signalfd.js';
import { TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET, TimerFd, TimerSetting } from '../timerfd.js';
import { usableFd } from './lookup.js';
import { readMask, SIGSET_SIZE } from './signal.js';

/** The flags every one of them takes at creation (EFD_, TFD_, SFD_ CLOEXEC and NONBLOCK). */
const SHARED_FCNTL_FLAGS = O_CLOEXEC | O_NONBLOCK;

/** Installs a new description at the lowest free fd (closing it again when there is none). */
function install(proc: Process, file: OpenFile, flags: number): number {
  const fd = proc.fds.allocate(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) file.close();
  return fd;
}

// ---------------------------------------------------------------- eventfd

/** eventfd-id: the lowest number no open eventfd of the machine has (an ida). */
const eventfdIds = new WeakMap<object, Set<number>>();

function eventfdId(proc: Process): { id: number; release: (id: number) => void } {
  let taken = eventfdIds.get(proc.vfs);
  if (!taken) eventfdIds.set(proc.vfs, (taken = new Set()));
  let id = 0;
  while (taken.has(id)) id++;
  taken.add(id);
  const ids = taken;
  return { id, release: (n) => ids.delete(n) };
}

function makeEventfd(c: SyscallContext, count: number, flags: number): number {
  if (flags & ~(SHARED_FCNTL_FLAGS | EFD_SEMAPHORE)) return -Errno.EINVAL;
  const proc = c.proc;
  const { id, release } = eventfdId(proc);
  const file = new EventFd(proc, BigInt(count), (flags & EFD_SEMAPHORE) !== 0, O_RDWR | (flags & O_NONBLOCK), id, release);
  return install(proc, file, flags);
}

function eventfd(c: SyscallContext): number {
  return makeEventfd(c, argUint(c.args, 0), 0);
}

function eventfd2(c: SyscallContext): number {
  return makeEventfd(c, argUint(c.args, 0), argInt(c.args, 1));
}

// ---------------------------------------------------------------- timerfd

/** The clocks a timerfd can run on, and whether they are alarm clocks (CAP_WAKE_ALARM). */
const TIMERFD_CLOCKS: ReadonlyMap<number, { base: ClockBase; alarm: boolean }> = new Map([
  [0, { base: 'realtime', alarm: false }], // CLOCK_REALTIME
  [1, { base: 'monotonic', alarm: false }], // CLOCK_MONOTONIC
  [7, { base: 'boottime', alarm: false }], // CLOCK_BOOTTIME
  [8, { base: 'realtime', alarm: true }], // CLOCK_REALTIME_ALARM
  [9, { base: 'boottime', alarm: true }], // CLOCK_BOOTTIME_ALARM
]);
const TFD_SETTIME_FLAGS = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET;
const ITIMERSPEC_SIZE = 32;

function timerfdCreate(c: SyscallContext): number {
  const clockid = argInt(c.args, 0);
  const flags = argInt(c.args, 1);
  const clock = TIMERFD_CLOCKS.get(clockid);
  if (flags & ~SHARED_FCNTL_FLAGS || !clock) return -Errno.EINVAL;
  if (clock.alarm && !c.proc.identity.capable(CAP_WAKE_ALARM)) return -Errno.EPERM;
  return install(c.proc, new TimerFd(c.proc, clockid, clock.base, O_RDWR | (flags & O_NONBLOCK)), flags);
}

/** The timerfd behind an fd: -EBADF without one, -EINVAL for another kind of file. */
function timerfdArg(c: SyscallContext, index: number): TimerFd | number {
  const file = usableFd(c, index);
  if (typeof file === 'number') return file;
  return file instanceof TimerFd ? file : -Errno.EINVAL;
}

/** struct itimerspec: it_interval then it_value, each a timespec; null when one is invalid. */
function readItimerspec(proc: Process, addr: number): TimerSetting | null {
  const raw = proc.mem.readBytes(addr, ITIMERSPEC_SIZE);
  const view = new DataView(raw.buffer, raw.byteOffset, ITIMERSPEC_SIZE);
  const ns: bigint[] = [];
  for (const at of [0, 16]) {
    const sec = view.getBigInt64(at, true);
    const nsec = view.getBigInt64(at + 8, true);
    if (sec < 0n || nsec < 0n || nsec >= NSEC_PER_SEC) return null;
    ns.push(sec * NSEC_PER_SEC + nsec);
  }
  return { interval: ns[0], value: ns[1] };
}

function itimerspecBytes(s: TimerSetting): Uint8Array {
  const w = new StructWriter(ITIMERSPEC_SIZE);
  [s.interval, s.value].forEach((ns, k) => w.u64(16 * k, ns / NSEC_PER_SEC).u64(16 * k + 8, ns % NSEC_PER_SEC));
  return w.bytes;
}

function timerfdSettime(c: SyscallContext): number {
  const { proc, args } = c;
  const flags = argInt(args, 1);
  const next = readItimerspec(proc, argUlong(args, 2));
  if (flags & ~TFD_SETTIME_FLAGS || !next) return -Errno.EINVAL;
  const timer = timerfdArg(c, 0);
  if (typeof timer === 'number') return timer;
  if (TIMERFD_CLOCKS.get(timer.clockid)!.alarm && !proc.identity.capable(CAP_WAKE_ALARM)) return -Errno.EPERM;
  const old = timer.set(next, flags);
  const oldAddr = argUlong(args, 3);
  if (oldAddr) proc.mem.writeBytes(oldAddr, itimerspecBytes(old));
  return 0;
}

function timerfdGettime(c: SyscallContext): number {
  const timer = timerfdArg(c, 0);
  if (typeof timer === 'number') return timer;
  c.proc.mem.writeBytes(argUlong(c.args, 1), itimerspecBytes(timer.setting()));
  return 0;
}

// ---------------------------------------------------------------- signalfd

/** signalfd and signalfd4: a new signalfd (fd -1), or a new mask for an existing one. */
function makeSignalfd(c: SyscallContext, flags: number): number {
  const { proc, args } = c;
  if (flags & ~SHARED_FCNTL_FLAGS) return -Errno.EINVAL;
  if (argUlong(args, 2) !== SIGSET_SIZE) return -Errno.EINVAL;
  const mask = readMask(proc, argUlong(args, 1));
  const fd = argInt(args, 0);
  if (fd === -1) return install(proc, new SignalFd(proc, mask, O_RDWR | (flags & O_NONBLOCK)), flags);
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  if (!(file instanceof SignalFd)) return -Errno.EINVAL;
  file.mask = mask;
  return fd;
}

function signalfd(c: SyscallContext): number {
  return makeSignalfd(c, 0);
}

function signalfd4(c: SyscallContext): number {
  return makeSignalfd(c, argInt(c.args, 3));
}

export const ANON_FD_SYSCALLS: Record<string, SyscallHandler> = {
  eventfd,
  eventfd2,
  timerfd_create: timerfdCreate,
  timerfd_settime: timerfdSettime,
  timerfd_gettime: timerfdGettime,
  signalfd,
  signalfd4,
};
