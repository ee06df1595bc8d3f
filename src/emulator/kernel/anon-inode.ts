// Descriptions on anon_inodefs: kernel objects with no name in any file system (pidfds,
// landlock rulesets...). /proc/self/fd and strace -y show them as `anon_inode:[NAME]`; fstat
// shows the one inode they all share, mode 0600, owned by root.
import { Errno } from './errno.js';
import { DEFAULT_POLLMASK, FileKind, OpenFile, O_RDWR, StatInfo } from './files.js';
import { fileKey, FileKey } from './metadata.js';

/** The "host device" of anon_inodefs (metadata.ts gives it 0:0xe). */
export const ANON_INODE_DEV = -5n;
const ANON_INODE_INO = 1n;

export class AnonInodeFile implements OpenFile {
  readonly kind: FileKind = 'regular';
  readonly hostFd = null;

  constructor(
    /** The name in brackets: `pidfd`, `[landlock-ruleset]`... (as anon_inode_getfd gets it). */
    readonly name: string,
    public flags: number = O_RDWR,
  ) {}

  get path(): string {
    return `anon_inode:${this.name}`;
  }

  read(): number {
    return -Errno.EINVAL;
  }

  write(): number {
    return -Errno.EINVAL;
  }

  pread(): number {
    return -Errno.ESPIPE;
  }

  pwrite(): number {
    return -Errno.ESPIPE;
  }

  seek(): number {
    return -Errno.ESPIPE;
  }

  stat(): StatInfo {
    return {
      dev: ANON_INODE_DEV,
      ino: ANON_INODE_INO,
      mode: 0o600,
      nlink: 1n,
      uid: 0,
      gid: 0,
      rdev: 0n,
      size: 0n,
      blksize: 4096n,
      blocks: 0n,
      atimeNs: 0n,
      mtimeNs: 0n,
      ctimeNs: 0n,
    };
  }

  hostKey(): FileKey {
    return fileKey(ANON_INODE_DEV, ANON_INODE_INO);
  }

  poll(events: number): number {
    return events & DEFAULT_POLLMASK;
  }

  close(): void {}
}
