// The binder: turns a decoded instruction into an executable one by choosing its semantics from
// the opcode tables below and normalising its operands (byte-register indices, immediates
// truncated to the operand size, absolute branch targets). One row per opcode or opcode group.
import { DecodedInsn, OpcodeMap, RepPrefix } from './decoded.js';
import { Exec, Insn } from './insn.js';
import { genericExec } from './jit/compile.js';
import * as T from './jit/templates.js';
import type { Template } from './jit/templates.js';
import * as bits from './ops/bits.js';
import * as branch from './ops/branch.js';
import * as move from './ops/move.js';
import * as muldiv from './ops/muldiv.js';
import * as shift from './ops/shift.js';
import { StringOp, stringOp } from './ops/string.js';
import * as sys from './ops/system.js';
import { bindSse } from './sse/bind-sse.js';
import { truncate } from './operands.js';
import { bindFwait, bindX87 } from './x87/bind-x87.js';

/** Chooses the semantics for a decoded instruction and adjusts the Insn's operand fields: a
 *  template (jit/templates.ts) for the frequent instructions, a function otherwise. Returns null
 *  when the encoding has no semantics here (the instruction raises #UD). */
export type Binder = (d: DecodedInsn, i: Insn) => Exec | Template | null;

const PRIMARY: (Binder | undefined)[] = new Array(256);
const MAP_0F: (Binder | undefined)[] = new Array(256);

export function bind(d: DecodedInsn): Insn {
  const insn = new Insn(d, sys.undefinedInstruction);
  if (d.vex) return insn;
  const table = d.map === OpcodeMap.Primary ? PRIMARY : d.map === OpcodeMap.Map0F ? MAP_0F : undefined;
  const binder = table?.[d.opcode];
  const semantics = binder ? binder(d, insn) : bindSse(d, insn);
  if (semantics && typeof semantics !== 'function') {
    insn.template = semantics;
    insn.exec = genericExec(semantics, insn);
  } else insn.exec = semantics ?? sys.undefinedInstruction;
  return insn;
}

/** Instructions after which the block ends: anything that may change RIP non-sequentially, enter
 *  the kernel or trap. */
export function endsBlock(i: Insn): boolean {
  return i.template ? i.template.branches === true : BLOCK_ENDERS.has(i.exec);
}

const BLOCK_ENDERS = new Set<Exec>([
  branch.loop,
  branch.jumpIfRcxZero,
  sys.syscall,
  sys.int80,
  sys.undefinedInstruction,
  sys.ud2,
  sys.int3,
  sys.privileged,
]);

// ---------------------------------------------------------------- operand normalisation

/** regs8 index of byte register r: without REX, 4-7 are AH CH DH BH; with REX they are SPL..DIL. */
function byteReg(d: DecodedInsn, r: number): number {
  return d.rex === 0 && r >= 4 && r < 8 ? (r - 4) * 8 + 1 : r * 8;
}

/** Makes the instruction a byte operation: size 1 and byte-register indices. */
function asByteOp(d: DecodedInsn, i: Insn): void {
  i.size = 1;
  i.reg = byteReg(d, d.reg);
  if (i.rm >= 0) i.rm = byteReg(d, i.rm);
}

/** Truncates the immediate to the operand size (zero-extended for 1/2), keeping its 64-bit sign
 *  extension in immHi for 8-byte operations. */
function sizeImmediate(i: Insn): void {
  if (i.size === 8) i.immHi = i.imm >> 31;
  else {
    i.imm = truncate(i.size, i.imm);
    i.immHi = 0;
  }
}

function relativeTarget(i: Insn): void {
  i.target = i.next + i.imm;
}

function set(table: (Binder | undefined)[], opcodes: number | number[], binder: Binder): void {
  for (const op of Array.isArray(opcodes) ? opcodes : [opcodes]) table[op] = binder;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, k) => from + k);
}

// ---------------------------------------------------------------- primary map

// 00-3F: ADD OR ADC SBB AND SUB XOR CMP in six forms each.
for (let op = 0; op < 8; op++) {
  const base = op * 8;
  set(PRIMARY, base + 0, (d, i) => ((i.op = op), asByteOp(d, i), T.aluRmReg));
  set(PRIMARY, base + 1, (d, i) => ((i.op = op), T.aluRmReg));
  set(PRIMARY, base + 2, (d, i) => ((i.op = op), asByteOp(d, i), T.aluRegRm));
  set(PRIMARY, base + 3, (d, i) => ((i.op = op), T.aluRegRm));
  set(PRIMARY, base + 4, (d, i) => ((i.op = op), (i.size = 1), (i.rm = 0), sizeImmediate(i), T.aluRmImm));
  set(PRIMARY, base + 5, (d, i) => ((i.op = op), (i.rm = 0), sizeImmediate(i), T.aluRmImm));
}

