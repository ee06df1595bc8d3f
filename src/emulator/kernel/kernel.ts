// The syscall entry point: reads the number and arguments from the registers, tells the
// observer, has the backend perform the call (the emulated kernel, or a replay serving recorded
// results), writes RAX. Implementations are grouped by family in syscalls/*.ts and found by the
// name the syscall table gives each number.
import type { Cpu } from '../cpu/state.js';
import type { Insn } from '../cpu/insn.js';
import { LiveMemoryReader } from '../guest-reader.js';
import { MemoryFault } from '../memory.js';
import type { CallOrigin, GuestMemoryReader, MemoryRange, SyscallEvent } from '../../trace/event.js';
import type { SyscallObserver } from '../../trace/observer.js';
import { eventName, returnsFd, syscallName, syscallNumber } from '../../decode/index.js';
import { fdsCreated, fdsDescribed } from '../../decode/fd-args.js';
import type { FdNames } from '../../trace/event.js';
import { describeFds } from './fd-names.js';
import type { SyscallInjector } from './injection.js';
import { SI_KERNEL } from './signals.js';
import { VDSO_BASE, VDSO_SIZE, vdsoAnswers, vdsoTrap } from '../vdso.js';
import { I386_ARG_REGS, i386Handler, I386_STRICT } from './i386.js';
import { mayChangeFiles, mmOf, MemoryManager } from './mm.js';
import { vsyscallEntry } from './vsyscall.js';
import type { SyscallContext, SyscallHandler } from './context.js';
import { BLOCKED } from './context.js';
import type { Wait } from './scheduler.js';
import { Errno } from './errno.js';
import { CpuException, SIGSYS, SYS_SECCOMP } from '../cpu/faults.js';
import { AUDIT_ARCH_I386, AUDIT_ARCH_X86_64, SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_LOG, SECCOMP_RET_TRACE, SECCOMP_RET_TRAP, SECCOMP_RET_USER_NOTIF } from './seccomp.js';

const SIGKILL = 9;
const RT_SIGRETURN = 15;
import type { Process } from './process.js';
import { ANON_FD_SYSCALLS } from './syscalls/anon-fds.js';
import { ATTR_SYSCALLS } from './syscalls/attrs.js';
import { DESCRIPTOR_SYSCALLS } from './syscalls/descriptors.js';
import { EXEC_SYSCALLS } from './syscalls/exec.js';
import { CHILD_SYSCALLS } from './syscalls/children.js';
import { EPOLL_SYSCALLS } from './syscalls/epoll.js';
import { IO_SYSCALLS } from './syscalls/io.js';
import { MEMORY_SYSCALLS } from './syscalls/memory.js';
import { MEMFD_SYSCALLS } from './syscalls/memfd.js';
import { ADVISORY_SYSCALLS } from './syscalls/advisory.js';
import { XATTR_SYSCALLS } from './syscalls/xattr.js';
import { INOTIFY_SYSCALLS } from './syscalls/inotify.js';
import { CPU_SYSCALLS } from './syscalls/cpu.js';
import { CREDS_SYSCALLS } from './syscalls/creds.js';
import { FUTEX_SYSCALLS } from './syscalls/futex.js';
import { NAME_SYSCALLS } from './syscalls/names.js';
import { PATH_SYSCALLS } from './syscalls/paths.js';
import { POLL_SYSCALLS } from './syscalls/poll.js';
import { PROCESS_SYSCALLS } from './syscalls/process.js';
import { SCHED_SYSCALLS } from './syscalls/sched.js';
import { TIME_SYSCALLS } from './syscalls/time.js';
import { SECURITY_SYSCALLS } from './syscalls/security.js';
import { SIGNAL_SYSCALLS } from './syscalls/signal.js';
import { TIMER_SYSCALLS } from './syscalls/timer.js';
import { AIO_SYSCALLS } from './syscalls/aio.js';
import { CLOCK_ADMIN_SYSCALLS } from './syscalls/clock-admin.js';
import { CONFIGURED_OUT_SYSCALLS } from './syscalls/config-off.js';
import { HANDLE_SYSCALLS } from './syscalls/handles.js';
import { LANDLOCK_SYSCALLS } from './syscalls/landlock.js';
import { MACHINE_SYSCALLS } from './syscalls/machine.js';
import { MOUNT_SYSCALLS } from './syscalls/mounts.js';
import { MQUEUE_SYSCALLS } from './syscalls/mqueue.js';
import { NAMESPACE_SYSCALLS } from './syscalls/namespaces.js';
import { NOTIFICATION_SYSCALLS } from './syscalls/notifications.js';
import { NUMA_SYSCALLS } from './syscalls/numa.js';
import { PIDFD_SYSCALLS } from './syscalls/pidfd.js';
import { PKEY_SYSCALLS } from './syscalls/pkeys.js';
import { SIGQUEUE_SYSCALLS } from './syscalls/sigqueue.js';
import { SOCKET_SYSCALLS } from './syscalls/sockets.js';
import type { RecordedSignals } from './signal-delivery.js';

