// The address-space syscalls: brk, mmap, munmap, mprotect, mremap, madvise, mincore, msync,
// mlock, mlock2, munlock, mlockall, munlockall. Argument checks follow Linux 6.1 (mm/mmap.c,
// mremap.c, mprotect.c, madvise.c, mincore.c, msync.c, mlock.c) in its order, so a call with two
// faults fails with the errno Linux gives. The files behind mappings, locks and the memory limit
// are kept by mm.ts.
import { argInt, argLong, argUint, argUlong } from '../../../trace/event.js';
import { Mapping, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, USER_SPACE_END } from '../../memory.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';
import { O_ACCMODE, O_APPEND, O_RDWR, O_WRONLY } from '../files.js';
import { MemfdFile } from '../memfd.js';
import { FileBacking, MMAP_MIN_ADDR, mmOf, STACK_GUARD_GAP } from '../mm.js';
import type { Process } from '../process.js';

export { MMAP_MIN_ADDR };
/** Top of the mmap area: below the stack and its maximum gap (Linux, randomisation off). */
export const MMAP_BASE = 0x7ffff7fff000;
/** Top of the mmap area of a 32-bit syscall (int 0x80): mmap_compat_base with randomisation
 *  off, below 4 GiB. */
export const COMPAT_MMAP_BASE = 0xf7ffe000;
/** TASK_SIZE: the first address above user space. */
const TASK_SIZE = USER_SPACE_END;

const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_SHARED_VALIDATE = 0x03;
const MAP_TYPE = 0x0f;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_32BIT = 0x40;
const MAP_GROWSDOWN = 0x100;
const MAP_DENYWRITE = 0x800;
const MAP_EXECUTABLE = 0x1000;
const MAP_LOCKED = 0x2000;
const MAP_NORESERVE = 0x4000;
const MAP_POPULATE = 0x8000;
const MAP_NONBLOCK = 0x10000;
const MAP_STACK = 0x20000;
const MAP_HUGETLB = 0x40000;
const MAP_SYNC = 0x80000;
const MAP_FIXED_NOREPLACE = 0x100000;
const MAP_UNINITIALIZED = 0x4000000;
/** The flags plain MAP_SHARED accepts silently; MAP_SHARED_VALIDATE refuses others. */
const LEGACY_MAP_MASK =
  MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN |
  MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB;

const PROT_SEM = 0x8;
const PROT_GROWSDOWN = 0x01000000;
const PROT_GROWSUP = 0x02000000;
const PROT_ACCESS = PROT_READ | PROT_WRITE | PROT_EXEC;

function pageUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

function isPageAligned(n: number): boolean {
  return n % PAGE_SIZE === 0;
}

/** The virtual device number as /proc/self/maps prints it (`00:20`). */
function deviceText(dev: bigint): string {
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  return major.toString(16).padStart(2, '0') + ':' + minor.toString(16).padStart(2, '0');
}

// ---------------------------------------------------------------- brk

function brk(c: SyscallContext): number {
  const proc = c.proc;
  const mm = mmOf(proc);
  const requested = argUlong(c.args, 0);
  if (requested < proc.brkStart) return proc.brkEnd;
  const oldTop = pageUp(proc.brkEnd);
  const newTop = pageUp(requested);
  if (newTop > oldTop) {
    // Linux keeps a page free above the heap (find_vma_intersection with newbrk + PAGE_SIZE).
    if (newTop > MMAP_BASE || !proc.mem.isRangeFree(oldTop, newTop + PAGE_SIZE)) return proc.brkEnd;
    if (!mm.fits(newTop - oldTop)) return proc.brkEnd;
    proc.mem.map(oldTop, newTop - oldTop, PROT_READ | PROT_WRITE, { name: '[heap]' });
    if (mm.lockFuture) lockRange(proc, oldTop, newTop);
  } else if (newTop < oldTop) {
    proc.mem.unmap(newTop, oldTop - newTop);
    mm.refresh();
  }
  proc.brkEnd = requested;
  return requested;
}

// ---------------------------------------------------------------- mmap

/** Where a mapping without MAP_FIXED goes: the hint when it is free, else the highest free range
 *  below the mmap base (below 4 GiB for a 32-bit call or MAP_32BIT's [1 GiB, 2 GiB)). */
