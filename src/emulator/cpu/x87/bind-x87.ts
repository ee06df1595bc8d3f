// Binds the x87 escape opcodes D8-DF (and FWAIT, 9B). Memory forms are chosen by ModRM.reg,
// register forms by the whole ModRM byte. One table per escape byte below; a row names the
// semantics and sets the fields it reads (see each semantics file's header):
//   i.op      the operation, memory kind, constant or condition code
//   i.target  memory kind (arithmetic/compare memory forms) or DEST_STI/POP/TRUNCATE bits
//   i.rm      ST(i) of register forms (REX.B does not extend it)
//   i.imm     the FOP (last opcode: low 3 bits of the escape byte, then the ModRM byte)
// The decoder has already rejected the encodings that are #UD.
import type { DecodedInsn } from '../decoded.js';
import type { Exec, Insn } from '../insn.js';
import * as ar from './arithmetic.js';
import * as cmp from './compare.js';
import * as ctl from './control.js';
import * as ls from './load-store.js';
import { Mem } from './load-store.js';
import * as tr from './transcendental.js';

type Binder = (d: DecodedInsn, i: Insn) => Exec | null;

/** The raw ModRM byte (the decoder keeps its parts). */
function modrmByte(d: DecodedInsn): number {
  let rm: number;
  if (d.mod === 3) rm = d.rmReg & 7;
  else if (d.ripRelative) rm = 5;
  else if (d.memIndex >= 0 || d.memBase < 0 || (d.memBase & 7) === 4) rm = 4;
  else rm = d.memBase & 7;
  return (d.mod << 6) | (d.regField << 3) | rm;
}

export function bindX87(d: DecodedInsn, i: Insn): Exec | null {
  i.imm = ((d.opcode & 7) << 8) | modrmByte(d);
  i.target = 0;
  i.op = 0;
  if (d.mod !== 3) return MEMORY[d.opcode - 0xd8](d, i);
  i.rm = d.rmReg & 7;
  return REGISTER[d.opcode - 0xd8](d, i);
}

/** FWAIT / WAIT (9B) */
export function bindFwait(): Exec {
  return ctl.fwait;
}

// ---------------------------------------------------------------- shared rows

/** The eight arithmetic/compare operations on a memory operand of `kind` (D8, DA, DC, DE). */
function arithmeticMemory(kind: Mem): Binder {
  return (d, i) => {
    i.target = kind;
    if (d.regField === 2 || d.regField === 3) {
      i.op = d.regField - 2; // pops
      return cmp.fcomMem;
    }
    i.op = d.regField;
    return ar.arithMem;
  };
}

function load(kind: Mem): Binder {
  return (d, i) => ((i.op = kind), ls.fldMem);
}

function store(kind: Mem, flags: number): Binder {
  return (d, i) => ((i.op = kind), (i.target = flags), ls.fstMem);
}

/** Memory forms by ModRM.reg. */
function byDigit(rows: (Binder | null)[]): Binder {
  return (d, i) => rows[d.regField]?.(d, i) ?? null;
}

const MEMORY: Binder[] = [
  arithmeticMemory(Mem.F32), // D8
  byDigit([
    load(Mem.F32),
    null,
    store(Mem.F32, 0),
    store(Mem.F32, ls.POP),
    () => ctl.fldenv,
    () => ctl.fldcw,
    () => ctl.fnstenv,
    () => ctl.fnstcw,
  ]), // D9
  arithmeticMemory(Mem.I32), // DA
  byDigit([
    load(Mem.I32),
    store(Mem.I32, ls.POP | ls.TRUNCATE),
    store(Mem.I32, 0),
    store(Mem.I32, ls.POP),
    null,
    load(Mem.F80),
    null,
    store(Mem.F80, ls.POP),
  ]), // DB
  arithmeticMemory(Mem.F64), // DC
  byDigit([
    load(Mem.F64),
    store(Mem.I64, ls.POP | ls.TRUNCATE),
    store(Mem.F64, 0),
    store(Mem.F64, ls.POP),
    () => ctl.frstor,
    null,
    () => ctl.fnsave,
    () => ctl.fnstsw,
  ]), // DD
  arithmeticMemory(Mem.I16), // DE
  byDigit([
    load(Mem.I16),
    store(Mem.I16, ls.POP | ls.TRUNCATE),
    store(Mem.I16, 0),
    store(Mem.I16, ls.POP),
    load(Mem.Bcd),
    load(Mem.I64),
    store(Mem.Bcd, ls.POP),
    store(Mem.I64, ls.POP),
  ]), // DF
];

// ---------------------------------------------------------------- register forms

/** FADD..FDIVR with ST(0) as destination (D8) or ST(i) (DC, DE: SUB/SUBR and DIV/DIVR swap). */
function arithmeticRegister(target: number): Binder {
  return (d, i) => {
    if (d.regField === 2 || d.regField === 3) {
      i.op = d.regField - 2 + (target & ar.POP ? 1 : 0); // FCOM/FCOMP; DE D0+i is an FCOMP alias
      return cmp.fcomSt;
    }
    i.target = target;
    i.op = target & ar.DEST_STI && d.regField >= 4 ? d.regField ^ 1 : d.regField;
    return ar.arithSt;
  };
}

