// The x87/MMX part of the differential harness: edge-biased 80-bit values and x87 states, and the
// comparison of the state the host and the emulator leave (FCW, FSW minus the bits the SDM leaves
// undefined for the instruction, the abridged tag word, the last-instruction pointers when an
// exception is pending, ST0-ST7 bit for bit or within a stated tolerance).
import { Exact, withinUlps } from './exact.js';
import type { Outcome, TestCase } from './machine.js';
import { view, x87Bytes } from './machine.js';
import { f32Lane, f64Lane, int64, Rng } from './random.js';

// ---------------------------------------------------------------- 80-bit values

/** An 80-bit value as (significand, sign+exponent). */
export interface F80 {
  sig: bigint;
  se: number;
}

const J = 1n << 63n;
const FRACTION = J - 1n;

function randomSig(rng: Rng): bigint {
  return rng.u64() | J;
}

/** An edge-biased 80-bit value: zeros, denormals, pseudo-denormals, unnormals, infinities,
 *  QNaN/SNaN (and pseudo-NaN/infinity), extreme normals, integers, values converted from singles
 *  and doubles, significands near the rounding points of 24 and 53 bits, random normals. */
export function f80(rng: Rng): F80 {
  const sign = rng.chance(0.5) ? 0x8000 : 0;
  switch (rng.below(20)) {
    case 0:
      return { sig: 0n, se: sign };
    case 1:
      return { sig: rng.u64() & (rng.chance(0.5) ? FRACTION : 0xffffn), se: sign }; // denormal
    case 2:
      return { sig: rng.chance(0.7) ? randomSig(rng) : J, se: sign }; // pseudo-denormal
    case 3:
      if (rng.chance(0.5)) return { sig: rng.u64() & FRACTION, se: sign | (1 + rng.below(0x7ffe)) }; // unnormal
      return { sig: rng.chance(0.5) ? 0n : rng.u64() & FRACTION, se: sign | 0x7fff }; // pseudo-NaN/inf
    case 4:
      return { sig: J, se: sign | 0x7fff }; // infinity
    case 5: {
      const quiet = rng.chance(0.5);
      let sig = J | (quiet ? 1n << 62n : 0n) | (rng.u64() & ((1n << 62n) - 1n) & (rng.chance(0.5) ? 0xffffffffn : -1n));
      if (!quiet && (sig & ((1n << 62n) - 1n)) === 0n) sig |= 1n;
      if (rng.chance(0.2)) sig = 0xc000000000000000n; // the indefinite's significand
      return { sig, se: sign | 0x7fff };
    }
    case 6:
      return rng.pick([
        { sig: FRACTION | J, se: sign | 0x7ffe },
        { sig: J, se: sign | 1 },
        { sig: FRACTION | J, se: sign | 1 },
        { sig: J, se: sign | 0x3fff },
      ]);
    case 7: {
      // a small integer or power of two
      const n = rng.chance(0.5) ? BigInt(1 + rng.below(1000)) : 1n << BigInt(rng.below(64));
      return normalized(sign, n, 0);
    }
    case 8:
      return fromF32(f32Lane(rng));
    case 9:
    case 10:
      return fromF64(f64Lane(rng));
    case 11: {
      // near a rounding point of 53 or 24 bits (and of 64: any random significand is)
      const low = rng.pick([0x400n, 0x3ffn, 0x401n, 0xc00n, 0x800n]);
      const sig = rng.chance(0.5) ? (randomSig(rng) & ~0x7ffn) | low : (randomSig(rng) & ~0xffffffffffn) | (rng.pick([0x80n, 0x7fn, 0x81n, 0x180n]) << 32n);
      return { sig, se: sign | (0x3fff - 40 + rng.below(80)) };
    }
    case 12:
      // near the extended underflow / overflow thresholds
      return { sig: randomSig(rng), se: sign | (rng.chance(0.5) ? 1 + rng.below(80) : 0x7ffe - rng.below(80)) };
    case 13:
      // near the double and single thresholds
      return { sig: randomSig(rng), se: sign | rng.pick([0x3c01, 0x3bcd, 0x43fe, 0x3f81, 0x3f6a, 0x407e]) + rng.below(5) - 2 };
    case 14:
      // integers near the int16/int32/int64 limits and halves
      return normalized(sign, BigInt(rng.pick([32767, 32768, 32769, 2147483647, 2147483648, 2147483649])) * 2n + BigInt(rng.below(3)), -1);
    case 15:
      return { sig: randomSig(rng), se: sign | (0x3fff + 60 + rng.below(8)) };
    default:
      return { sig: randomSig(rng), se: sign | (0x3fff - 64 + rng.below(128)) };
  }
}

