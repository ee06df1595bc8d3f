// The semantics of the most frequent integer instructions, written once as code templates: the
// interpreter runs them instantiated for a family of instructions (operands read from the Insn),
// hot blocks inline them with constant operands (see gen.ts). Everything else keeps its
// hand-written function in ops/ and is called from compiled blocks.
import type { Insn } from '../insn.js';
import { FlagOp } from '../state.js';
import type { FlagState, Gen } from './gen.js';

export interface Template {
  readonly name: string;
  /** What the generated code depends on besides operand values (register numbers, immediates,
   *  addresses): the interpreter keeps one function per shape. */
  shape(i: Insn): string;
  emit(g: Gen): void;
  /** It may change RIP (a branch): it must be the last instruction of its block. */
  readonly branches?: boolean;
}

const ALU_ADD = 0;
const ALU_OR = 1;
const ALU_ADC = 2;
const ALU_SBB = 3;
const ALU_AND = 4;
const ALU_SUB = 5;
const ALU_XOR = 6;
const ALU_CMP = 7;

/** Size and whether r/m is a register: the shape most templates have. */
function sizeAndKind(i: Insn): string {
  return `${i.size}${i.rm >= 0 ? 'r' : 'm'}`;
}

/** Truncates an int expression to an operand size (4: int32; 1/2: zero-extended). */
function truncate(size: number, expr: string): string {
  return size === 4 ? `(${expr}) | 0` : `(${expr}) & ${size === 1 ? '0xff' : '0xffff'}`;
}

function flags32(op: FlagOp, size: number, res: string, a: string, b: string, carry = '0'): FlagState {
  return { op, size, resLo: res, resHi: '0', aLo: a, aHi: '0', bLo: b, bHi: '0', carry, overflow: '0' };
}

// ---------------------------------------------------------------- ALU

/** op a, b at size 1/2/4: the result (truncated) in a local; sets the flags. */
export function alu32(g: Gen, op: number, size: number, a: string, b: string): string {
  switch (op) {
    case ALU_ADD: {
      const res = g.let(truncate(size, `${a} + ${b}`));
      g.setFlags(flags32(FlagOp.Add, size, res, a, b));
      return res;
    }
    case ALU_ADC:
    case ALU_SBB: {
      const cin = g.carryFlag();
      const res = g.let(truncate(size, op === ALU_ADC ? `${a} + ${b} + ${cin}` : `${a} - ${b} - ${cin}`));
      g.setFlags(flags32(op === ALU_ADC ? FlagOp.Adc : FlagOp.Sbb, size, res, a, b, cin));
      return res;
    }
    case ALU_SUB:
    case ALU_CMP: {
      const res = g.let(truncate(size, `${a} - ${b}`));
      g.setFlags(flags32(FlagOp.Sub, size, res, a, b));
      return res;
    }
    default: {
      const operator = op === ALU_OR ? '|' : op === ALU_AND ? '&' : '^';
      const res = g.let(truncate(size, `${a} ${operator} ${b}`));
      g.setFlags(flags32(FlagOp.Logic, size, res, '0', '0'));
      return res;
    }
  }
}

