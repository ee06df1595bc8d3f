// The MMX instruction forms the differential test covers: one line per instruction, written as
// `mnemonic, prefix, opcode, operands`. Operands: `mm` an MMX register, `mm/m64` (or `mm/m32`) an
// MMX register or memory, `x` / `x/m64` / `x/m128` an XMM register or memory, `r32` / `r/m32` /
// `r/m64` a general register, `/2` a fixed ModRM.reg digit, `imm8`. Each line expands into its
// register and memory forms. MMX register numbers take random REX bits, which the hardware
// ignores. Every case starts from a random x87 state (registers holding random 64-bit lanes,
// TOP and tags at random, sometimes a pending x87 exception that an MMX instruction must raise).
import type { Form, GeneratedCase } from './harness/generate.js';
import { operandForms } from './harness/generate.js';
import { SCRATCH_BASE, SCRATCH_SIZE, setGpr, view, x87Bytes } from './harness/machine.js';
import { Rng } from './harness/random.js';
import { randomMmx, X87Compare } from './harness/x87.js';
import { ELEMENTWISE } from './sse-forms.js';

const NP: number[] = [];
const P66 = [0x66];
const F2 = [0xf2];
const F3 = [0xf3];

interface Extra {
  imm?: (rng: Rng) => number;
  setup?: (rng: Rng, c: GeneratedCase) => void;
  rexW?: boolean;
  lanes?: 'int' | 'f32' | 'f64';
}

/** The x87 state an MMX instruction leaves is compared in full. */
const X87: X87Compare = {};

function mmx(name: string, prefixes: number[], opcode: number, operands: string, extra: Extra = {}): Form[] {
  return operandForms(name, prefixes, opcode, operands, {
    rexW: extra.rexW ?? false,
    imm: extra.imm,
    lanes: extra.lanes ?? 'int',
    memLen: 64,
    compare: { x87: X87 },
    setup: extra.setup,
    x87: randomMmx,
  });
}

/** Shift counts: mostly in range, with the edges around the lane width. */
const shiftCount = (rng: Rng): number => (rng.chance(0.7) ? rng.below(20) : rng.pick([15, 16, 31, 32, 33, 63, 64, 65, 127, 128, 255]));

/** MASKMOVQ stores through RDI: inside the compared bytes, or straddling the guard page. */
const maskmovSetup = (rng: Rng, c: GeneratedCase) => {
  const offset = rng.chance(0.9) ? rng.below(c.mem.length - 7) : SCRATCH_SIZE - 1 - rng.below(7);
  setGpr(c.state, 7, BigInt(SCRATCH_BASE + offset));
};

export const MMX_FORMS: Form[] = [
  // moves
  ...mmx('movd', NP, 0x6e, 'mm, r/m32'),
  ...mmx('movq', NP, 0x6e, 'mm, r/m64', { rexW: true }),
  ...mmx('movd', NP, 0x7e, 'r/m32, mm'),
  ...mmx('movq', NP, 0x7e, 'r/m64, mm', { rexW: true }),
  ...mmx('movq', NP, 0x6f, 'mm, mm/m64'),
  ...mmx('movq', NP, 0x7f, 'mm/m64, mm'),
  ...mmx('movntq', NP, 0xe7, 'm64, mm'),
  ...mmx('maskmovq', NP, 0xf7, 'mm, mm', { setup: maskmovSetup }),
  ...mmx('pmovmskb', NP, 0xd7, 'r32, mm'),
  ...mmx('pmovmskb', NP, 0xd7, 'r64, mm', { rexW: true }),
  ...mmx('pextrw', NP, 0xc5, 'r32, mm, imm8'),
  ...mmx('pinsrw', NP, 0xc4, 'mm, r/m16, imm8'),
  ...mmx('pshufw', NP, 0x70, 'mm, mm/m64, imm8'),
  ...mmx('movdq2q', F2, 0xd6, 'mm, x'),
  ...mmx('movq2dq', F3, 0xd6, 'x, mm'),
  { ...mmx('pxor', NP, 0xef, 'mm, mm')[0]!, name: 'emms', opcode: [0x0f, 0x77], noModrm: true },

  // packed integer arithmetic
  ...[
    ...ELEMENTWISE,
    ['punpckhbw', 0x68], ['punpckhwd', 0x69], ['punpckhdq', 0x6a],
    ['packsswb', 0x63], ['packssdw', 0x6b], ['packuswb', 0x67],
  ].flatMap(([name, op]) => mmx(name as string, NP, op as number, 'mm, mm/m64', /^ps[rl]/.test(name as string) ? { setup: shiftCountSetup } : {})),
  ...[['punpcklbw', 0x60], ['punpcklwd', 0x61], ['punpckldq', 0x62]].flatMap(([name, op]) => mmx(name as string, NP, op as number, 'mm, mm/m32')),
  ...mmx('psrlw', NP, 0x71, '/2 mm, imm8', { imm: shiftCount }),
  ...mmx('psraw', NP, 0x71, '/4 mm, imm8', { imm: shiftCount }),
  ...mmx('psllw', NP, 0x71, '/6 mm, imm8', { imm: shiftCount }),
  ...mmx('psrld', NP, 0x72, '/2 mm, imm8', { imm: shiftCount }),
  ...mmx('psrad', NP, 0x72, '/4 mm, imm8', { imm: shiftCount }),
  ...mmx('pslld', NP, 0x72, '/6 mm, imm8', { imm: shiftCount }),
  ...mmx('psrlq', NP, 0x73, '/2 mm, imm8', { imm: shiftCount }),
  ...mmx('psllq', NP, 0x73, '/6 mm, imm8', { imm: shiftCount }),

  // conversions
  ...mmx('cvtpi2ps', NP, 0x2a, 'x, mm/m64'),
  ...mmx('cvtpi2pd', P66, 0x2a, 'x, mm/m64'),
  ...mmx('cvtps2pi', NP, 0x2d, 'mm, x/m64', { lanes: 'f32' }),
  ...mmx('cvttps2pi', NP, 0x2c, 'mm, x/m64', { lanes: 'f32' }),
  ...mmx('cvtpd2pi', P66, 0x2d, 'mm, x/m128', { lanes: 'f64' }),
  ...mmx('cvttpd2pi', P66, 0x2c, 'mm, x/m128', { lanes: 'f64' }),
];

/** Shift counts by register: make the count quadword small most of the time. */
function shiftCountSetup(rng: Rng, c: GeneratedCase): void {
  if (!rng.chance(0.7)) return;
  const count = BigInt(shiftCount(rng));
  if (c.rmReg >= 0) {
    // MM r is physical register r: its slot in the image (which is in ST order) depends on TOP.
    const x87 = x87Bytes(c.state);
    const top = (x87[3]! >> 3) & 7;
    view(x87).setBigUint64(32 + 16 * (((c.rmReg & 7) - top) & 7), count, true);
  } else {
    const at = c.address - SCRATCH_BASE;
    if (at >= 0 && at + 8 <= c.mem.length) view(c.mem).setBigUint64(at, count, true);
  }
}
