// The address-space syscalls: brk, mmap, munmap, mprotect, madvise.
import { argInt, argLong, argUlong } from '../../../trace/event.js';
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, USER_SPACE_END } from '../../memory.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';
import { O_ACCMODE, O_RDWR, O_WRONLY } from '../files.js';

/** Lowest address mmap hands out without MAP_FIXED (Linux's vm.mmap_min_addr). */
const MMAP_MIN_ADDR = 0x10000;
/** Top of the mmap area: below the stack and its maximum gap (Linux, randomisation off). */
export const MMAP_BASE = 0x7ffff7fff000;

const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_SHARED_VALIDATE = 0x03;
const MAP_TYPE = 0x0f;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_FIXED_NOREPLACE = 0x100000;
const PROT_GROWSDOWN = 0x01000000;
const PROT_GROWSUP = 0x02000000;

const MADV_DONTNEED = 4;

function pageUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

function isPageAligned(n: number): boolean {
  return n % PAGE_SIZE === 0;
}

function rangeIsFree(c: SyscallContext, start: number, len: number): boolean {
  for (let a = start; a < start + len; a += PAGE_SIZE) if (c.proc.mem.isMapped(a)) return false;
  return true;
}

function brk(c: SyscallContext): number {
  const proc = c.proc;
  const requested = argUlong(c.args, 0);
  if (requested < proc.brkStart) return proc.brkEnd;
  const oldTop = pageUp(proc.brkEnd);
  const newTop = pageUp(requested);
  if (newTop > oldTop) {
    if (newTop > MMAP_BASE || !rangeIsFree(c, oldTop, newTop - oldTop)) return proc.brkEnd;
    proc.mem.map(oldTop, newTop - oldTop, PROT_READ | PROT_WRITE, { name: '[heap]' });
  } else if (newTop < oldTop) proc.mem.unmap(newTop, oldTop - newTop);
  proc.brkEnd = requested;
  return requested;
}

function mmap(c: SyscallContext): number {
  const hint = argUlong(c.args, 0);
  const length = argUlong(c.args, 1);
  const prot = argInt(c.args, 2);
  const flags = argInt(c.args, 3);
  const fd = argInt(c.args, 4);
  const offset = argLong(c.args, 5);
  const type = flags & MAP_TYPE;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) return -Errno.EINVAL;
  if (length === 0 || !isPageAligned(offset) || offset < 0) return -Errno.EINVAL;
  const len = pageUp(length);
  if (len > USER_SPACE_END) return -Errno.ENOMEM;
  const anonymous = (flags & MAP_ANONYMOUS) !== 0;

  let contents: Uint8Array | null = null;
  let name = '';
  if (!anonymous) {
    const file = c.proc.fds.get(fd);
    if (!file) return -Errno.EBADF;
    const access = file.flags & O_ACCMODE;
    if (access === O_WRONLY) return -Errno.EACCES;
    if (type !== MAP_PRIVATE && prot & PROT_WRITE && access !== O_RDWR) return -Errno.EACCES;
    // Shared writable file mappings need write-back, which the kernel issue brings.
    if (type !== MAP_PRIVATE && prot & PROT_WRITE) return -Errno.ENODEV;
    const data = new Uint8Array(len);
    let filled = 0;
    while (filled < len) {
      const n = file.pread(data.subarray(filled), offset + filled);
      if (n < 0) return n === -Errno.ESPIPE ? -Errno.ENODEV : n;
      if (n === 0) break;
      filled += n;
    }
    contents = data.subarray(0, filled);
    name = file.path;
  }

  let start: number;
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if (!isPageAligned(hint)) return -Errno.EINVAL;
    if (hint + len > USER_SPACE_END) return -Errno.ENOMEM;
    if (flags & MAP_FIXED_NOREPLACE && !(flags & MAP_FIXED) && !rangeIsFree(c, hint, len)) return -Errno.EEXIST;
    start = hint;
  } else {
    const aligned = pageUp(hint);
    if (aligned >= MMAP_MIN_ADDR && aligned + len <= MMAP_BASE && rangeIsFree(c, aligned, len)) start = aligned;
    else {
      start = c.proc.mem.findFreeRange(len, MMAP_BASE, MMAP_MIN_ADDR);
      if (start < 0) return -Errno.ENOMEM;
    }
  }
  c.proc.mem.map(start, len, prot & (PROT_READ | PROT_WRITE | PROT_EXEC), {
    shared: type !== MAP_PRIVATE,
    name,
    fileOffset: anonymous ? 0 : offset,
  });
  if (contents && contents.length > 0) {
    const writable = (prot & PROT_WRITE) !== 0;
    if (!writable) c.proc.mem.protect(start, len, PROT_READ | PROT_WRITE);
    c.proc.mem.writeBytes(start, contents);
    if (!writable) c.proc.mem.protect(start, len, prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
  }
  return start;
}

function munmap(c: SyscallContext): number {
  const start = argUlong(c.args, 0);
  const length = argUlong(c.args, 1);
  if (!isPageAligned(start) || length === 0 || start + length > USER_SPACE_END) return -Errno.EINVAL;
  c.proc.mem.unmap(start, pageUp(length));
  return 0;
}

function mprotect(c: SyscallContext): number {
  const start = argUlong(c.args, 0);
  const length = argUlong(c.args, 1);
  const prot = argInt(c.args, 2);
  if (!isPageAligned(start) || prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP)) return -Errno.EINVAL;
  if (length === 0) return 0;
  return c.proc.mem.protect(start, pageUp(length), prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) ? 0 : -Errno.ENOMEM;
}

function madvise(c: SyscallContext): number {
  const start = argUlong(c.args, 0);
  const length = argUlong(c.args, 1);
  if (!isPageAligned(start)) return -Errno.EINVAL;
  const len = pageUp(length);
  for (let a = start; a < start + len; a += PAGE_SIZE) if (!c.proc.mem.isMapped(a)) return -Errno.ENOMEM;
  // Other advice only tunes paging, which has no visible effect here. (DONTNEED on a private
  // file mapping should bring back the file's bytes; only anonymous memory is right so far.)
  if (argInt(c.args, 2) === MADV_DONTNEED) c.proc.mem.discard(start, len);
  return 0;
}

export const MEMORY_SYSCALLS: Record<string, SyscallHandler> = { brk, mmap, munmap, mprotect, madvise };
