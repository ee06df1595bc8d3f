// The memory syscalls called straight through the kernel: placement, MAP_FIXED and
// MAP_FIXED_NOREPLACE, mappings of any size (pages exist only once touched), mremap, madvise,
// mincore, msync, mlock and RLIMIT_MEMLOCK, --max-memory, a stack growing down, MAP_SHARED
// write-back seen by read(), and the address space's mapping list.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Errno } from '../../src/emulator/kernel/errno.js';
import { IO_SYSCALLS } from '../../src/emulator/kernel/syscalls/io.js';
import { MEMORY_SYSCALLS as M, MMAP_BASE } from '../../src/emulator/kernel/syscalls/memory.js';
import { PATH_SYSCALLS } from '../../src/emulator/kernel/syscalls/paths.js';
import { mmOf, RangeSet, STACK_GUARD_GAP } from '../../src/emulator/kernel/mm.js';
import { vsyscallEntry } from '../../src/emulator/kernel/vsyscall.js';
import type { Process } from '../../src/emulator/kernel/process.js';
import { MemoryFault, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/emulator/memory.js';
import type { SyscallHandler } from '../../src/emulator/kernel/context.js';
import { call as rawCall, SCRATCH, testProcess } from '../support/kernel.js';

/** A call as the dispatcher makes it: a guest memory fault inside it is EFAULT. */
function call(p: Process, handler: SyscallHandler, ...values: (number | bigint)[]): number {
  try {
    return rawCall(p, handler, ...values);
  } catch (e) {
    if (e instanceof MemoryFault) return -Errno.EFAULT;
    throw e;
  }
}

const PAGE = PAGE_SIZE;
const RW = PROT_READ | PROT_WRITE;
const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_GROWSDOWN = 0x100;
const MAP_LOCKED = 0x2000;
const MAP_FIXED_NOREPLACE = 0x100000;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-mm-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function proc(): Process {
  const p = testProcess({ cwd: scratch });
  mmOf(p);
  return p;
}

function mmap(p: Process, addr: number, len: number, prot: number, flags: number, fd = -1, offset = 0): number {
  return call(p, M.mmap, addr, len, prot, flags, fd, offset);
}

function bytes(p: Process, addr: number, len: number): string {
  return Buffer.from(p.mem.readBytes(addr, len)).toString('latin1');
}

function names(p: Process): string[] {
  return p.mem.mappings.map((m) => `${m.start.toString(16)}-${m.end.toString(16)}`);
}

describe('mmap', () => {
  it('places mappings top-down below the mmap base, and at a free hint', () => {
    const p = proc();
    expect(mmap(p, 0, 100, RW, ANON)).toBe(MMAP_BASE - PAGE);
    expect(mmap(p, 0, 2 * PAGE, RW, ANON)).toBe(MMAP_BASE - 3 * PAGE);
    expect(mmap(p, 0x200000, PAGE, RW, ANON)).toBe(0x200000);
    // A hint on a mapping is only a hint.
    expect(mmap(p, 0x200000, PAGE, RW, ANON)).toBe(MMAP_BASE - 4 * PAGE);
  });

  it('MAP_FIXED replaces, MAP_FIXED_NOREPLACE refuses with EEXIST (with or without MAP_FIXED)', () => {
    const p = proc();
    const a = mmap(p, 0, 4 * PAGE, RW, ANON);
    p.mem.writeBytes(a, Buffer.from('xxxx'));
    expect(mmap(p, a, PAGE, PROT_READ, ANON | MAP_FIXED)).toBe(a);
    expect(bytes(p, a, 4)).toBe('\0\0\0\0');
    expect(mmap(p, a + PAGE, PAGE, RW, ANON | MAP_FIXED_NOREPLACE)).toBe(-Errno.EEXIST);
    expect(mmap(p, a + PAGE, PAGE, RW, ANON | MAP_FIXED_NOREPLACE | MAP_FIXED)).toBe(-Errno.EEXIST);
    expect(mmap(p, a - PAGE, PAGE, RW, ANON | MAP_FIXED_NOREPLACE)).toBe(a - PAGE);
    expect(mmap(p, a + 1, PAGE, RW, ANON | MAP_FIXED)).toBe(-Errno.EINVAL);
    expect(mmap(p, 0x1000, PAGE, RW, ANON | MAP_FIXED)).toBe(-Errno.EPERM);
  });

  it('checks its arguments in Linux order', () => {
    const p = proc();
    expect(mmap(p, 0, PAGE, RW, MAP_PRIVATE, 99)).toBe(-Errno.EBADF);
    expect(mmap(p, 0, 0, RW, ANON)).toBe(-Errno.EINVAL);
    expect(mmap(p, 0, PAGE, RW, MAP_ANONYMOUS)).toBe(-Errno.EINVAL);
    expect(mmap(p, 0, PAGE, RW, 0x3 | MAP_ANONYMOUS)).toBe(-Errno.EINVAL);
    expect(mmap(p, 0, PAGE, RW, ANON, -1, 1)).toBe(-Errno.EINVAL);
    expect(mmap(p, 0, 2 ** 48, RW, ANON)).toBe(-Errno.ENOMEM);
    expect(mmap(p, 0, PAGE, RW, ANON | 0x40000)).toBe(-Errno.ENOMEM); // MAP_HUGETLB
    expect(mmap(p, 0, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN)).toBe(-Errno.EINVAL);
  });

  it('maps huge ranges without touching them (pages are made on first use)', () => {
    const p = proc();
    const big = mmap(p, 0, 2 ** 45, PROT_READ | PROT_WRITE, ANON | 0x4000);
    expect(big).toBeGreaterThan(0);
    p.mem.writeBytes(big + 2 ** 44, Buffer.from('far'));
    expect(bytes(p, big + 2 ** 44, 3)).toBe('far');
    expect(p.mem.residentBytes).toBe(PAGE);
    expect(call(p, M.mprotect, big, 2 ** 45, PROT_READ)).toBe(0);
    expect(() => p.mem.writeBytes(big, Buffer.from('x'))).toThrow();
    expect(call(p, M.munmap, big, 2 ** 45)).toBe(0);
    expect(p.mem.residentBytes).toBe(0);
  });
});

describe('mremap', () => {
  it('grows in place when the room after is free, moves (contents kept) when not', () => {
    const p = proc();
    const a = mmap(p, 0x400000, 2 * PAGE, RW, ANON | MAP_FIXED);
    p.mem.writeBytes(a, Buffer.from('contents'));
    expect(call(p, M.mremap, a, 2 * PAGE, 4 * PAGE, 0)).toBe(a);
    expect(p.mem.isRangeMapped(a, a + 4 * PAGE)).toBe(true);
    mmap(p, a + 4 * PAGE, PAGE, PROT_READ, ANON | MAP_FIXED);
    expect(call(p, M.mremap, a, 4 * PAGE, 8 * PAGE, 0)).toBe(-Errno.ENOMEM);
    const moved = call(p, M.mremap, a, 4 * PAGE, 8 * PAGE, 1);
    expect(moved).not.toBe(a);
    expect(bytes(p, moved, 8)).toBe('contents');
    expect(p.mem.isMapped(a)).toBe(false);
    expect(call(p, M.mremap, a, PAGE, 2 * PAGE, 1)).toBe(-Errno.EFAULT);
  });

  it('MREMAP_FIXED replaces the destination; MREMAP_DONTUNMAP leaves the source empty', () => {
    const p = proc();
    const a = mmap(p, 0x400000, PAGE, RW, ANON | MAP_FIXED);
    p.mem.writeBytes(a, Buffer.from('abc'));
    const dest = 0x800000;
    mmap(p, dest, 2 * PAGE, PROT_READ, ANON | MAP_FIXED);
    expect(call(p, M.mremap, a, PAGE, PAGE, 3, dest)).toBe(dest);
    expect(bytes(p, dest, 3)).toBe('abc');
    expect(p.mem.mappingAt(dest)!.prot).toBe(RW);
    expect(p.mem.mappingAt(dest + PAGE)!.prot).toBe(PROT_READ);
    expect(call(p, M.mremap, dest, PAGE, PAGE, 2, a)).toBe(-Errno.EINVAL); // FIXED without MAYMOVE
    expect(call(p, M.mremap, dest, PAGE, PAGE, 3, dest)).toBe(-Errno.EINVAL); // overlapping
    const kept = call(p, M.mremap, dest, PAGE, PAGE, 1 | 4);
    expect(bytes(p, kept, 3)).toBe('abc');
    expect(bytes(p, dest, 3)).toBe('\0\0\0');
    expect(call(p, M.mremap, kept, PAGE, 2 * PAGE, 1 | 4)).toBe(-Errno.EINVAL);
  });
});

describe('madvise, mincore, msync, mprotect', () => {
  it('MADV_DONTNEED zeroes private anonymous memory; mincore shows what was touched', () => {
    const p = proc();
    const a = mmap(p, 0, 3 * PAGE, RW, ANON);
    p.mem.writeBytes(a + PAGE, Buffer.from('x'));
    expect(call(p, M.mincore, a, 3 * PAGE, SCRATCH)).toBe(0);
    expect([...p.mem.readBytes(SCRATCH, 3)]).toEqual([0, 1, 0]);
    expect(call(p, M.madvise, a, 3 * PAGE, 4)).toBe(0);
    expect(bytes(p, a + PAGE, 1)).toBe('\0');
    expect(call(p, M.madvise, a, PAGE, 999)).toBe(-Errno.EINVAL);
    expect(call(p, M.madvise, a, 5 * PAGE, 0)).toBe(-Errno.ENOMEM);
    expect(call(p, M.mincore, a + 1, PAGE, SCRATCH)).toBe(-Errno.EINVAL);
    expect(call(p, M.mincore, a, PAGE, 0x50000)).toBe(-Errno.EFAULT);
    expect(call(p, M.mincore, a, 4 * PAGE, SCRATCH)).toBe(-Errno.ENOMEM);
    expect(call(p, M.msync, a, PAGE, 1 | 4)).toBe(-Errno.EINVAL);
    expect(call(p, M.msync, a, 4 * PAGE, 4)).toBe(-Errno.ENOMEM);
    expect(call(p, M.msync, a, PAGE, 4)).toBe(0);
  });

  it('mprotect changes the mappings up to a hole, then fails with ENOMEM', () => {
    const p = proc();
    const a = mmap(p, 0x400000, 4 * PAGE, RW, ANON | MAP_FIXED);
    call(p, M.munmap, a + 2 * PAGE, PAGE);
    expect(call(p, M.mprotect, a, 4 * PAGE, PROT_READ)).toBe(-Errno.ENOMEM);
    expect(p.mem.mappingAt(a)!.prot).toBe(PROT_READ);
    expect(p.mem.mappingAt(a + 3 * PAGE)!.prot).toBe(RW);
    expect(call(p, M.mprotect, a, PAGE, PROT_READ | 0x01000000 | 0x02000000)).toBe(-Errno.EINVAL);
    expect(call(p, M.mprotect, a, PAGE, 0x10)).toBe(-Errno.EINVAL);
    expect(call(p, M.mprotect, a, PAGE, PROT_READ | 0x01000000)).toBe(-Errno.EINVAL); // not MAP_GROWSDOWN
    expect(call(p, M.mprotect, a + 1, PAGE, PROT_READ)).toBe(-Errno.EINVAL);
    expect(call(p, M.mprotect, a, 0, PROT_EXEC)).toBe(0);
  });
});

describe('locking', () => {
  it('counts locked memory against RLIMIT_MEMLOCK (8 MiB) for a user without CAP_IPC_LOCK', () => {
    const p = proc();
    const a = mmap(p, 0, 16 << 20, RW, ANON);
    expect(call(p, M.mlock, a, 4 << 20)).toBe(0);
    expect(call(p, M.mlock, a, 4 << 20)).toBe(0); // already locked: not counted twice
    expect(call(p, M.mlock, a + (4 << 20), 5 << 20)).toBe(-Errno.ENOMEM);
    expect(mmap(p, 0, 5 << 20, RW, ANON | MAP_LOCKED)).toBe(-Errno.EAGAIN);
    expect(call(p, M.munlock, a, 4 << 20)).toBe(0);
    expect(mmOf(p).locked.size).toBe(0);
    expect(call(p, M.mlock2, a, PAGE, 2)).toBe(-Errno.EINVAL);
    expect(call(p, M.mlockall, 4)).toBe(-Errno.EINVAL);
    expect(call(p, M.mlockall, 0)).toBe(-Errno.EINVAL);
    expect(call(p, M.mlockall, 1)).toBe(-Errno.ENOMEM); // 16 MiB mapped
    expect(call(p, M.mlockall, 2)).toBe(0);
    expect(call(p, M.munlockall)).toBe(0);
  });

  it('keeps locked memory as ranges', () => {
    const r = new RangeSet();
    r.add(0, 10);
    r.add(20, 30);
    r.add(5, 25);
    expect(r.size).toBe(30);
    r.remove(10, 15);
    expect(r.within(0, 100)).toEqual([
      [0, 10],
      [15, 30],
    ]);
    expect(r.overlap(8, 17)).toBe(4);
  });
});

describe('--max-memory', () => {
  it('mmap, brk and mremap fail with ENOMEM past the limit', () => {
    const p = proc();
    p.brkStart = p.brkEnd = 0x1000000;
    mmOf(p).maxMemory = p.mem.mappedBytes + 10 * PAGE;
    const a = mmap(p, 0, 8 * PAGE, RW, ANON);
    expect(a).toBeGreaterThan(0);
    expect(mmap(p, 0, 4 * PAGE, RW, ANON)).toBe(-Errno.ENOMEM);
    expect(mmap(p, a, 8 * PAGE, RW, ANON | MAP_FIXED)).toBe(a); // replacing costs nothing
    expect(call(p, M.brk, 0x1000000 + 4 * PAGE)).toBe(0x1000000);
    expect(call(p, M.brk, 0x1000000 + 2 * PAGE)).toBe(0x1000000 + 2 * PAGE);
    expect(call(p, M.mremap, a, 8 * PAGE, 16 * PAGE, 1)).toBe(-Errno.ENOMEM);
  });
});

describe('a mapping that grows down', () => {
  it('grows on an access below it, within RLIMIT_STACK and not into the guard gap', () => {
    const p = proc();
    const g = mmap(p, 0x40000000, PAGE, RW, ANON | MAP_GROWSDOWN | MAP_FIXED);
    p.mem.writeBytes(g - 3 * PAGE, Buffer.from('grown'));
    expect(bytes(p, g - 3 * PAGE, 5)).toBe('grown');
    expect(p.mem.mappingAt(g - 3 * PAGE)).toMatchObject({ start: g - 3 * PAGE, end: g + PAGE, growsDown: true });
    // 9 MiB below: past RLIMIT_STACK (8 MiB).
    expect(() => p.mem.writeBytes(g - (9 << 20), Buffer.from('x'))).toThrow();
    // A mapping 16 pages below leaves less than the guard gap.
    const low = g - 3 * PAGE - 20 * PAGE;
    mmap(p, low, PAGE, RW, ANON | MAP_FIXED);
    expect(STACK_GUARD_GAP).toBe(256 * PAGE);
    expect(() => p.mem.writeBytes(g - 4 * PAGE, Buffer.from('x'))).toThrow();
    expect(call(p, M.mprotect, g, PAGE, PROT_READ | 0x01000000)).toBe(0);
    expect(p.mem.mappingAt(g - 3 * PAGE)!.prot).toBe(PROT_READ);
  });
});

describe('MAP_SHARED file mappings', () => {
  it('write back to the file, seen by read() through the kernel and by the host after munmap', () => {
    const p = proc();
    const file = path.join(scratch, 'shared.txt');
    fs.writeFileSync(file, 'a'.repeat(PAGE) + 'b'.repeat(100));
    p.mem.writeBytes(SCRATCH, Buffer.from(file + '\0'));
    const fd = call(p, PATH_SYSCALLS.open, SCRATCH, 2);
    expect(fd).toBeGreaterThanOrEqual(0);
    const m = mmap(p, 0, 2 * PAGE, RW, MAP_SHARED, fd, 0);
    expect(bytes(p, m + PAGE, 3)).toBe('bbb');
    p.mem.writeBytes(m + 10, Buffer.from('MAPPED'));
    // The kernel writes dirty pages back before each syscall (the dispatcher's hook).
    mmOf(p).beforeSyscall();
    expect(call(p, IO_SYSCALLS.pread64, fd, SCRATCH + 0x1000, 6, 10)).toBe(6);
    expect(bytes(p, SCRATCH + 0x1000, 6)).toBe('MAPPED');
    p.mem.writeBytes(SCRATCH + 0x1000, Buffer.from('WRITTEN'));
    expect(call(p, IO_SYSCALLS.pwrite64, fd, SCRATCH + 0x1000, 7, PAGE + 1)).toBe(7);
    mmOf(p).afterSyscall();
    expect(bytes(p, m + PAGE + 1, 7)).toBe('WRITTEN');
    // Bytes past the end of the file stay out of it.
    p.mem.writeBytes(m + PAGE + 200, Buffer.from('beyond'));
    p.mem.writeBytes(m, Buffer.from('Z'));
    expect(call(p, M.munmap, m, 2 * PAGE)).toBe(0);
    const now = fs.readFileSync(file, 'latin1');
    expect(now.length).toBe(PAGE + 100);
    expect(now.slice(0, 16)).toBe('Zaaaaaaaaa' + 'MAPPED');
    expect(now.slice(PAGE + 1, PAGE + 8)).toBe('WRITTEN');
  });

  it('MADV_DONTNEED on a private file mapping brings back the file\'s bytes', () => {
    const p = proc();
    const file = path.join(scratch, 'private.txt');
    fs.writeFileSync(file, 'original');
    p.mem.writeBytes(SCRATCH, Buffer.from(file + '\0'));
    const fd = call(p, PATH_SYSCALLS.open, SCRATCH, 0);
    const m = mmap(p, 0, PAGE, RW, MAP_PRIVATE, fd, 0);
    p.mem.writeBytes(m, Buffer.from('modified'));
    expect(call(p, M.madvise, m, PAGE, 4)).toBe(0);
    expect(bytes(p, m, 8)).toBe('original');
    expect(fs.readFileSync(file, 'latin1')).toBe('original');
    // A read-only descriptor: writable shared mappings are refused, and so is mprotect to one.
    expect(mmap(p, 0, PAGE, RW, MAP_SHARED, fd, 0)).toBe(-Errno.EACCES);
    const ro = mmap(p, 0, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    expect(call(p, M.mprotect, ro, PAGE, RW)).toBe(-Errno.EACCES);
    // The mapping names the file, its offset and its (virtual) device and inode.
    expect(p.mem.mappingAt(ro)).toMatchObject({ name: file, shared: true, fileOffset: 0 });
    expect(p.mem.mappingAt(ro)!.inode).toBeGreaterThan(0);
  });
});

describe('the vsyscall page', () => {
  it('has three entries, at 0x0, 0x400 and 0x800 (either form of the address)', () => {
    expect(vsyscallEntry(-0xa00000)).toEqual({ nr: 96, addr: -0xa00000 });
    expect(vsyscallEntry(-0xa00000 + 0x400)?.nr).toBe(201);
    expect(vsyscallEntry(-0xa00000 + 0x800)?.nr).toBe(309);
    expect(vsyscallEntry(-0xa00000 + 0x10)?.nr).toBe(-1);
    expect(vsyscallEntry(0xffffffffff600000)?.nr).toBe(96);
    expect(vsyscallEntry(0x400000)).toBeNull();
  });
});

describe('the mapping list', () => {
  it('stays sorted and merged through map, protect, unmap and move', () => {
    const p = proc();
    const a = mmap(p, 0x400000, 4 * PAGE, RW, ANON | MAP_FIXED);
    call(p, M.mprotect, a + PAGE, PAGE, PROT_READ);
    expect(names(p)).toContain(`${(a + PAGE).toString(16)}-${(a + 2 * PAGE).toString(16)}`);
    call(p, M.mprotect, a + PAGE, PAGE, RW);
    expect(names(p)).toContain(`${a.toString(16)}-${(a + 4 * PAGE).toString(16)}`);
    p.mem.move(a, 2 * PAGE, 0x800000);
    expect(p.mem.isRangeMapped(0x800000, 0x800000 + 2 * PAGE)).toBe(true);
    expect(p.mem.isRangeMapped(a, a + 2 * PAGE)).toBe(false);
  });
});
