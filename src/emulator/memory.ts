// The guest's address space: the list of mappings (what /proc/self/maps shows, where mmap looks
// for room, and the source of truth of what is mapped), 4 KiB page-table entries created the first
// time a page is touched (so a mapping of any size costs nothing until used), frames allocated on
// first write, and a direct-mapped TLB in front of the page table for the CPU's loads and stores.
//
// fork() clones a space copy-on-write: both sides share the frames (frames.ts counts their
// references) until one writes; MAP_SHARED mappings stay shared through a SharedPages object.
// Threads share one AddressSpace object: nothing here belongs to a thread (see `hi`).
//
// Addresses are JS numbers. A user-space address is below 2^47, so every valid address is an exact
// double; anything negative or above the user range simply misses every page and faults.
import type { MemoryRange } from '../trace/event.js';
import { Frame, FramePool, SharedPages } from './frames.js';

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 4096;
export const PAGE_MASK = PAGE_SIZE - 1;
/** First address above user space (x86-64 with 4-level paging: 2^47 - one guard page). */
export const USER_SPACE_END = 0x7ffffffff000;

export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

export type Access = 'read' | 'write' | 'exec';

/** A guest memory access that the page table refuses. Thrown as a plain object (no stack trace:
 *  guests fault on purpose, e.g. stack probing, and an Error's stack capture is slow). */
export class MemoryFault {
  constructor(
    readonly addr: number,
    readonly access: Access,
    /** True when the page is mapped but its protection forbids the access (SEGV_ACCERR). */
    readonly mapped: boolean,
  ) {}
}

/** One page-table entry. `frame` is null until the page is first written (reads see zeros),
 *  except in a shared object's pages, which take theirs at first touch. */
interface Page {
  prot: number;
  frame: Frame | null;
  /** The frame may be shared with another space's private page (after a fork): the first write
   *  copies it, unless this page turns out to be its last holder. */
  cow: boolean;
  /** The frame belongs to the mapping's SharedPages (MAP_SHARED after a fork): writes go to it
   *  in place, and the page always has its frame. */
  shared: boolean;
  /** Decoded instructions were cached from this page: writes must invalidate them. */
  hasCode: boolean;
  /** Writes are tracked (a page of a shared file mapping, written back to its file): the page
   *  stays out of the write TLB until its first write after the last write-back. */
  tracked: boolean;
  /** Written since the last write-back (tracked pages only). */
  dirty: boolean;
}

/** A mapping as /proc/self/maps lists it. */
export interface Mapping {
  start: number;
  end: number;
  prot: number;
  /** MAP_SHARED vs MAP_PRIVATE; 'p' or 's' in /proc/self/maps. */
  shared: boolean;
  /** '[heap]', '[stack]', a file path, or '' for anonymous memory. */
  name: string;
  fileOffset: number;
  device: string;
  inode: number;
  /** MAP_GROWSDOWN: a fault just below it extends it (kernel/mm.ts). */
  growsDown?: boolean;
  /** Writes to its pages are tracked (dirtyPages), for the write-back of a shared file mapping. */
  trackWrites?: boolean;
  /** A shared mapping of a file opened read-only: mprotect may not make it writable (EACCES). */
  writeDenied?: boolean;
  /** The file behind a file mapping, as the kernel keeps it (kernel/mm.ts); compared by identity. */
  source?: object;
  /** A range the address space lists but has no pages for (the vsyscall page, which the kernel
   *  emulates when it is executed). */
  pseudo?: boolean;
  /** The pages of a MAP_SHARED mapping another address space maps too (set by fork), found by
   *  page offset: fileOffset / PAGE_SIZE at `start`. */
  shm?: SharedPages;
}

/** The fields of a mapping map() takes besides its range and protection. */
export type MappingDetails = Partial<Omit<Mapping, 'start' | 'end' | 'prot'>>;

const TLB_SIZE = 1024;
const TLB_MASK = TLB_SIZE - 1;

export class AddressSpace {
  private readonly pages = new Map<number, Page>();
  private mappingList: Mapping[] = [];

  // TLBs: page number tag, frame view, and (frame offset - page base address), so that the byte
  // offset inside the frame is addr + delta.
  private readonly readTag = new Float64Array(TLB_SIZE).fill(-1);
  private readonly readFrame: DataView[] = new Array(TLB_SIZE);
  private readonly readDelta = new Float64Array(TLB_SIZE);
  private readonly writeTag = new Float64Array(TLB_SIZE).fill(-1);
  private readonly writeFrame: DataView[] = new Array(TLB_SIZE);
  private readonly writeDelta = new Float64Array(TLB_SIZE);

  private readonly zeroFrame = new DataView(new ArrayBuffer(PAGE_SIZE));
  /** Pages of this space backed by a frame (its RSS; a frame shared with another space counts
   *  in both, as Linux's RSS does; the pool counts it once). */
  private framesInUse = 0;
  /** The SharedPages objects this space's mappings refer to (each counts this space once). */
  private sharedObjects = new Set<SharedPages>();

