// What descriptors refer to, as strace -y and -yy show them: the path /proc/self/fd gives (the
// working directory for AT_FDCWD) and, for a device, `char 1:3`. Read for an observer that asks
// (SyscallObserver.describesFds); nothing here changes what the guest sees.
import fs from 'node:fs';
import type { FdName, FdNames } from '../../trace/event.js';
import { DeviceFile, HostFile } from './files.js';
import type { OpenFile } from './files.js';
import type { Process } from './process.js';
import { socketDetail } from './sockets/describe.js';
import { Socket } from './sockets/socket.js';

const AT_FDCWD = -100;

/** `char 1:3` for a device, from its dev_t (glibc's major() and minor()). */
function deviceText(kind: 'char' | 'block', rdev: bigint): string {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return `${kind} ${major}:${minor}`;
}

/** The device a description is, without stat(): that would number its inode for the guest. */
function deviceOf(file: OpenFile): string | undefined {
  if (file.kind !== 'chardev' && file.kind !== 'blockdev') return undefined;
  const kind = file.kind === 'chardev' ? 'char' : 'block';
  if (file instanceof DeviceFile) return `${kind} ${file.node.major}:${file.node.minor}`;
  if (file instanceof HostFile && file.hostFd !== null) {
    try {
      return deviceText(kind, fs.fstatSync(file.hostFd, { bigint: true }).rdev);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The descriptions of `fds` that are open (AT_FDCWD: the working directory); undefined when
 *  none is. */
export function describeFds(proc: Process, fds: readonly number[]): FdNames | undefined {
  let names: FdNames | undefined;
  for (const fd of fds) {
    let name: FdName | undefined;
    if (fd === AT_FDCWD) name = { path: proc.cwd };
    else {
      const file = proc.fds.get(fd);
      if (file === undefined) continue;
      const dev = deviceOf(file);
      name = dev === undefined ? { path: file.path } : { path: file.path, dev };
      if (file instanceof Socket) name.detail = socketDetail(file);
    }
    (names ??= {})[fd] = name;
  }
  return names;
}
