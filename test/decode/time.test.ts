// Clock and sleep syscalls. Expected lines: strace 6.1, x86-64, same calls from a C program.

import { describe, expect, it } from 'vitest';
import { B, Bytes, event, FakeMemory, line } from './helpers.js';

const ts = (sec: number, nsec: number): Uint8Array => new Bytes(16).u64(0, sec).u64(8, nsec).b;
const m = new FakeMemory();

describe('clock_gettime / clock_getres / gettimeofday', () => {
  it('the time written at exit', () => {
    const t = new FakeMemory().put(B + 0x600, ts(480, 475545779));
    expect(line(event('clock_gettime', [1, B + 0x600], 0), m, t)).toBe(
      'clock_gettime(CLOCK_MONOTONIC, {tv_sec=480, tv_nsec=475545779}) = 0',
    );
    const r = new FakeMemory().put(B + 0x600, ts(1795788965, 656884354));
    expect(line(event('clock_gettime', [0, B + 0x600], 0), m, r)).toBe(
      'clock_gettime(CLOCK_REALTIME, {tv_sec=1795788965, tv_nsec=656884354}) = 0',
    );
    expect(line(event('clock_gettime', [99, B + 0x600], 0, 22), m)).toBe(
      'clock_gettime(0x63 /* CLOCK_??? */, 0x10000600) = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('clock_gettime', [2, 0], 0, 14), m)).toBe(
      'clock_gettime(CLOCK_PROCESS_CPUTIME_ID, NULL) = -1 EFAULT (Bad address)',
    );
    // A thread's CPU clock (pthread_getcpuclockid): strace 6.1 prints the raw id.
    const c = new FakeMemory().put(B + 0x600, ts(0, 1617206));
    expect(line(event('clock_gettime', [0xffff1c46 | 0, B + 0x600], 0), m, c)).toBe(
      'clock_gettime(0xffff1c46 /* CLOCK_??? */, {tv_sec=0, tv_nsec=1617206}) = 0',
    );
    const res = new FakeMemory().put(B + 0x600, ts(0, 1));
    expect(line(event('clock_getres', [1, B + 0x600], 0), m, res)).toBe(
      'clock_getres(CLOCK_MONOTONIC, {tv_sec=0, tv_nsec=1}) = 0',
    );
  });

  it('gettimeofday with and without a timezone', () => {
    const tv = new FakeMemory().put(B + 0x600, ts(1795788965, 657472)).put(B + 0x700, new Uint8Array(8));
    expect(line(event('gettimeofday', [B + 0x600, 0], 0), m, tv)).toBe(
      'gettimeofday({tv_sec=1795788965, tv_usec=657472}, NULL) = 0',
    );
    expect(line(event('gettimeofday', [B + 0x600, B + 0x700], 0), m, tv)).toBe(
      'gettimeofday({tv_sec=1795788965, tv_usec=657472}, {tz_minuteswest=0, tz_dsttime=0}) = 0',
    );
  });
});

describe('nanosleep / clock_nanosleep', () => {
  const req = new FakeMemory().put(B + 0x800, ts(0, 1000000)).put(B + 0x900, ts(0, 0));
  it('the remaining time is an address unless interrupted', () => {
    expect(line(event('nanosleep', [B + 0x800, B + 0x900], 0), req)).toBe(
      'nanosleep({tv_sec=0, tv_nsec=1000000}, 0x10000900) = 0',
    );
    expect(line(event('nanosleep', [B + 0x800, 0], 0), req)).toBe('nanosleep({tv_sec=0, tv_nsec=1000000}, NULL) = 0');
    const bad = new FakeMemory().put(B + 0x800, ts(0, 2000000000));
    expect(line(event('nanosleep', [B + 0x800, 0], 0, 22), bad)).toBe(
      'nanosleep({tv_sec=0, tv_nsec=2000000000}, NULL) = -1 EINVAL (Invalid argument)',
    );
    const us = new FakeMemory().put(B + 0x800, ts(0, 1000));
    expect(line(event('clock_nanosleep', [1, 0, B + 0x800, B + 0x900], 0), us)).toBe(
      'clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000}, 0x10000900) = 0',
    );
    expect(line(event('clock_nanosleep', [0, 1, B + 0x800, 0], 0), us)).toBe(
      'clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, {tv_sec=0, tv_nsec=1000}, NULL) = 0',
    );
  });

  it('interrupted by a signal: the remaining time is shown', () => {
    // strace 6.1 on a 5 s sleep interrupted by SIGALRM after 1 s.
    const before = new FakeMemory().put(B + 0x800, ts(5, 0)).put(B + 0x900, ts(0, 0));
    const after = new FakeMemory().put(B + 0x800, ts(5, 0)).put(B + 0x900, ts(4, 34071));
    expect(line(event('clock_nanosleep', [0, 0, B + 0x800, B + 0x900], 0, 516), before, after)).toBe(
      'clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=5, tv_nsec=0}, {tv_sec=4, tv_nsec=34071}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)',
    );
    // nanosleep shares the decoder.
    expect(line(event('nanosleep', [B + 0x800, B + 0x900], 0, 516), before, after)).toBe(
      'nanosleep({tv_sec=5, tv_nsec=0}, {tv_sec=4, tv_nsec=34071}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)',
    );
    // An absolute sleep never writes the remaining time.
    expect(line(event('clock_nanosleep', [0, 1, B + 0x800, B + 0x900], 0, 516), before, after)).toBe(
      'clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, {tv_sec=5, tv_nsec=0}, 0x10000900) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)',
    );
  });
});