/** op a, b on 64-bit halves: the result halves in locals; sets the flags. */
export function alu64(g: Gen, op: number, aLo: string, aHi: string, bLo: string, bHi: string): [string, string] {
  let lo: string;
  let hi: string;
  let flagOp: FlagOp;
  let carry = '0';
  switch (op) {
    case ALU_ADD:
      lo = g.let(`(${aLo} + ${bLo}) | 0`);
      hi = g.let(`(${aHi} + ${bHi} + ((${lo} >>> 0) < (${aLo} >>> 0) ? 1 : 0)) | 0`);
      flagOp = FlagOp.Add;
      break;
    case ALU_ADC: {
      carry = g.carryFlag();
      const sum = g.let(`(${aLo} >>> 0) + (${bLo} >>> 0) + ${carry}`);
      lo = g.let(`${sum} | 0`);
      hi = g.let(`(${aHi} + ${bHi} + (${sum} > 0xffffffff ? 1 : 0)) | 0`);
      flagOp = FlagOp.Adc;
      break;
    }
    case ALU_SBB: {
      carry = g.carryFlag();
      const diff = g.let(`(${aLo} >>> 0) - (${bLo} >>> 0) - ${carry}`);
      lo = g.let(`${diff} | 0`);
      hi = g.let(`(${aHi} - ${bHi} - (${diff} < 0 ? 1 : 0)) | 0`);
      flagOp = FlagOp.Sbb;
      break;
    }
    case ALU_SUB:
    case ALU_CMP:
      lo = g.let(`(${aLo} - ${bLo}) | 0`);
      hi = g.let(`(${aHi} - ${bHi} - ((${aLo} >>> 0) < (${bLo} >>> 0) ? 1 : 0)) | 0`);
      flagOp = FlagOp.Sub;
      break;
    default: {
      const operator = op === ALU_OR ? '|' : op === ALU_AND ? '&' : '^';
      lo = g.let(`${aLo} ${operator} ${bLo}`);
      hi = g.let(`${aHi} ${operator} ${bHi}`);
      g.setFlags({ op: FlagOp.Logic, size: 8, resLo: lo, resHi: hi, aLo: '0', aHi: '0', bLo: '0', bHi: '0', carry: '0', overflow: '0' });
      return [lo, hi];
    }
  }
  g.setFlags({ op: flagOp, size: 8, resLo: lo, resHi: hi, aLo, aHi, bLo, bHi, carry, overflow: '0' });
  return [lo, hi];
}

/** ALU r/m, reg (opcodes x0/x1); i.op is the operation. */
export const aluRmReg: Template = {
  name: 'alu-rm-reg',
  shape: (i) => `${i.op}:${sizeAndKind(i)}`,
  emit(g) {
    const { size, op } = g.insn;
    if (size === 8) {
      const [bLo, bHi] = g.reg64('reg');
      const b = [g.let(bLo), g.let(bHi)];
      const a = g.readRm64();
      const [lo, hi] = alu64(g, op, a.lo, a.hi, b[0], b[1]);
      if (op !== ALU_CMP) writeBack64(g, lo, hi, a.addr);
      return;
    }
    const b = g.let(g.reg('reg', size));
    const a = g.readRm(size);
    const res = alu32(g, op, size, a.value, b);
    if (op !== ALU_CMP) writeBack(g, size, res, a.addr);
  },
};

/** ALU reg, r/m (opcodes x2/x3). */
export const aluRegRm: Template = {
  name: 'alu-reg-rm',
  shape: (i) => `${i.op}:${sizeAndKind(i)}`,
  emit(g) {
    const { size, op } = g.insn;
    if (size === 8) {
      const b = g.readRm64();
      const [aLo, aHi] = g.reg64('reg');
      const a = [g.let(aLo), g.let(aHi)];
      const [lo, hi] = alu64(g, op, a[0], a[1], b.lo, b.hi);
      if (op !== ALU_CMP) g.setReg64('reg', lo, hi);
      return;
    }
    const b = g.readRm(size);
    const a = g.let(g.reg('reg', size));
    const res = alu32(g, op, size, a, b.value);
    if (op !== ALU_CMP) g.setReg('reg', size, res);
  },
};

/** ALU r/m, imm (80/81/83 and the accumulator forms); the binder sized the immediate. */
export const aluRmImm: Template = {
  name: 'alu-rm-imm',
  shape: (i) => `${i.op}:${sizeAndKind(i)}`,
  emit(g) {
    const { size, op } = g.insn;
    if (size === 8) {
      const a = g.readRm64();
      const [lo, hi] = alu64(g, op, a.lo, a.hi, g.field('imm'), g.field('immHi'));
      if (op !== ALU_CMP) writeBack64(g, lo, hi, a.addr);
      return;
    }
    const a = g.readRm(size);
    const res = alu32(g, op, size, a.value, g.field('imm'));
    if (op !== ALU_CMP) writeBack(g, size, res, a.addr);
  },
};

