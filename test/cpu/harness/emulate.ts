// Runs test cases in the emulator with the same memory layout as the native runner. One machine
// is reused for a whole batch: writing a new snippet invalidates the decoded blocks of its page.
import { CpuException, SIGILL, SIGSEGV } from '../../../src/emulator/cpu/faults.js';
import { getRflags, setArithFlags } from '../../../src/emulator/cpu/flags.js';
import { Interpreter } from '../../../src/emulator/cpu/interpreter.js';
import { Cpu, DF } from '../../../src/emulator/cpu/state.js';
import { fxrstorX87, fxsaveX87 } from '../../../src/emulator/cpu/x87/control.js';
import { AddressSpace, MemoryFault, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE } from '../../../src/emulator/memory.js';
import { CODE_BASE, OFF_MXCSR, OFF_RFLAGS, OFF_X87, OFF_XMM, Outcome, SCRATCH_BASE, SCRATCH_SIZE, STATE_SIZE, TestCase, view, X87_SIZE } from './machine.js';

const SEGV_MAPERR = 1;
const SEGV_ACCERR = 2;
const UD2 = [0x0f, 0x0b];
/** A page outside the snippet's reach where the x87 state image passes through FXRSTOR/FXSAVE. */
const IMAGE_BASE = 0x10300000;
/** Instructions a snippet may retire before it counts as hung. */
const BUDGET = 100000;

export class Emulator {
  readonly mem = new AddressSpace();
  readonly cpu: Cpu;
  private readonly interpreter: Interpreter;
  private readonly zeros = new Uint8Array(SCRATCH_SIZE);

  /** `hotBlockRuns`: the interpreter's threshold for compiling a block (1 compiles every
   *  snippet, testing the block compiler; the default tests the interpreter's own functions). */
  constructor(hotBlockRuns = Infinity) {
    this.mem.map(SCRATCH_BASE - 0x1000, 0x1000, PROT_NONE);
    this.mem.map(SCRATCH_BASE, SCRATCH_SIZE, PROT_READ | PROT_WRITE);
    this.mem.map(SCRATCH_BASE + SCRATCH_SIZE, 0x1000, PROT_NONE);
    this.mem.map(CODE_BASE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
    this.mem.map(IMAGE_BASE, 0x1000, PROT_READ | PROT_WRITE);
    this.cpu = new Cpu(this.mem);
    this.interpreter = new Interpreter(this.cpu, hotBlockRuns);
  }

  run(c: TestCase): Outcome {
    const { cpu, mem } = this;
    const code = new Uint8Array(c.code.length + UD2.length);
    code.set(c.code);
    code.set(UD2, c.code.length);
    mem.writeBytes(CODE_BASE, code);
    mem.writeBytes(SCRATCH_BASE, this.zeros);
    mem.writeBytes(SCRATCH_BASE, c.mem);
    this.interpreter.flush();

    const sv = view(c.state);
    const gpr = new Int32Array(c.state.buffer.slice(c.state.byteOffset, c.state.byteOffset + 128));
    cpu.regs.set(gpr);
    const rflags = sv.getUint32(OFF_RFLAGS, true);
    setArithFlags(cpu, rflags);
    cpu.controlFlags = 0x202 | (rflags & DF);
    cpu.xmm8.set(c.state.subarray(OFF_XMM, OFF_XMM + 256));
    cpu.mxcsr = sv.getUint32(OFF_MXCSR, true);
    // The x87/MMX state goes through the emulator's own FXRSTOR64 image reader.
    mem.writeBytes(IMAGE_BASE, c.state.subarray(OFF_X87, OFF_X87 + X87_SIZE));
    fxrstorX87(cpu, IMAGE_BASE, true);
    cpu.fsBase = 0;
    cpu.gsBase = 0;
    cpu.icount = 0;
    cpu.rip = CODE_BASE;

    const end = CODE_BASE + c.code.length;
    let signal = -1;
    let code2 = 0;
    let addr = 0;
    try {
      this.interpreter.run(BUDGET);
    } catch (e) {
      if (e instanceof CpuException) {
        if (e.signal === SIGILL && cpu.rip === end) signal = 0;
        else {
          signal = e.signal;
          code2 = e.code;
          addr = e.addr;
        }
      } else if (e instanceof MemoryFault) {
        signal = SIGSEGV;
        code2 = e.mapped ? SEGV_ACCERR : SEGV_MAPERR;
        addr = e.addr;
      } else throw e;
    }
    return {
      signal,
      code: code2,
      addr: BigInt(addr),
      rip: BigInt(signal === 0 ? end : cpu.rip),
      state: this.dumpState(),
      mem: mem.readBytes(SCRATCH_BASE, c.mem.length),
    };
  }

  private dumpState(): Uint8Array {
    const { cpu } = this;
    const state = new Uint8Array(STATE_SIZE);
    const v = view(state);
    state.set(new Uint8Array(cpu.regs.buffer, cpu.regs.byteOffset, 128), 0);
    v.setUint32(OFF_RFLAGS, getRflags(cpu) >>> 0, true);
    state.set(cpu.xmm8.subarray(0, 256), OFF_XMM);
    v.setUint32(OFF_MXCSR, cpu.mxcsr >>> 0, true);
    fxsaveX87(cpu, IMAGE_BASE, true);
    state.set(this.mem.readBytes(IMAGE_BASE, X87_SIZE), OFF_X87);
    state.fill(0, OFF_X87 + 24, OFF_X87 + 32);
    return state;
  }
}

/** Runs every case of a batch on one emulated machine. */
export function runEmulated(cases: TestCase[], hotBlockRuns = Infinity): Outcome[] {
  const emulator = new Emulator(hotBlockRuns);
  return cases.map((c) => emulator.run(c));
}
