// x86-64 instruction decoder (64-bit mode): prefixes, REX, opcode maps, ModRM/SIB/displacement and
// immediates, driven by opcode-table.ts. VEX, EVEX and XOP instructions are decoded for their length
// and operands only (the CPU profile has no AVX). Invalid encodings are reported as iced-x86 reports
// them with default options; test/cpu/decoder.test.ts holds the comparison.

import type { DecodedInsn, DecodeFailure } from './decoded.js';
import { OpcodeMap, RepPrefix, Segment } from './decoded.js';
import {
  EVEX_OPCODES,
  ImmKind,
  LEGACY_TABLE,
  ModrmKind,
  SizeRule,
  Special,
  THREE_DNOW_SUFFIXES,
  VEX_MAP1_IMM8,
  VEX_OPCODES,
  XOP_OPCODES,
} from './opcode-table.js';

/** Architectural maximum; a longer instruction (e.g. too many prefixes) is #UD. */
export const MAX_INSN_LENGTH = 15;

export function isDecodeFailure(x: DecodedInsn | DecodeFailure): x is DecodeFailure {
  return (x as DecodeFailure).reason !== undefined;
}

function failure(rip: number, reason: 'invalid' | 'truncated', length: number): DecodeFailure {
  return { rip, reason, length };
}

/** The instruction needs a byte beyond min(15, available): with 15 bytes at hand it is too long
 *  (invalid); otherwise the window ended first (truncated). */
function outOfBytes(rip: number, available: number): DecodeFailure {
  return available >= MAX_INSN_LENGTH ? failure(rip, 'invalid', MAX_INSN_LENGTH) : failure(rip, 'truncated', available);
}

// ModRM / memory-operand results of the instruction being decoded. Module-level scratch state so that a
// decode allocates nothing but its result (decoding is synchronous and not re-entrant).
let mMod = 0;
let mRegField = 0;
let mRm = 0;
let mRmReg = -1;
let mBase = -1;
let mIndex = -1;
let mScale = 1;
let mDisp = 0;
let mDispHigh = 0;
let mRipRelative = false;

function resetOperands(): void {
  mMod = 0;
  mRegField = 0;
  mRm = 0;
  mRmReg = -1;
  mBase = -1;
  mIndex = -1;
  mScale = 1;
  mDisp = 0;
  mDispHigh = 0;
  mRipRelative = false;
}

