// fcntl record locks, kept inside the emulator (the host's files are not locked). A POSIX lock
// (F_SETLK) belongs to the process, an open-file-description lock (F_OFD_SETLK) to the open file
// description; locks of one owner never conflict with each other, a read lock conflicts only with
// another owner's write lock, and a write lock with any other owner's lock. Closing any fd of a
// file drops the process's POSIX locks on it; closing the last fd of a description drops its OFD
// locks. Ranges are inclusive; `end` Infinity reaches past the end of the file.
import type { OpenFile } from './files.js';

export const F_RDLCK = 0;
export const F_WRLCK = 1;
export const F_UNLCK = 2;

/** A pid (POSIX locks) or an open file description (OFD locks). */
export type LockOwner = number | OpenFile;

export interface RecordLock {
  owner: LockOwner;
  type: typeof F_RDLCK | typeof F_WRLCK;
  start: number;
  end: number;
}

export class RecordLocks {
  private readonly byFile = new Map<string, RecordLock[]>();
  private readonly anonymous = new WeakMap<OpenFile, string>();
  private nextAnonymous = 0;

  /** The identity locks are kept under: the host file's, or one of the description's own. */
  keyOf(file: OpenFile): string {
    const key = file.hostKey?.() ?? null;
    if (key !== null) return key;
    let own = this.anonymous.get(file);
    if (own === undefined) this.anonymous.set(file, (own = `anon:${this.nextAnonymous++}`));
    return own;
  }

  /** The first lock of another owner that a lock of `type` over [start, end] would conflict with. */
  conflict(key: string, owner: LockOwner, type: number, start: number, end: number): RecordLock | null {
    for (const lock of this.byFile.get(key) ?? []) {
      if (lock.owner === owner || lock.end < start || lock.start > end) continue;
      if (type === F_WRLCK || lock.type === F_WRLCK) return lock;
    }
    return null;
  }

  /** Sets (or with F_UNLCK removes) the owner's lock over [start, end]; the caller checked for
   *  conflicts. Adjacent and overlapping ranges of the same type merge, as Linux's do. */
  set(key: string, owner: LockOwner, type: number, start: number, end: number): void {
    const kept: RecordLock[] = [];
    for (const lock of this.byFile.get(key) ?? []) {
      if (lock.owner !== owner || lock.end < start || lock.start > end) {
        kept.push(lock);
        continue;
      }
      // The parts of the owner's lock outside the new range stay.
      if (lock.start < start) kept.push({ ...lock, end: start - 1 });
      if (lock.end > end) kept.push({ ...lock, start: end + 1 });
    }
    if (type === F_RDLCK || type === F_WRLCK) {
      let merged: RecordLock = { owner, type, start, end };
      const rest: RecordLock[] = [];
      for (const lock of kept) {
        const touches = lock.owner === owner && lock.type === type && lock.start <= merged.end + 1 && lock.end + 1 >= merged.start;
        if (touches) merged = { ...merged, start: Math.min(merged.start, lock.start), end: Math.max(merged.end, lock.end) };
        else rest.push(lock);
      }
      rest.push(merged);
      kept.length = 0;
      kept.push(...rest);
    }
    kept.sort((a, b) => a.start - b.start);
    if (kept.length > 0) this.byFile.set(key, kept);
    else this.byFile.delete(key);
  }

  /** Drops every lock of `owner` on the file (all files when key is null). */
  release(key: string | null, owner: LockOwner): void {
    const keys = key === null ? [...this.byFile.keys()] : [key];
    for (const k of keys) {
      const locks = this.byFile.get(k);
      if (!locks) continue;
      const kept = locks.filter((lock) => lock.owner !== owner);
      if (kept.length > 0) this.byFile.set(k, kept);
      else this.byFile.delete(k);
    }
  }

  /** An fd of `file` was closed by process `pid`: its POSIX locks on the file go, and the
   *  description's OFD locks when that was its last fd. */
  closed(pid: number, file: OpenFile, last: boolean): void {
    if (this.byFile.size === 0) return;
    const key = this.keyOf(file);
    this.release(key, pid);
    if (last) this.release(key, file);
  }
}
