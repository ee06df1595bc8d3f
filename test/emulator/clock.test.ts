// The virtual clock's arithmetic and the time syscalls, called directly on a program-less process.
import { describe, expect, it } from 'vitest';
import {
  Clock,
  nsToTimespec,
  timespecToNs,
  timespecValid,
  VIRTUAL_EPOCH_NS,
  VIRTUAL_UPTIME_NS,
} from '../../src/emulator/kernel/clock.js';
import { Errno } from '../../src/emulator/kernel/errno.js';
import { HostRandom, SeededRandom } from '../../src/emulator/kernel/random.js';
import { PROCESS_SYSCALLS } from '../../src/emulator/kernel/syscalls/process.js';
import { TIME_SYSCALLS as T } from '../../src/emulator/kernel/syscalls/time.js';
import { call, putTimespec, SCRATCH, testProcess, u64 } from '../support/kernel.js';

const SEC = 1_000_000_000n;
const REQ = SCRATCH;
const REM = SCRATCH + 0x100;
const OUT = SCRATCH + 0x200;

describe('timespec arithmetic', () => {
  it('normalises nanosecond counts to seconds and 0 <= nsec < 1e9', () => {
    expect(nsToTimespec(1_500_000_000n)).toEqual({ sec: 1n, nsec: 500_000_000n });
    expect(nsToTimespec(999_999_999n)).toEqual({ sec: 0n, nsec: 999_999_999n });
    expect(nsToTimespec(2n * SEC)).toEqual({ sec: 2n, nsec: 0n });
    expect(nsToTimespec(VIRTUAL_EPOCH_NS + 7n)).toEqual({ sec: 1_893_456_000n, nsec: 7n });
    expect(timespecToNs({ sec: 3n, nsec: 250n })).toBe(3n * SEC + 250n);
  });

  it('accepts only 0 <= tv_nsec < 1e9 and tv_sec >= 0', () => {
    expect(timespecValid({ sec: 0n, nsec: 999_999_999n })).toBe(true);
    expect(timespecValid({ sec: 0n, nsec: 0n })).toBe(true);
    expect(timespecValid({ sec: 0n, nsec: SEC })).toBe(false);
    expect(timespecValid({ sec: 0n, nsec: -1n })).toBe(false);
    expect(timespecValid({ sec: -1n, nsec: 0n })).toBe(false);
  });
});

