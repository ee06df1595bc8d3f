// The x87 instruction forms the differential test covers: one line per instruction, written as
// `mnemonic, escape byte, /digit, operand, ...`. The operand is `st` (ST(i), any i, sometimes with
// a redundant REX.B, which the x87 ignores), a memory kind (m16int m32int m64int m32fp m64fp m80fp
// m80bcd m16 env28 env14 save108 save94), or absent for the fixed encodings (`fixed` rows). Each
// case starts from a random x87 state (harness/x87.ts: edge-biased 80-bit values, random
// precision and rounding control, some exceptions unmasked, some registers empty) with a memory
// operand of the right type, and a third of the cases append FWAIT so that a pending unmasked
// exception is delivered as SIGFPE there.
import type { CompareOptions } from './harness/compare.js';
import type { Form, GeneratedCase } from './harness/generate.js';
import { OFF_X87, SCRATCH_BASE, view } from './harness/machine.js';
import { f32Lane, f64Lane, int32, int64, Rng } from './harness/random.js';
import { exactTrig, Trig } from './harness/exact.js';
import { bcd, f80, normalized, randomX87, readF80, writeF80, X87Compare, X87Options } from './harness/x87.js';

type Operand = 'st' | 'm16int' | 'm32int' | 'm64int' | 'm32fp' | 'm64fp' | 'm80fp' | 'm80bcd' | 'm16' | 'env28' | 'env14' | 'save108' | 'save94';

const SIZE: Record<Exclude<Operand, 'st'>, number> = {
  m16int: 2,
  m32int: 4,
  m64int: 8,
  m32fp: 4,
  m64fp: 8,
  m80fp: 10,
  m80bcd: 10,
  m16: 2,
  env28: 28,
  env14: 14,
  save108: 108,
  save94: 94,
};

/** FSW bits: C0, C1, C2, C3. */
const C0 = 0x100;
const C1 = 0x200;
const C2 = 0x400;
const C3 = 0x4000;
/** C0, C2, C3: undefined after most arithmetic, loads and stores. */
const CC_ARITH = C0 | C2 | C3;
const CC_ALL = C0 | C1 | C2 | C3;

interface Extra {
  /** FSW bits the SDM leaves undefined. Default CC_ARITH. */
  undefinedFsw?: number;
  tolerance?: X87Compare['tolerance'];
  state?: X87Options;
  /** Adjusts the case after generation (e.g. operands within an instruction's domain). */
  setup?: (rng: Rng, c: GeneratedCase) => void;
  prefixes?: number[];
  compare?: CompareOptions;
  ignoreRelative?: [number, number][];
}

// ---------------------------------------------------------------- memory operands

function fillOperand(rng: Rng, c: GeneratedCase, kind: Exclude<Operand, 'st'>): void {
  const at = c.address - SCRATCH_BASE;
  const size = SIZE[kind];
  if (at < 0 || at + size > c.mem.length) return;
  const dv = view(c.mem);
  switch (kind) {
    case 'm32fp':
      dv.setUint32(at, f32Lane(rng), true);
      break;
    case 'm64fp':
      dv.setBigUint64(at, f64Lane(rng), true);
      break;
    case 'm80fp':
      writeF80(c.mem, at, f80(rng));
      break;
    case 'm16int':
      dv.setUint16(at, rng.chance(0.3) ? rng.pick([0, 1, 0xffff, 0x8000, 0x7fff]) : int32(rng) & 0xffff, true);
      break;
    case 'm32int':
      dv.setUint32(at, int32(rng), true);
      break;
    case 'm64int':
      dv.setBigUint64(at, int64(rng), true);
      break;
    case 'm80bcd':
      bcd(rng, c.mem, at);
      break;
    case 'm16':
      // a control word (FLDCW): usually sane, sometimes with reserved bits
      dv.setUint16(at, rng.chance(0.7) ? 0x40 | (rng.below(4) << 8) | (rng.below(4) << 10) | (rng.chance(0.8) ? 0x3f : rng.below(64)) : rng.u32() & 0xffff, true);
      break;
    default:
      environment(rng, c, at, kind);
  }
}

