// Every file syscall called straight through the kernel with random argument registers (small
// numbers, -1, huge values, unmapped pointers, pointers into a read-only page, into writable
// memory holding random bytes or plausible paths), on a process confined to a scratch root: no
// exception escapes, every result is a number or -errno. Then each pointer argument of each call,
// given an unmapped address (or a read-only one where the kernel writes), gives EFAULT.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
import { MemoryFault, PROT_READ } from '../../src/emulator/memory.js';
import { call, putString, rng, SCRATCH, testProcess } from '../support/kernel.js';

const FAMILIES = { ...IO_SYSCALLS, ...DESCRIPTOR_SYSCALLS, ...PATH_SYSCALLS, ...NAME_SYSCALLS, ...ATTR_SYSCALLS, ...POLL_SYSCALLS };
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-fuzz-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** A read-only page (with bytes in it) and addresses nothing is mapped at. */
const READ_ONLY = 0x30000;
const UNMAPPED = 0x50000;
const PATHS = SCRATCH + 0xf000;
const BUF = SCRATCH + 0x1000;

let roots = 0;

/** A process whose / is a fresh scratch tree, with fds of every kind open: 3 a file, 4 a
 *  directory, 5 and 6 a pipe, 7 /dev/null, 8 a /proc file, 9 an O_PATH descriptor, 10 a link. */
function sandboxedProcess(): Process {
  const root = path.join(base, `root${roots++}`);
  fs.mkdirSync(path.join(root, 'd/sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'f'), 'some bytes to read\n'.repeat(10));
  fs.symlinkSync('f', path.join(root, 'l'));
  fs.symlinkSync('l', path.join(root, 'd/l2'));
  const p = testProcess({ cwd: '/' });
  p.vfs = new Vfs(root);
  p.mem.map(READ_ONLY, 0x1000, PROT_READ | 2);
  p.mem.writeBytes(READ_ONLY, Buffer.from('/f\0'));
  p.mem.protect(READ_ONLY, 0x1000, PROT_READ);
  const o = PATH_SYSCALLS;
  // stdin, stdout and stderr: /dev/null.
  for (let fd = 0; fd < 3; fd++) expect(call(p, o.open, putString(p, PATHS, '/dev/null'), 2)).toBe(fd);
  expect(call(p, o.open, putString(p, PATHS, '/f'), 2)).toBe(3);
  expect(call(p, o.open, putString(p, PATHS, '/d'), 0o200000)).toBe(4);
  expect(call(p, DESCRIPTOR_SYSCALLS.pipe, BUF)).toBe(0);
  expect(call(p, o.open, putString(p, PATHS, '/dev/null'), 2)).toBe(7);
  expect(call(p, o.open, putString(p, PATHS, '/proc/self/status'), 0)).toBe(8);
  expect(call(p, o.open, putString(p, PATHS, '/f'), 0o10000000)).toBe(9);
  expect(call(p, o.open, putString(p, PATHS, '/l'), 0o10000000 | 0o400000)).toBe(10);
  return p;
}

const NAMES = ['/f', 'f', 'd', '/d/sub', 'l', 'd/l2', '/dev/null', '/dev/zero', '/proc/self/status', '/proc/self/fd/3', '/proc', '.', '..', 'new', 'd/new', '/f/', 'missing/x', ''];

/** The values an argument register gets: small numbers and flags, -1, AT_FDCWD, huge values,
 *  and pointers of every kind. Sizes stay small or absurd (never gigabytes a file could really
 *  grow to). */
function randomArg(next: () => number): bigint {
  const r = next();
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)];
  if (r < 0.3) return BigInt(pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 100, 255, 256, 4096, 65536]));
  if (r < 0.4) return BigInt(pick([-1, -100, -2, -4096, -(2 ** 31)]));
  if (r < 0.5) return pick([2n ** 63n, 2n ** 64n - 1n, 2n ** 63n + 5n, 0xffff800000000000n]);
  if (r < 0.6) return BigInt(Math.floor(next() * 0x100000000)); // any 32-bit flags
  if (r < 0.7) return BigInt(pick([0x1000, UNMAPPED, 0x7f0000, READ_ONLY, READ_ONLY + 0xffe]));
  if (r < 0.85) return BigInt(PATHS + 0x100 * Math.floor(next() * 8));
  return BigInt(SCRATCH + Math.floor(next() * 0xe000));
}

