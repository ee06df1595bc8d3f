// eventfd, timerfd, signalfd and epoll (test/guests/src/eventfds.c) natively, under the real
// strace and under emtrace: the same output, and the same syscall lines once what differs
// between two runs (pids, fdinfo's mount ids and inode numbers, absolute times, vDSO calls strace
// cannot see) is masked. Then what a guest cannot show natively: waits that would never end.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyscallHandler } from '../../src/emulator/kernel/context.js';
import { Errno } from '../../src/emulator/kernel/errno.js';
import type { Process } from '../../src/emulator/kernel/process.js';
import { ANON_FD_SYSCALLS } from '../../src/emulator/kernel/syscalls/anon-fds.js';
import { EPOLL_SYSCALLS } from '../../src/emulator/kernel/syscalls/epoll.js';
import { IO_SYSCALLS } from '../../src/emulator/kernel/syscalls/io.js';
import { call, putTimespec, SCRATCH, testProcess, u64 } from '../support/kernel.js';
import { emtrace, guest, native } from '../support/run.js';
import { emtraceRun, freshDir, normalize, STRACE_ENV, straceRun } from '../support/strace.js';

const scratch = freshDir('emtrace-eventfds-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const LIBCS = ['musl', 'glibc'];
let runs = 0;

function workDir(): string {
  const dir = path.join(scratch, `work${runs++}`);
  fs.mkdirSync(dir);
  return dir;
}

/** The lines to compare: no vDSO calls, and no pids, times or host-specific numbers. */
function lines(log: string, dir: string): string[] {
  return normalize(log)
    .filter((l) => !l.endsWith('<vdso>'))
    .map((l) =>
      l
        .split(dir)
        .join('DIR')
        .replace(/^(kill|tkill)\(\d+/, '$1(PID')
        .replace(/^tgkill\(\d+, \d+/, 'tgkill(PID, PID')
        // fdinfo (mount ids, inode numbers) and signalfd_siginfo (ssi_pid) contents.
        .replace(/^read\((\d+), (".*"(?:\.\.\.)?), (\d+)\) = \d+$/, (whole, fd: string, text: string, count: string) =>
          /^"(pos:|\\n\\0|\\f\\0|\\16\\0)/.test(text) ? `read(${fd}, MASKED, ${count})` : whole,
        )
        .replace(/^(timerfd_settime\(\d+, TFD_TIMER_ABSTIME, .*it_value=)\{[^}]*\}/, '$1{TIME}')
        .replace(/^(timerfd_gettime\(\d+, .*it_value=)\{[^}]*\}/, '$1{TIME}'),
    );
}

describe('eventfd, timerfd, signalfd and epoll (eventfds.c)', () => {
  it.each(LIBCS)('eventfds-%s prints what it prints natively', (libc) => {
    const expected = native(guest(`eventfds-${libc}`), [workDir()], { env: STRACE_ENV });
    const actual = emtrace(['-o', '/dev/null', guest(`eventfds-${libc}`), workDir()], { env: STRACE_ENV });
    expect(expected.stdout).toContain('\n0 failures');
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.status).toBe(0);
  });

  it.each(LIBCS)('eventfds-%s makes the calls strace shows', (libc) => {
    const dir = workDir();
    const expected = straceRun(guest(`eventfds-${libc}`), [dir], path.join(scratch, `${libc}.strace`));
    fs.rmSync(path.join(dir, 'file'));
    const actual = emtraceRun(guest(`eventfds-${libc}`), [dir], path.join(scratch, `${libc}.emtrace`));
    expect(actual.status).toBe(expected.status);
    expect(lines(actual.log, dir)).toEqual(lines(expected.log, dir));
    // The calls themselves are there, with their results.
    expect(actual.log).toMatch(/^epoll_ctl\(\d+, EPOLL_CTL_ADD, \d+, \{events=EPOLLIN\|EPOLLET, data=\{u32=2, u64=2\}\}\) += 0$/m);
    expect(actual.log).toMatch(/\[\{events=EPOLLIN, data=\{u32=1, u64=1\}\}, \{events=EPOLLIN, data=\{u32=2, u64=2\}\}\]/);
    expect(actual.log).toMatch(/= -1 EINTR \(Interrupted system call\)$/m);
  });

  it.each(LIBCS)('eventfds-%s records and replays', (libc) => {
    const trace = path.join(scratch, `eventfds-${libc}.jsonl`);
    const recorded = emtrace(['record', '-o', trace, guest(`eventfds-${libc}`), workDir()], { env: STRACE_ENV });
    expect(recorded.status).toBe(0);
    const replayed = emtrace(['replay', '-q', trace], { env: STRACE_ENV });
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
    expect(replayed.status).toBe(0);
  });

  it('a blocking timerfd read moves the virtual clock to the expiry, not the host clock', () => {
    const started = Date.now();
    const r = emtrace(['-o', path.join(scratch, 'clock.log'), '-T', guest('eventfds-musl'), workDir()], { env: STRACE_ENV });
    expect(r.status).toBe(0);
    const log = fs.readFileSync(path.join(scratch, 'clock.log'), 'utf8');
    // The 50 ms one-shot: the read took exactly the time to its expiry.
    expect(log).toMatch(/^read\(3, "\\1\\0\\0\\0\\0\\0\\0\\0", 8\) += 8 <0\.0[45]\d+>$/m);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('waits that only this process could end, and non-root rules', () => {
  const K: Record<string, SyscallHandler> = { ...IO_SYSCALLS, ...ANON_FD_SYSCALLS, ...EPOLL_SYSCALLS };
  const BUF = SCRATCH;
  const SPEC = SCRATCH + 0x100;
  const EVENT = SCRATCH + 0x200;
  const CLOCK_MONOTONIC = 1;
  const CLOCK_REALTIME_ALARM = 8;
  const EPOLL_CTL_ADD = 1;
  const EPOLLIN = 1;

  function proc(): { p: Process; diagnostics: string[] } {
    const p = testProcess();
    const diagnostics: string[] = [];
    p.diagnose = (message) => diagnostics.push(message);
    return { p, diagnostics };
  }

  it('a blocking read of an empty eventfd, a disarmed timerfd or a quiet signalfd: EDEADLK and a diagnostic', () => {
    const { p, diagnostics } = proc();
    const e = call(p, K.eventfd2, 0, 0);
    const t = call(p, K.timerfd_create, CLOCK_MONOTONIC, 0);
    p.mem.writeBytes(SPEC, new Uint8Array(8).fill(0xff));
    const s = call(p, K.signalfd4, -1, SPEC, 8, 0);
    expect(call(p, K.read, e, BUF, 8)).toBe(-Errno.EDEADLK);
    expect(call(p, K.read, t, BUF, 8)).toBe(-Errno.EDEADLK);
    expect(call(p, K.read, s, BUF, 128)).toBe(-Errno.EDEADLK);
    expect(diagnostics).toEqual(['anon_inode:[eventfd]', 'anon_inode:[timerfd]', 'anon_inode:[signalfd]'].map((f) => `read on ${f} would block forever (nothing in this process can end the wait): the guest gets EDEADLK`));
  });

  it('epoll_wait without a timeout: EDEADLK on nothing that can change, the expiry of a watched timerfd otherwise', () => {
    const { p, diagnostics } = proc();
    const ep = call(p, K.epoll_create1, 0);
    const t = call(p, K.timerfd_create, CLOCK_MONOTONIC, 0);
    p.mem.writeBytes(EVENT, new Uint8Array([EPOLLIN, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0]));
    expect(call(p, K.epoll_ctl, ep, EPOLL_CTL_ADD, t, EVENT)).toBe(0);
    expect(call(p, K.epoll_wait, ep, BUF, 4, -1)).toBe(-Errno.EDEADLK);
    expect(diagnostics).toHaveLength(1);
    putTimespec(p, SPEC, 0, 0);
    putTimespec(p, SPEC + 16, 3, 0);
    expect(call(p, K.timerfd_settime, t, 0, SPEC, 0)).toBe(0);
    const before = p.clock.monotonicNs();
    expect(call(p, K.epoll_wait, ep, BUF, 4, -1)).toBe(1);
    expect(p.clock.monotonicNs() - before).toBe(3_000_000_000n);
    expect([...p.mem.readBytes(BUF, 12)]).toEqual([EPOLLIN, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0]);
    expect(call(p, K.read, t, BUF, 8)).toBe(8);
    expect(u64(p, BUF)).toBe(1n);
  });

  it('a wait that an expiry cannot end (a periodic timerfd watched for EPOLLOUT) still ends: EDEADLK', () => {
    const { p } = proc();
    const ep = call(p, K.epoll_create1, 0);
    const t = call(p, K.timerfd_create, CLOCK_MONOTONIC, 0);
    putTimespec(p, SPEC, 0, 1_000_000);
    putTimespec(p, SPEC + 16, 0, 1_000_000);
    expect(call(p, K.timerfd_settime, t, 0, SPEC, 0)).toBe(0);
    p.mem.writeBytes(EVENT, new Uint8Array([4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(call(p, K.epoll_ctl, ep, EPOLL_CTL_ADD, t, EVENT)).toBe(0);
    expect(call(p, K.epoll_wait, ep, BUF, 4, -1)).toBe(-Errno.EDEADLK);
  });

  it('the alarm clocks need CAP_WAKE_ALARM', () => {
    const { p } = proc();
    expect(call(p, K.timerfd_create, CLOCK_REALTIME_ALARM, 0)).toBe(-Errno.EPERM);
  });
});
