// Signals: rt_sigaction, rt_sigprocmask, rt_sigreturn, sigaltstack, rt_sigsuspend, pause,
// rt_sigpending, rt_sigtimedwait, and kill, tgkill, tkill to the process itself. The state is
// in signals.ts, the frame in signal-frame.ts; what these calls generate or unblock is
// delivered when they return (signal-delivery.ts). A wait ends when a signal can be delivered
// or a timer (timers.ts) sends one; with nothing that could ever end it, emtrace says so and
// the call fails with EDEADLK (blocksForever).
//
// Process groups: the process is the leader of its own group, so kill(0, sig) and
// kill(-pid, sig) reach it; kill(-1, sig) reaches every process but the caller: none here.
import { argInt, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { BLOCKED, blocksForever, StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import { restoreFrame, siginfoBytes } from '../signal-frame.js';
import type { AltStack, SigAction } from '../signals.js';
import {
  ERESTARTNOHAND, maskBytes, maskFromBytes, NSIG, SI_KERNEL, SI_TKILL, SI_USER, SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK,
  sigbit, SIGCONT, SIGKILL, SIGSEGV, SIGSTOP, SS_AUTODISARM, UAPI_SA_FLAGS, UNBLOCKABLE,
} from '../signals.js';
import { waitForSignal } from '../timers.js';

/** The kernel's sigset_t size: the only one the rt_sig* calls accept. */
export const SIGSET_SIZE = 8;
const SIGACTION_SIZE = 32;
const STACK_T_SIZE = 24;

/** Reads a sigset_t (throws MemoryFault: EFAULT). */
export function readMask(proc: Process, addr: number): bigint {
  return maskFromBytes(proc.mem.readBytes(addr, SIGSET_SIZE));
}

/** Reads a struct timespec timeout: its length in ns, or -EINVAL when it is not valid. */
function readTimeout(proc: Process, addr: number): bigint | number {
  const raw = proc.mem.readBytes(addr, 16);
  const view = new DataView(raw.buffer, raw.byteOffset, 16);
  const sec = view.getBigInt64(0, true);
  const nsec = view.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return -Errno.EINVAL;
  return sec * 1_000_000_000n + nsec;
}

function actionBytes(a: SigAction): Uint8Array {
  return new StructWriter(SIGACTION_SIZE).u64(0, a.handler).u64(8, a.flags >>> 0).u64(16, a.restorer).u64(24, a.mask).bytes;
}

function rtSigaction(c: SyscallContext): number {
  const { proc, args } = c;
  const sig = argInt(args, 0);
  const actAddr = argUlong(args, 1);
  const oldAddr = argUlong(args, 2);
  if (argUlong(args, 3) !== SIGSET_SIZE) return -Errno.EINVAL;
  let act: SigAction | null = null;
  if (actAddr) {
    const raw = proc.mem.readBytes(actAddr, SIGACTION_SIZE);
    const view = new DataView(raw.buffer);
    act = {
      handler: view.getBigUint64(0, true),
      // The kernel keeps only the flags it knows (so a program can detect the others).
      flags: (view.getUint32(8, true) & UAPI_SA_FLAGS) >>> 0,
      restorer: view.getBigUint64(16, true),
      mask: view.getBigUint64(24, true) & ~UNBLOCKABLE,
    };
  }
  if (sig < 1 || sig > NSIG || (act && (sig === SIGKILL || sig === SIGSTOP))) return -Errno.EINVAL;
  const state = proc.signals;
  const old = state.actions[sig];
  if (act) {
    state.actions[sig] = act;
    // Pending instances of a signal that is now ignored are dropped.
    if (state.ignores(sig)) state.discard(sigbit(sig));
  }
  if (oldAddr) proc.mem.writeBytes(oldAddr, actionBytes(old));
  return 0;
}

function rtSigprocmask(c: SyscallContext): number {
  const { proc, args } = c;
  const how = argInt(args, 0);
  const setAddr = argUlong(args, 1);
  const oldAddr = argUlong(args, 2);
  if (argUlong(args, 3) !== SIGSET_SIZE) return -Errno.EINVAL;
  const state = proc.signals;
  const old = state.blocked;
  if (setAddr) {
    const set = readMask(proc, setAddr);
    switch (how) {
      case SIG_BLOCK:
        state.setBlocked(old | set);
        break;
      case SIG_UNBLOCK:
        state.setBlocked(old & ~set);
        break;
      case SIG_SETMASK:
        state.setBlocked(set);
        break;
      default:
        return -Errno.EINVAL;
    }
  }
  if (oldAddr) proc.mem.writeBytes(oldAddr, maskBytes(old));
  return 0;
}

/** rt_sigreturn: the registers, mask, FPU state and alternate stack of the frame at RSP; its
 *  result is the restored RAX. A frame that cannot be read costs a SIGSEGV. */
function rtSigreturn(c: SyscallContext): number {
  const rax = restoreFrame(c.proc);
  if (rax !== null) return rax;
  c.proc.signals.force({ signo: SIGSEGV, code: SI_KERNEL, addr: 0 });
  return 0;
}

function sigaltstack(c: SyscallContext): number {
  const { proc, args } = c;
  const ssAddr = argUlong(args, 0);
  const oldAddr = argUlong(args, 1);
  let next: AltStack | null = null;
  if (ssAddr) {
    const raw = proc.mem.readBytes(ssAddr, STACK_T_SIZE);
    const view = new DataView(raw.buffer);
    next = { sp: Number(view.getBigUint64(0, true)), flags: view.getUint32(8, true), size: Number(view.getBigUint64(16, true)) };
  }
  const state = proc.signals;
  const sp = proc.cpu.getU(4);
  const current = state.altstack;
  const flags = (state.altstackFlags(sp) | (current.flags & SS_AUTODISARM)) >>> 0;
  const old = new StructWriter(STACK_T_SIZE).u64(0, current.sp).u32(8, flags).u64(16, current.size).bytes;
  const error = state.setAltstack(next, sp);
  if (error) return error;
  if (oldAddr) proc.mem.writeBytes(oldAddr, old);
  return 0;
}

function rtSigsuspend(c: SyscallContext): number {
  const { proc, args } = c;
  if (argUlong(args, 1) !== SIGSET_SIZE) return -Errno.EINVAL;
  // (Run again after a wait, it is already suspended with its mask.)
  if (!proc.sleep) proc.signals.suspendWith(readMask(proc, argUlong(args, 0)));
  const wait = waitForSignal(proc, null, undefined, undefined, true);
  if (wait.blocked) return BLOCKED;
  if (wait.forever) {
    proc.signals.restoreSavedMask();
    return blocksForever(proc, 'rt_sigsuspend');
  }
  // The signal is delivered as the call returns; the old mask comes back after it.
  return -ERESTARTNOHAND;
}

function pause(c: SyscallContext): number {
  const wait = waitForSignal(c.proc, null, undefined, undefined, true);
  if (wait.blocked) return BLOCKED;
  if (wait.forever) return blocksForever(c.proc, 'pause');
  return -ERESTARTNOHAND;
}

function rtSigpending(c: SyscallContext): number {
  const { proc, args } = c;
  const size = argUlong(args, 1);
  if (size > SIGSET_SIZE) return -Errno.EINVAL;
  const state = proc.signals;
  proc.mem.writeBytes(argUlong(args, 0), maskBytes(state.pendingMask() & state.blocked).subarray(0, size));
  return 0;
}

function rtSigtimedwait(c: SyscallContext): number {
  const { proc, args } = c;
  if (argUlong(args, 3) !== SIGSET_SIZE) return -Errno.EINVAL;
  const these = readMask(proc, argUlong(args, 0)) & ~UNBLOCKABLE;
  const infoAddr = argUlong(args, 1);
  const timeoutAddr = argUlong(args, 2);
  let timeout: bigint | null = null;
  if (timeoutAddr) {
    const t = readTimeout(proc, timeoutAddr);
    if (typeof t === 'number') return t;
    timeout = t;
  }
  const state = proc.signals;
  let info = state.dequeue(these);
  let woken = false;
  if (!info && timeout !== 0n) {
    // While it waits, the signals it waits for are not blocked: they end the wait.
    const blocked = state.blocked;
    state.blocked = blocked & ~these;
    const wait = waitForSignal(proc, timeout, undefined, undefined, true);
    state.blocked = blocked;
    if (wait.blocked) return BLOCKED;
    if (wait.forever) return blocksForever(proc, 'rt_sigtimedwait');
    woken = wait.woken;
    info = state.dequeue(these);
  }
  if (!info) return woken ? -Errno.EINTR : -Errno.EAGAIN;
  if (infoAddr) proc.mem.writeBytes(infoAddr, siginfoBytes(info));
  return info.signo;
}

/** Sends `sig` to the process itself (SIGKILL ends it on the spot); 0 only checks. kill sends to
 *  the process, tgkill and tkill to the thread. */
/** `sender` sends `sig` to `target` (itself or another process of the machine). SIGKILL ends
 *  the target at once; other signals wait in its queue (the machine wakes a waiting target so
 *  the signal ends its wait). */
function sendSignal(sender: Process, target: Process, sig: number, code: number): number {
  if (sig < 0 || sig > NSIG) return -Errno.EINVAL;
  if (sig === 0) return 0;
  if (sig === SIGKILL) {
    target.exitStatus = { kind: 'killed', signal: SIGKILL, coreDumped: false };
    return 0;
  }
  // SIGCONT continues a stopped process, whether it is blocked, ignored or handled.
  if (sig === SIGCONT) target.continueProcess();
  target.signals.send({ signo: sig, code, sender: { pid: sender.pid, uid: sender.identity.uid }, async: true, shared: code === SI_USER });
  return 0;
}

/** The live processes kill's pid names: one process, the caller's group (0), another group
 *  (-pgid), or every process but the caller (-1). */
function killTargets(proc: Process, pid: number): Process[] {
  const live = proc.processes().filter((p) => p.exitStatus === null || p.group === proc.group);
  if (pid > 0) return live.filter((p) => p.pid === pid);
  if (pid === 0) return live.filter((p) => p.pgid === proc.pgid);
  if (pid === -1) return live.filter((p) => p.group !== proc.group);
  return live.filter((p) => p.pgid === -pid);
}

/** The live thread `tid` of one of `processes`. */
function threadOf(processes: readonly Process[], tid: number): Process | undefined {
  for (const p of processes) {
    const thread = p.group.threads.find((t) => t.tid === tid && !t.ended);
    if (thread) return thread;
  }
  return undefined;
}

function kill(c: SyscallContext): number {
  const { proc, args } = c;
  const sig = argInt(args, 1);
  if (sig < 0 || sig > NSIG) return -Errno.EINVAL;
  const targets = killTargets(proc, argInt(args, 0));
  if (targets.length === 0) return -Errno.ESRCH;
  // The caller last: a SIGKILL to its own group still reaches the others.
  targets.sort((a, b) => (a.group === proc.group ? 1 : 0) - (b.group === proc.group ? 1 : 0));
  for (const target of targets) sendSignal(proc, target, sig, SI_USER);
  return 0;
}

function tgkill(c: SyscallContext): number {
  const { proc, args } = c;
  const tgid = argInt(args, 0);
  const tid = argInt(args, 1);
  if (tgid <= 0 || tid <= 0) return -Errno.EINVAL;
  const target = threadOf(killTargets(proc, tgid), tid);
  if (!target) return -Errno.ESRCH;
  return sendSignal(proc, target, argInt(args, 2), SI_TKILL);
}

function tkill(c: SyscallContext): number {
  const { proc, args } = c;
  const tid = argInt(args, 0);
  if (tid <= 0) return -Errno.EINVAL;
  const target = threadOf(proc.processes().filter((p) => p.exitStatus === null), tid);
  if (!target) return -Errno.ESRCH;
  return sendSignal(proc, target, argInt(args, 1), SI_TKILL);
}

export const SIGNAL_SYSCALLS: Record<string, SyscallHandler> = {
  rt_sigaction: rtSigaction,
  rt_sigprocmask: rtSigprocmask,
  rt_sigreturn: rtSigreturn,
  sigaltstack,
  rt_sigsuspend: rtSigsuspend,
  pause,
  rt_sigpending: rtSigpending,
  rt_sigtimedwait: rtSigtimedwait,
  kill,
  tgkill,
  tkill,
};

/**
 * What the calls a replay serves from its recording (instead of running them) do to the
 * signal state the replay keeps: an interrupted call that waited with a temporary mask leaves
 * it in place until the recorded signal is delivered.
 */
export const SIGNAL_REPLAY_EFFECTS: Record<string, (proc: Process, args: Int32Array, result: number) => void> = {
  rt_sigsuspend(proc, args, result) {
    if (result === -ERESTARTNOHAND) proc.signals.suspendWith(readMask(proc, argUlong(args, 0)));
  },
  ppoll(proc, args, result) {
    if (result === -ERESTARTNOHAND && argUlong(args, 3) !== 0) proc.signals.suspendWith(readMask(proc, argUlong(args, 3)));
  },
  epoll_pwait(proc, args, result) {
    if (result === -Errno.EINTR && argUlong(args, 4) !== 0) proc.signals.suspendWith(readMask(proc, argUlong(args, 4)));
  },
  epoll_pwait2(proc, args, result) {
    if (result === -Errno.EINTR && argUlong(args, 4) !== 0) proc.signals.suspendWith(readMask(proc, argUlong(args, 4)));
  },
  pselect6(proc, args, result) {
    const pack = argUlong(args, 5);
    if (result !== -ERESTARTNOHAND || pack === 0) return;
    const mask = Number(new DataView(proc.mem.readBytes(pack, 8).buffer).getBigUint64(0, true));
    if (mask !== 0) proc.signals.suspendWith(readMask(proc, mask));
  },
};