// 50-5F: PUSH/POP r64 (REX.B extends the register in the opcode).
set(PRIMARY, range(0x50, 0x57), (d, i) => ((i.rm = (d.opcode & 7) | (d.rex & 1 ? 8 : 0)), i.size === 2 ? move.push16 : T.push));
set(PRIMARY, range(0x58, 0x5f), (d, i) => ((i.rm = (d.opcode & 7) | (d.rex & 1 ? 8 : 0)), i.size === 2 ? move.pop16 : T.pop));
set(PRIMARY, 0x63, (d, i) => ((i.op = 4), i.size === 2 ? T.movRegRm : T.movSignExtend));
set(PRIMARY, [0x68, 0x6a], (d, i) => ((i.size = d.opsizePrefix ? 2 : 8), i.size === 2 ? move.pushImm16 : T.pushImm));
set(PRIMARY, [0x69, 0x6b], (d, i) => ((i.op = 1), sizeImmediate(i), i.size !== 8 && (i.imm = d.imm), muldiv.imulTruncating));
set(PRIMARY, range(0x70, 0x7f), (d, i) => ((i.op = d.opcode & 0xf), relativeTarget(i), T.jumpIf));

// 80-83: group 1 with an immediate.
set(PRIMARY, [0x80, 0x81, 0x83], (d, i) => {
  i.op = d.regField;
  if (d.opcode === 0x80) asByteOp(d, i);
  sizeImmediate(i);
  return T.aluRmImm;
});
set(PRIMARY, 0x84, (d, i) => (asByteOp(d, i), T.testRmReg));
set(PRIMARY, 0x85, () => T.testRmReg);
set(PRIMARY, 0x86, (d, i) => (asByteOp(d, i), move.xchg));
set(PRIMARY, 0x87, () => move.xchg);
set(PRIMARY, 0x88, (d, i) => (asByteOp(d, i), T.movRmReg));
set(PRIMARY, 0x89, () => T.movRmReg);
set(PRIMARY, 0x8a, (d, i) => (asByteOp(d, i), T.movRegRm));
set(PRIMARY, 0x8b, () => T.movRegRm);
set(PRIMARY, 0x8d, (d, i) => (i.rm >= 0 ? null : T.lea));
set(PRIMARY, 0x8f, (d, i) => (d.regField !== 0 ? null : ((i.size = d.opsizePrefix ? 2 : 8), i.size === 2 ? move.pop16 : T.pop)));
set(PRIMARY, 0x90, (d, i) => {
  if (d.rex & 1) return (i.rm = 8), (i.reg = 0), move.xchg; // XCHG R8, RAX
  return sys.nop; // NOP, and PAUSE with F3
});
set(PRIMARY, range(0x91, 0x97), (d, i) => ((i.rm = (d.opcode & 7) | (d.rex & 1 ? 8 : 0)), (i.reg = 0), move.xchg));
set(PRIMARY, 0x98, () => move.signExtendAccumulator);
set(PRIMARY, 0x99, () => move.signFillDx);
set(PRIMARY, 0x9c, (d, i) => ((i.size = 8), move.pushf));
set(PRIMARY, 0x9d, (d, i) => ((i.size = 8), move.popf));
set(PRIMARY, 0x9e, () => move.sahf);
set(PRIMARY, 0x9f, () => move.lahf);
set(PRIMARY, [0xa0, 0xa1, 0xa2, 0xa3], (d, i) => {
  if (!(d.opcode & 1)) i.size = 1;
  i.op = d.opcode < 0xa2 ? 0 : 1;
  i.target = (d.moffsHigh >>> 0) * 4294967296 + (d.disp >>> 0);
  return move.movMoffs;
});
set(PRIMARY, [0xa4, 0xa5], (d, i) => ((i.op = StringOp.Movs), d.opcode & 1 || (i.size = 1), stringOp));
set(PRIMARY, [0xa6, 0xa7], (d, i) => ((i.op = StringOp.Cmps), d.opcode & 1 || (i.size = 1), stringOp));
set(PRIMARY, 0xa8, (d, i) => ((i.size = 1), (i.rm = 0), sizeImmediate(i), T.testRmImm));
set(PRIMARY, 0xa9, (d, i) => ((i.rm = 0), sizeImmediate(i), T.testRmImm));
set(PRIMARY, [0xaa, 0xab], (d, i) => ((i.op = StringOp.Stos), d.opcode & 1 || (i.size = 1), stringOp));
set(PRIMARY, [0xac, 0xad], (d, i) => ((i.op = StringOp.Lods), d.opcode & 1 || (i.size = 1), stringOp));
set(PRIMARY, [0xae, 0xaf], (d, i) => ((i.op = StringOp.Scas), d.opcode & 1 || (i.size = 1), stringOp));
set(PRIMARY, range(0xb0, 0xb7), (d, i) => {
  i.size = 1;
  i.rm = byteReg(d, (d.opcode & 7) | (d.rex & 1 ? 8 : 0));
  sizeImmediate(i);
  return T.movRmImm;
});
set(PRIMARY, range(0xb8, 0xbf), (d, i) => {
  i.rm = (d.opcode & 7) | (d.rex & 1 ? 8 : 0);
  if (i.size !== 8) sizeImmediate(i);
  return T.movRmImm;
});