/** An FLDENV/FRSTOR image: the fields of a random x87 state in the 28- or 14-byte layout. */
function environment(rng: Rng, c: GeneratedCase, at: number, kind: 'env28' | 'env14' | 'save108' | 'save94'): void {
  const dv = view(c.mem);
  const small = kind === 'env14' || kind === 'save94';
  const fcw = 0x40 | (rng.pick([0, 2, 3]) << 8) | (rng.below(4) << 10) | (rng.chance(0.8) ? 0x3f : rng.below(64));
  const fsw = (rng.u32() & 0x7f00) | (rng.chance(0.3) ? rng.u32() & 0x3f & fcw : 0);
  let tags = 0;
  for (let r = 0; r < 8; r++) tags |= (rng.chance(0.3) ? 3 : rng.below(4)) << (2 * r);
  if (small) {
    dv.setUint16(at, fcw, true);
    dv.setUint16(at + 2, fsw, true);
    dv.setUint16(at + 4, tags, true);
    dv.setUint16(at + 6, rng.u32() & 0xffff, true);
    dv.setUint16(at + 8, rng.u32() & 0xffff, true);
    dv.setUint16(at + 10, rng.u32() & 0xffff, true);
    dv.setUint16(at + 12, rng.u32() & 0xffff, true);
  } else {
    dv.setUint32(at, fcw | (rng.chance(0.5) ? 0xffff0000 : 0), true);
    dv.setUint32(at + 4, fsw | (rng.chance(0.5) ? 0xffff0000 : 0), true);
    dv.setUint32(at + 8, tags | (rng.chance(0.5) ? 0xffff0000 : 0), true);
    dv.setUint32(at + 12, rng.u32(), true);
    dv.setUint32(at + 16, rng.u32(), true);
    dv.setUint32(at + 20, rng.u32(), true);
    dv.setUint32(at + 24, rng.u32(), true);
  }
  if (kind === 'save108' || kind === 'save94') {
    const base = at + (small ? 14 : 28);
    for (let k = 0; k < 8; k++) if (base + 10 * k + 10 <= c.mem.length) writeF80(c.mem, base + 10 * k, f80(rng));
  }
}

/** A third of the cases append FWAIT: a pending unmasked exception is raised there. */
function maybeWait(rng: Rng, c: GeneratedCase): void {
  if (rng.chance(0.33)) c.code = Uint8Array.from([...c.code, 0x9b]);
}

// ---------------------------------------------------------------- form builders

function base(name: string, opcode: number[], extra: Extra, memLen: number): Omit<Form, 'rm' | 'memSize' | 'reg'> {
  const x87: X87Compare = { fswUndefined: extra.undefinedFsw ?? CC_ARITH, tolerance: extra.tolerance };
  return {
    name,
    prefixes: extra.prefixes ?? [],
    rexW: false,
    opcode,
    immSize: 0,
    lanes: 'int',
    memLen,
    compare: { ...extra.compare, x87 },
    ignoreRelative: extra.ignoreRelative,
    x87: (rng, state) => randomX87(rng, state, extra.state),
  };
}

/** One instruction: `escape /digit operand`. */
function x87(name: string, escape: number, digit: number, operand: Operand, extra: Extra = {}): Form {
  if (operand === 'st') {
    return {
      ...base(`${name} st(i)`, [escape], extra, 64),
      reg: digit,
      rm: 'xmm',
      memSize: 0,
      randomRex: true,
      setup: (rng, c) => {
        extra.setup?.(rng, c);
        maybeWait(rng, c);
      },
    };
  }
  const size = SIZE[operand];
  return {
    ...base(`${name} ${operand}`, [escape], extra, size > 32 ? 256 : 64),
    reg: digit,
    rm: 'mem',
    memSize: size,
    setup: (rng, c) => {
      fillOperand(rng, c, operand);
      extra.setup?.(rng, c);
      maybeWait(rng, c);
    },
  };
}

/** A fixed encoding (no operand to choose). */
function fixed(name: string, bytes: number[], extra: Extra = {}): Form {
  return {
    ...base(name, bytes, extra, 64),
    noModrm: true,
    reg: 0,
    rm: 'xmm',
    memSize: 0,
    setup: (rng, c) => {
      extra.setup?.(rng, c);
      maybeWait(rng, c);
    },
  };
}

// ---------------------------------------------------------------- operand domains

/** Sets ST(k) of the case (k relative to its TOP) and marks it valid. */
function setSt(c: GeneratedCase, k: number, sig: bigint, se: number): void {
  const x = c.state.subarray(OFF_X87, OFF_X87 + 160);
  writeF80(x, 32 + 16 * k, { sig, se });
  const top = (view(x).getUint16(2, true) >> 11) & 7;
  x[4]! |= 1 << ((top + k) & 7);
}

/** Keeps a normal ST(0) within the instruction's domain, |x| < 2^limit (F2XM1: |x| <= 1,
 *  FYL2XP1: |x| < 1 - sqrt(2)/2; outside, the result is undefined): a larger one is replaced. */
