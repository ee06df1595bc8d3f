// The SSE/SSE2 instruction forms the differential test covers: one line per instruction, written
// as `mnemonic, prefix, opcode, operands, lanes`. Operands use the SDM's notation for the ModRM
// operands: `x` an XMM register, `x/m128` an XMM register or memory, `m64` memory only, `r32`/`r64`
// a general register, `r/m32`, `/2` a fixed ModRM.reg digit, `imm8`. Each line expands into a
// register form and a memory form where the r/m operand allows both.
import type { CompareOptions } from './harness/compare.js';
import type { Form, GeneratedCase } from './harness/generate.js';
import { operandForms } from './harness/generate.js';
import { OFF_XMM, Outcome, SCRATCH_BASE, SCRATCH_SIZE, setGpr, xmmBytes, xmmText } from './harness/machine.js';
import { LaneKind, Rng } from './harness/random.js';

const NP: number[] = [];
const P66 = [0x66];
const F3 = [0xf3];
const F2 = [0xf2];

interface Extra {
  imm?: (rng: Rng) => number;
  memLen?: number;
  compare?: CompareOptions;
  ignoreRelative?: [number, number][];
  setup?: (rng: Rng, c: GeneratedCase) => void;
  rexW?: boolean;
}

/** Expands one instruction line into its register and memory forms. */
function sse(name: string, prefixes: number[], opcode: number, operands: string, lanes: LaneKind = 'int', extra: Extra = {}): Form[] {
  return operandForms(name, prefixes, opcode, operands, {
    rexW: extra.rexW ?? false,
    imm: extra.imm,
    lanes,
    memLen: extra.memLen ?? 64,
    compare: extra.compare,
    ignoreRelative: extra.ignoreRelative,
    setup: extra.setup,
  });
}

/** Shift counts: mostly in range, with the edges around the lane width. */
const shiftCount = (rng: Rng): number => (rng.chance(0.7) ? rng.below(20) : rng.pick([15, 16, 31, 32, 33, 63, 64, 65, 127, 128, 255]));
/** Compare predicates: 0-7, sometimes with the upper (ignored) bits set. */
const predicate = (rng: Rng): number => (rng.chance(0.8) ? rng.below(8) : rng.below(256));

// ---------------------------------------------------------------- RCP/RSQRT tolerance

/** RCPPS/RSQRTPS results are implementation-specific approximations: compare each lane with the
 *  exact value, relative error at most 1.5 * 2^-12 (the SDM's bound) on both sides; specials exact. */
function approxCompare(kind: 'rcp' | 'rsqrt', lanes: number): CompareOptions['xmm'] {
  return (native: Outcome, emulated: Outcome, input) => {
    const c = input as GeneratedCase;
    const offset = c.address - SCRATCH_BASE;
    const src = c.rmReg >= 0 ? xmmBytes(c.state, c.rmReg) : offset >= 0 && offset + 4 * lanes <= c.mem.length ? c.mem.subarray(offset) : undefined;
    for (let r = 0; r < 16; r++) {
      const a = xmmBytes(native.state, r);
      const b = xmmBytes(emulated.state, r);
      const av = new DataView(a.buffer, a.byteOffset, 16);
      const bv = new DataView(b.buffer, b.byteOffset, 16);
      for (let k = 0; k < 4; k++) {
        const na = av.getUint32(4 * k, true);
        const nb = bv.getUint32(4 * k, true);
        if (na === nb) continue;
        if (r !== c.reg || k >= lanes || !src || native.signal !== 0) return `xmm${r}: native ${xmmText(a)}, emulated ${xmmText(b)}`;
        const x = new DataView(src.buffer, src.byteOffset).getFloat32(4 * k, true);
        const exact = kind === 'rcp' ? 1 / x : 1 / Math.sqrt(x);
        const fa = av.getFloat32(4 * k, true);
        const fb = bv.getFloat32(4 * k, true);
        const ok = (v: number) => Number.isFinite(v) && v !== 0 && Math.abs(v - exact) <= 1.5 * 2 ** -12 * Math.abs(exact);
        // Inputs near 2^126 may or may not produce a tiny (flushed) reciprocal.
        const tinyBand = kind === 'rcp' && Math.abs(x) >= 8.503943794908341e37 && Math.abs(x) <= 8.510175565259063e37;
        if ((ok(fa) || (tinyBand && fa === 0)) && (ok(fb) || (tinyBand && fb === 0))) continue;
        return `xmm${r} lane ${k}: input ${x}, native ${fa}, emulated ${fb} (exact ${exact})`;
      }
    }
    return null;
  };
}