/** Writes a result back to the r/m operand it was read from. */
function writeBack(g: Gen, size: number, value: string, addr: string | null): void {
  g.writeRm(size, value, addr);
}

function writeBack64(g: Gen, lo: string, hi: string, addr: string | null): void {
  g.writeRm64(lo, hi, addr);
}

/** TEST r/m, reg. */
export const testRmReg: Template = {
  name: 'test-rm-reg',
  shape: sizeAndKind,
  emit(g) {
    const size = g.insn.size;
    if (size === 8) {
      const a = g.readRm64();
      const [bLo, bHi] = g.reg64('reg');
      logicFlags64(g, g.let(`${a.lo} & ${bLo}`), g.let(`${a.hi} & ${bHi}`));
      return;
    }
    const a = g.readRm(size);
    const res = g.let(`${a.value} & ${g.reg('reg', size)}`);
    g.setFlags(flags32(FlagOp.Logic, size, res, '0', '0'));
  },
};

/** TEST r/m, imm. */
export const testRmImm: Template = {
  name: 'test-rm-imm',
  shape: sizeAndKind,
  emit(g) {
    const size = g.insn.size;
    if (size === 8) {
      const a = g.readRm64();
      logicFlags64(g, g.let(`${a.lo} & ${g.field('imm')}`), g.let(`${a.hi} & ${g.field('immHi')}`));
      return;
    }
    const a = g.readRm(size);
    const res = g.let(`${a.value} & ${g.field('imm')}`);
    g.setFlags(flags32(FlagOp.Logic, size, res, '0', '0'));
  },
};

function logicFlags64(g: Gen, lo: string, hi: string): void {
  g.setFlags({ op: FlagOp.Logic, size: 8, resLo: lo, resHi: hi, aLo: '0', aHi: '0', bLo: '0', bHi: '0', carry: '0', overflow: '0' });
}

/** INC/DEC r/m (i.op is +1 or -1): CF is kept. */
export const incDec: Template = {
  name: 'inc-dec',
  shape: (i) => `${i.op}:${sizeAndKind(i)}`,
  emit(g) {
    const { size, op } = g.insn;
    const flagOp = op > 0 ? FlagOp.Inc : FlagOp.Dec;
    if (size === 8) {
      const a = g.readRm64();
      const carry = g.carryFlag();
      const lo = g.let(`(${a.lo} ${op > 0 ? '+' : '-'} 1) | 0`);
      const hi = g.let(op > 0 ? `${lo} === 0 ? (${a.hi} + 1) | 0 : ${a.hi}` : `${a.lo} === 0 ? (${a.hi} - 1) | 0 : ${a.hi}`);
      g.writeRm64(lo, hi, a.addr);
      g.setFlags({ op: flagOp, size: 8, resLo: lo, resHi: hi, aLo: a.lo, aHi: a.hi, bLo: '1', bHi: '0', carry, overflow: '0' });
      return;
    }
    const a = g.readRm(size);
    const carry = g.carryFlag();
    const res = g.let(truncate(size, `${a.value} ${op > 0 ? '+' : '-'} 1`));
    g.writeRm(size, res, a.addr);
    g.setFlags(flags32(flagOp, size, res, a.value, '1', carry));
  },
};

/** NEG r/m: flags as SUB 0, x. */
export const neg: Template = {
  name: 'neg',
  shape: sizeAndKind,
  emit(g) {
    const size = g.insn.size;
    if (size === 8) {
      const a = g.readRm64();
      const lo = g.let(`(0 - ${a.lo}) | 0`);
      const hi = g.let(`(0 - ${a.hi} - (${a.lo} !== 0 ? 1 : 0)) | 0`);
      g.writeRm64(lo, hi, a.addr);
      g.setFlags({ op: FlagOp.Sub, size: 8, resLo: lo, resHi: hi, aLo: '0', aHi: '0', bLo: a.lo, bHi: a.hi, carry: '0', overflow: '0' });
      return;
    }
    const a = g.readRm(size);
    const res = g.let(truncate(size, `0 - ${a.value}`));
    g.writeRm(size, res, a.addr);
    g.setFlags(flags32(FlagOp.Sub, size, res, '0', a.value));
  },
};

