// Every syscall the kernel implements (every family in SYSCALL_FAMILIES, whoever adds them, and
// the i386 table), called through LiveSyscalls.execute with random argument registers: 0, -1,
// small numbers, huge values, unmapped pointers, pointers into read-only and PROT_NONE pages,
// pointers at the edge of a mapping, pointers into writable memory with random bytes or paths.
// No JavaScript exception escapes, every result is a number or -errno, and the address space
// stays consistent (sorted, non-overlapping, page-aligned mappings). Then, for every call whose
// table row says it reads or writes memory through an argument, that argument made unmapped gives
// EFAULT (or an error that comes first in Linux too).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allSyscalls, i386ByNumber, syscallByName, syscallNumber } from '../../src/decode/index.js';
import type { ArgSpec } from '../../src/decode/index.js';
import { Errno } from '../../src/emulator/kernel/errno.js';
import { LiveSyscalls, SYSCALL_FAMILIES } from '../../src/emulator/kernel/kernel.js';
import { mmOf } from '../../src/emulator/kernel/mm.js';
import type { Process } from '../../src/emulator/kernel/process.js';
import { CONFIGURED_OUT } from '../../src/emulator/kernel/syscalls/config-off.js';
import { Vfs } from '../../src/emulator/kernel/vfs.js';
import { PAGE_SIZE, PROT_NONE, PROT_READ, PROT_WRITE, USER_SPACE_END } from '../../src/emulator/memory.js';
import { putString, rng, SCRATCH, testProcess } from '../support/kernel.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-syscall-fuzz-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** Memory besides the scratch area (0x10000, 64 KiB): a read-only page with a path in it, a
 *  PROT_NONE page, a writable page with nothing mapped after it, and nothing at all. */
const READ_ONLY = 0x30000;
const NO_ACCESS = 0x40000;
const EDGE = 0x60000;
const UNMAPPED = 0x50000;
const PATHS = SCRATCH + 0xf000;
/** A large writable mapping (pages exist only once touched), for large buffers. */
const BIG = 0x10000000;
const BIG_SIZE = 64 << 20;

let roots = 0;

/** A process confined to a fresh scratch tree, with a file (3), a directory (4), a pipe (5, 6)
 *  and /dev/null (7) open, and the memory above. */
function fuzzProcess(): { proc: Process; live: LiveSyscalls } {
  const root = path.join(base, `root${roots++}`);
  fs.mkdirSync(path.join(root, 'd'), { recursive: true });
  fs.writeFileSync(path.join(root, 'f'), 'file contents\n'.repeat(300));
  const proc = testProcess({ cwd: '/' });
  proc.vfs = new Vfs(root);
  mmOf(proc);
  proc.mem.map(READ_ONLY, PAGE_SIZE, PROT_READ | PROT_WRITE);
  proc.mem.writeBytes(READ_ONLY, Buffer.from('/f\0'));
  proc.mem.protect(READ_ONLY, PAGE_SIZE, PROT_READ);
  proc.mem.map(NO_ACCESS, PAGE_SIZE, PROT_NONE);
  proc.mem.map(EDGE, PAGE_SIZE, PROT_READ | PROT_WRITE);
  proc.mem.map(BIG, BIG_SIZE, PROT_READ | PROT_WRITE);
  const live = new LiveSyscalls(proc, () => {});
  const args = (...values: number[]) => {
    const a = new Int32Array(12);
    values.forEach((v, k) => {
      const n = BigInt.asUintN(64, BigInt(v));
      a[2 * k] = Number(n & 0xffffffffn) | 0;
      a[2 * k + 1] = Number(n >> 32n) | 0;
    });
    return a;
  };
  const open = syscallNumber('open')!;
  expect(live.execute(open, args(putString(proc, PATHS, '/f'), 2))).toBe(0);
  expect(live.execute(open, args(putString(proc, PATHS, '/d'), 0o200000))).toBe(1);
  expect(live.execute(open, args(putString(proc, PATHS, '/dev/null'), 2))).toBe(2);
  expect(live.execute(syscallNumber('dup2')!, args(0, 3))).toBe(3);
  expect(live.execute(syscallNumber('dup2')!, args(1, 4))).toBe(4);
  expect(live.execute(syscallNumber('pipe')!, args(SCRATCH))).toBe(0);
  expect(live.execute(syscallNumber('dup2')!, args(2, 7))).toBe(7);
  return { proc, live };
}

const NAMES = ['/f', 'f', 'd', '/d', '/dev/null', '/dev/zero', '/proc/self/maps', '.', '..', 'new', '/f/', ''];

