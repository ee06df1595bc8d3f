// Instruction forms and the cases generated for them. A form is an encoding with holes: the
// ModRM.reg operand (a register or a /digit), the r/m operand (a register or a memory operand),
// an immediate. Each case fills the holes at random (any of the 16 registers, REX as needed,
// base/index/scale/displacement or RIP-relative addressing aimed into the scratch area: mostly
// inside it and naturally aligned, sometimes misaligned, sometimes across a guard page) and draws
// an edge-biased initial state.
import { CompareOptions } from './compare.js';
import { CODE_BASE, initX87, OFF_XMM, RSP, SCRATCH_BASE, SCRATCH_SIZE, setGpr, setMxcsr, setRflags, STATE_SIZE, TestCase } from './machine.js';
import { fillLanes, int64, LaneKind, Rng } from './random.js';

export type OperandKind = 'xmm' | 'gpr' | 'mem';

export interface Form {
  /** Shown in test names and failure reports. */
  name: string;
  /** Legacy / mandatory prefixes, emitted before REX. */
  prefixes: number[];
  rexW: boolean;
  /** Opcode bytes (0F xx for the two-byte map). */
  opcode: number[];
  /** No ModRM: the register operand is in the low opcode bits (REX.B extends it), or none. */
  opcodeReg?: boolean;
  noModrm?: boolean;
  /** ModRM.reg: a register kind, or a fixed /digit. */
  reg: 'xmm' | 'gpr' | number;
  /** The r/m operand of this form (each form is either the register or the memory variant). */
  rm: OperandKind;
  /** Bytes the memory operand accesses (for choosing addresses). */
  memSize: number;
  /** Immediate size in bytes (0 for none) and an optional generator of its value. */
  immSize: number;
  imm?: (rng: Rng) => number | bigint;
  /** How XMM registers and scratch memory are filled. */
  lanes: LaneKind;
  /** Scratch bytes compared (and initialised) per case. */
  memLen: number;
  compare?: CompareOptions;
  /** Memory ranges relative to the operand address not to compare (e.g. FXSAVE's MXCSR_MASK). */
  ignoreRelative?: [number, number][];
  /** Adjusts a generated case (e.g. a valid MXCSR image, RDI for MASKMOVDQU). */
  setup?: (rng: Rng, c: GeneratedCase) => void;
  /** Extra bytes appended after the instruction (e.g. a second instruction reading flags). */
  suffix?: number[];
  /** Use a redundant REX prefix sometimes (exposes SPL/BPL/SIL/DIL vs AH/CH/DH/BH). */
  randomRex?: boolean;
  /** Registers a memory operand must not use as base or index (e.g. RSP for stack instructions). */
  avoidBase?: number[];
  /** Fills the x87/MMX state (harness/x87.ts); without it the state is FNINIT's. */
  x87?: (rng: Rng, state: Uint8Array) => void;
}

/** One generated case with the choices behind it. */
export interface GeneratedCase extends TestCase {
  form: Form;
  reg: number;
  rmReg: number;
  /** The memory operand's effective address (absolute), or -1. */
  address: number;
  /** Offset of the immediate in `code`, and the instruction's length (a suffix may follow). */
  immAt: number;
  length: number;
  compare: CompareOptions;
}

// ---------------------------------------------------------------- forms from an operand list

/** What a form's operand list does not say. */
export type FormFields = Omit<Form, 'name' | 'prefixes' | 'opcode' | 'reg' | 'rm' | 'memSize' | 'immSize'>;

/**
 * Expands one 0F-map instruction line into its register and memory forms. `operands` uses the
 * SDM's notation for the ModRM operands: `x` an XMM register, `mm` an MMX register, `x/m128` or
 * `mm/m64` a register or memory, `m64` memory only, `r32`/`r64` a general register, `r/m32`, `/2` a
 * fixed ModRM.reg digit, a final `imm8` (random unless `fields.imm` says otherwise). The r/m
 * operand is the only one after a digit, else the one that may be memory, else the second.
 */
