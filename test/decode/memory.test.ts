// Memory syscalls. Expected lines: strace 6.1, x86-64, same calls from a C program.

import { describe, expect, it } from 'vitest';
import { B, event, FakeMemory, line } from './helpers.js';

const m = new FakeMemory();

describe('mmap', () => {
  it('prot, type and flags, hex offset, hex result', () => {
    expect(line(event('mmap', [0, 8192, 3, 0x22, -1, 0], 0x7f90f67cc000), m)).toBe(
      'mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f90f67cc000',
    );
    expect(line(event('mmap', [B, 65536, 3, 0x32, -1, 0], B), m)).toBe(
      'mmap(0x10000000, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x10000000',
    );
    expect(line(event('mmap', [0x7f0ea911f000, 1400832, 5, 0x812, 3, 0x26000], 0x7f0ea911f000), m)).toBe(
      'mmap(0x7f0ea911f000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7f0ea911f000',
    );
  });

  it('PROT_NONE, flag order, unknown prot bits, huge page sizes', () => {
    expect(line(event('mmap', [0, 4096, 0, 0x24121, -1, 0], 0, 22), m)).toBe(
      'mmap(NULL, 4096, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS|MAP_NORESERVE|MAP_GROWSDOWN|MAP_STACK, -1, 0) = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('mmap', [0, 4096, 0x105, 0x8008002, 3, 0x1000], 0x7f90f67cb000), m)).toBe(
      'mmap(NULL, 4096, PROT_READ|PROT_EXEC|0x100, MAP_PRIVATE|MAP_POPULATE|2<<MAP_HUGE_SHIFT, 3, 0x1000) = 0x7f90f67cb000',
    );
    expect(line(event('mmap', [0x20000000, 4096, 1, 0x100003, 3, 0], 0, 95), m)).toBe(
      'mmap(0x20000000, 4096, PROT_READ, MAP_SHARED_VALIDATE|MAP_FIXED_NOREPLACE, 3, 0) = -1 EOPNOTSUPP (Operation not supported)',
    );
    expect(line(event('mmap', [0, 4096, 1, 0, 3, 0], 0, 22), m)).toBe(
      'mmap(NULL, 4096, PROT_READ, MAP_FILE, 3, 0) = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('mmap', [0, 4096, 1, 7, 3, 0], 0, 22), m)).toBe(
      'mmap(NULL, 4096, PROT_READ, 0x7 /* MAP_??? */, 3, 0) = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('mmap', [0, 4096, 1, 2 | 0x40 | 0x10000 | 0x1000 | 0x2000 | 0x40000 | 0x80000 | 0x4000000, -1, 0], 0, 9), m)).toBe(
      'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_32BIT|MAP_NONBLOCK|MAP_EXECUTABLE|MAP_LOCKED|MAP_HUGETLB|MAP_SYNC|1<<MAP_HUGE_SHIFT, -1, 0) = -1 EBADF (Bad file descriptor)',
    );
    expect(line(event('mmap', [0, 4096, 1, 0x22 | (21 << 26), -1, 0], 0x7f90f67ca000), m)).toBe(
      'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|21<<MAP_HUGE_SHIFT, -1, 0) = 0x7f90f67ca000',
    );
  });
});

describe('mprotect, munmap, mremap, madvise, brk', () => {
  it('mprotect', () => {
    expect(line(event('mprotect', [0x10008000, 4096, 1], 0), m)).toBe('mprotect(0x10008000, 4096, PROT_READ)   = 0');
    expect(line(event('mprotect', [0x10008000, 4096, 0], 0), m)).toBe('mprotect(0x10008000, 4096, PROT_NONE)   = 0');
    expect(line(event('mprotect', [0x10008000, 4096, 0x1000017], 0, 22), m)).toBe(
      'mprotect(0x10008000, 4096, PROT_READ|PROT_WRITE|PROT_EXEC|PROT_GROWSDOWN|0x10) = -1 EINVAL (Invalid argument)',
    );
  });

  it('munmap', () => {
    expect(line(event('munmap', [0x20000000, 4096], 0), m)).toBe('munmap(0x20000000, 4096)                = 0');
    expect(line(event('munmap', [0x20000001, 4096], 0, 22), m)).toBe(
      'munmap(0x20000001, 4096)                = -1 EINVAL (Invalid argument)',
    );
  });

  it('mremap shows new_address only with MREMAP_MAYMOVE|MREMAP_FIXED', () => {
    expect(line(event('mremap', [0x30000000, 8192, 16384, 1], 0x30000000), m)).toBe(
      'mremap(0x30000000, 8192, 16384, MREMAP_MAYMOVE) = 0x30000000',
    );
    expect(line(event('mremap', [0x30000000, 4096, 4096, 3, 0x31000000], 0x31000000), m)).toBe(
      'mremap(0x30000000, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED, 0x31000000) = 0x31000000',
    );
    expect(line(event('mremap', [0x31000000, 4096, 8192, 0], 0x31000000), m)).toBe(
      'mremap(0x31000000, 4096, 8192, 0)       = 0x31000000',
    );
    expect(line(event('mremap', [0x31000000, 4096, 8192, 0x10], 0, 22), m)).toBe(
      'mremap(0x31000000, 4096, 8192, 0x10 /* MREMAP_??? */) = -1 EINVAL (Invalid argument)',
    );
  });

  it('madvise', () => {
    expect(line(event('madvise', [B, 4096, 4], 0), m)).toBe('madvise(0x10000000, 4096, MADV_DONTNEED) = 0');
    expect(line(event('madvise', [B, 4096, 14], 0), m)).toBe('madvise(0x10000000, 4096, MADV_HUGEPAGE) = 0');
    expect(line(event('madvise', [B, 4096, 77], 0, 22), m)).toBe(
      'madvise(0x10000000, 4096, 0x4d /* MADV_??? */) = -1 EINVAL (Invalid argument)',
    );
  });

  it('brk returns hex', () => {
    expect(line(event('brk', [0], 0x56069bd66000), m)).toBe('brk(NULL)                               = 0x56069bd66000');
    expect(line(event('brk', [0x1234000], 0x56069bd66000), m)).toBe('brk(0x1234000)                          = 0x56069bd66000');
    expect(line(event('brk', [0xcc4cd00], 0xcc4cd00), m)).toBe('brk(0xcc4cd00)                          = 0xcc4cd00');
  });
});