/** Every family of implementations (a syscall's name says which number it implements). */
export const SYSCALL_FAMILIES: Record<string, SyscallHandler>[] = [
  IO_SYSCALLS,
  DESCRIPTOR_SYSCALLS,
  PATH_SYSCALLS,
  NAME_SYSCALLS,
  ATTR_SYSCALLS,
  POLL_SYSCALLS,
  MEMORY_SYSCALLS,
  CPU_SYSCALLS,
  PROCESS_SYSCALLS,
  EXEC_SYSCALLS,
  CHILD_SYSCALLS,
  CREDS_SYSCALLS,
  SCHED_SYSCALLS,
  FUTEX_SYSCALLS,
  TIME_SYSCALLS,
  SECURITY_SYSCALLS,
  SIGNAL_SYSCALLS,
  TIMER_SYSCALLS,
  ANON_FD_SYSCALLS,
  EPOLL_SYSCALLS,
  MOUNT_SYSCALLS,
  MACHINE_SYSCALLS,
  CONFIGURED_OUT_SYSCALLS,
  CLOCK_ADMIN_SYSCALLS,
  NAMESPACE_SYSCALLS,
  PIDFD_SYSCALLS,
  SIGQUEUE_SYSCALLS,
  MQUEUE_SYSCALLS,
  AIO_SYSCALLS,
  NUMA_SYSCALLS,
  PKEY_SYSCALLS,
  LANDLOCK_SYSCALLS,
  NOTIFICATION_SYSCALLS,
  HANDLE_SYSCALLS,
  MEMFD_SYSCALLS,
  ADVISORY_SYSCALLS,
  XATTR_SYSCALLS,
  INOTIFY_SYSCALLS,
  SOCKET_SYSCALLS,
];

/** Implementations indexed by syscall number. */
function buildHandlerTable(): (SyscallHandler | undefined)[] {
  const table: (SyscallHandler | undefined)[] = [];
  for (const family of SYSCALL_FAMILIES) {
    for (const [name, handler] of Object.entries(family)) {
      const nr = syscallNumber(name);
      if (nr === undefined) throw new Error(`kernel implements '${name}', which the syscall table does not know`);
      if (table[nr]) throw new Error(`kernel implements '${name}' twice`);
      table[nr] = handler;
    }
  }
  return table;
}

const HANDLERS = buildHandlerTable();

/** Argument registers in ABI order: RDI, RSI, RDX, R10, R8, R9. (A vDSO or vsyscall function
 *  gets its first three in RDI, RSI, RDX too, by the C calling convention.) */
const X86_64_ARGS = [7, 6, 2, 10, 8, 9];
const I386_ARGS = I386_ARG_REGS;
const I386: CallOrigin = { abi: 'i386' };
const VDSO: CallOrigin = { via: 'vdso' };
const VSYSCALL: CallOrigin = { via: 'vsyscall' };

