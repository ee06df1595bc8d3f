// A process's copy (fork, vfork, clone without CLONE_VM), as docs/processes.md's table says what
// a child gets, and what happens when a process ends: it stays a zombie until its parent reaps
// it (wait4, waitid), its children go to the first process, its parent gets its exit signal.
import type { ExitStatus } from '../../trace/event.js';
import { Cpu } from '../cpu/state.js';
import { CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_FILES, CLONE_PARENT_SETTID, CLONE_SETTLS, type CloneRequest } from './clone-args.js';
import { FileBacking, mmOf } from './mm.js';
import type { AddressSpace } from '../memory.js';
import { Process } from './process.js';
import { SIG_IGN } from './signals.js';

/** SIGCHLD's si_code values. */
export const CLD_EXITED = 1;
export const CLD_KILLED = 2;
export const CLD_DUMPED = 3;
const SIGCHLD = 17;
/** sa_flags: children never become zombies. */
const SA_NOCLDWAIT = 2;

/** The copy of `parent` a fork makes, with pid `pid`: same memory (copy-on-write), fds, signal
 *  actions and mask, credentials, limits, working directory; it returns 0 from the same call. */
export function forkProcess(parent: Process, request: CloneRequest, pid: number): Process {
  const mem = parent.mem.fork((source) => (source instanceof FileBacking ? source.dup() : source));
  const cpu = childCpu(parent, mem, request);
  const { uid, euid, gid, egid } = parent.identity;
  const child = new Process(cpu, mem, parent.exePath, parent.cwd, { uid, euid, gid, egid }, parent.random, parent.clock, parent.metadata, {
    pid,
    ppid: parent.pid,
    pgid: parent.pgid,
    sid: parent.sid,
  });
  child.vfs = parent.vfs;
  child.diagnose = parent.diagnose;
  child.useFds(parent.fds.fork());
  Object.assign(child.identity, { ...parent.identity, groups: [...parent.identity.groups] });
  parent.limits.forEach((limit, k) => (child.limits[k] = [limit[0], limit[1]]));
  child.umask = parent.umask;
  child.comm = parent.comm;
  child.personality = parent.personality;
  child.uts = parent.uts;
  Object.assign(child.sched, parent.sched);
  child.noNewPrivs = parent.noNewPrivs;
  child.dumpable = parent.dumpable;
  child.seccomp.strict = parent.seccomp.strict;
  child.seccomp.filters.push(...parent.seccomp.filters);
  const signals = child.signals;
  parent.signals.actions.forEach((a, sig) => (signals.actions[sig] = { ...a }));
  signals.blocked = parent.signals.blocked;
  signals.altstack = { ...parent.signals.altstack };
  child.auxv = parent.auxv;
  child.argArea = parent.argArea;
  child.envArea = parent.envArea;
  child.stackStart = parent.stackStart;
  child.brkStart = parent.brkStart;
  child.brkEnd = parent.brkEnd;
  child.exitSignal = request.exitSignal;
  child.group.forkedNoExec = true;
  child.setExecutable(parent.exePath);
  const mm = mmOf(child);
  mm.maxMemory = mmOf(parent).maxMemory;
  mm.refresh();
  settleTids(parent, child, request);
  parent.children.push(child);
  return child;
}

/** A new thread of `parent`'s process (clone with CLONE_THREAD), with tid `tid`: it runs on
 *  the stack and with the TLS the request gives, from the same call, which returns 0 in it.
 *  Without CLONE_FILES it gets a copy of the fd table. */
export function createThread(parent: Process, request: CloneRequest, tid: number): Process {
  const thread = Process.thread({ leader: parent, tid, cpu: childCpu(parent, parent.mem, request) });
  if (!(request.flags & BigInt(CLONE_FILES))) thread.useFds(parent.fds.fork());
  thread.signals.blocked = parent.signals.blocked;
  settleTids(parent, thread, request);
  return thread;
}

/** The new task's registers: the parent's, with RAX 0, the request's stack and TLS. */
function childCpu(parent: Process, mem: AddressSpace, request: CloneRequest): Cpu {
  const cpu = new Cpu(mem);
  cpu.copyFrom(parent.cpu);
  cpu.setNumber(0, 0);
  if (request.stack !== 0) cpu.setNumber(4, request.stack);
  if (request.flags & BigInt(CLONE_SETTLS)) cpu.fsBase = request.tls;
  return cpu;
}

/** CLONE_PARENT_SETTID and CLONE_CHILD_SETTID store the new tid; CLONE_CHILD_CLEARTID keeps
 *  where to clear it when the task ends (a thread join waits for that). */
function settleTids(parent: Process, child: Process, request: CloneRequest): void {
  const tid = new Uint8Array(new Int32Array([child.tid]).buffer);
  if (request.flags & BigInt(CLONE_PARENT_SETTID)) parent.mem.writeBytes(request.parentTid, tid);
  if (request.flags & BigInt(CLONE_CHILD_SETTID)) child.mem.writeBytes(request.childTid, tid);
  if (request.flags & BigInt(CLONE_CHILD_CLEARTID)) child.clearChildTid = request.childTid;
}

/** The wait status word of an ended process (wait4's *wstatus). */
export function waitStatus(status: ExitStatus): number {
  return status.kind === 'exited' ? (status.code & 0xff) << 8 : status.signal | (status.coreDumped ? 0x80 : 0);
}

/** SIGCHLD's si_code and si_status for an ended process. */
export function childInfo(status: ExitStatus): { code: number; status: number } {
  if (status.kind === 'exited') return { code: CLD_EXITED, status: status.code & 0xff };
  return { code: status.coreDumped ? CLD_DUMPED : CLD_KILLED, status: status.signal };
}

/**
 * `proc` has ended (`processes`: every process the machine knows, the first one first): its
 * children go to the first process (or are reaped at once when that one has ended too), and
 * its parent gets its exit signal; a parent that ignores SIGCHLD (or set SA_NOCLDWAIT) never
 * sees it as a zombie. Returns the processes that were reaped here.
 */
export function processEnded(proc: Process, processes: readonly Process[]): Process[] {
  const reaped: Process[] = [];
  const first = processes[0];
  for (const orphan of proc.children.splice(0)) {
    if (first !== proc && !first.exitStatus) {
      orphan.ppid = first.pid;
      first.children.push(orphan);
    } else if (orphan.exitStatus) reaped.push(orphan);
  }
  const parent = processes.find((p) => p.pid === proc.ppid && p.children.includes(proc));
  if (!parent) return proc === first ? reaped : [...reaped, proc];
  const action = parent.signals.actions[SIGCHLD];
  if (proc.exitSignal === SIGCHLD && (action.handler === SIG_IGN || action.flags & SA_NOCLDWAIT)) {
    parent.children.splice(parent.children.indexOf(proc), 1);
    reaped.push(proc);
  }
  if (proc.exitSignal !== 0) {
    const info = childInfo(proc.exitStatus!);
    parent.signals.send({ signo: proc.exitSignal, code: info.code, sender: { pid: proc.pid, uid: proc.identity.uid }, child: { status: info.status, utime: 0, stime: 0 }, async: true, shared: true });
  }
  return reaped;
}
