// File syscalls. Every expected line was printed by strace 6.1 on x86-64 for a C program making
// the same call (buffers at 0x10000000; struct contents set to what the kernel returned there).

import { describe, expect, it } from 'vitest';
import { B, Bytes, event, FakeMemory, line } from './helpers.js';

const F1 = '/tmp/oracle/f1\0';

/** struct stat with a mode, a size and a device number. */
function stat(mode: number, size: number, rdev = 0): Uint8Array {
  return new Bytes(144).u32(24, mode).u64(40, rdev).u64(48, size).b;
}

describe('open / openat', () => {
  const m = new FakeMemory().put(B + 0x300, F1).put(B + 0x500, '/nonexistent\0').put(B + 0x600, 'x\0');

  it('flags, mode, AT_FDCWD', () => {
    expect(line(event('openat', [-100, B + 0x300, 0o1101, 0o644], 3), m)).toBe(
      'openat(AT_FDCWD, "/tmp/oracle/f1", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3',
    );
    expect(line(event('open', [B + 0x300, 0], 3), m)).toBe('open("/tmp/oracle/f1", O_RDONLY)        = 3');
    expect(line(event('open', [B + 0x500, 0], 0, 2), m)).toBe(
      'open("/nonexistent", O_RDONLY)          = -1 ENOENT (No such file or directory)',
    );
  });

  it('flag order, unknown bits, O_ACCMODE, O_TMPFILE, FASYNC', () => {
    // O_RDWR|O_APPEND|O_NONBLOCK|O_CLOEXEC|O_NOFOLLOW|O_DSYNC
    expect(line(event('open', [B + 0x300, 0o2416002], 3), m)).toBe(
      'open("/tmp/oracle/f1", O_RDWR|O_APPEND|O_NONBLOCK|O_DSYNC|O_NOFOLLOW|O_CLOEXEC) = 3',
    );
    expect(line(event('open', [B + 0x300, 0x40000000], 4), m)).toBe('open("/tmp/oracle/f1", O_RDONLY|0x40000000) = 4');
    expect(line(event('open', [B + 0x300, 0o4050001], 5), m)).toBe('open("/tmp/oracle/f1", O_WRONLY|O_SYNC|O_DIRECT) = 5');
    expect(line(event('open', [B + 0x300, 0o10000000], 6), m)).toBe('open("/tmp/oracle/f1", O_RDONLY|O_PATH) = 6');
    expect(line(event('open', [B + 0x300, 3], 7), m)).toBe('open("/tmp/oracle/f1", O_ACCMODE)       = 7');
    expect(line(event('open', [B + 0x300, 0o20200002, 0o600], 0, 20), m)).toBe(
      'open("/tmp/oracle/f1", O_RDWR|O_TMPFILE, 0600) = -1 ENOTDIR (Not a directory)',
    );
    // O_DIRECTORY|O_NOCTTY|O_NOATIME|O_ASYNC
    expect(line(event('openat', [3, B + 0x600, 0o1220400], 0, 20), m)).toBe(
      'openat(3, "x", O_RDONLY|O_NOCTTY|O_NOATIME|O_DIRECTORY|FASYNC) = -1 ENOTDIR (Not a directory)',
    );
    expect(line(event('openat', [-100, B + 0x600, 0o300, 0o4755], 8), m)).toBe(
      'openat(AT_FDCWD, "x", O_RDONLY|O_CREAT|O_EXCL, 04755) = 8',
    );
    expect(line(event('openat', [-5, B + 0x600, 0], 0, 9), m)).toBe(
      'openat(-5, "x", O_RDONLY)               = -1 EBADF (Bad file descriptor)',
    );
    expect(line(event('openat', [-100, 0, 0], 0, 14), m)).toBe(
      'openat(AT_FDCWD, NULL, O_RDONLY)        = -1 EFAULT (Bad address)',
    );
    expect(line(event('openat', [-100, 0x1234, 0], 0, 14), m)).toBe(
      'openat(AT_FDCWD, 0x1234, O_RDONLY)      = -1 EFAULT (Bad address)',
    );
  });

  it('O_LARGEFILE is shown when set (glibc on x86-64 does not set it; the kernel reports it)', () => {
    expect(line(event('open', [B + 0x300, 0o100000], 3), m)).toBe('open("/tmp/oracle/f1", O_RDONLY|O_LARGEFILE) = 3');
    expect(line(event('openat', [-100, B + 0x300, 0o100102, 0], 4), m)).toBe(
      'openat(AT_FDCWD, "/tmp/oracle/f1", O_RDWR|O_CREAT|O_LARGEFILE, 000) = 4',
    );
    expect(line(event('fcntl', [10, 3], 0x8001), m)).toBe(
      'fcntl(10, F_GETFL)                      = 0x8001 (flags O_WRONLY|O_LARGEFILE)',
    );
  });

  it('paths are not cut by -s', () => {
    const long = '/' + 'd'.repeat(60) + '\0';
    const m2 = new FakeMemory().put(B, long);
    expect(line(event('open', [B, 0], 3), m2)).toBe('open("/' + 'd'.repeat(60) + '", O_RDONLY) = 3');
  });
});

