// One syscall as `ltrace -S` (0.7.3) prints it: `SYS_write(1, "hi\n", 3)` padded so `= ` starts
// at column 50, then the raw result. Arguments are the raw registers read through ltrace.conf's
// prototypes (lens_default.c): ints in decimal, addresses in hex, octal with a leading 0, strings
// quoted with C escapes (a `"` stays bare), unknown arguments decimal within ±10000 and hex
// beyond; a failed call shows the kernel's -errno as it is.
import { argU64 } from '../../trace/event.js';
import type { GuestMemoryReader, SyscallEvent } from '../../trace/event.js';
import type { FormatOptions } from '../types.js';
import { ltraceSignalName, ltraceSyscallName, signalMessage } from './names.js';
import { LtraceParam, LtracePrototype, LtraceType, ltracePrototype } from './prototypes.js';

/** ltrace's default -a: the result starts at this (1-based) column. */
export const LTRACE_RESULT_COLUMN = 50;
/** ltrace's default -s. */
const DEFAULT_STRING_LIMIT = 32;

/** A call whose entry arguments are printed, waiting for its return. */
export interface LtracePending {
  /** `SYS_read(3` */
  text: string;
  prototype: LtracePrototype;
  /** How many parameters were printed at entry (those before the first `+` one). */
  printed: number;
}

/** At syscall entry: the name and the arguments ltrace prints before the call runs. */
export function ltraceBegin(ev: SyscallEvent, mem: GuestMemoryReader, options: FormatOptions = {}): LtracePending {
  const name = ltraceSyscallName(ev.nr, ev.abi);
  const prototype = ltracePrototype(name);
  const firstOut = prototype.params.findIndex((p) => p.out);
  const printed = firstOut < 0 ? prototype.params.length : firstOut;
  const args = prototype.params.slice(0, printed).map((p, i) => formatParam(p, i, ev, mem, options));
  return { text: `SYS_${name}(${args.join(', ')}`, prototype, printed };
}

/** At return: the whole line, the remaining arguments read from memory as the call left it. */
export function ltraceFinish(pending: LtracePending, ev: SyscallEvent, mem: GuestMemoryReader, options: FormatOptions = {}): string {
  const rest = pending.prototype.params.slice(pending.printed).map((p, k) => formatParam(p, pending.printed + k, ev, mem, options));
  const delimiter = pending.printed > 0 && rest.length > 0 ? ', ' : '';
  const call = pending.text + delimiter + rest.join(', ') + ') ';
  const via = ev.via === undefined ? '' : ` <${ev.via}>`;
  return call.padEnd(LTRACE_RESULT_COLUMN - 1) + '= ' + formatInteger(pending.prototype.ret, BigInt(ev.ret), ev.abi === 'i386') + via;
}

/** A call that never returned (exit, exit_group), ended by the next line ltrace prints. */
export function ltraceNoReturn(pending: LtracePending): string {
  return pending.text + ' <no return ...>';
}

export function ltraceSignalLine(sig: number): string {
  return `--- ${ltraceSignalName(sig)} (${signalMessage(sig)}) ---`;
}

export function ltraceExitedLine(code: number): string {
  return `+++ exited (status ${code}) +++`;
}

/** ltrace says nothing of a core dump. */
export function ltraceKilledLine(sig: number): string {
  return `+++ killed by ${ltraceSignalName(sig)} +++`;
}

function formatParam(param: LtraceParam, i: number, ev: SyscallEvent, mem: GuestMemoryReader, options: FormatOptions): string {
  const word = argU64(ev.args, i);
  const bound = STRING_BOUNDS[param.type];
  if (bound === undefined) return formatInteger(param.type, word, ev.abi === 'i386');
  // stringN: at most argument N's value (1-based; 0 is the return value); a negative one bounds
  // nothing, as ltrace reads it as a huge size_t.
  const limit = bound === null ? null : bound === 0 ? BigInt(ev.ret) : BigInt.asIntN(64, argU64(ev.args, bound - 1));
  return formatString(Number(BigInt.asUintN(64, word)), limit !== null && limit >= 0n ? Number(limit) : Infinity, mem, options.stringLimit ?? DEFAULT_STRING_LIMIT);
}

/** The string types and the argument bounding each (null: up to the NUL alone). */
const STRING_BOUNDS: Partial<Record<LtraceType, number | null>> = { string: null, string0: 0, string2: 2, string3: 3 };

/** An integer-like value through ltrace's lens for its type (HANDLE_WIDTH in lens_default.c);
 *  `narrow`: an i386 call, whose longs and pointers are 32 bits. */
function formatInteger(type: LtraceType, word: bigint, narrow: boolean): string {
  const bits = narrow ? 32 : 64;
  switch (type) {
    case 'int':
      return String(BigInt.asIntN(32, word));
    case 'uint':
      return String(BigInt.asUintN(32, word));
    case 'long':
      return String(BigInt.asIntN(bits, word));
    case 'ulong':
      return String(BigInt.asUintN(bits, word));
    case 'octal':
      return '0' + BigInt.asUintN(32, word).toString(8);
    case 'void':
      return '<void>';
    case 'addr':
      return hex(BigInt.asUintN(bits, word));
    default: {
      // The guessing lens: small magnitudes in decimal, anything else in hex.
      const l = BigInt.asIntN(bits, word);
      return l < -10000n || l > 10000n ? hex(BigInt.asUintN(bits, word)) : String(l);
    }
  }
}

/** printf's %#lx: no prefix for zero. */
function hex(v: bigint): string {
  return v === 0n ? '0' : '0x' + v.toString(16);
}

/**
 * A zero-terminated string of at most `bound` bytes, `limit` of them shown. ltrace adds `...`
 * after the quote whenever the string is at least `limit` long, even exactly that long
 * (format_array's `i == maxlen` test). NULL is `nil`, unreadable memory `?`.
 */
function formatString(addr: number, bound: number, mem: GuestMemoryReader, limit: number): string {
  if (addr === 0) return 'nil';
  const max = Math.min(bound, limit);
  const read = mem.readCString(addr, max);
  if (read === null || (!read.terminated && read.bytes.length < max)) return '?';
  const text = [...read.bytes.subarray(0, limit)].map(escapeChar).join('');
  return `"${text}"` + (read.bytes.length >= limit ? '...' : '');
}

const ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };

/** lens_default.c's format_char: C escapes, printable ASCII as is, 3-digit octal otherwise. */
function escapeChar(c: number): string {
  return ESCAPES[c] ?? (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '\\' + c.toString(8).padStart(3, '0'));
}
