// Delivering signals: at the points where Linux would (returning from a syscall, and at the
// instruction where a timer expires), the pending signals that are not blocked go to their
// handler (a frame on the stack, signal-frame.ts) or take their default action; a faulting
// instruction's signal goes at once. Each delivery is told to the observer, which prints
// `--- SIGSEGV {...} ---` and records it.
//
// Delivery points, all deterministic:
//   - a syscall's return (after its result is in RAX): signals the call generated (kill to
//     itself, unblocking), or that interrupted it (pause, sigsuspend, a sleep);
//   - the instruction at which a timer expires: the run loop stops exactly there (its budget);
//   - a faulting instruction (synchronous signals).
// A replay generates no asynchronous signal (kill, alarm, setitimer are served from the trace):
// it delivers the recorded ones, each at the recorded instruction count (RecordedSignals).
import type { SignalEvent } from '../../trace/event.js';
import type { SyscallObserver } from '../../trace/observer.js';
import { CpuException, FPE_INTDIV, FPE_INTOVF, SEGV_ACCERR, SEGV_MAPERR } from '../cpu/faults.js';
import { MemoryFault } from '../memory.js';
import { Errno } from './errno.js';
import type { Process } from './process.js';
import { setupFrame } from './signal-frame.js';
import type { SigAction, SigInfo, TrapInfo } from './signals.js';
import {
  ALL_SIGNALS, defaultAction, ERESTART_RESTARTBLOCK, ERESTARTNOHAND, ERESTARTNOINTR, ERESTARTSYS, SA_NODEFER,
  SA_RESETHAND, SA_RESTART, SI_KERNEL, SS_AUTODISARM, SI_USER, SIG_DFL, SIG_IGN, sigbit, SIGCONT, SIGFPE, SIGILL, SIGKILL,
  SIGSEGV, SIGTRAP, UNBLOCKABLE,
} from './signals.js';

/** rt_sigreturn's number: its result is the restored RAX, never a restart request. */
const RT_SIGRETURN = 15;
/** The length of the SYSCALL instruction (a restarted call runs it again). */
const SYSCALL_LENGTH = 2;
const RLIMIT_CORE = 4;

/** The asynchronous signals of a recording, for its replay. */
export interface RecordedSignals {
  /** The instruction count of the next recorded event if it is an asynchronous signal,
   *  Infinity when it is something else, null when the recording must be read further first. */
  nextAsync(): number | null;
  /** The next recorded event if it is an asynchronous signal due at `icount` (it stays in the
   *  recording until its delivery is observed). Throws a divergence if it was due earlier. */
  asyncAt(icount: number): SignalEvent | null;
  /** Throws a divergence: the recorded signal cannot be delivered here. */
  refuse(ev: SignalEvent, reason: string): never;
}

/** A syscall that returned asking to be restarted (ERESTART*): what the delivery must fix. */
interface Interrupted {
  nr: number;
  code: number;
}

export class SignalDelivery {
  private until = Infinity;
  private reportedStop = false;

  constructor(
    private readonly proc: Process,
    private readonly observer: SyscallObserver | null,
    /** A replay's recorded signals; null when running live. */
    private readonly recorded: RecordedSignals | null,
    /** Leave the run loop after the current block (to stop at a new deadline, or at the end). */
    private readonly requestStop: () => void,
    private readonly diagnose: (message: string) => void,
  ) {}

  /** The instruction count the run loop must stop at next (a timer, a recorded signal). */
  nextStop(): number {
    this.until = this.computeNextStop() ?? this.proc.cpu.icount;
    return this.until;
  }

  private computeNextStop(): number | null {
    const cpu = this.proc.cpu;
    let next = this.proc.signals.timers.nextDueIcount(this.proc.clock, cpu.icount);
    if (this.recorded) {
      const recorded = this.recorded.nextAsync();
      if (recorded === null) return null;
      next = Math.min(next, recorded);
    }
    return next;
  }

  /** After a change (a timer armed, a recorded event consumed): stop the run loop if the next
   *  stop moved before the one it runs to. */
  private checkStop(): void {
    const next = this.computeNextStop();
    if (next === null || next < this.until) this.requestStop();
  }

  /** The kernel's hook when a syscall returns to the guest. */
  readonly atSyscallReturn = (nr: number, result: number): void => {
    const state = this.proc.signals;
    if (state.restoredRax) {
      this.proc.cpu.regs[0] = state.restoredRax[0];
      this.proc.cpu.regs[1] = state.restoredRax[1];
      state.restoredRax = null;
    }
    const code = nr !== RT_SIGRETURN && result <= -ERESTARTSYS && result >= -ERESTART_RESTARTBLOCK ? -result : 0;
    this.deliverPending(code ? { nr, code } : null);
    this.checkStop();
  };

