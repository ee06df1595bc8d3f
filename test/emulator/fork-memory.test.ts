// AddressSpace.fork(): private pages shared copy-on-write, MAP_SHARED pages shared for good, each
// side's mapping changes its own, decoded code invalidated in the space that writes, frames
// counted by reference (back to the pool only when both sides drop them), a 100 MiB space forked
// without copying a byte, and --max-memory seeing the child's inherited mappings.
import { describe, expect, it } from 'vitest';
import { Cpu } from '../../src/emulator/cpu/state.js';
import { Errno } from '../../src/emulator/kernel/errno.js';
import { mmOf } from '../../src/emulator/kernel/mm.js';
import { Process } from '../../src/emulator/kernel/process.js';
import { MEMORY_SYSCALLS as M } from '../../src/emulator/kernel/syscalls/memory.js';
import { AddressSpace, MemoryFault, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/emulator/memory.js';
import { call, testProcess } from '../support/kernel.js';

const PAGE = PAGE_SIZE;
const RW = PROT_READ | PROT_WRITE;
const BASE = 0x10000000;

function space(len = 16 * PAGE, details: { shared?: boolean } = {}): AddressSpace {
  const mem = new AddressSpace();
  mem.map(BASE, len, RW, details);
  return mem;
}

function text(mem: AddressSpace, addr: number, len: number): string {
  return Buffer.from(mem.readBytes(addr, len)).toString('latin1');
}

function put(mem: AddressSpace, addr: number, s: string): void {
  mem.writeBytes(addr, Buffer.from(s, 'latin1'));
}

describe('private pages after fork: copy-on-write', () => {
  it('each side sees its own writes, and the first write to a page copies it once', () => {
    const parent = space();
    put(parent, BASE, 'before');
    const child = parent.fork();
    expect(text(child, BASE, 6)).toBe('before');
    expect(parent.pool.copies).toBe(0);

    put(child, BASE, 'child!');
    expect(text(child, BASE, 6)).toBe('child!');
    expect(text(parent, BASE, 6)).toBe('before');
    expect(parent.pool.copies).toBe(1);

    // The parent is now the frame's only holder: its write needs no copy.
    put(parent, BASE, 'parent');
    expect(parent.pool.copies).toBe(1);
    expect(text(parent, BASE, 6)).toBe('parent');
    expect(text(child, BASE, 6)).toBe('child!');
  });

  it('CPU stores do not go through a write TLB entry filled before the fork', () => {
    const parent = space();
    for (let k = 0; k < 4; k++) parent.write32(BASE + 4 * k, 0x11111111); // the TLB holds the page
    const child = parent.fork();
    parent.write32(BASE, 0x22222222);
    parent.write8(BASE + 4, 0x33);
    parent.write64(BASE + 8, 0x44, 0x55);
    expect(child.read32(BASE)).toBe(0x11111111);
    expect(child.read8(BASE + 4)).toBe(0x11);
    expect(child.read32(BASE + 8)).toBe(0x11111111);
    expect(parent.read32(BASE)).toBe(0x22222222);
    expect(parent.read64(BASE + 8)).toBe(0x44);
    expect(parent.hi).toBe(0x55);
  });

  it('a read TLB entry of the shared frame does not outlive the copy', () => {
    const parent = space();
    parent.write32(BASE, 7);
    const child = parent.fork();
    expect(child.read32(BASE)).toBe(7); // child's read TLB: the shared frame
    expect(parent.read32(BASE)).toBe(7);
    child.write32(BASE, 8);
    expect(child.read32(BASE)).toBe(8);
    parent.write32(BASE + 4, 9);
    expect(parent.read32(BASE)).toBe(7);
    expect(child.read32(BASE + 4)).toBe(0);
  });

  it('pages never written stay zero and independent on both sides', () => {
    const parent = space();
    expect(parent.read32(BASE + PAGE)).toBe(0); // touched by a read only: no frame
    const child = parent.fork();
    child.write32(BASE + PAGE, 5);
    expect(parent.read32(BASE + PAGE)).toBe(0);
    parent.write32(BASE + 2 * PAGE, 6);
    expect(child.read32(BASE + 2 * PAGE)).toBe(0);
    expect(parent.pool.copies).toBe(0);
  });

  it('the kernel\'s writes (writeBytes, writeForced, fill) copy too', () => {
    const parent = space();
    put(parent, BASE, 'aaaa');
    put(parent, BASE + PAGE, 'bbbb');
    put(parent, BASE + 2 * PAGE, 'cccc');
    parent.protect(BASE + PAGE, PAGE, PROT_READ);
    const child = parent.fork();
    child.writeForced(BASE + PAGE, Buffer.from('BBBB'));
    child.fill(BASE + 2 * PAGE, Uint8Array.of(0x43), 1, 4);
    expect(text(child, BASE + PAGE, 4)).toBe('BBBB');
    expect(text(child, BASE + 2 * PAGE, 4)).toBe('CCCC');
    expect(text(parent, BASE + PAGE, 4)).toBe('bbbb');
    expect(text(parent, BASE + 2 * PAGE, 4)).toBe('cccc');
  });

  it('a grandchild shares the frames three ways', () => {
    const a = space();
    put(a, BASE, 'one');
    const b = a.fork();
    const c = b.fork();
    put(b, BASE, 'two');
    put(c, BASE, 'six');
    expect([text(a, BASE, 3), text(b, BASE, 3), text(c, BASE, 3)]).toEqual(['one', 'two', 'six']);
    expect(a.pool.copies).toBe(2);
    put(a, BASE, 'ten'); // the last holder of the original frame
    expect(a.pool.copies).toBe(2);
  });
});

describe('MAP_SHARED pages after fork', () => {
  it('writes by either side are seen by the other, whatever was touched before the fork', () => {
    const parent = space(8 * PAGE, { shared: true });
    put(parent, BASE, 'written before');
    expect(parent.read32(BASE + 2 * PAGE)).toBe(0); // read before: its TLB entry is the zero frame
    const child = parent.fork();

    put(child, BASE, 'child wrote it');
    expect(text(parent, BASE, 14)).toBe('child wrote it');
    child.write32(BASE + 2 * PAGE, 0x1234);
    expect(parent.read32(BASE + 2 * PAGE)).toBe(0x1234);
    // A page neither side had touched: the first to touch it makes the frame both use.
    parent.write32(BASE + 5 * PAGE, 77);
    expect(child.read32(BASE + 5 * PAGE)).toBe(77);
    expect(child.read32(BASE + 6 * PAGE)).toBe(0);
    child.write32(BASE + 6 * PAGE, 88);
    expect(parent.read32(BASE + 6 * PAGE)).toBe(88);
    expect(parent.pool.copies).toBe(0);
  });

  it('stays shared after a grandchild, and private mappings beside it stay private', () => {
    const a = new AddressSpace();
    a.map(BASE, 4 * PAGE, RW, { shared: true });
    a.map(BASE + 4 * PAGE, 4 * PAGE, RW);
    const b = a.fork();
    const c = b.fork();
    c.write32(BASE, 1);
    c.write32(BASE + 4 * PAGE, 2);
    expect(a.read32(BASE)).toBe(1);
    expect(b.read32(BASE)).toBe(1);
    expect(a.read32(BASE + 4 * PAGE)).toBe(0);
    expect(a.mappings.map((m) => m.shared)).toEqual([true, false]);
  });

  it('a shared file mapping keeps its fields, and fork gives the child its own source', () => {
    const backing = { file: 'data' };
    const parent = new AddressSpace();
    const details = { shared: true, name: '/tmp/data', fileOffset: 0, device: '08:01', inode: 42, trackWrites: true, writeDenied: true, source: backing };
    parent.map(BASE, 2 * PAGE, PROT_READ, details);
    parent.map(BASE + 2 * PAGE, 2 * PAGE, RW, { ...details, fileOffset: 2 * PAGE, writeDenied: false });
    parent.map(BASE + 8 * PAGE, 4 * PAGE, RW, { name: '[stack]', growsDown: true });
    const dup = { file: 'data, reopened' };
    const child = parent.fork((s) => (s === backing ? dup : s));
    const strip = (m: (typeof parent.mappings)[number]) => {
      const { shm: _shm, source: _source, ...rest } = m;
      return rest;
    };
    expect(child.mappings.map(strip)).toEqual(parent.mappings.map(strip));
    expect(child.mappings.map((m) => m.source)).toEqual([dup, dup, undefined]);
    expect(parent.mappings.map((m) => m.source)).toEqual([backing, backing, undefined]);
    // Shared through the mapping's pages, not through the file: written by the child, seen at once.
    child.writeForced(BASE, Buffer.from('page cache'));
    expect(text(parent, BASE, 10)).toBe('page cache');
    // Writes are still tracked on each side, for each side's write-back.
    child.write32(BASE + 2 * PAGE, 1);
    expect(child.takeDirtyPages(BASE, BASE + 4 * PAGE)).toEqual([(BASE + 2 * PAGE) / PAGE]);
    expect(parent.takeDirtyPages(BASE, BASE + 4 * PAGE)).toEqual([]);
  });

  it('a page dropped by one side (MADV_DONTNEED) reads the shared contents again', () => {
    const parent = space(2 * PAGE, { shared: true });
    put(parent, BASE, 'kept');
    const child = parent.fork();
    child.discard(BASE, PAGE);
    expect(text(child, BASE, 4)).toBe('kept');
    put(child, BASE, 'both');
    expect(text(parent, BASE, 4)).toBe('both');
  });
});

describe('mapping changes after fork stay on their side', () => {
  it('munmap in the child leaves the parent\'s pages and mappings', () => {
    const parent = space();
    put(parent, BASE, 'still here');
    const child = parent.fork();
    child.unmap(BASE, 16 * PAGE);
    expect(() => child.read8(BASE)).toThrow(MemoryFault);
    expect(text(parent, BASE, 10)).toBe('still here');
    expect(parent.mappings).toHaveLength(1);
    expect(child.mappings).toHaveLength(0);
  });

  it('mprotect in one side does not change the other\'s protection', () => {
    const parent = space();
    const child = parent.fork();
    child.protect(BASE, PAGE, PROT_READ);
    expect(() => child.write8(BASE, 1)).toThrow(MemoryFault);
    parent.write8(BASE, 1);
    expect(parent.read8(BASE)).toBe(1);
    expect(parent.mappings[0].prot).toBe(RW);
    parent.protect(BASE + PAGE, PAGE, PROT_READ);
    child.write8(BASE + PAGE, 2);
    expect(child.read8(BASE + PAGE)).toBe(2);
  });

  it('mremap in the child moves its copy-on-write pages without touching the parent', () => {
    const parent = space();
    put(parent, BASE, 'moving');
    const child = parent.fork();
    child.move(BASE, PAGE, BASE + 32 * PAGE);
    expect(text(child, BASE + 32 * PAGE, 6)).toBe('moving');
    put(child, BASE + 32 * PAGE, 'MOVED!');
    expect(text(parent, BASE, 6)).toBe('moving');
    expect(parent.pool.copies).toBe(1);
  });
});

describe('decoded code after fork', () => {
  function codeSpace(): { mem: AddressSpace; written: number[] } {
    const mem = new AddressSpace();
    mem.map(BASE, 2 * PAGE, RW | PROT_EXEC);
    put(mem, BASE, '\x90\x90\xc3');
    const written: number[] = [];
    mem.onCodeWrite = (p) => written.push(p);
    return { mem, written };
  }

  it('a copy-on-write break on a code page invalidates the code of the space that wrote', () => {
    const { mem: parent, written: parentWrites } = codeSpace();
    const out = new Uint8Array(3);
    parent.fetchCode(BASE, out, 3); // the parent decoded code from the page
    const child = parent.fork();
    const childWrites: number[] = [];
    child.onCodeWrite = (p) => childWrites.push(p);
    child.fetchCode(BASE, out, 3); // and so did the child
    child.write8(BASE, 0xcc);
    expect(childWrites).toEqual([BASE / PAGE]);
    expect(parentWrites).toEqual([]); // the parent's code is still what it decoded
    parent.fetchCode(BASE, out, 3);
    expect([...out]).toEqual([0x90, 0x90, 0xc3]);
    parent.write8(BASE + 1, 0xcc);
    expect(parentWrites).toEqual([BASE / PAGE]);
    child.fetchCode(BASE, out, 3);
    expect([...out]).toEqual([0xcc, 0x90, 0xc3]);
  });

  it('a child that decoded nothing there is not told; the parent is, when it writes', () => {
    const { mem: parent, written: parentWrites } = codeSpace();
    parent.fetchCode(BASE, new Uint8Array(3), 3);
    const child = parent.fork();
    const childWrites: number[] = [];
    child.onCodeWrite = (p) => childWrites.push(p);
    child.write8(BASE, 0xcc);
    expect(childWrites).toEqual([]);
    expect(parentWrites).toEqual([]);
    parent.write8(BASE, 0xcd);
    expect(parentWrites).toEqual([BASE / PAGE]);
  });
});

describe('frames are freed only when both sides drop them', () => {
  it('counts shared frames once, and reuses none the other side still holds', () => {
    const parent = space();
    for (let k = 0; k < 4; k++) put(parent, BASE + k * PAGE, `page ${k}`);
    const pool = parent.pool;
    expect(pool.inUse).toBe(4);
    const child = parent.fork();
    expect(pool.inUse).toBe(4);
    expect(child.residentBytes).toBe(4 * PAGE);
    expect(parent.residentBytes).toBe(4 * PAGE);

    child.unmap(BASE, 4 * PAGE);
    expect(pool.inUse).toBe(4); // the parent still holds all four
    expect(child.residentBytes).toBe(0);
    // New pages in the child must not land in frames the parent uses.
    for (let k = 0; k < 4; k++) {
      child.map(BASE + k * PAGE, PAGE, RW);
      child.fill(BASE + k * PAGE, Uint8Array.of(0xee), 1, PAGE);
    }
    for (let k = 0; k < 4; k++) expect(text(parent, BASE + k * PAGE, 6)).toBe(`page ${k}`);
    expect(pool.inUse).toBe(8);

    parent.unmap(BASE, 4 * PAGE);
    expect(pool.inUse).toBe(4);
    child.release();
    expect(pool.inUse).toBe(0);
  });

  it('a child that exits leaves the parent the only holder: no copy on its next write', () => {
    const parent = space();
    put(parent, BASE, 'x');
    const child = parent.fork();
    child.release();
    expect(child.mappings).toHaveLength(0);
    put(parent, BASE, 'y');
    expect(parent.pool.copies).toBe(0);
    expect(parent.pool.inUse).toBe(1);
  });

  it('a shared object keeps its pages until the last space lets go of it', () => {
    const parent = space(4 * PAGE, { shared: true });
    put(parent, BASE, 'shared');
    const child = parent.fork();
    child.write32(BASE + PAGE, 1);
    const pool = parent.pool;
    expect(pool.inUse).toBe(2);
    parent.unmap(BASE, 4 * PAGE);
    expect(pool.inUse).toBe(2);
    expect(text(child, BASE, 6)).toBe('shared');
    child.unmap(BASE, 2 * PAGE); // part of it: the object stays while the child maps the rest
    expect(pool.inUse).toBe(2);
    child.release();
    expect(pool.inUse).toBe(0);
  });
});

describe('cost', () => {
  const MiB = 1 << 20;

  it('forks a 100 MiB space with every page written without copying a byte until a write', () => {
    const parent = new AddressSpace();
    parent.map(BASE, 100 * MiB, RW);
    for (let addr = BASE; addr < BASE + 100 * MiB; addr += PAGE) parent.write32(addr, addr / PAGE);
    const pool = parent.pool;
    const frames = pool.inUse;
    expect(frames).toBe((100 * MiB) / PAGE);

    const child = parent.fork();
    expect(pool.copies).toBe(0);
    expect(pool.inUse).toBe(frames);
    expect(child.pageTableSize).toBe(frames);
    for (let addr = BASE; addr < BASE + 100 * MiB; addr += 997 * PAGE) expect(child.read32(addr)).toBe(addr / PAGE);
    expect(pool.copies).toBe(0);

    child.write8(BASE + 50 * MiB, 0xff);
    parent.write8(BASE + 60 * MiB, 0xff);
    expect(pool.copies).toBe(2);
    expect(pool.inUse).toBe(frames + 2);
  });

  it('a sparse 100 MiB space forks in time proportional to the pages touched', () => {
    const parent = new AddressSpace();
    parent.map(BASE, 100 * MiB, RW);
    parent.write8(BASE, 1);
    parent.write8(BASE + 99 * MiB, 2);
    const child = parent.fork();
    expect(child.pageTableSize).toBe(2);
    expect(child.mappedBytes).toBe(100 * MiB);
    expect(child.read8(BASE + 99 * MiB)).toBe(2);
    expect(parent.pool.copies).toBe(0);
  });
});

describe('--max-memory after fork', () => {
  it('the child inherits the mapped total that the limit is checked against', () => {
    const parentProc = testProcess();
    const limit = 1 << 20;
    mmOf(parentProc).maxMemory = limit;
    const MAP_PRIVATE_ANON = 0x22;
    const first = call(parentProc, M.mmap, 0, limit / 2, RW, MAP_PRIVATE_ANON, -1, 0);
    expect(first).toBeGreaterThan(0);

    const childMem = parentProc.mem.fork();
    const childProc = new Process(new Cpu(childMem), childMem, parentProc.exePath, parentProc.cwd, { uid: 1000, euid: 1000, gid: 1000, egid: 1000 }, parentProc.random, parentProc.clock, parentProc.metadata);
    mmOf(childProc).maxMemory = mmOf(parentProc).maxMemory; // what the fork wiring copies
    expect(childMem.mappedBytes).toBe(parentProc.mem.mappedBytes);
    expect(call(childProc, M.mmap, 0, limit / 2, RW, MAP_PRIVATE_ANON, -1, 0)).toBe(-Errno.ENOMEM);

    // The child's munmap frees room in the child only.
    expect(call(childProc, M.munmap, first, limit / 2)).toBe(0);
    expect(call(childProc, M.mmap, 0, limit / 2, RW, MAP_PRIVATE_ANON, -1, 0)).toBeGreaterThan(0);
    expect(call(parentProc, M.mmap, 0, limit / 2, RW, MAP_PRIVATE_ANON, -1, 0)).toBe(-Errno.ENOMEM);
  });
});