function domain(limit: number): (rng: Rng, c: GeneratedCase) => void {
  return (rng, c) => {
    const x = readF80(c.state.subarray(OFF_X87, OFF_X87 + 160), 32);
    const e = x.se & 0x7fff;
    if (e === 0 || e === 0x7fff || !(x.sig >> 63n) || e < 0x3fff + limit) return;
    const sign = x.se & 0x8000;
    setSt(c, 0, rng.u64() | (1n << 63n), sign | (0x3fff + limit - 1 - (rng.chance(0.8) ? rng.below(20) : rng.below(200))));
  };
}

/** Arguments for the trigonometric instructions: small, multiples of pi/2 and large. */
function trigArgument(rng: Rng, c: GeneratedCase): void {
  if (rng.chance(0.2)) return;
  const sign = rng.chance(0.5) ? 0x8000 : 0;
  const roll = rng.below(10);
  if (roll < 6) setSt(c, 0, rng.u64() | (1n << 63n), sign | (0x3fff - 8 + rng.below(16)));
  else if (roll < 8) {
    // near k * pi/2
    const k = BigInt(1 + rng.below(1000));
    const piHalf = 0xc90fdaa22168c234c4c6628b80dc1cd1n; // pi/2 * 2^127
    const v = normalized(sign, (k * piHalf) >> 64n, -63);
    setSt(c, 0, v.sig ^ BigInt(rng.below(4)), v.se);
  } else setSt(c, 0, rng.u64() | (1n << 63n), sign | (0x3fff + rng.below(66)));
}

const TRANSCENDENTAL: X87Compare['tolerance'] = { registers: [0], ulps: 1 };

/** The tolerance of the trigonometric results: within 1 ulp of the host, or else of the exact
 *  value (fn of the input ST(0) for each listed register). */
function trig(functions: Record<number, Trig>): X87Compare['tolerance'] {
  return {
    registers: Object.keys(functions).map(Number),
    ulps: 1,
    reference: (input, k) => exactTrig(functions[k]!, readF80(input.state.subarray(OFF_X87, OFF_X87 + 160), 32)),
  };
}

// ---------------------------------------------------------------- the table

const ARITH = ['fadd', 'fmul', 'fcom', 'fcomp', 'fsub', 'fsubr', 'fdiv', 'fdivr'];
const COMPARE: Extra = { undefinedFsw: 0 };

/** D8 / DC / DA / DE memory forms. */
function memoryArithmetic(escape: number, operand: Operand, prefix: string): Form[] {
  return ARITH.map((m, digit) => x87(m.replace(/^f/, prefix), escape, digit, operand, digit === 2 || digit === 3 ? COMPARE : {}));
}

