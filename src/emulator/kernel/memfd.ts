// memfd files (memfd_create): regular files that live only in the emulator's memory, as Linux's
// live on its internal tmpfs mount. The inode holds the bytes, the size and the seals
// (F_ADD_SEALS); each open description (the fd, a reopen through /proc/self/fd) has its own
// offset. Shared mappings of one see its bytes through mm.ts's FileBacking, which reads and
// writes the inode as it would a host file.
import { Errno } from './errno.js';
import {
  FileKind,
  O_ACCMODE,
  O_APPEND,
  O_RDONLY,
  O_WRONLY,
  OpenFile,
  SEEK_CUR,
  SEEK_DATA,
  SEEK_END,
  SEEK_HOLE,
  SEEK_SET,
  StatInfo,
} from './files.js';
import { FileKey, fileKey } from './metadata.js';
import type { BackingStore } from './mm.js';

/** The "host device" of memfd files (Linux's internal shm mount, st_dev 0:1). */
export const SHMEM_DEV = -7n;

/** Seals (uapi fcntl.h). */
export const F_SEAL_SEAL = 0x1;
export const F_SEAL_SHRINK = 0x2;
export const F_SEAL_GROW = 0x4;
export const F_SEAL_WRITE = 0x8;
export const F_SEAL_FUTURE_WRITE = 0x10;
export const F_SEAL_EXEC = 0x20;
export const F_ALL_SEALS = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC;

/** A hugetlb memfd's page size (x86-64's default huge page). */
export const HUGE_PAGE = 2 * 1024 * 1024;
/** Linux's MAX_LFS_FILESIZE. */
const MAX_SIZE = Number.MAX_SAFE_INTEGER;

export class MemfdInode implements BackingStore {
  private data = new Uint8Array(0);
  /** Its size in bytes. */
  length = 0;
  seals: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  atimeNs: bigint;

  constructor(
    readonly id: bigint,
    readonly name: string,
    public mode: number,
    seals: number,
    /** A hugetlbfs file: sizes in whole huge pages, no write(2). */
    readonly huge: boolean,
    private readonly owner: { uid: number; gid: number },
    timeNs: bigint,
  ) {
    this.seals = seals;
    this.mtimeNs = this.ctimeNs = this.atimeNs = timeNs;
  }

  /** Reads at offset; bytes read. */
  size(): number {
    return this.length;
  }

  readAt(into: Uint8Array, offset: number): number {
    if (offset >= this.length) return 0;
    const n = Math.min(into.length, this.length - offset);
    into.set(this.data.subarray(offset, offset + n));
    return n;
  }

  /** Writes at offset, growing the file; -errno when a seal forbids it. */
  writeAt(data: Uint8Array, offset: number): number {
    if (this.huge) return -Errno.EINVAL;
    if (this.writeSealed) return -Errno.EPERM;
    if (data.length === 0) return 0;
    const end = offset + data.length;
    if (end > this.length && this.seals & F_SEAL_GROW) return -Errno.EPERM;
    if (end > MAX_SIZE) return -Errno.EFBIG;
    this.reserve(end);
    this.data.set(data, offset);
    if (end > this.length) this.length = end;
    return data.length;
  }

  // The BackingStore of its mappings: writes through a shared mapping (seals were checked when
  // it was made) stop at the end of the file.
  load(into: Uint8Array, offset: number): number {
    return this.readAt(into, offset);
  }

  close(): void {}

  store(data: Uint8Array, offset: number): boolean {
    const n = Math.min(data.length, this.length - offset);
    if (n <= 0) return false;
    this.reserve(offset + n);
    this.data.set(data.subarray(0, n), offset);
    return true;
  }

  /** ftruncate: the seals' and hugetlbfs's rules, then the new size (new bytes are zeros). */
  truncate(length: number): number {
    if (length < this.length && this.seals & F_SEAL_SHRINK) return -Errno.EPERM;
    if (length > this.length && this.seals & F_SEAL_GROW) return -Errno.EPERM;
    if (this.huge && length % HUGE_PAGE !== 0) return -Errno.EINVAL;
    if (length > MAX_SIZE) return -Errno.EFBIG;
    if (this.huge) {
      // hugetlbfs never allocates the pages here (no huge pages are reserved): the size only.
      this.length = length;
      return 0;
    }
    if (length < this.length) this.data.fill(0, length, Math.min(this.length, this.data.length));
    else this.reserve(length);
    this.length = length;
    return 0;
  }

  private reserve(end: number): void {
    if (end <= this.data.length) return;
    const grown = new Uint8Array(Math.max(end, this.data.length * 2, 4096));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }

