// Signal masks and sigactions as syscall arguments.

import { argUlong } from '../../trace/event.js';
import type { U64 } from '../../trace/event.js';
import { argAddr, printStruct } from '../arg-kinds.js';
import type { StructSpec } from '../arg-kinds.js';
import { u32, u64, u64dec, u64x } from '../bytes.js';
import { printSignal, SS_FLAGS } from '../constants/signals.js';
import { formatSiginfo, siginfoFromBytes } from '../process-lines.js';
import { printAddr } from '../strings.js';
import { printSigmask, SIGACTION } from '../structs.js';
import { hex, printFlags } from '../xlat.js';
import type { ArgSpec, Call, Dir, RetFormatter } from '../types.js';

/** strace's print_sigset_addr_len: the mask, if `len` is 8 bytes (the kernel's sigset size). */
export function printSigsetAt(c: Call, addr: U64, len: number): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0) return 'NULL';
  if (len < 8 || len > 8 || !c.opts.verbose) return hex(addr);
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

/** struct siginfo (128 bytes), as strace prints it. */
export const SIGINFO: StructSpec = {
  kind: 'siginfo',
  size: 128,
  print: (b) => formatSiginfo(siginfoFromBytes(b)),
};

/** A siginfo_t the kernel fills (rt_sigtimedwait's info). */
export const siginfoOut = (name: string): ArgSpec => ({
  name,
  kind: 'siginfo',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { fixed: SIGINFO.size } },
  fmt: (c, i) => printStruct(c, argAddr(c.ev.args, i), SIGINFO),
});

/** rt_sigtimedwait's result: the signal number and its name, `10 (SIGUSR1)`. */
export const RET_SIGNAL: RetFormatter = (c) => c.ev.ret + ' (' + printSignal(c.ev.ret) + ')';

/** stack_t (24 bytes): `{ss_sp=0x…, ss_flags=0, ss_size=8192}`. */
export const STACK_T: StructSpec = {
  kind: 'stack_t',
  size: 24,
  print: (b) => '{ss_sp=' + printAddr(u64x(b, 0)) + ', ss_flags=' + printFlags(SS_FLAGS, u32(b, 8), 'SS_???') + ', ss_size=' + u64dec(b, 16) + '}',
};

/** Where rt_sigframe's uc_sigmask is relative to RSP at rt_sigreturn (the handler's `ret`
 *  popped pretcode: RSP points at the ucontext, whose mask is at +296). */
const FRAME_UCONTEXT_SIZE = 304;
const UC_SIGMASK = 296;

/** rt_sigreturn's one printed "argument": the mask of the frame it returns from, `{mask=[]}`,
 *  read from the ucontext at the stack pointer (the event's sp). */
export const sigreturnFrame = (name: string): ArgSpec => ({
  name,
  kind: 'ucontext',
  dir: 'in',
  mem: { kind: 'buffer', dir: 'in', size: { fixed: FRAME_UCONTEXT_SIZE } },
  addr: (ev) => ev.sp ?? 0,
  fmt: (c) => {
    const sp = c.ev.sp;
    if (sp === undefined) return '{mask=?}';
    const b = c.opts.verbose ? c.mem.readBytes(sp + UC_SIGMASK, 8) : null;
    return '{mask=' + (b === null ? hex(sp + UC_SIGMASK) : printSigmask(b, 8)) + '}';
  },
});
