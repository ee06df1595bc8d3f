// Deterministic file metadata (virtual st_dev/st_ino and times), directory listings through
// getdents64, and the emulated device nodes, called directly on a program-less process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Clock, VIRTUAL_EPOCH_NS } from '../../src/emulator/kernel/clock.js';
import { Errno } from '../../src/emulator/kernel/errno.js';
import type { StatInfo } from '../../src/emulator/kernel/files.js';
import { FileMetadata, fileKey, hostRunStartNs, makedev } from '../../src/emulator/kernel/metadata.js';
import { SeededRandom } from '../../src/emulator/kernel/random.js';
import { IO_SYSCALLS as IO } from '../../src/emulator/kernel/syscalls/io.js';
import { NAME_SYSCALLS as N } from '../../src/emulator/kernel/syscalls/names.js';
import { PATH_SYSCALLS as P } from '../../src/emulator/kernel/syscalls/paths.js';
import type { Process } from '../../src/emulator/kernel/process.js';
import { call, SCRATCH, testProcess, u64 } from '../support/kernel.js';

const SEC = 1_000_000_000n;
const AT_FDCWD = -100;
const O_RDONLY = 0;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;
const O_WRONLY = 1;
const O_DIRECTORY = 0o200000;
const PATH = SCRATCH;
const BUF = SCRATCH + 0x1000;
const STAT = SCRATCH + 0x8000;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-meta-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function hostStat(fields: Partial<StatInfo>): StatInfo {
  return {
    dev: 2049n,
    ino: 1234567n,
    mode: 0o100644,
    nlink: 1n,
    uid: 0,
    gid: 0,
    rdev: 0n,
    size: 5000n,
    blksize: 512n,
    blocks: 16n,
    atimeNs: 1_600_000_000n * SEC,
    mtimeNs: 1_500_000_000n * SEC,
    ctimeNs: 1_500_000_100n * SEC,
    ...fields,
  };
}

