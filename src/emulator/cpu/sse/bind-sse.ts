// Binds SSE/SSE2 instructions: the 0F map with the mandatory prefix (none, 66, F3, F2; an F2/F3
// wins over 66) selecting the variant. One row per opcode and prefix below; a row names the
// semantics and sets the operand fields it reads:
//   i.target  alignment mask of a 128-bit memory operand (ALIGN16 = #GP unless 16-byte aligned)
//   i.op      the operation for shared semantics (FpOp, saturation kind, shift kind, ...)
//   i.imm     the imm8 (shuffle selector, compare predicate, shift count; -1 for shifts by xmm)
//   i.size    the general-register width (4, or 8 with REX.W) where one is involved, else 16
// The MMX-register forms (no prefix on the integer opcodes) are rows too, with semantics in
// cpu/x87/mmx.ts; SSE3+ are not rows: they raise #UD.
import type { DecodedInsn } from '../decoded.js';
import { OpcodeMap, RepPrefix } from '../decoded.js';
import type { Exec, Insn } from '../insn.js';
import * as cvt from './convert.js';
import * as flt from './float.js';
import { FpOp } from './fp.js';
import * as int from './integer.js';
import { Shift } from './integer.js';
import * as mov from './moves.js';
import * as shuf from './shuffle.js';
import * as st from './state.js';
import { ALIGN16, UNALIGNED } from './xmm.js';
import * as mmx from '../x87/mmx.js';

type Binder = (d: DecodedInsn, i: Insn) => Exec | null;

const enum Prefix {
  None = 0,
  P66 = 1,
  F3 = 2,
  F2 = 3,
}

const TABLE: (Binder | undefined)[] = new Array(256 * 4);

export function bindSse(d: DecodedInsn, i: Insn): Exec | null {
  if (d.map !== OpcodeMap.Map0F || d.lock) return null;
  const prefix = d.rep === RepPrefix.Rep ? Prefix.F3 : d.rep === RepPrefix.Repne ? Prefix.F2 : d.opsizePrefix ? Prefix.P66 : Prefix.None;
  const binder = TABLE[d.opcode * 4 + prefix];
  return binder ? binder(d, i) : null;
}

// ---------------------------------------------------------------- row builders

function row(prefix: Prefix, opcode: number, binder: Binder): void {
  TABLE[opcode * 4 + prefix] = binder;
}

/** xmm, xmm/mem with an alignment mask and an operation selector. */
function xmm(exec: Exec, align = ALIGN16, op = 0): Binder {
  return (d, i) => {
    i.size = 16;
    i.target = align;
    i.op = op;
    return exec;
  };
}

/** The same with an imm8. */
function xmmImm(exec: Exec, align = ALIGN16, op = 0): Binder {
  return (d, i) => {
    i.size = 16;
    i.target = align;
    i.op = op;
    i.imm = d.imm & 0xff;
    return exec;
  };
}

/** A form with a general register (or r/m) whose width follows REX.W. */
function gpr(exec: Exec, op = 0): Binder {
  return (d, i) => {
    i.size = d.rex & 8 ? 8 : 4;
    i.op = op;
    i.target = UNALIGNED;
    return exec;
  };
}

function memOnly(binder: Binder): Binder {
  return (d, i) => (i.rm < 0 ? binder(d, i) : null);
}

function regOnly(binder: Binder): Binder {
  return (d, i) => (i.rm >= 0 ? binder(d, i) : null);
}

/** Register and memory forms with different semantics (MOVHLPS / MOVLPS and the like). */
function regOrMem(reg: Binder, mem: Binder): Binder {
  return (d, i) => (i.rm >= 0 ? reg(d, i) : mem(d, i));
}

// ---------------------------------------------------------------- moves

