// inotify instances and the file-system events they report. Events come from the emulated
// kernel's own file-system calls (what the guest does; changes made by other host processes are
// not seen): those calls report each change once through `fsnotify`, which finds the watches on
// the object itself and on its directory, and queues a struct inotify_event on each instance.
import fs from 'node:fs';
import path from 'node:path';
import { Errno } from './errno.js';
import { O_NONBLOCK, type OpenFile, POLLIN, POLLRDNORM } from './files.js';
import { AnonFile } from './anon-inode.js';
import { FileKey, fileKey } from './metadata.js';
import { WOULD_BLOCK_FOREVER } from './pipes.js';
import type { Process } from './process.js';
import type { Lookup } from './vfs.js';

/** Event bits (uapi inotify.h). */
export const IN_ACCESS = 0x1;
export const IN_MODIFY = 0x2;
export const IN_ATTRIB = 0x4;
export const IN_CLOSE_WRITE = 0x8;
export const IN_CLOSE_NOWRITE = 0x10;
export const IN_OPEN = 0x20;
export const IN_MOVED_FROM = 0x40;
export const IN_MOVED_TO = 0x80;
export const IN_CREATE = 0x100;
export const IN_DELETE = 0x200;
export const IN_DELETE_SELF = 0x400;
export const IN_MOVE_SELF = 0x800;
export const IN_ALL_EVENTS = 0xfff;
export const IN_Q_OVERFLOW = 0x4000;
export const IN_IGNORED = 0x8000;
export const IN_ONLYDIR = 0x1000000;
export const IN_DONT_FOLLOW = 0x2000000;
export const IN_EXCL_UNLINK = 0x4000000;
export const IN_MASK_CREATE = 0x10000000;
export const IN_MASK_ADD = 0x20000000;
export const IN_ISDIR = 0x40000000;
export const IN_ONESHOT = 0x80000000;
/** Every bit inotify_add_watch accepts. */
export const ALL_INOTIFY_BITS =
  IN_ALL_EVENTS | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | IN_ONESHOT;

/** Events about a name in a directory: reported to the directory's watches only. */
const ENTRY_EVENTS = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO;
/** Events about the watched object itself, never to its directory's watches. */
const SELF_EVENTS = IN_DELETE_SELF | IN_MOVE_SELF;

/** /proc/sys/fs/inotify/max_queued_events. */
const MAX_QUEUED_EVENTS = 16384;
const EVENT_HEADER = 16;

interface Watch {
  wd: number;
  key: FileKey;
  mask: number;
}

interface InotifyEvent {
  wd: number;
  mask: number;
  cookie: number;
  name: string;
}

function eventBytes(e: InotifyEvent): Uint8Array {
  // The name is NUL-terminated and padded to a multiple of the header's size.
  const nameLen = e.name === '' ? 0 : Math.ceil((Buffer.byteLength(e.name) + 1) / EVENT_HEADER) * EVENT_HEADER;
  const bytes = new Uint8Array(EVENT_HEADER + nameLen);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, e.wd, true);
  view.setUint32(4, e.mask >>> 0, true);
  view.setUint32(8, e.cookie >>> 0, true);
  view.setUint32(12, nameLen, true);
  if (e.name !== '') bytes.set(Buffer.from(e.name), EVENT_HEADER);
  return bytes;
}

/** An inotify instance: its watches (by watch descriptor) and its queue of events. */
export class InotifyFile extends AnonFile {
  private readonly watches = new Map<number, Watch>();
  private nextWd = 1;
  private readonly queue: Uint8Array[] = [];
  private last: InotifyEvent | null = null;
  private queued = 0;

  constructor(
    flags: number,
    private readonly registry: InotifyRegistry,
    /** When the machine booted (the anonymous inode's times). */
    bootNs: bigint,
  ) {
    // anon_inode_getfd("inotify"): the one name Linux gives without brackets.
    super('inotify', flags, bootNs);
    registry.instances.add(this);
  }