describe('stat family', () => {
  const m = new FakeMemory()
    .put(B + 0x300, F1)
    .put(B + 0x500, '/dev/null\0')
    .put(B + 0x520, '/tmp\0')
    .put(B + 0x540, '/nonexist\0')
    .put(B + 0x560, '\0')
    .put(B + 0x580, '/dev/tty\0');
  const reg = new FakeMemory().put(B + 0x1000, stat(0o100644, 1234));

  it('regular files: mode and size', () => {
    const both = new FakeMemory().put(B + 0x300, F1).put(B + 0x1000, stat(0o100644, 1234));
    expect(line(event('stat', [B + 0x300, B + 0x1000], 0), m, both)).toBe(
      'stat("/tmp/oracle/f1", {st_mode=S_IFREG|0644, st_size=1234, ...}) = 0',
    );
    expect(line(event('lstat', [B + 0x300, B + 0x1000], 0), m, both)).toBe(
      'lstat("/tmp/oracle/f1", {st_mode=S_IFREG|0644, st_size=1234, ...}) = 0',
    );
    expect(line(event('fstat', [3, B + 0x1000], 0), m, reg)).toBe(
      'fstat(3, {st_mode=S_IFREG|0644, st_size=1234, ...}) = 0',
    );
  });

  it('devices show st_rdev, directories S_ISVTX, links', () => {
    const dev = new FakeMemory().put(B + 0x1000, stat(0o20666, 0, 0x103));
    expect(line(event('stat', [B + 0x500, B + 0x1000], 0), m, dev)).toBe(
      'stat("/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0',
    );
    const tty = new FakeMemory().put(B + 0x1000, stat(0o20666, 0, 0x500));
    expect(line(event('newfstatat', [-100, B + 0x580, B + 0x1000, 0], 0), m, tty)).toBe(
      'newfstatat(AT_FDCWD, "/dev/tty", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x5, 0), ...}, 0) = 0',
    );
    const dir = new FakeMemory().put(B + 0x1000, stat(0o41777, 4096));
    expect(line(event('stat', [B + 0x520, B + 0x1000], 0), m, dir)).toBe(
      'stat("/tmp", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}) = 0',
    );
    const lnk = new FakeMemory().put(B + 0x1000, stat(0o120777, 0));
    expect(line(event('lstat', [B + 0x580, B + 0x1000], 0), m, lnk)).toMatch(/\{st_mode=S_IFLNK\|0777, st_size=0, \.\.\.\}/);
  });

  it('failures print the address; NULL buffers print NULL', () => {
    expect(line(event('stat', [B + 0x540, B + 0x1000], 0, 2), m, reg)).toBe(
      'stat("/nonexist", 0x10001000)           = -1 ENOENT (No such file or directory)',
    );
    expect(line(event('stat', [B + 0x300, 0], 0, 14), m)).toBe(
      'stat("/tmp/oracle/f1", NULL)            = -1 EFAULT (Bad address)',
    );
    expect(line(event('fstat', [99, B + 0x1000], 0, 9), m, reg)).toBe(
      'fstat(99, 0x10001000)                   = -1 EBADF (Bad file descriptor)',
    );
  });

  it('newfstatat: AT_EMPTY_PATH, flags 0, unknown flag bits', () => {
    const both = new FakeMemory().put(B + 0x560, '\0').put(B + 0x300, F1).put(B + 0x1000, stat(0o100644, 1234));
    expect(line(event('newfstatat', [3, B + 0x560, B + 0x1000, 0x1000], 0), m, both)).toBe(
      'newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=1234, ...}, AT_EMPTY_PATH) = 0',
    );
    expect(line(event('newfstatat', [-100, B + 0x300, B + 0x1000, 0], 0), m, both)).toBe(
      'newfstatat(AT_FDCWD, "/tmp/oracle/f1", {st_mode=S_IFREG|0644, st_size=1234, ...}, 0) = 0',
    );
    expect(line(event('newfstatat', [-100, B + 0x300, B + 0x1000, 0x10900], 0, 22), m, both)).toBe(
      'newfstatat(AT_FDCWD, "/tmp/oracle/f1", 0x10001000, AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT|0x10000) = -1 EINVAL (Invalid argument)',
    );
  });

  it('the stat buffer is read at exit, not at entry', () => {
    const before = new FakeMemory().put(B + 0x300, F1).put(B + 0x1000, stat(0o20666, 0, 0x103));
    const after = new FakeMemory().put(B + 0x1000, stat(0o100644, 1234));
    expect(line(event('stat', [B + 0x300, B + 0x1000], 0), before, after)).toBe(
      'stat("/tmp/oracle/f1", {st_mode=S_IFREG|0644, st_size=1234, ...}) = 0',
    );
  });
});