  /** F_ADD_SEALS: the seals a description opened for writing adds (`writablyMapped`: a shared
   *  mapping that may write it exists). */
  addSeals(seals: number, writablyMapped: boolean): number {
    if (seals & ~F_ALL_SEALS) return -Errno.EINVAL;
    if (this.seals & F_SEAL_SEAL) return -Errno.EPERM;
    if (seals & F_SEAL_WRITE && !(this.seals & F_SEAL_WRITE) && writablyMapped) return -Errno.EBUSY;
    // Sealing an executable file's exec bits seals its contents too.
    if (seals & F_SEAL_EXEC && this.mode & 0o111) seals |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;
    this.seals |= seals;
    return 0;
  }

  /** F_SEAL_WRITE or F_SEAL_FUTURE_WRITE: no write may change the bytes any more. */
  get writeSealed(): boolean {
    return (this.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) !== 0;
  }

  /** Whether mmap may make a shared mapping of it (writable: with PROT_WRITE): -errno if not. */
  refuseSharedMapping(writable: boolean): number {
    if (this.huge) return -Errno.ENOMEM; // no huge pages are reserved
    if (writable && this.writeSealed) return -Errno.EPERM;
    return 0;
  }

  stat(): StatInfo {
    const blockBytes = this.huge ? HUGE_PAGE : 4096;
    return {
      dev: SHMEM_DEV,
      ino: this.id,
      mode: 0o100000 | this.mode,
      nlink: 0n,
      uid: this.owner.uid,
      gid: this.owner.gid,
      rdev: 0n,
      size: BigInt(this.length),
      blksize: BigInt(blockBytes),
      blocks: this.huge ? 0n : BigInt(Math.ceil(this.length / blockBytes) * (blockBytes / 512)),
      atimeNs: this.atimeNs,
      mtimeNs: this.mtimeNs,
      ctimeNs: this.ctimeNs,
    };
  }
}

/** An open description of a memfd file. */
export class MemfdFile implements OpenFile {
  readonly kind: FileKind = 'regular';
  readonly hostFd = null;
  private position = 0;

  constructor(
    readonly inode: MemfdInode,
    public flags: number,
    /** The clock, for the times writes and truncations set. */
    private readonly now: () => bigint,
  ) {}

  /** Another description of the same file (an open of /proc/self/fd/N). */
  reopen(flags: number): MemfdFile {
    return new MemfdFile(this.inode, flags, this.now);
  }

  get path(): string {
    return `/memfd:${this.inode.name} (deleted)`;
  }

  private get mayRead(): boolean {
    return (this.flags & O_ACCMODE) !== O_WRONLY;
  }

  private get mayWrite(): boolean {
    return (this.flags & O_ACCMODE) !== O_RDONLY;
  }

  read(into: Uint8Array): number {
    const n = this.pread(into, this.position);
    if (n > 0) this.position += n;
    return n;
  }

  write(data: Uint8Array): number {
    if (!this.mayWrite) return -Errno.EBADF;
    if (this.flags & O_APPEND) this.position = this.inode.length;
    const n = this.pwrite(data, this.position);
    if (n > 0) this.position += n;
    return n;
  }

  pread(into: Uint8Array, position: number): number {
    if (!this.mayRead) return -Errno.EBADF;
    return this.inode.readAt(into, position);
  }

  pwrite(data: Uint8Array, position: number): number {
    if (!this.mayWrite) return -Errno.EBADF;
    const n = this.inode.writeAt(data, position);
    if (n > 0) this.inode.mtimeNs = this.inode.ctimeNs = this.now();
    return n;
  }

  seek(offset: number, whence: number): number {
    const size = this.inode.length;
    let target: number;
    if (whence === SEEK_SET) target = offset;
    else if (whence === SEEK_CUR) target = this.position + offset;
    else if (whence === SEEK_END) target = size + offset;
    else if (whence === SEEK_DATA || whence === SEEK_HOLE) {
      // All of it is data; the one hole is at the end.
      if (offset < 0 || offset >= size) return -Errno.ENXIO;
      target = whence === SEEK_DATA ? offset : size;
    } else return -Errno.EINVAL;
    if (target < 0) return -Errno.EINVAL;
    this.position = target;
    return target;
  }

  tell(): number {
    return this.position;
  }

  truncate(length: number): number {
    if (!this.mayWrite) return -Errno.EINVAL;
    const r = this.inode.truncate(length);
    if (r === 0) this.inode.mtimeNs = this.inode.ctimeNs = this.now();
    return r;
  }

  stat(): StatInfo {
    return this.inode.stat();
  }

  hostKey(): FileKey {
    return fileKey(SHMEM_DEV, this.inode.id);
  }

  readable(): number {
    return Math.max(0, this.inode.length - this.position);
  }

  mappable(): MemfdInode {
    return this.inode;
  }

  close(): void {}
}
