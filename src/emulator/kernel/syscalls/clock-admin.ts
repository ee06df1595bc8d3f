// Setting and steering the system clock: settimeofday, clock_settime, adjtimex, clock_adjtime.
// Arguments are checked as kernel/time/ checks them; reading the NTP state is real (the machine's
// clock is not disciplined by NTP: STA_UNSYNC, TIME_ERROR, as on a machine without an NTP
// daemon); setting anything would change the host's clock and is refused with EPERM, as Linux
// refuses a caller without CAP_SYS_TIME.
import { argInt, argUlong } from '../../../trace/event.js';
import { NSEC_PER_SEC } from '../clock.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import { viewOf } from '../user-struct.js';

const CLOCK_REALTIME = 0;
/** The clockids Linux knows (0..11 except 10): only CLOCK_REALTIME can be set or adjusted. */
const KNOWN_CLOCKS = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11]);
const CLOCKFD = 3;

const TIMEX_SIZE = 208;
const ADJ_OFFSET = 0x0001;
const ADJ_FREQUENCY = 0x0002;
const ADJ_SETOFFSET = 0x0100;
const ADJ_NANO = 0x2000;
const ADJ_TICK = 0x4000;
const ADJ_ADJTIME = 0x8000;
const ADJ_OFFSET_SINGLESHOT = ADJ_ADJTIME | ADJ_OFFSET;
const ADJ_OFFSET_READONLY = 0x2000;
const USER_HZ = 100;
const USEC_PER_SEC = 1_000_000n;
/** LLONG_MAX / PPM_SCALE (PPM_SCALE = NSEC_PER_USEC << NTP_SCALE_SHIFT). */
const FREQ_LIMIT = 9223372036854775807n / (1000n << 16n);
const STA_NANO = 0x2000;
const STA_UNSYNC = 0x0040;
const TIME_ERROR = 5;
/** ntp.c's resting state: NTP_PHASE_LIMIT, time_constant 2, MAXFREQ_SCALED / PPM_SCALE. */
const NTP_PHASE_LIMIT = 16_000_000n;
const TIME_CONSTANT = 2n;
const TOLERANCE = 32_768_000n;
const TICK_USEC = BigInt(1_000_000 / USER_HZ);

/** timekeeping_validate_timex and the range checks of __do_adjtimex: 0 or -errno. */
function validateTimex(tx: DataView): number {
  const modes = tx.getUint32(0, true);
  if (modes & ADJ_ADJTIME) {
    if ((modes & ADJ_OFFSET_SINGLESHOT) !== ADJ_OFFSET_SINGLESHOT) return -Errno.EINVAL;
  } else if (modes & ADJ_TICK) {
    const tick = tx.getBigInt64(88, true);
    if (tick < BigInt(900000 / USER_HZ) || tick > BigInt(1100000 / USER_HZ)) return -Errno.EINVAL;
  }
  if (modes & ADJ_SETOFFSET) {
    const usec = tx.getBigInt64(80, true);
    if (usec < 0n) return -Errno.EINVAL;
    if (modes & ADJ_NANO ? usec >= NSEC_PER_SEC : usec >= USEC_PER_SEC) return -Errno.EINVAL;
  }
  if (modes & ADJ_FREQUENCY) {
    const freq = tx.getBigInt64(16, true);
    if (freq < -FREQ_LIMIT || freq > FREQ_LIMIT) return -Errno.EINVAL;
  }
  return 0;
}

