// eventfd, timerfd, signalfd and epoll (test/guests/src/eventfds.c) natively, under the real
// strace and under emtrace: the same output, and the same syscall lines once what differs
// between two runs (pids, fdinfo's mount ids and inode numbers, absolute times, vDSO calls strace
// cannot see) is masked.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