/** Who performs a syscall: the emulated kernel (live) or a replay of a recorded run. */
export interface SyscallBackend {
  /** False when the backend cannot answer yet (a replay waiting for more of its trace): the
   *  syscall instruction is then re-executed when the machine resumes. */
  ready(): boolean;
  /** Performs the call; returns the result or -errno. */
  perform(ev: SyscallEvent, mem: GuestMemoryReader): number;
  /** A seccomp filter answered the call without running it (a replay checks it was recorded). */
  filtered?(ev: SyscallEvent, mem: GuestMemoryReader): void;
  /** A replay's recorded asynchronous signals (signal-delivery.ts), delivered again where they
   *  were recorded: in a replay nothing generates them. */
  readonly signals?: RecordedSignals;
  /** What the descriptors `fds` refer to (strace -y), at the call's entry or exit: the fd table
   *  (live), or the recording (replay). */
  describeFds?(ev: SyscallEvent, fds: number[], phase: 'entry' | 'exit'): FdNames | undefined;
}

/** The emulated kernel's own implementations. */
export class LiveSyscalls implements SyscallBackend {
  private readonly reportedMissing = new Set<number>();

  constructor(
    /** The calling thread. */
    readonly proc: Process,
    private readonly diagnose: (message: string) => void,
  ) {}

  ready(): boolean {
    return true;
  }

  describeFds(_ev: SyscallEvent, fds: number[]): FdNames | undefined {
    return describeFds(this.proc, fds);
  }

  perform(ev: SyscallEvent): number {
    return ev.abi === 'i386' ? this.executeI386(ev.nr, ev.args) : this.execute(ev.nr, ev.args);
  }

  /** Runs the implementation of i386 syscall `nr` (INT 0x80; i386.ts converts what needs it). */
  executeI386(nr: number, args: Int32Array): number {
    const handler = i386Handler(nr, (name) => HANDLERS[syscallNumber(name) ?? -1]);
    if (!handler) return this.missing(nr, { abi: 'i386' });
    try {
      return handler({ proc: this.proc, args });
    } catch (e) {
      if (e instanceof MemoryFault) return -Errno.EFAULT;
      throw e;
    }
  }

  /** ENOSYS, with a diagnostic the first time a number is missing. */
  private missing(nr: number, origin?: CallOrigin): number {
    const key = origin?.abi === 'i386' ? -2 - nr : nr;
    if (!this.reportedMissing.has(key)) {
      this.reportedMissing.add(key);
      const name = nr < 0 ? 'with an invalid number' : eventName({ nr, abi: origin?.abi });
      this.diagnose(`${origin?.abi === 'i386' ? 'i386 ' : ''}syscall ${name} (${nr}) is not implemented: the guest gets ENOSYS`);
    }
    return -Errno.ENOSYS;
  }

  /** Runs the implementation of `nr`; ENOSYS (and a diagnostic, once) when there is none. */
  execute(nr: number, args: Int32Array): number {
    const handler = nr >= 0 ? HANDLERS[nr] : undefined;
    if (!handler) return this.missing(nr);
    const context: SyscallContext = { proc: this.proc, args };
    try {
      return handler(context);
    } catch (e) {
      if (e instanceof MemoryFault) return -Errno.EFAULT;
      throw e;
    }
  }
}

/** A call entered and not finished: its event, who observes it, and the clock at its entry. */
interface PendingCall {
  event: SyscallEvent;
  observer: SyscallObserver | null;
  sleptBefore: bigint;
  entryNs: bigint;
  /** The writes recorded before it waited. */
  writes: MemoryRange[] | null;
}

/** What a seccomp filter makes of a call that does not simply run. */
type SeccompOutcome = { kind: 'result'; value: number } | { kind: 'kill'; signal: number } | { kind: 'trap'; data: number };

export class Kernel {
  readonly reader: LiveMemoryReader;
  private readonly untracedArgs = new Int32Array(12);
  private seq = 0;