// ---------------------------------------------------------------- state setups

/** A valid MXCSR value, sometimes with reserved bits (bit 17, AMD's MM, is left alone: the host
 *  may implement it). */
function mxcsrImage(rng: Rng): number {
  let v = rng.u32() & 0xffff;
  if (rng.chance(0.1)) v |= rng.pick([1 << 16, 1 << 18, 1 << 31, 0xfffc0000]);
  return v >>> 0;
}

function writeAt(c: GeneratedCase, offset: number, bytes: number[]): void {
  const at = c.address - SCRATCH_BASE + offset;
  for (let k = 0; k < bytes.length; k++) if (at + k >= 0 && at + k < c.mem.length) c.mem[at + k] = bytes[k]!;
}

function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

const ldmxcsrSetup = (rng: Rng, c: GeneratedCase) => writeAt(c, 0, le32(mxcsrImage(rng)));

/** FXRSTOR image: x87 control/status/tag words and MXCSR that load cleanly (mostly). */
const fxrstorSetup = (rng: Rng, c: GeneratedCase) => {
  writeAt(c, 0, [0x7f, 0x03, 0, 0, 0, 0]);
  writeAt(c, 24, le32(mxcsrImage(rng)));
};

/** MASKMOVDQU stores through RDI: inside the compared bytes, or straddling the guard page. */
const maskmovSetup = (rng: Rng, c: GeneratedCase) => {
  const offset = rng.chance(0.9) ? rng.below(c.mem.length - 15) : SCRATCH_SIZE - 1 - rng.below(15);
  setGpr(c.state, 7, BigInt(SCRATCH_BASE + offset));
  if (rng.chance(0.1)) c.state.fill(0, OFF_XMM + 16 * c.rmReg, OFF_XMM + 16 * c.rmReg + 16); // nothing selected
};

// ---------------------------------------------------------------- the table

const ANY = 'int' as const;

/** The element-wise packed-integer operations (arithmetic, compares, logic, shifts by register):
 *  66 0F xx on XMM registers here, 0F xx on MM registers in mmx-forms.ts. */
export const ELEMENTWISE: [string, number][] = [
  ['paddb', 0xfc], ['paddw', 0xfd], ['paddd', 0xfe], ['paddq', 0xd4],
  ['psubb', 0xf8], ['psubw', 0xf9], ['psubd', 0xfa], ['psubq', 0xfb],
  ['paddsb', 0xec], ['paddsw', 0xed], ['paddusb', 0xdc], ['paddusw', 0xdd],
  ['psubsb', 0xe8], ['psubsw', 0xe9], ['psubusb', 0xd8], ['psubusw', 0xd9],
  ['pcmpeqb', 0x74], ['pcmpeqw', 0x75], ['pcmpeqd', 0x76],
  ['pcmpgtb', 0x64], ['pcmpgtw', 0x65], ['pcmpgtd', 0x66],
  ['pand', 0xdb], ['pandn', 0xdf], ['por', 0xeb], ['pxor', 0xef],
  ['pminub', 0xda], ['pmaxub', 0xde], ['pminsw', 0xea], ['pmaxsw', 0xee],
  ['pavgb', 0xe0], ['pavgw', 0xe3],
  ['pmullw', 0xd5], ['pmulhw', 0xe5], ['pmulhuw', 0xe4], ['pmuludq', 0xf4], ['pmaddwd', 0xf5], ['psadbw', 0xf6],
  ['psrlw', 0xd1], ['psrld', 0xd2], ['psrlq', 0xd3], ['psraw', 0xe1], ['psrad', 0xe2],
  ['psllw', 0xf1], ['pslld', 0xf2], ['psllq', 0xf3],
];

