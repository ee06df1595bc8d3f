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

/** The descriptors a finished call created: its result when it returns one, a pipe's pair. */
export function fdsCreated(ev: SyscallEvent, mem: GuestMemoryReader): number[] {
  if (ev.errno !== 0 || Number.isNaN(ev.ret)) return [];
  if (returnsFd(ev)) return [ev.ret];
  const specs = rowOf(ev)?.args;
  const i = specs?.findIndex((s) => s.kind === FD_PAIR_KIND) ?? -1;
  if (i < 0) return [];
  const pair = mem.readBytes(argUlong(ev.args, i), 8);
  return pair === null ? [] : [i32(pair, 0), i32(pair, 4)];
}