/** One argument register's value. */
function randomArg(next: () => number): bigint {
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)];
  const r = next();
  if (r < 0.25) return BigInt(pick([0, 1, 2, 3, 4, 5, 7, 8, 16, 100, 255, 4096, 8192, 65536, 0x100000]));
  if (r < 0.35) return BigInt(pick([-1, -100, -2, -4096, -(2 ** 31)]));
  if (r < 0.45) return pick([2n ** 63n, 2n ** 64n - 1n, 2n ** 47n, 2n ** 46n, 2n ** 40n, 0x7ffffffff000n, 0xffffffffff600000n, 2n ** 32n]);
  if (r < 0.55) return BigInt(Math.floor(next() * 0x100000000));
  if (r < 0.75) return BigInt(pick([UNMAPPED, READ_ONLY, READ_ONLY + 0xffe, NO_ACCESS, NO_ACCESS + 8, EDGE + PAGE_SIZE - 8, EDGE + PAGE_SIZE - 1, EDGE, 0x1000, BIG, BIG + BIG_SIZE - 16]));
  if (r < 0.85) return BigInt(PATHS + 0x100 * Math.floor(next() * 8));
  return BigInt(SCRATCH + Math.floor(next() * 0xe000));
}

/** The address space's invariants: mappings sorted, disjoint, page-aligned, non-empty. */
function checkMappings(proc: Process, what: string): void {
  let last = -1;
  for (const m of proc.mem.mappings) {
    expect(m.start % PAGE_SIZE, `${what}: ${m.start.toString(16)} aligned`).toBe(0);
    expect(m.end % PAGE_SIZE, what).toBe(0);
    expect(m.end > m.start, `${what}: mapping not empty`).toBe(true);
    expect(m.start >= last, `${what}: mappings sorted and disjoint`).toBe(true);
    if (!m.pseudo) expect(m.end <= USER_SPACE_END, what).toBe(true);
    last = m.end;
  }
}

function argsOf(values: bigint[]): Int32Array {
  const a = new Int32Array(12);
  values.forEach((v, k) => {
    const n = BigInt.asUintN(64, v);
    a[2 * k] = Number(n & 0xffffffffn) | 0;
    a[2 * k + 1] = Number(n >> 32n) | 0;
  });
  return a;
}

const implemented = [...new Set(SYSCALL_FAMILIES.flatMap((f) => Object.keys(f)))].sort();
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 120);

/** A process a call ended, or whose scratch memory a call unmapped or protected: made afresh. */
function ended(proc: Process): boolean {
  return proc.exitStatus !== null || !proc.mem.isAccessible(SCRATCH, 0x10000, 'write');
}

describe('every implemented syscall with random registers', () => {
  it.each(implemented)('%s', (name) => {
    const nr = syscallNumber(name)!;
    const next = rng([...name].reduce((h, ch) => h * 31 + ch.charCodeAt(0), Number(process.env.FUZZ_SEED ?? 11)));
    let { proc, live } = fuzzProcess();
    for (let k = 0; k < ROUNDS; k++) {
      if (k % 40 === 39 || ended(proc)) ({ proc, live } = fuzzProcess());
      const noise = new Uint8Array(0xe000);
      for (let i = 0; i < noise.length; i += 3) noise[i] = Math.floor(next() * 256);
      proc.mem.writeBytes(SCRATCH, noise);
      for (let slot = 0; slot < 8; slot++) putString(proc, PATHS + 0x100 * slot, NAMES[Math.floor(next() * NAMES.length)]);
      const values = Array.from({ length: 6 }, () => randomArg(next));
      const call = `${name}(${values.map((v) => '0x' + BigInt.asUintN(64, v).toString(16)).join(', ')})`;
      let result: number;
      try {
        result = live.execute(nr, argsOf(values));
      } catch (e) {
        throw new Error(`${call} threw ${(e as Error).stack ?? String(e)}`);
      }
      expect(Number.isFinite(result) && Math.floor(result) === result, `${call} returned ${result}`).toBe(true);
      if (result < 0) expect(result, call).toBeGreaterThanOrEqual(-4095);
      checkMappings(proc, call);
    }
  });

  it('the i386 calls too (INT 0x80), with 32-bit registers', () => {
    const next = rng(386);
    let { proc, live } = fuzzProcess();
    for (let nr = 0; nr <= 471; nr++) {
      if (!i386ByNumber(nr)) continue;
      for (let k = 0; k < 20; k++) {
        if (ended(proc)) ({ proc, live } = fuzzProcess());
        const values = Array.from({ length: 6 }, () => BigInt.asUintN(32, randomArg(next)));
        const call = `i386 ${i386ByNumber(nr)!.name}(${values.map((v) => '0x' + v.toString(16)).join(', ')})`;
        let result: number;
        try {
          result = live.executeI386(nr, argsOf(values));
        } catch (e) {
          throw new Error(`${call} threw ${(e as Error).stack ?? String(e)}`);
        }
        expect(Number.isInteger(result), call).toBe(true);
        if (result < 0) expect(result, call).toBeGreaterThanOrEqual(-4095);
        checkMappings(proc, call);
      }
    }
  });
});

