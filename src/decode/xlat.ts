// Constant tables ("xlat" in strace) and the two generic printers over them.
//
// A table is plain data: `[value, name]` pairs in the order strace lists them (the order matters
// for flags: the first entry whose bits are all set wins, then its bits are cleared).
// Values are non-negative integers below 2^53 (flags may use both 32-bit halves); the printers
// accept any value below 2^53, a negative number (read as 64-bit two's complement) or a bigint
// (any 64-bit value, exact) and print unknown bits in hex.
// strace -X (style.ts) decides whether names, numbers or both are printed.

import { displayStyle, styled } from './style.js';

/** A constant table: `[value, name]` pairs. */
export type Xlat = readonly (readonly [number, string])[];

const TWO32 = 4294967296;

/** `%#llx` of a value: `0` for zero, else `0x…`; negatives as 64-bit two's complement. */
export function hex(v: number | bigint): string {
  if (typeof v === 'bigint') return v === 0n ? '0' : '0x' + BigInt.asUintN(64, v).toString(16);
  if (v === 0) return '0';
  if (v > 0) return '0x' + v.toString(16);
  return '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);
}

/** Unsigned decimal of a value; negatives as 64-bit two's complement. */
export function udec(v: number | bigint): string {
  if (typeof v === 'bigint') return BigInt.asUintN(64, v).toString();
  return v >= 0 ? String(v) : BigInt.asUintN(64, BigInt(v)).toString();
}

/** `%#03o`: octal with a leading 0, at least 3 characters (`000`, `022`, `0644`). */
export function oct(v: number | bigint): string {
  if (v === 0 || v === 0n) return '000';
  return ('0' + v.toString(8)).padStart(3, '0');
}

/** The name of `v` in `x`, or undefined. */
export function xlookup(x: Xlat, v: number | bigint): string | undefined {
  // Table values are below 2^53: a bigint (2^53 or more) names nothing.
  if (typeof v === 'bigint') return undefined;
  for (let i = 0; i < x.length; i++) if (x[i][0] === v) return x[i][1];
  return undefined;
}

/** strace's printxval: the name, or the hex value followed by `/* dflt *\/` when unknown
 *  (-X raw: the number alone; -X verbose: both). */
export function printXval(x: Xlat, v: number | bigint, dflt?: string): string {
  const s = xlookup(x, v);
  if (s !== undefined) return styled(hex(v), s);
  return dflt === undefined || displayStyle().xlat === 'raw' ? hex(v) : hex(v) + ' /* ' + dflt + ' */';
}

/** Splits a value (below 2^53, or negative as 64-bit two's complement) into unsigned 32-bit halves. */
function halves(v: number | bigint): [number, number] {
  if (typeof v === 'bigint') {
    const u = BigInt.asUintN(64, v);
    return [Number(u >> 32n), Number(u & 0xffffffffn)];
  }
  if (v >= 0) return [Math.floor(v / TWO32), v % TWO32];
  const b = BigInt.asUintN(64, BigInt(v));
  return [Number(b >> 32n), Number(b & 0xffffffffn)];
}

/** Hex of two unsigned 32-bit halves, `0` for zero. */
function hexHalves(hi: number, lo: number): string {
  if (hi === 0) return lo === 0 ? '0' : '0x' + lo.toString(16);
  return '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
}

/**
 * The names of the flags set in `v` in table order, and the unknown bits left over in hex
 * (`''` when none). A zero `v` matches the first entry if its value is 0.
 */
export function flagNames(x: Xlat, v: number | bigint): { names: string[]; rest: string } {
  const names: string[] = [];
  if (v === 0 || v === 0n) {
    // strace looks at the first entry only: a zero-valued name must come first to be printed.
    if (x.length > 0 && x[0][0] === 0) names.push(x[0][1]);
    return { names, rest: '' };
  }
  let [hi, lo] = halves(v);
  // Table values may use the upper half too (CLONE_CLEAR_SIGHAND is 1 << 32).
  for (let i = 0; i < x.length && (lo !== 0 || hi !== 0); i++) {
    const [fhi, flo] = halves(x[i][0]);
    if ((fhi !== 0 || flo !== 0) && ((lo & flo) >>> 0) === flo && ((hi & fhi) >>> 0) === fhi) {
      names.push(x[i][1]);
      lo = (lo & ~flo) >>> 0;
      hi = (hi & ~fhi) >>> 0;
    }
  }
  return { names, rest: hi === 0 && lo === 0 ? '' : hexHalves(hi, lo) };
}

/**
 * strace's printflags: `A|B|0x40` for known flags plus leftover bits; with no known flag, the hex
 * value followed by `/* dflt *\/` (or `0` for zero when a default is given, nothing otherwise).
 */
export function printFlags(x: Xlat, v: number | bigint, dflt?: string): string {
  const { names, rest } = flagNames(x, v);
  if (names.length > 0) {
    if (rest !== '') names.push(rest);
    return styled(hex(v), names.join('|'));
  }
  // An empty default prints no comment (memfd_secret's flags).
  if (rest !== '') return !dflt || displayStyle().xlat === 'raw' ? rest : rest + ' /* ' + dflt + ' */';
  return dflt === undefined ? '' : '0';
}

/** strace's sprintflags for auxiliary strings: `prefix` + names, or undefined when nothing. */
export function sprintFlags(prefix: string, x: Xlat, v: number | bigint): string | undefined {
  const { names, rest } = flagNames(x, v);
  if (names.length === 0 && rest === '') return undefined;
  if (names.length === 0) return prefix + rest;
  if (rest !== '') names.push(rest);
  return prefix + styled(hex(v), names.join('|'));
}
