// Lazy arithmetic flags. ALU instructions only record their operation, size, operands and result
// (setFlags* below); a flag is computed when something reads it: a Jcc, SETcc, CMOVcc, ADC/SBB,
// PUSHF, LAHF or a signal frame.
import { imul64Overflows } from './multiply.js';
import { AF, ARITH_FLAGS, CF, Cpu, FlagOp, OF, PF, SF, ZF } from './state.js';

/** Parity of each byte value: 1 when it has an even number of set bits (x86's PF). */
const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let bits = 0;
  for (let b = i; b; b >>= 1) bits += b & 1;
  PARITY[i] = bits & 1 ? 0 : 1;
}

/** The sign bit mask for sizes 1, 2, 4 (within the low 32 bits). */
const SIGN_BIT = [0, 0x80, 0x8000, 0, 0x80000000 | 0];

// ---------------------------------------------------------------- recording

/** Records a flag-setting operation on values of size 1, 2 or 4 bytes. `res`, `a`, `b` are the
 *  values truncated to the size (sign does not matter: getters mask). */
export function setFlags32(cpu: Cpu, op: FlagOp, size: number, res: number, a: number, b: number): void {
  cpu.flagOp = op;
  cpu.flagSize = size;
  cpu.flagResLo = res;
  cpu.flagResHi = 0;
  cpu.flagALo = a;
  cpu.flagAHi = 0;
  cpu.flagBLo = b;
  cpu.flagBHi = 0;
}

/** Records a flag-setting operation on 64-bit values given as halves. */
export function setFlags64(cpu: Cpu, op: FlagOp, resLo: number, resHi: number, aLo: number, aHi: number, bLo: number, bHi: number): void {
  cpu.flagOp = op;
  cpu.flagSize = 8;
  cpu.flagResLo = resLo;
  cpu.flagResHi = resHi;
  cpu.flagALo = aLo;
  cpu.flagAHi = aHi;
  cpu.flagBLo = bLo;
  cpu.flagBHi = bHi;
}

/** Records a result whose CF and OF the instruction computed itself (shifts, multiplies). */
export function setFlagsResult(cpu: Cpu, size: number, resLo: number, resHi: number, carry: number, overflow: number): void {
  cpu.flagOp = FlagOp.ResultCarryOverflow;
  cpu.flagSize = size;
  cpu.flagResLo = resLo;
  cpu.flagResHi = resHi;
  cpu.carry = carry;
  cpu.overflow = overflow;
}

// ---------------------------------------------------------------- reading single flags

/** Result masked to its size, as an unsigned low word (size <= 4). */
function resultLow(cpu: Cpu): number {
  switch (cpu.flagSize) {
    case 1:
      return cpu.flagResLo & 0xff;
    case 2:
      return cpu.flagResLo & 0xffff;
    default:
      return cpu.flagResLo >>> 0;
  }
}

function maskOf(size: number): number {
  return size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff;
}

/** Unsigned a < b for the recorded size, comparing halves for 64-bit. */
function below(size: number, aLo: number, aHi: number, bLo: number, bHi: number): boolean {
  if (size === 8) {
    const ah = aHi >>> 0;
    const bh = bHi >>> 0;
    return ah < bh || (ah === bh && aLo >>> 0 < bLo >>> 0);
  }
  const mask = maskOf(size);
  return ((aLo & mask) >>> 0) < ((bLo & mask) >>> 0);
}

export function getCF(cpu: Cpu): number {
  switch (cpu.flagOp) {
    case FlagOp.Explicit:
      return cpu.flagsWord & CF;
    case FlagOp.Add: // carry out: result < a
      return below(cpu.flagSize, cpu.flagResLo, cpu.flagResHi, cpu.flagALo, cpu.flagAHi) ? 1 : 0;
    case FlagOp.Adc:
      return cpu.carry
        ? below(cpu.flagSize, cpu.flagResLo, cpu.flagResHi, cpu.flagALo, cpu.flagAHi) || equalAtSize(cpu.flagSize, cpu.flagResLo, cpu.flagResHi, cpu.flagALo, cpu.flagAHi)
          ? 1
          : 0
        : below(cpu.flagSize, cpu.flagResLo, cpu.flagResHi, cpu.flagALo, cpu.flagAHi)
          ? 1
          : 0;
    case FlagOp.Sub: // borrow: a < b
      return below(cpu.flagSize, cpu.flagALo, cpu.flagAHi, cpu.flagBLo, cpu.flagBHi) ? 1 : 0;
    case FlagOp.Sbb:
      return below(cpu.flagSize, cpu.flagALo, cpu.flagAHi, cpu.flagBLo, cpu.flagBHi) ||
        (cpu.carry !== 0 && equalAtSize(cpu.flagSize, cpu.flagALo, cpu.flagAHi, cpu.flagBLo, cpu.flagBHi))
        ? 1
        : 0;
    case FlagOp.Logic:
      return 0;
    case FlagOp.Inc:
    case FlagOp.Dec:
    case FlagOp.ResultCarryOverflow:
      return cpu.carry;
    case FlagOp.Imul64:
      return imul64Overflows(cpu.flagALo, cpu.flagAHi, cpu.flagBLo, cpu.flagBHi);
  }
}