/** NOT r/m: no flags. */
export const not: Template = {
  name: 'not',
  shape: sizeAndKind,
  emit(g) {
    const size = g.insn.size;
    if (size === 8) {
      const a = g.readRm64();
      g.writeRm64(`~${a.lo}`, `~${a.hi}`, a.addr);
      return;
    }
    const a = g.readRm(size);
    g.writeRm(size, truncate(size, `~${a.value}`), a.addr);
  },
};

// ---------------------------------------------------------------- shifts

const SHL = 4;
const SHR = 5;
const SAL = 6;
const SAR = 7;

/** Whether group 2's operation `kind` is a shift these templates cover (the rotates are not). */
export function isShift(kind: number): boolean {
  return kind >= SHL;
}

function resultFlags(size: number, resLo: string, resHi: string, carry: string, overflow: string): FlagState {
  return { op: FlagOp.ResultCarryOverflow, size, resLo, resHi, aLo: '0', aHi: '0', bLo: '0', bHi: '0', carry, overflow };
}

/** SHL/SHR/SAR of a size-1/2/4 value by a nonzero masked count `n` (an expression); sets the
 *  flags (CF the last bit out; OF as Intel parts compute it for any count); the result in a
 *  local (the caller stores `size` bytes of it). */
export function shift32(g: Gen, kind: number, size: number, value: string, n: string): string {
  const bits = size * 8;
  const mask = size === 4 ? '-1' : String((1 << bits) - 1);
  const v = g.let(`${value} & ${mask}`);
  const msb = (x: string) => `((${x} >>> ${bits - 1}) & 1)`;
  let r: string;
  let carry: string;
  let overflow: string;
  if (kind === SHL || kind === SAL) {
    r = g.let(`${n} < 32 ? (${v} << ${n}) & ${mask} : 0`);
    carry = g.let(`${n} <= ${bits} ? (${v} >>> (${bits} - ${n})) & 1 : 0`);
    overflow = g.let(`${msb(r)} ^ ${carry}`);
  } else if (kind === SHR) {
    r = g.let(`${n} < 32 ? (${v} >>> ${n}) & ${mask} : 0`);
    carry = g.let(`${n} <= ${bits} ? (${v} >>> (${n} - 1)) & 1 : 0`);
    overflow = g.let(msb(v));
  } else {
    const signed = g.let(`(${v} << ${32 - bits}) >> ${32 - bits}`);
    r = g.let(`(${signed} >> Math.min(${n}, 31)) & ${mask}`);
    carry = g.let(`(${signed} >> Math.min(${n} - 1, 31)) & 1`);
    overflow = '0';
  }
  g.setFlags(resultFlags(size, r, '0', carry, overflow));
  return r;
}

/** The bit of a 64-bit value (halves) at position `at` (an expression below 64). */
function bit64(lo: string, hi: string, at: string): string {
  return `(${at} < 32 ? (${lo} >>> ${at}) & 1 : (${hi} >>> (${at} - 32)) & 1)`;
}

/** SHL/SHR/SAR of a 64-bit value by a nonzero masked count `n`; sets the flags. */
export function shift64(g: Gen, kind: number, lo: string, hi: string, n: string): [string, string] {
  let rLo: string;
  let rHi: string;
  let carry: string;
  let overflow: string;
  if (kind === SHL || kind === SAL) {
    carry = g.let(bit64(lo, hi, `(64 - ${n})`));
    rHi = g.let(`(${n} < 32 ? (${hi} << ${n}) | (${lo} >>> (32 - ${n})) : ${lo} << (${n} - 32)) | 0`);
    rLo = g.let(`${n} < 32 ? ${lo} << ${n} : 0`);
    overflow = g.let(`(${rHi} >>> 31) ^ ${carry}`);
  } else {
    carry = g.let(bit64(lo, hi, `(${n} - 1)`));
    rLo = g.let(`(${n} < 32 ? (${lo} >>> ${n}) | (${hi} << (32 - ${n})) : ${hi} ${kind === SAR ? '>>' : '>>>'} (${n} - 32)) | 0`);
    rHi = g.let(kind === SAR ? `${n} < 32 ? ${hi} >> ${n} : ${hi} >> 31` : `${n} < 32 ? (${hi} >>> ${n}) | 0 : 0`);
    overflow = kind === SAR ? '0' : `(${hi} >>> 31)`;
  }
  g.setFlags(resultFlags(8, rLo, rHi, carry, overflow));
  return [rLo, rHi];
}

