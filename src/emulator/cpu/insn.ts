// An executable instruction: the decoded operands in the form the semantics read fastest, and the
// semantics function the binder chose for this opcode, operand size and operand kinds.
import type { DecodedInsn } from './decoded.js';
import { Segment } from './decoded.js';
import type { Cpu } from './state.js';

export type Exec = (cpu: Cpu, insn: Insn) => void;

/** A code template (jit/templates.ts), for the instructions compiled blocks inline. */
export interface InsnTemplate {
  readonly name: string;
  readonly branches?: boolean;
}

/** Every field is initialised in the constructor, in one order, so all instructions share one
 *  hidden class and the interpreter's property loads stay monomorphic. */
export class Insn {
  exec: Exec;
  /** The template `exec` was instantiated from, when there is one: a compiled block inlines it. */
  template: InsnTemplate | null = null;
  /** Address of the first byte and of the next instruction. */
  readonly rip: number;
  readonly next: number;
  readonly length: number;
  /** Operand size in bytes for the chosen semantics (1, 2, 4, 8; 16 for full XMM moves). */
  size: number;
  /** The ModRM.reg operand: a register number, or for byte operations an index into regs8. For
   *  SSE forms, the XMM register number. */
  reg: number;
  /** The r/m operand when it is a register (same encoding as `reg`), else -1 (memory). */
  rm: number;
  /** Raw /digit of group opcodes. */
  readonly regField: number;
  // memory operand
  readonly memBase: number;
  readonly memIndex: number;
  readonly memScale: number;
  /** Displacement; for RIP-relative operands the absolute address (memBase is then -1). */
  readonly disp: number;
  readonly segment: Segment;
  /** 0x67: the effective address wraps at 32 bits. */
  readonly addr32: boolean;
  // immediates
  imm: number;
  immHi: number;
  readonly imm2: number;
  /** Branch target for relative jumps and calls; condition code for Jcc/SETcc/CMOVcc; an
   *  operation selector for shared semantics (ALU op, shift kind, string op). */
  target: number;
  op: number;
  readonly rep: number;
  readonly lock: boolean;
  /** The decoded form, kept for diagnostics and for binders that need more. */
  readonly decoded: DecodedInsn;

  constructor(d: DecodedInsn, exec: Exec) {
    this.exec = exec;
    this.rip = d.rip;
    this.next = d.rip + d.length;
    this.length = d.length;
    this.size = d.operandSize;
    this.reg = d.reg;
    this.rm = d.mod === 3 ? d.rmReg : -1;
    this.regField = d.regField;
    this.memBase = d.memBase;
    this.memIndex = d.memIndex;
    this.memScale = d.memScale;
    this.disp = d.ripRelative ? d.rip + d.length + d.disp : d.disp;
    this.segment = d.segment;
    this.addr32 = d.addrsizePrefix;
    this.imm = d.imm;
    this.immHi = d.immSize === 8 ? d.immHigh : d.imm >> 31;
    this.imm2 = d.imm2;
    this.target = 0;
    this.op = 0;
    this.rep = d.rep;
    this.lock = d.lock;
    this.decoded = d;
  }
}
