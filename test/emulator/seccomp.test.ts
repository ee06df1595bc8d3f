// The classic-BPF side of seccomp: which programs Linux rejects (EINVAL), how they run over
// seccomp_data, and how the verdicts of stacked filters combine.
import { describe, expect, it } from 'vitest';
import {
  AUDIT_ARCH_X86_64,
  BpfInstruction,
  runProgram,
  Seccomp,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  SECCOMP_RET_LOG,
  SECCOMP_RET_TRAP,
  validateProgram,
} from '../../src/emulator/kernel/seccomp.js';

const stmt = (code: number, k: number): BpfInstruction => ({ code, jt: 0, jf: 0, k });
const jump = (code: number, k: number, jt: number, jf: number): BpfInstruction => ({ code, jt, jf, k });
const LD_ABS = 0x20; // BPF_LD | BPF_W | BPF_ABS
const JEQ = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const JSET = 0x45; // BPF_JMP | BPF_JSET | BPF_K
const RET = 0x06; // BPF_RET | BPF_K
const RET_A = 0x16;
const ALU_AND = 0x54; // BPF_ALU | BPF_AND | BPF_K
const ALU_DIV = 0x34;

function data(nr: number, args: number[] = []): { nr: number; instructionPointer: number; args: Int32Array } {
  const a = new Int32Array(12);
  args.forEach((v, k) => (a[2 * k] = v));
  return { nr, instructionPointer: 0x401000, args: a };
}

describe('BPF program validation', () => {
  it.each([
    ['empty', []],
    ['no return at the end', [stmt(LD_ABS, 0)]],
    ['a jump past the end', [jump(JEQ, 1, 5, 0), stmt(RET, SECCOMP_RET_ALLOW)]],
    ['a load beyond seccomp_data', [stmt(LD_ABS, 64), stmt(RET, 0)]],
    ['an unaligned load', [stmt(LD_ABS, 2), stmt(RET, 0)]],
    ['a constant division by zero', [stmt(ALU_DIV, 0), stmt(RET, 0)]],
    ['an unknown opcode', [stmt(0xff, 0), stmt(RET, 0)]],
  ] as [string, BpfInstruction[]][])('rejects %s', (_name, program) => {
    expect(validateProgram(program)).not.toBeNull();
  });

  it('accepts a syscall allow-list', () => {
    const program = [stmt(LD_ABS, 4), jump(JEQ, AUDIT_ARCH_X86_64, 1, 0), stmt(RET, SECCOMP_RET_KILL_PROCESS), stmt(LD_ABS, 0), jump(JEQ, 1, 0, 1), stmt(RET, SECCOMP_RET_ALLOW), stmt(RET, SECCOMP_RET_ERRNO | 1)];
    expect(validateProgram(program)).toBeNull();
    expect(runProgram(program, data(1))).toBe(SECCOMP_RET_ALLOW);
    expect(runProgram(program, data(39))).toBe((SECCOMP_RET_ERRNO | 1) >>> 0);
  });

  it('reads arguments, tests bits and returns the accumulator', () => {
    // Return (args[0] & 0xff) | ERRNO when bit 3 of args[1] is set, else allow.
    const ALU_OR = 0x44;
    const program = [
      stmt(LD_ABS, 24), // args[1], low half
      jump(JSET, 8, 0, 4), // bit 3 clear: to the final allow
      stmt(LD_ABS, 16), // args[0], low half
      stmt(ALU_AND, 0xff),
      stmt(ALU_OR, SECCOMP_RET_ERRNO),
      stmt(RET_A, 0),
      stmt(RET, SECCOMP_RET_ALLOW),
    ];
    expect(validateProgram(program)).toBeNull();
    expect(runProgram(program, data(0, [0x1234, 8]))).toBe((SECCOMP_RET_ERRNO | 0x34) >>> 0);
    expect(runProgram(program, data(0, [0x1234, 1]))).toBe(SECCOMP_RET_ALLOW);
  });
});

describe('stacked filters', () => {
  it('the most restrictive verdict wins, whatever the order', () => {
    const s = new Seccomp();
    s.filters.push([stmt(RET, SECCOMP_RET_LOG)]);
    s.filters.push([stmt(RET, SECCOMP_RET_TRAP | 7)]);
    s.filters.push([stmt(RET, SECCOMP_RET_ERRNO | 5)]);
    expect(s.judge(data(0))).toEqual({ action: SECCOMP_RET_TRAP, data: 7 });
    s.filters.push([stmt(RET, 0x12345678)]); // an unknown action: KILL_PROCESS
    expect(s.judge(data(0)).action).toBe(SECCOMP_RET_KILL_PROCESS);
  });
});