  /** High half of the last read64. A scratch value, not state: the instruction that made the
   *  read takes it at once, and the host runs one guest thread at a time, switching only between
   *  instructions, so the threads sharing this space may share it too. */
  hi = 0;

  /** When set, every writeBytes (how the kernel writes guest memory) is logged here: the
   *  recorder stores exactly the bytes a syscall wrote. */
  writeLog: MemoryRange[] | null = null;

  /** Called when a write lands on a page holding decoded code (self-modifying code). */
  onCodeWrite: (pageNumber: number) => void = () => {};
  /** Every CPU's interpreter running in this address space (the threads of a process): each
   *  drops what it decoded from a written page. */
  readonly codeWatchers = new Set<(pageNumber: number) => void>();

  constructor(
    /** Where frames come from; a fork's child shares its parent's. */
    readonly pool = new FramePool(),
  ) {
    this.readFrame.fill(this.zeroFrame);
    this.writeFrame.fill(this.zeroFrame);
  }

  // ---------------------------------------------------------------- CPU loads and stores (hot)

  read8(addr: number): number {
    const page = Math.floor(addr / PAGE_SIZE);
    const slot = page & TLB_MASK;
    if (this.readTag[slot] === page) return this.readFrame[slot].getUint8(addr + this.readDelta[slot]);
    return this.readSlow(addr, 1);
  }

  read16(addr: number): number {
    const page = Math.floor(addr / PAGE_SIZE);
    const slot = page & TLB_MASK;
    if (this.readTag[slot] === page && (addr & PAGE_MASK) <= PAGE_SIZE - 2)
      return this.readFrame[slot].getUint16(addr + this.readDelta[slot], true);
    return this.readSlow(addr, 2);
  }

  /** A 32-bit load as a signed int. */
  read32(addr: number): number {
    const page = Math.floor(addr / PAGE_SIZE);
    const slot = page & TLB_MASK;
    if (this.readTag[slot] === page && (addr & PAGE_MASK) <= PAGE_SIZE - 4)
      return this.readFrame[slot].getInt32(addr + this.readDelta[slot], true);
    return this.readSlow(addr, 4) | 0;
  }

  /** A 64-bit load: returns the low 32 bits (signed int) and leaves the high 32 bits in `hi`. */
  read64(addr: number): number {
    const page = Math.floor(addr / PAGE_SIZE);
    const slot = page & TLB_MASK;
    if (this.readTag[slot] === page && (addr & PAGE_MASK) <= PAGE_SIZE - 8) {
      const frame = this.readFrame[slot];
      const offset = addr + this.readDelta[slot];
      this.hi = frame.getInt32(offset + 4, true);
      return frame.getInt32(offset, true);
    }
    const lo = this.readSlow(addr, 4) | 0;
    this.hi = this.readSlow(addr + 4, 4) | 0;
    return lo;
  }

  write8(addr: number, value: number): void {
    const page = Math.floor(addr / PAGE_SIZE);
    const slot = page & TLB_MASK;
    if (this.writeTag[slot] === page) this.writeFrame[slot].setUint8(addr + this.writeDelta[slot], value);
    else this.writeSlow(addr, 1, value);
  }

  write16(addr: number, value: number): void {
    const page = Math.floor(addr / PAGE_SIZE);
    const slot = page & TLB_MASK;
    if (this.writeTag[slot] === page && (addr & PAGE_MASK) <= PAGE_SIZE - 2)
      this.writeFrame[slot].setUint16(addr + this.writeDelta[slot], value, true);
    else this.writeSlow(addr, 2, value);
  }

  write32(addr: number, value: number): void {
    const page = Math.floor(addr / PAGE_SIZE);
    const slot = page & TLB_MASK;
    if (this.writeTag[slot] === page && (addr & PAGE_MASK) <= PAGE_SIZE - 4)
      this.writeFrame[slot].setInt32(addr + this.writeDelta[slot], value, true);
    else this.writeSlow(addr, 4, value);
  }

  write64(addr: number, lo: number, hi: number): void {
    const page = Math.floor(addr / PAGE_SIZE);
    const slot = page & TLB_MASK;
    if (this.writeTag[slot] === page && (addr & PAGE_MASK) <= PAGE_SIZE - 8) {
      const frame = this.writeFrame[slot];
      const offset = addr + this.writeDelta[slot];
      frame.setInt32(offset, lo, true);
      frame.setInt32(offset + 4, hi, true);
      return;
    }
    // Check both pages before writing, so a faulting store changes nothing; a fault names the
    // first inaccessible byte, as hardware does.
    this.pageFor(addr, 'write');
    this.pageFor(Math.floor((addr + 7) / PAGE_SIZE) * PAGE_SIZE, 'write');
    this.writeSlow(addr, 4, lo);
    this.writeSlow(addr + 4, 4, hi);
  }

