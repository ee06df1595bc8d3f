// flock(2) locks, kept inside the emulator (the host's files are not locked). A lock belongs to
// the open file description and covers the whole file; shared locks coexist, an exclusive one
// excludes every other description's. They are independent of fcntl's record locks (locks.ts)
// and go with the description's last fd.
import type { OpenFile } from './files.js';

export type FlockType = 'shared' | 'exclusive';

export class FlockLocks {
  /** The locks on each file (by the record locks' file identity), by owning description. */
  private readonly byFile = new Map<string, Map<OpenFile, FlockType>>();

  /** Whether a lock of `type` by `owner` would conflict with another description's. */
  conflicts(key: string, owner: OpenFile, type: FlockType): boolean {
    for (const [holder, held] of this.byFile.get(key) ?? []) {
      if (holder !== owner && (type === 'exclusive' || held === 'exclusive')) return true;
    }
    return false;
  }

  set(key: string, owner: OpenFile, type: FlockType): void {
    let locks = this.byFile.get(key);
    if (!locks) this.byFile.set(key, (locks = new Map()));
    locks.set(owner, type);
  }

  release(key: string, owner: OpenFile): void {
    const locks = this.byFile.get(key);
    if (!locks?.delete(owner)) return;
    if (locks.size === 0) this.byFile.delete(key);
  }
}
