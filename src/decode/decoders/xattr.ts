// Extended attributes: values (a trailing NUL left out) and name lists (strace's xattr.c).

import { argUlong } from '../../trace/event.js';
import type { U64 } from '../../trace/event.js';
import { argAddr, failed } from '../arg-kinds.js';
import { printAddr, printBuffer, printBufferTrimNul } from '../strings.js';
import type { ArgSpec, Call } from '../types.js';

/** The largest value the kernel takes. */
const XATTR_SIZE_MAX = 65536;

function printValue(c: Call, addr: U64, size: number): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return printAddr(addr);
  return size > XATTR_SIZE_MAX ? printAddr(addr) : printBufferTrimNul(c, addr, size);
}

/** setxattr's value, `size` (argument 3) bytes the kernel reads. */
export const xattrValueIn = (name: string): ArgSpec => ({
  name,
  kind: 'buf',
  dir: 'in',
  mem: (args) => ({ kind: 'buffer', dir: 'in', size: { fixed: Math.min(argUlong(args, 3), XATTR_SIZE_MAX) } }),
  fmt: (c, i) => printValue(c, argAddr(c.ev.args, i), argUlong(c.ev.args, 3)),
});

/** getxattr's value: what the call returned, the address when it failed. */
export const xattrValueOut = (name: string): ArgSpec => ({
  name,
  kind: 'buf',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { ret: true, cap: 3 } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return failed(c) ? printAddr(addr) : printValue(c, addr, c.ev.ret);
  },
});

/** listxattr's list of NUL-separated names; the address when the call failed or was given no
 *  room. */
export const xattrList = (name: string, sizeArg: number): ArgSpec => ({
  name,
  kind: 'buf',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { ret: true, cap: sizeArg } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return failed(c) || argUlong(c.ev.args, sizeArg) === 0 ? printAddr(addr) : printBuffer(c, addr, c.ev.ret);
  },
});