describe('fuzzing the file syscalls', () => {
  it.each(Object.keys(FAMILIES).sort())('%s: random arguments never throw', (name) => {
    const handler = (FAMILIES as Record<string, SyscallHandler>)[name];
    const next = rng([...name].reduce((h, ch) => h * 31 + ch.charCodeAt(0), Number(process.env.FUZZ_SEED ?? 7)));
    let p = sandboxedProcess();
    for (let k = 0; k < Number(process.env.FUZZ_ROUNDS ?? 150); k++) {
      if (k % 50 === 49) p = sandboxedProcess();
      // Random bytes, then plausible paths, in the writable scratch memory.
      const noise = new Uint8Array(0xe000);
      for (let i = 0; i < noise.length; i += 4) noise[i] = Math.floor(next() * 256);
      p.mem.writeBytes(SCRATCH, noise);
      NAMES.slice(0, 8).forEach((_, slot) => putString(p, PATHS + 0x100 * slot, NAMES[Math.floor(next() * NAMES.length)]));
      const args = Array.from({ length: 6 }, () => randomArg(next));
      let result: number;
      try {
        result = call(p, handler, ...args);
      } catch (e) {
        // The dispatcher turns a guest memory fault into EFAULT; anything else is a bug.
        if (e instanceof MemoryFault) result = -Errno.EFAULT;
        else throw new Error(`${name}(${args.map((a) => '0x' + a.toString(16)).join(', ')}) threw ${(e as Error).stack ?? e}`);
      }
      expect(Number.isInteger(result), `${name} returned ${result}`).toBe(true);
      if (result < 0) expect(result, `${name}(${args.join(', ')})`).toBeGreaterThanOrEqual(-4095);
    }
  });
});

/** Each call with one pointer made bad: [syscall, arguments, index of the bad pointer, what the
 *  pointer is (`in`: the kernel reads it, so unmapped; `out`: it writes, so read-only)]. */
type Case = [string, (p: Process) => (number | bigint)[], number, 'in' | 'out'];

const AT_FDCWD = -100;
const p = (text: string) => (proc: Process) => putString(proc, PATHS, text);
const q = (text: string) => (proc: Process) => putString(proc, PATHS + 0x100, text);