// C0/C1/D0-D3: group 2 shifts; i.imm is the count, -1 for CL.
set(PRIMARY, [0xc0, 0xc1, 0xd0, 0xd1, 0xd2, 0xd3], (d, i) => {
  i.op = d.regField;
  if (!(d.opcode & 1)) asByteOp(d, i);
  if (d.opcode >= 0xd2) i.imm = -1;
  else if (d.opcode >= 0xd0) i.imm = 1;
  else i.imm = d.imm & 0xff;
  return i.imm >= 0 && i.op >= 4 ? T.shiftImm : shift.shiftGroup;
});
set(PRIMARY, [0xc2, 0xc3], (d, i) => ((i.imm = d.opcode === 0xc2 ? d.imm & 0xffff : 0), T.ret));
set(PRIMARY, 0xc6, (d, i) => (d.regField === 0 ? (asByteOp(d, i), sizeImmediate(i), T.movRmImm) : null));
set(PRIMARY, 0xc7, (d, i) => (d.regField === 0 ? (sizeImmediate(i), T.movRmImm) : null));
set(PRIMARY, 0xc8, (d, i) => ((i.size = 8), move.enter));
set(PRIMARY, 0xc9, (d, i) => ((i.size = d.opsizePrefix ? 2 : 8), move.leave));
set(PRIMARY, 0xcc, () => sys.int3);
set(PRIMARY, [0xf4, 0xfa, 0xfb, 0xe4, 0xe5, 0xe6, 0xe7, 0xec, 0xed, 0xee, 0xef, 0x6c, 0x6d, 0x6e, 0x6f], () => sys.privileged);
// INT n: only 0x80 (the i386 syscall gate) is open to user code; the others raise #GP.
set(PRIMARY, 0xcd, (d) => ((d.imm & 0xff) === 0x80 ? sys.int80 : sys.privileged));
set(PRIMARY, [0xe0, 0xe1, 0xe2], (d, i) => ((i.op = d.opcode === 0xe2 ? 0 : d.opcode === 0xe1 ? 1 : 2), relativeTarget(i), branch.loop));
set(PRIMARY, 0xe3, (d, i) => (relativeTarget(i), branch.jumpIfRcxZero));
set(PRIMARY, 0xe8, (d, i) => (relativeTarget(i), T.call));
set(PRIMARY, [0xe9, 0xeb], (d, i) => (relativeTarget(i), T.jump));
set(PRIMARY, range(0xd8, 0xdf), bindX87); // x87 escapes (cpu/x87/)
set(PRIMARY, 0x9b, bindFwait); // FWAIT
set(PRIMARY, 0xf5, () => sys.cmc);
set(PRIMARY, 0xf8, () => sys.clc);
set(PRIMARY, 0xf9, () => sys.stc);
set(PRIMARY, 0xfc, () => sys.cld);
set(PRIMARY, 0xfd, () => sys.std);

// F6/F7: group 3.
set(PRIMARY, [0xf6, 0xf7], (d, i) => {
  if (d.opcode === 0xf6) asByteOp(d, i);
  switch (d.regField) {
    case 0:
    case 1:
      sizeImmediate(i);
      return T.testRmImm;
    case 2:
      return T.not;
    case 3:
      return T.neg;
    case 4:
      return muldiv.mul;
    case 5:
      return muldiv.imulOne;
    case 6:
      i.op = 0;
      return muldiv.divide;
    default:
      i.op = 1;
      return muldiv.divide;
  }
});