row(Prefix.None, 0x10, xmm(mov.movXmmRm, UNALIGNED)); // MOVUPS
row(Prefix.P66, 0x10, xmm(mov.movXmmRm, UNALIGNED)); // MOVUPD
row(Prefix.F3, 0x10, xmm(mov.movssLoad)); // MOVSS
row(Prefix.F2, 0x10, xmm(mov.movsdLoad)); // MOVSD
row(Prefix.None, 0x11, xmm(mov.movRmXmm, UNALIGNED));
row(Prefix.P66, 0x11, xmm(mov.movRmXmm, UNALIGNED));
row(Prefix.F3, 0x11, xmm(mov.movssStore));
row(Prefix.F2, 0x11, xmm(mov.movsdStore));
row(Prefix.None, 0x12, regOrMem(xmm(mov.movhlps), xmm(mov.movlpLoad))); // MOVHLPS / MOVLPS
row(Prefix.P66, 0x12, memOnly(xmm(mov.movlpLoad))); // MOVLPD
row(Prefix.None, 0x13, memOnly(xmm(mov.movsdStore))); // MOVLPS m64, xmm
row(Prefix.P66, 0x13, memOnly(xmm(mov.movsdStore))); // MOVLPD m64, xmm
row(Prefix.None, 0x16, regOrMem(xmm(mov.movlhps), xmm(mov.movhpLoad))); // MOVLHPS / MOVHPS
row(Prefix.P66, 0x16, memOnly(xmm(mov.movhpLoad))); // MOVHPD
row(Prefix.None, 0x17, memOnly(xmm(mov.movhpStore))); // MOVHPS m64, xmm
row(Prefix.P66, 0x17, memOnly(xmm(mov.movhpStore))); // MOVHPD m64, xmm
row(Prefix.None, 0x28, xmm(mov.movXmmRm)); // MOVAPS
row(Prefix.P66, 0x28, xmm(mov.movXmmRm)); // MOVAPD
row(Prefix.None, 0x29, xmm(mov.movRmXmm));
row(Prefix.P66, 0x29, xmm(mov.movRmXmm));
row(Prefix.None, 0x2b, memOnly(xmm(mov.movRmXmm))); // MOVNTPS
row(Prefix.P66, 0x2b, memOnly(xmm(mov.movRmXmm))); // MOVNTPD
row(Prefix.None, 0x50, regOnly(xmm(mov.movmskps)));
row(Prefix.P66, 0x50, regOnly(xmm(mov.movmskpd)));
row(Prefix.P66, 0x6e, gpr(mov.movdToXmm)); // MOVD/MOVQ xmm, r/m
row(Prefix.P66, 0x7e, gpr(mov.movdFromXmm)); // MOVD/MOVQ r/m, xmm
row(Prefix.F3, 0x7e, xmm(mov.movqLoad)); // MOVQ xmm, xmm/m64
row(Prefix.P66, 0xd6, xmm(mov.movqStore)); // MOVQ xmm/m64, xmm
row(Prefix.P66, 0x6f, xmm(mov.movXmmRm)); // MOVDQA
row(Prefix.F3, 0x6f, xmm(mov.movXmmRm, UNALIGNED)); // MOVDQU
row(Prefix.P66, 0x7f, xmm(mov.movRmXmm));
row(Prefix.F3, 0x7f, xmm(mov.movRmXmm, UNALIGNED));
row(Prefix.P66, 0xe7, memOnly(xmm(mov.movRmXmm))); // MOVNTDQ
row(Prefix.None, 0xc3, memOnly(gpr(mov.movnti)));
row(Prefix.P66, 0xd7, regOnly(xmm(mov.pmovmskb)));
row(Prefix.P66, 0xf7, regOnly(xmm(mov.maskmovdqu)));

// ---------------------------------------------------------------- packed integer
// The 66-prefixed forms on XMM registers; their no-prefix MMX forms are rows in the MMX section.