export const X87_FORMS: Form[] = [
  // arithmetic and compares
  ...memoryArithmetic(0xd8, 'm32fp', 'f'),
  ...memoryArithmetic(0xdc, 'm64fp', 'f'),
  ...memoryArithmetic(0xda, 'm32int', 'fi'),
  ...memoryArithmetic(0xde, 'm16int', 'fi'),
  ...ARITH.map((m, digit) => x87(`${m} st(0),`, 0xd8, digit, 'st', digit === 2 || digit === 3 ? COMPARE : {})),
  ...['fadd', 'fmul', 'fcom2', 'fcomp3', 'fsubr', 'fsub', 'fdivr', 'fdiv'].map((m, digit) => x87(`${m} (dc)`, 0xdc, digit, 'st', digit === 2 || digit === 3 ? COMPARE : {})),
  ...['faddp', 'fmulp', 'fcomp5', undefined, 'fsubrp', 'fsubp', 'fdivrp', 'fdivp'].flatMap((m, digit) => (m ? [x87(m, 0xde, digit, 'st', digit === 2 ? COMPARE : {})] : [])),
  fixed('fcompp', [0xde, 0xd9], COMPARE),
  fixed('fucompp', [0xda, 0xe9], COMPARE),
  x87('fucom', 0xdd, 4, 'st', COMPARE),
  x87('fucomp', 0xdd, 5, 'st', COMPARE),
  x87('fucomi', 0xdb, 5, 'st', COMPARE),
  x87('fcomi', 0xdb, 6, 'st', COMPARE),
  x87('fucomip', 0xdf, 5, 'st', COMPARE),
  x87('fcomip', 0xdf, 6, 'st', COMPARE),
  fixed('ftst', [0xd9, 0xe4], COMPARE),
  fixed('fxam', [0xd9, 0xe5], COMPARE),
  fixed('fsqrt', [0xd9, 0xfa]),
  fixed('frndint', [0xd9, 0xfc]),
  fixed('fscale', [0xd9, 0xfd]),
  fixed('fxtract', [0xd9, 0xf4]),
  fixed('fprem', [0xd9, 0xf8], { undefinedFsw: 0 }),
  fixed('fprem1', [0xd9, 0xf5], { undefinedFsw: 0 }),
  fixed('fchs', [0xd9, 0xe0]),
  fixed('fabs', [0xd9, 0xe1]),

  // transcendentals (within 1 ulp of the host)
  fixed('f2xm1', [0xd9, 0xf0], { tolerance: TRANSCENDENTAL, setup: domain(0) }),
  fixed('fyl2x', [0xd9, 0xf1], { tolerance: TRANSCENDENTAL }),
  fixed('fyl2xp1', [0xd9, 0xf9], { tolerance: TRANSCENDENTAL, setup: domain(-2) }),
  fixed('fpatan', [0xd9, 0xf3], { tolerance: TRANSCENDENTAL }),
  fixed('fptan', [0xd9, 0xf2], { tolerance: trig({ 1: 'tan' }), undefinedFsw: C0 | C3, setup: trigArgument }),
  fixed('fsin', [0xd9, 0xfe], { tolerance: trig({ 0: 'sin' }), undefinedFsw: C0 | C3, setup: trigArgument }),
  fixed('fcos', [0xd9, 0xff], { tolerance: trig({ 0: 'cos' }), undefinedFsw: C0 | C3, setup: trigArgument }),
  fixed('fsincos', [0xd9, 0xfb], { tolerance: trig({ 0: 'cos', 1: 'sin' }), undefinedFsw: C0 | C3, setup: trigArgument }),

  // loads and stores
  x87('fld', 0xd9, 0, 'm32fp'),
  x87('fld', 0xdd, 0, 'm64fp'),
  x87('fld', 0xdb, 5, 'm80fp'),
  x87('fld', 0xd9, 0, 'st'),
  x87('fst', 0xd9, 2, 'm32fp'),
  x87('fstp', 0xd9, 3, 'm32fp'),
  x87('fst', 0xdd, 2, 'm64fp'),
  x87('fstp', 0xdd, 3, 'm64fp'),
  x87('fstp', 0xdb, 7, 'm80fp'),
  x87('fst', 0xdd, 2, 'st'),
  x87('fstp', 0xdd, 3, 'st'),
  x87('fstp1', 0xd9, 3, 'st'),
  x87('fstp8', 0xdf, 2, 'st'),
  x87('fstp9', 0xdf, 3, 'st'),
  x87('fild', 0xdf, 0, 'm16int'),
  x87('fild', 0xdb, 0, 'm32int'),
  x87('fild', 0xdf, 5, 'm64int'),
  x87('fist', 0xdf, 2, 'm16int'),
  x87('fistp', 0xdf, 3, 'm16int'),
  x87('fist', 0xdb, 2, 'm32int'),
  x87('fistp', 0xdb, 3, 'm32int'),
  x87('fistp', 0xdf, 7, 'm64int'),
  x87('fisttp', 0xdf, 1, 'm16int'),
  x87('fisttp', 0xdb, 1, 'm32int'),
  x87('fisttp', 0xdd, 1, 'm64int'),
  x87('fbld', 0xdf, 4, 'm80bcd'),
  x87('fbstp', 0xdf, 6, 'm80bcd'),
  ...['fld1', 'fldl2t', 'fldl2e', 'fldpi', 'fldlg2', 'fldln2', 'fldz'].map((m, k) => fixed(m, [0xd9, 0xe8 + k])),
  x87('fxch', 0xd9, 1, 'st'),
  x87('fxch4', 0xdd, 1, 'st'),
  x87('fxch7', 0xdf, 1, 'st'),
  ...['fcmovb', 'fcmove', 'fcmovbe', 'fcmovu'].map((m, digit) => x87(m, 0xda, digit, 'st')),
  ...['fcmovnb', 'fcmovne', 'fcmovnbe', 'fcmovnu'].map((m, digit) => x87(m, 0xdb, digit, 'st')),

  // control
  x87('ffree', 0xdd, 0, 'st', { undefinedFsw: CC_ALL }),
  x87('ffreep', 0xdf, 0, 'st', { undefinedFsw: CC_ALL }),
  fixed('fincstp', [0xd9, 0xf7]),
  fixed('fdecstp', [0xd9, 0xf6]),
  fixed('fnop', [0xd9, 0xd0], { undefinedFsw: CC_ALL }),
  fixed('fneni (nop)', [0xdb, 0xe0], { undefinedFsw: CC_ALL }),
  fixed('fndisi (nop)', [0xdb, 0xe1], { undefinedFsw: CC_ALL }),
  fixed('fnsetpm (nop)', [0xdb, 0xe4], { undefinedFsw: CC_ALL }),
  fixed('fnclex', [0xdb, 0xe2], { undefinedFsw: CC_ALL }),
  fixed('fninit', [0xdb, 0xe3], { undefinedFsw: 0 }),
  fixed('fwait', [0x9b], { undefinedFsw: 0 }),
  fixed('fnstsw ax', [0xdf, 0xe0], { undefinedFsw: CC_ALL }),
  x87('fnstsw', 0xdd, 7, 'm16', { undefinedFsw: CC_ALL }),
  x87('fnstcw', 0xd9, 7, 'm16', { undefinedFsw: CC_ALL }),
  x87('fldcw', 0xd9, 5, 'm16', { undefinedFsw: CC_ALL }),
  x87('fnstenv', 0xd9, 6, 'env28', { undefinedFsw: CC_ALL, ignoreRelative: [[16, 18], [24, 26]] }),
  x87('fnstenv', 0xd9, 6, 'env14', { undefinedFsw: CC_ALL, prefixes: [0x66], ignoreRelative: [[8, 10], [12, 14]] }),
  x87('fldenv', 0xd9, 4, 'env28', { undefinedFsw: 0 }),
  x87('fldenv', 0xd9, 4, 'env14', { undefinedFsw: 0, prefixes: [0x66] }),
  x87('fnsave', 0xdd, 6, 'save108', { undefinedFsw: 0, ignoreRelative: [[16, 18], [24, 26]] }),
  x87('fnsave', 0xdd, 6, 'save94', { undefinedFsw: 0, prefixes: [0x66], ignoreRelative: [[8, 10], [12, 14]] }),
  x87('frstor', 0xdd, 4, 'save108', { undefinedFsw: 0 }),
  x87('frstor', 0xdd, 4, 'save94', { undefinedFsw: 0, prefixes: [0x66] }),
  ...fxState(),
];

