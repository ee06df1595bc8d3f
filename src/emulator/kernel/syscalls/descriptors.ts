// Descriptor operations: dup, dup2, dup3, fcntl (descriptor and status flags, record locks, pipe
// sizes, owners and signals), pipe, pipe2, and ioctl (the generic file requests, and the
// terminal requests answered from the host terminal: terminal.ts).
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { blocksForever, StructWriter } from '../context.js';
import { Errno } from '../errno.js';
import {
  HostFile,
  O_ACCMODE,
  O_APPEND,
  O_CLOEXEC,
  O_NONBLOCK,
  O_PATH,
  O_RDONLY,
  O_WRONLY,
  OpenFile,
  SEEK_CUR,
  SEEK_END,
  SEEK_SET,
} from '../files.js';
import { F_RDLCK, F_UNLCK, F_WRLCK, LockOwner } from '../locks.js';
import { MemfdFile } from '../memfd.js';
import { FileBacking } from '../mm.js';
import { Pipe, PIPE_DEFAULT_SIZE, PIPE_MAX_SIZE, PipeEnd, PIPEFS_DEV } from '../pipes.js';
import {
  isControllingTerminal,
  setTerminalTermios,
  setTerminalWindowSize,
  terminalTermios,
  terminalWindowSize,
  TERMIOS_SIZE,
} from '../terminal.js';
import { fdArg, usableFd } from './lookup.js';

// ---------------------------------------------------------------- dup

function dup(c: SyscallContext): number {
  const file = fdArg(c, 0);
  if (typeof file === 'number') return file;
  return c.proc.fds.allocate(file, false);
}

function dupTo(c: SyscallContext, oldFd: number, newFd: number, closeOnExec: boolean): number {
  const file = c.proc.fds.get(oldFd);
  if (!file) return -Errno.EBADF;
  if (newFd < 0 || newFd >= c.proc.fds.limit) return -Errno.EBADF;
  c.proc.fds.install(newFd, file, closeOnExec);
  return newFd;
}

function dup2(c: SyscallContext): number {
  const oldFd = argInt(c.args, 0);
  const newFd = argInt(c.args, 1);
  // dup2 of an fd onto itself only checks that it is open.
  if (oldFd === newFd) return c.proc.fds.get(oldFd) ? newFd : -Errno.EBADF;
  return dupTo(c, oldFd, newFd, false);
}

function dup3(c: SyscallContext): number {
  const oldFd = argInt(c.args, 0);
  const newFd = argInt(c.args, 1);
  const flags = argInt(c.args, 2);
  if (flags & ~O_CLOEXEC || oldFd === newFd) return -Errno.EINVAL;
  return dupTo(c, oldFd, newFd, (flags & O_CLOEXEC) !== 0);
}

// ---------------------------------------------------------------- fcntl

const F_DUPFD = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const F_GETLK = 5;
const F_SETLK = 6;
const F_SETLKW = 7;
const F_SETOWN = 8;
const F_GETOWN = 9;
const F_SETSIG = 10;
const F_GETSIG = 11;
const F_SETOWN_EX = 15;
const F_GETOWN_EX = 16;
const F_OFD_GETLK = 36;
const F_OFD_SETLK = 37;
const F_OFD_SETLKW = 38;
const F_GETLEASE = 1025;
const F_DUPFD_CLOEXEC = 1030;
const F_SETPIPE_SZ = 1031;
const F_GETPIPE_SZ = 1032;
const F_ADD_SEALS = 1033;
const F_GET_SEALS = 1034;
const FD_CLOEXEC = 1;
/** The status flags F_SETFL may change: O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, O_NONBLOCK. */
const SETFL_MASK = O_APPEND | 0o20000 | 0o40000 | 0o1000000 | O_NONBLOCK;
const F_OWNER_TID = 0;
const F_OWNER_PGRP = 2;

/** F_SETOWN/F_SETSIG state of each open description (asynchronous I/O signals, which nothing
 *  here sends yet). */
const owners = new WeakMap<OpenFile, { type: number; pid: number; signal: number }>();

function ownerState(file: OpenFile): { type: number; pid: number; signal: number } {
  let state = owners.get(file);
  if (!state) owners.set(file, (state = { type: 1, pid: 0, signal: 0 }));
  return state;
}