function readI32(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

/** Reads the SIB byte and displacement of a memory operand (mMod != 3). `ext` holds REX-style
 *  X (bit 1) and B (bit 0). Returns the position after the operand, or -1 if the bytes ran out. */
function readMemory(bytes: Uint8Array, offset: number, pos: number, limit: number, ext: number): number {
  if (mRm === 4) {
    if (pos >= limit) return -1;
    const sib = bytes[offset + pos++]!;
    mScale = 1 << (sib >> 6);
    const index = ((sib >> 3) & 7) | ((ext & 2) << 2);
    if (index !== 4) mIndex = index; // 100b without REX.X: no index
    const base = sib & 7;
    if (base === 5 && mMod === 0) {
      if (pos + 4 > limit) return -1;
      mDisp = readI32(bytes, offset + pos); // disp32, no base
      return pos + 4;
    }
    mBase = base | ((ext & 1) << 3);
  } else if (mRm === 5 && mMod === 0) {
    if (pos + 4 > limit) return -1;
    mRipRelative = true;
    mDisp = readI32(bytes, offset + pos);
    return pos + 4;
  } else {
    mBase = mRm | ((ext & 1) << 3);
  }
  if (mMod === 1) {
    if (pos >= limit) return -1;
    mDisp = (bytes[offset + pos]! << 24) >> 24;
    return pos + 1;
  }
  if (mMod === 2) {
    if (pos + 4 > limit) return -1;
    mDisp = readI32(bytes, offset + pos);
    return pos + 4;
  }
  return pos;
}

/** Reads an immediate of 1, 2, 4 or 8 bytes, sign-extended to int32 (8: the low half). */
function readImm(bytes: Uint8Array, at: number, size: number): number {
  if (size === 1) return (bytes[at]! << 24) >> 24;
  if (size === 2) return ((bytes[at]! | (bytes[at + 1]! << 8)) << 16) >> 16;
  return readI32(bytes, at);
}

/** The one place results are built, so every DecodedInsn has the same shape. */
function makeInsn(
  rip: number,
  length: number,
  lock: boolean,
  rep: number,
  opsize: boolean,
  addrsize: boolean,
  segment: number,
  rex: number,
  vex: 0 | 2 | 3 | 4,
  map: OpcodeMap,
  opcode: number,
  hasModrm: boolean,
  regExt: number,
  immSize: number,
  imm: number,
  immHigh: number,
  imm2: number,
  imm2Size: number,
  operandSize: number,
): DecodedInsn {
  return {
    rip,
    length,
    lock,
    rep: rep as RepPrefix,
    opsizePrefix: opsize,
    addrsizePrefix: addrsize,
    segment: segment as Segment,
    rex,
    vex,
    map,
    opcode,
    hasModrm,
    mod: mMod,
    reg: mRegField | regExt,
    regField: mRegField,
    rmReg: mRmReg,
    memBase: mBase,
    memIndex: mIndex,
    memScale: mScale,
    disp: mDisp,
    moffsHigh: mDispHigh,
    ripRelative: mRipRelative,
    immSize,
    imm,
    immHigh,
    imm2,
    imm2Size,
    operandSize,
  };
}

/**
 * Decodes the instruction at `bytes[offset]`, of which `available` bytes may be read, at address
 * `rip`. Returns the instruction, or why it cannot run: 'invalid' (#UD encoding) or 'truncated' (the
 * window ended inside it).
 */
export function decode(bytes: Uint8Array, offset: number, available: number, rip: number): DecodedInsn | DecodeFailure {
  const limit = available < MAX_INSN_LENGTH ? available : MAX_INSN_LENGTH;
  let pos = 0;
  let lock = false;
  let rep = 0;
  let opsize = false;
  let addrsize = false;
  let segment = Segment.None;
  let rex = 0;
  let b = 0;

  // Legacy prefixes in any order; a REX counts only when the opcode follows it directly.
  for (;;) {
    if (pos >= limit) return outOfBytes(rip, available);
    b = bytes[offset + pos++]!;
    if ((b & 0xf0) === 0x40) {
      rex = b;
      continue;
    }
    if (b === 0x66) opsize = true;
    else if (b === 0x67) addrsize = true;
    else if (b === 0xf0) lock = true;
    else if (b === 0xf2 || b === 0xf3) rep = b;
    else if (b === 0x64) segment = Segment.FS;
    else if (b === 0x65) segment = Segment.GS;
    else if (b !== 0x26 && b !== 0x2e && b !== 0x36 && b !== 0x3e) break;
    rex = 0;
  }

  let map = OpcodeMap.Primary;
  let opcode = b;
  if (b === 0x0f) {
    if (pos >= limit) return outOfBytes(rip, available);
    opcode = bytes[offset + pos++]!;
    map = OpcodeMap.Map0F;
    if (opcode === 0x38 || opcode === 0x3a) {
      map = opcode === 0x38 ? OpcodeMap.Map0F38 : OpcodeMap.Map0F3A;
      if (pos >= limit) return outOfBytes(rip, available);
      opcode = bytes[offset + pos++]!;
    }
  } else if (b === 0xc4 || b === 0xc5 || b === 0x62) {
    return decodeVex(bytes, offset, available, limit, rip, pos, b, lock, rep, opsize, addrsize, segment, rex);
  } else if (b === 0x8f) {
    if (pos >= limit) return outOfBytes(rip, available);
    if ((bytes[offset + pos]! & 0x1f) >= 8) {
      return decodeVex(bytes, offset, available, limit, rip, pos, b, lock, rep, opsize, addrsize, segment, rex);
    }
  }

  // The mandatory prefix selecting among SSE-style variants: the last F2/F3, else 66.
  const slot = rep === 0xf3 ? 2 : rep === 0xf2 ? 3 : opsize ? 1 : 0;
  const entry = LEGACY_TABLE[((map << 8) | opcode) * 4 + slot]!;

  resetOperands();
  const hasModrm = entry.modrm !== ModrmKind.None;
  if (hasModrm) {
    if (pos >= limit) return outOfBytes(rip, available);
    const modrm = bytes[offset + pos++]!;
    mMod = modrm >> 6;
    mRegField = (modrm >> 3) & 7;
    mRm = modrm & 7;
    if (!entry.valid) return failure(rip, 'invalid', pos);
    const registerForm = mMod === 3 || entry.modrm === ModrmKind.RegisterOnly;
    if (registerForm) {
      if ((entry.validReg[mRegField]! & (1 << mRm)) === 0) return failure(rip, 'invalid', pos);
      mMod = 3;
      mRmReg = mRm | ((rex & 1) << 3);
    } else {
      if ((entry.validMem & (1 << mRegField)) === 0) return failure(rip, 'invalid', pos);
      pos = readMemory(bytes, offset, pos, limit, rex);
      if (pos < 0) return outOfBytes(rip, available);
    }
  } else if (!entry.valid) {
    return failure(rip, 'invalid', pos);
  }

  // Immediates. REX.W beats 66; a 66 that selects the opcode is no operand-size override.
  const digit = mRegField;
  const rexW = (rex & 8) !== 0;
  const o16 = opsize && !entry.mandatory66;
  let immSize = 0;
  let imm2Size = 0;
  switch (entry.imm[digit]) {
    case ImmKind.Ib:
      immSize = 1;
      break;
    case ImmKind.Iw:
      immSize = 2;
      break;
    case ImmKind.Id:
      immSize = 4;
      break;
    case ImmKind.Iz:
      immSize = o16 && !rexW ? 2 : 4;
      break;
    case ImmKind.Iv:
      immSize = rexW ? 8 : o16 ? 2 : 4;
      break;
    case ImmKind.IbIb:
      immSize = 1;
      imm2Size = 1;
      break;
    case ImmKind.IwIb:
      immSize = 2;
      imm2Size = 1;
      break;
    case ImmKind.Moffs: {
      const size = addrsize ? 4 : 8;
      if (pos + size > limit) return outOfBytes(rip, available);
      mDisp = readI32(bytes, offset + pos);
      mDispHigh = size === 8 ? readI32(bytes, offset + pos + 4) : 0;
      pos += size;
      break;
    }
  }
  if (entry.special === Special.ThreeDNow) immSize = 1;
  if (pos + immSize + imm2Size > limit) return outOfBytes(rip, available);
  let imm = 0;
  let immHigh = 0;
  let imm2 = 0;
  if (immSize !== 0) {
    imm = readImm(bytes, offset + pos, immSize);
    if (immSize === 8) immHigh = readI32(bytes, offset + pos + 4);
    pos += immSize;
  }
  if (imm2Size !== 0) {
    imm2 = bytes[offset + pos]!; // an unsigned byte: ENTER's nesting level, EXTRQ/INSERTQ's index
    pos += imm2Size;
  }

  // Checks that need the whole instruction.
  if (lock && (!hasModrm || mMod === 3 || (entry.lockMem & (1 << digit)) === 0)) return failure(rip, 'invalid', pos);
  if (opsize && (entry.no66 & (1 << digit)) !== 0) return failure(rip, 'invalid', pos);
  switch (entry.special) {
    case Special.ThreeDNow:
      if (THREE_DNOW_SUFFIXES[imm & 0xff] === 0) return failure(rip, 'invalid', pos);
      break;
    case Special.MovCr: // with REX.R only CR8 exists
      if ((rex & 4) !== 0 && digit !== 0) return failure(rip, 'invalid', pos);
      break;
    case Special.MovDr: // DR8-DR15 do not exist
      if ((rex & 4) !== 0) return failure(rip, 'invalid', pos);
      break;
  }

  const rule = entry.size[digit];
  let operandSize = rexW ? 8 : o16 ? 2 : 4; // REX.W beats 66
  if (rule === SizeRule.Force64 || (rule === SizeRule.Default64 && !o16)) operandSize = 8;
  else if (rule === SizeRule.No64 && rexW) operandSize = 4;
  const regExt = hasModrm ? (rex & 4) << 1 : 0;
  return makeInsn(
    rip, pos, lock, rep, opsize, addrsize, segment, rex, 0, map, opcode, hasModrm, regExt,
    immSize, imm, immHigh, imm2, imm2Size, operandSize,
  );
}

/**
 * VEX (C4/C5), EVEX (62) and XOP (8F) instructions, for length and operands: `pos` is just past the
 * escape byte. Invalid when preceded by REX, 66, F2, F3 or LOCK, for reserved EVEX bits, or for an
 * opcode the map does not have; finer per-instruction rules (vector length, W, vvvv) are not checked.
 */
function decodeVex(
  bytes: Uint8Array,
  offset: number,
  available: number,
  limit: number,
  rip: number,
  pos: number,
  escape: number,
  lock: boolean,
  rep: number,
  opsize: boolean,
  addrsize: boolean,
  segment: number,
  rex: number,
): DecodedInsn | DecodeFailure {
  let invalid = rex !== 0 || rep !== 0 || opsize || lock;
  let kind: 2 | 3 | 4;
  let vmap: number;
  let ext: number; // REX-style W R X B from the (inverted) VEX fields
  let exists: Uint8Array | undefined;
  if (escape === 0xc5) {
    if (pos + 2 > limit) return outOfBytes(rip, available);
    const p = bytes[offset + pos]!;
    kind = 2;
    vmap = 1;
    ext = (~p >> 5) & 4;
    exists = VEX_OPCODES[1];
    pos += 1;
  } else if (escape === 0xc4 || escape === 0x8f) {
    if (pos + 3 > limit) return outOfBytes(rip, available);
    const p1 = bytes[offset + pos]!;
    const p2 = bytes[offset + pos + 1]!;
    kind = 3;
    vmap = p1 & 0x1f;
    ext = ((~p1 >> 5) & 7) | ((p2 >> 4) & 8);
    exists = escape === 0xc4 ? VEX_OPCODES[vmap] : XOP_OPCODES[vmap];
    pos += 2;
  } else {
    // EVEX: P0 = R X B R' 0 m m m, P1 = W v v v v 1 p p, P2 = z L L b V' a a a; then opcode, ModRM.
    if (pos + 5 > limit) return outOfBytes(rip, available);
    const p0 = bytes[offset + pos]!;
    const p1 = bytes[offset + pos + 1]!;
    const p2 = bytes[offset + pos + 2]!;
    kind = 4;
    vmap = p0 & 7;
    ext = ((~p0 >> 5) & 7) | ((p1 >> 4) & 8);
    pos += 3;
    if ((p0 & 8) !== 0 || (p1 & 4) === 0) return failure(rip, 'invalid', pos + 2);
    const z = (p2 & 0x80) !== 0;
    const aaa = p2 & 7;
    const ll = (p2 >> 5) & 3;
    const bcst = (p2 & 0x10) !== 0;
    if ((z && aaa === 0) || (ll === 3 && !bcst)) invalid = true;
    exists = EVEX_OPCODES[vmap];
  }
  if (exists === undefined) return failure(rip, 'invalid', kind === 4 ? pos + 2 : pos + 1);
  const opcode = bytes[offset + pos++]!;

  resetOperands();
  const hasModrm = !(kind !== 4 && escape !== 0x8f && vmap === 1 && opcode === 0x77); // VZEROUPPER/VZEROALL
  if (hasModrm) {
    if (pos >= limit) return outOfBytes(rip, available);
    const modrm = bytes[offset + pos++]!;
    mMod = modrm >> 6;
    mRegField = (modrm >> 3) & 7;
    mRm = modrm & 7;
    if (exists[opcode] === 0) return failure(rip, 'invalid', pos);
    if (mMod === 3) mRmReg = mRm | ((ext & 1) << 3);
    else {
      pos = readMemory(bytes, offset, pos, limit, ext);
      if (pos < 0) return outOfBytes(rip, available);
    }
  } else if (exists[opcode] === 0) {
    return failure(rip, 'invalid', pos);
  }

  let immSize = 0;
  if (escape === 0x8f) {
    if (vmap === 8) immSize = 1;
    else if (vmap === 10 && (opcode === 0x10 || opcode === 0x12)) immSize = 4;
  } else if (vmap === 3 || (vmap === 1 && VEX_MAP1_IMM8[opcode] === 1)) {
    immSize = 1;
  }
  if (pos + immSize > limit) return outOfBytes(rip, available);
  const imm = immSize === 0 ? 0 : readImm(bytes, offset + pos, immSize);
  pos += immSize;
  if (invalid) return failure(rip, 'invalid', pos);

  const map = escape !== 0x8f && vmap >= 1 && vmap <= 3 ? (vmap as OpcodeMap) : OpcodeMap.Primary;
  const operandSize = (ext & 8) !== 0 ? 8 : 4;
  const regExt = hasModrm ? (ext & 4) << 1 : 0;
  return makeInsn(
    rip, pos, lock, rep, opsize, addrsize, segment, 0, kind, map, opcode, hasModrm, regExt,
    immSize, imm, 0, 0, 0, operandSize,
  );
}
