// struct iovec arrays (readv, writev, preadv, pwritev...).

import { argUlong } from '../../trace/event.js';
import type { U64 } from '../../trace/event.js';
import { argAddr, failed } from '../arg-kinds.js';
import { u64, u64dec, u64x } from '../bytes.js';
import { printAddr, printBuffer } from '../strings.js';
import type { ArgSpec, Call, Dir } from '../types.js';
import { hex } from '../xlat.js';

/**
 * strace's tprint_iov_upto: `[{iov_base="hello", iov_len=5}, ...]`. The data shown is limited in
 * total to `dataSize` bytes (the return value for reads); with `addrOnly` the bases print as
 * addresses (a failed read). At most `-s` elements are shown.
 */
export function printIovec(c: Call, addr: U64, count: number, dataSize: number, addrOnly: boolean): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0) return 'NULL';
  if (count === 0) return '[]';
  if (!c.opts.verbose) return hex(addr);
  // An array that would run past the end of the address space: the address only.
  if (addr + count * 16 >= 2 ** 64) return hex(addr);
  const limit = c.opts.stringLimit;
  const shown = count > limit && c.opts.abbreviate ? limit : count;
  const parts: string[] = [];
  let remaining = dataSize;
  for (let k = 0; k < shown; k++) {
    const e = c.mem.readBytes(addr + 16 * k, 16);
    if (e === null) {
      if (k === 0) return hex(addr);
      parts.push('...' + ' /* ' + hex(addr + 16 * k) + ' */');
      return '[' + parts.join(', ') + ']';
    }
    const base = u64x(e, 0);
    const len = u64(e, 8);
    const n = len > remaining ? remaining : len;
    if (remaining !== Infinity) remaining -= n;
    const data = addrOnly ? printAddr(base) : printBuffer(c, base, n);
    parts.push('{iov_base=' + data + ', iov_len=' + u64dec(e, 8) + '}');
  }
  if (shown < count) {
    // strace fetches the element before deciding it is past the limit.
    if (c.mem.readBytes(addr + 16 * shown, 16) === null) {
      parts.push('...' + ' /* ' + hex(addr + 16 * shown) + ' */');
    } else parts.push('...');
  }
  return '[' + parts.join(', ') + ']';
}

/** An iovec array the kernel reads data from (writev): printed at entry, all data. */
export const iovecIn = (name: string, countArg: number): ArgSpec => ({
  name,
  kind: 'iovec',
  dir: 'in',
  mem: { kind: 'iovec', countArg, data: 'in' },
  fmt: (c, i) => printIovec(c, argAddr(c.ev.args, i), argUlong(c.ev.args, countArg), Infinity, false),
});

/** An iovec array the kernel writes data into (readv): printed at exit, the bytes returned. */
export const iovecOut = (name: string, countArg: number): ArgSpec => ({
  name,
  kind: 'iovec',
  dir: 'out' as Dir,
  mem: { kind: 'iovec', countArg, data: 'out' },
  fmt: (c, i) =>
    printIovec(c, argAddr(c.ev.args, i), argUlong(c.ev.args, countArg), failed(c) ? Infinity : c.ev.ret, failed(c)),
});

/** An iovec array whose buffers print as addresses (process_madvise's ranges). */
export const iovecAddrs = (name: string, countArg: number): ArgSpec => ({
  name,
  kind: 'iovec',
  dir: 'in',
  fmt: (c, i) => printIovec(c, argAddr(c.ev.args, i), argUlong(c.ev.args, countArg), Infinity, true),
});
