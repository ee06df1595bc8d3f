// Memory management beyond the page table (memory.ts): the files behind file mappings (kept open
// by the mapping, as Linux keeps a reference; MAP_SHARED ones written back), locked pages (mlock),
// the --max-memory limit, and the page faults the kernel resolves instead of signalling: a
// MAP_GROWSDOWN mapping (or the stack) growing down.
//
// Shared file mappings: their pages are write-tracked by the address space. Before every syscall
// the pages written since the last one go back to the file, so a read() of the file through the
// emulated kernel sees them; after a syscall that may have changed a mapped file (the desc and
// file classes), the mapped ranges are compared with the file and reloaded where they differ, so
// a write() is seen through the mapping. munmap, msync and the end of the process write back too.
import fs from 'node:fs';
import { rowOf } from '../../decode/index.js';
import type { SyscallEvent } from '../../trace/event.js';
import { type AddressSpace, Mapping, PAGE_SIZE } from '../memory.js';
import type { OpenFile } from './files.js';
import type { FileKey } from './metadata.js';
import type { Process } from './process.js';

/** Linux's stack_guard_gap: 256 pages kept free below a mapping that grows down. */
export const STACK_GUARD_GAP = 256 * PAGE_SIZE;
/** Lowest address a mapping may have (vm.mmap_min_addr). */
export const MMAP_MIN_ADDR = 0x10000;

/** Where a file mapping's bytes live: a host file, or a file inside the emulator (memfd.ts). */
export interface BackingStore {
  /** The file's current size, or 0 when it cannot be known. */
  size(): number;
  /** Reads at offset into `into`; bytes read (0 at the end or on an error). */
  load(into: Uint8Array, offset: number): number;
  /** Writes bytes at offset, not past the end of the file; whether anything was written. */
  store(data: Uint8Array, offset: number): boolean;
  close(): void;
  /** Another handle on the same file (fork); none: the store is shared. */
  dup?(): BackingStore;
}

/** A host file, through a descriptor of its own (the guest may close its fd). */
class HostStore implements BackingStore {
  constructor(
    private fd: number,
    private readonly mode: 'r' | 'r+',
  ) {}

  dup(): BackingStore {
    try {
      return new HostStore(fs.openSync(`/proc/self/fd/${this.fd}`, this.mode), this.mode);
    } catch {
      return new HostStore(-1, this.mode);
    }
  }

  size(): number {
    try {
      return fs.fstatSync(this.fd).size;
    } catch {
      return 0;
    }
  }

  load(into: Uint8Array, offset: number): number {
    try {
      return fs.readSync(this.fd, into, 0, into.length, offset);
    } catch {
      return 0; // an unreadable file reads as zeros (Linux would send SIGBUS)
    }
  }

  store(data: Uint8Array, offset: number): boolean {
    const end = Math.min(offset + data.length, this.size());
    if (end <= offset || this.fd < 0) return false;
    try {
      fs.writeSync(this.fd, data, 0, end - offset, offset);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // nothing the guest could see
    }
    this.fd = -1;
  }
}

/** The file behind file mappings. */
export class FileBacking {
  private constructor(
    readonly store: BackingStore,
    /** The guest path the mapping names. */
    readonly path: string,
    /** Opened for writing: a shared mapping of it may be made writable. */
    readonly writable: boolean,
    /** The file's identity for its guest-visible times (metadata.ts). */
    readonly key: FileKey | null,
  ) {}

  /** A backing for a regular file open in the guest (a host one, or one with a store of its
   *  own), or null when there is none (devices, /proc, pipes): such mappings get the file's
   *  bytes once. */
  static open(file: OpenFile, writable: boolean): FileBacking | null {
    const own = file.mappable?.();
    if (own) return new FileBacking(own, file.path, writable, file.hostKey?.() ?? null);
    if (file.hostFd === null || file.kind !== 'regular') return null;
    try {
      const mode = writable ? 'r+' : 'r';
      return new FileBacking(new HostStore(fs.openSync(`/proc/self/fd/${file.hostFd}`, mode), mode), file.path, writable, file.hostKey?.() ?? null);
    } catch {
      return null;
    }
  }

  size(): number {
    return this.store.size();
  }

  /** The same file for another process's mappings (fork): a host file through a descriptor of
   *  its own, since each process closes the backings its mappings stop using. */
  dup(): FileBacking {
    return new FileBacking(this.store.dup?.() ?? this.store, this.path, this.writable, this.key);
  }