/** FXSAVE/FXSAVE64 and FXRSTOR/FXRSTOR64 (0F AE /0, /1) with random x87 states and images. The
 *  host stores FOP/FIP/FDP only while an exception is pending (AMD) and FCS/FDS in the 32-bit
 *  layout (the emulator stores 0, as Intel CPUs that deprecate them): those bytes are compared
 *  only where both agree by definition. */
function fxState(): Form[] {
  const forms: Form[] = [];
  for (const wide of [false, true]) {
    const suffix = wide ? '64' : '';
    const common = { prefixes: [], rexW: wide, opcode: [0x0f, 0xae], immSize: 0, lanes: 'int' as const, memLen: 1024, rm: 'mem' as const, memSize: 512 };
    forms.push({
      ...common,
      name: `fxsave${suffix} with x87 state`,
      reg: 0,
      compare: { x87: {} },
      x87: (rng, state) => randomX87(rng, state),
      setup: (rng, c) => {
        const x = c.state.subarray(OFF_X87, OFF_X87 + 160);
        const fsw = view(x).getUint16(2, true);
        const pending = (fsw & ~view(x).getUint16(0, true) & 0x3f) !== 0;
        const at = c.address - SCRATCH_BASE;
        const ignore: [number, number][] = [[at + 28, at + 32]];
        if (!pending) ignore.push([at + 6, at + 24]);
        else if (!wide) ignore.push([at + 12, at + 16], [at + 20, at + 24]);
        c.compare = { ...c.compare, ignoreMem: [...(c.compare.ignoreMem ?? []), ...ignore] };
      },
    });
    forms.push({
      ...common,
      name: `fxrstor${suffix} of an x87 image`,
      reg: 1,
      compare: { x87: {} },
      x87: (rng, state) => randomX87(rng, state),
      setup: (rng, c) => {
        const at = c.address - SCRATCH_BASE;
        if (at < 0 || at + 160 > c.mem.length) return;
        const image = new Uint8Array(560);
        randomX87(rng, image);
        c.mem.set(image.subarray(OFF_X87, OFF_X87 + 160), at);
        view(c.mem).setUint32(at + 24, 0x1f80 | (rng.u32() & 0x7f) | (rng.below(4) << 13), true);
        view(c.mem).setUint32(at + 28, 0, true);
      },
    });
  }
  return forms;
}
