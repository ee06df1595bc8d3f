// Addresses of a trace file named after the mapping they fall in, so two runs whose layouts
// differ (another heap start, another mmap address) still compare equal:
//
//   heap, heap+0x120    from the first successful brk result to the current break
//   mmap#3, mmap#3+0x10 the third mapping mmap/mremap created in this address space
//   stack, stack-0x1f0  an address in [STACK_LOW, 2^47) outside those, relative to the first
//                       such address the process's lines show: the initial stack pointer moves
//                       with the size of argv and the environment, the frames below it do not
//
// Each process has its own address space: a child of fork/vfork/clone starts with a copy of its
// parent's (threads, clone with CLONE_VM, share it), and a successful execve starts a new one.
import { argUlong } from '../event.js';
import { RecordedMemory } from '../trace-file.js';
import type { SyscallRecord } from '../trace-file.js';
import { replaceHex } from './line-syntax.js';

/** Untracked addresses from here to the top of user space count as stack (emtrace's initial
 *  stack ends at 0x7ffffffff000, Linux's a little below 2^47). */
export const STACK_LOW = 0x7ff000000000;
const USER_TOP = 0x800000000000;
const PAGE = 4096;
const CLONE_VM = 0x100;

const pageUp = (n: number): number => Math.ceil(n / PAGE) * PAGE;

interface Mapping {
  start: number;
  end: number;
  name: string;
}

class AddressSpace {
  heapStart = -1;
  heapEnd = -1;
  stackAnchor = -1;
  mappings: Mapping[] = [];
  created = 0;

  copy(): AddressSpace {
    const s = new AddressSpace();
    s.heapStart = this.heapStart;
    s.heapEnd = this.heapEnd;
    s.stackAnchor = this.stackAnchor;
    s.mappings = this.mappings.map((m) => ({ ...m }));
    s.created = this.created;
    return s;
  }

  add(start: number, length: number): void {
    this.mappings.push({ start, end: start + pageUp(length), name: `mmap#${++this.created}` });
  }

  /** Forgets the mappings [start, start+length) covers entirely. */
  remove(start: number, length: number): void {
    const end = start + pageUp(length);
    this.mappings = this.mappings.filter((m) => m.start < start || m.end > end);
  }

  name(addr: number): string | null {
    for (let k = this.mappings.length - 1; k >= 0; k--) {
      const m = this.mappings[k];
      if (addr >= m.start && addr < m.end) return relative(m.name, addr - m.start);
    }
    if (this.heapStart >= 0 && addr >= this.heapStart && addr <= Math.max(this.heapEnd, this.heapStart)) {
      return relative('heap', addr - this.heapStart);
    }
    if (addr >= STACK_LOW && addr < USER_TOP) {
      if (this.stackAnchor < 0) this.stackAnchor = addr;
      return relative('stack', addr - this.stackAnchor);
    }
    return null;
  }
}

function relative(base: string, offset: number): string {
  if (offset === 0) return base;
  return offset > 0 ? `${base}+0x${offset.toString(16)}` : `${base}-0x${(-offset).toString(16)}`;
}

/** The address spaces of one trace's processes, updated call by call. */
export class MappingTracker {
  private readonly spaces = new Map<number, AddressSpace>();

  private space(tid: number): AddressSpace {
    let s = this.spaces.get(tid);
    if (s === undefined) {
      s = new AddressSpace();
      this.spaces.set(tid, s);
    }
    return s;
  }

  /**
   * Rewrites the addresses in `text`, the line of `record` made by task `tid`: mappings the call
   * creates are named before (so its result reads `mmap#4`), those it removes after (so munmap's
   * argument still names what it unmapped).
   */
  rewrite(tid: number, record: SyscallRecord | undefined, text: string): string {
    const space = this.space(tid);
    if (record !== undefined) this.before(tid, space, record);
    const out = replaceHex(text, (token, value) => space.name(value) ?? token);
    if (record !== undefined) this.after(tid, space, record);
    return out;
  }

  private before(tid: number, space: AddressSpace, r: SyscallRecord): void {
    const ev = r.event;
    if (ev.errno !== 0 || Number.isNaN(ev.ret)) return;
    const a = ev.args;
    switch (r.name) {
      case 'brk':
        if (space.heapStart < 0) space.heapStart = ev.ret;
        space.heapEnd = ev.ret;
        break;
      case 'mmap':
        space.add(ev.ret, argUlong(a, 1));
        break;
      case 'mremap': {
        const old = argUlong(a, 0);
        const grown = space.mappings.find((m) => m.start === old);
        if (ev.ret === old && grown !== undefined) grown.end = old + pageUp(argUlong(a, 2));
        else if (ev.ret !== old) space.add(ev.ret, argUlong(a, 2));
        break;
      }
    }
  }

  private after(tid: number, space: AddressSpace, r: SyscallRecord): void {
    const ev = r.event;
    if (ev.errno !== 0 || Number.isNaN(ev.ret)) return;
    const a = ev.args;
    switch (r.name) {
      case 'munmap':
        space.remove(argUlong(a, 0), argUlong(a, 1));
        break;
      case 'mremap':
        if (ev.ret !== argUlong(a, 0)) space.remove(argUlong(a, 0), argUlong(a, 1));
        break;
      case 'execve':
      case 'execveat':
        this.spaces.set(tid, new AddressSpace());
        break;
      case 'clone':
      case 'clone3':
      case 'fork':
      case 'vfork': {
        if (ev.ret <= 0 || this.spaces.has(ev.ret)) break;
        this.spaces.set(ev.ret, cloneFlags(r) & CLONE_VM && r.name !== 'vfork' ? space : space.copy());
        break;
      }
    }
  }
}

/** The clone flags of a clone or clone3 call (clone3: the first field of struct clone_args). */
function cloneFlags(r: SyscallRecord): number {
  if (r.name === 'clone') return argUlong(r.event.args, 0);
  if (r.name !== 'clone3') return 0;
  const bytes = RecordedMemory.of(r).readBytes(argUlong(r.event.args, 0), 8);
  return bytes === null ? 0 : bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24);
}