export const SSE_FORMS: Form[] = [
  // moves
  ...sse('movups', NP, 0x10, 'x, x/m128', ANY),
  ...sse('movupd', P66, 0x10, 'x, x/m128', ANY),
  ...sse('movss', F3, 0x10, 'x, x/m32', ANY),
  ...sse('movsd', F2, 0x10, 'x, x/m64', ANY),
  ...sse('movups', NP, 0x11, 'x/m128, x', ANY),
  ...sse('movupd', P66, 0x11, 'x/m128, x', ANY),
  ...sse('movss', F3, 0x11, 'x/m32, x', ANY),
  ...sse('movsd', F2, 0x11, 'x/m64, x', ANY),
  ...sse('movhlps', NP, 0x12, 'x, x', ANY),
  ...sse('movlps', NP, 0x12, 'x, m64', ANY),
  ...sse('movlpd', P66, 0x12, 'x, m64', ANY),
  ...sse('movlps', NP, 0x13, 'm64, x', ANY),
  ...sse('movlpd', P66, 0x13, 'm64, x', ANY),
  ...sse('movlhps', NP, 0x16, 'x, x', ANY),
  ...sse('movhps', NP, 0x16, 'x, m64', ANY),
  ...sse('movhpd', P66, 0x16, 'x, m64', ANY),
  ...sse('movhps', NP, 0x17, 'm64, x', ANY),
  ...sse('movhpd', P66, 0x17, 'm64, x', ANY),
  ...sse('movaps', NP, 0x28, 'x, x/m128', ANY),
  ...sse('movapd', P66, 0x28, 'x, x/m128', ANY),
  ...sse('movaps', NP, 0x29, 'x/m128, x', ANY),
  ...sse('movapd', P66, 0x29, 'x/m128, x', ANY),
  ...sse('movntps', NP, 0x2b, 'm128, x', ANY),
  ...sse('movntpd', P66, 0x2b, 'm128, x', ANY),
  ...sse('movmskps', NP, 0x50, 'r32, x', 'f32'),
  ...sse('movmskpd', P66, 0x50, 'r32, x', 'f64'),
  ...sse('movmskps', NP, 0x50, 'r64, x', 'f32', { rexW: true }),
  ...sse('movd', P66, 0x6e, 'x, r/m32', ANY),
  ...sse('movq', P66, 0x6e, 'x, r/m64', ANY, { rexW: true }),
  ...sse('movd', P66, 0x7e, 'r/m32, x', ANY),
  ...sse('movq', P66, 0x7e, 'r/m64, x', ANY, { rexW: true }),
  ...sse('movq', F3, 0x7e, 'x, x/m64', ANY),
  ...sse('movq', P66, 0xd6, 'x/m64, x', ANY),
  ...sse('movdqa', P66, 0x6f, 'x, x/m128', ANY),
  ...sse('movdqu', F3, 0x6f, 'x, x/m128', ANY),
  ...sse('movdqa', P66, 0x7f, 'x/m128, x', ANY),
  ...sse('movdqu', F3, 0x7f, 'x/m128, x', ANY),
  ...sse('movntdq', P66, 0xe7, 'm128, x', ANY),
  ...sse('movnti', NP, 0xc3, 'm32, r32', ANY),
  ...sse('movnti', NP, 0xc3, 'm64, r64', ANY, { rexW: true }),
  ...sse('pmovmskb', P66, 0xd7, 'r32, x', ANY),
  ...sse('pmovmskb', P66, 0xd7, 'r64, x', ANY, { rexW: true }),
  ...sse('maskmovdqu', P66, 0xf7, 'x, x', ANY, { memLen: 128, setup: maskmovSetup }),

  // integer arithmetic
  ...[
    ...ELEMENTWISE,
    ['punpcklbw', 0x60], ['punpcklwd', 0x61], ['punpckldq', 0x62], ['punpcklqdq', 0x6c],
    ['punpckhbw', 0x68], ['punpckhwd', 0x69], ['punpckhdq', 0x6a], ['punpckhqdq', 0x6d],
    ['packsswb', 0x63], ['packssdw', 0x6b], ['packuswb', 0x67],
  ].flatMap(([name, op]) => sse(name as string, P66, op as number, 'x, x/m128', ANY, /^ps[rl]/.test(name as string) ? { setup: shiftCountSetup } : {})),
  ...sse('psrlw', P66, 0x71, '/2 x, imm8', ANY, { imm: shiftCount }),
  ...sse('psraw', P66, 0x71, '/4 x, imm8', ANY, { imm: shiftCount }),
  ...sse('psllw', P66, 0x71, '/6 x, imm8', ANY, { imm: shiftCount }),
  ...sse('psrld', P66, 0x72, '/2 x, imm8', ANY, { imm: shiftCount }),
  ...sse('psrad', P66, 0x72, '/4 x, imm8', ANY, { imm: shiftCount }),
  ...sse('pslld', P66, 0x72, '/6 x, imm8', ANY, { imm: shiftCount }),
  ...sse('psrlq', P66, 0x73, '/2 x, imm8', ANY, { imm: shiftCount }),
  ...sse('psrldq', P66, 0x73, '/3 x, imm8', ANY, { imm: shiftCount }),
  ...sse('psllq', P66, 0x73, '/6 x, imm8', ANY, { imm: shiftCount }),
  ...sse('pslldq', P66, 0x73, '/7 x, imm8', ANY, { imm: shiftCount }),
  ...sse('pshufd', P66, 0x70, 'x, x/m128, imm8', ANY),
  ...sse('pshufhw', F3, 0x70, 'x, x/m128, imm8', ANY),
  ...sse('pshuflw', F2, 0x70, 'x, x/m128, imm8', ANY),
  ...sse('pinsrw', P66, 0xc4, 'x, r/m16, imm8', ANY),
  ...sse('pextrw', P66, 0xc5, 'r32, x, imm8', ANY),

  // floating point
  ...[
    ['add', 0x58], ['sub', 0x5c], ['mul', 0x59], ['div', 0x5e], ['min', 0x5d], ['max', 0x5f], ['sqrt', 0x51],
  ].flatMap(([op, code]) => [
    ...sse(`${op}ps`, NP, code as number, 'x, x/m128', 'f32'),
    ...sse(`${op}ss`, F3, code as number, 'x, x/m32', 'f32'),
    ...sse(`${op}pd`, P66, code as number, 'x, x/m128', 'f64'),
    ...sse(`${op}sd`, F2, code as number, 'x, x/m64', 'f64'),
  ]),
  ...sse('rcpps', NP, 0x53, 'x, x/m128', 'f32', { compare: { xmm: approxCompare('rcp', 4) } }),
  ...sse('rcpss', F3, 0x53, 'x, x/m32', 'f32', { compare: { xmm: approxCompare('rcp', 1) } }),
  ...sse('rsqrtps', NP, 0x52, 'x, x/m128', 'f32', { compare: { xmm: approxCompare('rsqrt', 4) } }),
  ...sse('rsqrtss', F3, 0x52, 'x, x/m32', 'f32', { compare: { xmm: approxCompare('rsqrt', 1) } }),
  ...sse('andps', NP, 0x54, 'x, x/m128', 'f32'),
  ...sse('andnps', NP, 0x55, 'x, x/m128', 'f32'),
  ...sse('orps', NP, 0x56, 'x, x/m128', 'f32'),
  ...sse('xorps', NP, 0x57, 'x, x/m128', 'f32'),
  ...sse('andpd', P66, 0x54, 'x, x/m128', 'f64'),
  ...sse('andnpd', P66, 0x55, 'x, x/m128', 'f64'),
  ...sse('orpd', P66, 0x56, 'x, x/m128', 'f64'),
  ...sse('xorpd', P66, 0x57, 'x, x/m128', 'f64'),
  ...sse('cmpps', NP, 0xc2, 'x, x/m128, imm8', 'f32', { imm: predicate }),
  ...sse('cmpss', F3, 0xc2, 'x, x/m32, imm8', 'f32', { imm: predicate }),
  ...sse('cmppd', P66, 0xc2, 'x, x/m128, imm8', 'f64', { imm: predicate }),
  ...sse('cmpsd', F2, 0xc2, 'x, x/m64, imm8', 'f64', { imm: predicate }),
  ...sse('ucomiss', NP, 0x2e, 'x, x/m32', 'f32'),
  ...sse('comiss', NP, 0x2f, 'x, x/m32', 'f32'),
  ...sse('ucomisd', P66, 0x2e, 'x, x/m64', 'f64'),
  ...sse('comisd', P66, 0x2f, 'x, x/m64', 'f64'),
  ...sse('shufps', NP, 0xc6, 'x, x/m128, imm8', 'f32'),
  ...sse('shufpd', P66, 0xc6, 'x, x/m128, imm8', 'f64'),
  ...sse('unpcklps', NP, 0x14, 'x, x/m128', 'f32'),
  ...sse('unpckhps', NP, 0x15, 'x, x/m128', 'f32'),
  ...sse('unpcklpd', P66, 0x14, 'x, x/m128', 'f64'),
  ...sse('unpckhpd', P66, 0x15, 'x, x/m128', 'f64'),

  // conversions
  ...sse('cvtsi2ss', F3, 0x2a, 'x, r/m32', 'f32'),
  ...sse('cvtsi2ss', F3, 0x2a, 'x, r/m64', 'f32', { rexW: true }),
  ...sse('cvtsi2sd', F2, 0x2a, 'x, r/m32', 'f64'),
  ...sse('cvtsi2sd', F2, 0x2a, 'x, r/m64', 'f64', { rexW: true }),
  ...sse('cvtss2si', F3, 0x2d, 'r32, x/m32', 'f32'),
  ...sse('cvtss2si', F3, 0x2d, 'r64, x/m32', 'f32', { rexW: true }),
  ...sse('cvttss2si', F3, 0x2c, 'r32, x/m32', 'f32'),
  ...sse('cvttss2si', F3, 0x2c, 'r64, x/m32', 'f32', { rexW: true }),
  ...sse('cvtsd2si', F2, 0x2d, 'r32, x/m64', 'f64'),
  ...sse('cvtsd2si', F2, 0x2d, 'r64, x/m64', 'f64', { rexW: true }),
  ...sse('cvttsd2si', F2, 0x2c, 'r32, x/m64', 'f64'),
  ...sse('cvttsd2si', F2, 0x2c, 'r64, x/m64', 'f64', { rexW: true }),
  ...sse('cvtss2sd', F3, 0x5a, 'x, x/m32', 'f32'),
  ...sse('cvtsd2ss', F2, 0x5a, 'x, x/m64', 'f64'),
  ...sse('cvtps2pd', NP, 0x5a, 'x, x/m64', 'f32'),
  ...sse('cvtpd2ps', P66, 0x5a, 'x, x/m128', 'f64'),
  ...sse('cvtdq2ps', NP, 0x5b, 'x, x/m128', ANY),
  ...sse('cvtps2dq', P66, 0x5b, 'x, x/m128', 'f32'),
  ...sse('cvttps2dq', F3, 0x5b, 'x, x/m128', 'f32'),
  ...sse('cvtdq2pd', F3, 0xe6, 'x, x/m64', ANY),
  ...sse('cvtpd2dq', F2, 0xe6, 'x, x/m128', 'f64'),
  ...sse('cvttpd2dq', P66, 0xe6, 'x, x/m128', 'f64'),

  // state
  ...sse('ldmxcsr', NP, 0xae, '/2 m32', ANY, { setup: ldmxcsrSetup }),
  ...sse('stmxcsr', NP, 0xae, '/3 m32', ANY),
  ...sse('fxsave', NP, 0xae, '/0 m4096', ANY, { memLen: 1024, ignoreRelative: [[28, 32]] }),
  ...sse('fxsave64', NP, 0xae, '/0 m4096', ANY, { memLen: 1024, rexW: true, ignoreRelative: [[28, 32]] }),
  ...sse('fxrstor', NP, 0xae, '/1 m4096', ANY, { memLen: 1024, setup: fxrstorSetup }),
  ...sse('clflush', NP, 0xae, '/7 m8', ANY),
];

