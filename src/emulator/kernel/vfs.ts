// Path resolution: every syscall that takes a path walks it here, one component at a time, as
// Linux's namei does, instead of handing a joined string to the host:
//
// - each component is looked up with lstat; a symlink met before the last component (or at the
//   last one when the call follows links) is read and its target walked in its place, at most 40
//   in one resolution (then ELOOP); `..` at the root stays at the root; a non-directory before
//   the last component is ENOTDIR, as is a trailing slash after one;
// - the guest's `/` is a host directory, the root (`--root DIR`; `/` by default). Absolute
//   symlink targets and `..` are taken inside it, as chroot(2) does, so no path leaves it; the
//   paths the guest sees (getcwd, /proc/self/cwd, /proc/self/fd/N) are guest paths;
// - /proc is the emulator's own (procfs.ts), never the host's; /dev/null, /dev/zero,
//   /dev/random and /dev/urandom are emulated; /dev/tty is the host's controlling terminal;
// - `--read-only` makes the whole tree a read-only mount: the syscalls that would change it ask
//   `refuseWrite` and fail with EROFS.
//
// Resolution is relative to the cwd or to a directory fd; the result names the object in guest
// and host terms with its lstat, or says that the last component does not exist (its parent
// does), which is what the creating calls need.
import fs from 'node:fs';
import path from 'node:path';
import { AT_FDCWD } from './context.js';
import { Errno, hostErrno } from './errno.js';
import { DeviceNode, EMULATED_DEVICES, isDirectory, OpenFile } from './files.js';
import { FlockLocks } from './flocks.js';
import { InotifyRegistry } from './inotify.js';
import { RecordLocks } from './locks.js';
import { XattrStore } from './xattrs.js';
import { PROCFS_DEV, ProcNode, procNode, procRootNode } from './procfs.js';
import type { Process } from './process.js';

/** The "host device" of sockets (sockfs): the emulator has none of its own yet, but inherited
 *  ones are named on it. */
export const SOCKFS_DEV = -4n;

export const MAX_SYMLINKS = 40;
export const NAME_MAX = 255;

/** openat2's RESOLVE_* flags. */
export const RESOLVE_NO_XDEV = 0x01;
export const RESOLVE_NO_MAGICLINKS = 0x02;
export const RESOLVE_NO_SYMLINKS = 0x04;
export const RESOLVE_BENEATH = 0x08;
export const RESOLVE_IN_ROOT = 0x10;
export const RESOLVE_CACHED = 0x20;

/** access(2) mode bits, for permission checks. */
export const R_OK = 4;
export const W_OK = 2;
export const X_OK = 1;

/** Something the kernel provides itself rather than the host's filesystem. */
export type VirtualNode =
  /** An entry of /proc (or of the /dev directory a --root tree without one gets). */
  | { kind: 'proc'; node: ProcNode }
  /** An emulated device node. */
  | { kind: 'device'; device: DeviceNode }
  /** What a /proc/<pid>/fd/N link leads to: the open description itself. */
  | { kind: 'fd'; file: OpenFile };

export interface Lookup {
  /** The object's canonical guest path (symlinks resolved, except a last one not followed). */
  guest: string;
  /** Its host path; null for virtual objects. */
  host: string | null;
  /** Its lstat; null when it is virtual or does not exist. */
  stat: fs.BigIntStats | null;
  virtual?: VirtualNode;
  /** The last component: a name, `.`, `..`, or none (the path was `/`). */
  last: 'norm' | 'dot' | 'dotdot' | 'root';
  /** The path ended in `/`. */
  trailingSlash: boolean;
}

/** True when the lookup found something. */
export function exists(l: Lookup): boolean {
  return l.stat !== null || l.virtual !== undefined;
}

/** True when the lookup found a directory. */
export function isDirectoryLookup(l: Lookup): boolean {
  if (l.stat) return l.stat.isDirectory();
  const v = l.virtual;
  if (!v) return false;
  if (v.kind === 'proc') return v.node.type === 'dir';
  if (v.kind === 'fd') return isDirectory(v.file);
  return false;
}