const CASES: Case[] = [
  ['read', () => [3, 0, 10], 1, 'out'],
  ['write', () => [3, 0, 10], 1, 'in'],
  ['pread64', () => [3, 0, 10, 0], 1, 'out'],
  ['pwrite64', () => [3, 0, 10, 0], 1, 'in'],
  ['readv', () => [3, 0, 1], 1, 'in'],
  ['writev', () => [3, 0, 1], 1, 'in'],
  ['preadv', () => [3, 0, 1, 0], 1, 'in'],
  ['pwritev', () => [3, 0, 1, 0], 1, 'in'],
  ['preadv2', () => [3, 0, 1, 0, 0, 0], 1, 'in'],
  ['pwritev2', () => [3, 0, 1, 0, 0, 0], 1, 'in'],
  ['getdents64', () => [4, 0, 4096], 1, 'out'],
  ['getdents', () => [4, 0, 4096], 1, 'out'],
  ['open', () => [0, 0, 0], 0, 'in'],
  ['openat', () => [AT_FDCWD, 0, 0, 0], 1, 'in'],
  ['openat2', (c) => [AT_FDCWD, p('/f')(c), 0, 24], 2, 'in'],
  ['creat', () => [0, 0o644], 0, 'in'],
  ['stat', () => [0, BUF], 0, 'in'],
  ['stat', (c) => [p('/f')(c), 0], 1, 'out'],
  ['lstat', (c) => [p('/l')(c), 0], 1, 'out'],
  ['fstat', () => [3, 0], 1, 'out'],
  ['newfstatat', (c) => [AT_FDCWD, p('/f')(c), 0, 0], 2, 'out'],
  ['statx', (c) => [AT_FDCWD, p('/f')(c), 0, 0x7ff, 0], 4, 'out'],
  ['readlink', () => [0, BUF, 100], 0, 'in'],
  ['readlink', (c) => [p('/l')(c), 0, 100], 1, 'out'],
  ['readlinkat', (c) => [AT_FDCWD, p('/l')(c), 0, 100], 2, 'out'],
  ['access', () => [0, 0], 0, 'in'],
  ['faccessat', () => [AT_FDCWD, 0, 0], 1, 'in'],
  ['faccessat2', () => [AT_FDCWD, 0, 0, 0], 1, 'in'],
  ['getcwd', () => [0, 100], 0, 'out'],
  ['chdir', () => [0], 0, 'in'],
  ['statfs', () => [0, BUF], 0, 'in'],
  ['statfs', (c) => [p('/')(c), 0], 1, 'out'],
  ['fstatfs', () => [3, 0], 1, 'out'],
  ['mkdir', () => [0, 0o755], 0, 'in'],
  ['mkdirat', () => [AT_FDCWD, 0, 0o755], 1, 'in'],
  ['mknod', () => [0, 0o100644, 0], 0, 'in'],
  ['mknodat', () => [AT_FDCWD, 0, 0o100644, 0], 1, 'in'],
  ['rmdir', () => [0], 0, 'in'],
  ['unlink', () => [0], 0, 'in'],
  ['unlinkat', () => [AT_FDCWD, 0, 0], 1, 'in'],
  ['rename', (c) => [0, q('/x')(c)], 0, 'in'],
  ['rename', (c) => [p('/f')(c), 0], 1, 'in'],
  ['renameat', (c) => [AT_FDCWD, p('/f')(c), AT_FDCWD, 0], 3, 'in'],
  ['renameat2', (c) => [AT_FDCWD, 0, AT_FDCWD, q('/x')(c), 0], 1, 'in'],
  ['link', (c) => [0, q('/x')(c)], 0, 'in'],
  ['linkat', (c) => [AT_FDCWD, p('/f')(c), AT_FDCWD, 0, 0], 3, 'in'],
  ['symlink', (c) => [0, q('/x')(c)], 0, 'in'],
  ['symlinkat', (c) => [p('/f')(c), AT_FDCWD, 0], 2, 'in'],
  ['chmod', () => [0, 0o644], 0, 'in'],
  ['fchmodat', () => [AT_FDCWD, 0, 0o644], 1, 'in'],
  ['chown', () => [0, 0, 0], 0, 'in'],
  ['lchown', () => [0, 0, 0], 0, 'in'],
  ['fchownat', () => [AT_FDCWD, 0, 0, 0, 0], 1, 'in'],
  ['utimensat', (c) => [AT_FDCWD, p('/f')(c), 0, 0], 2, 'in'],
  ['utimes', (c) => [p('/f')(c), 0], 1, 'in'],
  ['futimesat', (c) => [AT_FDCWD, p('/f')(c), 0], 2, 'in'],
  ['utime', (c) => [p('/f')(c), 0], 1, 'in'],
  ['truncate', () => [0, 0], 0, 'in'],
  ['pipe', () => [0], 0, 'out'],
  ['pipe2', () => [0, 0], 0, 'out'],
  ['fcntl', () => [3, 6, 0], 2, 'in'],
  ['fcntl', () => [3, 5, 0], 2, 'in'],
  ['ioctl', () => [3, 0x541b, 0], 2, 'out'],
  ['ioctl', () => [3, 0x5421, 0], 2, 'in'],
  ['poll', () => [0, 1, 0], 0, 'in'],
  ['ppoll', () => [0, 1, 0, 0, 8], 0, 'in'],
  ['select', (c) => [4, BUF, 0, 0, putZeroTime(c)], 1, 'in'],
  ['pselect6', (c) => [4, 0, BUF, 0, putZeroTime(c), 0], 2, 'in'],
  ['sendfile', () => [7, 3, 0, 10], 2, 'in'],
  ['copy_file_range', () => [3, 0, 3, 0, 10, 0], 1, 'in'],
  ['splice', () => [3, 0, 6, 0, 10, 0], 1, 'in'],
];

/** A zero timeout (struct timeval/timespec) in scratch memory. */
function putZeroTime(proc: Process): number {
  proc.mem.writeBytes(SCRATCH + 0x2000, new Uint8Array(16));
  return SCRATCH + 0x2000;
}

describe('bad pointers', () => {
  it.each(CASES.map((c, k) => [`${c[0]} argument ${c[2] + 1} (${c[3]}), case ${k}`, c] as const))('%s gives EFAULT', (_label, [name, args, index, dir]) => {
    const proc = sandboxedProcess();
    const values = args(proc);
    values[index] = dir === 'in' ? UNMAPPED : READ_ONLY;
    const handler = (FAMILIES as Record<string, SyscallHandler>)[name];
    let result: number;
    try {
      result = call(proc, handler, ...values);
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e;
      result = -Errno.EFAULT;
    }
    expect(result).toBe(-Errno.EFAULT);
  });
});
