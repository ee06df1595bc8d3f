// Process and thread ids: handed out in creation order from 1000 (the first process's), as
// Linux's alloc_pid does from its last id, so the same run numbers its tasks the same way every
// time. Past pid_max they wrap to 300 (RESERVED_PIDS), skipping ids still in use: a pid stays
// taken until its process is reaped, a tid until its thread is gone. (A small test range below
// 300 wraps to its own start.)
import { FIRST_PID, PARENT_PID } from './process.js';

/** /proc/sys/kernel/pid_max on a 64-bit machine. */
export const PID_MAX = 4_194_304;
/** Where ids start again after a wrap. */
export const RESERVED_PIDS = 300;

export class IdAllocator {
  private next: number;
  private readonly used = new Set<number>();
  /** Where the ids start again past max. */
  private readonly floor: number;

  constructor(
    first = FIRST_PID,
    /** One past the highest id. */
    private readonly max = PID_MAX,
  ) {
    this.next = first;
    this.floor = Math.min(RESERVED_PIDS, first);
    // The first process's parent (outside the emulator) keeps its id.
    this.used.add(PARENT_PID);
  }

  /** The next free id, or null when every id is taken (fork then fails with EAGAIN). */
  allocate(): number | null {
    for (let tries = this.floor; tries < this.max; tries++) {
      const id = this.next;
      this.next = id + 1 >= this.max ? this.floor : id + 1;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
    return null;
  }

  /** The id may be given out again. */
  release(id: number): void {
    if (id !== PARENT_PID) this.used.delete(id);
  }

  /** Ids taken (the reserved parent's aside). */
  get inUse(): number {
    return this.used.size - 1;
  }
}