export interface ResolveOptions {
  /** Follow a symlink in the last component (a trailing slash follows one too, unless 'never':
   *  the calls that act on a name itself, unlink, rmdir, rename, mkdir, check it themselves). */
  follow: boolean | 'never';
  /** openat2's RESOLVE_* flags. */
  resolve?: number;
}

const S_IFMT = 0o170000n;
const S_IFDIR = 0o040000n;
const S_IFLNK = 0o120000n;

/** The file system the guest sees: its root, whether it is read-only, and the kernel objects
 *  that belong to the file system rather than to one process (record locks, pipe and /proc inode
 *  numbers). One serves a whole process tree. */
export class Vfs {
  readonly root: string;
  readonly locks = new RecordLocks();
  readonly flocks = new FlockLocks();
  readonly xattrs = new XattrStore();
  readonly inotify = new InotifyRegistry();
  private nextPipe = 1n;
  private readonly procInos = new Map<string, bigint>();

  constructor(
    /** The host directory that is the guest's `/`. */
    root = '/',
    /** Refuse every change to the tree (EROFS). */
    readonly readOnly = false,
  ) {
    this.root = path.resolve(root);
  }

  /** The host path of a canonical guest path. */
  hostPath(guest: string): string {
    if (this.root === '/' || guest === '/dev/tty') return guest;
    return guest === '/' ? this.root : this.root + guest;
  }

  /** The guest path of a host path inside the root, or null when it lies outside. */
  guestPath(host: string): string | null {
    const absolute = path.resolve(host);
    if (this.root === '/') return absolute;
    if (absolute === this.root) return '/';
    return absolute.startsWith(this.root + '/') ? absolute.slice(this.root.length) : null;
  }

  newPipeId(): bigint {
    return this.nextPipe++;
  }

  /** The inode number (before metadata renumbers it) of a /proc path. */
  procIno(guest: string): bigint {
    let ino = this.procInos.get(guest);
    if (ino === undefined) this.procInos.set(guest, (ino = BigInt(this.procInos.size + 1)));
    return ino;
  }

  /** EROFS when the tree is read-only and the object is on it (device nodes, pipes and
   *  sockets stay writable on a read-only mount, as Linux's do), else 0. */
  refuseWrite(l: Lookup | null): number {
    if (!this.readOnly) return 0;
    if (l?.virtual) return 0;
    const type = l?.stat ? l.stat.mode & S_IFMT : 0n;
    if (type === 0o020000n || type === 0o060000n || type === 0o010000n || type === 0o140000n) return 0;
    return -Errno.EROFS;
  }

  /** EROFS when a name is to be added, removed or changed on the read-only tree (the mount
   *  check of unlink, rmdir, rename, link, symlink, mkdir, chmod, chown, utimes), else 0. */
  refuseChange(l: Lookup): number {
    if (!this.readOnly || l.host === null || l.virtual?.kind === 'proc' || l.guest === '/proc' || l.guest.startsWith('/proc/')) return 0;
    return -Errno.EROFS;
  }

  /** Runs a host call that creates a file with the guest's umask in force (the host applies
   *  the process's). */
  withUmask<T>(umask: number, create: () => T): T {
    let previous: number;
    try {
      previous = process.umask(umask);
    } catch {
      // A worker thread cannot set it: the process's applies.
      return create();
    }
    try {
      return create();
    } finally {
      process.umask(previous);
    }
  }