function fixed(exec: Exec, op = 0): Binder {
  return (d, i) => ((i.op = op), exec);
}

/** D9 register forms by the ModRM byte's low 6 bits. */
function d9(d: DecodedInsn, i: Insn): Exec | null {
  switch (d.regField) {
    case 0:
      return ls.fldSt;
    case 1:
      return ls.fxch;
    case 2:
      return ctl.fnop; // D9 D0
    case 3:
      i.target = ls.POP | ls.NO_CHECK; // D9 D8+i: FSTP1 alias (FSTPNCE)
      return ls.fstSt;
    default:
  }
  const low = d.rmReg & 7;
  const row = D9_ROWS[(d.regField - 4) * 8 + low];
  return row ? row(d, i) : null;
}

const CONSTANT = [1, 2, 3, 4, 5, 6, 0]; // E8 FLD1 .. EE FLDZ as indexes into the constants table

const D9_ROWS: (Binder | undefined)[] = [
  fixed(ls.fchsFabs, 0), // E0 FCHS
  fixed(ls.fchsFabs, 1), // E1 FABS
  undefined,
  undefined,
  fixed(cmp.ftst), // E4
  fixed(cmp.fxam), // E5
  undefined,
  undefined,
  ...CONSTANT.map((c) => fixed(ls.fldConstant, c)), // E8-EE
  undefined,
  fixed(tr.f2xm1), // F0
  fixed(tr.fyl2x), // F1
  fixed(tr.fptan), // F2
  fixed(tr.fpatan), // F3
  fixed(ar.fxtract), // F4
  fixed(ar.fprem, 1), // F5 FPREM1
  fixed(ls.fincdec, -1), // F6 FDECSTP
  fixed(ls.fincdec, 1), // F7 FINCSTP
  fixed(ar.fprem, 0), // F8 FPREM
  fixed(tr.fyl2xp1), // F9
  fixed(ar.fsqrt), // FA
  fixed(tr.fsincos), // FB
  fixed(ar.frndint), // FC
  fixed(ar.fscale), // FD
  fixed(tr.fsinFcos, 0), // FE FSIN
  fixed(tr.fsinFcos, 1), // FF FCOS
];

/** FCMOVcc by ModRM.reg: B E BE U (DA), NB NE NBE NU (DB), as Jcc condition codes. */
const FCMOV_DA = [0x2, 0x4, 0x6, 0xa];
const FCMOV_DB = [0x3, 0x5, 0x7, 0xb];

const REGISTER: Binder[] = [
  arithmeticRegister(0), // D8
  d9,
  (d, i) => {
    if (d.regField < 4) return (i.op = FCMOV_DA[d.regField]), ls.fcmov;
    if (d.regField === 5 && i.rm === 1) return (i.op = 2 | cmp.QUIET), cmp.fcomSt; // FUCOMPP
    return null;
  }, // DA
  (d, i) => {
    if (d.regField < 4) return (i.op = FCMOV_DB[d.regField]), ls.fcmov;
    if (d.regField === 5) return (i.target = 1), (i.op = cmp.QUIET), cmp.fcomSt; // FUCOMI
    if (d.regField === 6) return (i.target = 1), (i.op = 0), cmp.fcomSt; // FCOMI
    if (d.regField !== 4) return null;
    switch (i.rm) {
      case 2:
        return ctl.fnclex;
      case 3:
        return ctl.fninit;
      case 0:
      case 1:
      case 4:
        return ctl.obsolete; // FNENI, FNDISI, FNSETPM: no operation on a 387 and later
      default:
        return null;
    }
  }, // DB
  arithmeticRegister(ar.DEST_STI), // DC (D0/D8: FCOM2/FCOMP3 aliases)
  (d, i) => {
    switch (d.regField) {
      case 0:
        return ls.ffree;
      case 1:
        return ls.fxch; // FXCH4 alias
      case 2:
        return ls.fstSt;
      case 3:
        return (i.target = ls.POP), ls.fstSt;
      case 4:
        return (i.op = cmp.QUIET), cmp.fcomSt; // FUCOM
      case 5:
        return (i.op = 1 | cmp.QUIET), cmp.fcomSt; // FUCOMP
      default:
        return null;
    }
  }, // DD
  (d, i) => {
    if (d.regField === 3) return i.rm === 1 ? ((i.op = 2), cmp.fcomSt) : null; // FCOMPP
    return arithmeticRegister(ar.DEST_STI | ar.POP)(d, i);
  }, // DE
  (d, i) => {
    switch (d.regField) {
      case 0:
        return (i.target = ls.POP), ls.ffree; // FFREEP
      case 1:
        return ls.fxch; // FXCH7 alias
      case 2:
      case 3:
        return (i.target = ls.POP), ls.fstSt; // FSTP8, FSTP9 aliases
      case 4:
        return i.rm === 0 ? ctl.fnstsw : null; // FNSTSW AX
      case 5:
        return (i.target = 1), (i.op = 1 | cmp.QUIET), cmp.fcomSt; // FUCOMIP
      case 6:
        return (i.target = 1), (i.op = 1), cmp.fcomSt; // FCOMIP
      default:
        return null;
    }
  }, // DF
];