  // ---------------------------------------------------------------- slow paths

  private readSlow(addr: number, size: number): number {
    if ((addr & PAGE_MASK) + size > PAGE_SIZE) {
      // In ascending order, so a fault names the first inaccessible byte, as hardware does.
      let value = 0;
      for (let i = 0, scale = 1; i < size; i++, scale *= 256) value += this.readByteChecked(addr + i) * scale;
      return value;
    }
    const page = this.pageFor(addr, 'read');
    this.fillReadTlb(Math.floor(addr / PAGE_SIZE), page);
    const offset = addr - Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    const frame = page.frame?.view ?? this.zeroFrame;
    const base = page.frame ? page.frame.offset : 0;
    if (size === 1) return frame.getUint8(base + offset);
    if (size === 2) return frame.getUint16(base + offset, true);
    return frame.getUint32(base + offset, true);
  }

  private readByteChecked(addr: number): number {
    const page = this.pageFor(addr, 'read');
    if (!page.frame) return 0;
    return page.frame.bytes[page.frame.offset + (addr & PAGE_MASK)];
  }

  private writeSlow(addr: number, size: number, value: number): void {
    if ((addr & PAGE_MASK) + size > PAGE_SIZE) {
      for (let i = 0; i < size; i++) this.pageFor(addr + i, 'write');
      for (let i = 0; i < size; i++) {
        this.writeByteChecked(addr + i, value & 0xff);
        value = Math.floor(value / 256);
      }
      return;
    }
    const pageNumber = Math.floor(addr / PAGE_SIZE);
    const page = this.writablePage(addr);
    const offset = page.frame!.offset + (addr & PAGE_MASK);
    const frame = page.frame!.view;
    if (size === 1) frame.setUint8(offset, value);
    else if (size === 2) frame.setUint16(offset, value, true);
    else frame.setInt32(offset, value, true);
    this.fillWriteTlb(pageNumber, page);
  }

  private writeByteChecked(addr: number, byte: number): void {
    const page = this.writablePage(addr);
    page.frame!.bytes[page.frame!.offset + (addr & PAGE_MASK)] = byte;
  }

  /** The page at addr, checked for a write; its frame allocated (or copied, when shared
   *  copy-on-write) and its code invalidated. */
  private writablePage(addr: number): Page {
    const pageNumber = Math.floor(addr / PAGE_SIZE);
    const page = this.pageFor(addr, 'write');
    if (page.hasCode) {
      page.hasCode = false;
      this.onCodeWrite(pageNumber);
    }
    if (page.tracked && !page.dirty) {
      page.dirty = true;
      this.dirtyCount++;
    }
    if (!page.frame) this.allocateFrame(pageNumber, page);
    else if (page.cow) this.breakCow(pageNumber, page);
    return page;
  }

  /** A write to a copy-on-write page: it gets a frame of its own, unless no one else holds the
   *  one it has any more. */
  private breakCow(pageNumber: number, page: Page): void {
    page.cow = false;
    const frame = page.frame!;
    if (frame.refs === 1) return;
    page.frame = this.pool.copyOf(frame);
    this.pool.release(frame);
    // The read TLB points at the old frame.
    this.flushTlbEntry(pageNumber);
  }

  /** The page holding addr, or a MemoryFault when it is unmapped or forbids the access ('none':
   *  the kernel's own access, which protections do not limit). */
  private pageFor(addr: number, access: Access | 'none'): Page {
    const page = this.pages.get(Math.floor(addr / PAGE_SIZE)) ?? this.materialize(addr) ?? this.resolve(addr);
    if (!page) throw new MemoryFault(addr, access === 'none' ? 'write' : access, false);
    if (access === 'none') return page;
    const need = access === 'read' ? PROT_READ : access === 'write' ? PROT_WRITE : PROT_EXEC;
    // x86 page tables cannot express write-only or exec-only: writable implies readable.
    const effective = page.prot & PROT_WRITE ? page.prot | PROT_READ : page.prot;
    if (!(effective & need)) throw new MemoryFault(addr, access, true);
    return page;
  }

  private fillReadTlb(pageNumber: number, page: Page): void {
    const slot = pageNumber & TLB_MASK;
    this.readTag[slot] = pageNumber;
    if (page.frame) {
      this.readFrame[slot] = page.frame.view;
      this.readDelta[slot] = page.frame.offset - pageNumber * PAGE_SIZE;
    } else {
      this.readFrame[slot] = this.zeroFrame;
      this.readDelta[slot] = -pageNumber * PAGE_SIZE;
    }
  }