  /** Walks `pathname` relative to dirfd (AT_FDCWD: the cwd); -errno when it cannot. */
  resolve(proc: Process, dirfd: number, pathname: string, options: ResolveOptions): Lookup | number {
    if (pathname === '') return -Errno.ENOENT;
    const resolveFlags = options.resolve ?? 0;
    const absolute = pathname.startsWith('/');
    let stack: string[];
    if (absolute && !(resolveFlags & (RESOLVE_BENEATH | RESOLVE_IN_ROOT))) stack = [];
    else if (dirfd === AT_FDCWD) stack = split(proc.cwd);
    else {
      const dir = proc.fds.get(dirfd);
      if (!dir) return -Errno.EBADF;
      if (!isDirectory(dir)) return -Errno.ENOTDIR;
      stack = split(dir.path);
    }
    if (absolute && resolveFlags & RESOLVE_BENEATH) return -Errno.EXDEV;
    // RESOLVE_BENEATH and RESOLVE_IN_ROOT keep the walk at or below where it starts.
    const floor = resolveFlags & (RESOLVE_BENEATH | RESOLVE_IN_ROOT) ? stack.length : 0;
    const checkPermissions = proc.identity.euid !== 0;
    const queue = pathname.split('/').filter((c) => c !== '');
    let trailingSlash = pathname.endsWith('/') && queue.length > 0;
    let links = 0;
    /** The node the walk stands on when it is virtual. */
    let virtual: VirtualNode | undefined = this.virtualAt(proc, stack);
    let stat: fs.BigIntStats | null = null;
    let last: Lookup['last'] = queue.length === 0 ? 'root' : 'norm';
    if (checkPermissions && queue.length > 0 && !virtual) {
      const r = this.lstatHost(stack);
      if (typeof r === 'number') return r;
      if (r && !mayAccess(proc, r, X_OK)) return -Errno.EACCES;
    }
    while (queue.length > 0) {
      const name = queue.shift()!;
      const isLast = queue.length === 0;
      if (name === '.' || name === '..') {
        if (name === '..' && stack.length > floor) stack.pop();
        else if (name === '..' && resolveFlags & RESOLVE_BENEATH) return -Errno.EXDEV;
        virtual = this.virtualAt(proc, stack);
        stat = null;
        last = name === '.' ? 'dot' : 'dotdot';
        if (isLast && !virtual) {
          const r = this.lstatHost(stack);
          if (typeof r === 'number') return r;
          stat = r;
        }
        continue;
      }
      last = 'norm';
      if (Buffer.byteLength(name) > NAME_MAX) return -Errno.ENAMETOOLONG;
      const found = this.lookupChild(proc, stack, virtual, name);
      if (typeof found === 'number') {
        if (found === -Errno.ENOENT && isLast) {
          return { guest: join(stack, name), host: this.hostPath(join(stack, name)), stat: null, last, trailingSlash };
        }
        return found;
      }
      const followHere = !isLast || options.follow === true || (trailingSlash && options.follow !== 'never');
      const linkTarget = found.link;
      if (linkTarget !== undefined && followHere) {
        if (++links > MAX_SYMLINKS || resolveFlags & RESOLVE_NO_SYMLINKS) return -Errno.ELOOP;
        if (typeof linkTarget !== 'string') {
          // A magic link (/proc/self/fd/N, /proc/self/exe outside the root): the object itself.
          if (resolveFlags & RESOLVE_NO_MAGICLINKS) return -Errno.ELOOP;
          const file = linkTarget.file;
          if (file && isDirectory(file) && file.path.startsWith('/')) {
            stack = split(file.path);
            virtual = this.virtualAt(proc, stack);
            stat = null;
            continue;
          }
          if (!isLast) return -Errno.ENOTDIR;
          return this.magicLookup(file, linkTarget.host ?? null, trailingSlash);
        }
        if (linkTarget === '') return -Errno.ENOENT;
        if (linkTarget.startsWith('/')) {
          if (resolveFlags & RESOLVE_BENEATH) return -Errno.EXDEV;
          stack = stack.slice(0, floor);
        }
        if (isLast && linkTarget.endsWith('/')) trailingSlash = true;
        queue.unshift(...linkTarget.split('/').filter((c) => c !== ''));
        virtual = this.virtualAt(proc, stack);
        stat = null;
        if (queue.length === 0) {
          // A link to `/` (or to the start of a BENEATH walk).
          last = 'root';
          if (!virtual) {
            const r = this.lstatHost(stack);
            if (typeof r === 'number') return r;
            stat = r;
          }
        }
        continue;
      }
      const isDir = found.virtual ? found.virtual.kind === 'proc' && found.virtual.node.type === 'dir' : (found.stat!.mode & S_IFMT) === S_IFDIR;
      if (!isLast && !isDir) return -Errno.ENOTDIR;
      if (resolveFlags & RESOLVE_NO_XDEV && stack.length === 0 && name === 'proc') return -Errno.EXDEV;
      if (checkPermissions && !isLast && isDir && found.stat && !mayAccess(proc, found.stat, X_OK)) return -Errno.EACCES;
      stack.push(name);
      virtual = found.virtual;
      stat = found.stat;
      if (isLast && trailingSlash && !isDir && options.follow !== 'never') return -Errno.ENOTDIR;
    }
    const guest = '/' + stack.join('/');
    if (virtual) return { guest, host: null, stat: null, virtual, last, trailingSlash };
    if (stat === null) {
      const r = this.lstatHost(stack);
      if (typeof r === 'number') return r;
      if (r === null) return -Errno.ENOENT;
      stat = r;
    }
    if (trailingSlash && (stat.mode & S_IFMT) !== S_IFDIR && options.follow !== 'never') return -Errno.ENOTDIR;
    return { guest, host: this.hostPath(guest), stat, last, trailingSlash };
  }

