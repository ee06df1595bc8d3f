// The per-instruction register log (--trace-insns), in the layout of QEMU's `-d cpu` so the two
// can be compared line by line: `qemu-x86_64 -cpu qemu64 -singlestep -d cpu,nochain`.
import { getRflags } from './flags.js';
import type { Cpu } from './state.js';

const ROWS = [
  ['RAX', 0, 'RBX', 3, 'RCX', 1, 'RDX', 2],
  ['RSI', 6, 'RDI', 7, 'RBP', 5, 'RSP', 4],
  ['R8 ', 8, 'R9 ', 9, 'R10', 10, 'R11', 11],
  ['R12', 12, 'R13', 13, 'R14', 14, 'R15', 15],
] as const;

function hex64(cpu: Cpu, r: number): string {
  return (cpu.regs[2 * r + 1] >>> 0).toString(16).padStart(8, '0') + (cpu.regs[2 * r] >>> 0).toString(16).padStart(8, '0');
}

/** QEMU's flag letters: D O S Z A P C, '-' when clear. */
function flagLetters(rflags: number): string {
  const bits: [number, string][] = [
    [0x400, 'D'],
    [0x800, 'O'],
    [0x80, 'S'],
    [0x40, 'Z'],
    [0x10, 'A'],
    [0x4, 'P'],
    [0x1, 'C'],
  ];
  return bits.map(([bit, letter]) => (rflags & bit ? letter : '-')).join('');
}

/** The state before the instruction at cpu.rip, as five lines. */
export function formatInstructionState(cpu: Cpu): string {
  const lines = ROWS.map((row) => `${row[0]}=${hex64(cpu, row[1])} ${row[2]}=${hex64(cpu, row[3])} ${row[4]}=${hex64(cpu, row[5])} ${row[6]}=${hex64(cpu, row[7])}`);
  const rip = cpu.rip.toString(16).padStart(16, '0');
  const rflags = getRflags(cpu);
  lines.push(`RIP=${rip} RFL=${rflags.toString(16).padStart(8, '0')} [${flagLetters(rflags)}] CPL=3`);
  return lines.join('\n');
}
