// The general-purpose instruction forms of the differential test: every row of cpu/bind.ts that
// can run natively in a snippet (not SYSCALL, CPUID, RDTSC(P): they depend on the host), in each
// operand size, with register and memory operands. `undef` lists the RFLAGS bits the SDM leaves
// undefined; shifts and rotates compute theirs per case from the count.
import type { Form, GeneratedCase } from './harness/generate.js';
import { CODE_BASE, getGpr, getRflags, RSP, SCRATCH_BASE, setGpr, setRflags } from './harness/machine.js';
import { int32, int64, Rng } from './harness/random.js';

const CF = 0x1;
const PF = 0x4;
const AF = 0x10;
const ZF = 0x40;
const SF = 0x80;
const OF = 0x800;
const DF = 0x400;
const RCX = 1;
const RDX = 2;
const RBP = 5;
const RSI = 6;
const RDI = 7;

type Size = 8 | 16 | 32 | 64;
const ALL: Size[] = [8, 16, 32, 64];
const WIDE: Size[] = [16, 32, 64];

interface IntOptions {
  /** ModRM.reg: a register (default) or a /digit. */
  reg?: 'gpr' | number;
  /** The r/m operand: register and memory forms (default), one of them, or no ModRM at all. */
  rm?: 'both' | 'gpr' | 'mem' | 'none';
  /** Immediate bytes; 'z' = 2 for 16-bit operands else 4; 'v' = the operand size. */
  imm?: number | 'z' | 'v';
  immGen?: (rng: Rng, size: Size) => number | bigint;
  undef?: number;
  setup?: (rng: Rng, c: GeneratedCase, size: Size) => void;
  suffix?: number[];
  prefixes?: number[];
  memLen?: number;
  avoidBase?: number[];
  opcodeReg?: boolean;
}

/** Expands an instruction into its operand sizes and register/memory forms. `opcode8` is the
 *  byte form's opcode (null when there is none). */
export function int(name: string, sizes: Size[], opcode8: number[] | null, opcode: number[], o: IntOptions = {}): Form[] {
  const forms: Form[] = [];
  for (const size of sizes) {
    const op = size === 8 && opcode8 ? opcode8 : opcode;
    const immBytes = o.imm === 'z' ? (size === 16 ? 2 : size === 8 ? 1 : 4) : o.imm === 'v' ? size / 8 : (o.imm ?? 0);
    const rmKinds: ('gpr' | 'mem')[] = o.rm === 'gpr' || o.rm === 'none' ? ['gpr'] : o.rm === 'mem' ? ['mem'] : ['gpr', 'mem'];
    for (const rm of rmKinds) {
      const label = `${name} /${size}${o.rm === 'none' ? '' : rm === 'mem' ? ' (mem)' : ' (reg)'}`;
      forms.push({
        name: label,
        prefixes: [...(o.prefixes ?? []), ...(size === 16 ? [0x66] : [])],
        rexW: size === 64,
        opcode: op,
        noModrm: o.rm === 'none' && !o.opcodeReg,
        opcodeReg: o.opcodeReg,
        reg: o.reg ?? 'gpr',
        rm,
        memSize: size / 8,
        immSize: immBytes,
        imm: immBytes ? (rng) => (o.immGen ? o.immGen(rng, size) : immediate(rng, immBytes)) : undefined,
        lanes: 'int',
        memLen: o.memLen ?? 64,
        compare: { undefinedFlags: o.undef ?? 0 },
        setup: o.setup ? (rng, c) => o.setup!(rng, c, size) : undefined,
        suffix: o.suffix,
        randomRex: true,
        avoidBase: o.avoidBase,
      });
    }
  }
  return forms;
}

function immediate(rng: Rng, bytes: number): number | bigint {
  if (bytes === 8) return int64(rng);
  const v = int32(rng);
  return bytes === 4 ? v : v & ((1 << (8 * bytes)) - 1);
}

// ---------------------------------------------------------------- per-case setups

/** Where the snippet ends (the harness's return point). */
function endOf(c: GeneratedCase): bigint {
  return BigInt(CODE_BASE + c.code.length);
}