// FE/FF: group 4/5.
set(PRIMARY, 0xfe, (d, i) => {
  if (d.regField > 1) return null;
  asByteOp(d, i);
  i.op = d.regField === 0 ? 1 : -1;
  return T.incDec;
});
set(PRIMARY, 0xff, (d, i) => {
  switch (d.regField) {
    case 0:
    case 1:
      i.op = d.regField === 0 ? 1 : -1;
      return T.incDec;
    case 2:
      i.size = 8;
      return T.callIndirect;
    case 4:
      i.size = 8;
      return T.jumpIndirect;
    case 6:
      i.size = d.opsizePrefix ? 2 : 8;
      return i.size === 2 ? move.push16 : T.push;
    default:
      return null; // far CALL/JMP (3, 5) and /7
  }
});

// ---------------------------------------------------------------- 0F map

set(MAP_0F, 0x05, () => sys.syscall);
set(MAP_0F, 0x0b, () => sys.ud2);
set(MAP_0F, 0x01, (d) => {
  if (d.mod !== 3) return null;
  const modrm = 0xc0 | (d.regField << 3) | (d.rmReg & 7);
  if (modrm === 0xf9) return sys.rdtscp;
  return null; // XGETBV and friends: OSXSAVE is not advertised, so #UD is the right answer
});
set(MAP_0F, [0x0d, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f], () => sys.nop); // prefetch, hint NOPs, ENDBR64
set(MAP_0F, 0x31, () => sys.rdtsc);
set(MAP_0F, 0xa2, () => sys.cpuidInsn);
set(MAP_0F, range(0x40, 0x4f), (d, i) => ((i.op = d.opcode & 0xf), T.cmov));
set(MAP_0F, range(0x80, 0x8f), (d, i) => ((i.op = d.opcode & 0xf), relativeTarget(i), T.jumpIf));
set(MAP_0F, range(0x90, 0x9f), (d, i) => ((i.op = d.opcode & 0xf), asByteOp(d, i), T.setcc));
set(MAP_0F, [0xa3, 0xab, 0xb3, 0xbb], (d, i) => ((i.op = [0xa3, 0xab, 0xb3, 0xbb].indexOf(d.opcode)), (i.target = 0), bits.bitTest));
set(MAP_0F, 0xba, (d, i) => (d.regField < 4 ? null : ((i.op = d.regField - 4), (i.target = 1), bits.bitTest)));
set(MAP_0F, [0xa4, 0xa5, 0xac, 0xad], (d, i) => {
  i.op = d.opcode >= 0xac ? 1 : 0;
  i.imm = d.opcode & 1 ? -1 : d.imm & 0xff;
  return shift.doubleShift;
});
set(MAP_0F, 0xaf, (d, i) => ((i.op = 0), muldiv.imulTruncating));
set(MAP_0F, 0xb0, (d, i) => (asByteOp(d, i), move.cmpxchg));
set(MAP_0F, 0xb1, () => move.cmpxchg);
set(MAP_0F, [0xb6, 0xb7], (d, i) => ((i.op = d.opcode === 0xb6 ? 1 : 2), d.opcode === 0xb6 && i.rm >= 0 && (i.rm = byteReg(d, i.rm)), T.movZeroExtend));
set(MAP_0F, [0xbe, 0xbf], (d, i) => ((i.op = d.opcode === 0xbe ? 1 : 2), d.opcode === 0xbe && i.rm >= 0 && (i.rm = byteReg(d, i.rm)), T.movSignExtend));
set(MAP_0F, 0xb8, (d, i) => (d.rep === RepPrefix.Rep ? bits.popcount : null));
// TZCNT/LZCNT (F3 prefix) run as BSF/BSR: BMI1 and LZCNT are not advertised.
set(MAP_0F, [0xbc, 0xbd], (d, i) => ((i.op = d.opcode - 0xbc), bits.bitScan));
set(MAP_0F, [0xc0, 0xc1], (d, i) => (d.opcode === 0xc0 && asByteOp(d, i), move.xadd));
set(MAP_0F, 0xc7, (d, i) => (d.regField === 1 && i.rm < 0 ? ((i.size = d.rex & 8 ? 8 : 4), move.cmpxchgDouble) : null));
set(MAP_0F, range(0xc8, 0xcf), (d, i) => ((i.reg = (d.opcode & 7) | (d.rex & 1 ? 8 : 0)), bits.byteSwap));