  /** inotify_add_watch on the object with identity `key`: its watch descriptor, the same one
   *  again for an object already watched. */
  addWatch(key: FileKey, mask: number): number {
    const existing = [...this.watches.values()].find((w) => w.key === key);
    const events = mask & (ALL_INOTIFY_BITS & ~(IN_ONLYDIR | IN_DONT_FOLLOW | IN_MASK_ADD | IN_MASK_CREATE));
    if (existing) {
      if (mask & IN_MASK_CREATE) return -Errno.EEXIST;
      existing.mask = mask & IN_MASK_ADD ? existing.mask | events : events;
      return existing.wd;
    }
    const wd = this.nextWd++;
    this.watches.set(wd, { wd, key, mask: events });
    return wd;
  }

  /** inotify_rm_watch: IN_IGNORED tells the reader the watch is gone. */
  removeWatch(wd: number): number {
    if (!this.watches.delete(wd)) return -Errno.EINVAL;
    this.push({ wd, mask: IN_IGNORED, cookie: 0, name: '' });
    return 0;
  }

  /** An event on the object `key` (name: the entry in a watched directory, or ''). */
  deliver(key: FileKey, mask: number, cookie: number, name: string, dropped: boolean): void {
    for (const w of this.watches.values()) {
      if (w.key !== key) continue;
      if (mask & w.mask & IN_ALL_EVENTS) {
        this.push({ wd: w.wd, mask, cookie, name });
        if (w.mask & IN_ONESHOT) this.removeWatch(w.wd);
      }
      // The object is gone: so is its watch.
      if (dropped && this.watches.has(w.wd)) this.removeWatch(w.wd);
    }
  }

  private push(e: InotifyEvent): void {
    // An event the same as the last one queued is merged into it.
    const l = this.last;
    if (l && this.queue.length > 0 && l.wd === e.wd && l.mask === e.mask && l.cookie === e.cookie && l.name === e.name) return;
    // A full queue takes one IN_Q_OVERFLOW and then nothing.
    if (this.queue.length >= MAX_QUEUED_EVENTS) {
      if (this.last?.mask === IN_Q_OVERFLOW) return;
      e = { wd: -1, mask: IN_Q_OVERFLOW, cookie: 0, name: '' };
    }
    const bytes = eventBytes(e);
    this.queue.push(bytes);
    this.queued += bytes.length;
    this.last = e;
  }

  /** Whole events, as many as fit; EINVAL when the first does not. An empty queue waits: only
   *  this process could fill it. */
  override read(into: Uint8Array): number {
    if (this.queue.length === 0) return this.flags & O_NONBLOCK ? -Errno.EAGAIN : WOULD_BLOCK_FOREVER;
    let n = 0;
    while (this.queue.length > 0 && n + this.queue[0].length <= into.length) {
      const e = this.queue.shift()!;
      into.set(e, n);
      n += e.length;
      this.queued -= e.length;
    }
    return n === 0 ? -Errno.EINVAL : n;
  }

  /** An inotify fd is open for reading only. */
  override write(): number {
    return -Errno.EBADF;
  }

  poll(): number {
    return this.queue.length > 0 ? POLLIN | POLLRDNORM : 0;
  }

  readable(): number {
    return this.queued;
  }

  override close(): void {
    this.registry.instances.delete(this);
  }
}

/** The inotify instances of a file system's processes, which its calls tell of changes. */
export class InotifyRegistry {
  readonly instances = new Set<InotifyFile>();
  private nextCookie = 1;

  /** A cookie tying an IN_MOVED_FROM to its IN_MOVED_TO. */
  cookie(): number {
    return this.nextCookie++;
  }
}

