// What the guest sees of a file's identity and times. Host device and inode numbers and the
// times of files written during the run differ on every run and machine, so every stat result
// (stat, fstat, newfstatat, and statx later) and every directory entry goes through here:
//
// - st_dev: the n-th host device the run meets (n = 0, 1, ...) is makedev(0, 0x20 + n), an
//   anonymous-device number like those of tmpfs or overlayfs; the kernel's own file systems
//   (device nodes, /proc, pipes) have fixed ones (KERNEL_FS_DEVS).
// - st_ino: inodes are numbered on each virtual device from 2 up, in the order the run meets them.
// - times: a time the guest set through the emulated kernel (create, write, truncate, unlink of an
//   entry, a read for atime) is the virtual time it did so; a host time at or after the run's
//   start (someone changed the file meanwhile) is the run's virtual start time; an older host
//   mtime is an input and is kept. An older ctime is not (anyone's chmod or rename moves it and
//   nothing can set it back): it reports the mtime. The host atime is no stable input either
//   (reads move it, those of an earlier run too): a file the guest has not read reports
//   max(mtime, ctime), the atime relatime leaves after a read.
// - st_blocks: 8 per 4 KiB of size for a file changed during the run, else the host's; st_blksize
//   4096. st_mode, st_nlink, st_rdev and st_size are the host's.
// - st_uid/st_gid: emtrace's own user and group appear as the guest's (--uid/--gid).
// - pipes and sockets: made moments before the run, so their times are the run's start.
// - directories: st_size 4096 and st_blocks 8 whatever the host filesystem keeps there.
//
// One map serves a whole process tree, so related processes agree on the numbers.
import type { Clock } from './clock.js';
import type { StatInfo } from './files.js';

/** Which host user and group the guest's own user and group stand for. */
export interface IdMapping {
  hostUid: number;
  hostGid: number;
  uid: number;
  gid: number;
}

const S_IFMT = 0o170000;
const S_IFIFO = 0o010000;
const S_IFDIR = 0o040000;
const S_IFSOCK = 0o140000;

/** A host file's identity, `dev:ino`. */
export type FileKey = string;

export function fileKey(dev: bigint, ino: bigint): FileKey {
  return `${dev}:${ino}`;
}

/** The host "device" of the device nodes the kernel emulates (/dev/null, ...): no host device
 *  number is negative, so it cannot collide. */
export const EMULATED_DEVICES_DEV = -1n;

/** The minor number of the first virtual device (major 0). */
export const FIRST_VIRTUAL_MINOR = 0x20;
/** The "host devices" of the file systems the kernel makes itself, and their fixed st_dev, below
 *  the host devices' (as Linux's anonymous devices): the emulated device nodes (devtmpfs, 0:5),
 *  /proc (0:0x16), pipes (pipefs, 0:0xc), sockets (sockfs, 0:8), the anonymous inodes of
 *  eventfd, timerfd, signalfd, epoll and pidfds (anon_inodefs, 0:0xd) and POSIX message queues
 *  (mqueue, 0:0x13). Their inodes still count from 2 by first appearance. */
export const KERNEL_FS_DEVS: ReadonlyMap<bigint, bigint> = new Map([
  [-1n, makedev(0, 5)],
  [-2n, makedev(0, 0x16)],
  [-3n, makedev(0, 0xc)],
  [-4n, makedev(0, 8)],
  [-5n, makedev(0, 0xd)],
  [-6n, makedev(0, 0x13)],
  [-7n, makedev(0, 1)],
]);

/** The first inode number on each virtual device. */
export const FIRST_VIRTUAL_INO = 2n;
export const VIRTUAL_BLKSIZE = 4096n;

/** glibc's makedev: the 64-bit dev_t encoding stat(2) reports on x86-64. */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return ((ma & 0xfffn) << 8n) | ((ma & ~0xfffn) << 32n) | (mi & 0xffn) | ((mi & ~0xffn) << 12n);
}

/** The host wall-clock time from which a file time counts as "changed during the run": the
 *  start rounded down to the second, less a second, for filesystems that keep whole seconds and
 *  kernels whose file times come from a clock a tick behind. */
export function hostRunStartNs(nowMs = Date.now()): bigint {
  return (BigInt(Math.floor(nowMs / 1000)) - 1n) * 1_000_000_000n;
}

