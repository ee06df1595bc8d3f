// The code generator the instruction templates write through. One template serves two tiers:
//  - `block` mode emits code for one instruction of a hot basic block, with its operands as
//    constants (register numbers, displacement, immediate) and the arithmetic flags kept as
//    symbolic expressions between instructions, stored to the CPU only when something outside
//    the block could see them;
//  - `generic` mode emits the interpreter's function for a whole family of instructions: the
//    operands come from the Insn at run time (`i.reg`, `i.imm`, `ea(c, i)`) and the flags are
//    stored at the end of the instruction.
// Generated code sees `c` (the Cpu), `r`/`r8`/`r16` (its register views), `m` (memory) and the
// helpers of helpers.ts by name.
import { Segment } from '../decoded.js';
import type { Insn } from '../insn.js';
import { FlagOp } from '../state.js';

/** The arithmetic flags as the last flag-setting instruction left them, as JS expressions (local
 *  names or literals), or null when they are in the CPU's lazy-flag fields. */
export interface FlagState {
  op: FlagOp;
  size: number;
  resLo: string;
  resHi: string;
  aLo: string;
  aHi: string;
  bLo: string;
  bHi: string;
  /** CF as 0/1 (carry-in of ADC/SBB, preserved CF of INC/DEC, computed CF of shifts). */
  carry: string;
  overflow: string;
}

export type Operand = 'reg' | 'rm';

export class Gen {
  private readonly lines: string[] = [];
  private temps = 0;
  private flagState: FlagState | null = null;
  /** The symbolic flags have been stored to the CPU already. */
  private flagsStored = true;

  constructor(
    readonly mode: 'block' | 'generic',
    /** The instruction being generated (block mode); in generic mode a stand-in whose shape
     *  fields (size, op, whether rm is a register) are the variant's. */
    public insn: Insn,
    /** In block mode: the instruction's index in the block (its Insn is `i<index>`). */
    public index = 0,
  ) {}

  get block(): boolean {
    return this.mode === 'block';
  }

  emit(line: string): void {
    this.lines.push(line);
  }

  code(): string {
    return this.lines.join('\n');
  }

  /** A fresh local name. */
  temp(): string {
    return `t${this.temps++}`;
  }

  /** Declares a local holding `expr`; returns its name. */
  let(expr: string): string {
    const name = this.temp();
    this.emit(`const ${name} = ${expr};`);
    return name;
  }

  /** The Insn object itself, for helpers that take it. */
  insnRef(): string {
    return this.block ? `i${this.index}` : 'i';
  }

  // ---------------------------------------------------------------- instruction fields

  /** A numeric field of the instruction (`imm`, `immHi`, `target`, `next`, `op`...). */
  field(name: 'imm' | 'immHi' | 'target' | 'next' | 'op' | 'rip' | 'imm2'): string {
    if (!this.block) return `i.${name}`;
    const value = (this.insn as unknown as Record<string, number>)[name];
    return String(value);
  }

  /** Whether the r/m operand is a register (a variant's shape: known in both modes). */
  get rmIsReg(): boolean {
    return this.insn.rm >= 0;
  }

  /** The low-half index into `r` of a 64/32-bit register operand. */
  private wordIndex(which: Operand): string {
    return this.block ? String(2 * this.insn[which]) : `(2 * i.${which})`;
  }

  private wordIndexHi(which: Operand): string {
    return this.block ? String(2 * this.insn[which] + 1) : `(2 * i.${which} + 1)`;
  }

  /** A register operand of size 1/2/4 as an expression (bytes and words zero-extended, dwords
   *  as int32). */
  reg(which: Operand, size: number): string {
    if (size === 4) return `r[${this.wordIndex(which)}]`;
    if (size === 1) return `r8[${this.block ? String(this.insn[which]) : `i.${which}`}]`;
    return `r16[${this.block ? String(4 * this.insn[which]) : `(4 * i.${which})`}]`;
  }

