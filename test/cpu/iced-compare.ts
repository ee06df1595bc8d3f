// Differential testing of the decoder against iced-x86 (Decoder, bitness 64, default options).
// Used by decoder.test.ts: linear sweeps over code, exhaustive opcode/prefix/ModRM sweeps, fuzzing.

import { readFileSync } from 'node:fs';
import {
  Code,
  CodeExt,
  Decoder,
  DecoderError,
  DecoderOptions,
  EncodingKind,
  Instruction,
  OpKind,
  Register,
} from 'iced-x86';
import { decode, isDecodeFailure } from '../../src/emulator/cpu/decoder.js';
import type { DecodedInsn } from '../../src/emulator/cpu/decoded.js';

export interface Tally {
  compared: number;
  valid: number;
  invalid: number;
  truncated: number;
  /** Bytes iced rejects (finer VEX/EVEX/XOP rules) that we decode for length as a vex instruction. */
  vexLenient: number;
  /** Invalid in both, but the lengths differ (how far each decoder read; informational). */
  invalidLengthDiffers: number;
  /** Short windows over bytes that are invalid anyway: one says truncated, the other invalid. */
  reasonDiffers: number;
  mismatches: string[];
  mismatchCount: number;
  perLabel: Map<string, number>;
}

export function newTally(): Tally {
  return {
    compared: 0,
    valid: 0,
    invalid: 0,
    truncated: 0,
    vexLenient: 0,
    invalidLengthDiffers: 0,
    reasonDiffers: 0,
    mismatches: [],
    mismatchCount: 0,
    perLabel: new Map(),
  };
}

const MAX_REPORTED = 40;

function hexBytes(bytes: Uint8Array, offset: number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n && offset + i < bytes.length; i++) out.push(bytes[offset + i]!.toString(16).padStart(2, '0'));
  return out.join(' ');
}

function addMismatch(t: Tally, label: string, text: string): void {
  t.mismatchCount++;
  // At most two reports per label (an opcode, a binary...) so that one bad row does not hide the rest.
  const perLabel = (t.perLabel.get(label) ?? 0) + 1;
  t.perLabel.set(label, perLabel);
  if (perLabel <= 2 && t.mismatches.length < MAX_REPORTED) t.mismatches.push(text);
}

// iced register → our 0..15 numbering (64- and 32-bit GPRs as used in addresses).
const GPR_NUMBER = new Map<number, number>();
for (let i = 0; i < 16; i++) {
  GPR_NUMBER.set(Register.RAX + i, i);
  GPR_NUMBER.set(Register.EAX + i, i);
}
function gpr(reg: Register): number {
  if (reg === Register.None) return -1;
  const n = GPR_NUMBER.get(reg);
  return n === undefined ? -100 - reg : n;
}

const operandSizeCache = new Map<Code, number>();
/** iced's operand size of an instruction form in bits, 0 when it does not have one. */
function icedOperandSize(code: Code): number {
  let size = operandSizeCache.get(code);
  if (size === undefined) {
    const info = CodeExt.opCode(code);
    size = info.operandSize;
    info.free();
    operandSizeCache.set(code, size);
  }
  return size;
}

const IMMEDIATE_KINDS = new Set<OpKind>([
  OpKind.Immediate8,
  OpKind.Immediate16,
  OpKind.Immediate32,
  OpKind.Immediate64,
  OpKind.Immediate8to16,
  OpKind.Immediate8to32,
  OpKind.Immediate8to64,
  OpKind.Immediate32to64,
]);
const BRANCH_KINDS = new Set<OpKind>([OpKind.NearBranch16, OpKind.NearBranch32, OpKind.NearBranch64]);

const MASK64 = (1n << 64n) - 1n;

function ourImmediate(d: DecodedInsn): bigint {
  if (d.immSize === 8) return (BigInt(d.immHigh >>> 0) << 32n) | BigInt(d.imm >>> 0);
  return BigInt(d.imm);
}