/** Prefix corner cases: the last F2/F3 is the mandatory prefix and beats 66; REX.W is ignored
 *  where it has no meaning; LOCK makes any SSE instruction #UD. */
export const PREFIX_FORMS: Form[] = [
  ...sse('addsd (66 f2)', [0x66, 0xf2], 0x58, 'x, x/m64', 'f64'),
  ...sse('addss (f2 66 f3)', [0xf2, 0x66, 0xf3], 0x58, 'x, x/m32', 'f32'),
  ...sse('movdqu (66 f3)', [0x66, 0xf3], 0x6f, 'x, x/m128', ANY),
  ...sse('paddd (rex.w)', P66, 0xfe, 'x, x/m128', ANY, { rexW: true }),
  ...sse('pcmpeqb (rex.w)', P66, 0x74, 'x, x/m128', ANY, { rexW: true }),
  ...sse('lock addps', [0xf0], 0x58, 'x, x/m128', 'f32'),
  ...sse('lock movdqa', [0xf0, 0x66], 0x6f, 'x, x/m128', ANY),
].map((f) => ({ ...f, name: `prefixes: ${f.name}` }));

/** Shift counts by register: make the count quadword small most of the time. */
function shiftCountSetup(rng: Rng, c: GeneratedCase): void {
  if (!rng.chance(0.7)) return;
  const count = shiftCount(rng);
  const bytes = [count, 0, 0, 0, 0, 0, 0, 0];
  if (c.rmReg >= 0) c.state.set(bytes, OFF_XMM + 16 * c.rmReg);
  else writeAt(c, 0, bytes);
}

/** Fences and EMMS (no operands, nothing to compare but the state staying put). */
export const FENCE_FORMS: Form[] = [[0xae, 0xe8], [0xae, 0xf0], [0xae, 0xf8], [0x77]].map((bytes) => ({
  name: `no-operand 0f ${bytes.map((b) => b.toString(16)).join(' ')}`,
  prefixes: [],
  rexW: false,
  opcode: [0x0f, ...bytes],
  noModrm: true,
  reg: 0,
  rm: 'xmm',
  memSize: 0,
  immSize: 0,
  lanes: 'int',
  memLen: 64,
}));