/** Element-wise operations: the same semantics serve the MMX forms (on the low quadword). */
const ELEMENTWISE: [number, Exec, number?][] = [
  [0x64, int.pcmpgtb],
  [0x65, int.pcmpgtw],
  [0x66, int.pcmpgtd],
  [0x74, int.pcmpeqb],
  [0x75, int.pcmpeqw],
  [0x76, int.pcmpeqd],
  [0xd4, int.paddq],
  [0xd5, int.pmullw],
  [0xd8, int.saturateBytes, 3], // PSUBUSB
  [0xd9, int.saturateWords, 3], // PSUBUSW
  [0xda, int.pminub],
  [0xdb, int.pand],
  [0xdc, int.saturateBytes, 1], // PADDUSB
  [0xdd, int.saturateWords, 1], // PADDUSW
  [0xde, int.pmaxub],
  [0xdf, int.pandn],
  [0xe0, int.pavgb],
  [0xe3, int.pavgw],
  [0xe4, int.pmulhuw],
  [0xe5, int.pmulhw],
  [0xe8, int.saturateBytes, 2], // PSUBSB
  [0xe9, int.saturateWords, 2], // PSUBSW
  [0xea, int.pminsw],
  [0xeb, int.por],
  [0xec, int.saturateBytes, 0], // PADDSB
  [0xed, int.saturateWords, 0], // PADDSW
  [0xee, int.pmaxsw],
  [0xef, int.pxor],
  [0xf4, int.pmuludq],
  [0xf5, int.pmaddwd],
  [0xf6, int.psadbw],
  [0xf8, int.psubb],
  [0xf9, int.psubw],
  [0xfa, int.psubd],
  [0xfb, int.psubq],
  [0xfc, int.paddb],
  [0xfd, int.paddw],
  [0xfe, int.paddd],
];
for (const [opcode, exec, op] of ELEMENTWISE) row(Prefix.P66, opcode, xmm(exec, ALIGN16, op ?? 0));

// Interleaves and packs (the MMX forms of the high unpacks and the packs differ).
row(Prefix.P66, 0x60, xmm(shuf.punpcklbw));
row(Prefix.P66, 0x61, xmm(shuf.punpcklwd));
row(Prefix.P66, 0x62, xmm(shuf.unpckldq));
row(Prefix.P66, 0x63, xmm(shuf.packwb, ALIGN16, 0)); // PACKSSWB
row(Prefix.P66, 0x67, xmm(shuf.packwb, ALIGN16, 1)); // PACKUSWB
row(Prefix.P66, 0x68, xmm(shuf.punpckhbw));
row(Prefix.P66, 0x69, xmm(shuf.punpckhwd));
row(Prefix.P66, 0x6a, xmm(shuf.unpckhdq));
row(Prefix.P66, 0x6b, xmm(shuf.packssdw));
row(Prefix.P66, 0x6c, xmm(shuf.unpcklqdq));
row(Prefix.P66, 0x6d, xmm(shuf.unpckhqdq));

row(Prefix.P66, 0x70, xmmImm(shuf.pshufd));
row(Prefix.F2, 0x70, xmmImm(shuf.pshufw, ALIGN16, 0)); // PSHUFLW
row(Prefix.F3, 0x70, xmmImm(shuf.pshufw, ALIGN16, 4)); // PSHUFHW
row(Prefix.P66, 0xc4, (d, i) => ((i.imm = d.imm & 0xff), shuf.pinsrw));
row(Prefix.P66, 0xc5, regOnly((d, i) => ((i.imm = d.imm & 0xff), shuf.pextrw)));

// Shifts by xmm/m128 (i.imm = -1) ...
const SHIFT_BY_XMM: [number, Exec, Shift][] = [
  [0xd1, int.shiftWords, Shift.Right],
  [0xd2, int.shiftDwords, Shift.Right],
  [0xd3, int.shiftQwords, Shift.Right],
  [0xe1, int.shiftWords, Shift.Arith],
  [0xe2, int.shiftDwords, Shift.Arith],
  [0xf1, int.shiftWords, Shift.Left],
  [0xf2, int.shiftDwords, Shift.Left],
  [0xf3, int.shiftQwords, Shift.Left],
];
for (const [opcode, exec, kind] of SHIFT_BY_XMM)
  row(Prefix.P66, opcode, (d, i) => ((i.target = ALIGN16), (i.op = kind), (i.imm = -1), exec));