function fcntl(c: SyscallContext): number {
  const fd = argInt(c.args, 0);
  const file = c.proc.fds.get(fd);
  if (!file) return -Errno.EBADF;
  const cmd = argInt(c.args, 1);
  const arg = argInt(c.args, 2);
  // An O_PATH descriptor only names a file: it may be duplicated and asked for its flags.
  if (file.flags & O_PATH && ![F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL].includes(cmd)) return -Errno.EBADF;
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
      if (arg < 0 || arg >= c.proc.fds.limit) return -Errno.EINVAL;
      return c.proc.fds.allocate(file, cmd === F_DUPFD_CLOEXEC, arg);
    case F_GETFD:
      return c.proc.fds.isCloseOnExec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
      c.proc.fds.setCloseOnExec(fd, (arg & FD_CLOEXEC) !== 0);
      return 0;
    case F_GETFL:
      return file.flags;
    case F_SETFL:
      file.flags = (file.flags & ~SETFL_MASK) | (arg & SETFL_MASK);
      return 0;
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
      return recordLock(c, file, cmd === F_GETLK ? 'get' : cmd === F_SETLK ? 'set' : 'wait', c.proc.pid, fd);
    case F_OFD_GETLK:
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
      return recordLock(c, file, cmd === F_OFD_GETLK ? 'get' : cmd === F_OFD_SETLK ? 'set' : 'wait', file, fd);
    case F_GETOWN: {
      const state = ownerState(file);
      return state.type === F_OWNER_PGRP ? -state.pid : state.pid;
    }
    case F_SETOWN: {
      const state = ownerState(file);
      state.type = arg < 0 ? F_OWNER_PGRP : 1;
      state.pid = Math.abs(arg);
      return 0;
    }
    case F_GETOWN_EX: {
      const state = ownerState(file);
      c.proc.mem.writeBytes(argUlong(c.args, 2), new StructWriter(8).u32(0, state.type).u32(4, state.pid).bytes);
      return 0;
    }
    case F_SETOWN_EX: {
      const raw = c.proc.mem.readBytes(argUlong(c.args, 2), 8);
      const view = new DataView(raw.buffer, raw.byteOffset, 8);
      const type = view.getInt32(0, true);
      const pid = view.getInt32(4, true);
      if (type < F_OWNER_TID || type > F_OWNER_PGRP) return -Errno.EINVAL;
      if (pid !== 0 && pid !== c.proc.pid) return -Errno.ESRCH;
      Object.assign(ownerState(file), { type, pid });
      return 0;
    }
    case F_GETSIG:
      return ownerState(file).signal;
    case F_SETSIG:
      if (arg < 0 || arg > 64) return -Errno.EINVAL;
      ownerState(file).signal = arg;
      return 0;
    case F_GETLEASE:
      return file.kind === 'regular' ? F_UNLCK : -Errno.EINVAL;
    case F_GETPIPE_SZ:
    case F_SETPIPE_SZ:
      return pipeSize(c, file, cmd === F_SETPIPE_SZ ? argUlong(c.args, 2) : null);
    case F_ADD_SEALS:
    case F_GET_SEALS:
      return seals(c, file, cmd === F_ADD_SEALS ? argUint(c.args, 2) : null);
    default:
      // Leases, directory notifications: not emulated.
      return -Errno.EINVAL;
  }
}

/** F_ADD_SEALS and F_GET_SEALS (add null: get): memfd files only. */
function seals(c: SyscallContext, file: OpenFile, add: number | null): number {
  if (!(file instanceof MemfdFile)) return -Errno.EINVAL;
  const inode = file.inode;
  if (add === null) return inode.seals;
  if ((file.flags & O_ACCMODE) === O_RDONLY) return -Errno.EPERM;
  const writablyMapped = c.proc.mem.mappings.some((m) => m.trackWrites && m.source instanceof FileBacking && m.source.store === inode);
  return inode.addSeals(add, writablyMapped);
}

/** F_GETPIPE_SZ and F_SETPIPE_SZ (size null: get). */
function pipeSize(c: SyscallContext, file: OpenFile, size: number | null): number {
  if (file instanceof PipeEnd) {
    if (size === null) return file.pipe.capacity;
    if (size > 0x7fffffff) return -Errno.EINVAL;
    if (size > PIPE_MAX_SIZE && c.proc.identity.euid !== 0) return -Errno.EPERM;
    return file.pipe.resize(size);
  }
  // A host pipe (inherited stdio): its size cannot be read; it has the default.
  if (file.kind === 'fifo') return size === null ? PIPE_DEFAULT_SIZE : -Errno.EPERM;
  return -Errno.EBADF;
}

/** struct flock: l_type, l_whence (shorts), l_start, l_len (off_t), l_pid. */
const FLOCK_SIZE = 32;