/** sign * n * 2^scale, normalized (n > 0). */
export function normalized(sign: number, n: bigint, scale: number): F80 {
  let shift = 0;
  while (n < J) {
    n <<= 1n;
    shift++;
  }
  return { sig: n, se: sign | (0x3fff + 63 - shift + scale) };
}

function fromF32(bits: number): F80 {
  const sign = bits >>> 31 ? 0x8000 : 0;
  const e = (bits >>> 23) & 0xff;
  const f = BigInt(bits & 0x7fffff);
  if (e === 0xff) return { sig: J | (f << 40n), se: sign | 0x7fff };
  if (e === 0) return f === 0n ? { sig: 0n, se: sign } : normalized(sign, f, -149);
  return { sig: J | (f << 40n), se: sign | (e - 127 + 0x3fff) };
}

function fromF64(bits: bigint): F80 {
  const sign = bits >> 63n ? 0x8000 : 0;
  const e = Number((bits >> 52n) & 0x7ffn);
  const f = bits & 0xfffffffffffffn;
  if (e === 0x7ff) return { sig: J | (f << 11n), se: sign | 0x7fff };
  if (e === 0) return f === 0n ? { sig: 0n, se: sign } : normalized(sign, f, -1074);
  return { sig: J | (f << 11n), se: sign | (e - 1023 + 0x3fff) };
}

export function writeF80(bytes: Uint8Array, at: number, v: F80): void {
  const dv = view(bytes);
  if (at + 10 > bytes.length) return;
  dv.setBigUint64(at, v.sig, true);
  dv.setUint16(at + 8, v.se, true);
}

export function readF80(bytes: Uint8Array, at: number): F80 {
  const dv = view(bytes);
  return { sig: dv.getBigUint64(at, true), se: dv.getUint16(at + 8, true) };
}

export function f80Text(v: F80): string {
  return `${v.se.toString(16).padStart(4, '0')}:${v.sig.toString(16).padStart(16, '0')}`;
}

/** Random BCD digits (mostly valid), sign in byte 9. */
export function bcd(rng: Rng, out: Uint8Array, at: number): void {
  for (let k = 0; k < 9; k++) out[at + k] = rng.chance(0.97) ? rng.below(10) * 16 + rng.below(10) : rng.below(256);
  if (rng.chance(0.3)) for (let k = rng.below(9); k < 9; k++) out[at + k] = 0;
  out[at + 9] = rng.chance(0.5) ? 0x80 : 0;
}

// ---------------------------------------------------------------- states

export interface X87Options {
  /** Probability that all eight registers are valid (else a random tag pattern). */
  full?: number;
  /** Keep ST(0) (and ST(1)) valid most of the time. */
  operands?: number;
}

