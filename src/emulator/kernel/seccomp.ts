// seccomp: strict mode, and filter mode with a classic-BPF interpreter over seccomp_data, with
// Linux's rules for validating programs and for combining the verdicts of stacked filters.
export const SECCOMP_SET_MODE_STRICT = 0;
export const SECCOMP_SET_MODE_FILTER = 1;
export const SECCOMP_GET_ACTION_AVAIL = 2;
export const SECCOMP_GET_NOTIF_SIZES = 3;

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_KILL_THREAD = 0x00000000;
export const SECCOMP_RET_TRAP = 0x00030000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_USER_NOTIF = 0x7fc00000;
export const SECCOMP_RET_TRACE = 0x7ff00000;
export const SECCOMP_RET_LOG = 0x7ffc0000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_ACTION_FULL = 0xffff0000;
const SECCOMP_RET_DATA = 0x0000ffff;

export const AUDIT_ARCH_X86_64 = 0xc000003e;
/** The arch of an i386 call (INT 0x80). */
export const AUDIT_ARCH_I386 = 0x40000003;
/** sizeof(struct seccomp_data): nr, arch, instruction_pointer, args[6]. */
const SECCOMP_DATA_SIZE = 64;
const BPF_MAXINSNS = 4096;
const BPF_MEMWORDS = 16;

/** Syscalls strict mode allows: read, write, exit, rt_sigreturn. */
const STRICT_ALLOWED = new Set([0, 1, 60, 15]);

// Classic BPF opcode fields.
const BPF_CLASS = 0x07;
const BPF_LD = 0x00;
const BPF_LDX = 0x01;
const BPF_ST = 0x02;
const BPF_STX = 0x03;
const BPF_ALU = 0x04;
const BPF_JMP = 0x05;
const BPF_RET = 0x06;
const BPF_MISC = 0x07;
const BPF_SIZE = 0x18;
const BPF_W = 0x00;
const BPF_MODE = 0xe0;
const BPF_IMM = 0x00;
const BPF_ABS = 0x20;
const BPF_MEM = 0x60;
const BPF_LEN = 0x80;
const BPF_OP = 0xf0;
const BPF_SRC = 0x08;
const BPF_X = 0x08;
const BPF_A = 0x10;

/** One classic BPF instruction (struct sock_filter). */
export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** The syscall a filter judges (struct seccomp_data), as 32-bit words in memory order. */
export interface SeccompData {
  nr: number;
  /** RIP of the syscall instruction's successor, as the kernel reports it. */
  instructionPointer: number;
  /** The six argument registers as 32-bit halves [lo0, hi0, ...]. */
  args: Int32Array;
  /** AUDIT_ARCH_* of the call's ABI; x86-64 when absent. */
  arch?: number;
}

/** Decodes a `struct sock_filter[count]` (8 bytes each). */
export function decodeProgram(bytes: Uint8Array): BpfInstruction[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const program: BpfInstruction[] = [];
  for (let at = 0; at + 8 <= bytes.length; at += 8)
    program.push({ code: view.getUint16(at, true), jt: view.getUint8(at + 2), jf: view.getUint8(at + 3), k: view.getUint32(at + 4, true) });
  return program;
}