  /** A 64-bit register operand's halves. */
  reg64(which: Operand): [string, string] {
    return [`r[${this.wordIndex(which)}]`, `r[${this.wordIndexHi(which)}]`];
  }

  /** Writes a register of size 1/2/4 (a 32-bit write clears the upper half). */
  setReg(which: Operand, size: number, value: string): void {
    if (size === 4) this.emit(`r[${this.wordIndex(which)}] = ${value}; r[${this.wordIndexHi(which)}] = 0;`);
    else this.emit(`${this.reg(which, size)} = ${value};`);
  }

  setReg64(which: Operand, lo: string, hi: string): void {
    this.emit(`r[${this.wordIndex(which)}] = ${lo}; r[${this.wordIndexHi(which)}] = ${hi};`);
  }

  /** A fixed register (RSP for the stack, RAX for CWD...) by number. */
  fixed64(reg: number): [string, string] {
    return [`r[${2 * reg}]`, `r[${2 * reg + 1}]`];
  }

  // ---------------------------------------------------------------- memory

  /** Before an access that may fault: the flags of earlier instructions must be in the CPU (a
   *  signal sees them), and in block mode the block must know which instruction faulted. */
  mayFault(): void {
    this.storeFlags();
    if (this.block && !this.faultMarked) {
      this.emit(`k = ${this.index};`);
      this.faultMarked = true;
    }
  }

  private faultMarked = false;

  /** Starts the next instruction of a block. */
  next(insn: Insn, index: number): void {
    this.insn = insn;
    this.index = index;
    this.faultMarked = false;
  }

  /** Computes the effective address into a local and returns its name. */
  address(): string {
    this.mayFault();
    if (!this.block) return this.let('ea(c, i)');
    const i = this.insn;
    const parts: string[] = [];
    if (i.memBase >= 0) parts.push(`r[${2 * i.memBase + 1}] * 4294967296 + (r[${2 * i.memBase}] >>> 0)`);
    if (i.memIndex >= 0) parts.push(`(r[${2 * i.memIndex + 1}] * 4294967296 + (r[${2 * i.memIndex}] >>> 0)) * ${i.memScale}`);
    if (i.disp !== 0 || parts.length === 0) parts.push(String(i.disp));
    let sum = parts.join(' + ');
    if (i.addr32) sum = `wrap32(${sum})`;
    if (i.segment !== Segment.None) sum = `${sum} + c.${i.segment === Segment.FS ? 'fsBase' : 'gsBase'}`;
    const a = this.temp();
    this.emit(`let ${a} = ${sum};`);
    // User-space addresses are the rule; anything else wraps or raises #GP in the helper.
    this.emit(`if (!(${a} >= 0 && ${a} < 140737488355328)) ${a} = canonical(${a});`);
    return a;
  }

  load(size: number, addr: string): string {
    const fn = size === 4 ? 'read32' : size === 1 ? 'read8' : 'read16';
    return this.let(`m.${fn}(${addr})`);
  }

  store(size: number, addr: string, value: string): void {
    const fn = size === 4 ? 'write32' : size === 1 ? 'write8' : 'write16';
    this.emit(`m.${fn}(${addr}, ${value});`);
  }

  load64(addr: string): [string, string] {
    const lo = this.let(`m.read64(${addr})`);
    return [lo, this.let('m.hi')];
  }

  store64(addr: string, lo: string, hi: string): void {
    this.emit(`m.write64(${addr}, ${lo}, ${hi});`);
  }

  // ---------------------------------------------------------------- the r/m operand

  /** Reads the r/m operand (size 1/2/4) into a local; `addr` receives the address for a later
   *  store to the same operand. */
  readRm(size: number): { value: string; addr: string | null } {
    if (this.rmIsReg) return { value: this.let(this.reg('rm', size)), addr: null };
    const addr = this.address();
    return { value: this.load(size, addr), addr };
  }

