// What clone, clone3, fork and vfork ask for, read and checked as Linux's kernel/fork.c does
// (clone3's copy_clone_args_from_user and clone3_args_valid, then copy_process's flag rules), in
// its order, so that a refused request fails with Linux's errno. The result describes the new
// task; creating it is the scheduler's (docs/processes.md).
import { MemoryFault } from '../memory.js';
import { Errno } from './errno.js';
import type { Process } from './process.js';

export const CSIGNAL = 0xff;
export const CLONE_VM = 0x100;
export const CLONE_FS = 0x200;
export const CLONE_FILES = 0x400;
export const CLONE_SIGHAND = 0x800;
export const CLONE_PIDFD = 0x1000;
export const CLONE_PTRACE = 0x2000;
export const CLONE_VFORK = 0x4000;
export const CLONE_PARENT = 0x8000;
export const CLONE_THREAD = 0x10000;
export const CLONE_NEWNS = 0x20000;
export const CLONE_SYSVSEM = 0x40000;
export const CLONE_SETTLS = 0x80000;
export const CLONE_PARENT_SETTID = 0x100000;
export const CLONE_CHILD_CLEARTID = 0x200000;
export const CLONE_DETACHED = 0x400000;
export const CLONE_UNTRACED = 0x800000;
export const CLONE_CHILD_SETTID = 0x1000000;
export const CLONE_NEWCGROUP = 0x2000000;
export const CLONE_NEWUTS = 0x4000000;
export const CLONE_NEWIPC = 0x8000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;
export const CLONE_IO = 0x80000000;
/** clone3 only: the upper half of the flags. */
export const CLONE_CLEAR_SIGHAND = 2n ** 32n;
export const CLONE_INTO_CGROUP = 2n ** 33n;
/** clone3 only: shares the bit with CSIGNAL's 0x80. */
export const CLONE_NEWTIME = 0x80;
/** Every namespace flag: the emulator has one namespace of each kind. */
export const CLONE_NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;

/** The legacy flags (the low 32 bits); clone3 adds the two above. */
const CLONE_LEGACY_FLAGS = 0xffffffffn;
/** struct clone_args sizes: the first version, and the one with set_tid and cgroup (88). */
export const CLONE_ARGS_SIZE_VER0 = 64;
export const CLONE_ARGS_SIZE_VER2 = 88;
const PAGE_SIZE = 4096;
const MAX_PID_NS_LEVEL = 32;
const NSIG = 64;
const INT_MAX = 0x7fffffffn;

/** A new task, as the caller asked for it. */
export interface CloneRequest {
  /** CLONE_* flags (clone3's upper ones included); the exit signal apart. */
  flags: bigint;
  exitSignal: number;
  /** The new task's stack pointer (0: the parent's). */
  stack: number;
  stackSize: number;
  tls: number;
  parentTid: number;
  childTid: number;
  /** Where CLONE_PIDFD stores the pidfd. */
  pidfd: number;
  setTid: number;
  setTidSize: number;
}

const has = (flags: bigint, flag: number | bigint): boolean => (flags & BigInt(flag)) !== 0n;

/** copy_process's checks on the flags, common to every way in. */
function checkFlags(r: CloneRequest): number {
  const f = r.flags;
  if (has(f, CLONE_NEWNS) && has(f, CLONE_FS)) return -Errno.EINVAL;
  if (has(f, CLONE_NEWUSER) && has(f, CLONE_FS)) return -Errno.EINVAL;
  // A thread shares its group's signal handlers, which only tasks sharing memory may share.
  if (has(f, CLONE_THREAD) && !has(f, CLONE_SIGHAND)) return -Errno.EINVAL;
  if (has(f, CLONE_SIGHAND) && !has(f, CLONE_VM)) return -Errno.EINVAL;
  if (has(f, CLONE_THREAD) && (has(f, CLONE_NEWUSER) || has(f, CLONE_NEWPID))) return -Errno.EINVAL;
  if (has(f, CLONE_PIDFD) && has(f, CLONE_DETACHED)) return -Errno.EINVAL;
  // Legacy clone returns the pidfd through parent_tid; clone3's own field may not point there either.
  if (has(f, CLONE_PIDFD) && has(f, CLONE_PARENT_SETTID) && r.pidfd === r.parentTid) return -Errno.EINVAL;
  return 0;
}