export function operandForms(name: string, prefixes: number[], opcode: number, operands: string, fields: FormFields): Form[] {
  let ops = operands.split(',').map((s) => s.trim());
  let digit: number | undefined;
  const digitMatch = /^\/(\d)\s+(.*)$/.exec(ops[0]!);
  if (digitMatch) {
    digit = Number(digitMatch[1]);
    ops[0] = digitMatch[2]!;
  }
  const hasImm = ops[ops.length - 1] === 'imm8';
  if (hasImm) ops = ops.slice(0, -1);
  let rmIndex: number;
  if (digit !== undefined) rmIndex = 0;
  else {
    rmIndex = ops.findIndex((o) => o.includes('m') && o !== 'mm');
    if (rmIndex < 0) rmIndex = 1;
  }
  const rmSpec = ops[rmIndex]!;
  const regSpec = digit !== undefined ? undefined : ops[1 - rmIndex]!;
  const reg: Form['reg'] = digit ?? (regSpec!.startsWith('r') ? 'gpr' : 'xmm');
  const memMatch = /m(\d+)$/.exec(rmSpec);
  const memSize = memMatch ? Number(memMatch[1]) / 8 : 0;
  const regAllowed = !/^m\d+$/.test(rmSpec);
  const memAllowed = memMatch !== null;
  const rmRegKind = rmSpec.startsWith('r') ? 'gpr' : 'xmm';
  const base = {
    ...fields,
    prefixes,
    opcode: [0x0f, opcode],
    reg,
    immSize: hasImm ? 1 : 0,
    imm: fields.imm ?? (hasImm ? (rng: Rng) => rng.below(256) : undefined),
  };
  const label = `${name} ${operands}`;
  const forms: Form[] = [];
  if (regAllowed) forms.push({ ...base, name: `${label} (reg)`, rm: rmRegKind, memSize: 0 });
  if (memAllowed) forms.push({ ...base, name: `${label} (mem)`, rm: 'mem', memSize });
  return forms;
}

// ---------------------------------------------------------------- encoding

interface MemOperand {
  base: number; // -1 none
  index: number; // -1 none
  scale: number;
  disp: number;
  dispSize: 0 | 1 | 4;
  ripRelative: boolean;
}

function encodeModrm(reg: number, rm: number | MemOperand): { rex: number; bytes: number[]; dispAt: number } {
  let rex = 0;
  if (reg & 8) rex |= 4;
  if (typeof rm === 'number') {
    if (rm & 8) rex |= 1;
    return { rex, bytes: [0xc0 | ((reg & 7) << 3) | (rm & 7)], dispAt: -1 };
  }
  if (rm.ripRelative) return { rex, bytes: [((reg & 7) << 3) | 5, 0, 0, 0, 0], dispAt: 1 };
  const mod = rm.dispSize === 0 ? 0 : rm.dispSize === 1 ? 1 : 2;
  const bytes: number[] = [];
  if (rm.index >= 0 || (rm.base & 7) === 4) {
    const index = rm.index >= 0 ? rm.index : 4;
    if (index & 8) rex |= 2;
    if (rm.base & 8) rex |= 1;
    bytes.push((mod << 6) | ((reg & 7) << 3) | 4, ([1, 2, 4, 8].indexOf(rm.scale) << 6) | ((index & 7) << 3) | (rm.base & 7));
  } else {
    if (rm.base & 8) rex |= 1;
    bytes.push((mod << 6) | ((reg & 7) << 3) | (rm.base & 7));
  }
  const dispAt = bytes.length;
  if (rm.dispSize === 1) bytes.push(rm.disp & 0xff);
  else if (rm.dispSize === 4) for (let k = 0; k < 4; k++) bytes.push((rm.disp >>> (8 * k)) & 0xff);
  return { rex, bytes, dispAt };
}

// ---------------------------------------------------------------- addresses

/** An effective address for an access of `size` bytes: usually inside the compared scratch
 *  bytes and aligned, sometimes misaligned, sometimes straddling a guard page. */
