// strace's print_array: an array in guest memory, element by element, cut after -s elements.

import type { Call } from './types.js';
import type { U64 } from '../trace/event.js';
import { hex } from './xlat.js';

/**
 * `[e0, e1, ...]` of `count` elements of `size` bytes at `addr`: `NULL` for 0, `[]` for none,
 * the address alone when the first element cannot be read (or the array wraps around, or the
 * call failed and this is its exit), and
 * `... /* 0x… *\/` where a later one cannot. Abbreviated (the default), at most -s elements are
 * printed; strace reads the first one left out before printing `...`.
 */
export function printArray(c: Call, addr: U64, count: number, size: number, elem: (b: Uint8Array) => string): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0) return 'NULL';
  if (count === 0) return '[]';
  if (!c.opts.verbose) return hex(addr);
  if (addr + count * size > 2 ** 64 || !Number.isSafeInteger(count * size)) return hex(addr);
  // Nothing is read from a call that failed (strace's tfetch_mem at exit).
  if (c.exiting && c.ev.errno !== 0) return hex(addr);
  const shown = c.opts.abbreviate && c.opts.stringLimit < count ? c.opts.stringLimit : count;
  const parts: string[] = [];
  for (let k = 0; k < count; k++) {
    const b = c.mem.readBytes(addr + k * size, size);
    if (b === null) {
      if (k === 0) return hex(addr);
      parts.push('... /* ' + hex(addr + k * size) + ' */');
      break;
    }
    if (k >= shown) {
      parts.push('...');
      break;
    }
    parts.push(elem(b));
  }
  return '[' + parts.join(', ') + ']';
}
