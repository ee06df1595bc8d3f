// Syscalls that name files by path: open, stat, readlink, unlink, access, getcwd.
import fs from 'node:fs';
import path from 'node:path';
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, readPath, resolveAt, StructWriter } from '../context.js';
import { Errno, hostErrno } from '../errno.js';
import {
  DeviceFile,
  deviceStat,
  DirectoryFile,
  EMULATED_DEVICES,
  HostFile,
  O_ACCMODE,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_PATH,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  OpenFile,
  StatInfo,
  statFromHost,
} from '../files.js';
import { fileKey, FileKey } from '../metadata.js';
import type { Process } from '../process.js';

/** The parts of /proc/self the emulator answers itself so far. */
function procSelfPath(proc: Process, p: string): string | null {
  const match = /^\/proc\/(self|\d+)(\/.*)?$/.exec(p);
  if (!match || (match[1] !== 'self' && Number(match[1]) !== proc.pid)) return null;
  return match[2] ?? '/';
}

function openAt(c: SyscallContext, dirfd: number, pathAddr: number, flags: number, mode: number): number {
  const p = readPath(c.proc, pathAddr);
  if (typeof p === 'number') return p;
  if (p === '') return -Errno.ENOENT;
  const resolved = resolveAt(c.proc, dirfd, p);
  if (typeof resolved === 'number') return resolved;
  if (procSelfPath(c.proc, resolved) !== null) {
    if (procSelfPath(c.proc, resolved) === '/exe') return openHost(c, c.proc.exePath, flags, mode);
    return -Errno.ENOENT;
  }
  const device = EMULATED_DEVICES.get(path.normalize(resolved));
  if (device) {
    if ((flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) return -Errno.EEXIST;
    if (flags & O_DIRECTORY) return -Errno.ENOTDIR;
    const file = new DeviceFile(resolved, flags & ~O_CLOEXEC, device, c.proc.random, c.proc.clock.bootRealtimeNs);
    return c.proc.fds.allocate(file, (flags & O_CLOEXEC) !== 0);
  }
  return openHost(c, resolved, flags, mode);
}

/** The identity of a host path (not following a last symlink), or null when it has none. */
function lstatKey(hostPath: string): FileKey | null {
  try {
    const s = fs.lstatSync(hostPath, { bigint: true });
    return fileKey(s.dev, s.ino);
  } catch {
    return null;
  }
}

function openHost(c: SyscallContext, hostPath: string, flags: number, mode: number): number {
  // O_CLOEXEC is ours to track; the host fd is private to emtrace anyway.
  const hostFlags = flags & ~O_CLOEXEC & ~O_PATH;
  const creating = (flags & O_CREAT) !== 0 && !fs.existsSync(hostPath);
  let fd: number;
  try {
    fd = fs.openSync(hostPath, hostFlags, (mode & 0o7777 & ~c.proc.umask) >>> 0);
  } catch (e) {
    return -hostErrno(e);
  }
  let isDirectory = false;
  try {
    isDirectory = fs.fstatSync(fd).isDirectory();
  } catch {
    // a HostFile then, which reports the error when used
  }
  const file: OpenFile = isDirectory
    ? new DirectoryFile(fd, hostPath, flags & ~O_CLOEXEC)
    : new HostFile(fd, hostPath, flags & ~O_CLOEXEC, true);
  const result = c.proc.fds.allocate(file, (flags & O_CLOEXEC) !== 0);
  if (result < 0) {
    file.close();
    return result;
  }
  // The times the guest gave the file (and a new file's directory).
  const metadata = c.proc.metadata;
  if (creating) {
    metadata.created(file.hostKey?.() ?? null);
    metadata.modified(lstatKey(path.dirname(hostPath)));
  } else if (flags & O_TRUNC && (flags & O_ACCMODE) !== O_RDONLY && !isDirectory) {
    metadata.modified(file.hostKey?.() ?? null);
  }
  return result;
}

function open(c: SyscallContext): number {
  return openAt(c, AT_FDCWD, argUlong(c.args, 0), argInt(c.args, 1), argUint(c.args, 2));
}

function openat(c: SyscallContext): number {
  return openAt(c, argInt(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2), argUint(c.args, 3));
}

function creat(c: SyscallContext): number {
  return openAt(c, AT_FDCWD, argUlong(c.args, 0), O_CREAT | O_TRUNC | O_WRONLY, argUint(c.args, 1));
}

// ---------------------------------------------------------------- stat

/** struct stat as x86-64 Linux lays it out (144 bytes). */
export function encodeStat(s: StatInfo): Uint8Array {
  const w = new StructWriter(144);
  const seconds = (ns: bigint) => ns / 1000000000n;
  const nanos = (ns: bigint) => ns % 1000000000n;
  w.u64(0, s.dev)
    .u64(8, s.ino)
    .u64(16, s.nlink)
    .u32(24, s.mode)
    .u32(28, s.uid)
    .u32(32, s.gid)
    .u64(40, s.rdev)
    .u64(48, s.size)
    .u64(56, s.blksize)
    .u64(64, s.blocks)
    .u64(72, seconds(s.atimeNs))
    .u64(80, nanos(s.atimeNs))
    .u64(88, seconds(s.mtimeNs))
    .u64(96, nanos(s.mtimeNs))
    .u64(104, seconds(s.ctimeNs))
    .u64(112, nanos(s.ctimeNs));
  return w.bytes;
}

/** What stat reports for a host path, as the host has it (metadata.view makes it the guest's). */
function statPath(c: SyscallContext, hostPath: string, followLinks: boolean): StatInfo | number {
  const special = procSelfPath(c.proc, hostPath);
  if (special !== null) {
    // Only the executable link is emulated so far; the rest of /proc/self is the kernel issue's.
    if (special !== '/exe' || !followLinks) return -Errno.ENOENT;
    hostPath = c.proc.exePath;
  }
  const device = EMULATED_DEVICES.get(path.normalize(hostPath));
  if (device) return deviceStat(device, c.proc.clock.bootRealtimeNs);
  try {
    const s = followLinks ? fs.statSync(hostPath, { bigint: true }) : fs.lstatSync(hostPath, { bigint: true });
    return statFromHost(s);
  } catch (e) {
    return -hostErrno(e);
  }
}

function statAt(c: SyscallContext, dirfd: number, pathAddr: number, bufAddr: number, flags: number): number {
  const p = readPath(c.proc, pathAddr);
  if (typeof p === 'number') return p;
  let result: StatInfo | number;
  if (p === '') {
    if (!(flags & AT_EMPTY_PATH)) return -Errno.ENOENT;
    if (dirfd === AT_FDCWD) result = statPath(c, c.proc.cwd, true);
    else {
      const file = c.proc.fds.get(dirfd);
      if (!file) return -Errno.EBADF;
      result = file.stat();
    }
  } else {
    const resolved = resolveAt(c.proc, dirfd, p);
    if (typeof resolved === 'number') return resolved;
    result = statPath(c, resolved, !(flags & AT_SYMLINK_NOFOLLOW));
  }
  if (typeof result === 'number') return result;
  c.proc.mem.writeBytes(bufAddr, encodeStat(c.proc.metadata.view(result)));
  return 0;
}

function stat(c: SyscallContext): number {
  return statAt(c, AT_FDCWD, argUlong(c.args, 0), argUlong(c.args, 1), 0);
}

function lstat(c: SyscallContext): number {
  return statAt(c, AT_FDCWD, argUlong(c.args, 0), argUlong(c.args, 1), AT_SYMLINK_NOFOLLOW);
}

function fstat(c: SyscallContext): number {
  const file = c.proc.fds.get(argInt(c.args, 0));
  if (!file) return -Errno.EBADF;
  const result = file.stat();
  if (typeof result === 'number') return result;
  c.proc.mem.writeBytes(argUlong(c.args, 1), encodeStat(c.proc.metadata.view(result)));
  return 0;
}

function newfstatat(c: SyscallContext): number {
  return statAt(c, argInt(c.args, 0), argUlong(c.args, 1), argUlong(c.args, 2), argInt(c.args, 3));
}

// ---------------------------------------------------------------- links, names, access

function readlinkAt(c: SyscallContext, dirfd: number, pathAddr: number, bufAddr: number, size: number): number {
  if (size <= 0) return -Errno.EINVAL;
  const p = readPath(c.proc, pathAddr);
  if (typeof p === 'number') return p;
  const resolved = resolveAt(c.proc, dirfd, p);
  if (typeof resolved === 'number') return resolved;
  let target: string;
  const special = procSelfPath(c.proc, resolved);
  if (special === '/exe') target = c.proc.exePath;
  else if (special !== null) return -Errno.ENOENT;
  else {
    try {
      target = fs.readlinkSync(resolved, 'utf8');
    } catch (e) {
      return -hostErrno(e);
    }
  }
  // readlink does not NUL-terminate and silently truncates.
  const bytes = Buffer.from(target, 'utf8').subarray(0, size);
  c.proc.mem.writeBytes(bufAddr, bytes);
  return bytes.length;
}

function readlink(c: SyscallContext): number {
  return readlinkAt(c, AT_FDCWD, argUlong(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2));
}

function readlinkat(c: SyscallContext): number {
  return readlinkAt(c, argInt(c.args, 0), argUlong(c.args, 1), argUlong(c.args, 2), argInt(c.args, 3));
}

function unlinkAt(c: SyscallContext, dirfd: number, pathAddr: number, flags: number): number {
  if (flags & ~AT_REMOVEDIR) return -Errno.EINVAL;
  const p = readPath(c.proc, pathAddr);
  if (typeof p === 'number') return p;
  const resolved = resolveAt(c.proc, dirfd, p);
  if (typeof resolved === 'number') return resolved;
  const key = lstatKey(resolved);
  try {
    if (flags & AT_REMOVEDIR) fs.rmdirSync(resolved);
    else fs.unlinkSync(resolved);
  } catch (e) {
    return -hostErrno(e);
  }
  // The directory lost an entry; the file (if linked elsewhere or open) lost a link.
  c.proc.metadata.modified(lstatKey(path.dirname(resolved)));
  c.proc.metadata.changed(key);
  return 0;
}

function unlink(c: SyscallContext): number {
  return unlinkAt(c, AT_FDCWD, argUlong(c.args, 0), 0);
}

function unlinkat(c: SyscallContext): number {
  return unlinkAt(c, argInt(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2));
}

function accessAt(c: SyscallContext, dirfd: number, pathAddr: number, mode: number): number {
  if (mode & ~7) return -Errno.EINVAL;
  const p = readPath(c.proc, pathAddr);
  if (typeof p === 'number') return p;
  const resolved = resolveAt(c.proc, dirfd, p);
  if (typeof resolved === 'number') return resolved;
  try {
    fs.accessSync(resolved, mode);
    return 0;
  } catch (e) {
    return -hostErrno(e);
  }
}

function access(c: SyscallContext): number {
  return accessAt(c, AT_FDCWD, argUlong(c.args, 0), argInt(c.args, 1));
}

function faccessat(c: SyscallContext): number {
  return accessAt(c, argInt(c.args, 0), argUlong(c.args, 1), argInt(c.args, 2));
}

function getcwd(c: SyscallContext): number {
  const bytes = Buffer.from(c.proc.cwd + '\0', 'utf8');
  const size = argUlong(c.args, 1);
  if (size < bytes.length) return -Errno.ERANGE;
  c.proc.mem.writeBytes(argUlong(c.args, 0), bytes);
  return bytes.length;
}

function chdir(c: SyscallContext): number {
  const p = readPath(c.proc, argUlong(c.args, 0));
  if (typeof p === 'number') return p;
  const resolved = resolveAt(c.proc, AT_FDCWD, p);
  if (typeof resolved === 'number') return resolved;
  try {
    if (!fs.statSync(resolved).isDirectory()) return -Errno.ENOTDIR;
  } catch (e) {
    return -hostErrno(e);
  }
  c.proc.cwd = resolved;
  return 0;
}

export const PATH_SYSCALLS: Record<string, SyscallHandler> = {
  open,
  openat,
  creat,
  stat,
  lstat,
  fstat,
  newfstatat,
  readlink,
  readlinkat,
  unlink,
  unlinkat,
  access,
  faccessat,
  getcwd,
  chdir,
};