/** F_GETLK/F_SETLK/F_SETLKW and their OFD forms over the lock table (locks.ts). */
function recordLock(c: SyscallContext, file: OpenFile, op: 'get' | 'set' | 'wait', owner: LockOwner, fd: number): number {
  const addr = argUlong(c.args, 2);
  const raw = c.proc.mem.readBytes(addr, FLOCK_SIZE);
  const view = new DataView(raw.buffer, raw.byteOffset, FLOCK_SIZE);
  const type = view.getInt16(0, true);
  const whence = view.getInt16(2, true);
  const start = Number(view.getBigInt64(8, true));
  const len = Number(view.getBigInt64(16, true));
  const ofd = typeof owner !== 'number';
  if (ofd && view.getInt32(24, true) !== 0) return -Errno.EINVAL;
  if (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK) return -Errno.EINVAL;
  let base: number;
  if (whence === SEEK_SET) base = 0;
  else if (whence === SEEK_CUR) base = file.tell?.() ?? 0;
  else if (whence === SEEK_END) {
    const st = file.stat();
    if (typeof st === 'number') return st;
    base = Number(st.size);
  } else return -Errno.EINVAL;
  let first = base + start;
  const last = len > 0 ? first + len - 1 : len === 0 ? Infinity : first - 1;
  if (len < 0) first += len;
  if (first < 0) return -Errno.EINVAL;
  const locks = c.proc.vfs.locks;
  const key = locks.keyOf(file);
  if (op === 'get') {
    if (type === F_UNLCK) return -Errno.EINVAL;
    const conflict = locks.conflict(key, owner, type, first, last);
    const out = new StructWriter(FLOCK_SIZE);
    out.bytes.set(raw);
    if (!conflict) out.u16(0, F_UNLCK);
    else {
      out
        .u16(0, conflict.type)
        .u16(2, SEEK_SET)
        .u64(8, conflict.start)
        .u64(16, conflict.end === Infinity ? 0 : conflict.end - conflict.start + 1)
        .u32(24, typeof conflict.owner === 'number' ? conflict.owner : -1);
    }
    c.proc.mem.writeBytes(addr, out.bytes);
    return 0;
  }
  const access = file.flags & O_ACCMODE;
  if ((type === F_RDLCK && access === O_WRONLY) || (type === F_WRLCK && access === O_RDONLY)) return -Errno.EBADF;
  if (type !== F_UNLCK && locks.conflict(key, owner, type, first, last)) {
    if (op === 'set') return -Errno.EAGAIN;
    // The holder is this process too (another description): it can never let go while this
    // call waits.
    return blocksForever(c.proc, `fcntl(${fd}, ${ofd ? 'F_OFD_SETLKW' : 'F_SETLKW'}) on ${file.path}`);
  }
  locks.set(key, owner, type, first, last);
  return 0;
}

// ---------------------------------------------------------------- pipes

/** pipe2's flags: O_NONBLOCK and O_CLOEXEC (O_DIRECT's packet mode is taken and ignored). */
const PIPE2_FLAGS = O_CLOEXEC | O_NONBLOCK | 0o40000;

function makePipe(c: SyscallContext, addr: number, flags: number): number {
  if (flags & ~PIPE2_FLAGS) return -Errno.EINVAL;
  if (!c.proc.mem.isAccessible(addr, 8, 'write')) return -Errno.EFAULT;
  const proc = c.proc;
  const id = proc.vfs.newPipeId();
  const label = `pipe:[${proc.metadata.virtualIno(PIPEFS_DEV, id)}]`;
  const pipe = new Pipe(id, label, { uid: proc.identity.euid, gid: proc.identity.egid }, proc.clock.realtimeNs());
  const status = flags & O_NONBLOCK;
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const reader = new PipeEnd(pipe, O_RDONLY | status);
  const writer = new PipeEnd(pipe, O_WRONLY | status);
  const readFd = proc.fds.allocate(reader, cloexec);
  if (readFd < 0) {
    reader.close();
    writer.close();
    return readFd;
  }
  const writeFd = proc.fds.allocate(writer, cloexec);
  if (writeFd < 0) {
    proc.fds.close(readFd);
    writer.close();
    return writeFd;
  }
  proc.mem.writeBytes(addr, new StructWriter(8).u32(0, readFd).u32(4, writeFd).bytes);
  return 0;
}

function pipe(c: SyscallContext): number {
  return makePipe(c, argUlong(c.args, 0), 0);
}

function pipe2(c: SyscallContext): number {
  return makePipe(c, argUlong(c.args, 0), argInt(c.args, 1));
}

// ---------------------------------------------------------------- ioctl