  /** The seccomp verdict on a call: null to run it, else its result or the process's end. */
  private seccompVerdict(ev: SyscallEvent, next: number): SeccompOutcome | null {
    const seccomp = this.proc.seccomp;
    const i386 = ev.abi === 'i386';
    if (seccomp.strict) return seccomp.strictAllows(i386 ? I386_STRICT[ev.nr] ?? -1 : ev.nr) ? null : { kind: 'kill', signal: SIGKILL };
    const verdict = seccomp.judge({ nr: ev.nr, instructionPointer: next, args: ev.args, arch: i386 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64 });
    switch (verdict.action) {
      case SECCOMP_RET_ALLOW:
      case SECCOMP_RET_LOG:
        return null;
      case SECCOMP_RET_ERRNO:
        return { kind: 'result', value: -Math.min(verdict.data, 4095) };
      case SECCOMP_RET_TRACE:
      case SECCOMP_RET_USER_NOTIF:
        // No tracer or listener is attached: the call fails as if it did not exist.
        return { kind: 'result', value: -Errno.ENOSYS };
      case SECCOMP_RET_TRAP:
        return { kind: 'trap', data: verdict.data };
      default:
        return { kind: 'kill', signal: SIGSYS };
    }
  }

  /** A call seccomp kills the process for (or traps): it never ran, so RAX still holds the
   *  syscall number, which is the result strace shows. */
  private seccompKill(
    ev: SyscallEvent,
    observer: SyscallObserver | null,
    writes: MemoryRange[] | null,
    verdict: SeccompOutcome,
    next: number,
  ): void {
    ev.ret = verdict.kind === 'kill' && verdict.signal === SIGKILL ? NaN : ev.nr;
    observer?.exit(ev, this.reader, { writes });
    if (verdict.kind === 'trap') {
      const info = { errno: verdict.data, callAddr: next, syscall: ev.nr, arch: ev.abi === 'i386' ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64 };
      throw new CpuException(SIGSYS, SYS_SECCOMP, 0, '', true, info);
    }
    this.proc.exitStatus = { kind: 'killed', signal: verdict.kind === 'kill' ? verdict.signal : SIGSYS, coreDumped: false };
    this.onExit();
  }
  /** The process has exited: the run loop must stop. */
  onExit: () => void = () => {};
  /** The backend is not ready: the run loop must stop and resume later. */
  onStall: () => void = () => {};
  /** The running call must wait (context.ts blockOn): the run loop runs another process. */
  onBlock: (wait: Wait) => void = () => {};
  /** The call that is waiting, run again when its process runs again. */
  private waiting: PendingCall | null = null;
  /** A call returned to the guest (its result is in RAX): pending signals are delivered here
   *  (signal-delivery.ts). */
  onReturn: (nr: number, result: number) => void = () => {};
  /** Fault injection (strace -e inject=), consulted before each call enters the kernel. */
  injector: SyscallInjector | null = null;

  constructor(
    readonly proc: Process,
    private readonly observer: SyscallObserver | null,
    readonly backend: SyscallBackend,
  ) {
    this.reader = new LiveMemoryReader(proc.mem);
    this.mm = mmOf(proc);
  }

  private readonly mm: MemoryManager;

  /** The SYSCALL instruction's handler. One in the vDSO is a vDSO call: the function its
   *  address names, whatever RAX holds. */
  syscall = (cpu: Cpu, insn: Insn): void => {
    if (insn.rip >= VDSO_BASE && insn.rip < VDSO_BASE + VDSO_SIZE) {
      const nr = vdsoTrap(insn.rip);
      if (nr >= 0 && this.proc.mem.mappingAt(insn.rip)?.name === '[vdso]') {
        const via = vdsoAnswers(nr, cpu.regs[14]) ? VDSO : undefined;
        this.dispatch(cpu, insn.rip, insn.next, 1, nr, X86_64_ARGS, via);
        return;
      }
    }
    const regs = cpu.regs;
    // The kernel compares the whole of RAX: a number with high bits set is no syscall.
    const nr = regs[1] === 0 && regs[0] >= 0 ? regs[0] : -1;
    this.dispatch(cpu, insn.rip, insn.next, 1, nr, X86_64_ARGS, undefined);
  };