  private fillWriteTlb(pageNumber: number, page: Page): void {
    // Pages with cached code stay out of the write TLB so every store to them is seen, and so do
    // clean tracked pages, so their first store is. (Copy-on-write pages are out of it too: fork
    // flushed it, and a store reaches here only after writablePage copied the page.)
    if (page.hasCode || !page.frame || (page.tracked && !page.dirty)) return;
    const slot = pageNumber & TLB_MASK;
    this.writeTag[slot] = pageNumber;
    this.writeFrame[slot] = page.frame.view;
    this.writeDelta[slot] = page.frame.offset - pageNumber * PAGE_SIZE;
  }

  private flushTlbEntry(pageNumber: number): void {
    const slot = pageNumber & TLB_MASK;
    if (this.readTag[slot] === pageNumber) this.readTag[slot] = -1;
    if (this.writeTag[slot] === pageNumber) this.writeTag[slot] = -1;
  }

  private allocateFrame(pageNumber: number, page: Page): void {
    page.frame = this.pool.allocate();
    this.framesInUse++;
    // A read TLB entry may point at the shared zero frame.
    this.flushTlbEntry(pageNumber);
  }

  /** Drops the page's hold on its frame (which returns to the pool when no one else holds it). */
  private releaseFrame(page: Page): void {
    if (!page.frame) return;
    this.pool.release(page.frame);
    page.frame = null;
    page.cow = false;
    this.framesInUse--;
  }

  /** Bytes of guest memory backed by frames (pages written at least once), frames shared with
   *  another space included, as in Linux's RSS. */
  get residentBytes(): number {
    return this.framesInUse * PAGE_SIZE;
  }

  /** Pages of [start, end) backed by frames (/proc/self/status's RssAnon and RssFile). */
  residentPagesIn(start: number, end: number): number {
    let n = 0;
    this.forEachPage(start, end, (_p, page) => {
      if (page.frame) n++;
    });
    return n;
  }

  /** Whether the page at addr has a frame (has been written): mincore's answer. */
  isResident(addr: number): boolean {
    return this.pages.get(Math.floor(addr / PAGE_SIZE))?.frame != null;
  }

  // ---------------------------------------------------------------- instruction fetch

  /** Copies up to `max` executable bytes at addr into `out` (stopping at the first page that is
   *  not executable) and marks their pages as holding code. Returns how many bytes were copied;
   *  throws a MemoryFault when the first byte cannot be fetched. */
  fetchCode(addr: number, out: Uint8Array, max: number): number {
    let copied = 0;
    while (copied < max) {
      let page: Page;
      try {
        page = this.pageFor(addr + copied, 'exec');
      } catch (fault) {
        if (copied === 0) throw fault;
        break;
      }
      const pageNumber = Math.floor((addr + copied) / PAGE_SIZE);
      if (!page.hasCode) {
        page.hasCode = true;
        const slot = pageNumber & TLB_MASK;
        if (this.writeTag[slot] === pageNumber) this.writeTag[slot] = -1;
      }
      const offset = (addr + copied) & PAGE_MASK;
      const n = Math.min(max - copied, PAGE_SIZE - offset);
      if (page.frame) out.set(frameSlice(page.frame, offset, n), copied);
      else out.fill(0, copied, copied + n);
      copied += n;
    }
    return copied;
  }

  // ---------------------------------------------------------------- kernel access (bulk)