/** A random x87 state in the state's FXSAVE64 area. */
export function randomX87(rng: Rng, state: Uint8Array, options: X87Options = {}): void {
  const x = x87Bytes(state);
  const dv = view(x);
  x.fill(0);
  // FCW: precision 24/53/64 (rarely the reserved 01), rounding, masks mostly all set.
  let fcw = 0x40 | (rng.pick([0, 2, 3, 3, 3, 1]) << 8) | (rng.below(4) << 10) | (rng.chance(0.2) ? 0x1000 : 0);
  fcw |= rng.chance(0.8) ? 0x3f : rng.u32() & 0x3f;
  const top = rng.below(8);
  // FSW: random condition codes and already-set flags (an unmasked one now and then: #MF pending).
  let fsw = (top << 11) | (rng.u32() & 0x4700);
  if (rng.chance(0.3)) fsw |= rng.u32() & 0x3f & fcw;
  if (rng.chance(0.04)) fsw |= rng.u32() & 0x3f;
  if (rng.chance(0.1)) fsw |= 0x40; // SF
  let tags: number;
  if (rng.chance(options.full ?? 0.6)) tags = 0xff;
  else tags = rng.u32() & 0xff;
  if (rng.chance(options.operands ?? 0.8)) tags |= (1 << top) | (1 << ((top + 1) & 7));
  if (rng.chance(0.05)) tags = 0;
  dv.setUint16(0, fcw, true);
  dv.setUint16(2, fsw, true);
  x[4] = tags;
  // The last-instruction pointers only with an exception pending: otherwise the host (AMD) does
  // not keep them across a context switch, which may come between loading the state and the
  // snippet (an FNSTENV would then store zeros).
  if (fsw & ~fcw & 0x3f) {
    dv.setUint16(6, rng.u32() & 0x7ff, true);
    dv.setBigUint64(8, BigInt(rng.u32()) | (rng.chance(0.5) ? BigInt(rng.below(0x8000)) << 32n : 0n), true);
    dv.setBigUint64(16, BigInt(rng.u32()) | (rng.chance(0.5) ? BigInt(rng.below(0x8000)) << 32n : 0n), true);
  }
  for (let k = 0; k < 8; k++) writeF80(x, 32 + 16 * k, f80(rng));
}

/** An MMX-flavoured state: registers hold random 64-bit lanes (exponent bits random too). */
export function randomMmx(rng: Rng, state: Uint8Array): void {
  randomX87(rng, state, { full: 0.3 });
  const x = x87Bytes(state);
  const dv = view(x);
  for (let k = 0; k < 8; k++) {
    dv.setBigUint64(32 + 16 * k, rng.chance(0.5) ? int64(rng) : rng.u64(), true);
    if (rng.chance(0.5)) dv.setUint16(40 + 16 * k, 0xffff, true);
  }
}

// ---------------------------------------------------------------- comparison

export interface X87Compare {
  /** FSW bits the SDM leaves undefined after this instruction (C0-C3 typically). */
  fswUndefined?: number;
  /** Registers (ST numbers after the instruction) compared within `ulps` units in the last place
   *  of the host's instead of exactly: results of the transcendental instructions. Where the host
   *  itself is further off (its trigonometric argument reduction), `reference` gives the exact
   *  value of register k, and the emulator's result must be within `ulps` of that. */
  tolerance?: { registers: number[]; ulps: number; reference?: (input: TestCase, k: number) => Exact | undefined };
  /** Don't compare these FSW bits when the host reports an unmasked exception (pending). */
  pendingUndefined?: number;
}

/** Consecutive 80-bit values of one sign have consecutive ordinals (denormals included). */
function ordinal(v: F80): bigint {
  const e = BigInt(v.se & 0x7fff);
  return e === 0n ? v.sig : (e - 1n) * J + v.sig;
}

export function ulpDistance(a: F80, b: F80): bigint | undefined {
  if ((a.se & 0x8000) !== (b.se & 0x8000)) return undefined;
  const ea = a.se & 0x7fff;
  const eb = b.se & 0x7fff;
  if (ea === 0x7fff || eb === 0x7fff) return undefined;
  if ((ea !== 0 && !(a.sig & J)) || (eb !== 0 && !(b.sig & J))) return undefined;
  const d = ordinal(a) - ordinal(b);
  return d < 0n ? -d : d;
}

