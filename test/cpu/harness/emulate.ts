// Runs test cases in the emulator with the same memory layout as the native runner. One machine
// is reused for a whole batch: writing a new snippet invalidates the decoded blocks of its page.
import { CpuException, SIGILL, SIGSEGV } from '../../../src/emulator/cpu/faults.js';
import { getRflags, setArithFlags } from '../../../src/emulator/cpu/flags.js';
import { Interpreter } from '../../../src/emulator/cpu/interpreter.js';
import { Cpu, DF } from '../../../src/emulator/cpu/state.js';
import { AddressSpace, MemoryFault, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE } from '../../../src/emulator/memory.js';
import { CODE_BASE, OFF_MXCSR, OFF_RFLAGS, OFF_XMM, Outcome, SCRATCH_BASE, SCRATCH_SIZE, STATE_SIZE, TestCase, view } from './machine.js';

const SEGV_MAPERR = 1;
const SEGV_ACCERR = 2;
const UD2 = [0x0f, 0x0b];
/** Instructions a snippet may retire before it counts as hung. */
const BUDGET = 100000;

export class Emulator {
  readonly mem = new AddressSpace();
  readonly cpu: Cpu;
  private readonly interpreter: Interpreter;
  private readonly zeros = new Uint8Array(SCRATCH_SIZE);

  constructor() {
    this.mem.map(SCRATCH_BASE - 0x1000, 0x1000, PROT_NONE);
    this.mem.map(SCRATCH_BASE, SCRATCH_SIZE, PROT_READ | PROT_WRITE);
    this.mem.map(SCRATCH_BASE + SCRATCH_SIZE, 0x1000, PROT_NONE);
    this.mem.map(CODE_BASE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
    this.cpu = new Cpu(this.mem);
    this.interpreter = new Interpreter(this.cpu);
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
    cpu.fpuControl = 0x37f;
    cpu.fpuStatus = 0;
    cpu.fpuTag = 0xffff;
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
    return state;
  }
}

/** Runs every case of a batch on one emulated machine. */
export function runEmulated(cases: TestCase[]): Outcome[] {
  const emulator = new Emulator();
  return cases.map((c) => emulator.run(c));
}