// ... and by imm8 (groups 12-14, register operand only; /digit selects the shift; the MMX forms
// are rows in the MMX section).
type ShiftForms = (readonly [Exec, Shift] | undefined)[];
const SHIFT_BY_IMM: [number, ShiftForms][] = [
  [0x71, [, , [int.shiftWords, Shift.Right], , [int.shiftWords, Shift.Arith], , [int.shiftWords, Shift.Left]]],
  [0x72, [, , [int.shiftDwords, Shift.Right], , [int.shiftDwords, Shift.Arith], , [int.shiftDwords, Shift.Left]]],
  [0x73, [, , [int.shiftQwords, Shift.Right], [int.shiftBytes, Shift.Right], , , [int.shiftQwords, Shift.Left], [int.shiftBytes, Shift.Left]]],
];

function shiftImm(forms: ShiftForms): Binder {
  return regOnly((d, i) => {
    const form = forms[d.regField];
    if (!form) return null;
    i.op = form[1];
    i.imm = d.imm & 0xff;
    return form[0];
  });
}
for (const [opcode, forms] of SHIFT_BY_IMM) row(Prefix.P66, opcode, shiftImm(forms));

// ---------------------------------------------------------------- floating point

// ADD MUL SUB MIN DIV MAX, and SQRT: every prefix.
const ARITH: [number, FpOp][] = [
  [0x51, FpOp.Sqrt],
  [0x58, FpOp.Add],
  [0x59, FpOp.Mul],
  [0x5c, FpOp.Sub],
  [0x5d, FpOp.Min],
  [0x5e, FpOp.Div],
  [0x5f, FpOp.Max],
];
for (const [opcode, op] of ARITH) {
  row(Prefix.None, opcode, xmm(flt.arithPs, ALIGN16, op));
  row(Prefix.P66, opcode, xmm(flt.arithPd, ALIGN16, op));
  row(Prefix.F3, opcode, xmm(flt.arithSs, UNALIGNED, op));
  row(Prefix.F2, opcode, xmm(flt.arithSd, UNALIGNED, op));
}
row(Prefix.None, 0x52, xmm(flt.approxPs, ALIGN16, 1)); // RSQRTPS
row(Prefix.F3, 0x52, xmm(flt.approxSs, UNALIGNED, 1)); // RSQRTSS
row(Prefix.None, 0x53, xmm(flt.approxPs, ALIGN16, 0)); // RCPPS
row(Prefix.F3, 0x53, xmm(flt.approxSs, UNALIGNED, 0)); // RCPSS

// Bitwise PS/PD forms share the integer logic.
for (const prefix of [Prefix.None, Prefix.P66]) {
  row(prefix, 0x54, xmm(int.pand));
  row(prefix, 0x55, xmm(int.pandn));
  row(prefix, 0x56, xmm(int.por));
  row(prefix, 0x57, xmm(int.pxor));
}

const predicate: (exec: Exec, align: number) => Binder = (exec, align) => (d, i) => {
  i.target = align;
  i.imm = d.imm & 7;
  return exec;
};
row(Prefix.None, 0xc2, predicate(flt.cmpPs, ALIGN16));
row(Prefix.P66, 0xc2, predicate(flt.cmpPd, ALIGN16));
row(Prefix.F3, 0xc2, predicate(flt.cmpSs, UNALIGNED));
row(Prefix.F2, 0xc2, predicate(flt.cmpSd, UNALIGNED));
row(Prefix.None, 0x2e, xmm(flt.comiss, UNALIGNED, 0)); // UCOMISS
row(Prefix.P66, 0x2e, xmm(flt.comisd, UNALIGNED, 0)); // UCOMISD
row(Prefix.None, 0x2f, xmm(flt.comiss, UNALIGNED, 1)); // COMISS
row(Prefix.P66, 0x2f, xmm(flt.comisd, UNALIGNED, 1)); // COMISD

row(Prefix.None, 0xc6, xmmImm(shuf.shufps));
row(Prefix.P66, 0xc6, xmmImm(shuf.shufpd));
row(Prefix.None, 0x14, xmm(shuf.unpckldq)); // UNPCKLPS
row(Prefix.P66, 0x14, xmm(shuf.unpcklqdq)); // UNPCKLPD
row(Prefix.None, 0x15, xmm(shuf.unpckhdq)); // UNPCKHPS
row(Prefix.P66, 0x15, xmm(shuf.unpckhqdq)); // UNPCKHPD