function equalAtSize(size: number, aLo: number, aHi: number, bLo: number, bHi: number): boolean {
  if (size === 8) return aLo === bLo && aHi === bHi;
  const mask = maskOf(size);
  return (aLo & mask) === (bLo & mask);
}

export function getZF(cpu: Cpu): number {
  if (cpu.flagOp === FlagOp.Explicit) return (cpu.flagsWord >> 6) & 1;
  if (cpu.flagSize === 8) return (cpu.flagResLo | cpu.flagResHi) === 0 ? 1 : 0;
  return resultLow(cpu) === 0 ? 1 : 0;
}

export function getSF(cpu: Cpu): number {
  if (cpu.flagOp === FlagOp.Explicit) return (cpu.flagsWord >> 7) & 1;
  if (cpu.flagSize === 8) return cpu.flagResHi >>> 31;
  return cpu.flagResLo & SIGN_BIT[cpu.flagSize] ? 1 : 0;
}

export function getPF(cpu: Cpu): number {
  if (cpu.flagOp === FlagOp.Explicit) return (cpu.flagsWord >> 2) & 1;
  return PARITY[cpu.flagResLo & 0xff];
}

/** The sign bit of a value of the recorded size (0 or 1), high half for 64-bit. */
function signOf(size: number, lo: number, hi: number): number {
  if (size === 8) return hi >>> 31;
  return lo & SIGN_BIT[size] ? 1 : 0;
}

export function getOF(cpu: Cpu): number {
  const size = cpu.flagSize;
  switch (cpu.flagOp) {
    case FlagOp.Explicit:
      return (cpu.flagsWord >> 11) & 1;
    case FlagOp.Add:
    case FlagOp.Adc: {
      // Overflow when both operands have the same sign and the result's sign differs.
      const a = signOf(size, cpu.flagALo, cpu.flagAHi);
      const b = signOf(size, cpu.flagBLo, cpu.flagBHi);
      const r = signOf(size, cpu.flagResLo, cpu.flagResHi);
      return a === b && r !== a ? 1 : 0;
    }
    case FlagOp.Sub:
    case FlagOp.Sbb: {
      const a = signOf(size, cpu.flagALo, cpu.flagAHi);
      const b = signOf(size, cpu.flagBLo, cpu.flagBHi);
      const r = signOf(size, cpu.flagResLo, cpu.flagResHi);
      return a !== b && r !== a ? 1 : 0;
    }
    case FlagOp.Logic:
      return 0;
    case FlagOp.Inc: // result is the most negative value
      return isMinSigned(size, cpu.flagResLo, cpu.flagResHi) ? 1 : 0;
    case FlagOp.Dec: // operand was the most negative value
      return isMinSigned(size, cpu.flagALo, cpu.flagAHi) ? 1 : 0;
    case FlagOp.ResultCarryOverflow:
      return cpu.overflow;
    case FlagOp.Imul64:
      return imul64Overflows(cpu.flagALo, cpu.flagAHi, cpu.flagBLo, cpu.flagBHi);
  }
}

function isMinSigned(size: number, lo: number, hi: number): boolean {
  if (size === 8) return hi === (0x80000000 | 0) && lo === 0;
  const mask = maskOf(size);
  return ((lo & mask) >>> 0) === SIGN_BIT[size] >>> 0;
}

export function getAF(cpu: Cpu): number {
  switch (cpu.flagOp) {
    case FlagOp.Explicit:
      return (cpu.flagsWord >> 4) & 1;
    case FlagOp.Logic:
    case FlagOp.ResultCarryOverflow:
    case FlagOp.Imul64:
      return 0;
    default:
      return (cpu.flagALo ^ cpu.flagBLo ^ cpu.flagResLo) & 0x10 ? 1 : 0;
  }
}

// ---------------------------------------------------------------- whole words

