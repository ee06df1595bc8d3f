// The syscall table against Linux's arch/x86/entry/syscalls/syscall_64.tbl and strace's
// src/linux/x86_64/syscallent.h (classes, argument counts).

import { describe, expect, it } from 'vitest';
import { allSyscalls, syscallByName, syscallByNumber, syscallName, syscallNumber, syscallsInClass } from '../../src/decode/index.js';

describe('coverage', () => {
  it('has every common/64-bit entry: 0..335 and 424..471', () => {
    const nrs = allSyscalls().map((r) => r.nr);
    const expected = [...Array.from({ length: 336 }, (_, i) => i), ...Array.from({ length: 48 }, (_, i) => 424 + i)];
    expect(nrs).toEqual(expected);
  });

  it('uses strace\'s names', () => {
    const names: [number, string][] = [
      [0, 'read'], [4, 'stat'], [8, 'lseek'], [13, 'rt_sigaction'], [17, 'pread64'], [18, 'pwrite64'],
      [40, 'sendfile'], [56, 'clone'], [63, 'uname'], [134, 'uselib'], [155, 'pivot_root'], [156, '_sysctl'],
      [166, 'umount2'], [180, 'nfsservctl'], [186, 'gettid'], [202, 'futex'], [217, 'getdents64'],
      [221, 'fadvise64'], [231, 'exit_group'], [257, 'openat'], [262, 'newfstatat'], [302, 'prlimit64'],
      [318, 'getrandom'], [332, 'statx'], [334, 'rseq'], [335, 'uretprobe'], [424, 'pidfd_send_signal'],
      [435, 'clone3'], [439, 'faccessat2'], [443, 'quotactl_fd'], [449, 'futex_waitv'], [450, 'set_mempolicy_home_node'],
      [451, 'cachestat'], [462, 'mseal'], [471, 'rseq_slice_yield'],
    ];
    for (const [nr, name] of names) {
      expect(syscallName(nr)).toBe(name);
      expect(syscallNumber(name)).toBe(nr);
    }
    expect(syscallName(336)).toBe('syscall_0x150');
    expect(syscallName(1000)).toBe('syscall_0x3e8');
    expect(syscallByName('waitpid')).toBeUndefined();
  });

  it('argument counts as strace has them', () => {
    const counts: [string, number][] = [['read', 3], ['mmap', 6], ['futex', 6], ['rt_sigreturn', 0], ['clone', 5],
      ['openat', 4], ['statx', 5], ['epoll_pwait2', 6], ['rseq', 4], ['exit_group', 1]];
    for (const [name, n] of counts) expect(syscallByName(name)?.nargs).toBe(n);
  });
});

describe('trace classes (strace 6.1 syscallent.h)', () => {
  it('per-row classes', () => {
    const cls = (name: string): string[] => [...(syscallByName(name)?.classes ?? [])].sort();
    expect(cls('read')).toEqual(['desc']);
    expect(cls('openat')).toEqual(['desc', 'file']);
    expect(cls('stat')).toEqual(['file', 'stat', 'stat_like']);
    expect(cls('lstat')).toEqual(['file', 'lstat', 'stat_like']);
    expect(cls('fstat')).toEqual(['desc', 'fstat', 'stat_like']);
    expect(cls('newfstatat')).toEqual(['desc', 'file', 'fstat', 'stat_like']);
    expect(cls('statfs')).toEqual(['file', 'statfs', 'statfs_like']);
    expect(cls('fstatfs')).toEqual(['desc', 'fstatfs', 'statfs_like']);
    expect(cls('ustat')).toEqual(['statfs_like']);
    expect(cls('getpid')).toEqual(['pure']);
    expect(cls('getuid')).toEqual(['creds', 'pure']);
    expect(cls('setuid')).toEqual(['creds']);
    expect(cls('clock_gettime')).toEqual(['clock']);
    expect(cls('mmap')).toEqual(['desc', 'memory']);
    expect(cls('kill')).toEqual(['process', 'signal']);
    expect(cls('shmat')).toEqual(['ipc', 'memory']);
    expect(cls('socket')).toEqual(['network']);
    expect(cls('execve')).toEqual(['file', 'process']);
    expect(cls('uname')).toEqual([]);
  });

  it('class membership', () => {
    expect(syscallsInClass('pure')).toEqual([39, 102, 104, 107, 108, 110, 111, 186]);
    expect(syscallsInClass('clock')).toEqual([96, 159, 164, 201, 227, 228, 229, 305]);
    expect(syscallsInClass('stat_like')).toEqual([4, 5, 6, 262, 332]);
    expect(syscallsInClass('file')).toContain(2);
    expect(syscallsInClass('file')).not.toContain(0);
  });

  it('exact rows carry argument names and directions', () => {
    const read = syscallByNumber(0);
    expect(read?.args?.map((a) => [a.name, a.kind, a.dir])).toEqual([
      ['fd', 'fd', 'in'],
      ['buf', 'buf', 'out'],
      ['count', 'ulong', 'in'],
    ]);
    expect(read?.args?.[1].mem).toEqual({ kind: 'buffer', dir: 'out', size: { ret: true, cap: 2 } });
    expect(syscallByName('write')?.args?.[1].mem).toEqual({ kind: 'buffer', dir: 'in', size: { arg: 2 } });
    expect(syscallByName('openat')?.args?.[1].mem).toEqual({ kind: 'cstring' });
  });
});