  readRm64(): { lo: string; hi: string; addr: string | null } {
    if (this.rmIsReg) {
      const [lo, hi] = this.reg64('rm');
      return { lo: this.let(lo), hi: this.let(hi), addr: null };
    }
    const addr = this.address();
    const [lo, hi] = this.load64(addr);
    return { lo, hi, addr };
  }

  /** Writes the r/m operand; for memory, to `addr` (from readRm) or a freshly computed one. */
  writeRm(size: number, value: string, addr: string | null = null): void {
    if (this.rmIsReg) this.setReg('rm', size, value);
    else this.store(size, addr ?? this.address(), value);
  }

  writeRm64(lo: string, hi: string, addr: string | null = null): void {
    if (this.rmIsReg) this.setReg64('rm', lo, hi);
    else this.store64(addr ?? this.address(), lo, hi);
  }

  // ---------------------------------------------------------------- flags

  /** The instruction set all six arithmetic flags as `state` describes. Templates call it after
   *  their last memory access, so a faulting instruction leaves the flags as they were. */
  setFlags(state: FlagState): void {
    this.flagState = state;
    this.flagsStored = false;
  }

  /** The flags are in the CPU's fields (an instruction handled there changed them). */
  flagsInCpu(): void {
    this.flagState = null;
    this.flagsStored = true;
  }

  /** Stores the symbolic flags into the CPU's lazy-flag fields (before a block exit, a helper
   *  that reads them, or a possible fault). */
  storeFlags(): void {
    const f = this.flagState;
    if (this.flagsStored || !f) return;
    this.emit(
      `c.flagOp = ${f.op}; c.flagSize = ${f.size}; c.flagResLo = ${f.resLo}; c.flagResHi = ${f.resHi}; ` +
        `c.flagALo = ${f.aLo}; c.flagAHi = ${f.aHi}; c.flagBLo = ${f.bLo}; c.flagBHi = ${f.bHi}; ` +
        `c.carry = ${f.carry}; c.overflow = ${f.overflow};`,
    );
    this.flagsStored = true;
  }

  /** CF as a 0/1 expression. */
  carryFlag(): string {
    const f = this.flagState;
    if (!f) return this.let('getCF(c)');
    switch (f.op) {
      case FlagOp.Add:
        return this.let(`${below(f.size, f.resLo, f.resHi, f.aLo, f.aHi)} ? 1 : 0`);
      case FlagOp.Sub:
        return this.let(`${below(f.size, f.aLo, f.aHi, f.bLo, f.bHi)} ? 1 : 0`);
      case FlagOp.Logic:
        return '0';
      case FlagOp.Inc:
      case FlagOp.Dec:
      case FlagOp.ResultCarryOverflow:
        return f.carry;
      default:
        this.storeFlags();
        return this.let('getCF(c)');
    }
  }

  /** A JS boolean expression for condition code `cc`. */
  condition(cc: number): string {
    const inline = this.flagState ? conditionExpression(this.flagState, cc) : null;
    if (inline !== null) return inline;
    this.storeFlags();
    return `condition(c, ${cc})`;
  }
}

// ---------------------------------------------------------------- flag expressions

function mask(size: number): string {
  return size === 1 ? '0xff' : '0xffff';
}

/** Unsigned a < b at a size, as an expression. */
function below(size: number, aLo: string, aHi: string, bLo: string, bHi: string): string {
  if (size === 8) return `((${aHi} >>> 0) < (${bHi} >>> 0) || (${aHi} === ${bHi} && (${aLo} >>> 0) < (${bLo} >>> 0)))`;
  if (size === 4) return `((${aLo} >>> 0) < (${bLo} >>> 0))`;
  return `((${aLo} & ${mask(size)}) < (${bLo} & ${mask(size)}))`;
}