/** SHL/SHR/SAR r/m by an immediate count (C0/C1, and D0/D1 with count 1); i.op is the /digit.
 *  A masked count of 0 changes no flags but still accesses its memory operand and, for a 32-bit
 *  register, clears the upper half. */
export const shiftImm: Template = {
  name: 'shift-imm',
  shape: (i) => `${i.op}:${sizeAndKind(i)}:${(i.imm & (i.size === 8 ? 63 : 31)) === 0 ? 'zero' : 'n'}`,
  emit(g) {
    const { size, op } = g.insn;
    const countMask = size === 8 ? 63 : 31;
    if ((g.insn.imm & countMask) === 0) {
      if (!g.rmIsReg) {
        const addr = g.address();
        if (size === 8) g.load64(addr);
        else g.load(size, addr);
      } else if (size === 4) g.emit(`${g.reg64('rm')[1]} = 0;`);
      return;
    }
    const n = g.block ? String(g.insn.imm & countMask) : g.let(`i.imm & ${countMask}`);
    if (size === 8) {
      const a = g.readRm64();
      const [lo, hi] = shift64(g, op, a.lo, a.hi, n);
      g.writeRm64(lo, hi, a.addr);
      return;
    }
    const a = g.readRm(size);
    g.writeRm(size, shift32(g, op, size, a.value, n), a.addr);
  },
};

// ---------------------------------------------------------------- moves

/** MOV r/m, reg. */
export const movRmReg: Template = {
  name: 'mov-rm-reg',
  shape: sizeAndKind,
  emit(g) {
    const size = g.insn.size;
    if (size === 8) {
      const [lo, hi] = g.reg64('reg');
      if (g.rmIsReg) g.setReg64('rm', g.let(lo), g.let(hi));
      else {
        const addr = g.address();
        g.store64(addr, lo, hi);
      }
      return;
    }
    const value = g.let(g.reg('reg', size));
    g.writeRm(size, value);
  },
};

/** MOV reg, r/m. */
export const movRegRm: Template = {
  name: 'mov-reg-rm',
  shape: sizeAndKind,
  emit(g) {
    const size = g.insn.size;
    if (size === 8) {
      const a = g.readRm64();
      g.setReg64('reg', a.lo, a.hi);
      return;
    }
    const a = g.readRm(size);
    g.setReg('reg', size, a.value);
  },
};

/** MOV r/m, imm (C6/C7, B0-BF with rm set). */
export const movRmImm: Template = {
  name: 'mov-rm-imm',
  shape: sizeAndKind,
  emit(g) {
    const size = g.insn.size;
    if (size === 8) g.writeRm64(g.field('imm'), g.field('immHi'));
    else g.writeRm(size, g.field('imm'));
  },
};

/** MOVZX (i.op: source size 1 or 2). */
export const movZeroExtend: Template = {
  name: 'movzx',
  shape: (i) => `${i.op}:${sizeAndKind(i)}`,
  emit(g) {
    const { size, op } = g.insn;
    const a = g.readRm(op);
    if (size === 8) g.setReg64('reg', a.value, '0');
    else g.setReg('reg', size, a.value);
  },
};

