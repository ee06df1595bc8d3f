// Success paths of decoders the acceptance guest (test/guests/src/syscalls.c) can only show
// failing, emtrace's kernel not implementing the calls yet: processes, epoll, xattrs, prctl,
// clocks, memfd, timerfd, NUMA. Expected lines: strace 6.1, x86-64, from a C program making these
// calls natively (results and written memory copied from that run).

import { describe, expect, it } from 'vitest';
import { B, Bytes, event, FakeMemory, line } from './helpers.js';

const flat = (s: string): string => s.replace(/\) +=( |$)/, ') =$1');
const int = (v: number): Uint8Array => new Bytes(4).i32(0, v).b;

describe('processes', () => {
  it('clone (as glibc forks) and wait4 with the child\'s status', () => {
    const m = new FakeMemory().put(B, int(0x300));
    expect(flat(line(event('clone', [0x1200011, 0, 0, 0x33040650, 0], 19335), m))).toBe(
      'clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x33040650) = 19335',
    );
    expect(flat(line(event('wait4', [-1, B, 0, 0], 19335), m))).toBe(
      'wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 19335',
    );
    const killed = new FakeMemory().put(B, int(0x89));
    expect(flat(line(event('wait4', [-1, B, 1, 0], 7), killed))).toBe(
      'wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL && WCOREDUMP(s)}], WNOHANG, NULL) = 7',
    );
  });

  it('clone3 with CLONE_PIDFD: what the kernel wrote back, after `=>`', () => {
    const args = new Bytes(88).u64(0, 0x101000).u64(8, B + 0x100).u64(24, B + 0x104).u64(32, 17).b;
    const entry = new FakeMemory().put(B, args).put(B + 0x100, int(-1)).put(B + 0x104, int(0));
    const exit = new FakeMemory().put(B, args).put(B + 0x100, int(7)).put(B + 0x104, int(19336));
    expect(flat(line(event('clone3', [B, 88], 19336), entry, exit))).toBe(
      'clone3({flags=CLONE_PIDFD|CLONE_PARENT_SETTID, pidfd=0x10000100, parent_tid=0x10000104, exit_signal=SIGCHLD, ' +
        'stack=NULL, stack_size=0} => {pidfd=[7], parent_tid=[19336]}, 88) = 19336',
    );
  });

  it('waitid on a pidfd', () => {
    const si = new Bytes(128).i32(0, 17).i32(8, 1).i32(16, 19336).i32(24, 0).b;
    const m = new FakeMemory().put(B, si);
    expect(flat(line(event('waitid', [3, 7, B, 4, 0], 0), m))).toBe(
      'waitid(P_PIDFD, 7, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=19336, si_uid=0, si_status=0, si_utime=0, si_stime=0}, WEXITED, NULL) = 0',
    );
  });

  it('prctl: a capability, a name cut at 15 bytes, a result alone', () => {
    const m = new FakeMemory().put(B, 'abcdefghijklmnopqrst\0').put(B + 0x100, 'abcdefghijklmno\0');
    expect(flat(line(event('prctl', [23, 21, 0, 0, 0], 1), m))).toBe('prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN) = 1');
    expect(flat(line(event('prctl', [15, B, 0, 0, 0], 0), m))).toBe('prctl(PR_SET_NAME, "abcdefghijklmno"...) = 0');
    expect(flat(line(event('prctl', [16, B + 0x100, 0, 0, 0], 0), m))).toBe('prctl(PR_GET_NAME, "abcdefghijklmno") = 0');
    expect(flat(line(event('prctl', [30, 0, 0, 0, 0], 50000), m))).toBe('prctl(PR_GET_TIMERSLACK) = 50000');
  });
});

describe('descriptors of kernel objects', () => {
  it('epoll_wait: the events returned', () => {
    const m = new FakeMemory().put(B, new Bytes(12).u32(0, 4).u64(4, 7).b);
    expect(flat(line(event('epoll_wait', [8, B, 4, 0], 1), m))).toBe('epoll_wait(8, [{events=EPOLLOUT, data={u32=7, u64=7}}], 4, 0) = 1');
  });

  it('memfd_create with a huge page size; timerfd_settime with the old value', () => {
    const m = new FakeMemory()
      .put(B, 'huge\0')
      .put(B + 0x100, new Bytes(32).u64(16, 100).b)
      .put(B + 0x200, new Bytes(32).b);
    expect(flat(line(event('memfd_create', [B, 1 | 4 | (21 << 26)], 11), m))).toBe(
      'memfd_create("huge", MFD_CLOEXEC|MFD_HUGETLB|21<<MFD_HUGE_SHIFT) = 11',
    );
    expect(flat(line(event('timerfd_settime', [13, 0, B + 0x100, B + 0x200], 0), m))).toBe(
      'timerfd_settime(13, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, tv_nsec=0}}, ' +
        '{it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0',
    );
  });

  it('extended attributes: a value without its trailing NUL, a list of names', () => {
    const m = new FakeMemory().put(B, 'user.k\0').put(B + 0x100, 'val\0').put(B + 0x200, 'user.k\0');
    expect(flat(line(event('fsetxattr', [9, B, B + 0x100, 4, 0], 0), m))).toBe('fsetxattr(9, "user.k", "val", 4, 0) = 0');
    expect(flat(line(event('fgetxattr', [9, B, B + 0x100, 64], 4), m))).toBe('fgetxattr(9, "user.k", "val", 64) = 4');
    expect(flat(line(event('flistxattr', [9, B + 0x200, 64], 7), m))).toBe('flistxattr(9, "user.k\\0", 64) = 7');
  });
});

describe('clocks and memory policies', () => {
  it('adjtimex: every field of struct timex, and the clock state', () => {
    const tx = new Bytes(208)
      .u64(24, 16000000).u64(32, 16000000).u32(40, 0x40).u64(48, 2).u64(56, 1).u64(64, 32768000)
      .u64(72, 1795803580).u64(80, 395605).u64(88, 10000).b;
    const m = new FakeMemory().put(B, tx);
    expect(flat(line(event('adjtimex', [B], 5), m))).toBe(
      'adjtimex({modes=0, offset=0, freq=0, maxerror=16000000, esterror=16000000, status=STA_UNSYNC, constant=2, ' +
        'precision=1, tolerance=32768000, time={tv_sec=1795803580, tv_usec=395605}, tick=10000, ppsfreq=0, jitter=0, ' +
        'shift=0, stabil=0, jitcnt=0, calcnt=0, errcnt=0, stbcnt=0, tai=0}) = 5 (TIME_ERROR)',
    );
  });

  it('get_mempolicy: the mode written', () => {
    const m = new FakeMemory().put(B, int(0));
    expect(flat(line(event('get_mempolicy', [B, 0, 0, 0, 0], 0), m))).toBe('get_mempolicy([MPOL_DEFAULT], NULL, 0, NULL, 0) = 0');
  });
});