// ---------------------------------------------------------------- conversions

row(Prefix.F3, 0x2a, gpr(cvt.cvtsi2ss));
row(Prefix.F2, 0x2a, gpr(cvt.cvtsi2sd));
row(Prefix.F3, 0x2c, gpr(cvt.cvtss2si, 1)); // CVTTSS2SI
row(Prefix.F2, 0x2c, gpr(cvt.cvtsd2si, 1)); // CVTTSD2SI
row(Prefix.F3, 0x2d, gpr(cvt.cvtss2si, 0));
row(Prefix.F2, 0x2d, gpr(cvt.cvtsd2si, 0));
row(Prefix.None, 0x5a, xmm(cvt.cvtps2pd, UNALIGNED));
row(Prefix.P66, 0x5a, xmm(cvt.cvtpd2ps));
row(Prefix.F3, 0x5a, xmm(cvt.cvtss2sd, UNALIGNED));
row(Prefix.F2, 0x5a, xmm(cvt.cvtsd2ss, UNALIGNED));
row(Prefix.None, 0x5b, xmm(cvt.cvtdq2ps));
row(Prefix.P66, 0x5b, xmm(cvt.cvtps2dq, ALIGN16, 0));
row(Prefix.F3, 0x5b, xmm(cvt.cvtps2dq, ALIGN16, 1)); // CVTTPS2DQ
row(Prefix.F3, 0xe6, xmm(cvt.cvtdq2pd, UNALIGNED));
row(Prefix.F2, 0xe6, xmm(cvt.cvtpd2dq, ALIGN16, 0));
row(Prefix.P66, 0xe6, xmm(cvt.cvtpd2dq, ALIGN16, 1)); // CVTTPD2DQ

// ---------------------------------------------------------------- state, fences, cache

row(Prefix.None, 0xae, (d, i) => {
  if (i.rm >= 0) return d.regField >= 5 ? st.fence : null; // LFENCE MFENCE SFENCE
  switch (d.regField) {
    case 0:
      return st.fxsave;
    case 1:
      return st.fxrstor;
    case 2:
      return st.ldmxcsr;
    case 3:
      return st.stmxcsr;
    case 7:
      return st.clflush;
    default:
      return null; // XSAVE, XRSTOR, XSAVEOPT: XSAVE is not advertised
  }
});
row(Prefix.None, 0x77, () => st.emms);

// ---------------------------------------------------------------- MMX (no prefix)

// MM register numbers are ModRM's 3 bits: REX.R / REX.B do not extend them. `mm` binds an
// mm, mm/m64 form; the packed operations run the SSE functions above through mmx.lanes.
function mm(exec: Exec, op = 0, imm = 0): Binder {
  return (d, i) => {
    i.reg = d.reg & 7;
    if (i.rm >= 0) i.rm &= 7;
    i.op = op;
    i.imm = imm < 0 ? imm : d.imm & 0xff;
    i.target = UNALIGNED;
    return exec;
  };
}

/** A GPR on one side (MOVD/MOVQ, PINSRW, PEXTRW, PMOVMSKB): `mmSide` says which field is the
 *  MM register. */
function mmGpr(exec: Exec, mmSide: 'reg' | 'rm'): Binder {
  return (d, i) => {
    i.size = d.rex & 8 ? 8 : 4;
    if (mmSide === 'reg') i.reg = d.reg & 7;
    else if (i.rm >= 0) i.rm &= 7;
    i.imm = d.imm & 0xff;
    return exec;
  };
}