function write64(c: GeneratedCase, absolute: bigint, value: bigint): void {
  const at = Number(absolute) - SCRATCH_BASE;
  for (let k = 0; k < 8; k++) if (at + k >= 0 && at + k < c.mem.length) c.mem[at + k] = Number((value >> BigInt(8 * k)) & 0xffn);
}

/** The shift count a case uses: the imm8, CL, or 1. */
function countOf(c: GeneratedCase, kind: 'imm' | 'cl' | 'one'): number {
  if (kind === 'one') return 1;
  if (kind === 'cl') return Number(getGpr(c.state, RCX) & 0xffn);
  return c.code[c.immAt]!;
}

/** Flags the SDM leaves undefined after a group-2 shift/rotate with this count. */
function shiftUndefined(op: number, size: Size, count: number): number {
  const masked = count & (size === 64 ? 63 : 31);
  if (masked === 0) return 0;
  let undef = masked === 1 ? 0 : OF;
  if (op >= 4) {
    undef |= AF;
    if ((op === 4 || op === 5 || op === 6) && masked >= size) undef |= CF;
  }
  return undef;
}

/** Sometimes a small count (the interesting range), sometimes anything. */
const smallCount = (rng: Rng): number => (rng.chance(0.6) ? rng.below(66) : rng.below(256));

function shiftSetup(op: number, kind: 'imm' | 'cl' | 'one') {
  return (rng: Rng, c: GeneratedCase, size: Size) => {
    if (kind === 'cl' && rng.chance(0.6)) setGpr(c.state, RCX, (getGpr(c.state, RCX) & ~0xffn) | BigInt(rng.below(70)));
    c.compare.undefinedFlags = shiftUndefined(op, size, countOf(c, kind));
  };
}

function doubleShiftSetup(kind: 'imm' | 'cl') {
  return (rng: Rng, c: GeneratedCase, size: Size) => {
    if (kind === 'cl' && rng.chance(0.6)) setGpr(c.state, RCX, (getGpr(c.state, RCX) & ~0xffn) | BigInt(rng.below(70)));
    let count = countOf(c, kind);
    // A 16-bit double shift by more than 16 leaves the result undefined: keep the count in range.
    if (size === 16 && (count & 31) > 16) {
      count &= 15;
      if (kind === 'cl') setGpr(c.state, RCX, (getGpr(c.state, RCX) & ~0xffn) | BigInt(count));
      else c.code[c.immAt] = count;
    }
    const masked = count & (size === 64 ? 63 : 31);
    c.compare.undefinedFlags = masked === 0 ? 0 : AF | (masked === 1 ? 0 : OF);
  };
}

/** Dividends that do not always overflow: RDX small or the sign extension of RAX. */
function divideSetup(signed: boolean) {
  return (rng: Rng, c: GeneratedCase) => {
    const roll = rng.below(3);
    if (roll === 0) setGpr(c.state, RDX, 0n);
    else if (roll === 1 && signed) setGpr(c.state, RDX, getGpr(c.state, 0) >> 63n ? -1n : 0n);
  };
}

/** String instructions: RSI/RDI inside the scratch area, a small RCX, DF either way. RSI/RDI are
 *  mostly element-aligned. */
function stringSetup(rng: Rng, c: GeneratedCase, size: Size): void {
  const align = rng.chance(0.8) ? size / 8 : 1;
  setGpr(c.state, RSI, BigInt(SCRATCH_BASE + 64 + align * Math.floor(rng.below(128) / align)));
  setGpr(c.state, RDI, BigInt(SCRATCH_BASE + 64 + align * Math.floor(rng.below(128) / align)));
  setGpr(c.state, RCX, rng.chance(0.9) ? BigInt(rng.below(9)) : int64(rng) & 0xffffffff00000007n);
  if (rng.chance(0.5)) setRflags(c.state, getRflags(c.state) | DF);
  // Matching data sometimes, so REPE/REPNE run on.
  if (rng.chance(0.5)) {
    const src = Number(getGpr(c.state, RSI)) - SCRATCH_BASE;
    const dst = Number(getGpr(c.state, RDI)) - SCRATCH_BASE;
    c.mem.copyWithin(dst - 16, src - 16, src + 16);
  }
}

/** A return address (the snippet's end) on top of the stack. */
function retSetup(rng: Rng, c: GeneratedCase): void {
  write64(c, getGpr(c.state, RSP), endOf(c));
}

