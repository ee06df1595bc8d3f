// Edge-biased random values for the differential tests: a seeded generator (every run sees the
// same cases) and pools of the integers and floating-point bit patterns where implementations go
// wrong (zero, all ones, sign bits, saturation limits, NaNs, infinities, denormals, signed zeros,
// rounding ties, integer-conversion limits).

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  /** A uniformly random uint32. */
  u32(): number {
    // xorshift32
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  below(n: number): number {
    return this.u32() % n;
  }
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
}

const INT_EDGES_32 = [0, 1, 2, 0xffffffff, 0xfffffffe, 0x80000000, 0x7fffffff, 0x80000001, 0x8000, 0x7fff, 0xffff8000, 0x80, 0x7f, 0xff, 0xffff, 0x100, 0x10000];

/** A 32-bit value: an edge, a small number, a small negative, or random bits. */
export function int32(rng: Rng): number {
  switch (rng.below(6)) {
    case 0:
      return rng.pick(INT_EDGES_32);
    case 1:
      return rng.below(64);
    case 2:
      return (-1 - rng.below(64)) >>> 0;
    default:
      return rng.u32();
  }
}

const INT_EDGES_64 = [0n, 1n, 0xffffffffffffffffn, 0x8000000000000000n, 0x7fffffffffffffffn, 0xffffffffn, 0x80000000n, 0x7fffffffn, 0xffffffff80000000n, 0x100000000n];

export function int64(rng: Rng): bigint {
  switch (rng.below(7)) {
    case 0:
      return rng.pick(INT_EDGES_64);
    case 1:
      return BigInt(rng.below(64));
    case 2:
      return 0xffffffffffffffffn - BigInt(rng.below(64));
    case 3:
      return BigInt(int32(rng)); // upper half zero
    case 4:
      return BigInt.asUintN(64, BigInt((int32(rng) << 0) | 0)); // sign-extended 32-bit value
    default:
      return rng.u64();
  }
}

/** Bytes with per-byte edges (0, 0xff, 0x80, 0x7f) mixed into random ones. */
export function byteLane(rng: Rng): number {
  return rng.chance(0.4) ? rng.pick([0, 0xff, 0x80, 0x7f, 0x01, 0xfe, 0x81]) : rng.below(256);
}

// ---------------------------------------------------------------- floating point

const f32buf = new Float32Array(1);
const f32bits = new Uint32Array(f32buf.buffer);

function bitsOf32(v: number): number {
  f32buf[0] = v;
  return f32bits[0]!;
}

const F32_EDGES = [
  0x00000000, 0x80000000, // +-0
  0x7f800000, 0xff800000, // +-inf
  0x7fc00000, 0xffc00000, 0x7fc12345, 0xffe00001, // QNaNs
  0x7f800001, 0xff812345, 0x7fa00000, // SNaNs
  0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00400000, // denormals
  0x00800000, 0x80800000, 0x00800001, // smallest normals
  0x7f7fffff, 0xff7fffff, 0x7f7ffffe, // largest finite
  0x3f800000, 0xbf800000, 0x3f000000, 0x40000000, 0x3fc00000, 0x40200000, 0xc0200000, 0x3f800001,
  bitsOf32(2147483520), bitsOf32(2147483648), bitsOf32(-2147483648), bitsOf32(-2147483904),
  bitsOf32(9223371487098961920), bitsOf32(9223372036854775808), bitsOf32(-9223372036854775808),
  bitsOf32(0.1), bitsOf32(1 / 3), bitsOf32(16777217), bitsOf32(-0.5), bitsOf32(1.5), bitsOf32(-1.5),
  0x1f800000, 0x20000000, 0x0c000000, 0x5f800000, 0x7e800000, // magnitudes near under/overflow of products
];

/** A single-precision bit pattern: an edge, a "nice" number, or random bits in some exponent range. */
export function f32Lane(rng: Rng): number {
  switch (rng.below(8)) {
    case 0:
    case 1:
      return rng.pick(F32_EDGES) >>> 0;
    case 2:
      return bitsOf32((rng.below(2001) - 1000) / rng.pick([1, 2, 4, 8, 3, 10]));
    case 3:
      // random denormal or tiny normal
      return ((rng.chance(0.5) ? 0x80000000 : 0) | (rng.below(3) << 23) | (rng.u32() & 0x7fffff)) >>> 0;
    case 4:
      // near overflow
      return ((rng.chance(0.5) ? 0x80000000 : 0) | ((0xfb + rng.below(4)) << 23) | (rng.u32() & 0x7fffff)) >>> 0;
    case 5:
      // moderate exponent
      return ((rng.u32() & 0x80000000) | ((0x60 + rng.below(0x40)) << 23) | (rng.u32() & 0x7fffff)) >>> 0;
    default:
      return rng.u32();
  }
}

