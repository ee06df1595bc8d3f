// Timers that send signals: alarm, setitimer, getitimer (ITIMER_REAL on the monotonic clock,
// ITIMER_VIRTUAL and ITIMER_PROF on the CPU time, which here is the instruction count), and the
// POSIX timers timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete
// (SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID naming the one thread). The timers themselves
// are in timers.ts.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { Clock } from '../clock.js';
import { NSEC_PER_SEC } from '../clock.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import { NSIG, SIGALRM } from '../signals.js';
import type { IntervalTimer, TimerBase } from '../timers.js';
import { PosixTimer, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD, SIGEV_THREAD_ID } from '../timers.js';
import { clockSpec } from './time.js';

const NSEC_PER_USEC = 1000n;
const TIMER_ABSTIME = 1;
/** The clocks timer_create knows: the others have no timers (EOPNOTSUPP). */
const CLOCK_MONOTONIC_RAW = 4;
const CLOCK_REALTIME_COARSE = 5;
const CLOCK_MONOTONIC_COARSE = 6;
const CLOCK_REALTIME_ALARM = 8;
const CLOCK_BOOTTIME_ALARM = 9;

interface Setting {
  interval: bigint;
  value: bigint;
}

/** A time as two signed 64-bit fields (seconds, and micro- or nanoseconds). */
function readPair(proc: Process, addr: number): [bigint, bigint] {
  const raw = proc.mem.readBytes(addr, 16);
  const view = new DataView(raw.buffer, raw.byteOffset, 16);
  return [view.getBigInt64(0, true), view.getBigInt64(8, true)];
}

/** struct itimerval (timevals) or struct itimerspec (timespecs): interval, then value; null
 *  when a field is out of range (EINVAL). */
function readSetting(proc: Process, addr: number, micro: boolean): Setting | null {
  const unit = micro ? NSEC_PER_USEC : 1n;
  const limit = micro ? 1_000_000n : NSEC_PER_SEC;
  const fields = [readPair(proc, addr), readPair(proc, addr + 16)];
  if (fields.some(([sec, frac]) => sec < 0n || frac < 0n || frac >= limit)) return null;
  const [interval, value] = fields.map(([sec, frac]) => sec * NSEC_PER_SEC + frac * unit);
  return { interval, value };
}

function encodeSetting(s: Setting, micro: boolean): Uint8Array {
  const w = new StructWriter(32);
  [s.interval, s.value].forEach((ns, k) => {
    w.u64(16 * k, ns / NSEC_PER_SEC).u64(16 * k + 8, micro ? (ns % NSEC_PER_SEC) / NSEC_PER_USEC : ns % NSEC_PER_SEC);
  });
  return w.bytes;
}

/** An interval timer's current setting: the time left, as Linux reports it. */
function settingOf(clock: Clock, t: IntervalTimer): Setting {
  return { interval: t.interval, value: t.remaining(clock) };
}

function itimer(proc: Process, which: number): IntervalTimer | null {
  return proc.signals.timers.itimers[which] ?? null;
}

function getitimer(c: SyscallContext): number {
  const { proc, args } = c;
  const t = itimer(proc, argInt(args, 0));
  if (!t) return -Errno.EINVAL;
  proc.mem.writeBytes(argUlong(args, 1), encodeSetting(settingOf(proc.clock, t), true));
  return 0;
}

function setitimer(c: SyscallContext): number {
  const { proc, args } = c;
  const valueAddr = argUlong(args, 1);
  const oldAddr = argUlong(args, 2);
  // A NULL new value disarms the timer (a misfeature Linux still supports).
  let setting: Setting | null = { interval: 0n, value: 0n };
  if (valueAddr) setting = readSetting(proc, valueAddr, true);
  if (!setting) return -Errno.EINVAL;
  const t = itimer(proc, argInt(args, 0));
  if (!t) return -Errno.EINVAL;
  const old = settingOf(proc.clock, t);
  t.arm(proc.clock, setting.value, setting.interval);
  if (oldAddr) proc.mem.writeBytes(oldAddr, encodeSetting(old, true));
  return 0;
}

/** alarm: ITIMER_REAL for whole seconds; the seconds that were left, rounded to the nearest
 *  (and at least 1 when any time was left). */
function alarm(c: SyscallContext): number {
  const { proc, args } = c;
  const t = proc.signals.timers.itimers[0];
  const left = t.remaining(proc.clock);
  t.arm(proc.clock, BigInt(argUint(args, 0)) * NSEC_PER_SEC, 0n);
  let seconds = left / NSEC_PER_SEC;
  const frac = left % NSEC_PER_SEC;
  if ((seconds === 0n && frac !== 0n) || frac >= NSEC_PER_SEC / 2n) seconds++;
  return Number(seconds);
}