  /** The run loop stopped at an instruction boundary (its budget ran out, or it was asked to). */
  atBoundary(): void {
    this.deliverPending(null);
    this.checkStop();
  }

  /**
   * A faulting instruction's signal (force_sig): delivered now, to its handler unless it is
   * blocked or ignored, in which case the default action (usually death) applies.
   */
  fault(info: SigInfo, trap: TrapInfo | null): void {
    const state = this.proc.signals;
    if (trap) state.lastTrap = trap;
    state.unrefusable(info.signo);
    this.deliverOne(info, null);
    this.deliverPending(null);
    this.checkStop();
  }

  /** Delivers every pending signal that is not blocked, each handler's frame above the last
   *  (the last one's handler runs first), then settles an interrupted syscall. */
  private deliverPending(interrupted: Interrupted | null): void {
    const state = this.proc.signals;
    if (this.recorded === null) state.timers.fireDue(this.proc);
    let pendingRestart = interrupted;
    for (;;) {
      if (this.proc.ended) return;
      const info = this.next();
      if (!info) break;
      if (this.deliverOne(info, pendingRestart)) pendingRestart = null;
    }
    if (pendingRestart) {
      // No handler ran: the call starts again (Linux resumes an ERESTART_RESTARTBLOCK call
      // through restart_syscall; here it fails with EINTR instead).
      const cpu = this.proc.cpu;
      if (pendingRestart.code === ERESTART_RESTARTBLOCK) cpu.setNumber(0, -Errno.EINTR);
      else {
        cpu.setNumber(0, pendingRestart.nr);
        cpu.rip -= SYSCALL_LENGTH;
      }
    }
    state.restoreSavedMask();
  }

  /** The next signal to deliver: one the kernel queued, else (in a replay) the recorded one due
   *  here. */
  private next(): SigInfo | null {
    const state = this.proc.signals;
    const queued = state.pending.length > 0 || state.group.pending.length > 0 ? state.dequeue(ALL_SIGNALS & ~state.blocked) : null;
    if (queued || !this.recorded) return queued;
    const ev = this.recorded.asyncAt(this.proc.cpu.icount);
    if (!ev) return null;
    if ((state.blocked & sigbit(ev.signo)) !== 0n) this.recorded.refuse(ev, 'the recorded signal is blocked here');
    if (state.ignores(ev.signo)) this.recorded.refuse(ev, 'the recorded signal is ignored here');
    return infoFromEvent(ev);
  }

  /**
   * Delivers one signal: its handler gets a frame, or its default action runs. `interrupted`
   * is the syscall it interrupts, if any: a handler makes it fail with EINTR or restart
   * (SA_RESTART), as handle_signal does. Returns whether that was settled (a handler ran).
   */
  private deliverOne(info: SigInfo, interrupted: Interrupted | null): boolean {
    const state = this.proc.signals;
    const sig = info.signo;
    const current = state.actions[sig];
    const action: SigAction = { ...current };
    if (action.handler === SIG_IGN) return false;
    if (action.handler === SIG_DFL) {
      const what = sig === SIGKILL ? 'terminate' : defaultAction(sig);
      if (what === 'ignore') return false;
      // SIGKILL is never reported (strace cannot see it either).
      if (sig !== SIGKILL) this.emit(info);
      if (what === 'stop') {
        this.stopped(sig);
        return false;
      }
      const coreDumped = what === 'core' && this.proc.limits[RLIMIT_CORE][0] > 0n;
      this.proc.exitStatus = { kind: 'killed', signal: sig, coreDumped };
      this.requestStop();
      return false;
    }
    this.emit(info);
    if (action.flags & SA_RESETHAND) current.handler = SIG_DFL;
    const cpu = this.proc.cpu;
    if (interrupted) {
      const restart =
        interrupted.code === ERESTARTNOINTR || (interrupted.code === ERESTARTSYS && (action.flags & SA_RESTART) !== 0);
      if (restart) {
        cpu.setNumber(0, interrupted.nr);
        cpu.rip -= SYSCALL_LENGTH;
      } else cpu.setNumber(0, -Errno.EINTR);
    }
    const saved = state.savedMask ?? state.blocked;
    if (!setupFrame(this.proc, info, action, saved)) {
      this.forceSigsegv(sig);
      return true;
    }
    // signal_delivered: the saved mask is in the frame now.
    state.savedMask = null;
    let blocked = state.blocked | action.mask;
    if (!(action.flags & SA_NODEFER)) blocked |= sigbit(sig);
    state.setBlocked(blocked & ~UNBLOCKABLE);
    if (state.altstack.flags & SS_AUTODISARM) state.resetAltstack();
    return true;
  }

