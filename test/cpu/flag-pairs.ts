// Instruction pairs in one block: a flag-setting instruction followed by one that reads its
// flags. A compiled block keeps the first one's flags as expressions and evaluates the reader
// from them directly (jit/gen.ts): these forms check that path against the host CPU, for every
// condition code after every kind of flag-setting operation.
import type { Form } from './harness/generate.js';
import { int } from './integer-forms.js';

/** The flag-setting instructions: name, byte-form opcode, opcode (r/m, reg forms). */
const SETTERS: [string, number[] | null, number[], number?][] = [
  ['add', [0x00], [0x01]],
  ['or', [0x08], [0x09]],
  ['adc', [0x10], [0x11]],
  ['sbb', [0x18], [0x19]],
  ['and', [0x20], [0x21]],
  ['sub', [0x28], [0x29]],
  ['xor', [0x30], [0x31]],
  ['cmp', [0x38], [0x39]],
  ['test', [0x84], [0x85]],
  ['inc', [0xfe], [0xff], 0],
  ['dec', [0xfe], [0xff], 1],
  ['neg', [0xf6], [0xf7], 3],
];

/** The readers, appended after the setter (they use CL and EDX, whatever the setter used). */
const READERS: [string, number[]][] = [
  ...Array.from({ length: 16 }, (_, cc): [string, number[]] => [`set${cc.toString(16)} cl`, [0x0f, 0x90 + cc, 0xc1]]),
  ['adc ecx, edx', [0x11, 0xd1]],
  ['sbb rcx, rdx', [0x48, 0x19, 0xd1]],
  ['cmovb ecx, edx', [0x0f, 0x42, 0xca]],
  ['cmovle rcx, rdx', [0x48, 0x0f, 0x4e, 0xca]],
  ['inc ecx', [0xff, 0xc1]],
];

export const FLAG_PAIR_FORMS: Form[] = SETTERS.flatMap(([name, opcode8, opcode, digit]) =>
  READERS.flatMap(([reader, suffix]) =>
    int(`${name}; ${reader}`, [8, 32, 64], opcode8, opcode, { rm: 'gpr', reg: digit ?? 'gpr', suffix }),
  ),
);
