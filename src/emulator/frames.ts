// Page frames: the 4 KiB buffers behind guest pages, carved from 1 MiB chunks, and counted by
// reference so that address spaces can share them. A fork shares every private frame between
// parent and child until one side writes (copy-on-write, memory.ts); a MAP_SHARED mapping keeps
// its frames in a SharedPages object that both sides find them in. A frame goes back to the pool
// only when its last reference is dropped, so no space ever sees a frame another one reuses.
export const FRAME_SIZE = 4096;
/** Frames come from chunks of this many bytes, so a big mapping is not thousands of tiny buffers. */
const CHUNK_SIZE = 1 << 20;

export class Frame {
  /** Page-table entries (in any address space) and shared objects holding this frame. */
  refs = 1;

  constructor(
    readonly view: DataView,
    readonly bytes: Uint8Array,
    /** Where the frame starts in its chunk. */
    readonly offset: number,
  ) {}
}

/** Where frames come from and go back to; one pool serves a machine's address spaces, so a
 *  frame freed by one process is reused by the next. */
export class FramePool {
  private chunkView: DataView | null = null;
  private chunkBytes: Uint8Array | null = null;
  private chunkUsed = CHUNK_SIZE;
  private readonly free: Frame[] = [];
  /** Distinct frames handed out and not yet released: memory in use, shared frames once. */
  inUse = 0;
  /** Frames made by copying another (copy-on-write breaks): what a fork's cost is measured by. */
  copies = 0;

  /** A zero-filled frame with one reference. */
  allocate(): Frame {
    this.inUse++;
    const frame = this.free.pop();
    if (frame) {
      frame.refs = 1;
      frame.bytes.fill(0, frame.offset, frame.offset + FRAME_SIZE);
      return frame;
    }
    if (this.chunkUsed + FRAME_SIZE > CHUNK_SIZE) {
      const chunk = new ArrayBuffer(CHUNK_SIZE);
      this.chunkView = new DataView(chunk);
      this.chunkBytes = new Uint8Array(chunk);
      this.chunkUsed = 0;
    }
    const fresh = new Frame(this.chunkView!, this.chunkBytes!, this.chunkUsed);
    this.chunkUsed += FRAME_SIZE;
    return fresh;
  }

  /** A new frame (one reference) holding a copy of `source`'s bytes. */
  copyOf(source: Frame): Frame {
    const frame = this.allocate();
    frame.bytes.set(source.bytes.subarray(source.offset, source.offset + FRAME_SIZE), frame.offset);
    this.copies++;
    return frame;
  }

  /** Drops one reference; the last one returns the frame to the pool. */
  release(frame: Frame): void {
    if (--frame.refs > 0) return;
    this.free.push(frame);
    this.inUse--;
  }
}

/**
 * The pages of a MAP_SHARED mapping once two address spaces map it (what shmem or the page cache
 * is to Linux): frames by page offset in the object (the mapping's fileOffset / page size), made
 * on first touch by either side. Each frame it holds carries one reference of its own, so a page
 * stays while any space maps the object, even where both spaces unmapped or dropped that page
 * (Linux keeps shmem pages until the object goes). `users` counts the spaces whose mappings
 * refer to it; the last to let go releases the frames.
 */
export class SharedPages {
  private readonly frames = new Map<number, Frame>();
  users = 0;

  /** The frame at page offset `pgoff` (zero-filled on first use), with a reference for the
   *  caller's page-table entry. */
  frameAt(pgoff: number, pool: FramePool): Frame {
    let frame = this.frames.get(pgoff);
    if (!frame) this.frames.set(pgoff, (frame = pool.allocate()));
    frame.refs++;
    return frame;
  }

  /** Takes an existing page's frame in at `pgoff` (when a mapping first becomes shared by a fork). */
  adopt(pgoff: number, frame: Frame): void {
    if (this.frames.has(pgoff)) return;
    this.frames.set(pgoff, frame);
    frame.refs++;
  }

  /** One address space no longer maps any part of it. */
  detach(pool: FramePool): void {
    if (--this.users > 0) return;
    for (const frame of this.frames.values()) pool.release(frame);
    this.frames.clear();
  }
}