describe('statx', () => {
  const m = new FakeMemory().put(B + 0x300, F1).put(B + 0x540, '/nonexist\0').put(B + 0x560, '\0');
  const sx = (mask: number, mode: number, size: number): FakeMemory =>
    new FakeMemory().put(B + 0x3000, new Bytes(256).u32(0, mask).u16(28, mode).u64(40, size).b);

  it('abbreviated like strace', () => {
    expect(line(event('statx', [-100, B + 0x300, 0, 0xfff, B + 0x3000], 0), m, sx(0x1fff, 0o100644, 1234))).toBe(
      'statx(AT_FDCWD, "/tmp/oracle/f1", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_ALL|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1234, ...}) = 0',
    );
    expect(line(event('statx', [-100, B + 0x300, 0x100, 0x201, B + 0x3000], 0), m, sx(0x173f, 0o100644, 1234))).toBe(
      'statx(AT_FDCWD, "/tmp/oracle/f1", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW, STATX_TYPE|STATX_SIZE, {stx_mask=STATX_TYPE|STATX_MODE|STATX_NLINK|STATX_UID|STATX_GID|STATX_ATIME|STATX_INO|STATX_SIZE|STATX_BLOCKS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1234, ...}) = 0',
    );
    expect(line(event('statx', [-100, B + 0x540, 0, 0x7ff, B + 0x3000], 0, 2), m)).toBe(
      'statx(AT_FDCWD, "/nonexist", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, 0x10003000) = -1 ENOENT (No such file or directory)',
    );
    expect(line(event('statx', [0, B + 0x560, 0x1000, 2, B + 0x3000], 0), m, sx(0x17ff, 0o20666, 0))).toBe(
      'statx(0, "", AT_STATX_SYNC_AS_STAT|AT_EMPTY_PATH, STATX_MODE, {stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFCHR|0666, stx_size=0, ...}) = 0',
    );
  });
});

