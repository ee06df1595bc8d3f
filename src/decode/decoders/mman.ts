// mmap's flags argument.

import { argExact as argAddr, argUint, argUlong } from '../../trace/event.js';
import type { ArgSpec } from '../types.js';
import { hex, printFlags, printXval } from '../xlat.js';
import { styled, symbolic } from '../style.js';
import { MAP_FLAGS, MAP_HUGE_MASK, MAP_HUGE_SHIFT, MAP_TYPE_MASK, MAP_TYPES } from '../constants/mman.js';

const HUGE_MASK = (MAP_HUGE_MASK << MAP_HUGE_SHIFT) >>> 0;

/**
 * strace's print_mmap_flags: the mapping type, the other flags, then `N<<MAP_HUGE_SHIFT`.
 * Only the low 32 bits count (strace's mask arithmetic drops the upper half too).
 */
export function printMmapFlags(v: number): string {
  // Composed from two tables: -X styles it as one constant.
  const names = symbolic(() => {
    let s = printXval(MAP_TYPES, v & MAP_TYPE_MASK, 'MAP_???');
    const huge = (v & HUGE_MASK) >>> 0;
    const rest = (v & ~HUGE_MASK & ~MAP_TYPE_MASK) >>> 0;
    if (rest !== 0) s += '|' + printFlags(MAP_FLAGS, rest);
    if (huge !== 0) s += '|' + (huge >>> MAP_HUGE_SHIFT) + '<<MAP_HUGE_SHIFT';
    return s;
  });
  return styled(hex(v >>> 0), names);
}

/** mmap's flags. */
export const mmapFlags = (name: string): ArgSpec => ({
  name,
  kind: 'mmap_flags',
  dir: 'in',
  fmt: (c, i) => printMmapFlags(argUint(c.ev.args, i)),
});

/** mincore's vector: one byte per page of the range (argument 1), printed at exit as
 *  `[1, 0, ...]` (the residency bit of each, up to -s entries), as strace does. */
export const mincoreVec = (name: string): ArgSpec => ({
  name,
  kind: 'mincore_vec',
  dir: 'out',
  mem: (args) => ({ kind: 'buffer', dir: 'out', size: { fixed: Math.ceil(argUlong(args, 1) / 4096) } }),
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const pages = Math.ceil(argUlong(c.ev.args, 1) / 4096);
    const vec = addr === 0 || typeof addr === 'bigint' || c.ev.errno !== 0 || !c.opts.verbose || pages > 1 << 20 ? null : c.mem.readBytes(addr, pages);
    if (vec === null) return addr === 0 ? 'NULL' : hex(addr);
    const items: string[] = [];
    for (let k = 0; k < vec.length; k++) {
      if (k >= c.opts.stringLimit) {
        items.push('...');
        break;
      }
      items.push(String(vec[k] & 1));
    }
    return '[' + items.join(', ') + ']';
  },
});
