// x87 compares: FCOM/FCOMP/FCOMPP, FUCOM/FUCOMP/FUCOMPP, FICOM/FICOMP, FCOMI/FCOMIP/FUCOMI/
// FUCOMIP (the result in ZF/PF/CF), FTST and FXAM. FCOM-style compares signal IE on any NaN,
// FUCOM-style only on SNaNs; both on unsupported encodings. The condition codes are written even
// when an unmasked exception suppresses the pop.
// Fields: i.rm is ST(i); i.op the number of pops (0-2) plus QUIET; i.target the Mem kind of the
// memory forms; i.imm the FOP.
import { updateFlags } from '../flags.js';
import type { Insn } from '../insn.js';
import { ea } from '../operands.js';
import { AF, CF, Cpu, OF, PF, SF as SF_FLAG, ZF } from '../state.js';
import { compareFinite } from './arith.js';
import { loadedDenormal } from './convert.js';
import { C0, C1, C2, C3, DE, fx, IE, Kind, kindOf, R } from './float80.js';
import { begin, commit, hiOf, isEmpty, loOf, noteMemory, pop, seOf, UNDERFLOW, waitCheck } from './fpu.js';
import { loadOperand, Mem } from './load-store.js';

/** i.op bit: an unordered compare (FUCOM*) that ignores QNaNs. */
export const QUIET = 4;

const enum Rel {
  Greater = 0,
  Less = 1,
  Equal = 2,
  Unordered = 3,
}

/** C3 C2 C0 per relation. */
const CC = [0, C0, C3, C3 | C2 | C0];
/** ZF PF CF per relation (FCOMI). */
const EFLAGS = [0, CF, ZF, ZF | PF | CF];

function relation(xSe: number, xHi: number, xLo: number, ySe: number, yHi: number, yLo: number, quiet: boolean, yDenormal: boolean): Rel {
  const kx = kindOf(xSe, xHi, xLo);
  const ky = kindOf(ySe, yHi, yLo);
  if (kx === Kind.Unsupported || ky === Kind.Unsupported) {
    fx.flags |= IE;
    return Rel.Unordered;
  }
  if (kx >= Kind.QNaN || ky >= Kind.QNaN) {
    if (!quiet || kx === Kind.SNaN || ky === Kind.SNaN) fx.flags |= IE;
    return Rel.Unordered;
  }
  if (kx === Kind.Denormal || ky === Kind.Denormal || yDenormal) fx.flags |= DE;
  const c = compareFinite(xSe, xHi, xLo, ySe, yHi, yLo);
  return c > 0 ? Rel.Greater : c < 0 ? Rel.Less : Rel.Equal;
}

function setCC(cpu: Cpu, rel: Rel): void {
  cpu.fpuStatus = (cpu.fpuStatus & ~(C0 | C1 | C2 | C3)) | CC[rel];
}

/** The shared tail: record flags, write the result, pop unless an unmasked exception. */
function finish(cpu: Cpu, rel: Rel, pops: number, eflags: boolean): void {
  const write = commit(cpu, fx.flags, false, eflags); // FCOMI and friends leave C1 alone
  if (eflags) updateFlags(cpu, ZF | PF | CF | OF | SF_FLAG | AF, EFLAGS[rel]);
  else setCC(cpu, rel);
  if (write) for (let k = 0; k < pops; k++) pop(cpu);
}

/** FCOM/FCOMP/FUCOM/FUCOMP ST(i), FCOMPP/FUCOMPP (ST(1), two pops), FCOMI/FCOMIP/FUCOMI/FUCOMIP
 *  (i.target 1: the result goes to EFLAGS). */
export function fcomSt(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  fx.flags = 0;
  const pops = i.op & 3;
  if (isEmpty(cpu, 0) || isEmpty(cpu, i.rm)) {
    fx.flags = UNDERFLOW;
    finish(cpu, Rel.Unordered, pops, i.target === 1);
    return;
  }
  const rel = relation(seOf(cpu, 0), hiOf(cpu, 0), loOf(cpu, 0), seOf(cpu, i.rm), hiOf(cpu, i.rm), loOf(cpu, i.rm), (i.op & QUIET) !== 0, false);
  finish(cpu, rel, pops, i.target === 1);
}

/** FCOM/FCOMP m32fp/m64fp, FICOM/FICOMP m16int/m32int */
export function fcomMem(cpu: Cpu, i: Insn): void {
  waitCheck(cpu, i);
  const addr = ea(cpu, i);
  loadOperand(cpu, i.target as Mem, addr);
  noteMemory(cpu, i, addr);
  fx.flags = 0;
  const pops = i.op & 3;
  if (isEmpty(cpu, 0)) {
    fx.flags = UNDERFLOW;
    finish(cpu, Rel.Unordered, pops, false);
    return;
  }
  const rel = relation(seOf(cpu, 0), hiOf(cpu, 0), loOf(cpu, 0), R.se, R.hi, R.lo, false, loadedDenormal);
  finish(cpu, rel, pops, false);
}

/** FTST: ST(0) compared with +0.0. */
export function ftst(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  fx.flags = 0;
  if (isEmpty(cpu, 0)) {
    fx.flags = UNDERFLOW;
    finish(cpu, Rel.Unordered, 0, false);
    return;
  }
  finish(cpu, relation(seOf(cpu, 0), hiOf(cpu, 0), loOf(cpu, 0), 0, 0, 0, false, false), 0, false);
}

/** FXAM: the class of ST(0) in C3 C2 C0, its sign in C1 (even when empty). */
export function fxam(cpu: Cpu, i: Insn): void {
  begin(cpu, i);
  const se = seOf(cpu, 0);
  let cc: number;
  if (isEmpty(cpu, 0)) cc = C3 | C0;
  else {
    switch (kindOf(se, hiOf(cpu, 0), loOf(cpu, 0))) {
      case Kind.Unsupported:
        cc = 0;
        break;
      case Kind.QNaN:
      case Kind.SNaN:
        cc = C0;
        break;
      case Kind.Normal:
        cc = C2;
        break;
      case Kind.Infinity:
        cc = C2 | C0;
        break;
      case Kind.Zero:
        cc = C3;
        break;
      default:
        cc = C3 | C2;
    }
  }
  if (se & 0x8000) cc |= C1;
  cpu.fpuStatus = (cpu.fpuStatus & ~(C0 | C1 | C2 | C3)) | cc;
}