/** clone(flags, stack, parent_tid, child_tid, tls): the x86-64 argument order. */
export function legacyClone(flags: number, stack: number, parentTid: number, childTid: number, tls: number): CloneRequest | number {
  const low = flags >>> 0;
  const request: CloneRequest = {
    flags: BigInt(low & ~CSIGNAL),
    exitSignal: low & CSIGNAL,
    stack,
    stackSize: 0,
    tls,
    parentTid,
    childTid,
    pidfd: parentTid,
    setTid: 0,
    setTidSize: 0,
  };
  const refused = checkFlags(request);
  return refused < 0 ? refused : request;
}

/** fork() and vfork(): clone(SIGCHLD) and clone(CLONE_VM|CLONE_VFORK|SIGCHLD). */
export function forkRequest(vfork: boolean): CloneRequest {
  const SIGCHLD = 17;
  return { flags: vfork ? BigInt(CLONE_VM | CLONE_VFORK) : 0n, exitSignal: SIGCHLD, stack: 0, stackSize: 0, tls: 0, parentTid: 0, childTid: 0, pidfd: 0, setTid: 0, setTidSize: 0 };
}

/** Reads a struct clone_args of `size` bytes at `addr`; bytes past the known fields must be 0
 *  (copy_struct_from_user: E2BIG otherwise). */
function readCloneArgs(proc: Process, addr: number, size: number): bigint[] | number {
  let bytes: Uint8Array;
  try {
    bytes = proc.mem.readBytes(addr, size);
  } catch (e) {
    if (e instanceof MemoryFault) return -Errno.EFAULT;
    throw e;
  }
  for (let k = CLONE_ARGS_SIZE_VER2; k < size; k++) if (bytes[k] !== 0) return -Errno.E2BIG;
  const known = new Uint8Array(CLONE_ARGS_SIZE_VER2);
  known.set(bytes.subarray(0, Math.min(size, CLONE_ARGS_SIZE_VER2)));
  const view = new DataView(known.buffer);
  return Array.from({ length: CLONE_ARGS_SIZE_VER2 / 8 }, (_, k) => view.getBigUint64(8 * k, true));
}

/** clone3(args, size). */
export function clone3Request(proc: Process, addr: number, size: number): CloneRequest | number {
  if (size > PAGE_SIZE) return -Errno.E2BIG;
  if (size < CLONE_ARGS_SIZE_VER0) return -Errno.EINVAL;
  const fields = readCloneArgs(proc, addr, size);
  if (typeof fields === 'number') return fields;
  const [flags, pidfd, childTid, parentTid, exitSignal, stack, stackSize, tls, setTid, setTidSize, cgroup] = fields;
  if (setTidSize > BigInt(MAX_PID_NS_LEVEL)) return -Errno.EINVAL;
  if (setTid !== 0n && setTidSize === 0n) return -Errno.EINVAL;
  if (setTid === 0n && setTidSize > 0n) return -Errno.EINVAL;
  if (exitSignal & ~BigInt(CSIGNAL) || exitSignal > BigInt(NSIG)) return -Errno.EINVAL;
  if (has(flags, CLONE_INTO_CGROUP) && (cgroup > INT_MAX || size < CLONE_ARGS_SIZE_VER2)) return -Errno.EINVAL;
  // clone3_args_valid: no unknown flags; CLONE_DETACHED and the CSIGNAL bits (but CLONE_NEWTIME) are not flags here.
  if (flags & ~(CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)) return -Errno.EINVAL;
  if (has(flags, CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME))) return -Errno.EINVAL;
  if (has(flags, CLONE_SIGHAND) && has(flags, CLONE_CLEAR_SIGHAND)) return -Errno.EINVAL;
  if ((has(flags, CLONE_THREAD) || has(flags, CLONE_PARENT)) && exitSignal !== 0n) return -Errno.EINVAL;
  if (stack === 0n ? stackSize > 0n : stackSize === 0n || stack + stackSize > 2n ** 47n) return -Errno.EINVAL;
  const request: CloneRequest = {
    flags,
    exitSignal: Number(exitSignal),
    stack: Number(stack + stackSize),
    stackSize: Number(stackSize),
    tls: Number(tls),
    parentTid: Number(parentTid),
    childTid: Number(childTid),
    pidfd: Number(pidfd),
    setTid: Number(setTid),
    setTidSize: Number(setTidSize),
  };
  const refused = checkFlags(request);
  return refused < 0 ? refused : request;
}