function placement(proc: Process, hint: number, len: number, flags: number, compat: boolean): number {
  const mem = proc.mem;
  if (!compat && flags & MAP_32BIT) return bottomUp(proc, len, 0x40000000, 0x80000000);
  if (hint) {
    const aligned = hint - (hint % PAGE_SIZE);
    const next = mem.mappings.find((m) => m.end > aligned);
    const nextStart = next === undefined ? Infinity : next.growsDown ? next.start - STACK_GUARD_GAP : next.start;
    if (aligned <= TASK_SIZE - len && aligned + len <= nextStart) return aligned;
  }
  const top = compat ? COMPAT_MMAP_BASE : MMAP_BASE;
  return mem.findFreeRange(len, top, MMAP_MIN_ADDR, STACK_GUARD_GAP);
}

/** The lowest free range of len bytes in [low, high), or -1. */
function bottomUp(proc: Process, len: number, low: number, high: number): number {
  let at = low;
  for (const m of proc.mem.mappings) {
    if (m.end <= at) continue;
    if (m.start >= at + len) break;
    at = m.end;
  }
  return at + len <= high ? at : -1;
}

/** mmap as do_mmap runs it. `compat`: a 32-bit call (int 0x80), placed below 4 GiB. */
export function doMmap(proc: Process, hint: number, length: number, prot: number, flags: number, fd: number, offset: number, compat = false): number {
  const mem = proc.mem;
  const mm = mmOf(proc);
  const anonymous = (flags & MAP_ANONYMOUS) !== 0;
  const file = anonymous ? undefined : proc.fds.get(fd);
  if (!anonymous && !file) return -Errno.EBADF;
  if (anonymous && flags & MAP_HUGETLB) return -Errno.ENOMEM; // no huge pages are reserved
  if (length === 0) return -Errno.EINVAL;
  if (flags & MAP_FIXED_NOREPLACE) flags |= MAP_FIXED;
  if (!(flags & MAP_FIXED) && hint && hint < MMAP_MIN_ADDR) hint = MMAP_MIN_ADDR;
  const len = pageUp(length);
  if (len > TASK_SIZE) return -Errno.ENOMEM;
  if (!anonymous && offset + len > Number.MAX_SAFE_INTEGER) return -Errno.EOVERFLOW;

  let start: number;
  if (flags & MAP_FIXED) {
    if (!isPageAligned(hint)) return -Errno.EINVAL;
    if (hint > TASK_SIZE - len) return -Errno.ENOMEM;
    if (hint < MMAP_MIN_ADDR && proc.identity.euid !== 0) return -Errno.EPERM;
    start = hint;
  } else {
    start = placement(proc, hint, len, flags, compat);
    if (start < 0) return -Errno.ENOMEM;
  }
  if (flags & MAP_FIXED_NOREPLACE && !mem.isRangeFree(start, start + len)) return -Errno.EEXIST;

  const locked = (flags & MAP_LOCKED) !== 0 || mm.lockFuture;
  if (flags & MAP_LOCKED && mm.lockLimit === 0 && !mm.canLockPastLimit) return -Errno.EPERM;
  if (locked && !mm.canLockPastLimit && mm.locked.size + len > mm.lockLimit) return -Errno.EAGAIN;

  const type = flags & MAP_TYPE;
  let shared = false;
  let backing: FileBacking | null = null;
  let contents: Uint8Array | null = null;
  let details: Partial<Mapping> = {};
  if (file) {
    const access = file.flags & O_ACCMODE;
    // A memfd sealed against writes maps as if opened read-only: mprotect cannot add PROT_WRITE.
    const writable = access === O_RDWR && !(file instanceof MemfdFile && file.inode.writeSealed);
    if (type !== MAP_SHARED && type !== MAP_SHARED_VALIDATE && type !== MAP_PRIVATE) return -Errno.EINVAL;
    if (type !== MAP_PRIVATE) {
      // MAP_SYNC needs a DAX file system; no file here is on one.
      if (type === MAP_SHARED_VALIDATE && flags & ~LEGACY_MAP_MASK & ~MAP_FIXED_NOREPLACE) return -Errno.EOPNOTSUPP;
      if (prot & PROT_WRITE && !(access === O_RDWR || access === O_WRONLY)) return -Errno.EACCES;
      if (file.flags & O_APPEND && (access === O_RDWR || access === O_WRONLY)) return -Errno.EACCES;
      if (file instanceof MemfdFile) {
        const refused = file.inode.refuseSharedMapping((prot & PROT_WRITE) !== 0);
        if (refused) return refused;
      }
      shared = true;
    }
    if (access === O_WRONLY) return -Errno.EACCES;
    if (file.kind === 'directory' || file.kind === 'pipe' || file.kind === 'fifo' || file.kind === 'socket' || file.kind === 'symlink') return -Errno.ENODEV;
    if (flags & MAP_GROWSDOWN) return -Errno.EINVAL;
    if (!mm.fits(len - overlap(proc, start, len))) return -Errno.ENOMEM;
    backing = FileBacking.open(file, shared && writable);
    if (backing) contents = backing.read(offset, Math.max(0, Math.min(len, backing.size() - offset)));
    else {
      // No host file behind it (a device, /proc): its bytes as they are now.
      const data = new Uint8Array(len);
      let filled = 0;
      while (filled < len) {
        const n = file.pread(data.subarray(filled), offset + filled);
        if (n < 0) return n === -Errno.ESPIPE ? -Errno.ENODEV : n;
        if (n === 0) break;
        filled += n;
      }
      contents = data.subarray(0, filled);
    }
    const st = file.stat();
    details = { name: file.path, fileOffset: offset };
    if (typeof st !== 'number') {
      details.device = deviceText(proc.metadata.virtualDev(st.dev));
      details.inode = Number(proc.metadata.virtualIno(st.dev, st.ino));
    }
    if (backing) {
      details.source = backing;
      if (shared && writable) details.trackWrites = true;
    }
    if (shared && !writable) details.writeDenied = true;
    if (contents.length === 0) contents = null;
  } else {
    if (type === MAP_SHARED) {
      if (flags & MAP_GROWSDOWN) return -Errno.EINVAL;
      shared = true;
    } else if (type !== MAP_PRIVATE) return -Errno.EINVAL;
    if (!mm.fits(len - overlap(proc, start, len))) return -Errno.ENOMEM;
    if (flags & MAP_GROWSDOWN) details.growsDown = true;
  }

  // MAP_FIXED replaces what was there: a shared mapping's writes reach its file first.
  mm.writeBack(start, start + len);
  mm.locked.remove(start, start + len);
  mem.map(start, len, prot & PROT_ACCESS, { ...details, shared });
  if (contents) mem.writeForced(start, contents);
  mm.refresh();
  if (locked) lockRange(proc, start, start + len);
  return start;
}

