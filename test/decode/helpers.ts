// Test helpers: a fake guest memory and syscall events built from plain values.

import type { GuestMemoryReader, SyscallEvent } from '../../src/trace/event.js';
import { beginCall, finishCall, joinLine, syscallNumber } from '../../src/decode/index.js';
import type { FormatOptions } from '../../src/decode/index.js';

/** Guest memory made of a few mapped ranges; everything else is unmapped. */
export class FakeMemory implements GuestMemoryReader {
  private readonly ranges: { addr: number; bytes: Uint8Array }[] = [];

  /** Maps `data` at `addr` (a string is taken byte by byte, char codes 0..255). */
  put(addr: number, data: Uint8Array | string | number[]): this {
    const bytes =
      typeof data === 'string'
        ? Uint8Array.from(data, (ch) => ch.charCodeAt(0))
        : data instanceof Uint8Array
          ? data
          : Uint8Array.from(data);
    this.ranges.push({ addr, bytes: bytes.slice() });
    return this;
  }

  private byteAt(a: number): number | undefined {
    for (let k = this.ranges.length - 1; k >= 0; k--) {
      const r = this.ranges[k];
      if (a >= r.addr && a < r.addr + r.bytes.length) return r.bytes[a - r.addr];
    }
    return undefined;
  }

  readBytes(addr: number, len: number): Uint8Array | null {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const b = this.byteAt(addr + i);
      if (b === undefined) return null;
      out[i] = b;
    }
    return out;
  }

  readCString(addr: number, max: number): { bytes: Uint8Array; terminated: boolean } | null {
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.byteAt(addr + i);
      if (b === undefined) return i === 0 ? null : { bytes: Uint8Array.from(out), terminated: false };
      if (b === 0) return { bytes: Uint8Array.from(out), terminated: true };
      out.push(b);
    }
    return { bytes: Uint8Array.from(out), terminated: false };
  }
}

/** Little-endian struct builder. */
export class Bytes {
  readonly b: Uint8Array;
  private readonly v: DataView;
  constructor(size: number) {
    this.b = new Uint8Array(size);
    this.v = new DataView(this.b.buffer);
  }
  u8(off: number, x: number): this {
    this.b[off] = x;
    return this;
  }
  u16(off: number, x: number): this {
    this.v.setUint16(off, x, true);
    return this;
  }
  u32(off: number, x: number): this {
    this.v.setUint32(off, x >>> 0, true);
    return this;
  }
  i32(off: number, x: number): this {
    this.v.setInt32(off, x, true);
    return this;
  }
  u64(off: number, x: number | bigint): this {
    this.v.setBigUint64(off, BigInt.asUintN(64, BigInt(x)), true);
    return this;
  }
  str(off: number, s: string): this {
    for (let i = 0; i < s.length; i++) this.b[off + i] = s.charCodeAt(i);
    return this;
  }
}

/** A syscall event: `nr` by number or name, arguments as numbers or bigints (negative = two's
 *  complement), `ret` the result (NaN: did not return), `errno` for failures (ret becomes -errno). */
export function event(nr: number | string, args: (number | bigint)[], ret = 0, errno = 0): SyscallEvent {
  const n = typeof nr === 'string' ? syscallNumber(nr) : nr;
  if (n === undefined) throw new Error('no syscall ' + String(nr));
  const a = new Int32Array(12);
  args.forEach((x, i) => {
    const v = BigInt.asUintN(64, BigInt(x));
    a[2 * i] = Number(v & 0xffffffffn) | 0;
    a[2 * i + 1] = Number(v >> 32n) | 0;
  });
  return { seq: 0, pid: 1, tid: 1, icount: 0, rip: 0, nr: n, args: a, ret: errno ? -errno : ret, errno };
}

/** The strace line for a call whose memory is `entry` at entry and `exit` after it. */
export function line(
  ev: SyscallEvent,
  entry: GuestMemoryReader,
  exit: GuestMemoryReader = entry,
  opts?: FormatOptions,
): string {
  const p = beginCall(ev, entry, opts);
  const done = finishCall(p, ev, exit, opts);
  return joinLine(done.call, done.result);
}

export const B = 0x10000000;