export function chooseAddress(rng: Rng, size: number, memLen: number): number {
  const natural = Math.min(16, size);
  const room = Math.max(1, memLen - size + 1);
  const roll = rng.below(100);
  if (roll < 84) return SCRATCH_BASE + Math.floor(rng.below(room) / natural) * natural;
  if (roll < 94) return SCRATCH_BASE + rng.below(room);
  if (roll < 97) return SCRATCH_BASE + SCRATCH_SIZE - (size > 1 ? 1 + rng.below(size - 1) : 0);
  return SCRATCH_BASE - (size > 1 ? 1 + rng.below(size - 1) : 1);
}

function memOperand(rng: Rng, avoid: number[]): MemOperand {
  const roll = rng.below(100);
  if (roll < 8) return { base: -1, index: -1, scale: 1, disp: 0, dispSize: 4, ripRelative: true };
  let base: number;
  do base = rng.below(16);
  while (avoid.includes(base));
  let index = -1;
  let scale = 1;
  if (rng.chance(0.3)) {
    do index = rng.below(16);
    while (index === base || index === RSP || avoid.includes(index));
    scale = rng.pick([1, 2, 4, 8]);
  }
  let dispSize: 0 | 1 | 4 = rng.pick([0, 1, 1, 4] as const);
  if (dispSize === 0 && (base & 7) === 5) dispSize = 1; // RBP/R13 need a displacement
  const disp = dispSize === 0 ? 0 : dispSize === 1 ? rng.below(256) - 128 : rng.below(0x20000) - 0x10000;
  return { base, index, scale, disp, dispSize, ripRelative: false };
}

// ---------------------------------------------------------------- cases

function randomState(rng: Rng, form: Form): { state: Uint8Array; mem: Uint8Array } {
  const state = new Uint8Array(STATE_SIZE);
  for (let r = 0; r < 16; r++) setGpr(state, r, int64(rng));
  setGpr(state, RSP, BigInt(SCRATCH_BASE + (form.memLen >> 1) + 8 * rng.below(4)));
  // Arithmetic flags at random; DF rarely (string instructions test it on purpose).
  setRflags(state, 0x202 | (rng.u32() & 0x8d5));
  let mxcsr = 0x1f80;
  if (rng.chance(0.5)) {
    mxcsr |= rng.below(4) << 13; // RC
    if (rng.chance(0.25)) mxcsr |= 0x40; // DAZ
    if (rng.chance(0.25)) mxcsr |= 0x8000; // FTZ
    if (rng.chance(0.3)) mxcsr |= rng.below(64); // sticky flags already set
  }
  if (rng.chance(0.15)) mxcsr &= ~(rng.u32() & 0x1f80); // some exceptions unmasked: SIGFPE
  setMxcsr(state, mxcsr);
  for (let r = 0; r < 16; r++) fillLanes(rng, state.subarray(OFF_XMM + 16 * r, OFF_XMM + 16 * r + 16), form.lanes);
  const mem = new Uint8Array(form.memLen);
  for (let at = 0; at < mem.length; at += 16) fillLanes(rng, mem.subarray(at, at + 16), form.lanes);
  if (form.x87) form.x87(rng, state);
  else initX87(state);
  return { state, mem };
}

/** Copies (or negates) some lanes of one 16-byte operand into another, so that equal operands,
 *  cancellations and ties happen often. */
function correlate(rng: Rng, dst: Uint8Array, src: Uint8Array, kind: LaneKind): void {
  const lane = kind === 'f64' ? 8 : 4;
  for (let at = 0; at + lane <= Math.min(dst.length, src.length); at += lane) {
    const roll = rng.below(100);
    if (roll < 15) dst.set(src.subarray(at, at + lane), at);
    else if (roll < 20) {
      dst.set(src.subarray(at, at + lane), at);
      dst[at + lane - 1]! ^= 0x80;
    }
  }
}