/** Mapped bytes of [start, start+len) (a MAP_FIXED mapping replaces them, so they do not count
 *  against the limit twice). */
function overlap(proc: Process, start: number, len: number): number {
  let n = 0;
  for (const m of proc.mem.mappings) {
    if (m.pseudo) continue;
    n += Math.max(0, Math.min(m.end, start + len) - Math.max(m.start, start));
  }
  return n;
}

function mmap(c: SyscallContext): number {
  const offset = argLong(c.args, 5);
  if (!isPageAligned(offset) || offset < 0) return -Errno.EINVAL;
  return doMmap(c.proc, argUlong(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2), argInt(c.args, 3), argInt(c.args, 4), offset);
}

// ---------------------------------------------------------------- munmap

/** munmap's work: shared pages written back, pages and locks dropped. */
export function unmapRange(proc: Process, start: number, len: number): void {
  const mm = mmOf(proc);
  mm.writeBack(start, start + len);
  proc.mem.unmap(start, len);
  mm.refresh();
}

function munmap(c: SyscallContext): number {
  const start = argUlong(c.args, 0);
  const length = argUlong(c.args, 1);
  if (!isPageAligned(start)) return -Errno.EINVAL;
  const len = pageUp(length);
  if (len === 0 || len > TASK_SIZE || start > TASK_SIZE - len) return -Errno.EINVAL;
  unmapRange(c.proc, start, len);
  return 0;
}

// ---------------------------------------------------------------- mprotect

