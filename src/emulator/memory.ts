// The guest's address space: 4 KiB pages with protections, frames allocated on first write, a
// direct-mapped TLB in front of the page table for the CPU's loads and stores, and the list of
// mappings (what /proc/self/maps shows and where mmap looks for room).
//
// Addresses are JS numbers. A user-space address is below 2^47, so every valid address is an exact
// double; anything negative or above the user range simply misses every page and faults.
import type { MemoryRange } from '../trace/event.js';

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

/** One page-table entry. `frame` is null until the page is first written (reads see zeros). */
interface Page {
  prot: number;
  frame: DataView | null;
  frameBytes: Uint8Array | null;
  frameOffset: number;
  /** Decoded instructions were cached from this page: writes must invalidate them. */
  hasCode: boolean;
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
}

const TLB_SIZE = 1024;
const TLB_MASK = TLB_SIZE - 1;
/** Frames come from chunks of this many bytes, so a big mapping is not thousands of tiny buffers. */
const CHUNK_SIZE = 1 << 20;

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
  private chunk: ArrayBuffer | null = null;
  private chunkView: DataView | null = null;
  private chunkBytes: Uint8Array | null = null;
  private chunkUsed = CHUNK_SIZE;
  private readonly freeFrames: { view: DataView; bytes: Uint8Array; offset: number }[] = [];
  private framesInUse = 0;

  /** High half of the last read64. */
  hi = 0;

  /** When set, every writeBytes (how the kernel writes guest memory) is logged here: the
   *  recorder stores exactly the bytes a syscall wrote. */
  writeLog: MemoryRange[] | null = null;

  /** Called when a write lands on a page holding decoded code (self-modifying code). */
  onCodeWrite: (pageNumber: number) => void = () => {};

  constructor() {
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
    const frame = page.frame ?? this.zeroFrame;
    const base = page.frame ? page.frameOffset : 0;
    if (size === 1) return frame.getUint8(base + offset);
    if (size === 2) return frame.getUint16(base + offset, true);
    return frame.getUint32(base + offset, true);
  }

  private readByteChecked(addr: number): number {
    const page = this.pageFor(addr, 'read');
    if (!page.frame) return 0;
    return page.frame.getUint8(page.frameOffset + (addr & PAGE_MASK));
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
    const offset = page.frameOffset + (addr & PAGE_MASK);
    const frame = page.frame!;
    if (size === 1) frame.setUint8(offset, value);
    else if (size === 2) frame.setUint16(offset, value, true);
    else frame.setInt32(offset, value, true);
    this.fillWriteTlb(pageNumber, page);
  }

  private writeByteChecked(addr: number, byte: number): void {
    const page = this.writablePage(addr);
    page.frame!.setUint8(page.frameOffset + (addr & PAGE_MASK), byte);
  }

  /** The page at addr, checked for a write; its frame allocated and its code invalidated. */
  private writablePage(addr: number): Page {
    const pageNumber = Math.floor(addr / PAGE_SIZE);
    const page = this.pageFor(addr, 'write');
    if (page.hasCode) {
      page.hasCode = false;
      this.onCodeWrite(pageNumber);
    }
    if (!page.frame) this.allocateFrame(pageNumber, page);
    return page;
  }

  /** The page holding addr, or a MemoryFault when it is unmapped or forbids the access. */
  private pageFor(addr: number, access: Access): Page {
    const page = this.pages.get(Math.floor(addr / PAGE_SIZE));
    if (!page) throw new MemoryFault(addr, access, false);
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
      this.readFrame[slot] = page.frame;
      this.readDelta[slot] = page.frameOffset - pageNumber * PAGE_SIZE;
    } else {
      this.readFrame[slot] = this.zeroFrame;
      this.readDelta[slot] = -pageNumber * PAGE_SIZE;
    }
  }

  private fillWriteTlb(pageNumber: number, page: Page): void {
    // Pages with cached code stay out of the write TLB so every store to them is seen.
    if (page.hasCode || !page.frame) return;
    const slot = pageNumber & TLB_MASK;
    this.writeTag[slot] = pageNumber;
    this.writeFrame[slot] = page.frame;
    this.writeDelta[slot] = page.frameOffset - pageNumber * PAGE_SIZE;
  }

  private flushTlbEntry(pageNumber: number): void {
    const slot = pageNumber & TLB_MASK;
    if (this.readTag[slot] === pageNumber) this.readTag[slot] = -1;
    if (this.writeTag[slot] === pageNumber) this.writeTag[slot] = -1;
  }

  private allocateFrame(pageNumber: number, page: Page): void {
    let frame = this.freeFrames.pop();
    if (frame) {
      frame.bytes.fill(0, frame.offset, frame.offset + PAGE_SIZE);
    } else {
      if (this.chunkUsed + PAGE_SIZE > CHUNK_SIZE) {
        this.chunk = new ArrayBuffer(CHUNK_SIZE);
        this.chunkView = new DataView(this.chunk);
        this.chunkBytes = new Uint8Array(this.chunk);
        this.chunkUsed = 0;
      }
      frame = { view: this.chunkView!, bytes: this.chunkBytes!, offset: this.chunkUsed };
      this.chunkUsed += PAGE_SIZE;
    }
    page.frame = frame.view;
    page.frameBytes = frame.bytes;
    page.frameOffset = frame.offset;
    this.framesInUse++;
    // A read TLB entry may point at the shared zero frame.
    this.flushTlbEntry(pageNumber);
  }

  private releaseFrame(page: Page): void {
    if (!page.frame) return;
    this.freeFrames.push({ view: page.frame, bytes: page.frameBytes!, offset: page.frameOffset });
    page.frame = null;
    page.frameBytes = null;
    this.framesInUse--;
  }

  /** Bytes of guest memory backed by frames (pages written at least once). */
  get residentBytes(): number {
    return this.framesInUse * PAGE_SIZE;
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
      if (page.frameBytes) out.set(page.frameBytes.subarray(page.frameOffset + offset, page.frameOffset + offset + n), copied);
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
      if (page.frameBytes) out.set(page.frameBytes.subarray(page.frameOffset + offset, page.frameOffset + offset + n), done);
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
      page.frameBytes!.set(data.subarray(done, done + n), page.frameOffset + offset);
      done += n;
    }
  }

  /** Fills len bytes at addr with a repeated unit-byte pattern (REP STOS). False, with nothing
   *  written, when any byte is not writable. */
  fill(addr: number, pattern: Uint8Array, unit: number, len: number): boolean {
    if (!this.isAccessible(addr, len, 'write')) return false;
    const data = new Uint8Array(len);
    if (unit === 1) data.fill(pattern[0]);
    else for (let k = 0; k < len; k++) data[k] = pattern[k % unit];
    this.writeBytes(addr, data);
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
      if (!page.frameBytes) return { bytes: concat(parts, total), terminated: true, faulted: false };
      const chunk = page.frameBytes.subarray(page.frameOffset + offset, page.frameOffset + offset + n);
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

  /** Maps [start, start+len) (page-aligned) with zero-filled pages, replacing whatever was there. */
  map(start: number, len: number, prot: number, details: Partial<Omit<Mapping, 'start' | 'end' | 'prot'>> = {}): void {
    this.unmap(start, len);
    for (let p = start / PAGE_SIZE; p < (start + len) / PAGE_SIZE; p++)
      this.pages.set(p, { prot, frame: null, frameBytes: null, frameOffset: 0, hasCode: false });
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
    const index = this.mappingList.findIndex((m) => m.start > start);
    if (index < 0) this.mappingList.push(mapping);
    else this.mappingList.splice(index, 0, mapping);
    this.mergeAdjacent();
  }

  /** Removes every page of [start, start+len); pages that were not mapped are skipped. */
  unmap(start: number, len: number): void {
    const end = start + len;
    for (let p = start / PAGE_SIZE; p < end / PAGE_SIZE; p++) {
      const page = this.pages.get(p);
      if (!page) continue;
      if (page.hasCode) this.onCodeWrite(p);
      this.releaseFrame(page);
      this.pages.delete(p);
      this.flushTlbEntry(p);
    }
    this.mappingList = this.mappingList.flatMap((m) => clipMapping(m, start, end));
  }

  /** Changes the protection of [start, start+len); false when any page in it is unmapped. */
  protect(start: number, len: number, prot: number): boolean {
    const end = start + len;
    for (let p = start / PAGE_SIZE; p < end / PAGE_SIZE; p++) if (!this.pages.has(p)) return false;
    for (let p = start / PAGE_SIZE; p < end / PAGE_SIZE; p++) {
      const page = this.pages.get(p)!;
      if (page.prot !== prot && page.hasCode && !(prot & PROT_EXEC)) {
        page.hasCode = false;
        this.onCodeWrite(p);
      }
      page.prot = prot;
      this.flushTlbEntry(p);
    }
    const updated: Mapping[] = [];
    for (const m of this.mappingList) {
      if (m.end <= start || m.start >= end) {
        updated.push(m);
        continue;
      }
      for (const piece of clipMapping(m, start, end)) updated.push(piece);
      updated.push({ ...m, start: Math.max(m.start, start), end: Math.min(m.end, end), prot, fileOffset: m.fileOffset + Math.max(0, start - m.start) });
    }
    this.mappingList = updated.sort((a, b) => a.start - b.start);
    this.mergeAdjacent();
    return true;
  }

  /** Drops the contents of the mapped pages in [start, start+len): they read as zeros again
   *  (madvise MADV_DONTNEED on private anonymous memory). */
  discard(start: number, len: number): void {
    for (let p = start / PAGE_SIZE; p < (start + len) / PAGE_SIZE; p++) {
      const page = this.pages.get(p);
      if (!page) continue;
      if (page.hasCode) {
        page.hasCode = false;
        this.onCodeWrite(p);
      }
      this.releaseFrame(page);
      this.flushTlbEntry(p);
    }
  }

  isMapped(pageAddr: number): boolean {
    return this.pages.has(Math.floor(pageAddr / PAGE_SIZE));
  }

  /** The highest free, page-aligned range of len bytes that ends at or below `below` and starts at
   *  or above `floor`, or -1. This is the top-down placement Linux uses for mmap. */
  findFreeRange(len: number, below: number, floor: number): number {
    let candidateEnd = below;
    for (let i = this.mappingList.length - 1; i >= 0; i--) {
      const m = this.mappingList[i];
      if (m.start >= candidateEnd) continue;
      if (m.end <= candidateEnd - len) break;
      candidateEnd = m.start;
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
        (last.inode === 0 || last.fileOffset + (last.end - last.start) === m.fileOffset)
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
