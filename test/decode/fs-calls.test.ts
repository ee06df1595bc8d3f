// The file syscalls the kernel's file-system part added decoders for. Every expected line was
// printed by strace 6.1 on x86-64 (TZ=UTC) for a C program making the same call; the struct
// contents are what the kernel returned there.

import { describe, expect, it } from 'vitest';
import { B, Bytes, event, FakeMemory, line } from './helpers.js';

const P = '/tmp/chk2/fifo\0';

describe('statfs, fstatfs', () => {
  it('prints the whole struct with the file system and mount flag names', () => {
    const proc = new Bytes(120).u64(0, 0x9fa0).u64(8, 4096).u32(56, 0x15).u64(64, 255).u64(72, 4096).u64(80, 0x1020).b;
    const m = new FakeMemory().put(B, '/proc\0').put(B + 0x100, proc);
    expect(line(event('statfs', [B, B + 0x100], 0), m)).toBe(
      'statfs("/proc", {f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, f_ffree=0, f_fsid={val=[0x15, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}) = 0',
    );
    const tmpfs = new Bytes(120)
      .u64(0, 0x01021994)
      .u64(8, 4096)
      .u64(16, 3083631)
      .u64(24, 3083631)
      .u64(32, 3083631)
      .u64(40, 3083631)
      .u64(48, 3083517)
      .u32(56, 0x6528cab4)
      .u32(60, 0x79be3e92)
      .u64(64, 255)
      .u64(72, 4096)
      .u64(80, 0x1020).b;
    expect(line(event('fstatfs', [1, B + 0x200], 0), new FakeMemory().put(B + 0x200, tmpfs))).toBe(
      'fstatfs(1, {f_type=TMPFS_MAGIC, f_bsize=4096, f_blocks=3083631, f_bfree=3083631, f_bavail=3083631, f_files=3083631, f_ffree=3083517, f_fsid={val=[0x6528cab4, 0x79be3e92]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}) = 0',
    );
  });
});

describe('mknodat, getdents, utimensat, utimes', () => {
  const m = new FakeMemory().put(B, P).put(B + 0x100, '/tmp/chk2/dev\0');

  it('mknodat: the type and mode, and the device of a device node', () => {
    expect(line(event('mknodat', [-100, B, 0o10600, 0], 0), m)).toBe('mknodat(AT_FDCWD, "/tmp/chk2/fifo", S_IFIFO|0600) = 0');
    expect(line(event('mknodat', [-100, B + 0x100, 0o20600, 0x103], 0), m)).toBe(
      'mknodat(AT_FDCWD, "/tmp/chk2/dev", S_IFCHR|0600, makedev(0x1, 0x3)) = 0',
    );
  });

  it('getdents: the entries counted over d_reclen', () => {
    const dirents = new Bytes(48).u16(16, 24).u16(40, 24).b;
    expect(line(event('getdents', [3, B + 0x1000, 4096], 48), new FakeMemory().put(B + 0x1000, dirents))).toBe(
      'getdents(3, 0x10001000 /* 2 entries */, 4096) = 48',
    );
  });

  it('utimensat and utimes: the times with their dates as comments', () => {
    const ts = new Bytes(32).u64(0, 1000000000).b;
    const mm = new FakeMemory().put(B, P).put(B + 0x200, ts);
    expect(line(event('utimensat', [-100, B, B + 0x200, 0], 0), mm)).toBe(
      'utimensat(AT_FDCWD, "/tmp/chk2/fifo", [{tv_sec=1000000000, tv_nsec=0} /* 2001-09-09T01:46:40+0000 */, {tv_sec=0, tv_nsec=0}], 0) = 0',
    );
    const tv = new Bytes(32).u64(0, 1000000000).u64(8, 5).b;
    expect(line(event('utimes', [B, B + 0x300], 0), mm.put(B + 0x300, tv))).toBe(
      'utimes("/tmp/chk2/fifo", [{tv_sec=1000000000, tv_usec=5} /* 2001-09-09T01:46:40.000005+0000 */, {tv_sec=0, tv_usec=0}]) = 0',
    );
    const special = new Bytes(32).u64(8, 0x3ffffffe).u64(24, 0x3fffffff).b;
    expect(line(event('utimensat', [6, 0, B + 0x400, 0], 0), mm.put(B + 0x400, special))).toBe('utimensat(6, NULL, [UTIME_OMIT, UTIME_NOW], 0) = 0');
  });
});

describe('poll, select, sendfile', () => {
  it('poll: the events at entry, the ready ones as the result comment; 0 is a timeout', () => {
    const entry = new FakeMemory().put(B, new Bytes(16).i32(0, 12).u16(4, 1).i32(8, -1).u16(12, 1).b);
    const exit = new FakeMemory().put(B, new Bytes(16).i32(0, 12).u16(4, 1).u16(6, 0x41).i32(8, -1).u16(12, 1).b);
    expect(line(event('poll', [B, 2, 0], 1), entry, exit)).toBe('poll([{fd=12, events=POLLIN}, {fd=-1}], 2, 0) = 1 ([{fd=12, revents=POLLIN|POLLRDNORM}])');
    expect(line(event('poll', [B, 2, 10], 0), entry, entry)).toBe('poll([{fd=12, events=POLLIN}, {fd=-1}], 2, 10) = 0 (Timeout)');
  });

  it('select: the sets at entry; which were ready and the time left as the comment', () => {
    const set = (fds: number[]) => {
      const b = new Bytes(8);
      for (const fd of fds) b.u8(fd >> 3, (b.b[fd >> 3] | (1 << (fd & 7))) & 0xff);
      return b.b;
    };
    const tv = new Bytes(16).u64(8, 20000).b;
    const entry = new FakeMemory().put(B, set([3, 12])).put(B + 0x100, set([13])).put(B + 0x200, tv);
    const exit = new FakeMemory().put(B, set([3])).put(B + 0x100, set([13])).put(B + 0x200, new Bytes(16).u64(8, 19990).b);
    expect(line(event('select', [14, B, B + 0x100, 0, B + 0x200], 2), entry, exit)).toBe(
      'select(14, [3 12], [13], NULL, {tv_sec=0, tv_usec=20000}) = 2 (in [3], out [13], left {tv_sec=0, tv_usec=19990})',
    );
  });

  it('sendfile: the offset before and after', () => {
    const entry = new FakeMemory().put(B, new Bytes(8).u64(0, 10).b);
    const exit = new FakeMemory().put(B, new Bytes(8).u64(0, 14).b);
    expect(line(event('sendfile', [7, 5, B, 4], 4), entry, exit)).toBe('sendfile(7, 5, [10] => [14], 4)         = 4');
    expect(line(event('sendfile', [7, 5, 0, 5], 5), entry, exit)).toBe('sendfile(7, 5, NULL, 5)                 = 5');
  });
});
