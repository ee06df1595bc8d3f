// Little-endian field readers over guest bytes, for struct printers.

export function u16(b: Uint8Array, off: number): number {
  return b[off] | (b[off + 1] << 8);
}

export function i32(b: Uint8Array, off: number): number {
  return b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
}

export function u32(b: Uint8Array, off: number): number {
  return i32(b, off) >>> 0;
}

/** A 64-bit field as a number: exact below 2^53 (addresses, sizes, flags). */
export function u64(b: Uint8Array, off: number): number {
  return u32(b, off + 4) * 4294967296 + u32(b, off);
}

/** A 64-bit field exactly: a number below 2^53, else a bigint (pointers read from guest memory). */
export function u64x(b: Uint8Array, off: number): number | bigint {
  const hi = u32(b, off + 4);
  const lo = u32(b, off);
  if (hi < 0x200000) return hi * 4294967296 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** A signed 64-bit field as a number: exact below 2^53 in magnitude. */
export function i64(b: Uint8Array, off: number): number {
  return i32(b, off + 4) * 4294967296 + u32(b, off);
}

/** Unsigned decimal of a 64-bit field, exact. */
export function u64dec(b: Uint8Array, off: number): string {
  const hi = u32(b, off + 4);
  const lo = u32(b, off);
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Signed decimal of a 64-bit field, exact. */
export function i64dec(b: Uint8Array, off: number): string {
  const hi = i32(b, off + 4);
  const lo = u32(b, off);
  if (hi < 0x200000 && hi >= -0x200000) return String(hi * 4294967296 + lo);
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo)).toString();
}

/** `%#llx` of a 64-bit field: `0` or `0x…`. */
export function u64hex(b: Uint8Array, off: number): string {
  const hi = u32(b, off + 4);
  const lo = u32(b, off);
  if (hi === 0) return lo === 0 ? '0' : '0x' + lo.toString(16);
  return '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
}
