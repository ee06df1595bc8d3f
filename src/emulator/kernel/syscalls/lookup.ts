// What the path-taking families share: a path argument resolved through the VFS (with
// AT_EMPTY_PATH meaning the dirfd itself), what stat says of the result, and its identity for the
// file metadata.
import fs from 'node:fs';
import { argInt } from '../../../trace/event.js';
import type { SyscallContext } from '../context.js';
import { AT_EMPTY_PATH, AT_FDCWD, readPath } from '../context.js';
import { Errno } from '../errno.js';
import { deviceStat, O_PATH, OpenFile, StatInfo, statFromHost } from '../files.js';
import { fileKey, FileKey } from '../metadata.js';
import { procStat } from '../procfs.js';
import { Lookup, mayAccess, W_OK, X_OK } from '../vfs.js';
import type { Process } from '../process.js';

/** A Lookup standing for an open description (AT_EMPTY_PATH, /proc/self/fd/N). */
export function fdLookup(file: OpenFile): Lookup {
  return { guest: file.path, host: file.hostFd !== null ? `/proc/self/fd/${file.hostFd}` : null, stat: null, virtual: { kind: 'fd', file }, last: 'norm', trailingSlash: false };
}

/**
 * Reads the path at pathAddr and resolves it relative to dirfd. With AT_EMPTY_PATH in `atFlags`
 * an empty path means dirfd itself (any kind of file, O_PATH included).
 */
export function lookupAt(c: SyscallContext, dirfd: number, pathAddr: number, follow: boolean | 'never', atFlags = 0): Lookup | number {
  const p = readPath(c.proc, pathAddr);
  if (typeof p === 'number') return p;
  if (p === '' && atFlags & AT_EMPTY_PATH) {
    if (dirfd === AT_FDCWD) return c.proc.vfs.resolve(c.proc, AT_FDCWD, '.', { follow: true });
    const file = c.proc.fds.get(dirfd);
    return file ? fdLookup(file) : -Errno.EBADF;
  }
  return c.proc.vfs.resolve(c.proc, dirfd, p, { follow });
}

/** What stat reports for a lookup's object (before metadata.view). */
export function statOf(proc: Process, l: Lookup): StatInfo | number {
  const v = l.virtual;
  if (v?.kind === 'device') return deviceStat(v.device, proc.clock.bootRealtimeNs);
  if (v?.kind === 'proc') return procStat(proc, l.guest, v.node);
  if (v?.kind === 'fd') return v.file.stat();
  if (l.stat) return statFromHost(l.stat);
  return -Errno.ENOENT;
}

/** The identity the file metadata keeps times under. */
export function keyOf(l: Lookup): FileKey | null {
  if (l.virtual?.kind === 'fd') return l.virtual.file.hostKey?.() ?? null;
  if (l.stat) return fileKey(l.stat.dev, l.stat.ino);
  return null;
}

/** The identity of a host path (not following a last symlink), or null. */
export function lstatKey(hostPath: string | null): FileKey | null {
  if (hostPath === null) return null;
  try {
    const s = fs.lstatSync(hostPath, { bigint: true });
    return fileKey(s.dev, s.ino);
  } catch {
    return null;
  }
}

/** The host path of a lookup's parent directory. */
export function parentHost(l: Lookup): string | null {
  if (l.host === null) return null;
  const slash = l.host.lastIndexOf('/');
  return slash <= 0 ? '/' : l.host.slice(0, slash);
}

/** Whether the guest may add or remove names in the lookup's directory (write and search). */
export function mayChangeParent(proc: Process, l: Lookup): boolean {
  if (proc.identity.euid === 0) return true;
  const parent = parentHost(l);
  if (parent === null) return false;
  try {
    return mayAccess(proc, fs.statSync(parent, { bigint: true }), W_OK | X_OK);
  } catch {
    return false;
  }
}

/** The description behind an fd argument, or -EBADF. */
export function fdArg(c: SyscallContext, index: number): OpenFile | number {
  return c.proc.fds.get(argInt(c.args, index)) ?? -Errno.EBADF;
}

/** The description behind an fd argument for a call that uses the file itself (an O_PATH
 *  descriptor only names a file: EBADF). */
export function usableFd(c: SyscallContext, index: number): OpenFile | number {
  const file = fdArg(c, index);
  if (typeof file === 'number') return file;
  return file.flags & O_PATH ? -Errno.EBADF : file;
}