/** Virtual times the guest gave a file through the emulated kernel. */
interface Touched {
  atimeNs?: bigint;
  mtimeNs?: bigint;
  ctimeNs?: bigint;
  btimeNs?: bigint;
}

export class FileMetadata {
  private readonly devs = new Map<bigint, { dev: bigint; nextIno: bigint }>();
  private readonly inos = new Map<FileKey, bigint>();
  private readonly touched = new Map<FileKey, Touched>();
  /** Files without a name any more that are still open (removed()). */
  private readonly orphans = new Set<FileKey>();

  constructor(
    private readonly clock: Clock,
    /** The ids emtrace runs as and the ids the guest runs as (the same unless the user chose). */
    private readonly ids: IdMapping = { hostUid: -1, hostGid: -1, uid: -1, gid: -1 },
    /** See hostRunStartNs. */
    private readonly hostStartNs = hostRunStartNs(),
  ) {}

  /** The virtual st_dev of a host device number. */
  virtualDev(hostDev: bigint): bigint {
    return this.device(hostDev).dev;
  }

  /** The virtual inode number of a host (dev, ino). */
  virtualIno(hostDev: bigint, hostIno: bigint): bigint {
    const key = fileKey(hostDev, hostIno);
    let ino = this.inos.get(key);
    if (ino === undefined) {
      const device = this.device(hostDev);
      ino = device.nextIno++;
      this.inos.set(key, ino);
    }
    return ino;
  }

  private device(hostDev: bigint): { dev: bigint; nextIno: bigint } {
    let device = this.devs.get(hostDev);
    if (!device) {
      // The kernel's own file systems have fixed numbers; host devices are numbered in order.
      const fixed = KERNEL_FS_DEVS.get(hostDev);
      const hostDevices = [...this.devs.keys()].filter((d) => d >= 0n).length;
      device = { dev: fixed ?? makedev(0, FIRST_VIRTUAL_MINOR + hostDevices), nextIno: FIRST_VIRTUAL_INO };
      this.devs.set(hostDev, device);
    }
    return device;
  }

  /** The guest read the file (or listed the directory). */
  accessed(key: FileKey | null): void {
    if (key !== null) this.touch(key).atimeNs = this.clock.realtimeNs();
  }

  /** The guest changed the file's contents (write, truncate, an entry added to or removed from
   *  a directory). */
  modified(key: FileKey | null): void {
    if (key === null) return;
    const t = this.touch(key);
    t.mtimeNs = t.ctimeNs = this.clock.realtimeNs();
  }

  /** The guest changed the file's inode only (link count, mode, times). */
  changed(key: FileKey | null): void {
    if (key !== null) this.touch(key).ctimeNs = this.clock.realtimeNs();
  }

  /** The guest created the file. */
  created(key: FileKey | null): void {
    if (key === null) return;
    const t = this.touch(key);
    t.atimeNs = t.mtimeNs = t.ctimeNs = t.btimeNs = this.clock.realtimeNs();
  }

  private touch(key: FileKey): Touched {
    let t = this.touched.get(key);
    if (!t) this.touched.set(key, (t = {}));
    return t;
  }

  /** The guest removed a file's last name (unlink, rmdir, a rename over it). Once nothing holds
   *  it open the host may give its inode number to a new file, which must then be numbered as
   *  new (by first appearance), not as the old one: the numbering would otherwise depend on the
   *  host's inode allocation. */
  removed(key: FileKey | null, stillOpen: boolean): void {
    if (key === null) return;
    if (stillOpen) this.orphans.add(key);
    else this.forget(key);
  }

  /** The last description of a file was closed. */
  released(key: FileKey | null): void {
    if (key !== null && this.orphans.delete(key)) this.forget(key);
  }

  private forget(key: FileKey): void {
    this.inos.delete(key);
    this.touched.delete(key);
  }

  /** The guest set a file's times (utimensat): each is a time, or undefined to leave it. */
  timesSet(key: FileKey | null, atimeNs: bigint | undefined, mtimeNs: bigint | undefined): void {
    if (key === null) return;
    const t = this.touch(key);
    if (atimeNs !== undefined) t.atimeNs = atimeNs;
    if (mtimeNs !== undefined) t.mtimeNs = mtimeNs;
    t.ctimeNs = this.clock.realtimeNs();
  }

  /** The owner the guest sees of a host owner. */
  guestOwner(uid: number, gid: number): { uid: number; gid: number } {
    return this.owner({ uid, gid });
  }

