// Clocks and sleeping: clock_gettime, clock_getres, gettimeofday, time, nanosleep,
// clock_nanosleep, times, getrusage, sched_yield. All read the machine's clock (clock.ts):
// virtual unless the run asked for host time; a sleep advances it instead of waiting.
import { argInt, argUlong } from '../../../trace/event.js';
import type { ClockBase, Timespec } from '../clock.js';
import { CLOCK_TICKS_PER_SEC, COARSE_RESOLUTION_NS, HRES_RESOLUTION_NS, nsToTimespec, timespecToNs, timespecValid } from '../clock.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { BLOCKED, StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import { ERESTART_RESTARTBLOCK, ERESTARTNOHAND } from '../signals.js';
import { waitForSignal } from '../timers.js';

/** What each clockid reads and whether clock_nanosleep can sleep on it (else the errno). */
interface ClockSpec {
  base: ClockBase;
  coarse?: boolean;
  /** clock_nanosleep: 0 when it sleeps, else the errno Linux gives. */
  sleep: number;
  /** The alarm clocks need CAP_WAKE_ALARM to sleep on. */
  alarm?: boolean;
}

const CLOCK_SPECS: (ClockSpec | undefined)[] = [
  /* 0 REALTIME */ { base: 'realtime', sleep: 0 },
  /* 1 MONOTONIC */ { base: 'monotonic', sleep: 0 },
  // Sleeping until the process's own CPU time moves would never end in a one-thread process.
  /* 2 PROCESS_CPUTIME_ID */ { base: 'cpu', sleep: Errno.EINVAL },
  /* 3 THREAD_CPUTIME_ID */ { base: 'cpu', sleep: Errno.EOPNOTSUPP },
  /* 4 MONOTONIC_RAW */ { base: 'monotonic', sleep: Errno.EOPNOTSUPP },
  /* 5 REALTIME_COARSE */ { base: 'realtime', coarse: true, sleep: Errno.EOPNOTSUPP },
  /* 6 MONOTONIC_COARSE */ { base: 'monotonic', coarse: true, sleep: Errno.EOPNOTSUPP },
  /* 7 BOOTTIME */ { base: 'boottime', sleep: 0 },
  /* 8 REALTIME_ALARM */ { base: 'realtime', sleep: 0, alarm: true },
  /* 9 BOOTTIME_ALARM */ { base: 'boottime', sleep: 0, alarm: true },
  /* 10 SGI_CYCLE: gone from Linux */ undefined,
  /* 11 TAI */ { base: 'tai', sleep: 0 },
];

/** A CPU-time clock of a process or thread (clock_getcpuclockid, pthread_getcpuclockid):
 *  ~pid << 3 | per-thread << 2 | which (PROF, VIRT, SCHED; 3 is an fd clock). */
const CPU_CLOCK_SPEC: ClockSpec = { base: 'cpu', sleep: Errno.EINVAL };

/** The spec of a clockid, or null (EINVAL) for one Linux does not know or a CPU clock of
 *  another process. */
export function clockSpec(proc: Process, clockid: number): ClockSpec | null {
  if (clockid >= 0) return CLOCK_SPECS[clockid] ?? null;
  if ((clockid & 3) === 3) return null;
  const pid = ~(clockid >> 3);
  return pid === 0 || pid === proc.pid || pid === proc.tid ? CPU_CLOCK_SPEC : null;
}

function readClock(proc: Process, spec: ClockSpec): bigint {
  return proc.clock.read(spec.base, spec.coarse);
}

function encodeTimespec(ns: bigint): Uint8Array {
  const t = nsToTimespec(ns);
  return new StructWriter(16).u64(0, t.sec).u64(8, t.nsec).bytes;
}

/** A struct timeval: microseconds, rounded down. */
function encodeTimeval(ns: bigint): Uint8Array {
  const t = nsToTimespec(ns);
  return new StructWriter(16).u64(0, t.sec).u64(8, t.nsec / 1000n).bytes;
}

/** Reads a struct timespec from the guest (tv_sec and tv_nsec as signed 64-bit values). */
function readTimespec(proc: Process, addr: number): Timespec {
  const raw = proc.mem.readBytes(addr, 16);
  const view = new DataView(raw.buffer, raw.byteOffset, 16);
  return { sec: view.getBigInt64(0, true), nsec: view.getBigInt64(8, true) };
}

function clockGettime(c: SyscallContext): number {
  const spec = clockSpec(c.proc, argInt(c.args, 0));
  if (!spec) return -Errno.EINVAL;
  c.proc.mem.writeBytes(argUlong(c.args, 1), encodeTimespec(readClock(c.proc, spec)));
  return 0;
}

function clockGetres(c: SyscallContext): number {
  const spec = clockSpec(c.proc, argInt(c.args, 0));
  if (!spec) return -Errno.EINVAL;
  const addr = argUlong(c.args, 1);
  if (addr) c.proc.mem.writeBytes(addr, encodeTimespec(spec.coarse ? COARSE_RESOLUTION_NS : HRES_RESOLUTION_NS));
  return 0;
}