/** Linux's seccomp_check_filter + bpf_check_classic: null when the program is acceptable. */
export function validateProgram(program: BpfInstruction[]): string | null {
  if (program.length === 0 || program.length > BPF_MAXINSNS) return 'length';
  for (let pc = 0; pc < program.length; pc++) {
    const { code, jt, jf, k } = program[pc];
    switch (code & BPF_CLASS) {
      case BPF_LD:
        if (code === (BPF_LD | BPF_W | BPF_ABS)) {
          // Only aligned 32-bit loads inside seccomp_data.
          if (k >= SECCOMP_DATA_SIZE || k & 3) return 'load';
        } else if (code === (BPF_LD | BPF_W | BPF_LEN) || code === (BPF_LD | BPF_IMM) || code === (BPF_LD | BPF_MEM)) {
          if ((code & BPF_MODE) === BPF_MEM && k >= BPF_MEMWORDS) return 'memory';
        } else return 'opcode';
        break;
      case BPF_LDX:
        if (code === (BPF_LDX | BPF_W | BPF_LEN) || code === (BPF_LDX | BPF_IMM)) break;
        if (code === (BPF_LDX | BPF_MEM)) {
          if (k >= BPF_MEMWORDS) return 'memory';
          break;
        }
        return 'opcode';
      case BPF_ST:
      case BPF_STX:
        if (code !== (code & BPF_CLASS) || k >= BPF_MEMWORDS) return 'store';
        break;
      case BPF_ALU: {
        const op = code & BPF_OP;
        if (![0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0].includes(op)) return 'opcode';
        if ((op === 0x30 || op === 0x90) && (code & BPF_SRC) !== BPF_X && k === 0) return 'division by zero';
        if ((op === 0x60 || op === 0x70) && (code & BPF_SRC) !== BPF_X && k >= 32) return 'shift';
        break;
      }
      case BPF_JMP: {
        const op = code & BPF_OP;
        if (op === 0x00) {
          if (code !== BPF_JMP || k >= program.length - pc - 1) return 'jump';
        } else if ([0x10, 0x20, 0x30, 0x40].includes(op)) {
          if (pc + 1 + jt >= program.length || pc + 1 + jf >= program.length) return 'jump';
        } else return 'opcode';
        break;
      }
      case BPF_RET:
        if (code !== (BPF_RET | 0x00) && code !== (BPF_RET | BPF_A)) return 'opcode';
        break;
      case BPF_MISC:
        if (code !== (BPF_MISC | 0x00) && code !== (BPF_MISC | 0x80)) return 'opcode';
        break;
    }
  }
  const last = program[program.length - 1].code;
  if ((last & BPF_CLASS) !== BPF_RET) return 'no return';
  return null;
}

/** The 32-bit word of seccomp_data at a byte offset. */
function dataWord(data: SeccompData, offset: number): number {
  if (offset === 0) return data.nr >>> 0;
  if (offset === 4) return data.arch ?? AUDIT_ARCH_X86_64;
  if (offset === 8) return data.instructionPointer % 4294967296 >>> 0;
  if (offset === 12) return Math.floor(data.instructionPointer / 4294967296) >>> 0;
  return data.args[(offset - 16) >> 2] >>> 0;
}

/** Runs a validated program; returns its 32-bit verdict. */
export function runProgram(program: BpfInstruction[], data: SeccompData): number {
  let a = 0;
  let x = 0;
  const mem = new Uint32Array(BPF_MEMWORDS);
  for (let pc = 0; pc < program.length; pc++) {
    const { code, jt, jf, k } = program[pc];
    switch (code & BPF_CLASS) {
      case BPF_LD:
        if ((code & BPF_MODE) === BPF_ABS) a = dataWord(data, k);
        else if ((code & BPF_MODE) === BPF_LEN) a = SECCOMP_DATA_SIZE;
        else if ((code & BPF_MODE) === BPF_MEM) a = mem[k];
        else a = k >>> 0;
        break;
      case BPF_LDX:
        x = (code & BPF_MODE) === BPF_LEN ? SECCOMP_DATA_SIZE : (code & BPF_MODE) === BPF_MEM ? mem[k] : k >>> 0;
        break;
      case BPF_ST:
        mem[k] = a;
        break;
      case BPF_STX:
        mem[k] = x;
        break;
      case BPF_ALU:
        a = alu(code & BPF_OP, a, (code & BPF_SRC) === BPF_X ? x : k >>> 0);
        break;
      case BPF_JMP: {
        const operand = (code & BPF_SRC) === BPF_X ? x : k >>> 0;
        switch (code & BPF_OP) {
          case 0x00:
            pc += k;
            break;
          case 0x10:
            pc += a === operand ? jt : jf;
            break;
          case 0x20:
            pc += a > operand ? jt : jf;
            break;
          case 0x30:
            pc += a >= operand ? jt : jf;
            break;
          default:
            pc += (a & operand) !== 0 ? jt : jf;
        }
        break;
      }
      case BPF_RET:
        return ((code & 0x18) === BPF_A ? a : k) >>> 0;
      default:
        if (code & 0x80) a = x;
        else x = a;
    }
  }
  return SECCOMP_RET_KILL_PROCESS;
}

