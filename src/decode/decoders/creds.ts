// Credentials: the ids getresuid writes, group lists (getgroups, setgroups) and capability
// headers and sets (capget, capset), as strace's uid.c and capability.c print them.

import { argInt } from '../../trace/event.js';
import type { U64 } from '../../trace/event.js';
import { argAddr, failed, outStruct, printStruct, type StructSpec } from '../arg-kinds.js';
import { u32 } from '../bytes.js';
import { CAP_MASK0, CAP_MASK1, CAP_VERSION_2, CAP_VERSION_3, CAP_VERSIONS } from '../constants/sched.js';
import { printAddr } from '../strings.js';
import type { ArgSpec, Call } from '../types.js';
import { hex, printFlags, printXval } from '../xlat.js';

/** strace's printuid: `-1` for (uid_t)-1, else unsigned. */
export function printUid(v: number): string {
  return v === 0xffffffff ? '-1' : String(v >>> 0);
}

/** A uid_t the kernel writes: `[1000]`. */
const UID_REF: StructSpec = {
  kind: 'uid_t',
  size: 4,
  print: (b) => '[' + printUid(u32(b, 0)) + ']',
};

/** getresuid's and getresgid's outputs. */
export const uidRef = (name: string): ArgSpec => outStruct(name, UID_REF);

/** NGROUPS_MAX: a longer list prints as its address. */
const NGROUPS_MAX = 65536;

/** strace's print_groups: `[0, 1]` (at most -s elements), `NULL`, or the address. */
function printGroups(c: Call, addr: U64, count: number): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (count > NGROUPS_MAX) return printAddr(addr);
  if (addr === 0) return 'NULL';
  const shown = Math.min(count, c.opts.stringLimit);
  const b = c.mem.readBytes(addr, 4 * shown);
  if (b === null) return hex(addr);
  const items = Array.from({ length: shown }, (_, k) => printUid(u32(b, 4 * k)));
  if (shown < count) items.push('...');
  return '[' + items.join(', ') + ']';
}

/** setgroups' list: `size` gids the kernel reads (printed at entry). */
export const groupsIn = (name: string, sizeArg: number): ArgSpec => ({
  name,
  kind: 'gid_t[]',
  dir: 'in',
  mem: (args) => {
    const size = argInt(args, sizeArg) >>> 0;
    return size > 0 && size <= NGROUPS_MAX ? { kind: 'buffer', dir: 'in', size: { arg: sizeArg, scale: 4 } } : undefined;
  },
  fmt: (c, i) => printGroups(c, argAddr(c.ev.args, i), argInt(c.ev.args, sizeArg) >>> 0),
});

/** getgroups' list: as many gids as the call returns (the address when it fails). */
export const groupsOut = (name: string, sizeArg: number): ArgSpec => ({
  name,
  kind: 'gid_t[]',
  dir: 'out',
  mem: (args) => (argInt(args, sizeArg) > 0 ? { kind: 'buffer', dir: 'out', size: { arg: sizeArg, scale: 4 } } : undefined),
  fmt: (c, i) => (failed(c) ? printAddr(argAddr(c.ev.args, i)) : printGroups(c, argAddr(c.ev.args, i), c.ev.ret)),
});

// ---------------------------------------------------------------- capabilities

/** struct __user_cap_header_struct: `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}`. */
const CAP_HEADER: StructSpec = {
  kind: 'cap_user_header_t',
  size: 8,
  print: (b) => '{version=' + printXval(CAP_VERSIONS, u32(b, 0), '_LINUX_CAPABILITY_VERSION_???') + ', pid=' + (u32(b, 4) | 0) + '}',
};

/** The header, read by the kernel (and given the preferred version when it has none it
 *  knows): printed as the call found it. */
export const capHeader = (name: string): ArgSpec => ({
  name,
  kind: CAP_HEADER.kind,
  dir: 'inout',
  at: 'entry',
  mem: { kind: 'buffer', dir: 'inout', size: { fixed: CAP_HEADER.size } },
  fmt: (c, i) => printStruct({ ...c, exiting: false }, argAddr(c.ev.args, i), CAP_HEADER),
});

/** strace's print_cap_bits: a set's two words, each over its own table. */
function printCapBits(lo: number, hi: number): string {
  const parts: string[] = [];
  if (lo || !hi) parts.push(printFlags(CAP_MASK0, lo, 'CAP_???'));
  if (hi) parts.push(printFlags(CAP_MASK1, hi, 'CAP_???'));
  return parts.join('|');
}

/** The sets after a header (arg 0): two words each for versions 2 and 3, one for others. */
function printCapData(c: Call, addr: U64): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  const header = argAddr(c.ev.args, 0);
  const h = header === 0 || typeof header === 'bigint' ? null : c.mem.readBytes(header, 4);
  if (addr === 0 || h === null) return printAddr(addr);
  const version = u32(h, 0);
  const words = version === CAP_VERSION_2 || version === CAP_VERSION_3 ? 2 : 1;
  const b = c.mem.readBytes(addr, 12 * words);
  if (b === null) return hex(addr);
  const set = (field: number) => printCapBits(u32(b, 4 * field), words > 1 ? u32(b, 12 + 4 * field) : 0);
  return '{effective=' + set(0) + ', permitted=' + set(1) + ', inheritable=' + set(2) + '}';
}

/** capget's sets (written by the kernel; the address when the call failed). */
export const capDataOut = (name: string): ArgSpec => ({
  name,
  kind: 'cap_user_data_t',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { fixed: 24 } },
  fmt: (c, i) => (failed(c) ? printAddr(argAddr(c.ev.args, i)) : printCapData(c, argAddr(c.ev.args, i))),
});

/** capset's sets (read by the kernel). */
export const capDataIn = (name: string): ArgSpec => ({
  name,
  kind: 'cap_user_data_t',
  dir: 'in',
  mem: { kind: 'buffer', dir: 'in', size: { fixed: 24 } },
  fmt: (c, i) => printCapData(c, argAddr(c.ev.args, i)),
});