export function generateCase(rng: Rng, form: Form): GeneratedCase {
  const { state, mem } = randomState(rng, form);
  let reg = typeof form.reg === 'number' ? form.reg : rng.below(16);
  let rmReg = form.rm === 'mem' ? -1 : rng.below(16);
  let rex = form.rexW ? 8 : 0;
  const bytes: number[] = [...form.prefixes];
  let modrm: number[] = [];
  let dispAt = -1;
  let address = -1;
  let mop: MemOperand | undefined;
  if (form.opcodeReg) {
    rmReg = rng.below(16);
    if (rmReg & 8) rex |= 1;
  } else if (!form.noModrm) {
    let rm: number | MemOperand;
    if (form.rm === 'mem') {
      // The base and index must not be registers the instruction also writes through reg...
      // they may be, on real hardware; but then the address changes under us. Keep them apart.
      mop = memOperand(rng, [...(form.reg === 'gpr' ? [reg] : []), ...(form.avoidBase ?? [])]);
      rm = mop;
    } else rm = rmReg;
    const enc = encodeModrm(reg & 15, rm);
    rex |= enc.rex;
    modrm = enc.bytes;
    dispAt = enc.dispAt;
  }
  if (rex || (form.randomRex && rng.chance(0.3))) bytes.push(0x40 | rex);
  const opcode = [...form.opcode];
  if (form.opcodeReg) opcode[opcode.length - 1]! |= rmReg & 7;
  bytes.push(...opcode);
  const modrmAt = bytes.length;
  bytes.push(...modrm);
  const immAt = bytes.length;
  if (form.immSize) {
    const imm = BigInt.asUintN(64, BigInt(form.imm ? form.imm(rng) : form.immSize === 8 ? rng.u64() : rng.u32()));
    for (let k = 0; k < form.immSize; k++) bytes.push(Number((imm >> BigInt(8 * k)) & 0xffn));
  }
  const insnLength = bytes.length;
  if (form.suffix) bytes.push(...form.suffix);

  if (mop) {
    address = chooseAddress(rng, form.memSize, form.memLen);
    if (mop.ripRelative) {
      const disp = address - (CODE_BASE + insnLength);
      for (let k = 0; k < 4; k++) bytes[modrmAt + dispAt + k] = (disp >>> (8 * k)) & 0xff;
    } else {
      let base = BigInt(address - mop.disp);
      if (mop.index >= 0) {
        const indexValue = BigInt(rng.below(32)) - (rng.chance(0.3) ? 16n : 0n);
        setGpr(state, mop.index, indexValue);
        base -= indexValue * BigInt(mop.scale);
      }
      setGpr(state, mop.base, base);
    }
    // Make the operand in memory resemble the register operand sometimes.
    const off = address - SCRATCH_BASE;
    if (off >= 0 && off + 16 <= mem.length && typeof form.reg !== 'number')
      correlate(rng, mem.subarray(off, off + 16), state.subarray(OFF_XMM + 16 * (reg & 15), OFF_XMM + 16 * (reg & 15) + 16), form.lanes);
  } else if (rmReg >= 0 && form.rm === 'xmm' && form.reg === 'xmm') {
    correlate(rng, state.subarray(OFF_XMM + 16 * reg, OFF_XMM + 16 * reg + 16), state.subarray(OFF_XMM + 16 * rmReg, OFF_XMM + 16 * rmReg + 16), form.lanes);
  }

  const ignore = (form.ignoreRelative ?? []).map(([a, b]): [number, number] => [address - SCRATCH_BASE + a, address - SCRATCH_BASE + b]);
  const compare: CompareOptions = { ...form.compare, ignoreMem: [...(form.compare?.ignoreMem ?? []), ...ignore] };
  const c: GeneratedCase = { code: Uint8Array.from(bytes), state, mem, form, reg, rmReg, address, immAt, length: insnLength, compare };
  form.setup?.(rng, c);
  return c;
}

export function generateCases(form: Form, count: number, seed: number): GeneratedCase[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => generateCase(rng, form));
}

/** A stable seed from a form's name, so each form sees its own reproducible cases. */
export function seedOf(name: string): number {
  let h = 2166136261;
  for (let k = 0; k < name.length; k++) h = Math.imul(h ^ name.charCodeAt(k), 16777619);
  return h >>> 0;
}
