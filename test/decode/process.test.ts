// Process, limits, randomness, futex and scheduling syscalls. Expected lines: strace 6.1,
// x86-64, same calls from a C program (results and written structs copied from that run).

import { describe, expect, it } from 'vitest';
import { B, Bytes, event, FakeMemory, line } from './helpers.js';

const m = new FakeMemory();

describe('arch_prctl', () => {
  it('set, get (pointer written), unknown code, ARCH_GET_CPUID without argument', () => {
    expect(line(event('arch_prctl', [0x1002, 0x7f0ea90f6740], 0), m)).toBe('arch_prctl(ARCH_SET_FS, 0x7f0ea90f6740) = 0');
    const fs = new FakeMemory().put(B + 0x100, new Bytes(8).u64(0, 0x7f90f65e0740).b);
    expect(line(event('arch_prctl', [0x1003, B + 0x100], 0), m, fs)).toBe('arch_prctl(ARCH_GET_FS, [0x7f90f65e0740]) = 0');
    expect(line(event('arch_prctl', [0x1001, 0x1000], 0), m)).toBe('arch_prctl(ARCH_SET_GS, 0x1000)         = 0');
    expect(line(event('arch_prctl', [0x3001, 0], 0, 22), m)).toBe(
      'arch_prctl(0x3001 /* ARCH_??? */, 0)    = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('arch_prctl', [0x1003, 0x1234], 0, 14), m)).toBe(
      'arch_prctl(ARCH_GET_FS, 0x1234)         = -1 EFAULT (Bad address)',
    );
    expect(line(event('arch_prctl', [0x1011, 0], 1), m)).toBe('arch_prctl(ARCH_GET_CPUID)              = 1');
  });
});

describe('thread setup: set_tid_address, set_robust_list, rseq', () => {
  it('as glibc calls them', () => {
    expect(line(event('set_tid_address', [0x7f0ea90f6a10], 3386), m)).toBe('set_tid_address(0x7f0ea90f6a10)         = 3386');
    expect(line(event('set_robust_list', [0x7f0ea90f6a20, 24], 0), m)).toBe('set_robust_list(0x7f0ea90f6a20, 24)     = 0');
    expect(line(event('set_robust_list', [0x10000060, 25], 0, 22), m)).toBe(
      'set_robust_list(0x10000060, 25)         = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('rseq', [0x7f0ea90f7060, 0x20, 0, 0x53053053], 0), m)).toBe(
      'rseq(0x7f0ea90f7060, 0x20, 0, 0x53053053) = 0',
    );
  });
});

describe('resource limits', () => {
  const rl = (cur: number | bigint, max: number | bigint): Uint8Array => new Bytes(16).u64(0, cur).u64(8, max).b;
  const INF = -1n;

  it('prlimit64 with strace\'s N*1024 and RLIM64_INFINITY notation', () => {
    const old = (cur: number | bigint, max: number | bigint): FakeMemory => new FakeMemory().put(B + 0x100, rl(cur, max));
    expect(line(event('prlimit64', [0, 3, 0, B + 0x100], 0), m, old(8388608, INF))).toBe(
      'prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0',
    );
    expect(line(event('prlimit64', [0, 7, 0, B + 0x100], 0), m, old(20000, 20000))).toBe(
      'prlimit64(0, RLIMIT_NOFILE, NULL, {rlim_cur=20000, rlim_max=20000}) = 0',
    );
    expect(line(event('prlimit64', [0, 4, 0, B + 0x100], 0), m, old(0, INF))).toBe(
      'prlimit64(0, RLIMIT_CORE, NULL, {rlim_cur=0, rlim_max=RLIM64_INFINITY}) = 0',
    );
    const both = new FakeMemory().put(B + 0x200, rl(1000, 12288)).put(B + 0x100, rl(20000, 20000));
    expect(line(event('prlimit64', [0, 7, B + 0x200, B + 0x100], 0), both)).toBe(
      'prlimit64(0, RLIMIT_NOFILE, {rlim_cur=1000, rlim_max=12*1024}, {rlim_cur=20000, rlim_max=20000}) = 0',
    );
    const nw = new FakeMemory().put(B + 0x200, rl(1048576, INF));
    expect(line(event('prlimit64', [0, 7, B + 0x200, 0], 0, 1), nw)).toBe(
      'prlimit64(0, RLIMIT_NOFILE, {rlim_cur=1024*1024, rlim_max=RLIM64_INFINITY}, NULL) = -1 EPERM (Operation not permitted)',
    );
    expect(line(event('prlimit64', [1234, 99, 0, 0], 0, 3), m)).toBe(
      'prlimit64(1234, 0x63 /* RLIMIT_??? */, NULL, NULL) = -1 ESRCH (No such process)',
    );
    expect(line(event('prlimit64', [0, 9, 0, 0x1234], 0, 14), m)).toBe(
      'prlimit64(0, RLIMIT_AS, NULL, 0x1234)   = -1 EFAULT (Bad address)',
    );
  });

  it('getrlimit / setrlimit', () => {
    const lim = new FakeMemory().put(B + 0x100, rl(8388608, INF));
    expect(line(event('getrlimit', [3, B + 0x100], 0), m, lim)).toBe(
      'getrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0',
    );
    const np = new FakeMemory().put(B + 0x100, rl(96365, 96365));
    expect(line(event('getrlimit', [6, B + 0x100], 0), m, np)).toBe(
      'getrlimit(RLIMIT_NPROC, {rlim_cur=96365, rlim_max=96365}) = 0',
    );
    expect(line(event('getrlimit', [55, B + 0x100], 0, 22), m, np)).toBe(
      'getrlimit(0x37 /* RLIMIT_??? */, 0x10000100) = -1 EINVAL (Invalid argument)',
    );
    const nw = new FakeMemory().put(B + 0x200, rl(1048576, INF));
    expect(line(event('setrlimit', [4, B + 0x200], 0), nw)).toBe(
      'setrlimit(RLIMIT_CORE, {rlim_cur=1024*1024, rlim_max=RLIM64_INFINITY}) = 0',
    );
  });
});

