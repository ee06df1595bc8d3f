// NUMA memory policies: modes with their flags, node masks (strace's numa.c).

import { argUint, argUlong } from '../../trace/event.js';
import { argAddr, printStruct, type StructSpec } from '../arg-kinds.js';
import { printArray } from '../arrays.js';
import { i32, u64, u64x } from '../bytes.js';
import { errnoName } from '../constants/errno.js';
import { MPOL_MODE_FLAGS, MPOL_MODES } from '../constants/mman.js';
import { printAddr } from '../strings.js';
import { styled } from '../style.js';
import type { ArgSpec } from '../types.js';
import { hex, printFlags, printXval, xlookup } from '../xlat.js';

/** MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING. */
const MODE_FLAGS = 0x8000 | 0x4000 | 0x2000;

/** `%#0*llx` a word wide: `0x0000000000000003`, a zero as sixteen 0s. */
function word0x(v: number): string {
  const digits = v.toString(16);
  return v === 0 ? '0'.repeat(16) : '0x' + digits.padStart(14, '0');
}

/** A policy mode: `MPOL_BIND`, `MPOL_BIND|MPOL_F_STATIC_NODES`. */
export function printMpolMode(v: number): string {
  const flags = v % 2 ** 32 & MODE_FLAGS;
  const mode = v - flags;
  if (!flags) return printXval(MPOL_MODES, mode, 'MPOL_???');
  const name = xlookup(MPOL_MODES, mode);
  if (name === undefined) return printFlags(MPOL_MODE_FLAGS, v, 'MPOL_???');
  return styled(hex(v), name + '|' + printFlags(MPOL_MODE_FLAGS, flags));
}

export const mpolMode = (name: string, wide = true): ArgSpec => ({
  name,
  kind: 'mpol_mode',
  dir: 'in',
  fmt: (c, i) => printMpolMode(wide ? argUlong(c.ev.args, i) : argUint(c.ev.args, i)),
});

/** A node mask of `maxnode` bits (argument `maxArg`): its words in hex. */
export const nodemask = (name: string, maxArg: number): ArgSpec => ({
  name,
  kind: 'nodemask',
  dir: 'in',
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    const max = argUlong(c.ev.args, maxArg);
    const words = Math.floor((max + 62) / 64);
    if (words < Math.floor(max / 64) || (max && !words)) return printAddr(addr);
    return printArray(c, addr, words, 8, (b) => word0x(u64(b, 0)));
  },
});

const MODE_REF: StructSpec = { kind: 'int', size: 4, print: (b) => '[' + printXval(MPOL_MODES, i32(b, 0) >>> 0, 'MPOL_???') + ']' };

/** get_mempolicy's mode, written by the kernel: `[MPOL_DEFAULT]`. */
export const mpolModeOut = (name: string): ArgSpec => ({
  name,
  kind: 'int',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { fixed: 4 } },
  fmt: (c, i) => printStruct(c, argAddr(c.ev.args, i), MODE_REF),
});

/** move_pages' pages: the addresses. */
export const pageList = (name: string, countArg: number): ArgSpec => ({
  name,
  kind: 'void*[]',
  dir: 'in',
  fmt: (c, i) => printArray(c, argAddr(c.ev.args, i), argUlong(c.ev.args, countArg), 8, (b) => printAddr(u64x(b, 0))),
});

/** move_pages' nodes: ints. */
export const intList = (name: string, countArg: number): ArgSpec => ({
  name,
  kind: 'int[]',
  dir: 'in',
  fmt: (c, i) => printArray(c, argAddr(c.ev.args, i), argUlong(c.ev.args, countArg), 4, (b) => String(i32(b, 0))),
});

/** move_pages' status: a node or an errno per page, at exit. */
export const pageStatus = (name: string, countArg: number): ArgSpec => ({
  name,
  kind: 'int[]',
  dir: 'out',
  fmt: (c, i) =>
    printArray(c, argAddr(c.ev.args, i), argUlong(c.ev.args, countArg), 4, (b) => {
      const v = i32(b, 0);
      const name = v < 0 ? errnoName(-v) : undefined;
      return name === undefined ? String(v) : '-' + name;
    }),
});