/** The six arithmetic flags in their RFLAGS positions. */
export function getArithFlags(cpu: Cpu): number {
  if (cpu.flagOp === FlagOp.Explicit) return cpu.flagsWord;
  return getCF(cpu) | (getPF(cpu) << 2) | (getAF(cpu) << 4) | (getZF(cpu) << 6) | (getSF(cpu) << 7) | (getOF(cpu) << 11);
}

/** Full RFLAGS as PUSHF would push it (RF and VM read as 0). */
export function getRflags(cpu: Cpu): number {
  return getArithFlags(cpu) | cpu.controlFlags;
}

/** Replaces the six arithmetic flags. */
export function setArithFlags(cpu: Cpu, word: number): void {
  cpu.flagsWord = word & ARITH_FLAGS;
  cpu.flagOp = FlagOp.Explicit;
}

/** Changes only the flags in `mask` to the values in `bits` (materialising the others first). */
export function updateFlags(cpu: Cpu, mask: number, bits: number): void {
  const word = getArithFlags(cpu);
  cpu.flagsWord = (word & ~mask) | (bits & mask);
  cpu.flagOp = FlagOp.Explicit;
}

/** Sets only CF, keeping the other flags. */
export function setCarryOnly(cpu: Cpu, carry: number): void {
  updateFlags(cpu, CF, carry ? CF : 0);
}

// ---------------------------------------------------------------- conditions

/** Evaluates condition code cc (the low 4 bits of Jcc/SETcc/CMOVcc). */
export function condition(cpu: Cpu, cc: number): boolean {
  // Fast paths for the common compare-then-branch pairs.
  if (cpu.flagOp === FlagOp.Sub && cpu.flagSize >= 4) {
    switch (cc) {
      case 0x2: // B
        return below(cpu.flagSize, cpu.flagALo, cpu.flagAHi, cpu.flagBLo, cpu.flagBHi);
      case 0x3: // AE
        return !below(cpu.flagSize, cpu.flagALo, cpu.flagAHi, cpu.flagBLo, cpu.flagBHi);
      case 0x4: // E
        return cpu.flagALo === cpu.flagBLo && (cpu.flagSize === 4 || cpu.flagAHi === cpu.flagBHi);
      case 0x5: // NE
        return !(cpu.flagALo === cpu.flagBLo && (cpu.flagSize === 4 || cpu.flagAHi === cpu.flagBHi));
      case 0xc: // L
        return lessSigned(cpu);
      case 0xd: // GE
        return !lessSigned(cpu);
      case 0xe: // LE
        return lessSigned(cpu) || (cpu.flagALo === cpu.flagBLo && (cpu.flagSize === 4 || cpu.flagAHi === cpu.flagBHi));
      case 0xf: // G
        return !(lessSigned(cpu) || (cpu.flagALo === cpu.flagBLo && (cpu.flagSize === 4 || cpu.flagAHi === cpu.flagBHi)));
    }
  }
  if (cpu.flagOp === FlagOp.Logic) {
    switch (cc) {
      case 0x4:
        return getZF(cpu) === 1;
      case 0x5:
        return getZF(cpu) === 0;
    }
  }
  switch (cc) {
    case 0x0:
      return getOF(cpu) === 1;
    case 0x1:
      return getOF(cpu) === 0;
    case 0x2:
      return getCF(cpu) === 1;
    case 0x3:
      return getCF(cpu) === 0;
    case 0x4:
      return getZF(cpu) === 1;
    case 0x5:
      return getZF(cpu) === 0;
    case 0x6:
      return (getCF(cpu) | getZF(cpu)) === 1;
    case 0x7:
      return (getCF(cpu) | getZF(cpu)) === 0;
    case 0x8:
      return getSF(cpu) === 1;
    case 0x9:
      return getSF(cpu) === 0;
    case 0xa:
      return getPF(cpu) === 1;
    case 0xb:
      return getPF(cpu) === 0;
    case 0xc:
      return getSF(cpu) !== getOF(cpu);
    case 0xd:
      return getSF(cpu) === getOF(cpu);
    case 0xe:
      return getZF(cpu) === 1 || getSF(cpu) !== getOF(cpu);
    default:
      return getZF(cpu) === 0 && getSF(cpu) === getOF(cpu);
  }
}

/** Signed a < b for a recorded 32- or 64-bit SUB. */
function lessSigned(cpu: Cpu): boolean {
  if (cpu.flagSize === 4) return cpu.flagALo < cpu.flagBLo;
  return cpu.flagAHi < cpu.flagBHi || (cpu.flagAHi === cpu.flagBHi && cpu.flagALo >>> 0 < cpu.flagBLo >>> 0);
}
