// read/write family. Every expected line below was printed by strace 6.1 on x86-64 for a C
// program making the same call with the same bytes (buffers mapped at 0x10000000).

import { describe, expect, it } from 'vitest';
import { B, Bytes, event, FakeMemory, line } from './helpers.js';

describe('write', () => {
  it('prints the data, aligned at column 40', () => {
    const m = new FakeMemory().put(B, 'hello world\n');
    expect(line(event('write', [1, B, 12], 12), m)).toBe('write(1, "hello world\\n", 12)           = 12');
  });

  it('escapes like strace: \\t \\n \\v \\f \\r \\" \\\\, octal, 3 digits before an octal digit', () => {
    const data = 'a\tb\nc\vd\fe\rf"g\\h\x01i\x012\x7fj\x80k\xff\x001';
    const m = new FakeMemory().put(B + 0x100, data);
    expect(line(event('write', [1, B + 0x100, 26], 26), m)).toBe(
      'write(1, "a\\tb\\nc\\vd\\fe\\rf\\"g\\\\h\\1i\\0012\\177j\\200k\\377\\0001", 26) = 26',
    );
  });

  it('octal escapes take 3 digits only before an octal digit (not before 8 or 9)', () => {
    const m = new FakeMemory().put(B, '\x018\x029\x03\x00').put(B + 0x10, 'abc\x01');
    expect(line(event('write', [1, B, 5], 5), m)).toBe('write(1, "\\18\\29\\3", 5)                 = 5');
    expect(line(event('write', [1, B + 0x10, 4], 4), m)).toBe('write(1, "abc\\1", 4)                    = 4');
  });

  it('cuts at 32 bytes (-s) with ... after the quote, only when longer', () => {
    const m = new FakeMemory().put(B + 0x200, 'x'.repeat(40));
    const x32 = '"' + 'x'.repeat(32) + '"';
    expect(line(event('write', [1, B + 0x200, 40], 40), m)).toBe(`write(1, ${x32}..., 40) = 40`);
    expect(line(event('write', [1, B + 0x200, 32], 32), m)).toBe(`write(1, ${x32}, 32) = 32`);
    expect(line(event('write', [1, B + 0x200, 33], 33), m)).toBe(`write(1, ${x32}..., 33) = 33`);
  });

  it('honours -s', () => {
    const m = new FakeMemory().put(B, 'hello world\n');
    expect(line(event('write', [1, B, 12], 12), m, m, { stringLimit: 5 })).toBe(
      'write(1, "hello"..., 12)                = 12',
    );
  });

  it('NULL, unreadable address, failure, empty', () => {
    const m = new FakeMemory().put(B, 'hello world\n');
    expect(line(event('write', [1, 0, 5], 5), m)).toBe('write(1, NULL, 5)                       = 5');
    expect(line(event('write', [1, 0x1234, 5], 5), m)).toBe('write(1, 0x1234, 5)                     = 5');
    expect(line(event('write', [99, B, 12], 0, 9), m)).toBe(
      'write(99, "hello world\\n", 12)          = -1 EBADF (Bad file descriptor)',
    );
    expect(line(event('write', [1, B, 0], 0), m)).toBe('write(1, "", 0)                         = 0');
  });

  it('only reads the bytes it shows: a short mapping still prints the prefix', () => {
    // 33 readable bytes are enough for a 1234-byte write (strace reads -s + 1).
    const m = new FakeMemory().put(B + 0x1000, 'abcdefghij'.repeat(4).slice(0, 33));
    expect(line(event('write', [3, B + 0x1000, 1234], 1234), m)).toBe(
      'write(3, "abcdefghijabcdefghijabcdefghijab"..., 1234) = 1234',
    );
  });
});

describe('read', () => {
  const file = 'abcdefghij'.repeat(124).slice(0, 1234);

  it('prints what was read, at exit', () => {
    const before = new FakeMemory().put(B + 0x2000, new Uint8Array(100));
    const after = new FakeMemory().put(B + 0x2000, file.slice(0, 100));
    expect(line(event('read', [3, B + 0x2000, 10], 10), before, after)).toBe(
      'read(3, "abcdefghij", 10)               = 10',
    );
    expect(line(event('read', [3, B + 0x2000, 100], 100), before, after)).toBe(
      'read(3, "abcdefghijabcdefghijabcdefghijab"..., 100) = 100',
    );
  });

  it('EOF and failures', () => {
    const m = new FakeMemory().put(B + 0x2000, new Uint8Array(100));
    expect(line(event('read', [3, B + 0x2000, 100], 0), m)).toBe('read(3, "", 100)                        = 0');
    expect(line(event('read', [99, B + 0x2000, 100], 0, 9), m)).toBe(
      'read(99, 0x10002000, 100)               = -1 EBADF (Bad file descriptor)',
    );
  });

  it('an ELF header as ld.so reads it', () => {
    const elf = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0, 1, 0, 0, 0, 0x10, 0x74, 2, 0, 0, 0, 0, 0, 0x40];
    const m = new FakeMemory().put(0x7ffc0000, elf);
    expect(line(event('read', [3, 0x7ffc0000, 832], 832), m)).toBe(
      'read(3, "\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0\\20t\\2\\0\\0\\0\\0\\0"..., 832) = 832',
    );
  });
});