function alu(op: number, a: number, b: number): number {
  switch (op) {
    case 0x00:
      return (a + b) >>> 0;
    case 0x10:
      return (a - b) >>> 0;
    case 0x20:
      return Math.imul(a, b) >>> 0;
    case 0x30:
      return b === 0 ? 0 : Math.floor(a / b) >>> 0;
    case 0x40:
      return (a | b) >>> 0;
    case 0x50:
      return (a & b) >>> 0;
    case 0x60:
      return b >= 32 ? 0 : (a << b) >>> 0;
    case 0x70:
      return b >= 32 ? 0 : a >>> b;
    case 0x80:
      return -a >>> 0;
    case 0x90:
      return b === 0 ? 0 : a % b;
    default:
      return (a ^ b) >>> 0;
  }
}

/** The ordering of actions: the most restrictive verdict of stacked filters wins. */
function priority(action: number): number {
  switch (action) {
    case SECCOMP_RET_KILL_PROCESS:
      return 0;
    case SECCOMP_RET_KILL_THREAD:
      return 1;
    case SECCOMP_RET_TRAP:
      return 2;
    case SECCOMP_RET_ERRNO:
      return 3;
    case SECCOMP_RET_USER_NOTIF:
      return 4;
    case SECCOMP_RET_TRACE:
      return 5;
    case SECCOMP_RET_LOG:
      return 6;
    case SECCOMP_RET_ALLOW:
      return 7;
    default:
      return 0;
  }
}

/** The verdict on one syscall: the action and its 16-bit data. */
export interface Verdict {
  action: number;
  data: number;
}

/** A process's seccomp state. Filters are inherited (and shared) by children. */
export class Seccomp {
  strict = false;
  readonly filters: BpfInstruction[][] = [];

  get enabled(): boolean {
    return this.strict || this.filters.length > 0;
  }

  /** Strict mode allows read, write, exit and rt_sigreturn; anything else is SIGKILL. */
  strictAllows(nr: number): boolean {
    return STRICT_ALLOWED.has(nr);
  }

  /** Judges a syscall against every filter, newest first, keeping the most restrictive verdict
   *  (the first filter to return it supplies the data). An unknown action counts as
   *  KILL_PROCESS. */
  judge(data: SeccompData): Verdict {
    let best: Verdict = { action: SECCOMP_RET_ALLOW, data: 0 };
    for (let k = this.filters.length - 1; k >= 0; k--) {
      const verdict = runProgram(this.filters[k], data);
      const returned = (verdict & SECCOMP_RET_ACTION_FULL) >>> 0;
      const action = Seccomp.knows(returned) ? returned : SECCOMP_RET_KILL_PROCESS;
      if (priority(action) < priority(best.action)) best = { action, data: verdict & SECCOMP_RET_DATA };
    }
    return best;
  }

  /** Whether an action is one this kernel knows (SECCOMP_GET_ACTION_AVAIL). */
  static knows(action: number): boolean {
    return [
      SECCOMP_RET_KILL_PROCESS,
      SECCOMP_RET_KILL_THREAD,
      SECCOMP_RET_TRAP,
      SECCOMP_RET_ERRNO,
      SECCOMP_RET_USER_NOTIF,
      SECCOMP_RET_TRACE,
      SECCOMP_RET_LOG,
      SECCOMP_RET_ALLOW,
    ].includes(action >>> 0);
  }
}