/** MOVSX/MOVSXD (i.op: source size 1, 2 or 4). */
export const movSignExtend: Template = {
  name: 'movsx',
  shape: (i) => `${i.op}:${sizeAndKind(i)}`,
  emit(g) {
    const { size, op } = g.insn;
    const a = g.readRm(op);
    const value = op === 4 ? a.value : g.let(op === 1 ? `(${a.value} << 24) >> 24` : `(${a.value} << 16) >> 16`);
    if (size === 8) g.setReg64('reg', value, `${value} >> 31`);
    else g.setReg('reg', size, size === 2 ? `${value} & 0xffff` : value);
  },
};

/** LEA: exact 64-bit address arithmetic in halves (LEA doubles as multiply-add). */
export const lea: Template = {
  name: 'lea',
  shape: (i) => `${i.size}:${i.memBase >= 0 ? 'b' : ''}${i.memIndex >= 0 ? 'x' : ''}:${i.addr32 ? 32 : 64}`,
  emit(g) {
    const i = g.insn;
    const disp = g.block ? String(i.disp) : 'i.disp';
    let hi = g.let(`Math.floor(${disp} / 4294967296)`);
    let lo = g.let(`${disp} - ${hi} * 4294967296`);
    if (i.memBase >= 0) {
      const base = g.block ? String(2 * i.memBase) : '(2 * i.memBase)';
      lo = g.let(`${lo} + (r[${base}] >>> 0)`);
      hi = g.let(`${hi} + r[${base} + 1]`);
    }
    if (i.memIndex >= 0) {
      const index = g.block ? String(2 * i.memIndex) : '(2 * i.memIndex)';
      const shift = g.block ? String(31 - Math.clz32(i.memScale)) : g.let('31 - Math.clz32(i.memScale)');
      const indexLo = g.let(`r[${index}] >>> 0`);
      lo = g.let(`${lo} + ((${indexLo} << ${shift}) >>> 0)`);
      hi = g.let(`${hi} + ((r[${index} + 1] << ${shift}) | (${shift} ? ${indexLo} >>> (32 - ${shift}) : 0))`);
    }
    const carry = g.let(`Math.floor(${lo} / 4294967296)`);
    const resultLo = g.let(`(${lo} - ${carry} * 4294967296) | 0`);
    if (i.size === 8 && !i.addr32) g.setReg64('reg', resultLo, `(${hi} + ${carry}) | 0`);
    else g.setReg('reg', i.size === 8 ? 4 : i.size, resultLo);
  },
};

/** CMOVcc reg, r/m (i.op: the condition). A 32-bit CMOV zero-extends even when false. */
export const cmov: Template = {
  name: 'cmov',
  shape: (i) => `${i.op}:${sizeAndKind(i)}`,
  emit(g) {
    const { size, op } = g.insn;
    if (size === 8) {
      const a = g.readRm64();
      g.emit(`if (${g.condition(op)}) {`);
      g.setReg64('reg', a.lo, a.hi);
      g.emit('}');
      return;
    }
    const a = g.readRm(size);
    g.emit(`if (${g.condition(op)}) {`);
    g.setReg('reg', size, a.value);
    if (size === 4) {
      g.emit('} else {');
      g.emit(`${g.reg64('reg')[1]} = 0;`);
    }
    g.emit('}');
  },
};

/** SETcc r/m8. */
export const setcc: Template = {
  name: 'setcc',
  shape: (i) => `${i.op}:${sizeAndKind(i)}`,
  emit(g) {
    const value = g.let(`${g.condition(g.insn.op)} ? 1 : 0`);
    g.writeRm(1, value);
  },
};

// ---------------------------------------------------------------- stack

/** RSP as a number (exact below 2^53) into a local. */
function stackPointer(g: Gen): string {
  const [lo, hi] = g.fixed64(4);
  return g.let(`(${hi} >>> 0) * 4294967296 + (${lo} >>> 0)`);
}

function setStackPointer(g: Gen, value: string): void {
  const hi = g.let(`Math.floor(${value} / 4294967296)`);
  const [rLo, rHi] = g.fixed64(4);
  g.emit(`${rLo} = ${value} - ${hi} * 4294967296; ${rHi} = ${hi};`);
}

