import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, isDecodeFailure } from '../../src/emulator/cpu/decoder.js';
import type { DecodedInsn, DecodeFailure } from '../../src/emulator/cpu/decoded.js';
import { compareWindows, formatTally, isX86_64Elf, newTally, prng, readTextSection, sweep } from './iced-compare.js';

const RIP = 0x401000;

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));
}

function ok(s: string, rip = RIP): DecodedInsn {
  const bytes = hex(s);
  const r = decode(bytes, 0, bytes.length, rip);
  if (isDecodeFailure(r)) throw new Error(`${s}: ${r.reason} (length ${r.length})`);
  return r;
}

function bad(s: string, available?: number): DecodeFailure {
  const bytes = hex(s);
  const r = decode(bytes, 0, available ?? bytes.length, RIP);
  if (!isDecodeFailure(r)) throw new Error(`${s}: decoded (length ${r.length})`);
  return r;
}

describe('decoder: hand-picked encodings', () => {
  it('mov rax, [rip+0x10]', () => {
    const d = ok('48 8b 05 10 00 00 00');
    expect(d).toMatchObject({ length: 7, rex: 0x48, map: 0, opcode: 0x8b, hasModrm: true, mod: 0, reg: 0, rmReg: -1 });
    expect(d).toMatchObject({ ripRelative: true, memBase: -1, memIndex: -1, disp: 0x10, operandSize: 8, immSize: 0 });
  });

  it('movdqa xmm0, [rsp] (66 as mandatory prefix)', () => {
    const d = ok('66 0f 6f 04 24');
    expect(d).toMatchObject({ length: 5, map: 1, opcode: 0x6f, opsizePrefix: true, memBase: 4, memIndex: -1, disp: 0 });
    expect(d.operandSize).toBe(4); // the 66 selects MOVDQA, it is no operand-size override
  });

  it('rep stosq', () => {
    const d = ok('f3 48 ab');
    expect(d).toMatchObject({ length: 3, rep: 0xf3, rex: 0x48, opcode: 0xab, hasModrm: false, operandSize: 8 });
  });

  it('mov rax, imm64', () => {
    const d = ok('48 b8 88 77 66 55 44 33 22 11');
    expect(d).toMatchObject({ length: 10, immSize: 8, imm: 0x55667788, immHigh: 0x11223344, operandSize: 8 });
    expect(ok('b8 ff ff ff ff')).toMatchObject({ length: 5, immSize: 4, imm: -1, operandSize: 4 });
    expect(ok('66 b8 34 12')).toMatchObject({ length: 4, immSize: 2, imm: 0x1234, operandSize: 2 });
  });

  it('immediates are sign-extended from their size', () => {
    expect(ok('83 c0 ff')).toMatchObject({ immSize: 1, imm: -1 });
    expect(ok('6a 80')).toMatchObject({ immSize: 1, imm: -128, operandSize: 8 });
    expect(ok('66 05 00 80')).toMatchObject({ immSize: 2, imm: -32768, operandSize: 2 });
    expect(ok('48 05 00 00 00 80')).toMatchObject({ immSize: 4, imm: -0x80000000, operandSize: 8 }); // REX.W: iz stays 4
    expect(ok('66 48 05 00 00 00 80')).toMatchObject({ length: 7, immSize: 4, operandSize: 8 }); // REX.W beats 66
  });

  it('moffs: 64-bit address, 32-bit with 67', () => {
    const d = ok('48 a1 f0 de bc 9a 78 56 34 12');
    expect(d).toMatchObject({ length: 10, hasModrm: false, disp: 0x9abcdef0 | 0, moffsHigh: 0x12345678, memBase: -1, immSize: 0 });
    expect(ok('67 a0 44 33 22 11')).toMatchObject({ length: 6, disp: 0x11223344, moffsHigh: 0, addrsizePrefix: true });
  });

  it('VEX / EVEX / XOP are decoded for length', () => {
    expect(ok('c4 e2 79 18 07')).toMatchObject({ length: 5, vex: 3, map: 2, opcode: 0x18, memBase: 7 }); // vbroadcastss xmm0,[rdi]
    expect(ok('c5 fc 77')).toMatchObject({ length: 3, vex: 2, hasModrm: false }); // vzeroall
    expect(ok('c5 f9 6f 44 24 08')).toMatchObject({ length: 6, vex: 2, map: 1, memBase: 4, disp: 8 });
    expect(ok('c4 e3 79 0f c1 08')).toMatchObject({ length: 6, vex: 3, immSize: 1, imm: 8 }); // vpalignr
    expect(ok('62 f1 7c 48 10 07')).toMatchObject({ length: 6, vex: 4, map: 1, opcode: 0x10 }); // vmovups zmm0,[rdi]
    expect(ok('8f e9 78 c3 c0')).toMatchObject({ length: 5, vex: 3, opcode: 0xc3 }); // XOP vprotq
    expect(bad('c4 e0 79 18 07').reason).toBe('invalid'); // VEX map 0 does not exist
    expect(bad('62 f1 7c 48 00 07').reason).toBe('invalid'); // EVEX 0F 00 does not exist
  });

  it('VEX after REX or 66/F2/F3, or with LOCK, is invalid', () => {
    expect(bad('48 c5 f9 6f c1').reason).toBe('invalid');
    expect(bad('66 c5 f9 6f c1').reason).toBe('invalid');
    expect(bad('f0 c5 f9 6f c1').reason).toBe('invalid');
  });

  it('0F 01 register forms', () => {
    expect(ok('0f 01 d0')).toMatchObject({ length: 3, map: 1, opcode: 0x01, mod: 3, regField: 2, rmReg: 0 }); // xgetbv
    expect(ok('0f 01 f9')).toMatchObject({ length: 3, regField: 7, rmReg: 1 }); // rdtscp
    expect(ok('0f 01 15 00 00 00 00')).toMatchObject({ length: 7, ripRelative: true }); // lgdt [rip]
    expect(bad('0f 01 d2').reason).toBe('invalid');
    expect(bad('66 0f 01 d0').reason).toBe('invalid'); // as iced: xgetbv takes no 66
  });

  it('a 15-byte instruction decodes, a 16-byte one is invalid', () => {
    // 66 66 2e + REX.W + 81 /0 + SIB + disp32 + imm32: add qword [rax+rax*4+0x11223344], 0x12345678
    const d = ok('66 66 2e 48 81 84 80 44 33 22 11 78 56 34 12');
    expect(d).toMatchObject({ length: 15, memBase: 0, memIndex: 0, memScale: 4, disp: 0x11223344, immSize: 4, imm: 0x12345678 });
    expect(bad('66 66 66 2e 48 81 84 80 44 33 22 11 78 56 34 12')).toMatchObject({ reason: 'invalid', length: 15 });
  });

  it('prefix after REX cancels the REX', () => {
    const d = ok('48 66 89 c8'); // REX.W then 66: mov ax, cx
    expect(d).toMatchObject({ rex: 0, operandSize: 2, length: 4 });
    expect(ok('66 48 89 c8')).toMatchObject({ rex: 0x48, operandSize: 8 });
    expect(ok('41 41 8b 00')).toMatchObject({ rex: 0x41, memBase: 8 }); // repeated REX: the last counts
  });

  it('SIB forms', () => {
    expect(ok('4f 8b 04 cc')).toMatchObject({ length: 4, reg: 8, memBase: 12, memIndex: 9, memScale: 8 }); // mov r8,[r12+r9*8]
    expect(ok('8b 04 25 78 56 34 12')).toMatchObject({ length: 7, memBase: -1, memIndex: -1, disp: 0x12345678, ripRelative: false });
    expect(ok('8b 04 24')).toMatchObject({ memBase: 4, memIndex: -1 }); // [rsp]
    expect(ok('42 8b 04 24')).toMatchObject({ memBase: 4, memIndex: 12 }); // REX.X: index 100b is r12
    expect(ok('41 8b 45 f8')).toMatchObject({ memBase: 13, disp: -8 }); // [r13-8]
    expect(ok('8b 44 85 00')).toMatchObject({ memBase: 5, memIndex: 0, memScale: 4, disp: 0 }); // [rbp+rax*4+0]
    expect(ok('8b 84 85 00 01 00 00')).toMatchObject({ length: 7, disp: 256 });
  });

  it('operand sizes: default-64 and forced-64 opcodes', () => {
    expect(ok('50').operandSize).toBe(8);
    expect(ok('66 50').operandSize).toBe(2);
    expect(ok('ff 30').operandSize).toBe(8); // push [rax]
    expect(ok('ff d0').operandSize).toBe(8); // call rax
    expect(ok('66 ff d0').operandSize).toBe(8); // Intel ignores 66 on near branches
    expect(ok('66 e8 00 00 00 00')).toMatchObject({ length: 6, immSize: 4, operandSize: 8 });
    expect(ok('66 0f 84 00 00 00 00')).toMatchObject({ length: 7, operandSize: 8 });
    expect(ok('c8 10 00 01')).toMatchObject({ length: 4, immSize: 2, imm: 16, imm2Size: 1, imm2: 1, operandSize: 8 });
    expect(ok('0f 20 c0')).toMatchObject({ mod: 3, operandSize: 8 }); // mov rax, cr0
  });

  it('MOV CR/DR: ModRM mod is ignored, CR8 needs REX.R', () => {
    expect(ok('0f 20 05')).toMatchObject({ length: 3, mod: 3, rmReg: 5, memBase: -1 }); // mod 00 still a register
    expect(ok('44 0f 20 c0')).toMatchObject({ reg: 8 }); // mov rax, cr8
    expect(bad('44 0f 20 c8').reason).toBe('invalid'); // cr9
    expect(bad('0f 20 c8').reason).toBe('invalid'); // cr1
    expect(bad('44 0f 21 c0').reason).toBe('invalid'); // dr8
  });

  it('group opcodes with undefined digits', () => {
    expect(bad('fe d0').reason).toBe('invalid'); // FE /2
    expect(bad('8f 20').reason).toBe('invalid'); // 8F /4 (ModRM bits 0-4 < 8: not XOP)
    expect(bad('8f 08', 2).reason).toBe('truncated'); // 8F with bits 0-4 = 8: an XOP prefix
    expect(bad('c6 c8 00').reason).toBe('invalid'); // C6 /1
    expect(ok('c6 f8 05')).toMatchObject({ length: 3, immSize: 1 }); // xabort
    expect(ok('c7 f8 00 00 00 00')).toMatchObject({ length: 6, immSize: 4 }); // xbegin
    expect(ok('f6 c0 01')).toMatchObject({ length: 3, immSize: 1 }); // test al, 1
    expect(ok('f6 d0')).toMatchObject({ length: 2, immSize: 0 }); // not al
    expect(ok('66 f7 c0 34 12')).toMatchObject({ length: 5, immSize: 2 });
    expect(bad('ff f8').reason).toBe('invalid'); // FF /7
    expect(bad('ff d8').reason).toBe('invalid'); // FF /3 register form
    expect(bad('8d c0').reason).toBe('invalid'); // lea reg
  });

  it('opcodes invalid in 64-bit mode', () => {
    const ops = ['06', '07', '0e', '16', '17', '1e', '1f', '27', '2f', '37', '3f', '60', '61', '82', '9a', 'ce', 'd4', 'd5', 'd6', 'ea'];
    for (const op of ops) {
      expect(bad(`${op} 00 00 00 00 00 00 00`).reason, op).toBe('invalid');
    }
  });

  it('LOCK only on lockable memory forms', () => {
    expect(ok('f0 48 0f b1 0f')).toMatchObject({ lock: true, length: 5 }); // lock cmpxchg [rdi], rcx
    expect(bad('f0 01 c8').reason).toBe('invalid'); // lock add eax, ecx
    expect(bad('f0 8b 07').reason).toBe('invalid'); // lock mov
    expect(bad('f0 80 3f 00').reason).toBe('invalid'); // lock cmp
  });

  it('x87 has ModRM', () => {
    expect(ok('d9 c9')).toMatchObject({ length: 2, mod: 3 }); // fxch
    expect(ok('dd 44 24 08')).toMatchObject({ length: 4, memBase: 4, disp: 8 });
    expect(bad('d9 d1').reason).toBe('invalid');
  });

  it('segment overrides', () => {
    expect(ok('64 48 8b 04 25 28 00 00 00')).toMatchObject({ segment: 4, memBase: -1, disp: 0x28 });
    expect(ok('65 2e 8b 00').segment).toBe(5); // CS is ignored, GS stays
    expect(ok('2e 8b 00').segment).toBe(0);
  });

  it('0F 3A always has an imm8; 3DNow! imm8 selects the operation', () => {
    expect(ok('66 0f 3a 0f c1 08')).toMatchObject({ length: 6, map: 3, immSize: 1, imm: 8 });
    expect(ok('0f 0f c1 9e')).toMatchObject({ length: 4, map: 1, opcode: 0x0f, immSize: 1 }); // pfadd
    expect(bad('0f 0f c1 00').reason).toBe('invalid');
    expect(ok('66 0f 78 c0 01 02')).toMatchObject({ length: 6, imm: 1, imm2: 2, imm2Size: 1 }); // extrq
  });

  it('truncated vs invalid', () => {
    expect(bad('48 8b 05 10 00', 5)).toMatchObject({ reason: 'truncated', length: 5 });
    expect(bad('0f', 1)).toMatchObject({ reason: 'truncated', length: 1 });
    expect(bad('66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90')).toMatchObject({ reason: 'invalid', length: 15 });
    const long = hex('66 66 66 66 66 66 66 66 66 66 66 66 66 66 90');
    expect(decode(long, 0, long.length, RIP)).toMatchObject({ length: 15 });
    expect(bad('06', 1).reason).toBe('truncated'); // iced reads a ModRM byte for an invalid opcode
  });

  it('decodes at an offset inside a larger buffer', () => {
    const buf = hex('90 90 90 48 8b 05 10 00 00 00 cc');
    const d = decode(buf, 3, buf.length - 3, 0x1003);
    expect(isDecodeFailure(d)).toBe(false);
    expect(d).toMatchObject({ rip: 0x1003, length: 7 });
  });

  it('every result has the same shape', () => {
    const keys = Object.keys(ok('90'));
    for (const s of ['48 8b 05 10 00 00 00', 'c4 e2 79 18 07', 'c8 10 00 01', '48 a1 f0 de bc 9a 78 56 34 12']) {
      expect(Object.keys(ok(s))).toEqual(keys);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// iced-x86 as the oracle.

/** Packs one 15-byte window per case into a buffer with a 16-byte stride. */
function packWindows(cases: number[][], tail: readonly number[]): Uint8Array {
  const buf = new Uint8Array(cases.length * 16);
  cases.forEach((c, i) => {
    const o = i * 16;
    buf.set(c, o);
    for (let j = c.length; j < 15; j++) buf[o + j] = tail[j - c.length]!;
  });
  return buf;
}

const ESCAPES = [[], [0x0f], [0x0f, 0x38], [0x0f, 0x3a]];
const PREFIX_SETS = [[], [0x66], [0xf3], [0xf2], [0x66, 0xf2], [0xf3, 0x66]];
const SKIP_PRIMARY = new Set([0x0f, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);
// Bytes after ModRM: a SIB with no index/base (disp32 follows), then distinct values; and one with a
// zero SIB and a valid 3DNow! suffix at the end of a short memory operand.
const TAILS = [
  [0x25, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc],
  [0x00, 0x9e, 0x00, 0x80, 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08],
];
const ALL_MODRM = Array.from({ length: 256 }, (_, i) => i);
// Every register form, and memory forms for every digit with rm = 0 (no SIB), 4 (SIB), 5 (RIP/disp32).
const SOME_MODRM = ALL_MODRM.filter((m) => m >= 0xc0 || [0, 4, 5].includes(m & 7));
// DECODER_EXHAUSTIVE=1: every combination (about 4x slower).
const FULL = process.env.DECODER_EXHAUSTIVE === '1';

/** Byte windows for one opcode: LOCK × prefixes × REX × ModRM, each followed by a tail. */
function opcodeCases(map: number, op: number): { cases: number[][]; tail: number[] }[] {
  const escape = ESCAPES[map]!;
  const out: { cases: number[][]; tail: number[] }[] = [];
  const gen = (locks: number[][], pfxs: number[][], rexes: number[][], modrms: number[]) => {
    const cases: number[][] = [];
    for (const lock of locks) {
      for (const pfx of pfxs) for (const rex of rexes) for (const m of modrms) cases.push([...lock, ...pfx, ...rex, ...escape, op, m]);
    }
    return cases;
  };
  if (FULL) {
    const cases = gen([[], [0xf0]], PREFIX_SETS, [[], [0x48], [0x45], [0x42]], ALL_MODRM);
    for (const tail of TAILS) out.push({ cases, tail });
  } else {
    out.push({ cases: gen([[], [0xf0]], PREFIX_SETS, [[], [0x48], [0x45]], SOME_MODRM), tail: TAILS[0]! });
    out.push({ cases: gen([[]], [[], [0x66]], [[0x42]], ALL_MODRM), tail: TAILS[1]! });
  }
  return out;
}

describe('decoder vs iced-x86', () => {
  it('every opcode × mandatory prefix × REX × LOCK × ModRM agrees (validity, length, operands)', () => {
    const reports: string[] = [];
    let failed = false;
    for (let map = 0; map < 4; map++) {
      const t = newTally();
      for (let op = 0; op < 256; op++) {
        if (map === 0 && (SKIP_PRIMARY.has(op) || (op & 0xf0) === 0x40)) continue;
        for (const { cases, tail } of opcodeCases(map, op)) {
          compareWindows(t, packWindows(cases, tail), 16, 15, `map${map} ${op.toString(16)}`, true);
        }
      }
      reports.push(formatTally(`exhaustive map ${map}`, t));
      failed ||= t.mismatchCount > 0;
    }
    console.log(reports.join('\n'));
    expect(failed, reports.join('\n')).toBe(false);
  }, 120_000);

  // Linear sweep of real code: padding and data in .text exercise invalid encodings too.
  const guestDir = join(import.meta.dirname, '..', 'guests', 'bin');
  const guests = existsSync(guestDir) ? readdirSync(guestDir).sort().map((f) => join(guestDir, f)) : [];
  for (const path of [...guests, '/bin/busybox']) {
    const name = path.startsWith(guestDir) ? `guests/bin/${path.slice(guestDir.length + 1)}` : path;
    const present = existsSync(path);
    const usable = present && isX86_64Elf(path);
    const why = !present ? `${path} not installed` : 'not an x86-64 ELF';
    it.skipIf(!usable)(usable ? `.text of ${name} agrees` : `.text of ${name} agrees (skipped: ${why})`, () => {
      const text = readTextSection(path);
      expect(text, `${path} has no .text`).not.toBeNull();
      const t = newTally();
      sweep(t, text!.bytes, text!.address, name);
      console.log(formatTally(`sweep ${name}`, t));
      expect(t.compared).toBeGreaterThan(0);
      expect(t.mismatchCount, formatTally(name, t)).toBe(0);
    }, 60_000);
  }

  it('random byte windows agree (seeded, prefix-biased)', () => {
    // DECODER_FUZZ_SEED / DECODER_FUZZ_COUNT explore further; the defaults keep the suite fast.
    const random = prng(Number(process.env.DECODER_FUZZ_SEED ?? 0x5eed));
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const PREFIXES = [0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65];
    const ESCAPE_BYTES = [[0x0f], [0x0f], [0x0f, 0x38], [0x0f, 0x3a], [0xc4], [0xc5], [0x62], [0x8f], [0x0f, 0x0f]];
    const window = (): number[] => {
      const bytes: number[] = [];
      const nPrefixes = random() < 0.5 ? 0 : Math.floor(random() * 5);
      for (let i = 0; i < nPrefixes; i++) bytes.push(random() < 0.2 ? 0x40 + Math.floor(random() * 16) : pick(PREFIXES));
      if (random() < 0.4) bytes.push(0x40 + Math.floor(random() * 16));
      if (random() < 0.5) bytes.push(...pick(ESCAPE_BYTES));
      while (bytes.length < 15) bytes.push(Math.floor(random() * 256));
      return bytes.slice(0, 15);
    };
    // Group reports by opcode: the bytes up to the first one that is neither a prefix nor an escape.
    const labelOf = (w: Uint8Array): string => {
      let i = 0;
      while (i < w.length - 1 && (PREFIXES.includes(w[i]!) || (w[i]! & 0xf0) === 0x40)) i++;
      let end = i + 1;
      if (w[i] === 0x0f) end = w[i + 1] === 0x38 || w[i + 1] === 0x3a ? i + 3 : i + 2;
      return `fuzz ${Array.from(w.subarray(i, end), (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
    };
    const t = newTally();
    const COUNT = Number(process.env.DECODER_FUZZ_COUNT ?? 200_000);
    const cases = Array.from({ length: COUNT }, window);
    compareWindows(t, packWindows(cases, []), 16, 15, labelOf, true);
    // Short windows: the end of executable memory (truncated vs invalid).
    const short = newTally();
    for (let n = 1; n < 15; n++) {
      const shortCases = Array.from({ length: 1_500 }, window);
      compareWindows(short, packWindows(shortCases, []), 16, n, labelOf, false);
    }
    const report = `${formatTally('fuzz, 15-byte windows', t)}\n${formatTally('fuzz, 1..14-byte windows', short)}`;
    console.log(report);
    expect(t.mismatchCount + short.mismatchCount, report).toBe(0);
    expect(t.valid).toBeGreaterThan(COUNT / 4);
    expect(short.truncated).toBeGreaterThan(1000);
  }, 120_000);
});