describe('getrandom', () => {
  it('hex bytes, -s cut, flags, failures', () => {
    const r8 = new FakeMemory().put(B + 0x2000, [0x16, 0x61, 0x3a, 0xf2, 0x34, 0x69, 0x93, 0x29]);
    expect(line(event('getrandom', [B + 0x2000, 8, 1], 8), m, r8)).toBe(
      'getrandom("\\x16\\x61\\x3a\\xf2\\x34\\x69\\x93\\x29", 8, GRND_NONBLOCK) = 8',
    );
    const bytes40 = [0x43, 0x0f, 0x67, 0x93, 0x6a, 0x6f, 0x3d, 0xf8, 0x7a, 0xb8, 0xb1, 0x2f, 0x81, 0x3b, 0x7f, 0x1b,
      0x06, 0xa5, 0x7f, 0x9b, 0x13, 0x58, 0x31, 0xa7, 0xff, 0x44, 0x69, 0x7d, 0x71, 0xcb, 0xb9, 0xb6, 1, 2, 3, 4, 5, 6, 7, 8];
    const r40 = new FakeMemory().put(B + 0x2000, bytes40);
    expect(line(event('getrandom', [B + 0x2000, 40, 0], 40), m, r40)).toBe(
      'getrandom("\\x43\\x0f\\x67\\x93\\x6a\\x6f\\x3d\\xf8\\x7a\\xb8\\xb1\\x2f\\x81\\x3b\\x7f\\x1b\\x06\\xa5\\x7f\\x9b\\x13\\x58\\x31\\xa7\\xff\\x44\\x69\\x7d\\x71\\xcb\\xb9\\xb6"..., 40, 0) = 40',
    );
    expect(line(event('getrandom', [B + 0x2000, 16, 0x26], 0, 22), m, r40)).toBe(
      'getrandom(0x10002000, 16, GRND_RANDOM|GRND_INSECURE|0x20) = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('getrandom', [0x1234, 16, 0], 0, 14), m)).toBe('getrandom(0x1234, 16, 0)                = -1 EFAULT (Bad address)');
  });
});

describe('uname, ids, sysinfo, exit', () => {
  it('uname is abbreviated after nodename', () => {
    const u = new Bytes(390).str(0, 'Linux').str(65, 'vm').str(130, '6.1.0').b;
    const after = new FakeMemory().put(B + 0x1000, u);
    expect(line(event('uname', [B + 0x1000], 0), m, after)).toBe('uname({sysname="Linux", nodename="vm", ...}) = 0');
    expect(line(event('uname', [0], 0, 14), m)).toBe('uname(NULL)                             = -1 EFAULT (Bad address)');
  });

  it('identity calls take no arguments', () => {
    expect(line(event('getpid', [], 4368), m)).toBe('getpid()                                = 4368');
    expect(line(event('getppid', [], 4365), m)).toBe('getppid()                               = 4365');
    expect(line(event('gettid', [], 4368), m)).toBe('gettid()                                = 4368');
    for (const n of ['getuid', 'geteuid', 'getgid', 'getegid']) {
      expect(line(event(n, [], 0), m)).toBe((n + '()').padEnd(40) + '= 0');
    }
  });

  it('sysinfo is printed in full', () => {
    const si = new Bytes(112)
      .u64(0, 481).u64(8, 20160).u64(16, 8832).u64(24, 2624)
      .u64(32, 25276514304).u64(40, 24897019904).u64(48, 8998912).u64(56, 2605056)
      .u64(64, 0).u64(72, 0).u16(80, 84).u64(88, 0).u64(96, 0).u32(104, 1).b;
    const after = new FakeMemory().put(B + 0x400, si);
    expect(line(event('sysinfo', [B + 0x400], 0), m, after)).toBe(
      'sysinfo({uptime=481, loads=[20160, 8832, 2624], totalram=25276514304, freeram=24897019904, sharedram=8998912, bufferram=2605056, totalswap=0, freeswap=0, procs=84, totalhigh=0, freehigh=0, mem_unit=1}) = 0',
    );
  });

  it('exit and exit_group never return', () => {
    expect(line(event('exit_group', [0], NaN), m)).toBe('exit_group(0)                           = ?');
    expect(line(event('exit_group', [3], NaN), m)).toBe('exit_group(3)                           = ?');
    expect(line(event('exit', [-1], NaN), m)).toBe('exit(-1)                                = ?');
  });
});

describe('sched_getaffinity / sched_setaffinity', () => {
  const mask = new FakeMemory().put(B + 0x500, [3, 0, 0, 0, 0, 0, 0, 0]);
  it('lists the CPUs', () => {
    expect(line(event('sched_getaffinity', [0, 8, B + 0x500], 8), m, mask)).toBe(
      'sched_getaffinity(0, 8, [0 1])          = 8',
    );
    const big = new FakeMemory().put(B + 0x500, [3, ...new Array<number>(127).fill(0)]);
    expect(line(event('sched_getaffinity', [0, 128, B + 0x500], 32), m, big)).toBe(
      'sched_getaffinity(0, 128, [0 1])        = 32',
    );
    expect(line(event('sched_getaffinity', [0, 1, B + 0x500], 0, 22), m, mask)).toBe(
      'sched_getaffinity(0, 1, 0x10000500)     = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('sched_setaffinity', [0, 8, B + 0x500], 0), mask)).toBe('sched_setaffinity(0, 8, [0 1])          = 0');
  });
});

describe('futex', () => {
  const ts = new FakeMemory().put(B + 0x800, new Bytes(16).u64(0, 0).u64(8, 1000).b);
  const F = B + 0xa00;
  it('prints the arguments each operation uses', () => {
    expect(line(event('futex', [F, 129, 1, 0, 0, 0], 0), ts)).toBe('futex(0x10000a00, FUTEX_WAKE_PRIVATE, 1) = 0');
    expect(line(event('futex', [F, 128, 4, 0, 0, 0], 0, 11), ts)).toBe(
      'futex(0x10000a00, FUTEX_WAIT_PRIVATE, 4, NULL) = -1 EAGAIN (Resource temporarily unavailable)',
    );
    expect(line(event('futex', [F, 0, 4, B + 0x800, 0, 0], 0, 11), ts)).toBe(
      'futex(0x10000a00, FUTEX_WAIT, 4, {tv_sec=0, tv_nsec=1000}) = -1 EAGAIN (Resource temporarily unavailable)',
    );
    expect(line(event('futex', [F, 9 | 128 | 256, 4, B + 0x800, 0, 0xffffffff], 0, 11), ts)).toBe(
      'futex(0x10000a00, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 4, {tv_sec=0, tv_nsec=1000}, FUTEX_BITSET_MATCH_ANY) = -1 EAGAIN (Resource temporarily unavailable)',
    );
    // FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 1)
    expect(line(event('futex', [F, 133, 1, 1, F + 4, 0x04000001], 0), ts)).toBe(
      'futex(0x10000a00, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x10000a04, FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1) = 0',
    );
    expect(line(event('futex', [F, 132, 1, 2, F + 4, 5], 0), ts)).toBe(
      'futex(0x10000a00, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, 0x10000a04, 5) = 0',
    );
    expect(line(event('futex', [F, 3, 1, 2, F + 4, 5], 0), ts)).toBe('futex(0x10000a00, FUTEX_REQUEUE, 1, 2, 0x10000a04) = 0');
    expect(line(event('futex', [F, 99, 1, 2, F + 4, 5], 0, 38), ts)).toBe(
      'futex(0x10000a00, 0x63 /* FUTEX_??? */, 1, 0x2, 0x10000a04, 0x5) = -1 ENOSYS (Function not implemented)',
    );
    expect(line(event('futex', [F, 1, 1, 0x55, 0x66, 0x77], 0), ts)).toBe('futex(0x10000a00, FUTEX_WAKE, 1)        = 0');
    expect(line(event('futex', [F, 6, 1, 0, 0, 0], 0, 1), ts)).toBe(
      'futex(0x10000a00, FUTEX_LOCK_PI, NULL)  = -1 EPERM (Operation not permitted)',
    );
  });
});

describe('small decoders sharing kinds', () => {
  it('as strace 6.1 prints them', () => {
    const p = new FakeMemory()
      .put(B, '/tmp/oracle/nodir\0')
      .put(B + 0x40, '/nonexist\0')
      .put(B + 0x80, '/tmp/oracle/nx1\0')
      .put(B + 0xc0, '/tmp/oracle/nx2\0')
      .put(B + 0x100, '/nonexist/nx2\0');
    const fds = new FakeMemory().put(B + 0x200, new Bytes(8).i32(0, 3).i32(4, 4).b);
    const cases: [string, (number | bigint)[], number, number, string][] = [
      ['rmdir', [B], 0, 2, 'rmdir("/tmp/oracle/nodir")              = -1 ENOENT (No such file or directory)'],
      ['fchdir', [99], 0, 9, 'fchdir(99)                              = -1 EBADF (Bad file descriptor)'],
      ['fsync', [1], 0, 22, 'fsync(1)                                = -1 EINVAL (Invalid argument)'],
      ['fdatasync', [99], 0, 9, 'fdatasync(99)                           = -1 EBADF (Bad file descriptor)'],
      ['syncfs', [99], 0, 9, 'syncfs(99)                              = -1 EBADF (Bad file descriptor)'],
      ['chroot', [B + 0x40], 0, 2, 'chroot("/nonexist")                     = -1 ENOENT (No such file or directory)'],
      ['mlock', [B, 4096], 0, 0, 'mlock(0x10000000, 4096)                 = 0'],
      ['munlock', [B, 4096], 0, 0, 'munlock(0x10000000, 4096)               = 0'],
      ['kill', [999999, 15], 0, 3, 'kill(999999, SIGTERM)                   = -1 ESRCH (No such process)'],
      ['kill', [14787, 0], 0, 0, 'kill(14787, 0)                          = 0'],
      ['tkill', [999999, 10], 0, 3, 'tkill(999999, SIGUSR1)                  = -1 ESRCH (No such process)'],
      ['tgkill', [999999, 999999, 40], 0, 3, 'tgkill(999999, 999999, SIGRT_8)         = -1 ESRCH (No such process)'],
      ['alarm', [0], 0, 0, 'alarm(0)                                = 0'],
      ['getpgrp', [], 14775, 0, 'getpgrp()                               = 14775'],
      ['getpgid', [0], 14775, 0, 'getpgid(0)                              = 14775'],
      ['getsid', [0], 3008, 0, 'getsid(0)                               = 3008'],
      ['rename', [B + 0x80, B + 0xc0], 0, 2, 'rename("/tmp/oracle/nx1", "/tmp/oracle/nx2") = -1 ENOENT (No such file or directory)'],
      ['link', [B + 0x80, B + 0xc0], 0, 2, 'link("/tmp/oracle/nx1", "/tmp/oracle/nx2") = -1 ENOENT (No such file or directory)'],
      ['symlink', [B + 0x80, B + 0x100], 0, 2, 'symlink("/tmp/oracle/nx1", "/nonexist/nx2") = -1 ENOENT (No such file or directory)'],
      ['sync', [], 0, 0, 'sync()                                  = 0'],
    ];
    for (const [name, args, ret, errno, want] of cases) expect(line(event(name, args, ret, errno), p)).toBe(want);
    expect(line(event('pipe', [B + 0x200], 0), p, fds)).toBe('pipe([3, 4])                            = 0');
  });
});