function isZero(f: FlagState): string {
  if (f.size === 8) return `((${f.resLo} | ${f.resHi}) === 0)`;
  if (f.size === 4) return `(${f.resLo} === 0)`;
  return `((${f.resLo} & ${mask(f.size)}) === 0)`;
}

function isNegative(f: FlagState): string {
  if (f.size === 8) return `(${f.resHi} < 0)`;
  if (f.size === 4) return `(${f.resLo} < 0)`;
  return `((${f.resLo} & ${f.size === 1 ? '0x80' : '0x8000'}) !== 0)`;
}

/** Signed a < b of a SUB's operands. */
function lessSigned(f: FlagState): string {
  if (f.size === 8) return `(${f.aHi} < ${f.bHi} || (${f.aHi} === ${f.bHi} && (${f.aLo} >>> 0) < (${f.bLo} >>> 0)))`;
  if (f.size === 4) return `(${f.aLo} < ${f.bLo})`;
  const shift = f.size === 1 ? 24 : 16;
  return `(((${f.aLo} << ${shift}) >> ${shift}) < ((${f.bLo} << ${shift}) >> ${shift}))`;
}

function equalOperands(f: FlagState): string {
  if (f.size === 8) return `(${f.aLo} === ${f.bLo} && ${f.aHi} === ${f.bHi})`;
  if (f.size === 4) return `(${f.aLo} === ${f.bLo})`;
  return `((${f.aLo} & ${mask(f.size)}) === (${f.bLo} & ${mask(f.size)}))`;
}

/** The condition as an inline expression over the symbolic flags, or null when it is simpler to
 *  store the flags and ask flags.ts. */
function conditionExpression(f: FlagState, cc: number): string | null {
  const negate = (e: string) => `!${e}`;
  if (f.op === FlagOp.Sub) {
    switch (cc) {
      case 0x2:
        return below(f.size, f.aLo, f.aHi, f.bLo, f.bHi);
      case 0x3:
        return negate(below(f.size, f.aLo, f.aHi, f.bLo, f.bHi));
      case 0x4:
        return equalOperands(f);
      case 0x5:
        return negate(equalOperands(f));
      case 0x6:
        return `(${below(f.size, f.aLo, f.aHi, f.bLo, f.bHi)} || ${equalOperands(f)})`;
      case 0x7:
        return `!(${below(f.size, f.aLo, f.aHi, f.bLo, f.bHi)} || ${equalOperands(f)})`;
      case 0x8:
        return isNegative(f);
      case 0x9:
        return negate(isNegative(f));
      case 0xc:
        return lessSigned(f);
      case 0xd:
        return negate(lessSigned(f));
      case 0xe:
        return `(${lessSigned(f)} || ${equalOperands(f)})`;
      case 0xf:
        return `!(${lessSigned(f)} || ${equalOperands(f)})`;
      default:
        return null;
    }
  }
  if (f.op === FlagOp.Logic) {
    // CF = OF = 0: L is S, B never, A is !Z.
    switch (cc) {
      case 0x2:
        return 'false';
      case 0x3:
        return 'true';
      case 0x4:
        return isZero(f);
      case 0x5:
        return negate(isZero(f));
      case 0x6:
        return isZero(f);
      case 0x7:
        return negate(isZero(f));
      case 0x8:
      case 0xc:
        return isNegative(f);
      case 0x9:
      case 0xd:
        return negate(isNegative(f));
      case 0xe:
        return `(${isZero(f)} || ${isNegative(f)})`;
      case 0xf:
        return `!(${isZero(f)} || ${isNegative(f)})`;
      default:
        return null;
    }
  }
  if (f.op === FlagOp.Add || f.op === FlagOp.Inc || f.op === FlagOp.Dec) {
    switch (cc) {
      case 0x4:
        return isZero(f);
      case 0x5:
        return negate(isZero(f));
      case 0x8:
        return isNegative(f);
      case 0x9:
        return negate(isNegative(f));
      default:
        return null;
    }
  }
  return null;
}