  /** The frame could not be written: SIGSEGV, which kills if it was SIGSEGV being delivered. */
  private forceSigsegv(sig: number): void {
    const state = this.proc.signals;
    if (sig === SIGSEGV) state.actions[SIGSEGV].handler = SIG_DFL;
    state.force({ signo: SIGSEGV, code: SI_KERNEL, addr: 0 });
  }

  /**
   * A stop signal's default action: a process whose parent is in the machine stops
   * (job-control.ts). Nothing in the machine could ever continue the first process, so emtrace
   * continues it at once, as a job-control shell would with SIGCONT (sent by the parent;
   * delivered if the process handles it).
   */
  private stopped(sig: number): void {
    // A parent in the machine may continue it: stopped for real.
    if (this.proc.stopProcess(sig)) {
      this.requestStop();
      return;
    }
    if (!this.reportedStop) {
      this.reportedStop = true;
      this.diagnose(`the program stopped itself (signal ${sig}): nothing else can continue it, so emtrace continues it at once (as SIGCONT from its parent would)`);
    }
    // In a replay a handled SIGCONT is in the recording.
    if (this.recorded) return;
    const proc = this.proc;
    proc.signals.send({ signo: SIGCONT, code: SI_USER, sender: { pid: proc.ppid, uid: proc.identity.uid }, async: true, shared: true });
  }

  private emit(info: SigInfo): void {
    if (!this.observer) return;
    const cpu = this.proc.cpu;
    const ev: SignalEvent = {
      pid: this.proc.pid,
      tid: this.proc.tid,
      icount: cpu.icount,
      rip: cpu.rip,
      signo: info.signo,
      code: info.code,
    };
    if (info.addr !== undefined) ev.addr = info.addr;
    if (info.seccomp) ev.seccomp = info.seccomp;
    if (info.sender) ev.sender = { ...info.sender };
    if (info.timer) ev.timer = { ...info.timer };
    if (info.child) ev.child = { ...info.child };
    if (info.value !== undefined) ev.value = info.value;
    if (info.async) ev.async = true;
    const slept = this.proc.clock.sleptTotalNs;
    if (slept > 0n) ev.slept = Number(slept);
    this.observer.signal(ev);
  }
}

/** The siginfo a recorded signal event describes. */
function infoFromEvent(ev: SignalEvent): SigInfo {
  const info: SigInfo = { signo: ev.signo, code: ev.code, async: ev.async };
  if (ev.addr !== undefined) info.addr = ev.addr;
  if (ev.seccomp) info.seccomp = ev.seccomp;
  if (ev.sender) info.sender = { ...ev.sender };
  if (ev.timer) info.timer = { ...ev.timer };
  if (ev.child) info.child = { ...ev.child };
  if (ev.value !== undefined) info.value = ev.value;
  return info;
}

/** Linux's trap numbers (sigcontext.trapno). */
const X86_TRAP_DE = 0;
const X86_TRAP_BP = 3;
const X86_TRAP_UD = 6;
const X86_TRAP_GP = 13;
const X86_TRAP_PF = 14;
const X86_TRAP_XF = 19;
/** Page-fault error code bits: protection violation, write, user mode, instruction fetch. */
const PF_PROT = 1;
const PF_WRITE = 2;
const PF_USER = 4;
const PF_INSTR = 16;

/**
 * The signal a faulting instruction raises, and the trap information its frame reports
 * (null for SIGSYS from seccomp, which is no trap); null when `e` is no guest fault.
 */
export function faultSignal(e: unknown, lastTrap: TrapInfo): { info: SigInfo; trap: TrapInfo | null; detail: string } | null {
  if (e instanceof MemoryFault) {
    const err = PF_USER | (e.mapped ? PF_PROT : 0) | (e.access === 'write' ? PF_WRITE : 0) | (e.access === 'exec' ? PF_INSTR : 0);
    return {
      info: { signo: SIGSEGV, code: e.mapped ? SEGV_ACCERR : SEGV_MAPERR, addr: e.addr },
      trap: { trapno: X86_TRAP_PF, err, cr2: e.addr },
      detail: '',
    };
  }
  if (!(e instanceof CpuException)) return null;
  const info: SigInfo = { signo: e.signal, code: e.code, addr: e.addr };
  if (e.seccomp) info.seccomp = e.seccomp;
  let trapno: number | null;
  switch (e.signal) {
    case SIGFPE:
      trapno = e.code === FPE_INTDIV || e.code === FPE_INTOVF ? X86_TRAP_DE : X86_TRAP_XF;
      break;
    case SIGILL:
      trapno = X86_TRAP_UD;
      break;
    case SIGTRAP:
      trapno = X86_TRAP_BP;
      break;
    case SIGSEGV:
      trapno = X86_TRAP_GP;
      break;
    default:
      trapno = null;
  }
  return { info, trap: trapno === null ? null : { trapno, err: 0, cr2: lastTrap.cr2 }, detail: e.detail };
}