  /** INT 0x80: the i386 ABI, as Linux's ia32 emulation runs it for 64-bit code. The number is
   *  EAX (an int), the arguments EBX, ECX, EDX, ESI, EDI, EBP zero-extended; the result goes to
   *  RAX sign-extended and every other register is preserved. */
  int80 = (cpu: Cpu, insn: Insn): void => {
    const eax = cpu.regs[0];
    this.dispatch(cpu, insn.rip, insn.next, 1, eax >= 0 ? eax : -1, I386_ARGS, I386);
  };

  /** A page fault the kernel resolves: a jump into the vsyscall page, whose entries it emulates
   *  (vsyscall=xonly). True when handled (the run goes on), false to deliver the fault. */
  pageFault(fault: MemoryFault): boolean {
    if (fault.access !== 'exec') return false;
    const entry = vsyscallEntry(fault.addr);
    if (entry === null) return false;
    const cpu = this.proc.cpu;
    if (entry.nr < 0) return false; // not one of the three entries: SIGSEGV, as Linux
    // The call returns to the address on top of the stack, as the entry's RET would.
    const rsp = cpu.getU(4);
    let ret: number;
    try {
      ret = this.proc.mem.read64(rsp) >>> 0;
      ret += (this.proc.mem.hi >>> 0) * 4294967296;
    } catch (e) {
      if (e instanceof MemoryFault) return false;
      throw e;
    }
    if (!this.dispatch(cpu, entry.addr, entry.addr, 0, entry.nr, X86_64_ARGS, VSYSCALL)) return true;
    if (this.proc.ended) return true;
    cpu.rip = ret >= 2 ** 63 ? ret - 2 ** 64 : ret;
    cpu.setNumber(4, rsp + 8);
    return true;
  }

