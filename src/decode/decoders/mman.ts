// mmap's flags argument.

import { argUint } from '../../trace/event.js';
import type { ArgSpec } from '../types.js';
import { printFlags, printXval } from '../xlat.js';
import { MAP_FLAGS, MAP_HUGE_MASK, MAP_HUGE_SHIFT, MAP_TYPE_MASK, MAP_TYPES } from '../constants/mman.js';

const HUGE_MASK = (MAP_HUGE_MASK << MAP_HUGE_SHIFT) >>> 0;

/**
 * strace's print_mmap_flags: the mapping type, the other flags, then `N<<MAP_HUGE_SHIFT`.
 * Only the low 32 bits count (strace's mask arithmetic drops the upper half too).
 */
export function printMmapFlags(v: number): string {
  let s = printXval(MAP_TYPES, v & MAP_TYPE_MASK, 'MAP_???');
  const huge = (v & HUGE_MASK) >>> 0;
  const rest = (v & ~HUGE_MASK & ~MAP_TYPE_MASK) >>> 0;
  if (rest !== 0) s += '|' + printFlags(MAP_FLAGS, rest);
  if (huge !== 0) s += '|' + (huge >>> MAP_HUGE_SHIFT) + '<<MAP_HUGE_SHIFT';
  return s;
}

/** mmap's flags. */
export const mmapFlags = (name: string): ArgSpec => ({
  name,
  kind: 'mmap_flags',
  dir: 'in',
  fmt: (c, i) => printMmapFlags(argUint(c.ev.args, i)),
});
