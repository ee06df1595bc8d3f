// The decoder's output: one x86-64 instruction's encoding taken apart, with no semantics attached.
// The binder (cpu/bind.ts) turns it into an executable instruction; tests compare it to iced-x86.

/** Opcode maps: the one-byte map, 0F, 0F 38 and 0F 3A. VEX/EVEX-encoded maps are kept apart. */
export const enum OpcodeMap {
  Primary = 0,
  Map0F = 1,
  Map0F38 = 2,
  Map0F3A = 3,
}

/** Segment override prefixes that matter in 64-bit mode (ES/CS/SS/DS overrides are ignored). */
export const enum Segment {
  None = 0,
  FS = 4,
  GS = 5,
}

/** The last F2/F3 prefix seen (they also select SSE instruction variants). */
export const enum RepPrefix {
  None = 0,
  Repne = 0xf2,
  Rep = 0xf3,
}

export interface DecodedInsn {
  /** Address of the first byte. */
  rip: number;
  /** Total length in bytes, 1..15. */
  length: number;

  // ---- prefixes ----
  lock: boolean;
  rep: RepPrefix;
  /** 0x66 present. */
  opsizePrefix: boolean;
  /** 0x67 present (32-bit addressing). */
  addrsizePrefix: boolean;
  segment: Segment;
  /** The REX byte (0x40..0x4f) when present and effective (immediately before the opcode), else 0. */
  rex: number;
  /** VEX/EVEX: 0 when absent, else 2 (C5), 3 (C4), 4 (EVEX 62). Such instructions are decoded
   *  for length only; the CPU does not advertise AVX, so they raise SIGILL. */
  vex: 0 | 2 | 3 | 4;

  // ---- opcode ----
  map: OpcodeMap;
  opcode: number;

  // ---- ModRM / SIB ----
  hasModrm: boolean;
  /** ModRM.mod (0..3); 3 means the r/m operand is a register. */
  mod: number;
  /** ModRM.reg extended by REX.R (0..15). For group opcodes this is the /digit (0..7) plus 8*REX.R;
   *  use `regField` for the raw 3 bits. */
  reg: number;
  /** Raw ModRM.reg bits (0..7): the /digit of group opcodes. */
  regField: number;
  /** When mod == 3: the register number, extended by REX.B (0..15). Otherwise -1. */
  rmReg: number;

  // ---- memory operand (mod != 3, or a moffs form) ----
  /** Base register 0..15, or -1 for none (disp32-only or RIP-relative). */
  memBase: number;
  /** Index register 0..15, or -1 for none (SIB index 100b without REX.X means none). */
  memIndex: number;
  /** 1, 2, 4 or 8. */
  memScale: number;
  /** Signed displacement (8- or 32-bit, sign-extended); for moffs forms (A0..A3) the low 32 bits of
   *  the 64-bit address, with `moffsHigh` holding the high 32 bits. */
  disp: number;
  moffsHigh: number;
  /** RIP-relative: the effective address is rip + length + disp. */
  ripRelative: boolean;

  // ---- immediates ----
  /** Size in bytes of the first immediate: 0, 1, 2, 4 or 8. */
  immSize: number;
  /** The first immediate, sign-extended from its encoded size to a 32-bit signed integer
   *  (for immSize 8, the low 32 bits). The binder zero-extends where the instruction wants that. */
  imm: number;
  /** For immSize 8 (MOV r64, imm64): the high 32 bits. */
  immHigh: number;
  /** Second immediate (ENTER's imm8 level, EXTRQ/INSERTQ), else 0; size in `imm2Size`. */
  imm2: number;
  imm2Size: number;

  // ---- derived ----
  /** Effective operand size in bytes for instructions whose size follows the prefixes: 2 with 0x66,
   *  8 with REX.W (REX.W wins over 0x66), else 4; 8 for opcodes that default to 64-bit in long mode
   *  (PUSH/POP, near branches, ...) unless 0x66 gives 2. Byte-sized opcodes still report this rule;
   *  the binder knows which opcodes are byte forms. */
  operandSize: number;
}

/** The fields of an instruction with no prefixes, ModRM, memory operand or immediate, in the
 *  decoder's field order. */
const NO_OPERANDS: DecodedInsn = {
  rip: 0,
  length: 1,
  lock: false,
  rep: RepPrefix.None,
  opsizePrefix: false,
  addrsizePrefix: false,
  segment: Segment.None,
  rex: 0,
  vex: 0,
  map: OpcodeMap.Primary,
  opcode: 0,
  hasModrm: false,
  mod: 0,
  reg: 0,
  regField: 0,
  rmReg: -1,
  memBase: -1,
  memIndex: -1,
  memScale: 1,
  disp: 0,
  moffsHigh: 0,
  ripRelative: false,
  immSize: 0,
  imm: 0,
  immHigh: 0,
  imm2: 0,
  imm2Size: 0,
  operandSize: 4,
};

/** A decoded form the decoder did not produce (the stand-in for undecodable bytes, the MMX
 *  semantics' inner instruction): `fields`, the rest as NO_OPERANDS. */
export function syntheticInsn(fields: Partial<DecodedInsn>): DecodedInsn {
  return { ...NO_OPERANDS, ...fields };
}

/** Why a byte sequence is not a valid instruction in 64-bit mode. */
export interface DecodeFailure {
  rip: number;
  /** 'invalid' = #UD encoding (length is how far the decoder read); 'truncated' = the bytes ran out
   *  before the instruction ended (fetch fault or end of the window), length = bytes available. */
  reason: 'invalid' | 'truncated';
  length: number;
}
