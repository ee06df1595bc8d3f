// Reading the extensible structs of newer syscalls (copy_struct_from_user): the caller's size may
// be smaller (the rest reads as zeros) or larger (the rest must be zeros: E2BIG) than the
// kernel's.
import { Errno } from './errno.js';
import type { Process } from './process.js';

/** The struct at addr as `ksize` bytes, or -errno. Faults are EFAULT (MemoryFault). */
export function copyStructFromUser(proc: Process, addr: number, usize: number, ksize: number): DataView | number {
  const raw = proc.mem.readBytes(addr, usize);
  if (raw.subarray(ksize).some((b) => b !== 0)) return -Errno.E2BIG;
  const out = new Uint8Array(ksize);
  out.set(raw.subarray(0, ksize));
  return new DataView(out.buffer);
}

/** A DataView over guest bytes. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads a u32 / i32 / u64 of guest memory. */
export function readU32(proc: Process, addr: number): number {
  return viewOf(proc.mem.readBytes(addr, 4)).getUint32(0, true);
}

export function readI32(proc: Process, addr: number): number {
  return viewOf(proc.mem.readBytes(addr, 4)).getInt32(0, true);
}

export function readU64(proc: Process, addr: number): bigint {
  return viewOf(proc.mem.readBytes(addr, 8)).getBigUint64(0, true);
}

/** Number of bits set in a 32-bit value. */
export function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}
