// Argument kinds: small constructors that a syscall row is written with. Each returns an ArgSpec
// (name, kind tag, direction, memory rule, formatter). A decoder is a list of these.

import { argExact, argHex, argInt, argLong, argUint, argUlong, type U64 } from '../trace/event.js';
import type { ArgFormatter, ArgSpec, Call, RetFormatter } from './types.js';
import { hex, oct, printFlags, printXval, udec, type Xlat } from './xlat.js';
import { printAddr, printBuffer, printCString, printPath } from './strings.js';
import { OPEN_ACCESS_MODES, OPEN_MODE_FLAGS } from './constants/open.js';
import { printDirFd, printFd } from './fds.js';
import { styled, symbolic } from './style.js';
import { printSignal } from './constants/signals.js';
import { CLOCKS } from './constants/time.js';

// ---- argument values -------------------------------------------------------------------------

/** Argument i as an exact unsigned 64-bit decimal. */
export function argUdec(args: Int32Array, i: number): string {
  const hi = args[2 * i + 1] >>> 0;
  if (hi < 0x200000) return String(hi * 4294967296 + (args[2 * i] >>> 0));
  return ((BigInt(hi) << 32n) | BigInt(args[2 * i] >>> 0)).toString();
}

/** Argument i as an exact signed 64-bit decimal. */
export function argSdec(args: Int32Array, i: number): string {
  const hi = args[2 * i + 1];
  if (hi < 0x200000 && hi >= -0x200000) return String(argLong(args, i));
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(args[2 * i] >>> 0)).toString();
}

/** Argument i as an address, exactly: a number below 2^53 (every user-space address), a bigint
 *  above (never readable; printed in full). */
export function argAddr(args: Int32Array, i: number): U64 {
  return argExact(args, i);
}

/** True when the call failed (only meaningful at exit). */
export function failed(c: Call): boolean {
  return c.ev.errno !== 0;
}

// ---- plain values --------------------------------------------------------------------------

function scalar(name: string, kind: string, fmt: ArgFormatter, show?: (args: Int32Array) => boolean): ArgSpec {
  return show ? { name, kind, dir: 'in', fmt, show } : { name, kind, dir: 'in', fmt };
}

/** A file descriptor (`int`); with -y, what it refers to. */
export const fd = (name: string): ArgSpec => scalar(name, 'fd', (c, i) => printFd(c, argInt(c.ev.args, i)));

/** A directory fd of the *at() calls: `AT_FDCWD` or the descriptor. */
export const dirfd = (name: string): ArgSpec => scalar(name, 'dirfd', (c, i) => printDirFd(c, argInt(c.ev.args, i)));

/** A signed `int`. */
export const int = (name: string): ArgSpec => scalar(name, 'int', (c, i) => String(argInt(c.ev.args, i)));

/** An `unsigned int`. */
export const uint = (name: string): ArgSpec => scalar(name, 'uint', (c, i) => String(argUint(c.ev.args, i)));

/** An unsigned long: sizes and counts. */
export const ulong = (name: string): ArgSpec => scalar(name, 'ulong', (c, i) => argUdec(c.ev.args, i));

/** A signed long: file offsets. */
export const long = (name: string): ArgSpec => scalar(name, 'long', (c, i) => argSdec(c.ev.args, i));

/** A value strace prints in hex (`0` or `0x…`). */
export const hexArg = (name: string): ArgSpec => scalar(name, 'hex', (c, i) => argHex(c.ev.args, i));

/** A pointer strace does not follow: `NULL` or the address. */
export const ptr = (name: string): ArgSpec => scalar(name, 'ptr', (c, i) => printAddr(argAddr(c.ev.args, i)));

/** Flags of a 32-bit argument printed over a constant table. */
export const flags = (name: string, table: Xlat, dflt?: string): ArgSpec =>
  scalar(name, 'flags', (c, i) => printFlags(table, argUint(c.ev.args, i), dflt));

/** Flags of a 64-bit argument. */
export const flags64 = (name: string, table: Xlat, dflt?: string): ArgSpec =>
  scalar(name, 'flags', (c, i) => printFlags(table, argExact(c.ev.args, i), dflt));

/** One value of a constant table (an enum) from a 32-bit argument. */
export const xval = (name: string, table: Xlat, dflt?: string): ArgSpec =>
  scalar(name, 'enum', (c, i) => printXval(table, argUint(c.ev.args, i), dflt));

/** One value of a constant table from a 64-bit argument. */
export const xval64 = (name: string, table: Xlat, dflt?: string): ArgSpec =>
  scalar(name, 'enum', (c, i) => printXval(table, argExact(c.ev.args, i), dflt));

/** A file mode (`umode_t`): octal, `0644`. `show` restricts when it is printed. */
export const mode = (name: string, show?: (args: Int32Array) => boolean): ArgSpec =>
  scalar(name, 'mode', (c, i) => oct(argUint(c.ev.args, i) & 0xffff), show);

/** A signal number: `SIGINT`, or the number. */
export const signal = (name: string): ArgSpec => scalar(name, 'signal', (c, i) => printSignal(argInt(c.ev.args, i)));