/** The mappings from start on, as long as they follow each other without a hole, up to end. */
function contiguous(proc: Process, start: number, end: number): Mapping[] {
  const out: Mapping[] = [];
  let at = start;
  for (const m of proc.mem.mappings) {
    if (m.end <= at) continue;
    if (m.start > at || m.pseudo || at >= end) break;
    out.push(m);
    at = m.end;
  }
  return out;
}


function mprotect(c: SyscallContext): number {
  let start = argUlong(c.args, 0);
  const length = argUlong(c.args, 1);
  const prot = argInt(c.args, 2);
  const grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
  if (grows === (PROT_GROWSDOWN | PROT_GROWSUP)) return -Errno.EINVAL;
  if (!isPageAligned(start)) return -Errno.EINVAL;
  if (length === 0) return 0;
  const end = start + pageUp(length);
  if (end <= start || end > 2 ** 64) return -Errno.ENOMEM;
  if (prot & ~(PROT_ACCESS | PROT_SEM | PROT_GROWSDOWN | PROT_GROWSUP)) return -Errno.EINVAL;
  const mem = c.proc.mem;
  const first = mem.mappings.find((m) => m.end > start && !m.pseudo);
  if (!first) return -Errno.ENOMEM;
  if (grows & PROT_GROWSDOWN) {
    if (first.start >= end) return -Errno.ENOMEM;
    if (!first.growsDown) return -Errno.EINVAL;
    start = first.start;
  } else if (grows & PROT_GROWSUP) {
    return -Errno.EINVAL; // nothing grows up on x86-64
  } else if (first.start > start) return -Errno.ENOMEM;
  const newProt = prot & PROT_ACCESS;
  const pieces = contiguous(c.proc, start, end);
  // Linux changes mapping after mapping, stopping at the first it may not change or at a hole.
  let done = start;
  let error = 0;
  for (const m of pieces) {
    if (newProt & PROT_WRITE && m.writeDenied) {
      error = -Errno.EACCES;
      break;
    }
    done = Math.min(m.end, end);
  }
  if (done > start) mem.protect(start, done - start, newProt);
  if (error) return error;
  return done < end ? -Errno.ENOMEM : 0;
}

// ---------------------------------------------------------------- mremap

const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;
const MREMAP_DONTUNMAP = 4;

/** Maps [at, at+len) like the mapping m continues there (a mapping grown in place, or the old
 *  range MREMAP_DONTUNMAP leaves behind): a file mapping's pages come from the file. */
function extendLike(proc: Process, m: Mapping, at: number, len: number, fileOffset: number): void {
  const { start: _s, end: _e, prot, ...details } = m;
  proc.mem.map(at, len, prot, { ...details, fileOffset });
  const backing = m.source instanceof FileBacking ? m.source : undefined;
  if (backing) {
    const bytes = backing.read(fileOffset, Math.max(0, Math.min(len, backing.size() - fileOffset)));
    if (bytes.length > 0) proc.mem.writeForced(at, bytes);
  }
}

