// The recorder: an observer that writes every syscall, signal and exit to a trace file, with the
// guest memory the kernel read (what the syscall table says each call reads) and every byte it
// wrote (logged by the address space while the call runs).
import { eventName, inputRegions } from '../decode/index.js';
import type { ExitEvent, GuestMemoryReader, MemoryRange, SignalEvent, SyscallEvent } from './event.js';
import type { SyscallObserver, SyscallOutcome } from './observer.js';
import { HEAD_BYTES, INPUT_INLINE_LIMIT, sha256 } from './trace-file.js';
import type { TraceWriter } from './trace-io.js';

/** The guest bytes a call reads at entry, as recorded: whole, or hashed when large. */
export function readInputs(ev: SyscallEvent, mem: GuestMemoryReader): MemoryRange[] {
  const ranges: MemoryRange[] = [];
  for (const region of inputRegions(ev, mem)) {
    const bytes = mem.readBytes(region.addr, region.len) ?? readablePrefix(mem, region.addr, region.len);
    if (bytes === null) continue;
    if (bytes.length <= INPUT_INLINE_LIMIT) ranges.push({ addr: region.addr, len: bytes.length, data: bytes.slice() });
    else ranges.push({ addr: region.addr, len: bytes.length, data: bytes.slice(0, HEAD_BYTES), sha256: sha256(bytes) });
  }
  return ranges;
}

/** The bytes of [addr, addr + len) up to the first unreadable page, or null when none. */
function readablePrefix(mem: GuestMemoryReader, addr: number, len: number): Uint8Array | null {
  let end = addr;
  while (end < addr + len) {
    const next = Math.min(addr + len, (Math.floor(end / 4096) + 1) * 4096);
    if (mem.readBytes(end, next - end) === null) break;
    end = next;
  }
  return end > addr ? mem.readBytes(addr, end - addr) : null;
}

export class TraceRecorder implements SyscallObserver {
  readonly recordsWrites = true;
  /** What the call's descriptors refer to goes in the trace: dump and replay print -y from it. */
  readonly describesFds = true;
  /** What each thread's call in progress read at entry. */
  private readonly inputs = new Map<number, MemoryRange[]>();

  constructor(private readonly writer: TraceWriter) {}

  wants(): boolean {
    return true;
  }

  enter(ev: SyscallEvent, mem: GuestMemoryReader): void {
    this.inputs.set(ev.tid, readInputs(ev, mem));
  }

  exit(ev: SyscallEvent, _mem: GuestMemoryReader, outcome: SyscallOutcome): void {
    const inputs = this.inputs.get(ev.tid) ?? [];
    this.inputs.delete(ev.tid);
    this.writer.write({
      type: 'syscall',
      event: ev,
      name: eventName(ev),
      inputs,
      outputs: outcome.writes ?? [],
      fd: outcome.fdPath,
    });
  }

  signal(ev: SignalEvent): void {
    this.writer.write({ type: 'signal', ...ev });
  }

  processExit(ev: ExitEvent): void {
    this.writer.write({ type: 'exit', ...ev });
  }
}