/** What a file-system call changed, for `fsnotify`. */
export interface FsChange {
  /** The object's guest path (for an entry event: the entry's). */
  guest: string;
  /** The object's identity, and its directory's (by host lstat). */
  key: FileKey | null;
  parentKey: FileKey | null;
  isDir: boolean;
}

/**
 * Reports an event to the watches on the object's directory (the object's name) and on the
 * object itself (no name), as Linux's fsnotify does: entry events (create, delete, moves) go to the
 * directory only, IN_DELETE_SELF and IN_MOVE_SELF to the object only. `dropped`: the object is
 * gone (its last name removed), so its watches end with IN_IGNORED.
 */
export function fsnotify(registry: InotifyRegistry, change: FsChange, mask: number, cookie = 0, dropped = false): void {
  if (registry.instances.size === 0) return;
  // IN_DELETE_SELF and IN_MOVE_SELF never say IN_ISDIR (fsnotify_inoderemove, fsnotify_move).
  const flagged = change.isDir && !(mask & SELF_EVENTS) ? mask | IN_ISDIR : mask;
  // The directory's watch hears of it first, as Linux's fsnotify_handle_event orders them.
  for (const instance of registry.instances) {
    if (!(mask & SELF_EVENTS) && change.parentKey !== null && change.parentKey !== change.key) {
      instance.deliver(change.parentKey, flagged, cookie, path.posix.basename(change.guest), false);
    }
    if (!(mask & ENTRY_EVENTS) && change.key !== null) instance.deliver(change.key, flagged, cookie, '', dropped);
  }
}

/** The identity of a host path, not following a last symlink; null when there is none. */
function hostKeyAt(hostPath: string | null): FileKey | null {
  if (hostPath === null) return null;
  try {
    const s = fs.lstatSync(hostPath, { bigint: true });
    return fileKey(s.dev, s.ino);
  } catch {
    return null;
  }
}

/** The identity of a guest path's directory. */
function parentKeyOf(proc: Process, guest: string): FileKey | null {
  if (!guest.startsWith('/') || guest === '/proc' || guest.startsWith('/proc/')) return null;
  return hostKeyAt(proc.vfs.hostPath(path.posix.dirname(guest)));
}

export interface NotifyOptions {
  /** The object's identity when the lookup no longer finds it (deleted, moved). */
  key?: FileKey | null;
  isDir?: boolean;
  cookie?: number;
  /** The object lost its last name: its watches end. */
  dropped?: boolean;
  /** Only the object's own watches (a link count change: IN_ATTRIB on the inode alone). */
  selfOnly?: boolean;
}

/** The one hook of the file-system calls: `mask` happened to the object a lookup names. */
export function notifyLookup(proc: Process, l: Lookup, mask: number, options: NotifyOptions = {}): void {
  const registry = proc.vfs.inotify;
  if (registry.instances.size === 0) return;
  let key = options.key;
  if (key === undefined) {
    if (l.virtual?.kind === 'fd') key = l.virtual.file.hostKey?.() ?? null;
    else key = l.stat ? fileKey(l.stat.dev, l.stat.ino) : hostKeyAt(l.host);
  }
  const isDir = options.isDir ?? (l.stat ? l.stat.isDirectory() : l.virtual?.kind === 'fd' && l.virtual.file.kind === 'directory');
  const parentKey = options.selfOnly || l.host === null ? null : parentKeyOf(proc, l.guest);
  fsnotify(registry, { guest: l.guest, key, parentKey, isDir }, mask, options.cookie, options.dropped);
}

/** The same for an open description (read, write, open, close): by its path and identity. */
export function notifyFile(proc: Process, file: OpenFile, mask: number): void {
  const registry = proc.vfs.inotify;
  if (registry.instances.size === 0) return;
  const key = file.hostKey?.() ?? null;
  const parentKey = file.hostFd !== null ? parentKeyOf(proc, file.path) : null;
  fsnotify(registry, { guest: file.path, key, parentKey, isDir: file.kind === 'directory' }, mask);
}