const f64buf = new Float64Array(1);
const f64bits = new BigUint64Array(f64buf.buffer);

function bitsOf64(v: number): bigint {
  f64buf[0] = v;
  return f64bits[0]!;
}

const F64_EDGES: bigint[] = [
  0n, 0x8000000000000000n,
  0x7ff0000000000000n, 0xfff0000000000000n,
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff8000012345678n, 0xfffc000000000001n,
  0x7ff0000000000001n, 0xfff4000000000000n, 0x7ff00000ffffffffn,
  0x0000000000000001n, 0x8000000000000001n, 0x000fffffffffffffn, 0x800fffffffffffffn, 0x0008000000000000n,
  0x0010000000000000n, 0x8010000000000000n, 0x0010000000000001n,
  0x7fefffffffffffffn, 0xffefffffffffffffn,
  bitsOf64(1), bitsOf64(-1), bitsOf64(0.5), bitsOf64(2), bitsOf64(1.5), bitsOf64(2.5), bitsOf64(-2.5),
  bitsOf64(2147483647), bitsOf64(2147483647.5), bitsOf64(2147483648), bitsOf64(-2147483648), bitsOf64(-2147483648.5),
  bitsOf64(-2147483649), bitsOf64(9223372036854774784), bitsOf64(9223372036854775808), bitsOf64(-9223372036854775808),
  bitsOf64(-9223372036854777856), bitsOf64(0.1), bitsOf64(1 / 3), bitsOf64(2 ** 53 + 2), bitsOf64(3.4028235677973366e38),
  bitsOf64(3.4028234663852886e38), bitsOf64(1.1754943508222875e-38), bitsOf64(1.401298464324817e-45), bitsOf64(7.006492321624085e-46),
  bitsOf64(1.1754942807573643e-38), bitsOf64(1.1754943157898259e-38),
];

export function f64Lane(rng: Rng): bigint {
  switch (rng.below(8)) {
    case 0:
    case 1:
      return rng.pick(F64_EDGES);
    case 2:
      return bitsOf64((rng.below(2001) - 1000) / rng.pick([1, 2, 4, 8, 3, 10]));
    case 3:
      return ((rng.chance(0.5) ? 1n : 0n) << 63n) | (BigInt(rng.below(3)) << 52n) | (rng.u64() & 0xfffffffffffffn);
    case 4:
      return ((rng.chance(0.5) ? 1n : 0n) << 63n) | (BigInt(0x7fb + rng.below(4)) << 52n) | (rng.u64() & 0xfffffffffffffn);
    case 5:
      // around the single-precision range (for conversions)
      return ((rng.chance(0.5) ? 1n : 0n) << 63n) | (BigInt(1023 - 160 + rng.below(320)) << 52n) | (rng.u64() & 0xfffffffffffffn);
    case 6:
      return ((rng.chance(0.5) ? 1n : 0n) << 63n) | (BigInt(0x300 + rng.below(0x200)) << 52n) | (rng.u64() & 0xfffffffffffffn);
    default:
      return rng.u64();
  }
}

export type LaneKind = 'int' | 'f32' | 'f64';

/** Fills 16 bytes with lanes of the given kind. */
export function fillLanes(rng: Rng, out: Uint8Array, kind: LaneKind): void {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let at = 0; at + 4 <= out.length; ) {
    if (kind === 'f32') {
      v.setUint32(at, f32Lane(rng), true);
      at += 4;
    } else if (kind === 'f64' && at + 8 <= out.length) {
      v.setBigUint64(at, f64Lane(rng), true);
      at += 8;
    } else if (kind === 'int' && rng.chance(0.5)) {
      for (let k = 0; k < 4; k++) out[at + k] = byteLane(rng);
      at += 4;
    } else {
      v.setUint32(at, int32(rng), true);
      at += 4;
    }
  }
}