/** The differences between the host's and the emulator's x87 state (one line each). */
export function compareX87(input: TestCase, native: Outcome, emulated: Outcome, options: X87Compare = {}): string[] {
  const diffs: string[] = [];
  const a = x87Bytes(native.state);
  const b = x87Bytes(emulated.state);
  const av = view(a);
  const bv = view(b);
  const fcwA = av.getUint16(0, true);
  const fcwB = bv.getUint16(0, true);
  if (fcwA !== fcwB) diffs.push(`fcw: native 0x${fcwA.toString(16)}, emulated 0x${fcwB.toString(16)}`);
  const fswA = av.getUint16(2, true);
  const fswB = bv.getUint16(2, true);
  const pending = (fswA & 0x80) !== 0;
  let mask = 0xffff & ~(options.fswUndefined ?? 0);
  if (native.signal === 8 && pending) mask &= ~(options.pendingUndefined ?? 0);
  if (options.tolerance) mask &= ~0x200; // C1: the rounding direction of a result that may differ
  if ((fswA & mask) !== (fswB & mask)) diffs.push(`fsw: native 0x${fswA.toString(16)}, emulated 0x${fswB.toString(16)} (compared 0x${mask.toString(16)})`);
  if (a[4] !== b[4]) diffs.push(`ftw: native 0x${a[4]!.toString(16)}, emulated 0x${b[4]!.toString(16)}`);
  if (pending) {
    // The host (AMD) stores the last-instruction pointers only while an exception is pending.
    const fopA = av.getUint16(6, true);
    const fopB = bv.getUint16(6, true);
    if (fopA !== fopB) diffs.push(`fop: native 0x${fopA.toString(16)}, emulated 0x${fopB.toString(16)}`);
    for (const [name, at] of [['fip', 8], ['fdp', 16]] as const) {
      const pa = av.getBigUint64(at, true);
      const pb = bv.getBigUint64(at, true);
      if (pa !== pb) diffs.push(`${name}: native 0x${pa.toString(16)}, emulated 0x${pb.toString(16)}`);
    }
  }
  const top = (fswA >> 11) & 7;
  for (let k = 0; k < 8; k++) {
    const ra = readF80(a, 32 + 16 * k);
    const rb = readF80(b, 32 + 16 * k);
    if (ra.sig === rb.sig && ra.se === rb.se) continue;
    if (options.tolerance?.registers.includes(k)) {
      const { ulps, reference } = options.tolerance;
      const d = ulpDistance(ra, rb);
      if (d !== undefined && d <= BigInt(ulps)) continue;
      const exact = reference?.(input, k);
      if (exact && withinUlps(rb, exact, ulps)) continue;
      diffs.push(`st${k}: native ${f80Text(ra)}, emulated ${f80Text(rb)} (${d ?? 'not comparable'} ulps apart, tolerance ${ulps}${exact ? ', and not within it of the exact value' : ''})`);
      continue;
    }
    diffs.push(`st${k} (R${(top + k) & 7}): native ${f80Text(ra)}, emulated ${f80Text(rb)}`);
  }
  return diffs;
}

/** The x87 part of a case, for failure reports. */
export function describeX87(state: Uint8Array): string {
  const x = x87Bytes(state);
  const dv = view(x);
  const regs = Array.from({ length: 8 }, (_, k) => `st${k}=${f80Text(readF80(x, 32 + 16 * k))}`);
  return `fcw=0x${dv.getUint16(0, true).toString(16)} fsw=0x${dv.getUint16(2, true).toString(16)} ftw=0x${x[4]!.toString(16)} fop=0x${dv.getUint16(6, true).toString(16)} fip=0x${dv.getBigUint64(8, true).toString(16)} fdp=0x${dv.getBigUint64(16, true).toString(16)}\n${regs.join(' ')}`;
}