function mremap(c: SyscallContext): number {
  const proc = c.proc;
  const mem = proc.mem;
  const mm = mmOf(proc);
  const addr = argUlong(c.args, 0);
  const oldLength = argUlong(c.args, 1);
  const newLength = argUlong(c.args, 2);
  const flags = argUlong(c.args, 3);
  const newAddr = argUlong(c.args, 4);
  if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP)) return -Errno.EINVAL;
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) return -Errno.EINVAL;
  if (flags & MREMAP_DONTUNMAP && (!(flags & MREMAP_MAYMOVE) || oldLength !== newLength)) return -Errno.EINVAL;
  if (!isPageAligned(addr)) return -Errno.EINVAL;
  const oldLen = pageUp(oldLength);
  const newLen = pageUp(newLength);
  if (newLen === 0) return -Errno.EINVAL;

  const m = mem.mappingAt(addr);
  // old_len 0 would duplicate a shared mapping; nothing here shares pages between two ranges.
  if (oldLen === 0) return -Errno.EINVAL;

  const moveTo = (dest: number): number => {
    if (!m || m.pseudo) return -Errno.EFAULT;
    if (oldLen > m.end - addr) return -Errno.EFAULT;
    if (!mm.fits(newLen - (flags & MREMAP_DONTUNMAP ? 0 : oldLen) - overlap(proc, dest, newLen))) return -Errno.ENOMEM;
    mm.writeBack(addr, addr + oldLen);
    mm.writeBack(dest, dest + newLen);
    const keep = Math.min(oldLen, newLen);
    if (oldLen > newLen) mem.unmap(addr + newLen, oldLen - newLen);
    mem.move(addr, keep, dest);
    // Heap and stack names belong to where brk and the stack are, not to the moved pages.
    if (m.name === '[heap]' || m.name === '[stack]') mem.updateMappings(dest, dest + keep, (piece) => ({ ...piece, name: '', growsDown: undefined }));
    if (newLen > keep) extendLike(proc, { ...m, growsDown: undefined }, dest + keep, newLen - keep, m.fileOffset + (addr - m.start) + keep);
    if (flags & MREMAP_DONTUNMAP) extendLike(proc, m, addr, oldLen, m.fileOffset + (addr - m.start));
    const locked = mm.locked.within(addr, addr + keep);
    mm.refresh();
    for (const [a, b] of locked) mm.locked.add(a + (dest - addr), b + (dest - addr));
    return dest;
  };

  if (flags & MREMAP_FIXED) {
    if (!isPageAligned(newAddr)) return -Errno.EINVAL;
    if (newLen > TASK_SIZE || newAddr > TASK_SIZE - newLen) return -Errno.EINVAL;
    if (newAddr < addr + oldLen && addr < newAddr + newLen) return -Errno.EINVAL;
    if (newAddr < MMAP_MIN_ADDR && proc.identity.euid !== 0) return -Errno.EPERM;
    if (!m || m.pseudo || oldLen > m.end - addr) return -Errno.EFAULT;
    unmapRange(proc, newAddr, newLen);
    return moveTo(newAddr);
  }

  // Shrinking: the tail goes.
  if (oldLen >= newLen && !(flags & MREMAP_DONTUNMAP)) {
    if (oldLen > newLen) unmapRange(proc, addr + newLen, oldLen - newLen);
    return addr;
  }

  if (!m || m.pseudo) return -Errno.EFAULT;
  if (oldLen > m.end - addr) return -Errno.EFAULT;
  // Growing in place when the old range ends the mapping and the room after it is free.
  if (!(flags & MREMAP_DONTUNMAP) && m.end === addr + oldLen) {
    const growth = newLen - oldLen;
    const next = mem.mappings.find((n) => n.start >= m.end);
    const room = next === undefined ? TASK_SIZE : next.growsDown ? next.start - STACK_GUARD_GAP : next.start;
    if (addr + newLen <= room && addr + newLen <= TASK_SIZE) {
      if (!mm.fits(growth)) return -Errno.ENOMEM;
      extendLike(proc, { ...m, growsDown: undefined }, m.end, growth, m.fileOffset + (m.end - m.start));
      mm.refresh();
      if (mm.lockFuture || mm.locked.overlap(addr, addr + PAGE_SIZE) > 0) lockRange(proc, addr + oldLen, addr + newLen);
      return addr;
    }
  }
  if (!(flags & MREMAP_MAYMOVE)) return -Errno.ENOMEM;
  const dest = mem.findFreeRange(newLen, MMAP_BASE, MMAP_MIN_ADDR, STACK_GUARD_GAP);
  if (dest < 0) return -Errno.ENOMEM;
  return moveTo(dest);
}

// ---------------------------------------------------------------- madvise

const MADV_DONTNEED = 4;
const MADV_FREE = 8;
const MADV_REMOVE = 9;
const MADV_POPULATE_READ = 22;
const MADV_POPULATE_WRITE = 23;
const MADV_DONTNEED_LOCKED = 24;
const MADV_HWPOISON = 100;
const MADV_SOFT_OFFLINE = 101;

function validAdvice(advice: number): boolean {
  return (advice >= 0 && advice <= 4) || (advice >= 8 && advice <= 25) || advice === MADV_HWPOISON || advice === MADV_SOFT_OFFLINE;
}

/** Drops the pages of [start, end) in mapping m: anonymous private memory reads as zeros again,
 *  file mappings read their file's bytes again, shared anonymous memory keeps its contents. */
