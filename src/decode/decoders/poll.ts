// poll, ppoll, select and pselect6: the descriptors asked about at entry, and what was ready
// (with the time left) as the result's comment at exit, as strace prints them.

import { argInt, argUint } from '../../trace/event.js';
import type { U64 } from '../../trace/event.js';
import { argAddr, printStruct } from '../arg-kinds.js';
import { i32, u16, u64, u64x } from '../bytes.js';
import { POLL_EVENTS } from '../constants/fs.js';
import { printAddr } from '../strings.js';
import { TIMESPEC, TIMEVAL } from '../structs.js';
import type { ArgSpec, Call, RetFormatter } from '../types.js';
import { hex, printFlags, sprintFlags, udec } from '../xlat.js';
import { printSigsetAt } from './signal.js';
import { printFd } from '../fds.js';

/** The struct pollfd array: `[{fd=3, events=POLLIN}, {fd=-1}]`, at most `-s` elements. */
function printPollfds(c: Call, addr: U64, nfds: number): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0) return 'NULL';
  if (nfds === 0) return '[]';
  if (!c.opts.verbose) return hex(addr);
  const parts: string[] = [];
  for (let k = 0; k < nfds; k++) {
    if (k >= c.opts.stringLimit && c.opts.abbreviate) {
      parts.push('...');
      break;
    }
    const b = c.mem.readBytes(addr + 8 * k, 8);
    if (b === null) {
      if (k === 0) return hex(addr);
      parts.push('... /* ' + hex(addr + 8 * k) + ' */');
      break;
    }
    const fd = i32(b, 0);
    parts.push(fd < 0 ? '{fd=' + fd + '}' : '{fd=' + printFd(c, fd) + ', events=' + printFlags(POLL_EVENTS, u16(b, 4), 'POLL???') + '}');
  }
  return '[' + parts.join(', ') + ']';
}

/** poll's and ppoll's first argument. */
export const pollfds = (name: string): ArgSpec => ({
  name,
  kind: 'pollfd[]',
  dir: 'inout',
  at: 'entry',
  mem: { kind: 'buffer', dir: 'inout', size: { arg: 1, scale: 8 } },
  fmt: (c, i) => printPollfds(c, argAddr(c.ev.args, i), argUint(c.ev.args, 1)),
});

function sprintTime(c: Call, addr: U64, micro: boolean): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  return printStruct(c, addr, micro ? TIMEVAL : TIMESPEC);
}

/** poll's (timespecArg -1) and ppoll's result: `1 ([{fd=3, revents=POLLIN}], left {…})`, or
 *  `0 (Timeout)`. */
export function pollRet(timespecArg: number): RetFormatter {
  return (c) => {
    const r = c.ev.ret;
    if (r === 0) return '0 (Timeout)';
    const addr = argAddr(c.ev.args, 0);
    const nfds = argUint(c.ev.args, 1);
    let out = '';
    // Not -e verbose: no revents (strace's umoven_or_printaddr).
    if (!c.opts.verbose) return udec(r);
    if (addr !== 0 && typeof addr !== 'bigint' && nfds !== 0) {
      const parts: string[] = [];
      let printed = 0;
      for (let k = 0; k < nfds; k++) {
        const b = c.mem.readBytes(addr + 8 * k, 8);
        if (b === null) {
          parts.push(hex(addr + 8 * k));
          break;
        }
        const revents = u16(b, 6);
        if (!revents) continue;
        if (printed >= c.opts.stringLimit) {
          parts.push('...');
          break;
        }
        parts.push('{fd=' + i32(b, 0) + ', revents=' + (sprintFlags('', POLL_EVENTS, revents) ?? '') + '}');
        printed++;
      }
      if (parts.length > 0) out = '[' + parts.join(', ') + ']';
    }
    const ts = timespecArg >= 0 ? argAddr(c.ev.args, timespecArg) : 0;
    if (ts !== 0) out += (out === '' ? 'left ' : ', left ') + sprintTime(c, ts, false);
    return out === '' ? udec(r) : udec(r) + ' (' + out + ')';
  };
}

/** select's descriptor sets: the numbers of the bits set among the first nfds. */
function fdsetBytes(nfds: number): number {
  const n = nfds < 0 ? 0 : Math.min(nfds, 1024 * 1024);
  return (Math.ceil(n / 8) + 7) & ~7;
}

function setBits(b: Uint8Array, nfds: number): number[] {
  const fds: number[] = [];
  for (let fd = 0; fd < nfds; fd++) if (b[fd >> 3] & (1 << (fd & 7))) fds.push(fd);
  return fds;
}

/** One fd_set argument of select/pselect6: `[3 4]`, `NULL`. */
export const fdset = (name: string): ArgSpec => ({
  name,
  kind: 'fd_set',
  dir: 'inout',
  at: 'entry',
  mem: (args) => {
    const size = fdsetBytes(argInt(args, 0));
    return size > 0 ? { kind: 'buffer', dir: 'inout', size: { fixed: size } } : undefined;
  },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    if (addr === 0) return 'NULL';
    const nfds = Math.max(0, Math.min(argInt(c.ev.args, 0), 1024 * 1024));
    const size = fdsetBytes(nfds);
    if (size === 0) return printAddr(addr);
    const b = c.opts.verbose && typeof addr !== 'bigint' ? c.mem.readBytes(addr, size) : null;
    if (b === null) return hex(addr);
    return '[' + setBits(b, nfds).map((fd) => printFd(c, fd)).join(' ') + ']';
  },
});

/** select's (micro) and pselect6's result: `1 (in [3], left {…})`, or `0 (Timeout)`. */
export function selectRet(micro: boolean): RetFormatter {
  return (c) => {
    let ready = c.ev.ret;
    if (ready === 0) return '0 (Timeout)';
    const nfds = Math.max(0, Math.min(argInt(c.ev.args, 0), 1024 * 1024));
    const size = fdsetBytes(nfds);
    let out = '';
    let sep = '';
    const names = ['in', 'out', 'except'];
    for (let s = 0; s < 3 && ready > 0; s++) {
      const addr = argAddr(c.ev.args, s + 1);
      const b = addr !== 0 && typeof addr !== 'bigint' && size > 0 ? c.mem.readBytes(addr, size) : null;
      if (b === null) continue;
      let first = true;
      for (const fd of setBits(b, nfds)) {
        if (first) {
          out += sep + names[s] + ' [' + fd;
          first = false;
          sep = ', ';
        } else out += ' ' + fd;
        if (--ready === 0) break;
      }
      if (out !== '') out += ']';
    }
    const ts = argAddr(c.ev.args, 4);
    if (ts !== 0) out += sep + 'left ' + sprintTime(c, ts, micro);
    return udec(c.ev.ret) + ' (' + out + ')';
  };
}

/** pselect6's sixth argument: `{sigmask=[], sigsetsize=8}`, `NULL`. */
export const pselectMask = (name: string): ArgSpec => ({
  name,
  kind: 'sigset_argpack',
  dir: 'in',
  mem: { kind: 'indirect', max: 128 },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    if (addr === 0) return 'NULL';
    const b = c.opts.verbose && typeof addr !== 'bigint' ? c.mem.readBytes(addr, 16) : null;
    if (b === null) return hex(addr);
    return '{sigmask=' + printSigsetAt(c, u64x(b, 0), u64(b, 8)) + ', sigsetsize=' + udec(u64(b, 8)) + '}';
  },
});

