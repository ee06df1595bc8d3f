// The syscall entry point: reads the number and arguments from the registers, tells the
// observer, has the backend perform the call (the emulated kernel, or a replay serving recorded
// results), writes RAX. Implementations are grouped by family in syscalls/*.ts and found by the
// name the syscall table gives each number.
import type { Cpu } from '../cpu/state.js';
import type { Insn } from '../cpu/insn.js';
import { LiveMemoryReader } from '../guest-reader.js';
import { MemoryFault } from '../memory.js';
import type { GuestMemoryReader, MemoryRange, SyscallEvent } from '../../trace/event.js';
import type { SyscallObserver } from '../../trace/observer.js';
import { returnsFd, syscallName, syscallNumber } from '../../decode/index.js';
import type { SyscallContext, SyscallHandler } from './context.js';
import { Errno } from './errno.js';
import type { Process } from './process.js';
import { IO_SYSCALLS } from './syscalls/io.js';
import { MEMORY_SYSCALLS } from './syscalls/memory.js';
import { PATH_SYSCALLS } from './syscalls/paths.js';
import { PROCESS_SYSCALLS } from './syscalls/process.js';
import { TIME_SYSCALLS } from './syscalls/time.js';

/** Every family of implementations (a syscall's name says which number it implements). */
export const SYSCALL_FAMILIES: Record<string, SyscallHandler>[] = [IO_SYSCALLS, PATH_SYSCALLS, MEMORY_SYSCALLS, PROCESS_SYSCALLS, TIME_SYSCALLS];

/** Implementations indexed by syscall number. */
function buildHandlerTable(): (SyscallHandler | undefined)[] {
  const table: (SyscallHandler | undefined)[] = [];
  for (const family of SYSCALL_FAMILIES) {
    for (const [name, handler] of Object.entries(family)) {
      const nr = syscallNumber(name);
      if (nr === undefined) throw new Error(`kernel implements '${name}', which the syscall table does not know`);
      table[nr] = handler;
    }
  }
  return table;
}

const HANDLERS = buildHandlerTable();

/** Argument registers in ABI order: RDI, RSI, RDX, R10, R8, R9. */
const ARG_REGS = [7, 6, 2, 10, 8, 9];

/** Who performs a syscall: the emulated kernel (live) or a replay of a recorded run. */
export interface SyscallBackend {
  /** False when the backend cannot answer yet (a replay waiting for more of its trace): the
   *  syscall instruction is then re-executed when the machine resumes. */
  ready(): boolean;
  /** Performs the call; returns the result or -errno. */
  perform(ev: SyscallEvent, mem: GuestMemoryReader): number;
}

/** The emulated kernel's own implementations. */
export class LiveSyscalls implements SyscallBackend {
  private readonly reportedMissing = new Set<number>();

  constructor(
    private readonly proc: Process,
    private readonly diagnose: (message: string) => void,
  ) {}

  ready(): boolean {
    return true;
  }

  perform(ev: SyscallEvent): number {
    return this.execute(ev.nr, ev.args);
  }

  /** Runs the implementation of `nr`; ENOSYS (and a diagnostic, once) when there is none. */
  execute(nr: number, args: Int32Array): number {
    const handler = nr >= 0 ? HANDLERS[nr] : undefined;
    if (!handler) {
      if (!this.reportedMissing.has(nr)) {
        this.reportedMissing.add(nr);
        const name = nr < 0 ? 'with an invalid number' : syscallName(nr);
        this.diagnose(`syscall ${name} (${nr}) is not implemented: the guest gets ENOSYS`);
      }
      return -Errno.ENOSYS;
    }
    const context: SyscallContext = { proc: this.proc, args };
    try {
      return handler(context);
    } catch (e) {
      if (e instanceof MemoryFault) return -Errno.EFAULT;
      throw e;
    }
  }
}

export class Kernel {
  readonly reader: LiveMemoryReader;
  private readonly untracedArgs = new Int32Array(12);
  private seq = 0;
  /** The process has exited: the run loop must stop. */
  onExit: () => void = () => {};
  /** The backend is not ready: the run loop must stop and resume later. */
  onStall: () => void = () => {};

  constructor(
    readonly proc: Process,
    private readonly observer: SyscallObserver | null,
    readonly backend: SyscallBackend,
  ) {
    this.reader = new LiveMemoryReader(proc.mem);
  }

  /** The SYSCALL instruction's handler. */
  syscall = (cpu: Cpu, insn: Insn): void => {
    if (!this.backend.ready()) {
      // Not retired: run it again on resume.
      cpu.rip = insn.rip;
      cpu.icount -= 1;
      this.onStall();
      return;
    }
    const regs = cpu.regs;
    // The kernel compares the whole of RAX: a number with high bits set is no syscall.
    const nr = regs[1] === 0 && regs[0] >= 0 ? regs[0] : -1;
    const observer = this.observer !== null && this.observer.wants(nr) ? this.observer : null;
    const args = observer ? new Int32Array(12) : this.untracedArgs;
    for (let k = 0; k < 6; k++) {
      args[2 * k] = regs[2 * ARG_REGS[k]];
      args[2 * k + 1] = regs[2 * ARG_REGS[k] + 1];
    }
    const event: SyscallEvent = {
      seq: this.seq++,
      pid: this.proc.pid,
      tid: this.proc.tid,
      icount: cpu.icount - 1,
      rip: insn.rip,
      nr,
      args,
      ret: NaN,
      errno: 0,
    };
    let writes: MemoryRange[] | null = null;
    if (observer) {
      observer.enter(event, this.reader);
      if (observer.recordsWrites) writes = this.proc.mem.writeLog = [];
    }
    let result: number;
    try {
      result = this.backend.perform(event, this.reader);
    } finally {
      this.proc.mem.writeLog = null;
    }
    if (this.proc.exitStatus) {
      observer?.exit(event, this.reader, { writes });
      this.onExit();
      return;
    }
    cpu.setNumber(0, result);
    if (observer) {
      event.ret = result;
      event.errno = result < 0 && result >= -4095 ? -result : 0;
      const fdPath = result >= 0 && returnsFd(event) ? this.proc.fds.get(result)?.path : undefined;
      observer.exit(event, this.reader, { writes, fdPath });
    }
  };
}