/** The arguments through which a call reads or writes guest memory, by the syscall table, with
 *  the direction: an `in` argument made unmapped, an `out` one made read-only. */
function pointerArgs(name: string): { index: number; dir: 'in' | 'out' }[] {
  const row = syscallByName(name);
  if (!row?.args) return [];
  const out: { index: number; dir: 'in' | 'out' }[] = [];
  row.args.forEach((spec: ArgSpec, index) => {
    if (spec.mem === undefined || typeof spec.mem === 'function' || typeof spec.dir === 'function') return;
    if (spec.mem.kind === 'buffer' && spec.mem.size && 'ret' in spec.mem.size) {
      out.push({ index, dir: spec.dir === 'in' ? 'in' : 'out' });
      return;
    }
    out.push({ index, dir: spec.dir === 'in' ? 'in' : 'out' });
  });
  return out;
}

/** Plausible arguments for a call (so the bad pointer is what fails): fd 0 is a file, sizes are
 *  16, paths name the file, clock ids and flags are 0. */
function plausible(proc: Process, name: string): bigint[] {
  const row = syscallByName(name)!;
  return (row.args ?? []).map((spec) => {
    switch (spec.kind) {
      case 'fd':
        return name.includes('dents') ? 1n : 0n;
      case 'dirfd':
        return -100n;
      case 'path':
        return BigInt(putString(proc, PATHS, '/f'));
      case 'ulong':
      case 'uint':
        return 16n;
      default:
        return spec.mem ? BigInt(SCRATCH + 0x4000) : 0n;
    }
  });
}

/** Calls whose bad-pointer case needs more than plausible arguments, or where Linux checks
 *  something else first: left to their own tests. */
const SKIP = new Set([
  'ioctl', 'fcntl', 'futex', 'poll', 'ppoll', 'select', 'pselect6', 'rt_sigaction', 'rt_sigprocmask', 'sendfile',
  'splice', 'copy_file_range', 'nanosleep', 'clock_nanosleep', 'rseq', 'sched_setaffinity', 'sched_getaffinity',
  'getrandom', 'prlimit64', 'readv', 'writev', 'preadv', 'pwritev', 'preadv2', 'pwritev2', 'mincore', 'statx',
  'openat2', 'rt_sigtimedwait', 'timer_create', 'timer_settime', 'setitimer', 'getitimer', 'sigaltstack',
  'rt_sigsuspend', 'rt_sigpending', 'rt_sigreturn', 'utimensat', 'utimes', 'futimesat', 'utime', 'getdents', 'getdents64',
  'readlink', 'readlinkat', 'pipe', 'pipe2', 'getcwd', 'read', 'pread64', 'mknodat', 'mknod', 'set_robust_list',
  // ENOSYS by configuration: they read nothing.
  ...Object.keys(CONFIGURED_OUT),
  // The xattr calls check the name (empty here: ERANGE) before the path, and copy out nothing
  // for an empty list (0, as Linux): test/kernel/files.test.ts covers them.
  'getxattr', 'lgetxattr', 'setxattr', 'lsetxattr', 'removexattr', 'lremovexattr', 'listxattr', 'llistxattr', 'flistxattr',
]);

const cases = implemented.flatMap((name) => (SKIP.has(name) ? [] : pointerArgs(name).map((p) => [name, p.index, p.dir] as const)));

describe('a pointer the kernel must follow, made bad, gives EFAULT', () => {
  it.each(cases)('%s argument %i (%s)', (name, index, dir) => {
    const { proc, live } = fuzzProcess();
    const values = plausible(proc, name);
    values[index] = BigInt(dir === 'in' ? UNMAPPED : READ_ONLY);
    const result = live.execute(syscallNumber(name)!, argsOf(values));
    // Linux may refuse the other plausible arguments first (EINVAL, ENOENT, ENOTSOCK for fd 0
    // given to a socket call...), never succeed.
    expect(result, `${name} with argument ${index} at ${dir === 'in' ? 'an unmapped' : 'a read-only'} address`).toBeLessThan(0);
    if (dir === 'in') expect([-Errno.EFAULT, -Errno.EINVAL, -Errno.ENOENT, -Errno.EBADF, -Errno.ENOTDIR, -Errno.ENOTSOCK]).toContain(result);
  });

  it('covers the memory, time and process families', () => {
    const names = new Set(cases.map((c) => c[0]));
    for (const name of ['clock_gettime', 'gettimeofday', 'uname', 'sysinfo', 'getcpu', 'time', 'clock_getres', 'getrusage']) {
      if (syscallByName(name)?.args && SYSCALL_FAMILIES.some((f) => name in f)) expect(names.has(name), name).toBe(true);
    }
    expect(allSyscalls().length).toBeGreaterThan(300);
  });
});