const TCGETS = 0x5401;
const TCSETS = 0x5402;
const TCSETSW = 0x5403;
const TCSETSF = 0x5404;
const TIOCSCTTY = 0x540e;
const TIOCGPGRP = 0x540f;
const TIOCSPGRP = 0x5410;
const TIOCGWINSZ = 0x5413;
const TIOCSWINSZ = 0x5414;
const FIONREAD = 0x541b;
const FIONBIO = 0x5421;
const TIOCNOTTY = 0x5422;
const TIOCGSID = 0x5429;
const FIONCLEX = 0x5450;
const FIOCLEX = 0x5451;
const FIOASYNC = 0x5452;
const O_ASYNC = 0o20000;

function readInt(c: SyscallContext, addr: number): number {
  const raw = c.proc.mem.readBytes(addr, 4);
  return new DataView(raw.buffer, raw.byteOffset, 4).getInt32(0, true);
}

function writeInt(c: SyscallContext, addr: number, value: number): void {
  c.proc.mem.writeBytes(addr, new StructWriter(4).u32(0, value).bytes);
}

/**
 * ioctl: the requests every file has (FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIONREAD on regular
 * files and pipes), and on a host terminal the termios, window size and process group requests.
 * Everything else is ENOTTY, as for a file without that driver.
 */
function ioctl(c: SyscallContext): number {
  const fd = argInt(c.args, 0);
  const file = usableFd(c, 0);
  if (typeof file === 'number') return file;
  const request = argUint(c.args, 1);
  const arg = argUlong(c.args, 2);
  switch (request) {
    case FIOCLEX:
    case FIONCLEX:
      c.proc.fds.setCloseOnExec(fd, request === FIOCLEX);
      return 0;
    case FIONBIO:
      file.flags = readInt(c, arg) ? file.flags | O_NONBLOCK : file.flags & ~O_NONBLOCK;
      return 0;
    case FIOASYNC:
      file.flags = readInt(c, arg) ? file.flags | O_ASYNC : file.flags & ~O_ASYNC;
      return 0;
    case FIONREAD:
      // Of the anonymous inodes, those with a queue to count (inotify) answer too.
      if (file.kind === 'regular' || file.kind === 'pipe' || file.kind === 'fifo' || file.kind === 'socket' || isTerminal(file) || (file.kind === 'anon' && file.readable)) {
        writeInt(c, arg, file.readable?.() ?? 0);
        return 0;
      }
      return -Errno.ENOTTY;
  }
  if (!isTerminal(file)) return -Errno.ENOTTY;
  return terminalIoctl(c, file as HostFile, request, arg);
}

function isTerminal(file: OpenFile): boolean {
  return file instanceof HostFile && file.isTerminal;
}

function terminalIoctl(c: SyscallContext, file: HostFile, request: number, arg: number): number {
  const hostFd = file.hostFd;
  switch (request) {
    case TCGETS:
      c.proc.mem.writeBytes(arg, terminalTermios(hostFd));
      return 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
      setTerminalTermios(hostFd, c.proc.mem.readBytes(arg, TERMIOS_SIZE));
      return 0;
    case TIOCGWINSZ: {
      const { rows, cols } = terminalWindowSize(hostFd);
      c.proc.mem.writeBytes(arg, new StructWriter(8).u16(0, rows).u16(2, cols).bytes);
      return 0;
    }
    case TIOCSWINSZ: {
      const raw = c.proc.mem.readBytes(arg, 8);
      const view = new DataView(raw.buffer, raw.byteOffset, 8);
      setTerminalWindowSize(hostFd, view.getUint16(0, true), view.getUint16(2, true));
      return 0;
    }
    case TIOCGPGRP:
      // The guest is the terminal's foreground job: its own process group.
      if (!isControllingTerminal(hostFd)) return -Errno.ENOTTY;
      writeInt(c, arg, c.proc.pid);
      return 0;
    case TIOCSPGRP: {
      if (!isControllingTerminal(hostFd)) return -Errno.ENOTTY;
      const pgrp = readInt(c, arg);
      if (pgrp < 0) return -Errno.EINVAL;
      return pgrp === c.proc.pid ? 0 : -Errno.EPERM;
    }
    case TIOCGSID:
      if (!isControllingTerminal(hostFd)) return -Errno.ENOTTY;
      writeInt(c, arg, c.proc.ppid);
      return 0;
    case TIOCSCTTY:
      return isControllingTerminal(hostFd) ? 0 : -Errno.EPERM;
    case TIOCNOTTY:
      return isControllingTerminal(hostFd) ? 0 : -Errno.ENOTTY;
    default:
      return -Errno.ENOTTY;
  }
}

export const DESCRIPTOR_SYSCALLS: Record<string, SyscallHandler> = {
  dup,
  dup2,
  dup3,
  fcntl,
  pipe,
  pipe2,
  ioctl,
};