describe('access, faccessat, chdir, getcwd, mkdir, unlink', () => {
  const m = new FakeMemory()
    .put(B, '/etc/passwd\0')
    .put(B + 0x40, '/tmp\0')
    .put(B + 0x60, '/nonexist\0')
    .put(B + 0x80, '/tmp/oracle/dd\0')
    .put(B + 0xa0, '/tmp/oracle/dd2\0')
    .put(B + 0xc0, '/tmp/oracle/x\0');

  it('access modes', () => {
    expect(line(event('access', [B, 4], 0), m)).toBe('access("/etc/passwd", R_OK)             = 0');
    expect(line(event('access', [B, 0], 0), m)).toBe('access("/etc/passwd", F_OK)             = 0');
    expect(line(event('access', [B, 7], 0, 13), m)).toBe(
      'access("/etc/passwd", R_OK|W_OK|X_OK)   = -1 EACCES (Permission denied)',
    );
    expect(line(event('access', [B, 0x10], 0, 22), m)).toBe(
      'access("/etc/passwd", 0x10 /* ?_OK */)  = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('access', [B, 0x18], 0, 22), m)).toBe(
      'access("/etc/passwd", 0x18 /* ?_OK */)  = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('faccessat', [-100, B, 2], 0), m)).toBe('faccessat(AT_FDCWD, "/etc/passwd", W_OK) = 0');
    expect(line(event('faccessat2', [-100, B, 2, 0x200], 0), m)).toBe(
      'faccessat2(AT_FDCWD, "/etc/passwd", W_OK, AT_EACCESS) = 0',
    );
  });

  it('getcwd prints the path on success only', () => {
    const cwd = new FakeMemory().put(B + 0x100, '/tmp/oracle\0');
    expect(line(event('getcwd', [B + 0x100, 200], 12), m, cwd)).toBe('getcwd("/tmp/oracle", 200)              = 12');
    expect(line(event('getcwd', [B + 0x100, 2], 0, 34), m, cwd)).toBe(
      'getcwd(0x10000100, 2)                   = -1 ERANGE (Numerical result out of range)',
    );
  });

  it('chdir, mkdir, mkdirat, unlink, unlinkat, rmdir (generic-free)', () => {
    expect(line(event('chdir', [B + 0x40], 0), m)).toBe('chdir("/tmp")                           = 0');
    expect(line(event('chdir', [B + 0x60], 0, 2), m)).toBe(
      'chdir("/nonexist")                      = -1 ENOENT (No such file or directory)',
    );
    expect(line(event('mkdir', [B + 0x80, 0o755], 0), m)).toBe('mkdir("/tmp/oracle/dd", 0755)           = 0');
    expect(line(event('mkdirat', [-100, B + 0x80, 0o700], 0, 17), m)).toBe(
      'mkdirat(AT_FDCWD, "/tmp/oracle/dd", 0700) = -1 EEXIST (File exists)',
    );
    expect(line(event('mkdirat', [-100, B + 0xa0, 0o1777], 0), m)).toBe(
      'mkdirat(AT_FDCWD, "/tmp/oracle/dd2", 01777) = 0',
    );
    expect(line(event('unlinkat', [-100, B + 0xa0, 0x200], 0), m)).toBe(
      'unlinkat(AT_FDCWD, "/tmp/oracle/dd2", AT_REMOVEDIR) = 0',
    );
    expect(line(event('unlinkat', [-100, B + 0x80, 0], 0, 21), m)).toBe(
      'unlinkat(AT_FDCWD, "/tmp/oracle/dd", 0) = -1 EISDIR (Is a directory)',
    );
    expect(line(event('unlink', [B + 0xc0], 0), m)).toBe('unlink("/tmp/oracle/x")                 = 0');
    expect(line(event('mkdir', [B + 0x80, 0], 0), m)).toBe('mkdir("/tmp/oracle/dd", 000)            = 0');
  });

  it('umask prints and returns octal', () => {
    expect(line(event('umask', [0o22], 0o22), m)).toBe('umask(022)                              = 022');
    expect(line(event('umask', [0o777], 0o22), m)).toBe('umask(0777)                             = 022');
    expect(line(event('umask', [0o2], 0o777), m)).toBe('umask(002)                              = 0777');
  });
});

describe('readlink / readlinkat', () => {
  const m = new FakeMemory().put(B, '/proc/self/cwd\0').put(B + 0x100, '\0');
  const out = new FakeMemory().put(B + 0x2000, '/tmp/oracle');

  it('the buffer holds ret bytes, no NUL', () => {
    expect(line(event('readlink', [B, B + 0x2000, 4096], 11), m, out)).toBe(
      'readlink("/proc/self/cwd", "/tmp/oracle", 4096) = 11',
    );
    expect(line(event('readlink', [B, B + 0x2000, 4], 4), m, out)).toBe('readlink("/proc/self/cwd", "/tmp", 4)   = 4');
    expect(line(event('readlink', [B + 0x100, B + 0x2000, 4096], 0, 2), m, out)).toBe(
      'readlink("", 0x10002000, 4096)          = -1 ENOENT (No such file or directory)',
    );
    expect(line(event('readlinkat', [-100, B, B + 0x2000, 4096], 11), m, out)).toBe(
      'readlinkat(AT_FDCWD, "/proc/self/cwd", "/tmp/oracle", 4096) = 11',
    );
    expect(line(event('readlinkat', [3, B + 0x100, B + 0x2000, 100], 0, 2), m, out)).toBe(
      'readlinkat(3, "", 0x10002000, 100)      = -1 ENOENT (No such file or directory)',
    );
  });
});

describe('getdents64', () => {
  function dirent(name: string, off: number): Uint8Array {
    const reclen = (19 + name.length + 1 + 7) & ~7;
    return new Bytes(reclen).u64(0, 1000 + off).u64(8, off).u16(16, reclen).u8(18, 4).str(19, name).b;
  }

  it('counts the entries as strace abbreviates them', () => {
    const ents = ['.', '..', 'aa', 'bbbbbbbb'].map((n, k) => dirent(n, k + 1));
    const buf = new Uint8Array(ents.reduce((s, e) => s + e.length, 0));
    let o = 0;
    for (const e of ents) {
      buf.set(e, o);
      o += e.length;
    }
    expect(buf.length).toBe(104);
    const m = new FakeMemory().put(B + 0x2000, buf);
    expect(line(event('getdents64', [13, B + 0x2000, 4096], 104), m)).toBe(
      'getdents64(13, 0x10002000 /* 4 entries */, 4096) = 104',
    );
    expect(line(event('getdents64', [13, B + 0x2000, 4096], 0), m)).toBe(
      'getdents64(13, 0x10002000 /* 0 entries */, 4096) = 0',
    );
    expect(line(event('getdents64', [99, B + 0x2000, 4096], 0, 9), m)).toBe(
      'getdents64(99, 0x10002000, 4096)        = -1 EBADF (Bad file descriptor)',
    );
  });
});

describe('dup, dup2, dup3, pipe2, fcntl', () => {
  const m = new FakeMemory();

  it('dup family', () => {
    expect(line(event('dup', [1], 3), m)).toBe('dup(1)                                  = 3');
    expect(line(event('dup2', [1, 10], 10), m)).toBe('dup2(1, 10)                             = 10');
    expect(line(event('dup3', [1, 11, 0o2000000], 11), m)).toBe('dup3(1, 11, O_CLOEXEC)                  = 11');
    expect(line(event('dup3', [1, 12, 0], 12), m)).toBe('dup3(1, 12, 0)                          = 12');
    expect(line(event('dup', [99], 0, 9), m)).toBe('dup(99)                                 = -1 EBADF (Bad file descriptor)');
  });

  it('pipe2 prints the fds written', () => {
    const fds = (a: number, b: number): FakeMemory => new FakeMemory().put(B + 0x300, new Bytes(8).i32(0, a).i32(4, b).b);
    expect(line(event('pipe2', [B + 0x300, 0o2000000], 0), m, fds(4, 5))).toBe('pipe2([4, 5], O_CLOEXEC)                = 0');
    expect(line(event('pipe2', [B + 0x300, 0], 0), m, fds(6, 7))).toBe('pipe2([6, 7], 0)                        = 0');
    expect(line(event('pipe2', [B + 0x300, 0o44000], 0), m, fds(8, 9))).toBe(
      'pipe2([8, 9], O_NONBLOCK|O_DIRECT)      = 0',
    );
    expect(line(event('pipe2', [0x1234, 0], 0, 14), m)).toBe('pipe2(0x1234, 0)                        = -1 EFAULT (Bad address)');
  });

  it('fcntl commands, arguments and results', () => {
    expect(line(event('fcntl', [10, 1], 0), m)).toBe('fcntl(10, F_GETFD)                      = 0');
    expect(line(event('fcntl', [11, 1], 1), m)).toBe('fcntl(11, F_GETFD)                      = 0x1 (flags FD_CLOEXEC)');
    expect(line(event('fcntl', [10, 2, 1], 0), m)).toBe('fcntl(10, F_SETFD, FD_CLOEXEC)          = 0');
    expect(line(event('fcntl', [10, 2, 0], 0), m)).toBe('fcntl(10, F_SETFD, 0)                   = 0');
    expect(line(event('fcntl', [10, 4, 0o6000], 0), m)).toBe('fcntl(10, F_SETFL, O_RDONLY|O_APPEND|O_NONBLOCK) = 0');
    expect(line(event('fcntl', [10, 0, 20], 20), m)).toBe('fcntl(10, F_DUPFD, 20)                  = 20');
    expect(line(event('fcntl', [10, 1030, 30], 30), m)).toBe('fcntl(10, F_DUPFD_CLOEXEC, 30)          = 30');
    expect(line(event('fcntl', [10, 1234, 5], 0, 22), m)).toBe(
      'fcntl(10, 0x4d2 /* F_??? */, 0x5)       = -1 EINVAL (Invalid argument)',
    );
    expect(line(event('fcntl', [10, 1032], 0, 9), m)).toBe('fcntl(10, F_GETPIPE_SZ)                 = -1 EBADF (Bad file descriptor)');
    expect(line(event('fcntl', [8, 1032], 65536), m)).toBe('fcntl(8, F_GETPIPE_SZ)                  = 65536');
    expect(line(event('fcntl', [8, 3], 0x800), m)).toBe('fcntl(8, F_GETFL)                       = 0x800 (flags O_RDONLY|O_NONBLOCK)');
    const lk = new FakeMemory().put(B + 0x200, new Uint8Array(32));
    expect(line(event('fcntl', [10, 6, B + 0x200], 0, 9), lk)).toBe(
      'fcntl(10, F_SETLK, {l_type=F_RDLCK, l_whence=SEEK_SET, l_start=0, l_len=0}) = -1 EBADF (Bad file descriptor)',
    );
  });
});
