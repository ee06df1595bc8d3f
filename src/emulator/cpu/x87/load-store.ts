// x87 data movement: FLD/FST/FSTP (m32, m64, m80, ST(i)), FILD/FIST/FISTP/FISTTP (m16, m32,
// m64), FBLD/FBSTP, the constants (FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ), FXCH, FCHS, FABS,
// FCMOVcc, FFREE, FINCSTP and FDECSTP.
// Fields: i.op is the memory operand's Mem kind (or the constant, the condition code); i.rm is
// the ST(i) number of register forms; i.target holds POP (and TRUNCATE for FISTTP); i.imm is
// the FOP.
import { condition } from '../flags.js';
import type { Insn } from '../insn.js';
import { ea } from '../operands.js';
import type { Cpu } from '../state.js';
import {
  D,
  fromF32,
  fromF80,
  fromF64,
  fromInt32,
  fromInt64,
  I,
  loadedDenormal,
  toF32,
  toF64,
  toInteger,
} from './convert.js';
import {
  C1,
  DE,
  fx,
  IE,
  indefinite,
  Kind,
  kindOf,
  PE,
  R,
  Rc,
  roundBig,
  setR,
  Unpacked,
} from './float80.js';
import {
  begin,
  commit,
  hiOf,
  isEmpty,
  loOf,
  masksOf,
  noteMemory,
  OVERFLOW,
  pop,
  push,
  roundingOf,
  seOf,
  UNDERFLOW,
  waitCheck,
  writeResult,
  writes,
  writeSt,
} from './fpu.js';

/** Memory operand kinds (i.op of the memory forms). */
export const enum Mem {
  F32 = 0,
  F64 = 1,
  F80 = 2,
  I16 = 3,
  I32 = 4,
  I64 = 5,
  Bcd = 6,
}

const U = new Unpacked();

/** Bytes a store of each memory kind writes. */
const STORE_SIZE = [4, 8, 10, 2, 4, 8, 10];

/** i.target bits of the stores: pop afterwards; truncate (FISTTP). */
export const POP = 1;
export const TRUNCATE = 2;
export const NO_CHECK = 4;

/** Reads a memory operand of kind `kind` at addr, converted to extended in R (exactly; SNaNs
 *  quieted without raising). `loadedDenormal` tells a denormal single/double. */
export function loadOperand(cpu: Cpu, kind: Mem, addr: number): void {
  const mem = cpu.mem;
  switch (kind) {
    case Mem.F32:
      fromF32(mem.read32(addr));
      return;
    case Mem.F64: {
      const lo = mem.read64(addr);
      fromF64(lo, mem.hi);
      return;
    }
    case Mem.I16:
      fromInt32((mem.read16(addr) << 16) >> 16);
      return;
    case Mem.I32:
      fromInt32(mem.read32(addr));
      return;
    case Mem.I64: {
      const lo = mem.read64(addr);
      fromInt64(lo, mem.hi);
      return;
    }
    default: {
      const lo = mem.read64(addr);
      const hi = mem.hi >>> 0;
      fromF80(mem.read16(addr + 8), hi, lo >>> 0);
    }
  }
}

/** The SNaN-raises-IE / denormal-raises-DE rule of FLD m32/m64 (after loadOperand). */
function loadFlags(kind: Mem): number {
  if (kind !== Mem.F32 && kind !== Mem.F64) return 0;
  if (loadedDenormal) return DE;
  if (kindOf(R.se, R.hi, R.lo) === Kind.SNaN) {
    R.hi = (R.hi | 0x40000000) >>> 0;
    return IE;
  }
  return 0;
}

// ---------------------------------------------------------------- loads

/** Pushes R (with the stack-overflow check); `flags` are the load's own exceptions. */
function pushResult(cpu: Cpu, flags: number): void {
  if (!isEmpty(cpu, 7)) {
    if (commit(cpu, OVERFLOW)) {
      push(cpu);
      indefinite();
      writeSt(cpu, 0, R.se, R.hi, R.lo);
    }
    return;
  }
  // A denormal single/double is loaded even when DE is unmasked (the exception follows).
  if (commit(cpu, flags) || flags === DE) {
    push(cpu);
    writeSt(cpu, 0, R.se, R.hi, R.lo);
  }
}

/** FLD m32fp/m64fp/m80fp, FILD m16/m32/m64int, FBLD m80bcd */
export function fldMem(cpu: Cpu, i: Insn): void {
  waitCheck(cpu, i);
  const addr = ea(cpu, i);
  const kind = i.op as Mem;
  if (kind === Mem.Bcd) loadBcd(cpu, addr);
  else loadOperand(cpu, kind, addr);
  noteMemory(cpu, i, addr);
  const flags = loadFlags(kind);
  pushResult(cpu, flags);
}