  /** len bytes from offset (zeros past the end of the file). */
  read(offset: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const n = this.store.load(out.subarray(done), offset + done);
      if (n <= 0) break;
      done += n;
    }
    return out;
  }

  /** Writes bytes at offset, not past the end of the file (a shared mapping never extends its
   *  file). Returns whether anything was written. */
  write(offset: number, data: Uint8Array): boolean {
    return this.store.store(data, offset);
  }

  close(): void {
    this.store.close();
  }
}

function backingOf(m: Mapping): FileBacking | undefined {
  return m.source instanceof FileBacking ? m.source : undefined;
}

/** A set of page-aligned address ranges (the locked memory), kept sorted and merged, so a lock
 *  on a huge mapping costs one entry. */
export class RangeSet {
  private ranges: [number, number][] = [];

  /** Bytes in the set. */
  get size(): number {
    let n = 0;
    for (const [a, b] of this.ranges) n += b - a;
    return n;
  }

  /** Bytes of [start, end) in the set. */
  overlap(start: number, end: number): number {
    let n = 0;
    for (const [a, b] of this.ranges) n += Math.max(0, Math.min(b, end) - Math.max(a, start));
    return n;
  }

  add(start: number, end: number): void {
    if (end <= start) return;
    const kept: [number, number][] = [];
    for (const [a, b] of this.ranges) {
      if (b < start || a > end) kept.push([a, b]);
      else {
        start = Math.min(start, a);
        end = Math.max(end, b);
      }
    }
    kept.push([start, end]);
    this.ranges = kept.sort((x, y) => x[0] - y[0]);
  }

  remove(start: number, end: number): void {
    const kept: [number, number][] = [];
    for (const [a, b] of this.ranges) {
      if (b <= start || a >= end) kept.push([a, b]);
      else {
        if (a < start) kept.push([a, start]);
        if (b > end) kept.push([end, b]);
      }
    }
    this.ranges = kept;
  }

  /** The parts of the set inside [start, end). */
  within(start: number, end: number): [number, number][] {
    const out: [number, number][] = [];
    for (const [a, b] of this.ranges) if (b > start && a < end) out.push([Math.max(a, start), Math.min(b, end)]);
    return out;
  }

  /** Keeps only what lies in one of `ranges`. */
  keepWithin(ranges: readonly { start: number; end: number }[]): void {
    const kept: [number, number][] = [];
    for (const r of ranges) kept.push(...this.within(r.start, r.end));
    this.ranges = kept;
  }

  clear(): void {
    this.ranges = [];
  }
}

/** The memory state of one process besides its address space. */
export class MemoryManager {
  /** --max-memory: mmap, brk, mremap and stack growth fail with ENOMEM past this many mapped
   *  bytes. */
  maxMemory = Infinity;
  /** Memory mlock'ed. */
  readonly locked = new RangeSet();
  /** mlockall(MCL_FUTURE): new mappings are locked too. */
  lockFuture = false;
  /** Backings some mapping still refers to; those of shared (write-back) mappings apart. */
  private backings = new Set<FileBacking>();
  private shared: FileBacking[] = [];

  constructor(private readonly proc: Process) {
    proc.mem.resolveMissing = (addr) => this.growStack(addr);
  }

  /** Whether `extra` more mapped bytes stay within --max-memory. */
  fits(extra: number): boolean {
    return extra <= 0 || this.proc.mem.mappedBytes + extra <= this.maxMemory;
  }

  /** RLIMIT_MEMLOCK's soft limit in bytes (Infinity when unlimited). */
  get lockLimit(): number {
    const soft = this.proc.limits[8][0];
    return soft >= 2n ** 53n ? Infinity : Number(soft);
  }

  /** Root may lock memory past RLIMIT_MEMLOCK (CAP_IPC_LOCK). */
  get canLockPastLimit(): boolean {
    return this.proc.identity.euid === 0;
  }

  /** Re-reads which backings the mappings use, closing the ones none does. Called after every
   *  change to the mappings. */
  refresh(): void {
    const used = new Set<FileBacking>();
    const shared = new Set<FileBacking>();
    for (const m of this.proc.mem.mappings) {
      const b = backingOf(m);
      if (!b) continue;
      used.add(b);
      if (m.trackWrites) shared.add(b);
    }
    for (const b of this.backings) if (!used.has(b)) b.close();
    this.backings = used;
    this.shared = [...shared];
    this.locked.keepWithin(this.proc.mem.mappings.filter((m) => !m.pseudo));
  }

