// Which descriptors a call names: the kernel describes exactly these for the event (-y), and -P
// matches a call by them (poll's and select's too, as strace's pathtrace does).

import { argInt, argUlong } from '../trace/event.js';
import type { GuestMemoryReader, SyscallEvent } from '../trace/event.js';
import { i32 } from './bytes.js';
import { FD_PAIR_KIND } from './fds.js';
import { returnsFd, rowOf } from './syscalls.js';

/** The argument kinds whose value is a descriptor. */
const FD_KINDS = new Set(['fd', 'dirfd']);

/** The descriptors in a poll array (`struct pollfd[nfds]`, nfds the next argument) or in a
 *  select set (nfds the first argument), read at entry. */
const FD_LISTS: Readonly<Record<string, (ev: SyscallEvent, i: number, mem: GuestMemoryReader) => number[]>> = {
  'pollfd[]': (ev, i, mem) => {
    const nfds = Math.min(argInt(ev.args, i + 1) >>> 0, 1024);
    const b = nfds > 0 ? mem.readBytes(argUlong(ev.args, i), 8 * nfds) : null;
    const fds: number[] = [];
    for (let k = 0; b !== null && k < nfds; k++) if (i32(b, 8 * k) >= 0) fds.push(i32(b, 8 * k));
    return fds;
  },
  fd_set: (ev, i, mem) => {
    const nfds = Math.max(0, Math.min(argInt(ev.args, 0), 1024));
    const b = nfds > 0 && argUlong(ev.args, i) !== 0 ? mem.readBytes(argUlong(ev.args, i), Math.ceil(nfds / 8)) : null;
    const fds: number[] = [];
    for (let fd = 0; b !== null && fd < nfds; fd++) if (b[fd >> 3] & (1 << (fd & 7))) fds.push(fd);
    return fds;
  },
};

/** The descriptors a call names at entry: in its arguments (AT_FDCWD as -100, the working
 *  directory), in a poll array or a select set. */
export function fdsNamed(ev: SyscallEvent, mem: GuestMemoryReader): number[] {
  const specs = rowOf(ev)?.args;
  if (specs === undefined) return [];
  const out: number[] = [];
  for (let i = 0; i < specs.length; i++) {
    const kind = specs[i].kind;
    if (FD_KINDS.has(kind)) out.push(argInt(ev.args, i));
    else if (FD_LISTS[kind]) out.push(...FD_LISTS[kind](ev, i, mem));
  }
  return out;
}

const MSGHDR_SIZE = 56;
const CMSG_HEADER = 16;
const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;

/** The descriptors in the SCM_RIGHTS control messages of the msghdr at addr. */
function rightsIn(mem: GuestMemoryReader, addr: number): number[] {
  const hdr = addr === 0 ? null : mem.readBytes(addr, MSGHDR_SIZE);
  if (hdr === null) return [];
  const view = new DataView(hdr.buffer, hdr.byteOffset, hdr.byteLength);
  const control = view.getUint32(32, true) + view.getUint32(36, true) * 4294967296;
  const length = Math.min(view.getUint32(40, true) + view.getUint32(44, true) * 4294967296, 4096);
  const b = control === 0 || length < CMSG_HEADER ? null : mem.readBytes(control, length);
  const fds: number[] = [];
  for (let off = 0; b !== null && off + CMSG_HEADER <= length; ) {
    const len = Math.min(i32(b, off), length - off);
    if (len < CMSG_HEADER) break;
    if (i32(b, off + 8) === SOL_SOCKET && i32(b, off + 12) === SCM_RIGHTS) {
      for (let k = off + CMSG_HEADER; k + 4 <= off + len; k += 4) fds.push(i32(b, k));
    }
    off += (len + 7) & ~7;
  }
  return fds;
}

/** The msghdr argument of a call (sendmsg's `in`, recvmsg's `inout`), if it has one. */
function msghdrArg(ev: SyscallEvent, dir: 'in' | 'inout'): number {
  const specs = rowOf(ev)?.args ?? [];
  const i = specs.findIndex((s) => s.kind === 'msghdr' && s.dir === dir);
  return i < 0 ? -1 : i;
}

/** The descriptors whose descriptions a call's line shows at entry: those it names, and those a
 *  sendmsg passes (SCM_RIGHTS). */
export function fdsDescribed(ev: SyscallEvent, mem: GuestMemoryReader): number[] {
  const named = fdsNamed(ev, mem);
  const i = msghdrArg(ev, 'in');
  return i < 0 ? named : [...named, ...rightsIn(mem, argUlong(ev.args, i))];
}

/** The descriptors a finished call created: its result when it returns one, a pipe's pair, the
 *  descriptors a recvmsg received. */
export function fdsCreated(ev: SyscallEvent, mem: GuestMemoryReader): number[] {
  if (ev.errno !== 0 || Number.isNaN(ev.ret)) return [];
  if (returnsFd(ev)) return [ev.ret];
  const received = msghdrArg(ev, 'inout');
  if (received >= 0) return rightsIn(mem, argUlong(ev.args, received));
  const specs = rowOf(ev)?.args;
  const i = specs?.findIndex((s) => s.kind === FD_PAIR_KIND) ?? -1;
  if (i < 0) return [];
  const pair = mem.readBytes(argUlong(ev.args, i), 8);
  return pair === null ? [] : [i32(pair, 0), i32(pair, 4)];
}