/** Compares operands of a valid legacy instruction; returns a description of the first difference. */
function compareOperands(d: DecodedInsn, ins: Instruction, ip: bigint): string | null {
  // Memory operand.
  let memOp = -1;
  for (let i = 0; i < ins.opCount; i++) if (ins.opKind(i) === OpKind.Memory) memOp = i;
  const isMoffs = !d.hasModrm && d.map === 0 && d.opcode >= 0xa0 && d.opcode <= 0xa3;
  if (memOp >= 0 && (d.hasModrm || isMoffs)) {
    if (d.mod === 3 && !isMoffs) return `iced has a memory operand, we have mod=3`;
    if (isMoffs) {
      const addr = (BigInt(d.moffsHigh >>> 0) << 32n) | BigInt(d.disp >>> 0);
      if (addr !== ins.memoryDisplacementU64) return `moffs ${addr.toString(16)} vs iced ${ins.memoryDisplacementU64.toString(16)}`;
    } else if (ins.isIpRelMemoryOperand) {
      if (!d.ripRelative || d.memBase !== -1 || d.memIndex !== -1) {
        return `iced RIP-relative, we base=${d.memBase} idx=${d.memIndex} rip=${d.ripRelative}`;
      }
      let target = (ip + BigInt(d.length) + BigInt(d.disp)) & MASK64;
      if (d.addrsizePrefix) target &= 0xffffffffn;
      if (target !== ins.ipRelMemoryAddress) return `RIP target ${target.toString(16)} vs iced ${ins.ipRelMemoryAddress.toString(16)}`;
    } else {
      if (d.ripRelative) return `we RIP-relative, iced not`;
      const base = gpr(ins.memoryBase);
      const index = gpr(ins.memoryIndex);
      if (base !== d.memBase) return `base ${d.memBase} vs iced ${base}`;
      if (index !== d.memIndex) return `index ${d.memIndex} vs iced ${index}`;
      if (index >= 0 && ins.memoryIndexScale !== d.memScale) return `scale ${d.memScale} vs iced ${ins.memoryIndexScale}`;
      const mask = d.addrsizePrefix ? 0xffffffffn : MASK64;
      if ((BigInt(d.disp) & mask) !== (ins.memoryDisplacement & mask)) {
        return `disp ${d.disp} vs iced ${ins.memoryDisplacement}`;
      }
    }
  } else if (memOp < 0 && d.hasModrm && d.mod !== 3) {
    return `we have a memory operand, iced does not`;
  }

  // Immediates and branch targets.
  let sawImm = false;
  for (let i = 0; i < ins.opCount; i++) {
    const kind = ins.opKind(i);
    if (IMMEDIATE_KINDS.has(kind)) {
      if (d.immSize === 0) continue; // implicit operands such as the 1 of SHL r/m, 1
      sawImm = true;
      const bits = BigInt(d.immSize * 8);
      const theirs = BigInt.asUintN(Number(bits), ins.immediate(i));
      const ours = BigInt.asUintN(Number(bits), ourImmediate(d));
      if (theirs !== ours) return `imm ${ours.toString(16)} vs iced ${theirs.toString(16)}`;
    } else if (kind === OpKind.Immediate8_2nd) {
      if (d.imm2Size !== 1 || (d.imm2 & 0xff) !== ins.immediate8_2nd) return `imm2 ${d.imm2} vs iced ${ins.immediate8_2nd}`;
    } else if (BRANCH_KINDS.has(kind)) {
      sawImm = true;
      const target = (ip + BigInt(d.length) + BigInt(d.imm)) & MASK64;
      if (target !== ins.nearBranchTarget) return `branch ${target.toString(16)} vs iced ${ins.nearBranchTarget.toString(16)}`;
    }
  }
  const threeDNow = d.map === 1 && d.opcode === 0x0f;
  if (d.immSize > 0 && !sawImm && !threeDNow) return `we read an immediate of ${d.immSize}, iced has none`;

  // Operand size, where iced's instruction form has one.
  const size = icedOperandSize(ins.code);
  if (size !== 0 && size !== d.operandSize * 8) return `operandSize ${d.operandSize * 8} vs iced ${size}`;
  return null;
}

