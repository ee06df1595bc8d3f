// Stopping and continuing a process (job control, kernel/signal.c do_signal_stop and
// prepare_signal): a stop signal's default action stops every thread of the process and tells
// the parent (SIGCHLD with CLD_STOPPED unless it set SA_NOCLDSTOP; wait4 with WUNTRACED,
// waitid with WSTOPPED); SIGCONT sent to a stopped process continues it, whatever the process
// does with SIGCONT, and tells the parent likewise (CLD_CONTINUED; WCONTINUED).
import type { Process } from './process.js';
import { SIG_IGN } from './signals.js';

export const CLD_STOPPED = 5;
export const CLD_CONTINUED = 6;
const SIGCHLD = 17;
const SIGCONT = 18;
const SA_NOCLDSTOP = 1;

/** A change a parent's wait has not taken yet. */
export type JobChange = { kind: 'stopped'; signal: number } | { kind: 'continued' };

/** The status word wait4 reports for a change: WIFSTOPPED's, or WIFCONTINUED's. */
export function jobStatus(change: JobChange): number {
  return change.kind === 'stopped' ? (change.signal << 8) | 0x7f : 0xffff;
}

/** waitid's si_code and si_status for a change. */
export function jobInfo(change: JobChange): { code: number; status: number } {
  return change.kind === 'stopped' ? { code: CLD_STOPPED, status: change.signal } : { code: CLD_CONTINUED, status: SIGCONT };
}

/**
 * will_become_orphaned_pgrp: no process of `proc`'s group has a parent in another group of the
 * same session, so no job-control shell could continue it. The first process's parent is
 * outside the machine: a shell of the same session, in a group of its own.
 */
export function orphanedGroup(proc: Process, processes: readonly Process[]): boolean {
  const first = processes[0];
  for (const member of processes) {
    if (member.pgid !== proc.pgid || member.isZombie) continue;
    if (member === first && member.ppid !== 0) return false;
    const parent = processes.find((p) => p.pid === member.ppid);
    if (parent && parent.pgid !== member.pgid && parent.sid === member.sid) return false;
  }
  return true;
}

/** `proc`'s process stops (or continues): the change waits for the parent's wait, and the
 *  parent gets SIGCHLD unless its action says not to. */
export function jobChanged(proc: Process, change: JobChange, processes: readonly Process[]): void {
  proc.group.jobChange = change;
  const parent = processes.find((p) => p.pid === proc.ppid && p.children.includes(proc));
  if (!parent) return;
  const action = parent.signals.actions[SIGCHLD];
  if (action.flags & SA_NOCLDSTOP || action.handler === SIG_IGN) return;
  const info = jobInfo(change);
  parent.signals.send({ signo: SIGCHLD, code: info.code, sender: { pid: proc.pid, uid: proc.identity.uid }, child: { status: info.status, utime: 0, stime: 0 }, async: true, shared: true });
}
