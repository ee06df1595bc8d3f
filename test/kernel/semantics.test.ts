// Linux's rules for what the guest programs cannot easily show natively: path resolution limits
// and openat2's RESOLVE_* flags, pipes that could only block forever in one process (EDEADLK and
// a diagnostic), poll and select timeouts on the virtual clock, record locks, times set to the
// virtual "now", statx, permissions of a guest that is not root, and the calls refused outright.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { VIRTUAL_EPOCH_NS } from '../../src/emulator/kernel/clock.js';
import type { SyscallHandler } from '../../src/emulator/kernel/context.js';
import { Errno } from '../../src/emulator/kernel/errno.js';
import type { Process } from '../../src/emulator/kernel/process.js';
import { ATTR_SYSCALLS } from '../../src/emulator/kernel/syscalls/attrs.js';
import { DESCRIPTOR_SYSCALLS } from '../../src/emulator/kernel/syscalls/descriptors.js';
import { IO_SYSCALLS } from '../../src/emulator/kernel/syscalls/io.js';
import { NAME_SYSCALLS } from '../../src/emulator/kernel/syscalls/names.js';
import { PATH_SYSCALLS } from '../../src/emulator/kernel/syscalls/paths.js';
import { POLL_SYSCALLS } from '../../src/emulator/kernel/syscalls/poll.js';
import { Vfs } from '../../src/emulator/kernel/vfs.js';
import { call, SCRATCH, testProcess, u64 } from '../support/kernel.js';

const K: Record<string, SyscallHandler> = { ...IO_SYSCALLS, ...DESCRIPTOR_SYSCALLS, ...PATH_SYSCALLS, ...NAME_SYSCALLS, ...ATTR_SYSCALLS, ...POLL_SYSCALLS };
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-semantics-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const AT_FDCWD = -100;
const O_RDONLY = 0;
const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_NONBLOCK = 0o4000;
const O_DIRECTORY = 0o200000;
const O_NOFOLLOW = 0o400000;
const O_PATH = 0o10000000;
const AT_EMPTY_PATH = 0x1000;
const STR = SCRATCH;
const STR2 = SCRATCH + 0x1000;
const BUF = SCRATCH + 0x2000;
const BUF2 = SCRATCH + 0x3000;

/** Writes a NUL-terminated string into guest memory. */
function str(p: Process, text: string, at = STR): number {
  p.mem.writeBytes(at, Buffer.from(text + '\0'));
  return at;
}

function i32(p: Process, addr: number): number {
  const b = p.mem.readBytes(addr, 4);
  return new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
}

let trees = 0;
let diagnostics: string[] = [];