describe('pread64 / pwrite64 / lseek / close', () => {
  it('pread64 and pwrite64', () => {
    const m = new FakeMemory().put(B + 0x2000, 'hijab').put(B, 'hello');
    expect(line(event('pread64', [3, B + 0x2000, 5, 7], 5), m)).toBe('pread64(3, "hijab", 5, 7)               = 5');
    expect(line(event('pread64', [9, B + 0x2000, 5, 2000], 0), m)).toBe('pread64(9, "", 5, 2000)                 = 0');
    expect(line(event('pwrite64', [9, B, 5, 100], 5), m)).toBe('pwrite64(9, "hello", 5, 100)            = 5');
  });

  it('lseek: signed offsets, whence names, unknown whence', () => {
    const m = new FakeMemory();
    expect(line(event('lseek', [3, 0, 2], 1234), m)).toBe('lseek(3, 0, SEEK_END)                   = 1234');
    expect(line(event('lseek', [3, 4294967293, 1], 4294968527), m)).toBe(
      'lseek(3, 4294967293, SEEK_CUR)          = 4294968527',
    );
    expect(line(event('lseek', [3, 5, 3], 5), m)).toBe('lseek(3, 5, SEEK_DATA)                  = 5');
    expect(line(event('lseek', [3, 5, 4], 1234), m)).toBe('lseek(3, 5, SEEK_HOLE)                  = 1234');
    expect(line(event('lseek', [3, 5, 7], 0, 22), m)).toBe(
      'lseek(3, 5, 0x7 /* SEEK_??? */)         = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('lseek', [3, -3, 1], 1231), m)).toBe('lseek(3, -3, SEEK_CUR)                  = 1231');
    expect(line(event('lseek', [3, -6, 2], 1228), m)).toBe('lseek(3, -6, SEEK_END)                  = 1228');
  });

  it('close', () => {
    const m = new FakeMemory();
    expect(line(event('close', [3], 0), m)).toBe('close(3)                                = 0');
    expect(line(event('close', [99], 0, 9), m)).toBe('close(99)                               = -1 EBADF (Bad file descriptor)');
  });
});

describe('writev / readv', () => {
  function iovecs(m: FakeMemory, at: number, list: [number, number][]): void {
    const b = new Bytes(16 * list.length);
    list.forEach(([base, len], k) => b.u64(16 * k, base).u64(16 * k + 8, len));
    m.put(at, b.b);
  }

  it('writev shows each buffer, each cut at -s', () => {
    const m = new FakeMemory().put(B, 'hello world\n').put(B + 0x200, 'x'.repeat(40));
    iovecs(m, B + 0x400, [[B, 11], [B + 11, 1]]);
    expect(line(event('writev', [1, B + 0x400, 2], 12), m)).toBe(
      'writev(1, [{iov_base="hello world", iov_len=11}, {iov_base="\\n", iov_len=1}], 2) = 12',
    );
    const m2 = new FakeMemory().put(B, 'hello world\n').put(B + 0x200, 'x'.repeat(40));
    iovecs(m2, B + 0x400, [[B + 0x200, 40], [B + 11, 1]]);
    expect(line(event('writev', [1, B + 0x400, 2], 41), m2)).toBe(
      'writev(1, [{iov_base="' + 'x'.repeat(32) + '"..., iov_len=40}, {iov_base="\\n", iov_len=1}], 2) = 41',
    );
    expect(line(event('writev', [1, B + 0x400, 0], 0), m2)).toBe('writev(1, [], 0)                        = 0');
    expect(line(event('writev', [1, 0x1234, 2], 0, 14), m2)).toBe(
      'writev(1, 0x1234, 2)                    = -1 EFAULT (Bad address)',
    );
  });

  it('writev shows at most 32 elements', () => {
    const m = new FakeMemory().put(B, 'h');
    iovecs(m, B + 0x400, Array.from({ length: 40 }, (): [number, number] => [B, 1]));
    const one = '{iov_base="h", iov_len=1}';
    expect(line(event('writev', [1, B + 0x400, 40], 40), m)).toBe(
      'writev(1, [' + Array(32).fill(one).join(', ') + ', ...], 40) = 40',
    );
  });

  it('readv shows only the bytes returned, only on success', () => {
    const m = new FakeMemory().put(B + 0x2000, 'abcd').put(B + 0x2100, 'efghijab');
    iovecs(m, B + 0x400, [[B + 0x2000, 4], [B + 0x2100, 8]]);
    expect(line(event('readv', [9, B + 0x400, 2], 12), m)).toBe(
      'readv(9, [{iov_base="abcd", iov_len=4}, {iov_base="efghijab", iov_len=8}], 2) = 12',
    );
    expect(line(event('readv', [9, B + 0x400, 2], 0), m)).toBe(
      'readv(9, [{iov_base="", iov_len=4}, {iov_base="", iov_len=8}], 2) = 0',
    );
    expect(line(event('readv', [99, B + 0x400, 2], 0, 9), m)).toBe(
      'readv(99, [{iov_base=0x10002000, iov_len=4}, {iov_base=0x10002100, iov_len=8}], 2) = -1 EBADF (Bad file descriptor)',
    );
    // A short read: the 6 bytes returned are split across the buffers.
    const short = new FakeMemory().put(B + 0x2000, 'ijab').put(B + 0x2100, 'cdghijab');
    iovecs(short, B + 0x400, [[B + 0x2000, 4], [B + 0x2100, 8]]);
    expect(line(event('readv', [3, B + 0x400, 2], 6), short)).toBe(
      'readv(3, [{iov_base="ijab", iov_len=4}, {iov_base="cd", iov_len=8}], 2) = 6',
    );
  });
});