/** do_adjtimex on the struct timex at addr (already read into tx). */
function adjust(proc: Process, addr: number, tx: DataView): number {
  const bad = validateTimex(tx);
  if (bad) return bad;
  const modes = tx.getUint32(0, true);
  // Reading (modes 0, or adjtime's read-only query) is all that is allowed.
  const readOnly = modes === 0 || (modes & ADJ_ADJTIME && modes & ADJ_OFFSET_READONLY);
  if (!readOnly) return -Errno.EPERM;
  const nano = (tx.getInt32(40, true) & STA_NANO) !== 0;
  const now = proc.clock.read('realtime');
  const out = new StructWriter(TIMEX_SIZE - 8);
  out.u64(0, 0n); // offset
  out.u64(8, 0n); // freq
  out.u64(16, NTP_PHASE_LIMIT); // maxerror
  out.u64(24, NTP_PHASE_LIMIT); // esterror
  out.u32(32, STA_UNSYNC); // status
  out.u64(40, TIME_CONSTANT);
  out.u64(48, 1n); // precision
  out.u64(56, TOLERANCE);
  out.u64(64, now / NSEC_PER_SEC);
  out.u64(72, nano ? now % NSEC_PER_SEC : (now % NSEC_PER_SEC) / 1000n);
  out.u64(80, TICK_USEC);
  // ppsfreq, jitter, shift, stabil, jitcnt, calcnt, errcnt, stbcnt, tai: 0.
  proc.mem.writeBytes(addr + 8, out.bytes.subarray(0, 164 - 8));
  return TIME_ERROR;
}

function readTimex(proc: Process, addr: number): DataView {
  return viewOf(proc.mem.readBytes(addr, TIMEX_SIZE));
}

function adjtimex(c: SyscallContext): number {
  const addr = argUlong(c.args, 0);
  return adjust(c.proc, addr, readTimex(c.proc, addr));
}

function clockAdjtime(c: SyscallContext): number {
  const clockid = argInt(c.args, 0);
  const addr = argUlong(c.args, 1);
  const tx = readTimex(c.proc, addr);
  if (clockid < 0) return (clockid & 7) === CLOCKFD ? -Errno.EINVAL : -Errno.EOPNOTSUPP;
  if (!KNOWN_CLOCKS.has(clockid)) return -Errno.EINVAL;
  if (clockid !== CLOCK_REALTIME) return -Errno.EOPNOTSUPP;
  return adjust(c.proc, addr, tx);
}

/** timespec64_valid_settod: a time of day the kernel accepts. */
function validTimeOfDay(sec: bigint, nsec: bigint): boolean {
  return sec >= 0n && nsec >= 0n && nsec < NSEC_PER_SEC && sec < 9223372036n - 30n * 365n * 86400n;
}

function settimeofday(c: SyscallContext): number {
  const tvAddr = argUlong(c.args, 0);
  const tzAddr = argUlong(c.args, 1);
  let tv: DataView | null = null;
  if (tvAddr !== 0) {
    tv = viewOf(c.proc.mem.readBytes(tvAddr, 16));
    const usec = tv.getBigInt64(8, true);
    if (usec < 0n || usec >= USEC_PER_SEC) return -Errno.EINVAL;
  }
  const tz = tzAddr !== 0 ? viewOf(c.proc.mem.readBytes(tzAddr, 8)) : null;
  if (tv && !validTimeOfDay(tv.getBigInt64(0, true), tv.getBigInt64(8, true) * 1000n)) return -Errno.EINVAL;
  if (tz) {
    const minutesWest = tz.getInt32(0, true);
    if (minutesWest > 15 * 60 || minutesWest < -15 * 60) return -Errno.EINVAL;
  }
  return tv || tz ? -Errno.EPERM : 0;
}

function clockSettime(c: SyscallContext): number {
  const clockid = argInt(c.args, 0);
  if (clockid < 0) {
    // A CPU clock can never be set (posix_cpu_clock_set); no fd is a dynamic clock.
    return (clockid & 7) === CLOCKFD ? -Errno.EINVAL : -Errno.EPERM;
  }
  if (clockid !== CLOCK_REALTIME) return -Errno.EINVAL;
  const tp = viewOf(c.proc.mem.readBytes(argUlong(c.args, 1), 16));
  if (!validTimeOfDay(tp.getBigInt64(0, true), tp.getBigInt64(8, true))) return -Errno.EINVAL;
  return -Errno.EPERM;
}

export const CLOCK_ADMIN_SYSCALLS: Record<string, SyscallHandler> = {
  adjtimex,
  clock_adjtime: clockAdjtime,
  settimeofday,
  clock_settime: clockSettime,
};