  /** The lstat of the host object at a guest path (null when missing), or -errno. */
  private lstatHost(stack: string[]): fs.BigIntStats | null | number {
    try {
      return fs.lstatSync(this.hostPath('/' + stack.join('/')), { bigint: true });
    } catch (e) {
      const errno = hostErrno(e);
      return errno === Errno.ENOENT ? null : -errno;
    }
  }

  /** The virtual node a guest directory path is, if it is one. */
  private virtualAt(proc: Process, stack: string[]): VirtualNode | undefined {
    if (stack[0] === 'proc') {
      const node = procNode(proc, stack.slice(1));
      return node ? { kind: 'proc', node } : undefined;
    }
    if (stack.length === 1 && stack[0] === 'dev' && this.root !== '/' && !fs.existsSync(this.hostPath('/dev'))) {
      return { kind: 'proc', node: devDirectory() };
    }
    return undefined;
  }

  /** One component: a host lstat, or a node of /proc or /dev; `link` is set for symlinks. */
  private lookupChild(
    proc: Process,
    stack: string[],
    parent: VirtualNode | undefined,
    name: string,
  ): { stat: fs.BigIntStats | null; virtual?: VirtualNode; link?: string | { file?: OpenFile; host?: string } } | number {
    if (stack.length === 1 && stack[0] === 'dev') {
      const device = EMULATED_DEVICES.get('/dev/' + name);
      if (device) return { stat: null, virtual: { kind: 'device', device } };
      if (name === 'tty') {
        // The controlling terminal is the host's, whatever the root.
        try {
          return { stat: fs.lstatSync('/dev/tty', { bigint: true }) };
        } catch (e) {
          return -hostErrno(e);
        }
      }
    }
    if (parent) {
      if (parent.kind !== 'proc' || parent.node.type !== 'dir') return -Errno.ENOTDIR;
      const node = parent.node.child?.(name) ?? null;
      if (!node) return -Errno.ENOENT;
      if (node.type === 'link') {
        const target = node.target!();
        const link = typeof target === 'string' ? target : 'host' in target ? { host: target.host } : { file: target };
        return { stat: null, virtual: { kind: 'proc', node }, link };
      }
      if (node.device) return { stat: null, virtual: { kind: 'device', device: node.device } };
      return { stat: null, virtual: { kind: 'proc', node } };
    }
    if (stack.length === 0 && name === 'proc') return { stat: null, virtual: { kind: 'proc', node: procRootNode(proc) } };
    if (stack.length === 0 && name === 'dev' && this.root !== '/' && !fs.existsSync(this.hostPath('/dev'))) {
      return { stat: null, virtual: { kind: 'proc', node: devDirectory() } };
    }
    const guest = join(stack, name);
    let st: fs.BigIntStats;
    try {
      st = fs.lstatSync(this.hostPath(guest), { bigint: true });
    } catch (e) {
      return -hostErrno(e);
    }
    if ((st.mode & S_IFMT) === S_IFLNK) {
      try {
        return { stat: st, link: fs.readlinkSync(this.hostPath(guest), 'utf8') };
      } catch (e) {
        return -hostErrno(e);
      }
    }
    return { stat: st };
  }

