// The eight classic ALU operations (ADD OR ADC SBB AND SUB XOR CMP, numbered as in their /digit
// encoding) as functions, for instructions whose own semantics compute with them (XADD, CMPXCHG,
// CMPS, SCAS). They are generated from the same templates as the ALU instructions themselves
// (jit/templates.ts), so the arithmetic and its flags are defined once.
import { Alu32, Alu64, aluFunction32, aluFunction64 } from '../jit/compile.js';
import type { Cpu } from '../state.js';

export const enum AluOp {
  Add = 0,
  Or = 1,
  Adc = 2,
  Sbb = 3,
  And = 4,
  Sub = 5,
  Xor = 6,
  Cmp = 7,
}

const OPS = [0, 1, 2, 3, 4, 5, 6, 7];
const BY_SIZE: Alu32[][] = [];
for (const size of [1, 2, 4]) BY_SIZE[size] = OPS.map((op) => aluFunction32(op, size));
const WIDE: Alu64[] = OPS.map((op) => aluFunction64(op));

/** Applies `op` to two values of size 1, 2 or 4, records the flags and returns the result
 *  truncated to the size. */
export function alu32(cpu: Cpu, op: number, size: number, a: number, b: number): number {
  return BY_SIZE[size][op](cpu, a, b);
}

/** Applies `op` to two 64-bit values given as halves; returns the low half, high half in cpu.hi. */
export function alu64(cpu: Cpu, op: number, aLo: number, aHi: number, bLo: number, bHi: number): number {
  return WIDE[op](cpu, aLo, aHi, bLo, bHi);
}