/** FLD ST(i): an empty source is reported (stack underflow) before a full stack. */
export function fldSt(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  if (isEmpty(cpu, i.rm)) {
    if (!commit(cpu, UNDERFLOW)) return;
    indefinite();
  } else if (!isEmpty(cpu, 7)) {
    pushResult(cpu, 0);
    return;
  } else {
    setR(seOf(cpu, i.rm), hiOf(cpu, i.rm), loOf(cpu, i.rm));
    commit(cpu, 0);
  }
  push(cpu);
  writeSt(cpu, 0, R.se, R.hi, R.lo);
}

/** The constants, as 128-bit significands (value = sig * 2^(exp - 127)), rounded per RC. */
const CONSTANTS: [bigint, number][] = [
  [0n, 0], // FLDZ (i.op 0)
  [1n << 127n, 0], // FLD1
  [0xd49a784bcd1b8afe492bf6ff4dafdb4cn, 1], // log2(10)
  [0xb8aa3b295c17f0bbbe87fed0691d3e88n, 0], // log2(e)
  [0xc90fdaa22168c234c4c6628b80dc1cd1n, 1], // pi
  [0x9a209a84fbcff7988f8959ac0b7c9178n, -2], // log10(2)
  [0xb17217f7d1cf79abc9e3b39803f2f6afn, -1], // ln(2)
];

/** FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ (i.op indexes CONSTANTS). The irrational ones
 *  are rounded per RC, without raising PE. */
export function fldConstant(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  const [sig, exp] = CONSTANTS[i.op];
  if (sig === 0n) setR(0, 0, 0);
  else {
    const saved = fx.flags;
    roundBig(0, sig, exp - 127, i.op > 1, 64, roundingOf(cpu), 0x3f);
    fx.flags = saved;
  }
  pushResult(cpu, 0);
}

// ---------------------------------------------------------------- stores

/** FST/FSTP m32fp/m64fp/m80fp, FIST/FISTP/FISTTP m16/m32/m64int, FBSTP m80bcd (i.target: POP
 *  and TRUNCATE bits). The store happens before the x87 state changes, so a faulting one leaves
 *  it as it was; a store an unmasked exception suppresses still faults on its destination. */
export function fstMem(cpu: Cpu, i: Insn): void {
  waitCheck(cpu, i);
  const addr = ea(cpu, i);
  const kind = i.op as Mem;
  const mem = cpu.mem;
  fx.flags = 0;
  // An empty ST(0) stores the indefinite (masked stack underflow).
  const empty = isEmpty(cpu, 0);
  const se = empty ? 0xffff : seOf(cpu, 0);
  const hi = empty ? 0xc0000000 : hiOf(cpu, 0);
  const lo = empty ? 0 : loOf(cpu, 0);
  const rc = roundingOf(cpu);
  switch (kind) {
    case Mem.F32:
      STORE.lo = toF32(se, hi, lo, rc, masksOf(cpu), U);
      break;
    case Mem.F64:
      toF64(se, hi, lo, rc, masksOf(cpu), U);
      STORE.lo = D.lo;
      STORE.hi = D.hi;
      break;
    case Mem.F80:
      break;
    case Mem.Bcd:
      bcdBytes(se, hi, lo, rc);
      break;
    default:
      toInteger(se, hi, lo, kind === Mem.I16 ? 16 : kind === Mem.I32 ? 32 : 64, rc, (i.target & TRUNCATE) !== 0);
      STORE.lo = I.lo;
      STORE.hi = I.hi;
  }
  const flags = empty ? UNDERFLOW : fx.flags;
  const write = writes(cpu, flags, true);
  if (!write) checkWritable(cpu, addr, STORE_SIZE[kind]);
  else
    switch (kind) {
      case Mem.F32:
        mem.write32(addr, STORE.lo);
        break;
      case Mem.F64:
      case Mem.I64:
        mem.write64(addr, STORE.lo, STORE.hi);
        break;
      case Mem.F80:
        if ((addr & 0xfff) > 0xff6) checkWritable(cpu, addr, 10); // across a page: all or nothing
        mem.write64(addr, lo, hi);
        mem.write16(addr + 8, se);
        break;
      case Mem.Bcd:
        if ((addr & 0xfff) > 0xff6) checkWritable(cpu, addr, 10);
        for (let k = 0; k < 10; k++) mem.write8(addr + k, BCD[k]);
        break;
      case Mem.I16:
        mem.write16(addr, STORE.lo);
        break;
      default:
        mem.write32(addr, STORE.lo);
    }
  noteMemory(cpu, i, addr);
  commit(cpu, flags, true);
  if (write && i.target & POP) pop(cpu);
}

/** The value fstMem stores (low and high halves). */
const STORE = { lo: 0, hi: 0 };

/** Faults on the first unwritable byte of [addr, addr + len), if any. */
export function checkWritable(cpu: Cpu, addr: number, len: number): void {
  const mem = cpu.mem;
  if (!mem.isAccessible(addr, len, 'write'))
    for (let k = 0; k < len; k++) if (!mem.isAccessible(addr + k, 1, 'write')) mem.write8(addr + k, 0);
}