  /** Where a magic link leads: an open description, or a host file outside the root. */
  private magicLookup(file: OpenFile | undefined, host: string | null, trailingSlash: boolean): Lookup | number {
    if (!file) {
      if (host === null) return -Errno.ENOENT;
      try {
        return { guest: host, host, stat: fs.statSync(host, { bigint: true }), last: 'norm', trailingSlash };
      } catch (e) {
        return -hostErrno(e);
      }
    }
    if (trailingSlash && !isDirectory(file)) return -Errno.ENOTDIR;
    if (file.hostFd !== null) {
      try {
        const st = fs.fstatSync(file.hostFd, { bigint: true });
        return { guest: file.path, host: `/proc/self/fd/${file.hostFd}`, stat: st, virtual: { kind: 'fd', file }, last: 'norm', trailingSlash };
      } catch (e) {
        return -hostErrno(e);
      }
    }
    return { guest: file.path, host: null, stat: null, virtual: { kind: 'fd', file }, last: 'norm', trailingSlash };
  }
}

function split(guest: string): string[] {
  return guest.split('/').filter((c) => c !== '');
}

function join(stack: string[], name: string): string {
  return '/' + [...stack, name].join('/');
}

/** The directory /dev is in a --root tree that has none: the emulated device nodes. */
function devDirectory(): ProcNode {
  const names = [...EMULATED_DEVICES.keys()].map((p) => p.slice('/dev/'.length));
  return {
    type: 'dir',
    perm: 0o755,
    own: false,
    names: () => names,
    child: (name) => {
      const device = EMULATED_DEVICES.get('/dev/' + name);
      return device ? { type: 'file', perm: 0o666, own: false, device } : null;
    },
  };
}

/** The guest's permission to access a host object (mask of R_OK, W_OK, X_OK), by the mode and
 *  the owner the guest sees (metadata's id mapping). Root may read and write anything, and
 *  execute what anyone may, or search any directory. */
export function mayAccess(
  proc: Process,
  st: { mode: bigint | number; uid: bigint | number; gid: bigint | number },
  mask: number,
  options: { real?: boolean; guestOwned?: boolean } = {},
): boolean {
  const mode = Number(st.mode);
  // access(2) checks with the real ids, everything else with the effective ones.
  const uid = options.real ? proc.identity.uid : proc.identity.euid;
  const gid = options.real ? proc.identity.gid : proc.identity.egid;
  if (uid === 0) {
    if (!(mask & X_OK)) return true;
    return (mode & 0o170000) === 0o040000 || (mode & 0o111) !== 0;
  }
  // Owners of host files go through the id mapping; the kernel's own objects have guest owners.
  const owner = options.guestOwned ? { uid: Number(st.uid), gid: Number(st.gid) } : proc.metadata.guestOwner(Number(st.uid), Number(st.gid));
  let bits: number;
  if (owner.uid === uid) bits = (mode >> 6) & 7;
  else if (owner.gid === gid) bits = (mode >> 3) & 7;
  else bits = mode & 7;
  return (bits & mask) === mask;
}

export { PROCFS_DEV };
