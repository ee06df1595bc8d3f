// Signal masks and sigactions as syscall arguments.

import { argUlong } from '../../trace/event.js';
import { argAddr, printStruct } from '../arg-kinds.js';
import { printSigmask, SIGACTION } from '../structs.js';
import { hex } from '../xlat.js';
import type { ArgSpec, Call, Dir } from '../types.js';

/** strace's print_sigset_addr_len: the mask, if `len` is 8 bytes (the kernel's sigset size). */
export function printSigsetAt(c: Call, addr: number, len: number): string {
  if (addr === 0) return 'NULL';
  if (len < 8 || len > 8) return hex(addr);
  if (c.exiting && c.ev.errno !== 0) return hex(addr);
  const b = c.mem.readBytes(addr, len);
  return b === null ? hex(addr) : printSigmask(b, len);
}

/** A sigset_t the kernel reads (`in`) or writes (`out`); its size is argument `lenArg`. */
export const sigset = (name: string, dir: Dir, lenArg: number): ArgSpec => ({
  name,
  kind: 'sigset',
  dir,
  mem: { kind: 'buffer', dir, size: { arg: lenArg } },
  fmt: (c, i) => printSigsetAt(c, argAddr(c.ev.args, i), argUlong(c.ev.args, lenArg)),
});

/** A struct sigaction the kernel reads (`in`, the new action) or writes (`out`, the old one). */
export const sigaction = (name: string, dir: Dir): ArgSpec => ({
  name,
  kind: 'sigaction',
  dir,
  mem: { kind: 'buffer', dir, size: { fixed: SIGACTION.size } },
  fmt: (c, i) => printStruct(c, argAddr(c.ev.args, i), SIGACTION),
});
