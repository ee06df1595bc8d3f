// rt_sigqueueinfo and rt_tgsigqueueinfo: a signal with a siginfo of the caller's making, to the
// process itself (the only one there is; other pids are ESRCH). The siginfo is checked as
// kernel/signal.c checks it: a caller may forge si_code >= 0 (or SI_TKILL) only to itself.
import { argInt, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import { NSIG, SI_TKILL, SIGKILL } from '../signals.js';
import { viewOf } from '../user-struct.js';

const SIGINFO_SIZE = 128;

/** The siginfo fields a queued signal keeps: signo, code, the sender's pid and uid, the value
 *  (si_int / si_ptr). */
export interface SiginfoFields {
  signo: number;
  code: number;
  pid: number;
  uid: number;
  value: bigint;
}

export function readSiginfo(proc: Process, addr: number): SiginfoFields {
  const v = viewOf(proc.mem.readBytes(addr, SIGINFO_SIZE));
  return { signo: v.getInt32(0, true), code: v.getInt32(8, true), pid: v.getInt32(16, true), uid: v.getUint32(20, true), value: v.getBigUint64(24, true) };
}

/** Queues `sig` with `info` on the process (toProcess) or its thread; 0 only checks. */
export function queueSignal(proc: Process, sig: number, info: SiginfoFields, toProcess: boolean): number {
  if (sig < 0 || sig > NSIG) return -Errno.EINVAL;
  if (sig === 0) return 0;
  if (sig === SIGKILL) {
    proc.exitStatus = { kind: 'killed', signal: SIGKILL, coreDumped: false };
    return 0;
  }
  proc.signals.send({ signo: sig, code: info.code, sender: { pid: info.pid, uid: info.uid }, value: info.value, async: true, shared: toProcess });
  return 0;
}

function forged(info: SiginfoFields): boolean {
  return info.code >= 0 || info.code === SI_TKILL;
}

function rtSigqueueinfo(c: SyscallContext): number {
  const pid = argInt(c.args, 0);
  const sig = argInt(c.args, 1);
  const info = readSiginfo(c.proc, argUlong(c.args, 2));
  if (forged(info) && pid !== c.proc.pid) return -Errno.EPERM;
  if (pid !== c.proc.pid) return -Errno.ESRCH;
  return queueSignal(c.proc, sig, { ...info, signo: sig }, true);
}

function rtTgsigqueueinfo(c: SyscallContext): number {
  const tgid = argInt(c.args, 0);
  const tid = argInt(c.args, 1);
  const sig = argInt(c.args, 2);
  const info = readSiginfo(c.proc, argUlong(c.args, 3));
  if (tid <= 0 || tgid <= 0) return -Errno.EINVAL;
  if (forged(info) && tid !== c.proc.tid) return -Errno.EPERM;
  if (tgid !== c.proc.pid || tid !== c.proc.tid) return -Errno.ESRCH;
  return queueSignal(c.proc, sig, { ...info, signo: sig }, false);
}

export const SIGQUEUE_SYSCALLS: Record<string, SyscallHandler> = {
  rt_sigqueueinfo: rtSigqueueinfo,
  rt_tgsigqueueinfo: rtTgsigqueueinfo,
};