describe('FileMetadata', () => {
  it("shows emtrace's user and group as the guest's, and other owners as they are", () => {
    const ids = { hostUid: 0, hostGid: 0, uid: 1000, gid: 100 };
    const m = new FileMetadata(new Clock({ icount: 0 }), ids);
    expect(m.view(hostStat({ uid: 0, gid: 0 }))).toMatchObject({ uid: 1000, gid: 100 });
    expect(m.view(hostStat({ ino: 7n, uid: 33, gid: 0 }))).toMatchObject({ uid: 33, gid: 100 });
  });

  it('gives pipes and sockets the run\'s start as their times, however old the host says they are', () => {
    const m = new FileMetadata(new Clock({ icount: 0 }), undefined, 1_700_000_000n * SEC);
    for (const mode of [0o010600, 0o140777]) {
      const v = m.view(hostStat({ mode, ino: BigInt(mode) }));
      expect([v.atimeNs, v.mtimeNs, v.ctimeNs]).toEqual([VIRTUAL_EPOCH_NS, VIRTUAL_EPOCH_NS, VIRTUAL_EPOCH_NS]);
    }
  });

  it('renumbers devices as makedev(0, 0x20 + n) and inodes from 2 per device, by first appearance', () => {
    const m = new FileMetadata(new Clock({ icount: 0 }));
    expect(m.virtualDev(66306n)).toBe(makedev(0, 0x20));
    expect(m.virtualIno(66306n, 999n)).toBe(2n);
    expect(m.virtualIno(66306n, 5n)).toBe(3n);
    expect(m.virtualIno(66306n, 999n)).toBe(2n);
    expect(m.virtualIno(12n, 999n)).toBe(2n);
    expect(m.virtualDev(12n)).toBe(makedev(0, 0x21));
    expect(m.virtualDev(66306n)).toBe(makedev(0, 0x20));
    expect(makedev(0, 0x20)).toBe(0x20n);
    expect(makedev(1, 9)).toBe(0x109n);
    expect(makedev(0, 0x120)).toBe(0x100020n);
  });

  it('keeps the mtime of files older than the run, and reports ctime and atime as that mtime', () => {
    const start = 1_700_000_000n * SEC;
    const m = new FileMetadata(new Clock({ icount: 0 }), undefined, start);
    const v = m.view(hostStat({}));
    expect(v.mtimeNs).toBe(1_500_000_000n * SEC);
    // The host ctime (1_500_000_100 s) is no input: anyone's chmod moves it.
    expect(v.ctimeNs).toBe(1_500_000_000n * SEC);
    expect(v.atimeNs).toBe(1_500_000_000n * SEC);
    expect(v.blocks).toBe(16n);
    expect(v.blksize).toBe(4096n);
    expect([v.mode, v.nlink, v.size, v.rdev]).toEqual([0o100644, 1n, 5000n, 0n]);
  });

  it('times at or after the run\'s start become the virtual start, or the time the guest set', () => {
    const start = 1_700_000_000n * SEC;
    const cpu = { icount: 0 };
    const clock = new Clock(cpu);
    const m = new FileMetadata(clock, undefined, start);
    const changed = hostStat({ mtimeNs: start + 5n, ctimeNs: start + 5n, atimeNs: start });
    let v = m.view(changed);
    expect([v.atimeNs, v.mtimeNs, v.ctimeNs]).toEqual([VIRTUAL_EPOCH_NS, VIRTUAL_EPOCH_NS, VIRTUAL_EPOCH_NS]);
    expect(v.blocks).toBe(16n); // 8 * ceil(5000 / 4096)
    const key = fileKey(changed.dev, changed.ino);
    cpu.icount = 1000;
    m.created(key);
    cpu.icount = 2000;
    m.modified(key);
    cpu.icount = 3000;
    m.accessed(key);
    cpu.icount = 4000;
    m.changed(key);
    v = m.view(changed);
    expect([v.atimeNs, v.mtimeNs, v.ctimeNs]).toEqual([VIRTUAL_EPOCH_NS + 3000n, VIRTUAL_EPOCH_NS + 2000n, VIRTUAL_EPOCH_NS + 4000n]);
    // Blocks follow the size of a changed file, whatever the host allocated.
    expect(m.view(hostStat({ size: 1n, blocks: 999n, mtimeNs: start })).blocks).toBe(8n);
    expect(m.view(hostStat({ size: 0n, blocks: 999n, mtimeNs: start })).blocks).toBe(0n);
  });

  it('the threshold is the run\'s start rounded down to the second, less a second', () => {
    expect(hostRunStartNs(1_700_000_000_999)).toBe(1_699_999_999n * SEC);
  });
});

function putPath(p: Process, s: string): number {
  p.mem.writeBytes(PATH, Buffer.from(s + '\0'));
  return PATH;
}

function open(p: Process, file: string, flags: number, mode = 0o644): number {
  return call(p, P.openat, AT_FDCWD, putPath(p, file), flags, mode);
}

interface Dirent {
  ino: bigint;
  off: bigint;
  type: number;
  name: string;
}

function parseDirents(p: Process, addr: number, len: number): Dirent[] {
  const b = Buffer.from(p.mem.readBytes(addr, len));
  const out: Dirent[] = [];
  for (let k = 0; k < len; ) {
    const reclen = b.readUInt16LE(k + 16);
    const nameEnd = b.indexOf(0, k + 19);
    out.push({ ino: b.readBigUInt64LE(k), off: b.readBigInt64LE(k + 8), type: b[k + 18], name: b.toString('utf8', k + 19, nameEnd) });
    k += reclen;
  }
  return out;
}