/** An indirect CALL/JMP target: the snippet's end, in the register or memory operand. */
function indirectSetup(rng: Rng, c: GeneratedCase): void {
  if (c.rmReg >= 0) setGpr(c.state, c.rmReg, endOf(c));
  else write64(c, BigInt(c.address), endOf(c));
}

/** A frame pointer into the scratch area. */
function frameSetup(rng: Rng, c: GeneratedCase): void {
  setGpr(c.state, RBP, BigInt(SCRATCH_BASE + 64 + 8 * rng.below(16)));
}

/** POPF: a flags image without TF (single-step) and AC (alignment checks). */
function popfSetup(rng: Rng, c: GeneratedCase): void {
  write64(c, getGpr(c.state, RSP), BigInt(rng.u32() & ~0x40100));
}

/** BT-family memory forms address bits around the operand: keep the bit offset small. */
function bitOffsetSetup(rng: Rng, c: GeneratedCase, size: Size): void {
  if (c.rmReg >= 0) return;
  const offset = rng.below(512) - 128;
  setGpr(c.state, c.reg, BigInt(offset));
  const unit = c.address + (size / 8) * Math.floor(offset / size);
  if (Math.floor(unit / 4096) !== Math.floor((unit + size / 8 - 1) / 4096)) c.compare.faultAddress = false;
}

/** CMPXCHG8B/16B: make the comparison succeed half the time. */
function cmpxchgDoubleSetup(rng: Rng, c: GeneratedCase, size: Size): void {
  if (!rng.chance(0.5) || c.address < SCRATCH_BASE) return;
  const at = c.address - SCRATCH_BASE;
  if (at + 16 > c.mem.length) return;
  const v = new DataView(c.mem.buffer, c.mem.byteOffset);
  if (size === 64) {
    setGpr(c.state, 0, v.getBigUint64(at, true));
    setGpr(c.state, RDX, v.getBigUint64(at + 8, true));
  } else {
    setGpr(c.state, 0, BigInt(v.getUint32(at, true)));
    setGpr(c.state, RDX, BigInt(v.getUint32(at + 4, true)));
  }
}

/** Branches: jump over a `mov al, 1` to the end, so taken and not taken are both visible. */
const SKIP = [0xb0, 0x01];
const rel = (_bytes: number) => () => SKIP.length;

/** RCX near zero for LOOP/JRCXZ. */
function rcxSetup(rng: Rng, c: GeneratedCase): void {
  if (rng.chance(0.7)) setGpr(c.state, RCX, BigInt(rng.below(3)) | (rng.chance(0.2) ? 0x100000000n : 0n));
}

// ---------------------------------------------------------------- the table

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const LOGIC_UNDEF = (op: number) => (op === 1 || op === 4 || op === 6 ? AF : 0);
const SHIFTS = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