/** A process whose / is a fresh tree: /f (a file), /d/sub, /l -> f. */
function proc(options: { root?: boolean } = {}): { p: Process; root: string } {
  const root = path.join(base, `t${trees++}`);
  fs.mkdirSync(path.join(root, 'd/sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'f'), 'hello\n');
  fs.symlinkSync('f', path.join(root, 'l'));
  const p = testProcess({ cwd: options.root === false ? root : '/' });
  if (options.root !== false) p.vfs = new Vfs(root);
  p.diagnose = (message) => diagnostics.push(message);
  return { p, root };
}

beforeEach(() => {
  diagnostics = [];
});

describe('path resolution', () => {
  it('follows at most 40 links in one path (ELOOP after)', () => {
    const { p, root } = proc();
    for (let k = 1; k <= 41; k++) fs.symlinkSync(k === 1 ? 'f' : `c${k - 1}`, path.join(root, `c${k}`));
    expect(call(p, K.open, str(p, '/c40'), O_RDONLY)).toBeGreaterThanOrEqual(0);
    expect(call(p, K.open, str(p, '/c41'), O_RDONLY)).toBe(-Errno.ELOOP);
    expect(call(p, K.lstat, str(p, '/c41'), BUF)).toBe(0);
  });

  it('keeps .. at the root, and reports ENOTDIR for a file used as a directory', () => {
    const { p } = proc();
    expect(call(p, K.stat, str(p, '/../../../d/../f'), BUF)).toBe(0);
    expect(call(p, K.stat, str(p, '/f/x'), BUF)).toBe(-Errno.ENOTDIR);
    expect(call(p, K.stat, str(p, '/f/'), BUF)).toBe(-Errno.ENOTDIR);
    expect(call(p, K.stat, str(p, '/d/sub/'), BUF)).toBe(0);
    expect(call(p, K.open, str(p, '/l'), O_RDONLY | O_NOFOLLOW)).toBe(-Errno.ELOOP);
    expect(call(p, K.open, str(p, ''), O_RDONLY)).toBe(-Errno.ENOENT);
    expect(call(p, K.stat, str(p, 'x'.repeat(256)), BUF)).toBe(-Errno.ENAMETOOLONG);
    expect(call(p, K.stat, str(p, '/' + 'a/'.repeat(2100)), BUF)).toBe(-Errno.ENAMETOOLONG);
  });

  it('resolves relative to a directory fd, AT_EMPTY_PATH names the fd itself', () => {
    const { p } = proc();
    const dir = call(p, K.open, str(p, '/d'), O_RDONLY | O_DIRECTORY);
    const file = call(p, K.open, str(p, '/f'), O_RDONLY);
    expect(call(p, K.newfstatat, dir, str(p, 'sub'), BUF, 0)).toBe(0);
    expect(call(p, K.newfstatat, file, str(p, 'sub'), BUF, 0)).toBe(-Errno.ENOTDIR);
    expect(call(p, K.newfstatat, 99, str(p, 'sub'), BUF, 0)).toBe(-Errno.EBADF);
    expect(call(p, K.newfstatat, 99, str(p, '/f'), BUF, 0)).toBe(0);
    expect(call(p, K.newfstatat, file, str(p, ''), BUF, AT_EMPTY_PATH)).toBe(0);
    expect(call(p, K.newfstatat, file, str(p, ''), BUF, 0)).toBe(-Errno.ENOENT);
    const opath = call(p, K.open, str(p, '/l'), O_PATH | O_NOFOLLOW);
    expect(call(p, K.read, opath, BUF, 1)).toBe(-Errno.EBADF);
    expect(call(p, K.readlinkat, opath, str(p, ''), BUF, 64)).toBe(1);
  });

  it('openat2: RESOLVE_BENEATH, RESOLVE_IN_ROOT, RESOLVE_NO_SYMLINKS, RESOLVE_NO_MAGICLINKS', () => {
    const { p, root } = proc();
    fs.symlinkSync('/f', path.join(root, 'd/abs'));
    const dir = call(p, K.open, str(p, '/d'), O_RDONLY | O_DIRECTORY);
    const how = (flags: number, resolve: number) => {
      const b = new DataView(new ArrayBuffer(24));
      b.setBigUint64(0, BigInt(flags), true);
      b.setBigUint64(16, BigInt(resolve), true);
      p.mem.writeBytes(BUF, new Uint8Array(b.buffer));
      return BUF;
    };
    expect(call(p, K.openat2, dir, str(p, 'sub'), how(O_RDONLY, 0x08), 24)).toBeGreaterThanOrEqual(0);
    expect(call(p, K.openat2, dir, str(p, '../f'), how(O_RDONLY, 0x08), 24)).toBe(-Errno.EXDEV);
    expect(call(p, K.openat2, dir, str(p, '/f'), how(O_RDONLY, 0x08), 24)).toBe(-Errno.EXDEV);
    expect(call(p, K.openat2, dir, str(p, 'abs'), how(O_RDONLY, 0x08), 24)).toBe(-Errno.EXDEV);
    // IN_ROOT: dir is the root of the walk, so /f is /d/f, which does not exist.
    expect(call(p, K.openat2, dir, str(p, 'abs'), how(O_RDONLY, 0x10), 24)).toBe(-Errno.ENOENT);
    expect(call(p, K.openat2, dir, str(p, '../../sub'), how(O_RDONLY, 0x10), 24)).toBeGreaterThanOrEqual(0);
    expect(call(p, K.openat2, AT_FDCWD, str(p, '/l'), how(O_RDONLY, 0x04), 24)).toBe(-Errno.ELOOP);
    const file = call(p, K.open, str(p, '/f'), O_RDONLY);
    expect(call(p, K.openat2, AT_FDCWD, str(p, `/proc/self/fd/${file}`), how(O_RDONLY, 0x02), 24)).toBe(-Errno.ELOOP);
    expect(call(p, K.openat2, AT_FDCWD, str(p, `/proc/self/fd/${file}`), how(O_RDONLY, 0), 24)).toBeGreaterThanOrEqual(0);
    expect(call(p, K.openat2, AT_FDCWD, str(p, '/f'), how(O_RDONLY, 0x18), 24)).toBe(-Errno.EINVAL);
    expect(call(p, K.openat2, AT_FDCWD, str(p, '/f'), how(O_RDONLY, 0x40), 24)).toBe(-Errno.EINVAL);
    expect(call(p, K.openat2, AT_FDCWD, str(p, '/f'), how(O_RDONLY, 0), 16)).toBe(-Errno.EINVAL);
    expect(call(p, K.openat2, AT_FDCWD, str(p, '/f'), how(O_RDONLY, 0), 5000)).toBe(-Errno.E2BIG);
  });

  it('reopens through /proc/self/fd: a deleted file stays reachable, a pipe end gives the same pipe', () => {
    const { p } = proc();
    const file = call(p, K.open, str(p, '/f'), O_RDWR);
    expect(call(p, K.unlink, str(p, '/f'))).toBe(0);
    const again = call(p, K.open, str(p, `/proc/self/fd/${file}`), O_RDONLY);
    expect(call(p, K.read, again, BUF, 100)).toBe(6);
    expect(call(p, K.pipe, BUF)).toBe(0);
    const [r, w] = [i32(p, BUF), i32(p, BUF + 4)];
    const w2 = call(p, K.open, str(p, `/proc/self/fd/${w}`), O_WRONLY);
    expect(call(p, K.write, w2, str(p, 'xyz', STR2), 3)).toBe(3);
    expect(call(p, K.read, r, BUF2, 10)).toBe(3);
    expect(call(p, K.readlink, str(p, `/proc/self/fd/${r}`), BUF, 64)).toBe(Buffer.byteLength(`pipe:[2]`));
  });

  it('a guest that is not root meets the permissions of the files it sees as its own', () => {
    const { p, root } = proc({ root: false });
    fs.writeFileSync(path.join(root, 'locked'), 'x');
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    fs.mkdirSync(path.join(root, 'closed'));
    fs.writeFileSync(path.join(root, 'closed/inner'), 'x');
    fs.chmodSync(path.join(root, 'closed'), 0o600);
    expect(call(p, K.open, str(p, 'locked'), O_RDONLY)).toBe(-Errno.EACCES);
    expect(call(p, K.access, str(p, 'locked'), 4)).toBe(-Errno.EACCES);
    expect(call(p, K.stat, str(p, 'closed/inner'), BUF)).toBe(-Errno.EACCES);
    expect(call(p, K.chdir, str(p, 'closed'))).toBe(-Errno.EACCES);
    // Not root: no chown to another user.
    expect(call(p, K.chown, str(p, 'f'), 4242, -1)).toBe(-Errno.EPERM);
    expect(call(p, K.chown, str(p, 'f'), -1, -1)).toBe(0);
  });
});

describe('pipes in one process', () => {
  function pipe(p: Process, flags = 0): [number, number] {
    expect(call(p, K.pipe2, BUF, flags)).toBe(0);
    return [i32(p, BUF), i32(p, BUF + 4)];
  }

  it('an empty pipe with its write end open: EAGAIN when non-blocking, else EDEADLK and one diagnostic', () => {
    const { p } = proc();
    const [r, w] = pipe(p);
    expect(call(p, K.read, r, BUF, 10)).toBe(-Errno.EDEADLK);
    expect(call(p, K.read, r, BUF, 10)).toBe(-Errno.EDEADLK);
    expect(diagnostics).toEqual(['read on pipe:[2] would block forever (nothing in this process can end the wait): the guest gets EDEADLK']);
    const [r2] = pipe(p, O_NONBLOCK);
    expect(call(p, K.read, r2, BUF, 10)).toBe(-Errno.EAGAIN);
    expect(call(p, K.close, w)).toBe(0);
    expect(call(p, K.read, r, BUF, 10)).toBe(0);
  });

  it('holds 64 KiB: a blocking write writes what fits, then would block forever', () => {
    const { p } = proc();
    const [r, w] = pipe(p);
    p.mem.map(0x100000, 0x20000, 3);
    expect(call(p, K.write, w, 0x100000, 70000)).toBe(65536);
    expect(call(p, K.write, w, 0x100000, 10)).toBe(-Errno.EDEADLK);
    expect(call(p, K.ioctl, r, 0x541b, BUF)).toBe(0);
    expect(i32(p, BUF)).toBe(65536);
    expect(call(p, K.fcntl, w, 1031, 1000)).toBe(-Errno.EBUSY);
    expect(call(p, K.read, r, 0x100000, 70000)).toBe(65536);
    expect(call(p, K.fcntl, w, 1031, 5000)).toBe(8192);
    expect(call(p, K.fcntl, r, 1032)).toBe(8192);
    expect(call(p, K.close, r)).toBe(0);
    expect(call(p, K.write, w, 0x100000, 1)).toBe(-Errno.EPIPE);
  });

  it('stats as a FIFO owned by the guest', () => {
    const { p } = proc();
    const [r] = pipe(p);
    expect(call(p, K.fstat, r, BUF)).toBe(0);
    expect(i32(p, BUF + 24)).toBe(0o010600);
    expect(i32(p, BUF + 28)).toBe(1000);
  });
});

describe('waiting', () => {
  it('poll and select on nothing that can become ready: the timeout on the virtual clock, or EDEADLK', () => {
    const { p } = proc();
    expect(call(p, K.pipe, BUF)).toBe(0);
    const r = i32(p, BUF);
    const pollfd = new DataView(new ArrayBuffer(8));
    pollfd.setInt32(0, r, true);
    pollfd.setInt16(4, 1, true);
    p.mem.writeBytes(BUF2, new Uint8Array(pollfd.buffer));
    const before = p.clock.realtimeNs();
    expect(call(p, K.poll, BUF2, 1, 2500)).toBe(0);
    expect(p.clock.realtimeNs() - before).toBeGreaterThanOrEqual(2_500_000_000n);
    expect(call(p, K.poll, BUF2, 1, -1)).toBe(-Errno.EDEADLK);
    expect(diagnostics).toEqual(['poll would block forever (nothing in this process can end the wait): the guest gets EDEADLK']);
    // select: 1.5 s, none of it left afterwards.
    p.mem.writeBytes(BUF, new Uint8Array(8).fill(0));
    p.mem.writeBytes(BUF, new Uint8Array([1 << r]));
    const tv = new DataView(new ArrayBuffer(16));
    tv.setBigInt64(0, 1n, true);
    tv.setBigInt64(8, 500000n, true);
    p.mem.writeBytes(STR2, new Uint8Array(tv.buffer));
    expect(call(p, K.select, r + 1, BUF, 0, 0, STR2)).toBe(0);
    expect(u64(p, STR2)).toBe(0n);
    expect(u64(p, STR2 + 8)).toBe(0n);
    // A closed fd in a poll set is POLLNVAL; in a select set, EBADF.
    pollfd.setInt32(0, 77, true);
    p.mem.writeBytes(BUF2, new Uint8Array(pollfd.buffer));
    expect(call(p, K.poll, BUF2, 1, 0)).toBe(1);
    expect(i32(p, BUF2 + 4) >>> 16).toBe(0x20);
    p.mem.writeBytes(BUF, new Uint8Array(16).fill(0xff));
    expect(call(p, K.select, 100, BUF, 0, 0, 0)).toBe(-Errno.EBADF);
  });
});

describe('record locks', () => {
  function flock(p: Process, type: number, start: number, len: number): number {
    const b = new DataView(new ArrayBuffer(32));
    b.setInt16(0, type, true);
    b.setBigInt64(8, BigInt(start), true);
    b.setBigInt64(16, BigInt(len), true);
    p.mem.writeBytes(BUF, new Uint8Array(b.buffer));
    return BUF;
  }

  it("F_SETLKW against the process's own OFD lock would wait forever: EDEADLK", () => {
    const { p } = proc();
    const a = call(p, K.open, str(p, '/f'), O_RDWR);
    const b = call(p, K.open, str(p, '/f'), O_RDWR);
    expect(call(p, K.fcntl, a, 37, flock(p, 1, 0, 50))).toBe(0); // F_OFD_SETLK write
    expect(call(p, K.fcntl, b, 7, flock(p, 0, 0, 10))).toBe(-Errno.EDEADLK); // F_SETLKW read
    expect(diagnostics[0]).toMatch(/^fcntl\(\d+, F_SETLKW\) on \/f would block forever/);
    // POSIX locks of one process never conflict with each other; they merge.
    expect(call(p, K.fcntl, b, 6, flock(p, 1, 100, 10))).toBe(0);
    expect(call(p, K.fcntl, b, 6, flock(p, 1, 110, 10))).toBe(0);
    expect(call(p, K.fcntl, a, 36, flock(p, 1, 105, 1))).toBe(0); // F_OFD_GETLK from the other description
    expect(i32(p, BUF) & 0xffff).toBe(1);
    // The OFD lock goes with the description's last fd.
    expect(call(p, K.close, a)).toBe(0);
    expect(call(p, K.fcntl, b, 5, flock(p, 1, 0, 0))).toBe(0);
    expect(i32(p, BUF) & 0xffff).toBe(2);
  });
});

describe('times, statx and refusals', () => {
  it('UTIME_NOW is the virtual clock, and stat agrees; explicit times are exact', () => {
    const { p } = proc();
    const times = new DataView(new ArrayBuffer(32));
    times.setBigInt64(8, 0x3fffffffn, true); // atime: now
    times.setBigInt64(16, 1234567890n, true);
    times.setBigInt64(24, 987654321n, true);
    p.mem.writeBytes(BUF2, new Uint8Array(times.buffer));
    p.clock.sleep(5_000_000_123n);
    expect(call(p, K.utimensat, AT_FDCWD, str(p, '/f'), BUF2, 0)).toBe(0);
    expect(call(p, K.stat, str(p, '/f'), BUF)).toBe(0);
    expect([u64(p, BUF + 72), u64(p, BUF + 80)]).toEqual([VIRTUAL_EPOCH_NS / 1_000_000_000n + 5n, 123n]);
    expect([u64(p, BUF + 88), u64(p, BUF + 96)]).toEqual([1234567890n, 987654321n]);
  });

  it('statx: basic stats, the mount id, a birth time when asked (the creation time of a new file)', () => {
    const { p } = proc();
    const fd = call(p, K.open, str(p, '/new'), O_CREAT | O_WRONLY, 0o600);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(call(p, K.statx, AT_FDCWD, str(p, '/new'), 0, 0xfff, BUF)).toBe(0);
    expect(i32(p, BUF) & 0x1fff).toBe(0x1fff);
    const btime = u64(p, BUF + 80);
    expect(btime).toBe(VIRTUAL_EPOCH_NS / 1_000_000_000n);
    expect(call(p, K.statx, AT_FDCWD, str(p, '/new'), 0, 0x7ff, BUF)).toBe(0);
    expect(i32(p, BUF) & 0x800).toBe(0);
    expect(call(p, K.statx, AT_FDCWD, str(p, '/proc/self/status'), 0, 0xfff, BUF)).toBe(0);
    expect(i32(p, BUF) & 0x800).toBe(0);
  });

  it('refuses what it does not emulate with the Linux errors', () => {
    const { p } = proc();
    const fd = call(p, K.open, str(p, '/f'), O_RDWR);
    expect(call(p, K.renameat2, AT_FDCWD, str(p, '/f'), AT_FDCWD, str(p, '/g', STR2), 4)).toBe(-Errno.EINVAL);
    expect(call(p, K.fallocate, fd, 0x03, 0, 10)).toBe(-Errno.EOPNOTSUPP);
    expect(call(p, K.fcntl, fd, 1033, 1)).toBe(-Errno.EINVAL);
    expect(call(p, K.ioctl, fd, 0x5401, BUF)).toBe(-Errno.ENOTTY);
    expect(call(p, K.open, str(p, '/dev/tty-none'), O_RDONLY)).toBe(-Errno.ENOENT);
    expect(call(p, K.mknod, str(p, '/sock'), 0o140644, 0)).toBe(-Errno.EPERM);
  });

  it('RENAME_EXCHANGE swaps two names', () => {
    const { p, root } = proc();
    fs.writeFileSync(path.join(root, 'g'), 'gee');
    expect(call(p, K.renameat2, AT_FDCWD, str(p, '/f'), AT_FDCWD, str(p, '/g', STR2), 2)).toBe(0);
    expect(fs.readFileSync(path.join(root, 'f'), 'utf8')).toBe('gee');
    expect(fs.readFileSync(path.join(root, 'g'), 'utf8')).toBe('hello\n');
    expect(fs.readdirSync(root).sort()).toEqual(['d', 'f', 'g', 'l']);
  });
});
