// 64x64-bit multiplication in 16-bit limbs, exact in doubles (no BigInt: compiled code
// multiplies a lot). Results in PRODUCT[0..3], 32-bit words, low first.

export const PRODUCT = new Int32Array(4);
const LIMB_A = new Float64Array(4);
const LIMB_B = new Float64Array(4);
const COLUMNS = new Float64Array(8);

/** Full unsigned 64x64 -> 128-bit product. */
export function multiplyUnsigned64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  LIMB_A[0] = aLo & 0xffff;
  LIMB_A[1] = aLo >>> 16;
  LIMB_A[2] = aHi & 0xffff;
  LIMB_A[3] = aHi >>> 16;
  LIMB_B[0] = bLo & 0xffff;
  LIMB_B[1] = bLo >>> 16;
  LIMB_B[2] = bHi & 0xffff;
  LIMB_B[3] = bHi >>> 16;
  COLUMNS.fill(0);
  for (let x = 0; x < 4; x++) {
    if (LIMB_A[x] === 0) continue;
    for (let y = 0; y < 4; y++) COLUMNS[x + y] += LIMB_A[x] * LIMB_B[y];
  }
  // Each column is below 4 * 2^32; carry 16 bits at a time.
  let carry = 0;
  for (let k = 0; k < 8; k += 2) {
    const low = COLUMNS[k] + carry;
    const lowLimb = low % 65536;
    const mid = COLUMNS[k + 1] + Math.floor(low / 65536);
    const midLimb = mid % 65536;
    carry = Math.floor(mid / 65536);
    PRODUCT[k >> 1] = lowLimb + midLimb * 65536;
  }
}

/** Signed 64x64 -> 128: the unsigned product with the high half corrected for negative inputs. */
export function multiplySigned64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  multiplyUnsigned64(aLo, aHi, bLo, bHi);
  if (aHi < 0) subtractFromHigh(bLo, bHi);
  if (bHi < 0) subtractFromHigh(aLo, aHi);
}

/** PRODUCT's high 64 bits -= (lo, hi). */
function subtractFromHigh(lo: number, hi: number): void {
  const before = PRODUCT[2];
  PRODUCT[2] = (before - lo) | 0;
  PRODUCT[3] = (PRODUCT[3] - hi - (before >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
}

/** The high 32 bits of the unsigned product of two 32-bit values. */
export function multiplyHigh32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const middle1 = a1 * b0;
  const middle2 = a0 * b1;
  const carry = (((a0 * b0) >>> 16) + (middle1 & 0xffff) + (middle2 & 0xffff)) >>> 16;
  return (a1 * b1 + (middle1 >>> 16) + (middle2 >>> 16) + carry) | 0;
}

/** Whether the signed 64x64 product of the operands recorded for lazy flags (a FlagOp.Imul64)
 *  overflows 64 bits: IMUL's CF and OF, computed only when something reads them. */
export function imul64Overflows(aLo: number, aHi: number, bLo: number, bHi: number): number {
  multiplySigned64(aLo, aHi, bLo, bHi);
  const signFill = PRODUCT[1] >> 31;
  return PRODUCT[2] !== signFill || PRODUCT[3] !== signFill ? 1 : 0;
}