/** FST/FSTP ST(i) (DD D0+i, DD D8+i and the DF D0/D8 aliases); i.target NO_CHECK: the D9 D8+i
 *  alias (FSTP1, "FSTPNCE"), which only pops an empty ST(0), without a stack fault. */
export function fstSt(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  if (i.target & NO_CHECK && isEmpty(cpu, 0)) {
    commit(cpu, 0);
    pop(cpu); // nothing to store, no stack fault
    return;
  }
  if (isEmpty(cpu, 0)) {
    if (!commit(cpu, UNDERFLOW)) return;
    indefinite();
  } else {
    setR(seOf(cpu, 0), hiOf(cpu, 0), loOf(cpu, 0));
    commit(cpu, 0);
  }
  writeSt(cpu, i.rm, R.se, R.hi, R.lo);
  if (i.target & POP) pop(cpu);
}

// ---------------------------------------------------------------- BCD

const TEN_18 = 1000000000000000000n;
const BCD = new Uint8Array(10);

function loadBcd(cpu: Cpu, addr: number): void {
  const mem = cpu.mem;
  for (let k = 0; k < 10; k++) BCD[k] = mem.read8(addr + k);
  let v = 0n;
  for (let k = 8; k >= 0; k--) v = v * 100n + BigInt((BCD[k] >> 4) * 10 + (BCD[k] & 15));
  const sign = BCD[9] >> 7;
  if (v === 0n) setR(sign << 15, 0, 0);
  else roundBig(sign, v, 0, false, 64, Rc.Nearest, 0x3f);
}

/** The packed BCD image (in BCD) of an extended value rounded to an integer per RC (fx.flags as
 *  FIST), or the BCD indefinite with IE when it is not a number or has more than 18 digits. */
function bcdBytes(se: number, hi: number, lo: number, rc: number): Uint8Array {
  toInteger(se, hi, lo, 64, rc, false);
  if (!(fx.flags & IE)) {
    let v = (BigInt(I.hi) << 32n) | BigInt(I.lo >>> 0);
    const sign = se >>> 15;
    if (sign) v = -v;
    if (v < TEN_18) {
      for (let k = 0; k < 9; k++) {
        const two = Number(v % 100n);
        v /= 100n;
        BCD[k] = (Math.floor(two / 10) << 4) | two % 10;
      }
      BCD[9] = sign ? 0x80 : 0;
      return BCD;
    }
    fx.flags = (fx.flags & ~(PE | C1)) | IE;
  }
  BCD.set([0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff]);
  return BCD;
}

// ---------------------------------------------------------------- register operations

/** FXCH ST(i) */
export function fxch(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  const e0 = isEmpty(cpu, 0);
  const ei = isEmpty(cpu, i.rm);
  let se0 = seOf(cpu, 0);
  let hi0 = hiOf(cpu, 0);
  let lo0 = loOf(cpu, 0);
  let sei = seOf(cpu, i.rm);
  let hii = hiOf(cpu, i.rm);
  let loi = loOf(cpu, i.rm);
  if (e0 || ei) {
    if (!commit(cpu, UNDERFLOW)) return;
    if (e0) {
      se0 = 0xffff;
      hi0 = 0xc0000000;
      lo0 = 0;
    }
    if (ei) {
      sei = 0xffff;
      hii = 0xc0000000;
      loi = 0;
    }
  } else commit(cpu, 0);
  writeSt(cpu, i.rm, se0, hi0, lo0);
  writeSt(cpu, 0, sei, hii, loi);
}

/** FCHS (i.op 0) and FABS (i.op 1) */
export function fchsFabs(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  if (isEmpty(cpu, 0)) {
    indefinite();
    writeResult(cpu, UNDERFLOW);
    return;
  }
  commit(cpu, 0);
  const se = seOf(cpu, 0);
  writeSt(cpu, 0, i.op === 0 ? se ^ 0x8000 : se & 0x7fff, hiOf(cpu, 0), loOf(cpu, 0));
}

/** FCMOVcc ST(0), ST(i) (i.op is the Jcc condition code) */
export function fcmov(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  if (isEmpty(cpu, 0) || isEmpty(cpu, i.rm)) {
    indefinite();
    writeResult(cpu, UNDERFLOW);
    return;
  }
  commit(cpu, 0, false, true);
  if (condition(cpu, i.op)) writeSt(cpu, 0, seOf(cpu, i.rm), hiOf(cpu, i.rm), loOf(cpu, i.rm));
}

/** FFREE ST(i) (i.target 1: FFREEP, which also pops) */
export function ffree(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  cpu.fpValid &= ~(1 << ((cpu.fpTop + i.rm) & 7));
  if (i.target & POP) pop(cpu);
}

/** FINCSTP (i.op 1) / FDECSTP (i.op -1): TOP moves, tags stay; C1 = 0. */
export function fincdec(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  cpu.fpTop = (cpu.fpTop + i.op) & 7;
  cpu.fpuStatus &= ~C1;
}