function dropPages(proc: Process, m: Mapping, start: number, end: number): void {
  const mm = mmOf(proc);
  if (m.shared && !(m.source instanceof FileBacking)) return;
  mm.writeBack(start, end);
  proc.mem.discard(start, end - start);
  const backing = m.source instanceof FileBacking ? m.source : undefined;
  if (backing) {
    const offset = m.fileOffset + (start - m.start);
    const bytes = backing.read(offset, Math.max(0, Math.min(end - start, backing.size() - offset)));
    if (bytes.length > 0) proc.mem.writeForced(start, bytes);
    proc.mem.takeDirtyPages(start, end);
  }
}

function madvise(c: SyscallContext): number {
  const proc = c.proc;
  const start = argUlong(c.args, 0);
  const lengthIn = argUlong(c.args, 1);
  const advice = argInt(c.args, 2);
  if (!validAdvice(advice)) return -Errno.EINVAL;
  if (!isPageAligned(start)) return -Errno.EINVAL;
  const len = pageUp(lengthIn);
  if (lengthIn && !len) return -Errno.EINVAL;
  const end = start + len;
  if (end === start) return 0;
  if ((advice === MADV_HWPOISON || advice === MADV_SOFT_OFFLINE) && proc.identity.euid !== 0) return -Errno.EPERM;
  const mm = mmOf(proc);
  let hole = false;
  let at = start;
  for (const m of [...proc.mem.mappings]) {
    if (m.end <= at || m.pseudo) continue;
    if (m.start >= end) break;
    if (m.start > at) hole = true;
    const from = Math.max(m.start, start);
    const to = Math.min(m.end, end);
    at = to;
    switch (advice) {
      case MADV_DONTNEED:
      case MADV_DONTNEED_LOCKED:
        if (advice === MADV_DONTNEED && mm.locked.overlap(from, to) > 0) return -Errno.EINVAL;
        dropPages(proc, m, from, to);
        break;
      case MADV_FREE:
        if (m.shared || m.source) return -Errno.EINVAL;
        break; // the pages may be freed lazily: keeping them is one of the allowed outcomes
      case MADV_REMOVE:
        if (!(m.source instanceof FileBacking)) return -Errno.EINVAL;
        if (!m.shared || !m.source.writable) return -Errno.EACCES;
        {
          // A hole punched in the file: the mapping reads its zeros.
          const offset = m.fileOffset + (from - m.start);
          mm.writeBack(from, to);
          m.source.write(offset, new Uint8Array(Math.max(0, Math.min(to - from, m.source.size() - offset))));
          proc.mem.discard(from, to - from);
        }
        break;
      case MADV_POPULATE_READ:
      case MADV_POPULATE_WRITE:
        if (!(m.prot & (advice === MADV_POPULATE_WRITE ? PROT_WRITE : PROT_READ | PROT_WRITE))) return -Errno.EFAULT;
        break;
      default:
        break; // paging advice has no visible effect here
    }
  }
  return hole || at < end ? -Errno.ENOMEM : 0;
}

// ---------------------------------------------------------------- mincore, msync

function mincore(c: SyscallContext): number {
  const proc = c.proc;
  const start = argUlong(c.args, 0);
  const len = argUlong(c.args, 1);
  const vec = argUlong(c.args, 2);
  if (!isPageAligned(start)) return -Errno.EINVAL;
  if (start + len > TASK_SIZE) return -Errno.ENOMEM;
  const pages = Math.ceil(len / PAGE_SIZE);
  if (pages === 0) return 0;
  if (vec + pages > TASK_SIZE) return -Errno.EFAULT;
  // As Linux: a chunk of pages at a time, each written out before the next, ENOMEM at a hole.
  const CHUNK = 4096;
  for (let first = 0; first < pages; first += CHUNK) {
    const n = Math.min(CHUNK, pages - first);
    const out = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const addr = start + (first + k) * PAGE_SIZE;
      const m = proc.mem.mappingAt(addr);
      if (!m || m.pseudo) return -Errno.ENOMEM;
      // File pages are in the page cache; anonymous ones are resident once touched.
      out[k] = proc.mem.isResident(addr) || m.source ? 1 : 0;
    }
    proc.mem.writeBytes(vec + first, out);
  }
  return 0;
}

const MS_ASYNC = 1;
const MS_INVALIDATE = 2;
const MS_SYNC = 4;