  /** True when some shared file mapping exists (the syscall hooks have work). */
  get hasSharedMappings(): boolean {
    return this.shared.length > 0;
  }

  /** Writes the pages of shared file mappings in [start, end) written since their last
   *  write-back to their files. */
  writeBack(start = 0, end = Infinity): void {
    const mem = this.proc.mem;
    if (!mem.hasDirtyPages) return;
    for (const m of mem.mappings) {
      const b = backingOf(m);
      if (!b || !m.trackWrites || m.end <= start || m.start >= end) continue;
      let wrote = false;
      for (const p of mem.takeDirtyPages(Math.max(m.start, start), Math.min(m.end, end))) {
        const addr = p * PAGE_SIZE;
        if (b.write(m.fileOffset + (addr - m.start), mem.peek(addr, PAGE_SIZE))) wrote = true;
      }
      if (wrote) this.proc.metadata.modified(b.key);
    }
  }

  /** Makes the shared mappings show their files' contents again where a call changed them. */
  reloadShared(): void {
    const mem = this.proc.mem;
    for (const m of mem.mappings) {
      const b = backingOf(m);
      if (!b || !m.trackWrites) continue;
      const len = Math.max(0, Math.min(m.end - m.start, b.size() - m.fileOffset));
      if (len === 0) continue;
      const file = b.read(m.fileOffset, len);
      const now = mem.peek(m.start, len);
      for (let at = 0; at < len; at += PAGE_SIZE) {
        const n = Math.min(PAGE_SIZE, len - at);
        if (!sameBytes(file, now, at, n)) mem.writeForced(m.start + at, file.subarray(at, at + n));
      }
    }
  }

  /** Before a syscall: the file sees what the guest wrote to its shared mappings. */
  beforeSyscall(): void {
    if (this.shared.length > 0) this.writeBack();
  }

  /** After a syscall that may have changed files: the shared mappings see it. */
  afterSyscall(): void {
    if (this.shared.length > 0) this.reloadShared();
  }

  /** The end of the process: everything written goes to the files, which are closed. */
  release(): void {
    this.writeBack();
    for (const b of this.backings) b.close();
    this.backings.clear();
    this.shared = [];
  }

  /** An access to an unmapped address, which the kernel resolves by growing a MAP_GROWSDOWN
   *  mapping (the stack, or one mmap made) down to its page, as Linux's expand_stack: the gap to
   *  the mapping below must stay at least the guard gap, the grown mapping within RLIMIT_STACK
   *  and the address space within --max-memory. True when it grew; else the access faults. Both
   *  the CPU's accesses and the kernel's (a read() into a buffer below the stack) grow it. */
  growStack(addr: number): boolean {
    const mem = this.proc.mem;
    if (!(addr >= MMAP_MIN_ADDR && addr < 2 ** 47)) return false;
    const list = mem.mappings;
    const index = list.findIndex((m) => m.start > addr);
    if (index < 0 || !list[index].growsDown) return false;
    const above = list[index];
    const start = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    const below = index > 0 ? list[index - 1] : undefined;
    if (below && below.end > start) return false;
    if (below && !below.growsDown && below.prot !== 0 && start - below.end < STACK_GUARD_GAP) return false;
    const stackLimit = this.proc.limits[3][0];
    if (stackLimit < 2n ** 53n && above.end - start > Number(stackLimit)) return false;
    if (!this.fits(above.start - start)) return false;
    mem.map(start, above.start - start, above.prot, {
      shared: above.shared,
      name: above.name,
      growsDown: true,
      device: above.device,
      inode: above.inode,
    });
    if (this.lockFuture) this.locked.add(start, above.start);
    return true;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array, at: number, n: number): boolean {
  for (let k = at; k < at + n; k++) if (a[k] !== b[k]) return false;
  return true;
}

const managers = new WeakMap<AddressSpace, MemoryManager>();

/** The memory manager of a process's address space (created on first use): one for all its
 *  threads. */
export function mmOf(proc: Process): MemoryManager {
  let mm = managers.get(proc.mem);
  if (!mm) managers.set(proc.mem, (mm = new MemoryManager(proc)));
  return mm;
}

/** Whether a call may have changed a file's contents (the desc and file classes; unknown calls
 *  too): shared mappings are compared with their files after it. */
export function mayChangeFiles(ev: SyscallEvent): boolean {
  const row = rowOf(ev);
  return row === undefined || row.classes.includes('desc') || row.classes.includes('file');
}