describe('getdents64', () => {
  const dir = path.join(scratch, 'listing');
  fs.mkdirSync(dir);
  for (const name of ['zeta', 'alpha', 'mid', 'Beta', 'sub']) {
    if (name === 'sub') fs.mkdirSync(path.join(dir, name));
    else fs.writeFileSync(path.join(dir, name), name);
  }

  it('lists `.` and `..` first, then the names sorted, with virtual inodes and index cookies', () => {
    const p = testProcess();
    const fd = open(p, dir, O_RDONLY | O_DIRECTORY);
    expect(fd).toBe(0);
    const n = call(p, IO.getdents64, fd, BUF, 4096);
    expect(n).toBeGreaterThan(0);
    const entries = parseDirents(p, BUF, n);
    expect(entries.map((e) => e.name)).toEqual(['.', '..', 'Beta', 'alpha', 'mid', 'sub', 'zeta']);
    expect(entries.map((e) => e.off)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    expect(entries.map((e) => e.type)).toEqual([4, 4, 8, 8, 8, 4, 8]);
    // Inode numbers are the virtual ones stat reports.
    expect(call(p, P.newfstatat, AT_FDCWD, putPath(p, path.join(dir, 'mid')), STAT, 0)).toBe(0);
    expect(u64(p, STAT + 8)).toBe(entries[4].ino);
    expect(call(p, P.fstat, fd, STAT)).toBe(0);
    expect(u64(p, STAT + 8)).toBe(entries[0].ino);
    expect(new Set(entries.map((e) => e.ino)).size).toBe(7);
    // The end, then a rewind.
    expect(call(p, IO.getdents64, fd, BUF, 4096)).toBe(0);
    expect(call(p, IO.lseek, fd, 0, 0)).toBe(0);
    expect(call(p, IO.getdents64, fd, BUF, 4096)).toBe(n);
  });

  it('fills only whole entries, continues from a cookie, and needs room for one entry', () => {
    const p = testProcess();
    const fd = open(p, dir, O_RDONLY);
    expect(call(p, IO.getdents64, fd, BUF, 23)).toBe(-Errno.EINVAL); // `.` needs 24 bytes
    expect(call(p, IO.getdents64, fd, BUF, 60)).toBe(48);
    expect(parseDirents(p, BUF, 48).map((e) => e.name)).toEqual(['.', '..']);
    expect(call(p, IO.getdents64, fd, BUF, 23)).toBe(-Errno.EINVAL); // `Beta` needs 24
    expect(parseDirents(p, BUF, call(p, IO.getdents64, fd, BUF, 24)).map((e) => e.name)).toEqual(['Beta']);
    expect(call(p, IO.getdents64, fd, BUF, 31)).toBe(-Errno.EINVAL); // `alpha` needs 32
    expect(parseDirents(p, BUF, call(p, IO.getdents64, fd, BUF, 55)).map((e) => e.name)).toEqual(['alpha']);
    // seekdir to a cookie: entry 5 is `sub`.
    expect(call(p, IO.lseek, fd, 5, 0)).toBe(5);
    expect(parseDirents(p, BUF, call(p, IO.getdents64, fd, BUF, 4096)).map((e) => e.name)).toEqual(['sub', 'zeta']);
    expect(call(p, IO.lseek, fd, 0, 2)).toBe(-Errno.EINVAL);
    expect(call(p, IO.lseek, fd, -1, 0)).toBe(-Errno.EINVAL);
    expect(call(p, IO.read, fd, BUF, 10)).toBe(-Errno.EISDIR);
  });

  it('ENOTDIR for a file, EBADF for a closed fd', () => {
    const p = testProcess();
    const fd = open(p, path.join(dir, 'mid'), O_RDONLY);
    expect(call(p, IO.getdents64, fd, BUF, 4096)).toBe(-Errno.ENOTDIR);
    expect(call(p, IO.getdents64, 99, BUF, 4096)).toBe(-Errno.EBADF);
  });
});

describe('files the guest changes', () => {
  it('report the virtual times of their creation and last write, the same in two runs', () => {
    const results: bigint[][] = [];
    for (let run = 0; run < 2; run++) {
      const dir = fs.mkdtempSync(path.join(scratch, 'times-'));
      const file = path.join(dir, 'out');
      const p = testProcess({ hostStartNs: hostRunStartNs() });
      p.cpu.icount = 1000;
      const fd = open(p, file, O_WRONLY | O_CREAT | O_TRUNC);
      p.mem.writeBytes(BUF, Buffer.from('hello'));
      p.cpu.icount = 5000;
      expect(call(p, IO.write, fd, BUF, 5)).toBe(5);
      expect(call(p, P.newfstatat, AT_FDCWD, putPath(p, file), STAT, 0)).toBe(0);
      const fields = [0, 8, 48, 56, 64, 72, 80, 88, 96, 104, 112].map((off) => u64(p, STAT + off));
      expect(call(p, P.fstat, fd, STAT)).toBe(0);
      expect([0, 8, 48, 56, 64, 72, 80, 88, 96, 104, 112].map((off) => u64(p, STAT + off))).toEqual(fields);
      // The directory got its new entry at the creation.
      expect(call(p, P.newfstatat, AT_FDCWD, putPath(p, dir), STAT, 0)).toBe(0);
      fields.push(u64(p, STAT + 88), u64(p, STAT + 96));
      results.push(fields);
      fs.rmSync(dir, { recursive: true });
    }
    const [dev, ino, size, blksize, blocks, atime, atimeNs, mtime, mtimeNs, ctime, ctimeNs, dirMtime, dirMtimeNs] = results[0];
    expect(results[1]).toEqual(results[0]);
    expect([size, blksize, blocks]).toEqual([5n, 4096n, 8n]);
    expect(dev).toBe(0x20n);
    expect(ino).toBe(2n);
    expect([atime, atimeNs]).toEqual([1_893_456_000n, 1000n]);
    expect([mtime, mtimeNs, ctime, ctimeNs]).toEqual([1_893_456_000n, 5000n, 1_893_456_000n, 5000n]);
    expect([dirMtime, dirMtimeNs]).toEqual([1_893_456_000n, 1000n]);
  });

  it('unlink changes the directory\'s times', () => {
    const dir = fs.mkdtempSync(path.join(scratch, 'unlink-'));
    fs.writeFileSync(path.join(dir, 'victim'), 'x');
    const p = testProcess({ hostStartNs: hostRunStartNs() });
    p.cpu.icount = 777;
    expect(call(p, N.unlink, putPath(p, path.join(dir, 'victim')))).toBe(0);
    expect(call(p, P.newfstatat, AT_FDCWD, putPath(p, dir), STAT, 0)).toBe(0);
    expect([u64(p, STAT + 88), u64(p, STAT + 96), u64(p, STAT + 112)]).toEqual([1_893_456_000n, 777n, 777n]);
  });
});

describe('emulated device nodes', () => {
  it('/dev/urandom and /dev/random read the process\'s seeded stream', () => {
    const p = testProcess();
    const expected = new SeededRandom('0').bytes(48);
    const fd = open(p, '/dev/urandom', O_RDONLY);
    expect(call(p, IO.read, fd, BUF, 16)).toBe(16);
    expect(p.mem.readBytes(BUF, 16)).toEqual(expected.subarray(0, 16));
    const fd2 = open(p, '/dev//random', O_RDONLY);
    expect(call(p, IO.read, fd2, BUF, 32)).toBe(32);
    expect(p.mem.readBytes(BUF, 32)).toEqual(expected.subarray(16, 48));
    expect(call(p, IO.write, fd, BUF, 4)).toBe(-Errno.EBADF);
  });

  it.each([
    ['/dev/null', 3],
    ['/dev/zero', 5],
    ['/dev/random', 8],
    ['/dev/urandom', 9],
  ])('%s: a character device 1,%i, mode 0666, in fstat and stat', (file, minor) => {
    const p = testProcess();
    const fd = open(p, file, O_RDWR);
    expect(call(p, P.fstat, fd, STAT)).toBe(0);
    const mode = Number(u64(p, STAT + 24) & 0xffffffffn);
    expect(mode).toBe(0o020666);
    expect(u64(p, STAT + 40)).toBe(makedev(1, minor));
    const viaFd = p.mem.readBytes(STAT, 144);
    expect(call(p, P.stat, putPath(p, file), STAT)).toBe(0);
    expect(p.mem.readBytes(STAT, 144)).toEqual(viaFd);
  });

  it('/dev/null swallows writes and reads nothing; /dev/zero reads zeros', () => {
    const p = testProcess();
    const nul = open(p, '/dev/null', O_RDWR);
    expect(call(p, IO.write, nul, BUF, 100)).toBe(100);
    expect(call(p, IO.read, nul, BUF, 100)).toBe(0);
    const zero = open(p, '/dev/zero', O_RDONLY);
    p.mem.writeBytes(BUF, new Uint8Array(64).fill(0xff));
    expect(call(p, IO.read, zero, BUF, 64)).toBe(64);
    expect(p.mem.readBytes(BUF, 64)).toEqual(new Uint8Array(64));
    expect(open(p, '/dev/null', O_RDONLY | O_DIRECTORY)).toBe(-Errno.ENOTDIR);
  });
});