  /** The host owner of an owner the guest names (chown): the inverse of the id mapping. */
  hostOwner(uid: number, gid: number): { uid: number; gid: number } {
    const map = this.ids;
    return {
      uid: uid === map.uid && map.hostUid >= 0 ? map.hostUid : uid,
      gid: gid === map.gid && map.hostGid >= 0 ? map.hostGid : gid,
    };
  }

  /** What the guest sees of a host stat result. */
  view(host: StatInfo): StatInfo {
    const dev = this.virtualDev(host.dev);
    const ino = this.virtualIno(host.dev, host.ino);
    // Objects the kernel makes itself (device nodes, /proc, pipes: negative host devices) carry
    // their own owner and times.
    if (host.dev < 0n) return { ...host, dev, ino, btimeNs: undefined };
    const owner = this.owner(host);
    if (this.clock.host) return { ...host, ...owner, dev, ino, blksize: VIRTUAL_BLKSIZE };
    const t = this.touched.get(fileKey(host.dev, host.ino));
    const view = this.viewTimes(host, t);
    return { ...host, ...owner, dev, ino, ...view };
  }

  private viewTimes(host: StatInfo, t: Touched | undefined): Pick<StatInfo, 'size' | 'blksize' | 'blocks' | 'atimeNs' | 'mtimeNs' | 'ctimeNs' | 'btimeNs'> {
    // A pipe's or a socket's times are when it was made, moments before the run: never an input.
    const fileType = host.mode & S_IFMT;
    const ephemeral = fileType === S_IFIFO || fileType === S_IFSOCK;
    const changed =
      ephemeral || t?.mtimeNs !== undefined || t?.ctimeNs !== undefined || host.mtimeNs >= this.hostStartNs || host.ctimeNs >= this.hostStartNs;
    const mtimeNs = ephemeral ? (t?.mtimeNs ?? this.clock.startRealtimeNs) : this.time(host.mtimeNs, t?.mtimeNs);
    // An old ctime is no input either: chmod, chown, link and rename by anyone move it, and it
    // cannot be set, so it would tie the run to one machine's history. It reports the mtime.
    const ctimeNs = ephemeral
      ? (t?.ctimeNs ?? this.clock.startRealtimeNs)
      : (t?.ctimeNs ?? (host.ctimeNs >= this.hostStartNs ? this.clock.startRealtimeNs : mtimeNs));
    // A directory's size and blocks are the host filesystem's bookkeeping (4096 on ext4, a
    // count of entries on tmpfs, of name bytes on btrfs): one ext4-like block everywhere.
    const directory = fileType === S_IFDIR;
    // Birth: when the guest created it, else no earlier than the first time it reports.
    const btimeNs = t?.btimeNs ?? (host.btimeNs !== undefined && host.btimeNs >= this.hostStartNs ? this.clock.startRealtimeNs : mtimeNs < ctimeNs ? mtimeNs : ctimeNs);
    return {
      btimeNs,
      size: directory ? VIRTUAL_BLKSIZE : host.size,
      blksize: VIRTUAL_BLKSIZE,
      blocks: directory ? 8n : changed ? 8n * ((host.size + VIRTUAL_BLKSIZE - 1n) / VIRTUAL_BLKSIZE) : host.blocks,
      // The host atime moves whenever anyone (a previous run included) reads the file, so it is
      // no stable input: a file the guest did not read reports the state right after a read
      // under relatime, its last change.
      atimeNs: t?.atimeNs ?? (mtimeNs > ctimeNs ? mtimeNs : ctimeNs),
      mtimeNs,
      ctimeNs,
    };
  }

  /** Files owned by the user (group) emtrace runs as appear owned by the guest's user (group),
   *  as under a user namespace's id mapping; other owners are shown as they are. */
  private owner(host: { uid: number; gid: number }): { uid: number; gid: number } {
    const map = this.ids;
    return {
      uid: host.uid === map.hostUid ? map.uid : host.uid,
      gid: host.gid === map.hostGid ? map.gid : host.gid,
    };
  }

  private time(hostNs: bigint, trackedNs: bigint | undefined): bigint {
    if (trackedNs !== undefined) return trackedNs;
    return hostNs >= this.hostStartNs ? this.clock.startRealtimeNs : hostNs;
  }
}
