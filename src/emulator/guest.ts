// One guest process and its thread as the machine runs it: the CPU and its interpreter, the
// kernel's view of the process, its syscall entry and its signal delivery, and the program it
// runs (execve replaces that in place). The machine (machine.ts) makes one per process and
// schedules them.
import path from 'node:path';
import { sha256 } from '../trace/trace-file.js';
import type { SyscallObserver } from '../trace/observer.js';
import { Interpreter } from './cpu/interpreter.js';
import type { Cpu } from './cpu/state.js';
import { ElfImage, readSymbols } from './elf.js';
import type { ExecProgram } from './kernel/exec.js';
import type { SyscallInjector } from './kernel/injection.js';
import { Kernel, SyscallBackend } from './kernel/kernel.js';
import { mmOf } from './kernel/mm.js';
import type { Process } from './kernel/process.js';
import { stringAreas } from './kernel/procfs.js';
import type { Wait } from './kernel/scheduler.js';
import { SignalDelivery } from './kernel/signal-delivery.js';
import { SIGKILL } from './kernel/signals.js';
import { GuestString, loadElf } from './loader.js';
import type { AddressSpace } from './memory.js';

/** What every guest of a machine shares and how it reports to the machine. */
export interface GuestHooks {
  observer: SyscallObserver | null;
  injector: SyscallInjector | null;
  diagnose: (message: string) => void;
  beforeInstruction: ((cpu: Cpu) => void) | null;
  vdso: boolean;
  /** AT_RANDOM for a program execve starts. */
  execRandom: () => Uint8Array;
  /** The backend answered "not yet" (a replay reading its trace): the machine must stop. */
  stall: () => void;
  /** The running call must wait (kernel/context.ts blockOn). */
  block: (guest: Guest, wait: Wait) => void;
  /** A call returned: what it changed may end other processes' waits or lives. */
  returned: () => void;
}

export class Guest {
  readonly interpreter: Interpreter;
  readonly kernel: Kernel;
  readonly signals: SignalDelivery;
  private symbols: ReturnType<typeof readSymbols> | null = null;
  /** Its end was dealt with (machine.ts finish). */
  finished = false;

  constructor(
    readonly process: Process,
    /** The program running now (execve replaces it). */
    public image: ElfImage,
    backend: SyscallBackend,
    private readonly hooks: GuestHooks,
  ) {
    const cpu = process.cpu;
    this.interpreter = new Interpreter(cpu);
    this.kernel = new Kernel(process, hooks.observer, backend);
    this.kernel.injector = hooks.injector;
    this.kernel.onExit = () => {
      this.interpreter.stopRequested = true;
    };
    this.kernel.onStall = () => {
      this.interpreter.stopRequested = true;
      hooks.stall();
    };
    this.kernel.onBlock = (wait) => {
      this.interpreter.stopRequested = true;
      hooks.block(this, wait);
    };
    this.signals = new SignalDelivery(process, hooks.observer, backend.signals ?? null, () => {
      this.interpreter.stopRequested = true;
    }, hooks.diagnose);
    this.kernel.onReturn = (nr, result) => {
      hooks.returned();
      this.signals.atSyscallReturn(nr, result);
    };
    cpu.onSyscall = this.kernel.syscall;
    cpu.onInt80 = this.kernel.int80;
    this.interpreter.beforeInstruction = hooks.beforeInstruction;
    process.exec = (program) => this.exec(program);
  }

  get cpu(): Cpu {
    return this.process.cpu;
  }

  get mem(): AddressSpace {
    return this.process.mem;
  }

  /** Loads a program into the empty address space and points the CPU at its entry: the start
   *  of the run, and every execve. */
  load(image: ElfImage, start: { argv: GuestString[]; envp: GuestString[]; execfn: GuestString; random: Uint8Array }): void {
    const proc = this.process;
    const { uid, euid, gid, egid } = proc.identity;
    const loaded = loadElf(this.mem, image, { ...start, identity: { uid, euid, gid, egid }, vdso: this.hooks.vdso });
    const execfn = typeof start.execfn === 'string' ? start.execfn : Buffer.from(start.execfn).toString('utf8');
    proc.comm = path.basename(execfn).slice(0, 15);
    proc.auxv = loaded.auxv;
    proc.stackStart = loaded.stackPointer;
    Object.assign(proc, stringAreas(this.mem, loaded.stackPointer));
    proc.brkStart = loaded.brk;
    proc.brkEnd = loaded.brk;
    this.cpu.rip = loaded.entry;
    this.cpu.setNumber(4, loaded.stackPointer);
  }

  /**
   * execve's point of no return (kernel/exec.ts checked everything before): the old program's
   * memory, decoded code, registers, signal handlers, POSIX timers and close-on-exec fds go;
   * pid, fds, mask, pending signals, credentials, limits, cwd and seccomp filters stay.
   */
  private exec(program: ExecProgram): void {
    const proc = this.process;
    const mem = this.mem;
    // de_thread: the process's other threads end without a trace of their own (their memory
    // is gone, so no tid is cleared and no robust futex released in it).
    for (const other of proc.group.threads) {
      if (other === proc) continue;
      Object.assign(other, { threadExit: { kind: 'killed', signal: SIGKILL, coreDumped: false }, clearChildTid: 0, robustList: 0 });
    }
    if (!proc.isLeader) this.hooks.diagnose(`execve from thread ${proc.tid}: the new program keeps this thread's id instead of taking the process's (${proc.pid})`);
    // The new program's bytes are not the call's output: keep them out of the trace.
    const log = mem.writeLog;
    mem.writeLog = null;
    try {
      const mm = mmOf(proc);
      mm.release();
      mm.locked.clear();
      mm.lockFuture = false;
      for (const m of [...mem.mappings]) mem.unmap(m.start, m.end - m.start);
      this.interpreter.flush();
      this.cpu.codeVersion++;
      this.cpu.resetForExec();
      proc.signals.resetForExec();
      proc.fds.closeOnExec();
      proc.setExecutable(program.hostPath);
      proc.group.forkedNoExec = false;
      proc.clearChildTid = 0;
      proc.robustList = 0;
      proc.rseqArea = 0;
      proc.rseqSignature = 0;
      this.image = program.image;
      this.symbols = null;
      this.load(program.image, { argv: program.argv, envp: program.envp, execfn: program.filename, random: this.hooks.execRandom() });
      proc.started = { path: program.hostPath, sha256: sha256(program.image.data), ...(program.scriptArgv ? { argv: program.argv.map((a) => Buffer.from(a).toString('latin1')) } : {}) };
    } finally {
      mem.writeLog = log;
    }
  }

  /** ` (function+0x12)` for an address inside a known function of the running program, else ''. */
  symbolAt(addr: number): string {
    this.symbols ??= readSymbols(this.image);
    let best: (typeof this.symbols)[number] | undefined;
    for (const s of this.symbols) {
      if (s.value > addr) break;
      if (s.type === 2 && addr < s.value + Math.max(s.size, 1)) best = s;
    }
    return best ? ` (${best.name}+0x${(addr - best.value).toString(16)})` : '';
  }
}