function gettimeofday(c: SyscallContext): number {
  const tv = argUlong(c.args, 0);
  const tz = argUlong(c.args, 1);
  if (tv) c.proc.mem.writeBytes(tv, encodeTimeval(c.proc.clock.realtimeNs()));
  // The kernel's timezone is UTC, with no daylight saving.
  if (tz) c.proc.mem.writeBytes(tz, new Uint8Array(8));
  return 0;
}

function time(c: SyscallContext): number {
  const seconds = c.proc.clock.realtimeNs() / 1_000_000_000n;
  const addr = argUlong(c.args, 0);
  if (addr) c.proc.mem.writeBytes(addr, new StructWriter(8).u64(0, seconds).bytes);
  return Number(seconds);
}

/**
 * Sleeps for `req` on clock `base` or, `absolute`, until the clock reads it. A signal that can
 * be delivered ends it early (timers.ts waitForSignal): a relative sleep writes the time left to
 * `remAddr` (unless 0) and returns ERESTART_RESTARTBLOCK, an absolute one ERESTARTNOHAND (the
 * signal's handler makes either EINTR). An uninterrupted sleep leaves `remAddr` alone.
 */
function sleepOn(proc: Process, base: ClockBase, req: Timespec, absolute: boolean, remAddr: number): number {
  if (!timespecValid(req)) return -Errno.EINVAL;
  const ns = absolute ? timespecToNs(req) - proc.clock.read(base) : timespecToNs(req);
  const wait = waitForSignal(proc, ns > 0n ? ns : 0n, undefined, undefined, true);
  if (wait.blocked) return BLOCKED;
  if (!wait.woken) return 0;
  if (absolute) return -ERESTARTNOHAND;
  if (remAddr) proc.mem.writeBytes(remAddr, encodeTimespec(ns - wait.sleptNs));
  return -ERESTART_RESTARTBLOCK;
}

function nanosleep(c: SyscallContext): number {
  return sleepOn(c.proc, 'monotonic', readTimespec(c.proc, argUlong(c.args, 0)), false, argUlong(c.args, 1));
}

const TIMER_ABSTIME = 1;

function clockNanosleep(c: SyscallContext): number {
  const spec = clockSpec(c.proc, argInt(c.args, 0));
  if (!spec) return -Errno.EINVAL;
  if (spec.sleep !== 0) return -spec.sleep;
  const req = readTimespec(c.proc, argUlong(c.args, 2));
  if (!timespecValid(req)) return -Errno.EINVAL;
  if (spec.alarm && c.proc.identity.euid !== 0) return -Errno.EPERM;
  return sleepOn(c.proc, spec.base, req, (argInt(c.args, 1) & TIMER_ABSTIME) !== 0, argUlong(c.args, 3));
}

/** clock_t ticks (USER_HZ) in a nanosecond count. */
function ticks(ns: bigint): bigint {
  return ns / (1_000_000_000n / CLOCK_TICKS_PER_SEC);
}

/** times(2): the instructions as user time, no system time, no children; the result is the
 *  uptime in ticks. */
function times(c: SyscallContext): number {
  const addr = argUlong(c.args, 0);
  if (addr) c.proc.mem.writeBytes(addr, new StructWriter(32).u64(0, ticks(c.proc.clock.cpuTimeNs())).bytes);
  return Number(ticks(c.proc.clock.read('boottime')));
}

const RUSAGE_SELF = 0;
const RUSAGE_CHILDREN = -1;
const RUSAGE_THREAD = 1;

/** getrusage(2): user time from the instructions; no system time; the maximum resident set is
 *  the memory the guest has touched; no faults, I/O blocks, signals or context switches counted.
 *  The children (there are none yet) used nothing. */
function getrusage(c: SyscallContext): number {
  const who = argInt(c.args, 0);
  if (who !== RUSAGE_SELF && who !== RUSAGE_CHILDREN && who !== RUSAGE_THREAD) return -Errno.EINVAL;
  const w = new StructWriter(144);
  if (who !== RUSAGE_CHILDREN) {
    w.bytes.set(encodeTimeval(c.proc.clock.cpuTimeNs()), 0); // ru_utime; ru_stime stays 0
    w.u64(32, Math.ceil(c.proc.mem.residentBytes / 1024)); // ru_maxrss, KiB
  }
  c.proc.mem.writeBytes(argUlong(c.args, 1), w.bytes);
  return 0;
}

export const TIME_SYSCALLS: Record<string, SyscallHandler> = {
  clock_gettime: clockGettime,
  clock_getres: clockGetres,
  gettimeofday,
  time,
  nanosleep,
  clock_nanosleep: clockNanosleep,
  times,
  getrusage,
  sched_yield: (c) => {
    c.proc.yieldCpu();
    return 0;
  },
};
