// The syscall entry point: reads the number and arguments from the registers, tells the
// observer, runs the implementation, writes RAX. Implementations are grouped by family in
// syscalls/*.ts and found by the name the syscall table gives each number.
import type { Cpu } from '../cpu/state.js';
import type { Insn } from '../cpu/insn.js';
import { LiveMemoryReader } from '../guest-reader.js';
import { MemoryFault } from '../memory.js';
import type { SyscallEvent } from '../../trace/event.js';
import type { SyscallObserver } from '../../trace/observer.js';
import { syscallName, syscallNumber } from '../../decode/index.js';
import type { SyscallContext, SyscallHandler } from './context.js';
import { Errno } from './errno.js';
import type { Process } from './process.js';
import { IO_SYSCALLS } from './syscalls/io.js';
import { MEMORY_SYSCALLS } from './syscalls/memory.js';
import { PATH_SYSCALLS } from './syscalls/paths.js';
import { PROCESS_SYSCALLS } from './syscalls/process.js';

const FAMILIES: Record<string, SyscallHandler>[] = [IO_SYSCALLS, PATH_SYSCALLS, MEMORY_SYSCALLS, PROCESS_SYSCALLS];

/** Implementations indexed by syscall number. */
function buildHandlerTable(): (SyscallHandler | undefined)[] {
  const table: (SyscallHandler | undefined)[] = [];
  for (const family of FAMILIES) {
    for (const [name, handler] of Object.entries(family)) {
      const nr = syscallNumber(name);
      if (nr === undefined) throw new Error(`kernel implements '${name}', which the syscall table does not know`);
      table[nr] = handler;
    }
  }
  return table;
}

/** Argument registers in ABI order: RDI, RSI, RDX, R10, R8, R9. */
const ARG_REGS = [7, 6, 2, 10, 8, 9];

export class Kernel {
  private readonly handlers = buildHandlerTable();
  private readonly reader: LiveMemoryReader;
  private readonly untracedArgs = new Int32Array(12);
  private readonly reportedMissing = new Set<number>();
  private seq = 0;
  /** Set when the process has exited: the run loop stops. */
  onExit: () => void = () => {};

  constructor(
    readonly proc: Process,
    private readonly observer: SyscallObserver | null,
    /** Where emtrace's own diagnostics go (unimplemented syscalls, ...). */
    private readonly diagnose: (message: string) => void,
  ) {
    this.reader = new LiveMemoryReader(proc.mem);
  }

  /** The SYSCALL instruction's handler. */
  syscall = (cpu: Cpu, insn: Insn): void => {
    const regs = cpu.regs;
    // The kernel compares the whole of RAX: a number with high bits set is no syscall.
    const nr = regs[1] === 0 && regs[0] >= 0 ? regs[0] : -1;
    const traced = this.observer !== null && this.observer.wants(nr);
    const args = traced ? new Int32Array(12) : this.untracedArgs;
    for (let k = 0; k < 6; k++) {
      args[2 * k] = regs[2 * ARG_REGS[k]];
      args[2 * k + 1] = regs[2 * ARG_REGS[k] + 1];
    }
    let event: SyscallEvent | null = null;
    if (traced) {
      event = {
        seq: this.seq,
        pid: this.proc.pid,
        tid: this.proc.tid,
        icount: cpu.icount - 1,
        rip: insn.rip,
        nr,
        args,
        ret: NaN,
        errno: 0,
      };
      this.observer!.enter(event, this.reader);
    }
    this.seq++;
    const result = this.run(nr, args);
    if (this.proc.exitStatus) {
      if (event) this.observer!.exit(event, this.reader);
      this.onExit();
      return;
    }
    cpu.setNumber(0, result);
    if (event) {
      event.ret = result;
      event.errno = result < 0 && result >= -4095 ? -result : 0;
      this.observer!.exit(event, this.reader);
    }
  };

  private run(nr: number, args: Int32Array): number {
    const handler = nr >= 0 ? this.handlers[nr] : undefined;
    if (!handler) {
      if (!this.reportedMissing.has(nr)) {
        this.reportedMissing.add(nr);
        const name = syscallName(nr) ?? `syscall_${nr < 0 ? 'invalid' : '0x' + nr.toString(16)}`;
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