  /** Reads len bytes for the kernel; throws MemoryFault on an unreadable byte. */
  readBytes(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const page = this.pageFor(addr + done, 'read');
      const offset = (addr + done) & PAGE_MASK;
      const n = Math.min(len - done, PAGE_SIZE - offset);
      if (page.frame) out.set(frameSlice(page.frame, offset, n), done);
      done += n;
    }
    return out;
  }

  /** Writes bytes for the kernel, checking every page first so a fault writes nothing. */
  writeBytes(addr: number, data: Uint8Array): void {
    for (let done = 0; done < data.length; ) {
      this.pageFor(addr + done, 'write');
      done += PAGE_SIZE - ((addr + done) & PAGE_MASK);
    }
    if (this.writeLog && data.length > 0) this.writeLog.push({ addr, len: data.length, data: data.slice() });
    let done = 0;
    while (done < data.length) {
      const page = this.writablePage(addr + done);
      const offset = (addr + done) & PAGE_MASK;
      const n = Math.min(data.length - done, PAGE_SIZE - offset);
      page.frame!.bytes.set(data.subarray(done, done + n), page.frame!.offset + offset);
      done += n;
    }
  }

  /** Fills len bytes at addr with a repeated unit-byte pattern (REP STOS). False, with nothing
   *  written, when any byte is not writable. */
  fill(addr: number, pattern: Uint8Array, unit: number, len: number): boolean {
    if (!this.isAccessible(addr, len, 'write')) return false;
    let uniform = true;
    for (let k = 1; k < unit; k++) if (pattern[k] !== pattern[0]) uniform = false;
    if (!uniform) {
      const data = new Uint8Array(len);
      for (let k = 0; k < len; k++) data[k] = pattern[k % unit];
      this.writeBytes(addr, data);
      return true;
    }
    // memset's case: one byte value, written straight into the frames.
    for (let done = 0; done < len; ) {
      const page = this.writablePage(addr + done);
      const offset = (addr + done) & PAGE_MASK;
      const n = Math.min(len - done, PAGE_SIZE - offset);
      const frame = page.frame!;
      frame.bytes.fill(pattern[0], frame.offset + offset, frame.offset + offset + n);
      done += n;
    }
    return true;
  }

  /** Copies len bytes from src to dst as if all were read before any is written (REP MOVS when
   *  the order is not visible). False, with nothing written, when either side faults. */
  copy(dst: number, src: number, len: number): boolean {
    if (!this.isAccessible(src, len, 'read') || !this.isAccessible(dst, len, 'write')) return false;
    this.writeBytes(dst, this.readBytes(src, len));
    return true;
  }

  /** Reads a NUL-terminated string of at most max bytes. `terminated` is false when max bytes
   *  came without a NUL, or when an unreadable page ended the string (then `faulted` is true). */
  readCString(addr: number, max: number): { bytes: Uint8Array; terminated: boolean; faulted: boolean } {
    const parts: Uint8Array[] = [];
    let total = 0;
    while (total < max) {
      let page: Page;
      try {
        page = this.pageFor(addr + total, 'read');
      } catch (fault) {
        if (total === 0) throw fault;
        return { bytes: concat(parts, total), terminated: false, faulted: true };
      }
      const offset = (addr + total) & PAGE_MASK;
      const n = Math.min(max - total, PAGE_SIZE - offset);
      if (!page.frame) return { bytes: concat(parts, total), terminated: true, faulted: false };
      const chunk = frameSlice(page.frame, offset, n);
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.subarray(0, nul));
        return { bytes: concat(parts, total + nul), terminated: true, faulted: false };
      }
      parts.push(chunk);
      total += n;
    }
    return { bytes: concat(parts, total), terminated: false, faulted: false };
  }

  /** True when every byte of [addr, addr+len) may be accessed this way. */
  isAccessible(addr: number, len: number, access: Access): boolean {
    try {
      for (let a = addr; a < addr + len; a = (Math.floor(a / PAGE_SIZE) + 1) * PAGE_SIZE) this.pageFor(a, access);
      if (len > 0) this.pageFor(addr + len - 1, access);
      return true;
    } catch (fault) {
      if (fault instanceof MemoryFault) return false;
      throw fault;
    }
  }

  // ---------------------------------------------------------------- mappings

  get mappings(): readonly Mapping[] {
    return this.mappingList;
  }

  /** Bytes of address space mapped (pseudo mappings aside): what --max-memory limits. */
  get mappedBytes(): number {
    let total = 0;
    for (const m of this.mappingList) if (!m.pseudo) total += m.end - m.start;
    return total;
  }

  /** The mapping holding addr (pseudo ones included), or undefined. */
  mappingAt(addr: number): Mapping | undefined {
    const list = this.mappingList;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = list[mid];
      if (addr < m.start) hi = mid - 1;
      else if (addr >= m.end) lo = mid + 1;
      else return m;
    }
    return undefined;
  }

  /** Maps [start, start+len) (page-aligned) with zero-filled pages, replacing whatever was there. */
  map(start: number, len: number, prot: number, details: MappingDetails = {}): void {
    this.unmapRange(start, start + len);
    const mapping: Mapping = {
      start,
      end: start + len,
      prot,
      shared: details.shared ?? false,
      name: details.name ?? '',
      fileOffset: details.fileOffset ?? 0,
      device: details.device ?? '00:00',
      inode: details.inode ?? 0,
    };
    if (details.growsDown) mapping.growsDown = true;
    if (details.trackWrites) mapping.trackWrites = true;
    if (details.writeDenied) mapping.writeDenied = true;
    if (details.source) mapping.source = details.source;
    if (details.pseudo) mapping.pseudo = true;
    // A mapping continuing a shared one (mremap) finds its pages in the same object.
    if (details.shm) mapping.shm = details.shm;
    const index = this.mappingList.findIndex((m) => m.start > start);
    if (index < 0) this.mappingList.push(mapping);
    else this.mappingList.splice(index, 0, mapping);
    this.mergeAdjacent();
    this.countSharedObjects(details.shm);
  }

  /** Removes every page of [start, start+len); pages that were not mapped are skipped. */
  unmap(start: number, len: number): void {
    this.unmapRange(start, start + len);
    this.countSharedObjects();
  }

  /** unmap without recounting the shared objects (a caller in the middle of a change). */
  private unmapRange(start: number, end: number): void {
    this.dropPages(start, end);
    this.mappingList = this.mappingList.flatMap((m) => clipMapping(m, start, end));
  }

  /** Removes the page-table entries of [start, end), releasing their frames. */
  private dropPages(start: number, end: number): void {
    this.forEachPage(start, end, (p, page) => {
      if (page.hasCode) this.onCodeWrite(p);
      if (page.dirty) this.dirtyCount--;
      this.releaseFrame(page);
      this.pages.delete(p);
      this.flushTlbEntry(p);
    });
  }

  /** Re-reads which shared objects the mappings use: a space that no longer maps any part of
   *  one lets go of it (the last to do so frees its frames). Nothing to do for a space that
   *  never shared a mapping, the single-process case. `added`: one a new mapping uses. */
  private countSharedObjects(added?: SharedPages): void {
    if (this.sharedObjects.size === 0 && !added) return;
    const used = new Set<SharedPages>();
    for (const m of this.mappingList) if (m.shm) used.add(m.shm);
    for (const shm of used) if (!this.sharedObjects.has(shm)) shm.users++;
    for (const shm of this.sharedObjects) if (!used.has(shm)) shm.detach(this.pool);
    this.sharedObjects = used;
  }

  /** Whether every page of [start, end) is mapped (pseudo mappings do not count). */
  isRangeMapped(start: number, end: number): boolean {
    let at = start;
    for (const m of this.mappingList) {
      if (m.end <= at) continue;
      if (m.start > at || m.pseudo) return false;
      at = m.end;
      if (at >= end) return true;
    }
    return at >= end;
  }

  /** Whether no page of [start, end) is mapped. */
  isRangeFree(start: number, end: number): boolean {
    for (const m of this.mappingList) if (m.start < end && m.end > start) return false;
    return true;
  }

  /** Changes the protection of [start, start+len); false when any page in it is unmapped. */
  protect(start: number, len: number, prot: number): boolean {
    const end = start + len;
    if (!this.isRangeMapped(start, end)) return false;
    this.forEachPage(start, end, (p, page) => {
      if (page.prot !== prot && page.hasCode && !(prot & PROT_EXEC)) {
        page.hasCode = false;
        this.onCodeWrite(p);
      }
      page.prot = prot;
      this.flushTlbEntry(p);
    });
    this.updateMappings(start, end, (m) => ({ ...m, prot }));
    return true;
  }

  /** Replaces the mappings' fields over [start, end) with what `change` makes of each piece (the
   *  pieces outside the range keep theirs). */
  updateMappings(start: number, end: number, change: (piece: Mapping) => Mapping): void {
    const updated: Mapping[] = [];
    for (const m of this.mappingList) {
      if (m.end <= start || m.start >= end) {
        updated.push(m);
        continue;
      }
      for (const piece of clipMapping(m, start, end)) updated.push(piece);
      const from = Math.max(m.start, start);
      updated.push(change({ ...m, start: from, end: Math.min(m.end, end), fileOffset: m.fileOffset + (from - m.start) }));
    }
    this.mappingList = updated.sort((a, b) => a.start - b.start);
    this.mergeAdjacent();
  }

  /** Drops the contents of the mapped pages in [start, start+len): they read as zeros again
   *  (madvise MADV_DONTNEED on private anonymous memory); a page of a shared object reads what
   *  the object holds. The mappings stay. */
  discard(start: number, len: number): void {
    this.dropPages(start, start + len);
  }

  /** Moves the mappings and pages of [from, from+len) to [to, to+len), contents and all (mremap),
   *  replacing whatever was at the destination. */
  move(from: number, len: number, to: number): void {
    if (from === to || len === 0) return;
    const moved: [number, Page][] = [];
    this.forEachPage(from, from + len, (p, page) => {
      if (page.hasCode) {
        page.hasCode = false;
        this.onCodeWrite(p);
      }
      this.pages.delete(p);
      this.flushTlbEntry(p);
      moved.push([p, page]);
    });
    const pieces: Mapping[] = [];
    for (const m of this.mappingList) {
      if (m.end <= from || m.start >= from + len) continue;
      const start = Math.max(m.start, from);
      pieces.push({ ...m, start, end: Math.min(m.end, from + len), fileOffset: m.fileOffset + (start - m.start) });
    }
    this.mappingList = this.mappingList.flatMap((m) => clipMapping(m, from, from + len));
    this.unmapRange(to, to + len);
    const delta = to - from;
    for (const [p, page] of moved) this.pages.set(p + delta / PAGE_SIZE, page);
    for (const piece of pieces) {
      const shifted = { ...piece, start: piece.start + delta, end: piece.end + delta };
      const index = this.mappingList.findIndex((m) => m.start > shifted.start);
      if (index < 0) this.mappingList.push(shifted);
      else this.mappingList.splice(index, 0, shifted);
    }
    this.mergeAdjacent();
    this.countSharedObjects();
  }

  // ---------------------------------------------------------------- fork and exit

  /**
   * The address space of a forked child: the same mappings; private pages share their frames
   * copy-on-write (a side copies a page at its first write to it, unless the other has let go of
   * it meanwhile); MAP_SHARED mappings stay shared, their pages held by a SharedPages object both
   * sides find them in. It costs one page-table entry per page with a frame, and copies no byte.
   * `source` gives the child's source for a file mapping's (the kernel's FileBacking, which each
   * process closes when its own mappings stop using it); by default the same object. The child
   * starts with empty TLBs, no decoded code and no hooks (onCodeWrite, resolveMissing, writeLog).
   */
  fork(source: (parentSource: object) => object = (s) => s): AddressSpace {
    this.shareMappings();
    const child = new AddressSpace(this.pool);
    const sources = new Map<object, object>();
    child.mappingList = this.mappingList.map((m) => {
      if (!m.source) return { ...m };
      let s = sources.get(m.source);
      if (!s) sources.set(m.source, (s = source(m.source)));
      return { ...m, source: s };
    });
    for (const [p, page] of this.pages) {
      // A page never written has nothing to share: the child makes its entry when it touches it.
      if (!page.frame) continue;
      page.frame.refs++;
      if (!page.shared) page.cow = true;
      child.pages.set(p, { prot: page.prot, frame: page.frame, cow: page.cow, shared: page.shared, hasCode: false, tracked: page.tracked, dirty: false });
      child.framesInUse++;
    }
    for (const shm of this.sharedObjects) shm.users++;
    child.sharedObjects = new Set(this.sharedObjects);
    // Every private page is copy-on-write now: the parent's stores take the slow path again.
    this.writeTag.fill(-1);
    return child;
  }

  /** Gives each MAP_SHARED mapping that has none a SharedPages object and puts its touched pages
   *  in it (each with a frame), before a second space maps it. */
  private shareMappings(): void {
    this.mappingList = this.mappingList.map((m) => {
      if (!m.shared || m.pseudo || m.shm) return m;
      const shm = new SharedPages();
      shm.users++;
      this.sharedObjects.add(shm);
      this.forEachPage(m.start, m.end, (p, page) => {
        // A page read before but never written reads zeros through the TLB: it gets a frame too.
        if (!page.frame) this.allocateFrame(p, page);
        shm.adopt(pageOffsetIn(m, p), page.frame!);
        page.shared = true;
      });
      return { ...m, shm };
    });
  }

  /** Lets go of every page and mapping (the process exited, or execve replaced the space):
   *  frames and shared objects no other space holds go back to the pool. */
  release(): void {
    this.dropPages(0, Infinity);
    this.mappingList = [];
    this.countSharedObjects();
  }

  /** Page-table entries (pages touched): what a fork copies. */
  get pageTableSize(): number {
    return this.pages.size;
  }

  isMapped(pageAddr: number): boolean {
    const m = this.mappingAt(pageAddr);
    return m !== undefined && !m.pseudo;
  }

  /** Reads len bytes of mapped memory whatever their protection (the kernel writing a shared
   *  mapping back to its file). Throws MemoryFault on an unmapped byte. */
  peek(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let done = 0; done < len; ) {
      const page = this.pageFor(addr + done, 'none');
      const offset = (addr + done) & PAGE_MASK;
      const n = Math.min(len - done, PAGE_SIZE - offset);
      if (page.frame) out.set(frameSlice(page.frame, offset, n), done);
      done += n;
    }
    return out;
  }

  /** Writes bytes into mapped memory whatever its protection, as the kernel does when it fills a
   *  read-only mapping (ELF segments, file mappings, a replay restoring what a call wrote). Logged
   *  like writeBytes; tracked pages are not made dirty (their contents now match their file). */
  writeForced(addr: number, data: Uint8Array): void {
    for (let done = 0; done < data.length; ) {
      this.pageFor(addr + done, 'none');
      done += PAGE_SIZE - ((addr + done) & PAGE_MASK);
    }
    if (this.writeLog && data.length > 0) this.writeLog.push({ addr, len: data.length, data: data.slice() });
    for (let done = 0; done < data.length; ) {
      const pageNumber = Math.floor((addr + done) / PAGE_SIZE);
      const page = this.pageFor(addr + done, 'none');
      if (page.hasCode) {
        page.hasCode = false;
        this.onCodeWrite(pageNumber);
      }
      if (!page.frame) this.allocateFrame(pageNumber, page);
      else if (page.cow) this.breakCow(pageNumber, page);
      const offset = (addr + done) & PAGE_MASK;
      const n = Math.min(data.length - done, PAGE_SIZE - offset);
      page.frame!.bytes.set(data.subarray(done, done + n), page.frame!.offset + offset);
      done += n;
    }
  }

  /** Tracked pages written since their last write-back. */
  private dirtyCount = 0;

  /** True when some tracked page is dirty. */
  get hasDirtyPages(): boolean {
    return this.dirtyCount > 0;
  }

  /** The page numbers of [start, end) written since the last call (tracked pages only), which
   *  become clean again: their next write is noticed. */
  takeDirtyPages(start: number, end: number): number[] {
    const dirty: number[] = [];
    if (this.dirtyCount === 0) return dirty;
    this.forEachPage(start, end, (p, page) => {
      if (!page.dirty) return;
      page.dirty = false;
      this.dirtyCount--;
      this.flushTlbEntry(p);
      dirty.push(p);
    });
    return dirty.sort((a, b) => a - b);
  }

  /** Calls fn for every page-table entry of [start, end), in no particular order: by page number
   *  when the range is small, else over the entries that exist. */
  private forEachPage(start: number, end: number, fn: (pageNumber: number, page: Page) => void): void {
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.ceil(end / PAGE_SIZE);
    if (last - first <= 2 * this.pages.size + 64) {
      for (let p = first; p < last; p++) {
        const page = this.pages.get(p);
        if (page) fn(p, page);
      }
      return;
    }
    for (const [p, page] of [...this.pages]) if (p >= first && p < last) fn(p, page);
  }

  /** Called with an address no mapping holds, before the access faults: true when the kernel
   *  mapped it meanwhile (a stack growing down, kernel/mm.ts). */
  resolveMissing: ((addr: number) => boolean) | null = null;

  private resolve(addr: number): Page | undefined {
    return this.resolveMissing?.(addr) ? this.materialize(addr) : undefined;
  }

  /** The page-table entry of a mapped page touched for the first time; a page of a shared
   *  object takes its frame from it at once (another space may write it any time). */
  private materialize(addr: number): Page | undefined {
    const m = this.mappingAt(addr);
    if (!m || m.pseudo) return undefined;
    const page: Page = { prot: m.prot, frame: null, cow: false, shared: false, hasCode: false, tracked: m.trackWrites === true, dirty: false };
    const pageNumber = Math.floor(addr / PAGE_SIZE);
    if (m.shm) {
      page.frame = m.shm.frameAt(pageOffsetIn(m, pageNumber), this.pool);
      page.shared = true;
      this.framesInUse++;
    }
    this.pages.set(pageNumber, page);
    return page;
  }

  /** The highest free, page-aligned range of len bytes that ends at or below `below` and starts at
   *  or above `floor`, or -1. This is the top-down placement Linux uses for mmap; a mapping that
   *  grows down keeps `gap` bytes below it free (the stack guard gap). */
  findFreeRange(len: number, below: number, floor: number, gap = 0): number {
    let candidateEnd = below;
    for (let i = this.mappingList.length - 1; i >= 0; i--) {
      const m = this.mappingList[i];
      const start = m.growsDown ? m.start - gap : m.start;
      if (start >= candidateEnd) continue;
      if (m.end <= candidateEnd - len) break;
      candidateEnd = start;
    }
    const start = candidateEnd - len;
    return start >= floor ? start : -1;
  }

  private mergeAdjacent(): void {
    const merged: Mapping[] = [];
    for (const m of this.mappingList) {
      const last = merged[merged.length - 1];
      if (
        last &&
        last.end === m.start &&
        last.prot === m.prot &&
        last.shared === m.shared &&
        last.name === m.name &&
        last.inode === m.inode &&
        last.growsDown === m.growsDown &&
        last.trackWrites === m.trackWrites &&
        last.writeDenied === m.writeDenied &&
        last.source === m.source &&
        last.shm === m.shm &&
        !last.pseudo &&
        !m.pseudo &&
        ((last.inode === 0 && !last.shm) || last.fileOffset + (last.end - last.start) === m.fileOffset)
      )
        merged[merged.length - 1] = { ...last, end: m.end };
      else merged.push(m);
    }
    this.mappingList = merged;
  }
}

/** The parts of m outside [start, end). */
function clipMapping(m: Mapping, start: number, end: number): Mapping[] {
  if (m.end <= start || m.start >= end) return [m];
  const pieces: Mapping[] = [];
  if (m.start < start) pieces.push({ ...m, end: start });
  if (m.end > end) pieces.push({ ...m, start: end, fileOffset: m.fileOffset + (end - m.start) });
  return pieces;
}

/** n bytes of a frame from offset (a view, not a copy). */
function frameSlice(frame: Frame, offset: number, n: number): Uint8Array {
  return frame.bytes.subarray(frame.offset + offset, frame.offset + offset + n);
}

/** The page offset in m's object (file or SharedPages) of page number p. */
function pageOffsetIn(m: Mapping, p: number): number {
  return (m.fileOffset + (p * PAGE_SIZE - m.start)) / PAGE_SIZE;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0].slice(0, total);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    const n = Math.min(part.length, total - at);
    out.set(part.subarray(0, n), at);
    at += n;
  }
  return out;
}
