// strace's string quoting: `"a\tb\n\1\0012"`, `-s` truncation with `...`, paths, `\xNN` hex.

import { displayStyle } from './style.js';
import type { U64 } from '../trace/event.js';
import type { Call } from './types.js';
import { hex } from './xlat.js';

/** The byte values that print as themselves (printable ASCII except `"` and `\`). */
const PLAIN = new Uint8Array(256);
for (let c = 0x20; c <= 0x7e; c++) PLAIN[c] = 1;
PLAIN[0x22] = 0;
PLAIN[0x5c] = 0;

const HEX = '0123456789abcdef';

function escapeByte(c: number, next: number): string {
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  // Octal: all three digits when the next byte is an octal digit, else as few as needed.
  if (next >= 0x30 && next <= 0x37) return '\\' + (c >> 6) + ((c >> 3) & 7) + (c & 7);
  if (c >= 0o100) return '\\' + (c >> 6) + ((c >> 3) & 7) + (c & 7);
  if (c >= 0o10) return '\\' + (c >> 3) + (c & 7);
  return '\\' + c;
}

/** Bytes `b[start..end)` as a string of the same char codes (chunked: `apply` has an argument limit). */
function latin1(b: Uint8Array, start: number, end: number): string {
  if (end - start <= 4096) return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  const parts: string[] = [];
  for (let i = start; i < end; i += 4096) parts.push(latin1(b, i, Math.min(end, i + 4096)));
  return parts.join('');
}

/**
 * The escaped text of `b[0..n)` without quotes. A byte's lookahead (for the octal form) sees only
 * bytes before `n`. With `hexAll` every byte prints as `\xNN` (getrandom's buffer).
 */
export function escapeBytes(b: Uint8Array, n: number, hexAll = false): string {
  const hexStrings = displayStyle().hexStrings;
  if (hexAll || hexStrings === 2 || (hexStrings === 1 && needsHex(b, n))) {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = '\\x' + HEX[b[i] >> 4] + HEX[b[i] & 15];
    return out.join('');
  }
  const parts: string[] = [];
  let run = 0; // start of the current run of plain bytes
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (PLAIN[c]) continue;
    if (run < i) parts.push(latin1(b, run, i));
    parts.push(escapeByte(c, i + 1 < n ? b[i + 1] : -1));
    run = i + 1;
  }
  if (run < n) parts.push(latin1(b, run, n));
  return parts.join('');
}

/** strace -x: a string prints all in hex when it has a byte that is neither printable ASCII nor
 *  one of the whitespace escapes `\t \n \v \f \r`. */
function needsHex(b: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c > 0x7e || (c < 0x20 && (c < 9 || c > 13))) return true;
  }
  return false;
}

/** Index of the first NUL in `b[0..n)`, or -1. */
function nulIndex(b: Uint8Array, n: number): number {
  for (let i = 0; i < n; i++) if (b[i] === 0) return i;
  return -1;
}

/** strace's printaddr: `NULL` for 0, else the address in hex. */
export function printAddr(addr: U64): string {
  return addr === 0 || addr === 0n ? 'NULL' : hex(addr);
}

/**
 * strace's printstr for a buffer of `len` bytes at `addr`: at most `-s` bytes, `...` after the
 * closing quote when `len` is larger; `NULL` for 0; the address when unreadable.
 */
export function printBuffer(c: Call, addr: U64, len: number, hexAll = false): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0) return 'NULL';
  const limit = c.opts.stringLimit;
  const want = len < limit + 1 ? len : limit + 1;
  const b = want === 0 ? new Uint8Array(0) : c.mem.readBytes(addr, want);
  if (b === null) return hex(addr);
  const n = want > limit ? limit : want;
  const text = '"' + escapeBytes(b, n, hexAll) + '"';
  return len > limit ? text + '...' : text;
}

/** The most of an extensible struct strace reads: a page. */
export const EXTENSIBLE_STRUCT_MAX = 4096;

