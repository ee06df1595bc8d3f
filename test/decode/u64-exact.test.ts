// 64-bit values print exactly: pointers and flags at or above 2^53 (strace's own tests pass
// 0xffffffffffffffff and 0x8786858483828180 as invalid pointers). Expected lines: strace 6.1.

import { describe, expect, it } from 'vitest';
import type { SyscallEvent } from '../../src/trace/event.js';
import { B, Bytes, event, FakeMemory, line as padded } from './helpers.js';

/** The line without strace's padding of short calls to column 40. */
const line = (ev: SyscallEvent, m: FakeMemory): string => padded(ev, m).replace(/\) +=/, ') =');

const ALL = 0xffffffffffffffffn;
const BAD = 0x8786858483828180n;

describe('pointers at or above 2^53', () => {
  it('ptr argument', () => {
    const m = new FakeMemory();
    expect(line(event('munmap', [ALL, 4096], 0, 22), m)).toBe('munmap(0xffffffffffffffff, 4096) = -1 EINVAL (Invalid argument)');
    expect(line(event('munmap', [BAD, 4096], 0, 22), m)).toBe('munmap(0x8786858483828180, 4096) = -1 EINVAL (Invalid argument)');
  });

  it('path, buffer and struct arguments', () => {
    const m = new FakeMemory();
    expect(line(event('execveat', [-100, BAD, ALL, ALL, 0], 0, 14), m)).toBe(
      'execveat(AT_FDCWD, 0x8786858483828180, 0xffffffffffffffff, 0xffffffffffffffff, 0) = -1 EFAULT (Bad address)',
    );
    expect(line(event('write', [1, BAD, 10], 0, 14), m)).toBe('write(1, 0x8786858483828180, 10) = -1 EFAULT (Bad address)');
    expect(line(event('read', [0, ALL, 10], 0, 14), m)).toBe('read(0, 0xffffffffffffffff, 10) = -1 EFAULT (Bad address)');
    expect(line(event('fstat', [0, BAD], 0, 14), m)).toBe('fstat(0, 0x8786858483828180) = -1 EFAULT (Bad address)');
  });

  it('iovec base read from guest memory', () => {
    const m = new FakeMemory();
    const v = new Bytes(32).u64(0, BAD).u64(8, 4096).u64(16, ALL).u64(24, 1);
    m.put(B, v.b);
    expect(line(event('process_madvise', [0, B, 2, 20, 0], 0, 22), m)).toBe(
      'process_madvise(0, [{iov_base=0x8786858483828180, iov_len=4096}, {iov_base=0xffffffffffffffff, iov_len=1}], 2, MADV_COLD, 0) = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('writev', [1, B, 2], 0, 14), m)).toBe(
      'writev(1, [{iov_base=0x8786858483828180, iov_len=4096}, {iov_base=0xffffffffffffffff, iov_len=1}], 2) = -1 EFAULT (Bad address)',
    );
  });
});

describe('flags at or above 2^53', () => {
  it('unshare keeps the low bits', () => {
    const m = new FakeMemory();
    expect(line(event('unshare', [0xbadc0ded0000000fn], 0, 22), m)).toBe(
      'unshare(0xbadc0ded0000000f /* CLONE_??? */) = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('unshare', [0xbadc0ded00000200n], 0, 22), m)).toBe(
      'unshare(CLONE_FS|0xbadc0ded00000000) = -1 EINVAL (Invalid argument)',
    );
  });

  it('clone flags with the exit signal', () => {
    const m = new FakeMemory();
    expect(line(event('clone', [0xbadc0ded00000011n, 0, 0, 0, 0], 0, 22), m)).toBe(
      'clone(child_stack=NULL, flags=0xbadc0ded00000000 /* CLONE_??? */|SIGCHLD) = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('clone', [0xbadc0ded00000111n, 0, 0, 0, 0], 0, 22), m)).toBe(
      'clone(child_stack=NULL, flags=CLONE_VM|0xbadc0ded00000000|SIGCHLD) = -1 EINVAL (Invalid argument)',
    );
  });

  it('pkey_alloc access rights', () => {
    const m = new FakeMemory();
    expect(line(event('pkey_alloc', [0, 0xbadc0ded00000003n], 0, 22), m)).toBe(
      'pkey_alloc(0, PKEY_DISABLE_ACCESS|PKEY_DISABLE_WRITE|0xbadc0ded00000000) = -1 EINVAL (Invalid argument)',
    );
  });
});