/**
 * Decodes at `offset` with ours and compares with iced's `ins` (decoded from the same bytes, at `ip`,
 * with `lastError`). Updates the tally. Returns iced's length (to advance a sweep).
 */
export function compareAt(
  t: Tally,
  bytes: Uint8Array,
  offset: number,
  available: number,
  ip: bigint,
  ins: Instruction,
  lastError: DecoderError,
  label: string,
  checkOperands: boolean,
  fullWindowValid?: boolean,
): void {
  t.compared++;
  const ours = decode(bytes, offset, available, Number(ip));
  const where = () => `${label}+${offset.toString(16)} [${hexBytes(bytes, offset, Math.min(available, 15))}]`;
  const icedInvalid = ins.code === Code.INVALID;
  if (icedInvalid) {
    const icedReason = lastError === DecoderError.NoMoreBytes ? 'truncated' : 'invalid';
    if (icedReason === 'truncated') t.truncated++;
    else t.invalid++;
    if (isDecodeFailure(ours)) {
      if (ours.reason !== icedReason) {
        // In a short window, bytes that are no valid instruction even with 15 bytes at hand may be
        // reported either way, depending on how far each decoder reads before it gives up.
        if (fullWindowValid === false) t.reasonDiffers++;
        else addMismatch(t, label, `${where()}: ours ${ours.reason}, iced ${icedReason}`);
      } else if (ours.length !== ins.length) {
        t.invalidLengthDiffers++;
        if (process.env.DECODER_DEBUG) console.log(`invalid length: ${where()} ours ${ours.length} iced ${ins.length}`);
      }
    } else if (ours.vex !== 0 && icedReason === 'invalid') {
      t.vexLenient++;
    } else {
      addMismatch(t, label, `${where()}: ours valid (len ${ours.length}), iced ${icedReason}`);
    }
    return;
  }
  t.valid++;
  if (isDecodeFailure(ours)) {
    addMismatch(t, label, `${where()}: ours ${ours.reason}, iced valid ${ins.toString()} (len ${ins.length})`);
    return;
  }
  if (ours.length !== ins.length) {
    addMismatch(t, label, `${where()}: length ${ours.length} vs iced ${ins.length} (${ins.toString()})`);
    return;
  }
  const icedVex = ins.encoding === EncodingKind.VEX || ins.encoding === EncodingKind.EVEX || ins.encoding === EncodingKind.XOP;
  if (icedVex !== (ours.vex !== 0)) {
    addMismatch(t, label, `${where()}: vex=${ours.vex} but iced encoding ${EncodingKind[ins.encoding]} (${ins.toString()})`);
    return;
  }
  if (checkOperands && !icedVex) {
    const diff = compareOperands(ours, ins, ip);
    if (diff !== null) addMismatch(t, label, `${where()}: ${diff} (${ins.toString()})`);
  }
}

/** Linear sweep: decodes `bytes` from the start with one iced Decoder, advancing by iced's length. */
export function sweep(t: Tally, bytes: Uint8Array, baseAddress: bigint, label: string): void {
  const decoder = new Decoder(64, bytes, DecoderOptions.None);
  const ins = new Instruction();
  try {
    decoder.ip = baseAddress;
    let offset = 0;
    while (offset < bytes.length) {
      const ip = baseAddress + BigInt(offset);
      decoder.decodeOut(ins);
      compareAt(t, bytes, offset, bytes.length - offset, ip, ins, decoder.lastError, label, true);
      offset += ins.length === 0 ? 1 : ins.length;
      if (decoder.position !== offset) {
        decoder.position = offset;
        decoder.ip = baseAddress + BigInt(offset);
      }
    }
  } finally {
    ins.free();
    decoder.free();
  }
}