describe('the virtual clock', () => {
  it('starts at 2030-01-01T00:00:00Z after 100 s of uptime and counts 1 ns per instruction', () => {
    const cpu = { icount: 0 };
    const clock = new Clock(cpu);
    expect(clock.realtimeNs()).toBe(1_893_456_000n * SEC);
    expect(new Date(Number(clock.realtimeNs() / 1_000_000n)).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(clock.monotonicNs()).toBe(100n * SEC);
    cpu.icount = 12345;
    expect(clock.realtimeNs()).toBe(VIRTUAL_EPOCH_NS + 12345n);
    expect(clock.read('boottime')).toBe(VIRTUAL_UPTIME_NS + 12345n);
    expect(clock.read('tai')).toBe(VIRTUAL_EPOCH_NS + 37n * SEC + 12345n);
    expect(clock.cpuTimeNs()).toBe(12345n);
  });

  it('a sleep moves the wall and monotonic clocks, not the CPU time', () => {
    const cpu = { icount: 500 };
    const clock = new Clock(cpu);
    clock.sleep(1_500_000_000n);
    expect(clock.monotonicNs()).toBe(VIRTUAL_UPTIME_NS + 500n + 1_500_000_000n);
    expect(clock.realtimeNs()).toBe(VIRTUAL_EPOCH_NS + 500n + 1_500_000_000n);
    expect(clock.cpuTimeNs()).toBe(500n);
  });

  it('sleepUntil a time in the past returns at once; one in the future lands on it', () => {
    const clock = new Clock({ icount: 0 });
    clock.sleepUntil('monotonic', VIRTUAL_UPTIME_NS - SEC);
    expect(clock.monotonicNs()).toBe(VIRTUAL_UPTIME_NS);
    clock.sleepUntil('monotonic', VIRTUAL_UPTIME_NS);
    expect(clock.monotonicNs()).toBe(VIRTUAL_UPTIME_NS);
    clock.sleepUntil('realtime', VIRTUAL_EPOCH_NS + 3n * SEC + 1n);
    expect(clock.realtimeNs()).toBe(VIRTUAL_EPOCH_NS + 3n * SEC + 1n);
    expect(clock.monotonicNs()).toBe(VIRTUAL_UPTIME_NS + 3n * SEC + 1n);
  });

  it('coarse clocks round down to the 4 ms tick', () => {
    const clock = new Clock({ icount: 9_999_999 });
    expect(clock.read('monotonic', true)).toBe(VIRTUAL_UPTIME_NS + 8_000_000n);
    expect(clock.read('realtime', true)).toBe(VIRTUAL_EPOCH_NS + 8_000_000n);
  });

  it('host time reads the host clocks', () => {
    const clock = new Clock({ icount: 0 }, true);
    const wall = BigInt(Date.now()) * 1_000_000n;
    expect(clock.realtimeNs() - wall).toBeLessThan(SEC);
    expect(clock.realtimeNs() - wall).toBeGreaterThan(-SEC);
    const before = clock.monotonicNs();
    clock.sleep(20_000_000n);
    expect(clock.monotonicNs() - before).toBeGreaterThanOrEqual(20_000_000n);
  });
});

describe('time syscalls', () => {
  it('clock_gettime: the clocks, and EINVAL for unknown ids and other processes\' CPU clocks', () => {
    const p = testProcess();
    p.cpu.icount = 42;
    expect(call(p, T.clock_gettime, 0, OUT)).toBe(0);
    expect([u64(p, OUT), u64(p, OUT + 8)]).toEqual([1_893_456_000n, 42n]);
    expect(call(p, T.clock_gettime, 1, OUT)).toBe(0);
    expect([u64(p, OUT), u64(p, OUT + 8)]).toEqual([100n, 42n]);
    expect(call(p, T.clock_gettime, 2, OUT)).toBe(0);
    expect([u64(p, OUT), u64(p, OUT + 8)]).toEqual([0n, 42n]);
    for (const id of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11]) expect(call(p, T.clock_gettime, id, OUT)).toBe(0);
    for (const id of [10, 12, 99, -1]) expect(call(p, T.clock_gettime, id, OUT)).toBe(-Errno.EINVAL);
    // pthread_getcpuclockid of this thread, and of another one.
    expect(call(p, T.clock_gettime, (~p.tid << 3) | 4 | 2, OUT)).toBe(0);
    expect(call(p, T.clock_gettime, (~4242 << 3) | 4 | 2, OUT)).toBe(-Errno.EINVAL);
  });

  it('clock_getres: 1 ns, 4 ms for the coarse clocks, NULL allowed', () => {
    const p = testProcess();
    expect(call(p, T.clock_getres, 1, OUT)).toBe(0);
    expect([u64(p, OUT), u64(p, OUT + 8)]).toEqual([0n, 1n]);
    expect(call(p, T.clock_getres, 6, OUT)).toBe(0);
    expect(u64(p, OUT + 8)).toBe(4_000_000n);
    expect(call(p, T.clock_getres, 0, 0)).toBe(0);
    expect(call(p, T.clock_getres, 99, OUT)).toBe(-Errno.EINVAL);
  });

  it('gettimeofday: microseconds; a timezone gets zeros; time with and without a pointer', () => {
    const p = testProcess();
    p.cpu.icount = 5_000_999;
    putTimespec(p, OUT + 16, -1, -1);
    expect(call(p, T.gettimeofday, OUT, OUT + 16)).toBe(0);
    expect([u64(p, OUT), u64(p, OUT + 8), u64(p, OUT + 16)]).toEqual([1_893_456_000n, 5000n, 0n]);
    expect(u64(p, OUT + 24)).toBe(0xffffffffffffffffn); // only 8 bytes of timezone
    expect(call(p, T.gettimeofday, 0, 0)).toBe(0);
    expect(call(p, T.time, 0)).toBe(1_893_456_000);
    expect(call(p, T.time, OUT)).toBe(1_893_456_000);
    expect(u64(p, OUT)).toBe(1_893_456_000n);
  });

  it('nanosleep advances the clock by the request and leaves rem alone', () => {
    const p = testProcess();
    putTimespec(p, REQ, 1, 500_000_000);
    putTimespec(p, REM, 77, 77);
    expect(call(p, T.nanosleep, REQ, REM)).toBe(0);
    expect(p.clock.monotonicNs()).toBe(VIRTUAL_UPTIME_NS + 1_500_000_000n);
    expect([u64(p, REM), u64(p, REM + 8)]).toEqual([77n, 77n]);
  });

  it.each([
    ['tv_nsec = 1e9', 0, 1_000_000_000],
    ['tv_nsec < 0', 0, -1],
    ['tv_sec < 0', -1, 0],
  ])('nanosleep and clock_nanosleep: EINVAL for %s, and no time passes', (_label, sec, nsec) => {
    const p = testProcess();
    putTimespec(p, REQ, sec, nsec);
    expect(call(p, T.nanosleep, REQ, 0)).toBe(-Errno.EINVAL);
    expect(call(p, T.clock_nanosleep, 1, 0, REQ, 0)).toBe(-Errno.EINVAL);
    expect(call(p, T.clock_nanosleep, 0, 1, REQ, 0)).toBe(-Errno.EINVAL);
    expect(p.clock.monotonicNs()).toBe(VIRTUAL_UPTIME_NS);
  });

  it('clock_nanosleep: relative, absolute in the future and absolute in the past', () => {
    const p = testProcess();
    putTimespec(p, REQ, 0, 250_000_000);
    expect(call(p, T.clock_nanosleep, 0, 0, REQ, REM)).toBe(0);
    expect(p.clock.realtimeNs()).toBe(VIRTUAL_EPOCH_NS + 250_000_000n);
    // TIMER_ABSTIME at 50 s of uptime: long past, returns at once.
    putTimespec(p, REQ, 50, 0);
    expect(call(p, T.clock_nanosleep, 1, 1, REQ, 0)).toBe(0);
    expect(p.clock.monotonicNs()).toBe(VIRTUAL_UPTIME_NS + 250_000_000n);
    // TIMER_ABSTIME at 102 s: wakes exactly then.
    putTimespec(p, REQ, 102, 0);
    expect(call(p, T.clock_nanosleep, 7, 1, REQ, 0)).toBe(0);
    expect(p.clock.monotonicNs()).toBe(102n * SEC);
    // TIMER_ABSTIME on the wall clock.
    putTimespec(p, REQ, 1_893_456_100, 0);
    expect(call(p, T.clock_nanosleep, 0, 1, REQ, 0)).toBe(0);
    expect(p.clock.realtimeNs()).toBe(1_893_456_100n * SEC);
  });

  it('clock_nanosleep: EINVAL for unknown clocks, EOPNOTSUPP for clocks without sleeps, EPERM for alarms', () => {
    const p = testProcess();
    putTimespec(p, REQ, 1, 0);
    expect(call(p, T.clock_nanosleep, 99, 0, REQ, 0)).toBe(-Errno.EINVAL);
    expect(call(p, T.clock_nanosleep, 2, 0, REQ, 0)).toBe(-Errno.EINVAL);
    expect(call(p, T.clock_nanosleep, 3, 0, REQ, 0)).toBe(-Errno.EOPNOTSUPP);
    expect(call(p, T.clock_nanosleep, 4, 0, REQ, 0)).toBe(-Errno.EOPNOTSUPP);
    expect(call(p, T.clock_nanosleep, 6, 0, REQ, 0)).toBe(-Errno.EOPNOTSUPP);
    expect(call(p, T.clock_nanosleep, 8, 0, REQ, 0)).toBe(-Errno.EPERM);
    expect(p.clock.monotonicNs()).toBe(VIRTUAL_UPTIME_NS);
    expect(call(p, T.clock_nanosleep, 11, 0, REQ, 0)).toBe(0);
    expect(p.clock.monotonicNs()).toBe(VIRTUAL_UPTIME_NS + SEC);
  });

  it('times and getrusage: user time from the instruction count', () => {
    const p = testProcess();
    p.cpu.icount = 123_456_789;
    p.clock.sleep(2n * SEC);
    // 123 ms of CPU = 12 ticks; uptime 102.12 s = 10212 ticks.
    expect(call(p, T.times, OUT)).toBe(10212);
    expect([u64(p, OUT), u64(p, OUT + 8), u64(p, OUT + 16), u64(p, OUT + 24)]).toEqual([12n, 0n, 0n, 0n]);
    expect(call(p, T.times, 0)).toBe(10212);
    expect(call(p, T.getrusage, 0, OUT)).toBe(0);
    expect([u64(p, OUT), u64(p, OUT + 8), u64(p, OUT + 16)]).toEqual([0n, 123_456n, 0n]);
    expect(call(p, T.getrusage, -1, OUT)).toBe(0);
    expect(u64(p, OUT + 8)).toBe(0n);
    expect(call(p, T.getrusage, 1, OUT)).toBe(0);
    expect(call(p, T.getrusage, 2, OUT)).toBe(-Errno.EINVAL);
  });

  it('with host time, clock_gettime reads the host and nanosleep really sleeps', () => {
    const p = testProcess({ hostTime: true });
    expect(call(p, T.clock_gettime, 0, OUT)).toBe(0);
    expect(Math.abs(Number(u64(p, OUT)) - Date.now() / 1000)).toBeLessThan(2);
    putTimespec(p, REQ, 0, 30_000_000);
    const started = process.hrtime.bigint();
    expect(call(p, T.nanosleep, REQ, 0)).toBe(0);
    expect(process.hrtime.bigint() - started).toBeGreaterThanOrEqual(30_000_000n);
  });

  it('host entropy differs from call to call; the seeded stream repeats', () => {
    const host = new HostRandom();
    expect(host.bytes(16)).toHaveLength(16);
    expect(Buffer.from(host.bytes(16)).equals(Buffer.from(host.bytes(16)))).toBe(false);
    expect(new SeededRandom('7').bytes(16)).toEqual(new SeededRandom('7').bytes(16));
    expect(new SeededRandom('7').bytes(16)).not.toEqual(new SeededRandom('8').bytes(16));
  });

  it('sysinfo: the uptime is CLOCK_BOOTTIME in whole seconds, rounded up', () => {
    const p = testProcess();
    p.clock.sleep(5n * SEC);
    expect(call(p, PROCESS_SYSCALLS.sysinfo, OUT)).toBe(0);
    expect(u64(p, OUT)).toBe(105n);
    p.cpu.icount = 1;
    expect(call(p, PROCESS_SYSCALLS.sysinfo, OUT)).toBe(0);
    expect(u64(p, OUT)).toBe(106n);
  });
});