  /**
   * Performs one call: tells the observer, applies seccomp (not to vDSO calls, which never enter
   * a real kernel), has the backend run it, writes RAX. `rip` is where the call is made from,
   * `next` the address seccomp reports after it, `retire` how many instructions to un-retire when
   * the backend is not ready (the call is then made again on resume). False when it stalled.
   */
  private dispatch(cpu: Cpu, rip: number, next: number, retire: number, nr: number, argRegs: readonly number[], origin: CallOrigin | undefined): boolean {
    if (!this.backend.ready()) {
      // Not retired: run it again on resume.
      cpu.rip = rip;
      cpu.icount -= retire;
      this.onStall();
      return false;
    }
    // A call that waited runs again, as the same event (observed once, at its first entry).
    const waited = this.waiting !== null && this.waiting.event.rip === rip && this.waiting.event.nr === nr ? this.waiting : null;
    this.waiting = null;
    const call = waited ?? this.enter(cpu, rip, retire, nr, argRegs, origin);
    const { event, observer } = call;
    let writes: MemoryRange[] | null = null;
    if (observer?.recordsWrites) writes = this.proc.mem.writeLog = call.writes ?? [];
    let result: number;
    const mm = this.mm;
    try {
      const tampering = !waited && this.injector !== null && origin?.via === undefined ? this.injector.tamper(event) : null;
      if (tampering?.signal !== undefined) this.proc.signals.send({ signo: tampering.signal, code: SI_KERNEL, async: true });
      const verdict = !waited && tampering?.result === undefined && this.proc.seccomp.enabled && origin?.via !== 'vdso' ? this.seccompVerdict(event, next) : null;
      if (tampering?.result !== undefined) {
        // Injected: the call does not run.
        result = tampering.result;
        event.injected = true;
      } else if (verdict === null) {
        // Shared file mappings and the files behind them agree before and after the call.
        if (mm.hasSharedMappings) mm.beforeSyscall();
        result = this.backend.perform(event, this.reader);
        if (mm.hasSharedMappings && mayChangeFiles(event)) mm.afterSyscall();
      } else {
        this.backend.filtered?.(event, this.reader);
        if (verdict.kind === 'result') result = verdict.value;
        else {
          this.seccompKill(event, observer, writes, verdict, next);
          return true;
        }
      }
    } finally {
      this.proc.mem.writeLog = null;
    }
    if (result === BLOCKED) {
      // The call waits: the instruction runs again when the process is resumed.
      cpu.rip = rip;
      cpu.icount -= retire;
      this.waiting = { ...call, writes };
      const wait = this.proc.pendingWait!;
      this.proc.pendingWait = null;
      this.onBlock(wait);
      return false;
    }
    // The call is over: what its waits kept goes.
    this.proc.sleep = null;
    this.proc.wakeReason = null;
    if (this.proc.started) {
      event.exec = this.proc.started;
      this.proc.started = null;
    }
    if (this.proc.ended) {
      observer?.exit(event, this.reader, { writes });
      this.onExit();
      return true;
    }
    cpu.setNumber(0, result);
    if (observer) {
      event.ret = result;
      event.errno = result < 0 && result >= -4095 ? -result : 0;
      const fdPath = result >= 0 && returnsFd(event) ? this.proc.fds.get(result)?.path : undefined;
      const elapsedNs = Number(this.proc.clock.monotonicNs() - call.entryNs);
      const sleptIn = this.proc.clock.sleptTotalNs - call.sleptBefore;
      if (sleptIn > 0n) event.duration = Number(sleptIn);
      if (observer.describesFds) event.newFds = this.backend.describeFds?.(event, fdsCreated(event, this.reader), 'exit');
      observer.exit(event, this.reader, { writes, fdPath, elapsedNs });
    }
    // Signals are delivered when the kernel returns to the program (vDSO and vsyscall calls
    // never entered it).
    if (origin?.via === undefined) this.onReturn(nr, result);
    return true;
  }

  /** A call's event, shown to the observer that wants it. */
  private enter(cpu: Cpu, rip: number, retire: number, nr: number, argRegs: readonly number[], origin: CallOrigin | undefined): PendingCall {
    const regs = cpu.regs;
    const sleptBefore = this.proc.clock.sleptTotalNs;
    const site = this.observer !== null ? { icount: cpu.icount - retire, rip, slept: Number(sleptBefore), tid: this.proc.tid } : undefined;
    const observer = this.observer !== null && this.observer.wants(nr, origin, this.proc.pid, site) ? this.observer : null;
    const args = observer ? new Int32Array(12) : this.untracedArgs;
    const i386 = origin?.abi === 'i386';
    for (let k = 0; k < 6; k++) {
      args[2 * k] = regs[2 * argRegs[k]];
      args[2 * k + 1] = i386 ? 0 : regs[2 * argRegs[k] + 1];
    }
    const event: SyscallEvent = {
      seq: this.seq++,
      pid: this.proc.pid,
      tid: this.proc.tid,
      icount: cpu.icount - retire,
      rip,
      nr,
      args,
      ret: NaN,
      errno: 0,
    };
    if (origin?.abi) event.abi = origin.abi;
    if (origin?.via) event.via = origin.via;
    // rt_sigreturn's strace line shows the mask of the frame at RSP.
    if (nr === RT_SIGRETURN && origin === undefined) event.sp = cpu.getU(4);
    const entryNs = observer ? this.proc.clock.monotonicNs() : 0n;
    if (observer) {
      if (sleptBefore > 0n) event.slept = Number(sleptBefore);
      if (observer.describesFds) event.fds = this.backend.describeFds?.(event, fdsDescribed(event, this.reader), 'entry');
      observer.enter(event, this.reader);
    }
    return { event, observer, sleptBefore, entryNs, writes: null };
  }

}