/** strace's tprint_open_modes: the access mode first, then the other flags, unknown bits in hex. */
export function printOpenFlags(v: number): string {
  // Composed from two tables: printed as one constant under -X.
  const names = symbolic(() => {
    const acc = printXval(OPEN_ACCESS_MODES, v & 3);
    const rest = (v & ~3) >>> 0;
    return rest === 0 ? acc : acc + '|' + printFlags(OPEN_MODE_FLAGS, rest);
  });
  return styled(hex(v), names);
}

/** open(2)-style flags. */
export const openFlags = (name: string): ArgSpec => scalar(name, 'open_flags', (c, i) => printOpenFlags(argUint(c.ev.args, i)));

/** strace's printclockname: `CLOCK_MONOTONIC`; CPU clocks (negative ids) print in hex with a
 *  `CLOCK_???` comment, as strace 6.1's Debian build does. */
export function printClockName(id: number): string {
  return printXval(CLOCKS, id >>> 0, 'CLOCK_???');
}

/** A clock id. */
export const clockid = (name: string): ArgSpec => scalar(name, 'clockid', (c, i) => printClockName(argInt(c.ev.args, i)));

// ---- memory arguments ------------------------------------------------------------------------

/** A path the kernel reads: a quoted string, not cut by `-s`. */
export const path = (name: string): ArgSpec => ({
  name,
  kind: 'path',
  dir: 'in',
  mem: { kind: 'cstring' },
  fmt: (c, i) => printPath(c, argAddr(c.ev.args, i)),
});

/** A buffer the kernel reads, `lenArg` bytes long (write's data). */
export const inBuf = (name: string, lenArg: number): ArgSpec => ({
  name,
  kind: 'buf',
  dir: 'in',
  mem: { kind: 'buffer', dir: 'in', size: { arg: lenArg } },
  fmt: (c, i) => printBuffer(c, argAddr(c.ev.args, i), argUlong(c.ev.args, lenArg)),
});

/**
 * A buffer the kernel fills, as many bytes as the call returns (at most argument `cap`):
 * the data on success, the address on failure. `hexAll` prints every byte as `\xNN`.
 */
export const outBuf = (name: string, cap: number, hexAll = false): ArgSpec => ({
  name,
  kind: 'buf',
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { ret: true, cap } },
  fmt: (c, i) => {
    const addr = argAddr(c.ev.args, i);
    return failed(c) ? printAddr(addr) : printBuffer(c, addr, c.ev.ret, hexAll);
  },
});

/** How a struct prints from its bytes. */
export interface StructSpec {
  /** The C struct's name, used as the kind tag. */
  readonly kind: string;
  readonly size: number;
  readonly print: (b: Uint8Array, c: Call) => string;
}

/**
 * strace's umove_or_printaddr: `NULL` for 0, the address when unreadable or (at exit) when the call
 * failed, else the struct.
 */
export function printStruct(c: Call, addr: U64, s: StructSpec): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0) return 'NULL';
  // Not -e verbose for this call: structs as their addresses.
  if (!c.opts.verbose || (c.exiting && failed(c))) return hex(addr);
  const b = c.mem.readBytes(addr, s.size);
  return b === null ? hex(addr) : s.print(b, c);
}

/** A struct the kernel reads. */
export const inStruct = (name: string, s: StructSpec): ArgSpec => ({
  name,
  kind: s.kind,
  dir: 'in',
  mem: { kind: 'buffer', dir: 'in', size: { fixed: s.size } },
  fmt: (c, i) => printStruct(c, argAddr(c.ev.args, i), s),
});

/** A struct the kernel writes on success. */
export const outStruct = (name: string, s: StructSpec): ArgSpec => ({
  name,
  kind: s.kind,
  dir: 'out',
  mem: { kind: 'buffer', dir: 'out', size: { fixed: s.size } },
  fmt: (c, i) => printStruct(c, argAddr(c.ev.args, i), s),
});

// ---- results ---------------------------------------------------------------------------------

/** Unsigned decimal (strace's default). */
export const RET_DEC: RetFormatter = (c) => udec(c.ev.ret);

/** Hex, for calls returning addresses (brk, mmap, mremap, shmat). */
export const RET_HEX: RetFormatter = (c) => hex(c.ev.ret);

/** Octal, for umask. */
export const RET_OCT: RetFormatter = (c) => oct(c.ev.ret);

// ---- more values -----------------------------------------------------------------------------

/** An `unsigned int` strace prints in hex (flags it leaves undecoded): `0`, `0x10`. */
export const hexUint = (name: string): ArgSpec => scalar(name, 'hex', (c, i) => hex(argUint(c.ev.args, i)));

/** A NUL-terminated string the kernel reads, cut by -s (strace's printstr): an xattr's name. */
export const cstr = (name: string): ArgSpec => ({
  name,
  kind: 'string',
  dir: 'in',
  mem: { kind: 'cstring' },
  fmt: (c, i) => printCString(c, argAddr(c.ev.args, i)),
});

/** An argument printed at exit although it is an input (strace prints wait4's options, or the
 *  size after an output buffer, then). */
export const atExit = (spec: ArgSpec): ArgSpec => ({ ...spec, at: 'exit' });