// ---------------------------------------------------------------- POSIX timers

/** The base a clock's timers count on, or the errno timer_create gives for the clock. */
function timerBase(proc: Process, clockid: number): TimerBase | number {
  const spec = clockSpec(proc, clockid);
  if (!spec) return Errno.EINVAL;
  if (clockid === CLOCK_MONOTONIC_RAW || clockid === CLOCK_REALTIME_COARSE || clockid === CLOCK_MONOTONIC_COARSE) return Errno.EOPNOTSUPP;
  if ((clockid === CLOCK_REALTIME_ALARM || clockid === CLOCK_BOOTTIME_ALARM) && proc.identity.euid !== 0) return Errno.EPERM;
  return spec.base === 'cpu' ? 'cpu' : 'wall';
}

function timerCreate(c: SyscallContext): number {
  const { proc, args } = c;
  const clockid = argInt(args, 0);
  const sevAddr = argUlong(args, 1);
  let notify = SIGEV_SIGNAL;
  let signo = SIGALRM;
  let value: bigint | null = null;
  let threadId = 0;
  if (sevAddr) {
    const raw = proc.mem.readBytes(sevAddr, 64);
    const view = new DataView(raw.buffer);
    value = view.getBigUint64(0, true);
    signo = view.getInt32(8, true);
    notify = view.getInt32(12, true);
    threadId = view.getInt32(16, true);
  }
  const base = timerBase(proc, clockid);
  if (typeof base === 'number') return -base;
  const timers = proc.signals.timers;
  // The id is taken even when the call then fails, as Linux does.
  const id = timers.allocateId();
  // good_sigevent: SIGEV_THREAD_ID must name a thread of the process (its one thread).
  if (notify === (SIGEV_SIGNAL | SIGEV_THREAD_ID) && threadId !== proc.tid) return -Errno.EINVAL;
  if (notify !== SIGEV_NONE) {
    if (notify !== SIGEV_SIGNAL && notify !== SIGEV_THREAD && notify !== (SIGEV_SIGNAL | SIGEV_THREAD_ID)) return -Errno.EINVAL;
    if (signo <= 0 || signo > NSIG) return -Errno.EINVAL;
  }
  // Without a sigevent: SIGALRM carrying the timer's id.
  const timer = new PosixTimer(id, base, clockid, notify, signo, value ?? BigInt(id));
  proc.mem.writeBytes(argUlong(args, 2), new StructWriter(4).u32(0, id).bytes);
  timers.posix.set(id, timer);
  return 0;
}

function posixTimer(proc: Process, id: number): PosixTimer | null {
  return proc.signals.timers.posix.get(id) ?? null;
}

function timerSettime(c: SyscallContext): number {
  const { proc, args } = c;
  const newAddr = argUlong(args, 2);
  const oldAddr = argUlong(args, 3);
  if (!newAddr) return -Errno.EINVAL;
  const setting = readSetting(proc, newAddr, false);
  if (!setting) return -Errno.EINVAL;
  const timer = posixTimer(proc, argInt(args, 0));
  if (!timer) return -Errno.EINVAL;
  const old = settingOf(proc.clock, timer);
  timer.overrunLast = 0;
  let value = setting.value;
  if (value !== 0n && argInt(args, 1) & TIMER_ABSTIME) {
    // An absolute time on the timer's clock, as a time from now (at least 1 ns: it expires at
    // once when it is in the past).
    const spec = clockSpec(proc, timer.clockid)!;
    const left = value - proc.clock.read(spec.base);
    value = left > 0n ? left : 1n;
  }
  timer.arm(proc.clock, value, setting.interval);
  if (oldAddr) proc.mem.writeBytes(oldAddr, encodeSetting(old, false));
  return 0;
}

function timerGettime(c: SyscallContext): number {
  const { proc, args } = c;
  const timer = posixTimer(proc, argInt(args, 0));
  if (!timer) return -Errno.EINVAL;
  proc.mem.writeBytes(argUlong(args, 1), encodeSetting(settingOf(proc.clock, timer), false));
  return 0;
}

function timerGetoverrun(c: SyscallContext): number {
  const timer = posixTimer(c.proc, argInt(c.args, 0));
  return timer ? timer.overrunLast : -Errno.EINVAL;
}

function timerDelete(c: SyscallContext): number {
  const id = argInt(c.args, 0);
  // A signal it queued stays pending.
  return c.proc.signals.timers.posix.delete(id) ? 0 : -Errno.EINVAL;
}

export const TIMER_SYSCALLS: Record<string, SyscallHandler> = {
  alarm,
  setitimer,
  getitimer,
  timer_create: timerCreate,
  timer_settime: timerSettime,
  timer_gettime: timerGettime,
  timer_getoverrun: timerGetoverrun,
  timer_delete: timerDelete,
};