export const INTEGER_FORMS: Form[] = [
  ...ALU.flatMap((name, op) => [
    ...int(`${name} r/m, r`, ALL, [op * 8], [op * 8 + 1], { undef: LOGIC_UNDEF(op) }),
    ...int(`${name} r, r/m`, ALL, [op * 8 + 2], [op * 8 + 3], { undef: LOGIC_UNDEF(op) }),
    ...int(`${name} acc, imm`, ALL, [op * 8 + 4], [op * 8 + 5], { rm: 'none', imm: 'z', undef: LOGIC_UNDEF(op) }),
    ...int(`${name} r/m, imm`, ALL, [0x80], [0x81], { reg: op, imm: 'z', undef: LOGIC_UNDEF(op) }),
    ...int(`${name} r/m, imm8`, WIDE, null, [0x83], { reg: op, imm: 1, undef: LOGIC_UNDEF(op) }),
  ]),
  ...int('test r/m, r', ALL, [0x84], [0x85], { undef: AF }),
  ...int('test acc, imm', ALL, [0xa8], [0xa9], { rm: 'none', imm: 'z', undef: AF }),
  ...int('test r/m, imm', ALL, [0xf6], [0xf7], { reg: 0, imm: 'z', undef: AF }),
  ...int('not', ALL, [0xf6], [0xf7], { reg: 2 }),
  ...int('neg', ALL, [0xf6], [0xf7], { reg: 3 }),
  ...int('mul', ALL, [0xf6], [0xf7], { reg: 4, undef: SF | ZF | AF | PF }),
  ...int('imul r/m', ALL, [0xf6], [0xf7], { reg: 5, undef: SF | ZF | AF | PF }),
  ...int('div', ALL, [0xf6], [0xf7], { reg: 6, undef: CF | PF | AF | ZF | SF | OF, setup: divideSetup(false), avoidBase: [0, RDX] }),
  ...int('idiv', ALL, [0xf6], [0xf7], { reg: 7, undef: CF | PF | AF | ZF | SF | OF, setup: divideSetup(true), avoidBase: [0, RDX] }),
  ...int('imul r, r/m', WIDE, null, [0x0f, 0xaf], { undef: SF | ZF | AF | PF }),
  ...int('imul r, r/m, imm', WIDE, null, [0x69], { imm: 'z', undef: SF | ZF | AF | PF }),
  ...int('imul r, r/m, imm8', WIDE, null, [0x6b], { imm: 1, undef: SF | ZF | AF | PF }),
  ...int('inc', ALL, [0xfe], [0xff], { reg: 0 }),
  ...int('dec', ALL, [0xfe], [0xff], { reg: 1 }),

  ...SHIFTS.flatMap((name, op) => [
    ...int(`${name} r/m, imm8`, ALL, [0xc0], [0xc1], { reg: op, imm: 1, immGen: (rng) => smallCount(rng), setup: shiftSetup(op, 'imm') }),
    ...int(`${name} r/m, 1`, ALL, [0xd0], [0xd1], { reg: op, setup: shiftSetup(op, 'one') }),
    ...int(`${name} r/m, cl`, ALL, [0xd2], [0xd3], { reg: op, setup: shiftSetup(op, 'cl'), avoidBase: [RCX] }),
  ]),
  ...int('shld r/m, r, imm8', WIDE, null, [0x0f, 0xa4], { imm: 1, immGen: (rng) => smallCount(rng), setup: doubleShiftSetup('imm') }),
  ...int('shld r/m, r, cl', WIDE, null, [0x0f, 0xa5], { setup: doubleShiftSetup('cl'), avoidBase: [RCX] }),
  ...int('shrd r/m, r, imm8', WIDE, null, [0x0f, 0xac], { imm: 1, immGen: (rng) => smallCount(rng), setup: doubleShiftSetup('imm') }),
  ...int('shrd r/m, r, cl', WIDE, null, [0x0f, 0xad], { setup: doubleShiftSetup('cl'), avoidBase: [RCX] }),

  ...['bt', 'bts', 'btr', 'btc'].flatMap((name, k) => [
    ...int(`${name} r/m, r`, WIDE, null, [0x0f, [0xa3, 0xab, 0xb3, 0xbb][k]!], { undef: OF | SF | AF | PF, setup: bitOffsetSetup, memLen: 256 }),
    ...int(`${name} r/m, imm8`, WIDE, null, [0x0f, 0xba], { reg: 4 + k, imm: 1, undef: OF | SF | AF | PF }),
  ]),
  ...int('bsf', WIDE, null, [0x0f, 0xbc], { undef: CF | OF | SF | AF | PF }),
  ...int('bsr', WIDE, null, [0x0f, 0xbd], { undef: CF | OF | SF | AF | PF }),
  ...int('popcnt', WIDE, null, [0x0f, 0xb8], { prefixes: [0xf3] }),
  ...int('bswap', [32, 64], null, [0x0f, 0xc8], { rm: 'none', opcodeReg: true }),

  ...int('mov r/m, r', ALL, [0x88], [0x89]),
  ...int('mov r, r/m', ALL, [0x8a], [0x8b]),
  ...int('mov r/m, imm', ALL, [0xc6], [0xc7], { reg: 0, imm: 'z' }),
  ...int('mov r, imm', [8], [0xb0], [0xb0], { rm: 'none', opcodeReg: true, imm: 1 }),
  ...int('mov r, imm', WIDE, null, [0xb8], { rm: 'none', opcodeReg: true, imm: 'v' }),
  ...int('mov acc, moffs', ALL, [0xa0], [0xa1], { rm: 'none', imm: 8, immGen: (rng, size) => BigInt(SCRATCH_BASE + rng.below(64 - size / 8)) }),
  ...int('mov moffs, acc', ALL, [0xa2], [0xa3], { rm: 'none', imm: 8, immGen: (rng, size) => BigInt(SCRATCH_BASE + rng.below(64 - size / 8)) }),
  ...int('lea', WIDE, null, [0x8d], { rm: 'mem' }),
  ...int('lea (addr32)', WIDE, null, [0x8d], { rm: 'mem', prefixes: [0x67] }),
  ...int('mov (addr32)', [32, 64], null, [0x8b], { rm: 'mem', prefixes: [0x67] }),
  // 66 63 reads 32 bits on AMD and 16 on Intel: its memory form is left out.
  ...int('movsxd', [16, 32, 64], null, [0x63]).filter((f) => !(f.prefixes.includes(0x66) && f.rm === 'mem')).map((f) => ({ ...f, memSize: 4 })),
  ...int('movzx r, r/m8', WIDE, null, [0x0f, 0xb6]).map((f) => ({ ...f, memSize: 1 })),
  ...int('movzx r, r/m16', WIDE, null, [0x0f, 0xb7]).map((f) => ({ ...f, memSize: 2 })),
  ...int('movsx r, r/m8', WIDE, null, [0x0f, 0xbe]).map((f) => ({ ...f, memSize: 1 })),
  ...int('movsx r, r/m16', WIDE, null, [0x0f, 0xbf]).map((f) => ({ ...f, memSize: 2 })),
  ...int('xchg r/m, r', ALL, [0x86], [0x87]),
  ...int('xchg r, rax', WIDE, null, [0x90], { rm: 'none', opcodeReg: true }),
  ...int('xadd', ALL, [0x0f, 0xc0], [0x0f, 0xc1]),
  ...int('cmpxchg', ALL, [0x0f, 0xb0], [0x0f, 0xb1]),
  ...int('lock cmpxchg', ALL, [0x0f, 0xb0], [0x0f, 0xb1], { rm: 'mem', prefixes: [0xf0] }),
  ...int('lock add', ALL, [0x00], [0x01], { rm: 'mem', prefixes: [0xf0] }),
  ...int('cmpxchg8b/16b', [32, 64], null, [0x0f, 0xc7], { reg: 1, rm: 'mem', setup: cmpxchgDoubleSetup, avoidBase: [0, 1, 2, 3] }).map((f) => ({ ...f, memSize: f.rexW ? 16 : 8 })),
  ...int('cbw/cwde/cdqe', WIDE, null, [0x98], { rm: 'none' }),
  ...int('cwd/cdq/cqo', WIDE, null, [0x99], { rm: 'none' }),
  ...int('lahf', [32], null, [0x9f], { rm: 'none' }),
  ...int('sahf', [32], null, [0x9e], { rm: 'none' }),
  ...CC.flatMap((cc, k) => [
    ...int(`cmov${cc}`, WIDE, null, [0x0f, 0x40 + k]),
    ...int(`set${cc}`, [8], [0x0f, 0x90 + k], [0x0f, 0x90 + k], { reg: 0 }),
    ...int(`j${cc} rel8`, [32], null, [0x70 + k], { rm: 'none', imm: 1, immGen: rel(1), suffix: SKIP }),
    ...int(`j${cc} rel32`, [32], null, [0x0f, 0x80 + k], { rm: 'none', imm: 4, immGen: rel(4), suffix: SKIP }),
  ]),

  // stack and control flow
  ...int('push r', [16, 64], null, [0x50], { rm: 'none', opcodeReg: true }).map((f) => ({ ...f, rexW: false })),
  ...int('pop r', [16, 64], null, [0x58], { rm: 'none', opcodeReg: true }).map((f) => ({ ...f, rexW: false })),
  ...int('push r/m', [16, 64], null, [0xff], { reg: 6, avoidBase: [RSP] }).map((f) => ({ ...f, rexW: false })),
  ...int('pop r/m', [16, 64], null, [0x8f], { reg: 0, avoidBase: [RSP] }).map((f) => ({ ...f, rexW: false })),
  ...int('push imm', [16, 64], null, [0x68], { rm: 'none', imm: 'z' }).map((f) => ({ ...f, rexW: false, immSize: f.prefixes.includes(0x66) ? 2 : 4 })),
  ...int('push imm8', [16, 64], null, [0x6a], { rm: 'none', imm: 1 }).map((f) => ({ ...f, rexW: false })),
  ...int('pushf', [64], null, [0x9c], { rm: 'none' }).map((f) => ({ ...f, rexW: false })),
  ...int('popf', [64], null, [0x9d], { rm: 'none', setup: popfSetup }).map((f) => ({ ...f, rexW: false })),
  ...int('ret', [64], null, [0xc3], { rm: 'none', setup: retSetup }).map((f) => ({ ...f, rexW: false })),
  ...int('ret imm16', [64], null, [0xc2], { rm: 'none', imm: 2, immGen: (rng) => 8 * rng.below(4), setup: retSetup }).map((f) => ({ ...f, rexW: false })),
  ...int('call rel32', [64], null, [0xe8], { rm: 'none', imm: 4, immGen: rel(4), suffix: SKIP }).map((f) => ({ ...f, rexW: false })),
  ...int('call r/m', [64], null, [0xff], { reg: 2, setup: indirectSetup, avoidBase: [RSP] }).map((f) => ({ ...f, rexW: false })),
  ...int('jmp r/m', [64], null, [0xff], { reg: 4, setup: indirectSetup }).map((f) => ({ ...f, rexW: false })),
  ...int('jmp rel8', [32], null, [0xeb], { rm: 'none', imm: 1, immGen: rel(1), suffix: SKIP }),
  ...int('jmp rel32', [32], null, [0xe9], { rm: 'none', imm: 4, immGen: rel(4), suffix: SKIP }),
  ...['loopne', 'loope', 'loop', 'jrcxz'].flatMap((name, k) => int(name, [32], null, [0xe0 + k], { rm: 'none', imm: 1, immGen: rel(1), suffix: SKIP, setup: rcxSetup })),
  ...int('enter', [64], null, [0xc8], { rm: 'none', imm: 3, immGen: (rng) => (rng.below(64) * 8) | (rng.pick([0, 0, 1, 2, 3, 33]) << 16), setup: frameSetup, memLen: 256 }).map((f) => ({ ...f, rexW: false })),
  ...int('leave', [64], null, [0xc9], { rm: 'none', setup: frameSetup, memLen: 256 }).map((f) => ({ ...f, rexW: false })),

  // string instructions, plain and repeated
  ...[
    ['movs', 0xa4, [[], [0xf3]]],
    ['cmps', 0xa6, [[], [0xf3], [0xf2]]],
    ['stos', 0xaa, [[], [0xf3]]],
    ['lods', 0xac, [[], [0xf3]]],
    ['scas', 0xae, [[], [0xf3], [0xf2]]],
  ].flatMap(([name, op, reps]) =>
    (reps as number[][]).flatMap((rep) =>
      int(`${rep[0] === 0xf3 ? 'rep ' : rep[0] === 0xf2 ? 'repne ' : ''}${name}`, ALL, [op as number], [(op as number) + 1], { rm: 'none', prefixes: rep, setup: stringSetup, memLen: 256 }),
    ),
  ),

  // flags, no-ops and traps
  ...[
    ['cmc', 0xf5], ['clc', 0xf8], ['stc', 0xf9], ['cld', 0xfc], ['std', 0xfd], ['nop', 0x90],
    ['int3', 0xcc], ['hlt', 0xf4], ['cli', 0xfa], ['sti', 0xfb], ['in al, dx', 0xec], ['out dx, al', 0xee],
  ].flatMap(([name, op]) => int(name as string, [32], null, [op as number], { rm: 'none' })),
  ...int('pause', [32], null, [0x90], { rm: 'none', prefixes: [0xf3] }),
  ...int('ud2', [32], null, [0x0f, 0x0b], { rm: 'none' }),
  ...int('nop r/m', WIDE, null, [0x0f, 0x1f], { reg: 0 }),
  ...int('prefetch', [32], null, [0x0f, 0x18], { reg: 1, rm: 'mem' }),
];