function msync(c: SyscallContext): number {
  const proc = c.proc;
  const start = argUlong(c.args, 0);
  const length = argUlong(c.args, 1);
  const flags = argInt(c.args, 2);
  if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) return -Errno.EINVAL;
  if (!isPageAligned(start)) return -Errno.EINVAL;
  if (flags & MS_ASYNC && flags & MS_SYNC) return -Errno.EINVAL;
  const end = start + pageUp(length);
  if (end < start || end > 2 ** 64) return -Errno.ENOMEM;
  if (end === start) return 0;
  const mm = mmOf(proc);
  if (flags & MS_INVALIDATE && mm.locked.overlap(start, end) > 0) return -Errno.EBUSY;
  mm.writeBack(start, end);
  return proc.mem.isRangeMapped(start, end) ? 0 : -Errno.ENOMEM;
}

// ---------------------------------------------------------------- mlock

const MLOCK_ONFAULT = 1;
const MCL_CURRENT = 1;
const MCL_FUTURE = 2;
const MCL_ONFAULT = 4;

function lockRange(proc: Process, start: number, end: number): void {
  mmOf(proc).locked.add(start, end);
}

function doMlock(c: SyscallContext, flags: number): number {
  const proc = c.proc;
  const mm = mmOf(proc);
  if (flags & ~MLOCK_ONFAULT) return -Errno.EINVAL;
  if (mm.lockLimit === 0 && !mm.canLockPastLimit) return -Errno.EPERM;
  const addr = argUlong(c.args, 0);
  const start = addr - (addr % PAGE_SIZE);
  const end = start + pageUp(argUlong(c.args, 1) + (addr % PAGE_SIZE));
  const total = mm.locked.size - mm.locked.overlap(start, end) + (end - start);
  if (total > mm.lockLimit && !mm.canLockPastLimit) return -Errno.ENOMEM;
  if (end < start) return -Errno.EINVAL;
  if (end === start) return 0;
  const pieces = contiguous(proc, start, end);
  const done = pieces.length ? Math.min(pieces[pieces.length - 1].end, end) : start;
  if (pieces.length === 0 || pieces[0].start > start) return -Errno.ENOMEM;
  lockRange(proc, start, done);
  return done < end ? -Errno.ENOMEM : 0;
}

function munlock(c: SyscallContext): number {
  const proc = c.proc;
  const addr = argUlong(c.args, 0);
  const start = addr - (addr % PAGE_SIZE);
  const end = start + pageUp(argUlong(c.args, 1) + (addr % PAGE_SIZE));
  if (end === start) return 0;
  const pieces = contiguous(proc, start, end);
  if (pieces.length === 0 || pieces[0].start > start) return -Errno.ENOMEM;
  const done = Math.min(pieces[pieces.length - 1].end, end);
  mmOf(proc).locked.remove(start, done);
  return done < end ? -Errno.ENOMEM : 0;
}

function mlockall(c: SyscallContext): number {
  const proc = c.proc;
  const mm = mmOf(proc);
  const flags = argUint(c.args, 0);
  if (!flags || flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) || flags === MCL_ONFAULT) return -Errno.EINVAL;
  if (mm.lockLimit === 0 && !mm.canLockPastLimit) return -Errno.EPERM;
  if (flags & MCL_CURRENT && proc.mem.mappedBytes > mm.lockLimit && !mm.canLockPastLimit) return -Errno.ENOMEM;
  mm.lockFuture = (flags & MCL_FUTURE) !== 0;
  if (flags & MCL_CURRENT) for (const m of proc.mem.mappings) if (!m.pseudo) lockRange(proc, m.start, m.end);
  return 0;
}

function munlockall(c: SyscallContext): number {
  const mm = mmOf(c.proc);
  mm.locked.clear();
  mm.lockFuture = false;
  return 0;
}

export const MEMORY_SYSCALLS: Record<string, SyscallHandler> = {
  brk,
  mmap,
  munmap,
  mprotect,
  mremap,
  madvise,
  mincore,
  msync,
  mlock: (c) => doMlock(c, 0),
  mlock2: (c) => doMlock(c, argInt(c.args, 2)),
  munlock,
  mlockall,
  munlockall,
};