for (const [opcode, exec, op] of ELEMENTWISE) row(Prefix.None, opcode, mm(mmx.lanes(exec), op ?? 0));
row(Prefix.None, 0x60, mm(mmx.lanes(shuf.punpcklbw, 4))); // the low unpacks read m32
row(Prefix.None, 0x61, mm(mmx.lanes(shuf.punpcklwd, 4)));
row(Prefix.None, 0x62, mm(mmx.lanes(shuf.unpckldq, 4)));
row(Prefix.None, 0x63, mm(mmx.lanes(mmx.packwb), 0)); // PACKSSWB
row(Prefix.None, 0x67, mm(mmx.lanes(mmx.packwb), 1)); // PACKUSWB
row(Prefix.None, 0x68, mm(mmx.lanes(mmx.unpackHigh), 1)); // PUNPCKHBW
row(Prefix.None, 0x69, mm(mmx.lanes(mmx.unpackHigh), 2)); // PUNPCKHWD
row(Prefix.None, 0x6a, mm(mmx.lanes(mmx.unpackHigh), 4)); // PUNPCKHDQ
row(Prefix.None, 0x6b, mm(mmx.lanes(mmx.packssdw)));
for (const [opcode, exec, kind] of SHIFT_BY_XMM) row(Prefix.None, opcode, mm(mmx.lanes(exec), kind, -1));
row(Prefix.None, 0x70, mm(mmx.lanes(shuf.pshufw))); // PSHUFW (PSHUFLW on the low quadword)

// Shifts by imm8: 0F 71-73 /2 /4 /6 (no byte shifts on MM registers).
function mmShiftImm(forms: ShiftForms): Binder {
  return regOnly((d, i) => {
    const form = forms[d.regField];
    if (!form || form[0] === int.shiftBytes) return null;
    i.rm &= 7;
    i.op = form[1];
    i.imm = d.imm & 0xff;
    return mmx.shiftImmediate(form[0]);
  });
}
for (const [opcode, forms] of SHIFT_BY_IMM) row(Prefix.None, opcode, mmShiftImm(forms));

row(Prefix.None, 0x6e, mmGpr(mmx.movdToMm, 'reg')); // MOVD/MOVQ mm, r/m
row(Prefix.None, 0x7e, mmGpr(mmx.movdFromMm, 'reg')); // MOVD/MOVQ r/m, mm
row(Prefix.None, 0x6f, mm(mmx.movqLoad)); // MOVQ mm, mm/m64
row(Prefix.None, 0x7f, mm(mmx.movqStore)); // MOVQ mm/m64, mm
row(Prefix.None, 0xe7, memOnly(mm(mmx.movqStore))); // MOVNTQ
row(Prefix.None, 0xf7, regOnly(mm(mmx.maskmovq))); // MASKMOVQ
row(Prefix.None, 0xc4, mmGpr(mmx.pinsrw, 'reg')); // PINSRW mm, r32/m16, imm8
row(Prefix.None, 0xc5, regOnly(mmGpr(mmx.pextrw, 'rm'))); // PEXTRW r32, mm, imm8
row(Prefix.None, 0xd7, regOnly(mmGpr(mmx.pmovmskb, 'rm'))); // PMOVMSKB r32, mm
row(Prefix.F2, 0xd6, regOnly((d, i) => ((i.reg = d.reg & 7), mmx.movdq2q))); // MOVDQ2Q mm, xmm
row(Prefix.F3, 0xd6, regOnly((d, i) => ((i.rm &= 7), mmx.movq2dq))); // MOVQ2DQ xmm, mm

// Conversions between MM registers and XMM singles/doubles.
row(Prefix.None, 0x2a, (d, i) => (i.rm >= 0 && (i.rm &= 7), mmx.cvtpi2ps)); // CVTPI2PS xmm, mm/m64
row(Prefix.P66, 0x2a, (d, i) => (i.rm >= 0 && (i.rm &= 7), mmx.cvtpi2pd)); // CVTPI2PD xmm, mm/m64
row(Prefix.None, 0x2c, (d, i) => ((i.reg = d.reg & 7), (i.op = 1), mmx.cvtps2pi)); // CVTTPS2PI mm, xmm/m64
row(Prefix.None, 0x2d, (d, i) => ((i.reg = d.reg & 7), (i.op = 0), mmx.cvtps2pi)); // CVTPS2PI
row(Prefix.P66, 0x2c, (d, i) => ((i.reg = d.reg & 7), (i.op = 1), mmx.cvtpd2pi)); // CVTTPD2PI mm, xmm/m128
row(Prefix.P66, 0x2d, (d, i) => ((i.reg = d.reg & 7), (i.op = 0), mmx.cvtpd2pi)); // CVTPD2PI