/**
 * Compares many windows packed into one buffer, `stride` bytes apart: the first `window` bytes of each
 * are available to both decoders. `labelOf` names a window's group in reports.
 */
export function compareWindows(
  t: Tally,
  buf: Uint8Array,
  stride: number,
  window: number,
  labelOf: string | ((bytes: Uint8Array) => string),
  checkOperands: boolean,
): void {
  const decoder = new Decoder(64, buf, DecoderOptions.None);
  const ins = new Instruction();
  try {
    const count = Math.floor(buf.length / stride);
    const ip = 0x401000n;
    for (let i = 0; i < count; i++) {
      const offset = i * stride;
      const label = typeof labelOf === 'string' ? labelOf : labelOf(buf.subarray(offset, offset + window));
      decoder.position = offset;
      decoder.ip = ip;
      decoder.decodeOut(ins);
      if (window >= 15) {
        compareAt(t, buf, offset, window, ip, ins, decoder.lastError, label, checkOperands);
        continue;
      }
      // iced reads up to 15 bytes, so a shorter window must be the end of the buffer it decodes.
      const fullWindowValid = ins.code !== Code.INVALID;
      const sub = buf.subarray(offset, offset + window);
      const d = new Decoder(64, sub, DecoderOptions.None);
      d.ip = ip;
      d.decodeOut(ins);
      compareAt(t, sub, 0, window, ip, ins, d.lastError, label, checkOperands, fullWindowValid);
      d.free();
    }
  } finally {
    ins.free();
    decoder.free();
  }
}

/** Whether the file is a 64-bit little-endian x86-64 ELF (other guests, e.g. i386 ones, are skipped). */
export function isX86_64Elf(path: string): boolean {
  const head = readFileSync(path).subarray(0, 20);
  return head.length === 20 && head.readUInt32BE(0) === 0x7f454c46 && head[4] === 2 && head[5] === 1 && head.readUInt16LE(18) === 0x3e;
}

/** The .text section of a 64-bit little-endian ELF file, or null when there is none. */
export function readTextSection(path: string): { bytes: Uint8Array; address: bigint } | null {
  const file = readFileSync(path);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.length < 64 || view.getUint32(0) !== 0x7f454c46 || file[4] !== 2 || file[5] !== 1) return null;
  const shoff = Number(view.getBigUint64(0x28, true));
  const shentsize = view.getUint16(0x3a, true);
  const shnum = view.getUint16(0x3c, true);
  const shstrndx = view.getUint16(0x3e, true);
  const section = (i: number) => {
    const o = shoff + i * shentsize;
    return {
      name: view.getUint32(o, true),
      addr: view.getBigUint64(o + 0x10, true),
      offset: Number(view.getBigUint64(o + 0x18, true)),
      size: Number(view.getBigUint64(o + 0x20, true)),
    };
  };
  const strtab = section(shstrndx);
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    let end = strtab.offset + s.name;
    while (file[end] !== 0) end++;
    const name = file.subarray(strtab.offset + s.name, end).toString('latin1');
    if (name === '.text') return { bytes: new Uint8Array(file.buffer, file.byteOffset + s.offset, s.size), address: s.addr };
  }
  return null;
}

/** Small seeded PRNG (mulberry32) so fuzz failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function formatTally(label: string, t: Tally): string {
  const head = `${label}: ${t.compared} compared (${t.valid} valid, ${t.invalid} invalid, ${t.truncated} truncated), ` +
    `${t.mismatchCount} mismatches, ${t.vexLenient} vex-lenient, ${t.invalidLengthDiffers} invalid-length differences` +
    (t.reasonDiffers ? `, ${t.reasonDiffers} truncated/invalid differences on invalid bytes` : '');
  return t.mismatches.length === 0 ? head : `${head}\n  ${t.mismatches.join('\n  ')}`;
}
