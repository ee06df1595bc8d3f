// Memory protection keys on a CPU without PKU (the emulated CPU does not advertise it): as
// arch/x86 answers then, only the default key 0 exists; pkey_alloc finds no free key (ENOSPC),
// pkey_free(0) releases key 0, pkey_mprotect takes key 0 (or -1) and is mprotect.
import { argInt, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import { PAGE_SIZE } from '../../memory.js';
import { MEMORY_SYSCALLS } from './memory.js';

const PKEY_ACCESS_MASK = 0x3;
/** Processes that freed key 0 (mm_pkey_allocation_map without bit 0). */
const freedDefaultKey = new WeakSet<Process>();

function allocated(proc: Process, pkey: number): boolean {
  return pkey === 0 && !freedDefaultKey.has(proc);
}

function pkeyAlloc(c: SyscallContext): number {
  if (argUlong(c.args, 0) !== 0) return -Errno.EINVAL;
  if (argUlong(c.args, 1) & ~PKEY_ACCESS_MASK) return -Errno.EINVAL;
  return -Errno.ENOSPC;
}

function pkeyFree(c: SyscallContext): number {
  const pkey = argInt(c.args, 0);
  if (!allocated(c.proc, pkey)) return -Errno.EINVAL;
  freedDefaultKey.add(c.proc);
  return 0;
}

function pkeyMprotect(c: SyscallContext): number {
  const start = argUlong(c.args, 0);
  const pkey = argInt(c.args, 3);
  if (start % PAGE_SIZE) return -Errno.EINVAL;
  if (argUlong(c.args, 1) === 0) return 0;
  if (pkey !== -1 && !allocated(c.proc, pkey)) return -Errno.EINVAL;
  return MEMORY_SYSCALLS.mprotect(c);
}

export const PKEY_SYSCALLS: Record<string, SyscallHandler> = {
  pkey_alloc: pkeyAlloc,
  pkey_free: pkeyFree,
  pkey_mprotect: pkeyMprotect,
};