/** Pushes 64-bit halves. */
function push64(g: Gen, lo: string, hi: string): void {
  g.mayFault();
  const sp = g.let(`${stackPointer(g)} - 8`);
  g.store64(sp, lo, hi);
  setStackPointer(g, sp);
}

/** Pushes an address (a number below 2^53). */
function pushAddress(g: Gen, addr: string): void {
  const hi = g.let(`Math.floor(${addr} / 4294967296)`);
  push64(g, g.let(`${addr} - ${hi} * 4294967296`), hi);
}

/** Pops 64 bits into locals. */
function pop64(g: Gen): [string, string] {
  g.mayFault();
  const sp = stackPointer(g);
  const [lo, hi] = g.load64(sp);
  setStackPointer(g, g.let(`${sp} + 8`));
  return [lo, hi];
}

/** PUSH r/m64 (FF /6, 50+r with rm set). 16-bit pushes use ops/move.ts. */
export const push: Template = {
  name: 'push',
  shape: sizeAndKind,
  emit(g) {
    const a = g.readRm64();
    push64(g, a.lo, a.hi);
  },
};

/** PUSH imm (sign-extended to 64 bits). */
export const pushImm: Template = {
  name: 'push-imm',
  shape: () => '8',
  emit(g) {
    push64(g, g.field('imm'), g.field('immHi'));
  },
};

/** POP r/m64. RSP is incremented before a memory destination's address is computed, but it
 *  changes only once the store has succeeded; POP RSP leaves the popped value. */
export const pop: Template = {
  name: 'pop',
  shape: sizeAndKind,
  emit(g) {
    g.mayFault();
    const sp = stackPointer(g);
    const [lo, hi] = g.load64(sp);
    const after = g.let(`${sp} + 8`);
    setStackPointer(g, after);
    if (g.rmIsReg) {
      g.setReg64('rm', lo, hi);
      return;
    }
    const addr = g.address();
    setStackPointer(g, sp);
    g.store64(addr, lo, hi);
    setStackPointer(g, after);
  },
};

// ---------------------------------------------------------------- branches
// The run loop has set c.rip to the end of the block; a branch that is taken overwrites it.

export const jump: Template = {
  name: 'jmp',
  shape: () => '',
  branches: true,
  emit(g) {
    g.emit(`c.rip = ${g.field('target')};`);
  },
};

export const jumpIf: Template = {
  name: 'jcc',
  shape: (i) => String(i.op),
  branches: true,
  emit(g) {
    g.emit(`if (${g.condition(g.insn.op)}) c.rip = ${g.field('target')};`);
  },
};

export const call: Template = {
  name: 'call',
  shape: () => '',
  branches: true,
  emit(g) {
    pushAddress(g, g.field('next'));
    g.emit(`c.rip = ${g.field('target')};`);
  },
};

export const ret: Template = {
  name: 'ret',
  shape: (i) => (i.imm ? 'n' : ''),
  branches: true,
  emit(g) {
    const [lo, hi] = pop64(g);
    g.emit(`c.rip = ${hi} * 4294967296 + (${lo} >>> 0);`);
    if (g.insn.imm) setStackPointer(g, g.let(`${stackPointer(g)} + (${g.field('imm')} & 0xffff)`));
  },
};

export const jumpIndirect: Template = {
  name: 'jmp-indirect',
  shape: sizeAndKind,
  branches: true,
  emit(g) {
    const a = g.readRm64();
    g.emit(`c.rip = ${a.hi} * 4294967296 + (${a.lo} >>> 0);`);
  },
};

/** CALL r/m64: the target is read before the return address is pushed. */
export const callIndirect: Template = {
  name: 'call-indirect',
  shape: sizeAndKind,
  branches: true,
  emit(g) {
    const a = g.readRm64();
    const target = g.let(`${a.hi} * 4294967296 + (${a.lo} >>> 0)`);
    pushAddress(g, g.field('next'));
    g.emit(`c.rip = ${target};`);
  },
};