/**
 * strace's print_nonzero_bytes: the bytes of an extensible struct (clone_args, open_how...) past
 * the fields it knows, from offset `known` to `size` (at most a page), as `, /* bytes 88..95 *\/
 * "\x01..."` in hex when any is non-zero; '' when all are zero; `, ???` when unreadable.
 */
export function printStructTail(c: Call, addr: number, known: number, size: number): string {
  const end = Math.min(size, EXTENSIBLE_STRUCT_MAX);
  if (known >= end) return '';
  const b = c.mem.readBytes(addr + known, end - known);
  if (b === null) return ', ???';
  if (b.every((x) => x === 0)) return '';
  const shown = Math.min(b.length, c.opts.stringLimit);
  return `, /* bytes ${known}..${end - 1} */ "${escapeBytes(b, shown, true)}"${shown < b.length ? '...' : ''}`;
}

/** Reads one byte more than `max` to learn whether the string is longer (then `...`). */
function cstring(c: Call, addr: U64, max: number): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  const r = c.mem.readCString(addr, max + 1);
  if (r === null) return hex(addr);
  if (r.bytes.length > max) return '"' + escapeBytes(r.bytes, max) + '"...';
  if (r.terminated) return '"' + escapeBytes(r.bytes, r.bytes.length) + '"';
  return hex(addr); // a fault before the NUL
}

/**
 * strace's printpathn: a NUL-terminated string of at most `max` bytes (4095 by default: paths are
 * not cut by `-s`), `...` when longer; `NULL` for 0; the address when unreadable.
 */
export function printPath(c: Call, addr: U64, max = 4095): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0) return 'NULL';
  return cstring(c, addr, max);
}

/**
 * A NUL-terminated string of at most `limit` bytes (strace's printstr on a C string: argv
 * strings and the like); `...` when longer.
 */
export function printCString(c: Call, addr: U64, limit = c.opts.stringLimit): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0) return 'NULL';
  return cstring(c, addr, limit);
}

/** A fixed-size char array field (utsname): up to the first NUL, `...` when it fills the field. */
export function printCharArray(b: Uint8Array): string {
  const size = b.length;
  const nul = nulIndex(b, size - 1);
  if (nul >= 0) return '"' + escapeBytes(b, nul) + '"';
  const text = '"' + escapeBytes(b, size - 1) + '"';
  return b[size - 1] === 0 ? text : text + '...';
}

/**
 * strace's printstr_ex on a NUL-terminated string of at most `len` bytes (prctl's PR_SET_NAME
 * takes 15): up to the NUL, cut at -s, and `...` when no NUL came within the bytes looked at.
 */
export function printStringN(c: Call, addr: U64, len: number): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0) return 'NULL';
  const limit = c.opts.stringLimit;
  const size = Math.min(limit + 1, len);
  if (size <= 0) return '""';
  const r = c.mem.readCString(addr, size);
  if (r === null || (!r.terminated && r.bytes.length < size)) return hex(addr);
  if (r.terminated) return '"' + escapeBytes(r.bytes, r.bytes.length) + '"';
  return '"' + escapeBytes(r.bytes, Math.min(size, limit)) + '"...';
}

/**
 * strace's printstr_ex with QUOTE_OMIT_TRAILING_0 (an xattr's value): a buffer of `len` bytes cut
 * at -s, whose last byte shown is left out when it is a NUL (and then no `...`).
 */
export function printBufferTrimNul(c: Call, addr: U64, len: number): string {
  // An address of 2^53 or more is never readable: printed exactly.
  if (typeof addr === 'bigint') return hex(addr);
  if (addr === 0) return 'NULL';
  const limit = c.opts.stringLimit;
  const size = Math.min(limit + 1, len);
  const b = size <= 0 ? new Uint8Array(0) : c.mem.readBytes(addr, size);
  if (b === null) return hex(addr);
  const n = Math.min(size, limit);
  if (n > 0 && b[n - 1] === 0) return '"' + escapeBytes(b, n - 1) + '"';
  return '"' + escapeBytes(b, n) + '"' + (len > limit ? '...' : '');
}
