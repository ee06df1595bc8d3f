// The syscall backend of a replay: each syscall the guest makes is checked against the next
// recorded one (number, the arguments that call uses, the bytes it reads, where and when it is
// made) and answered from the trace: the recorded result, and the recorded bytes written back into
// guest memory. Calls that shape the emulator's own state (memory mappings, FS base, exit) are
// re-executed by the emulated kernel and their results checked against the recording.
import fs from 'node:fs';
import { argInt, argUlong } from './event.js';
import type { GuestMemoryReader, MemoryRange, SyscallEvent } from './event.js';
import { returnsFd, syscallByNumber, syscallName } from '../decode/index.js';
import type { LiveSyscalls, SyscallBackend } from '../emulator/kernel/kernel.js';
import type { Machine } from '../emulator/machine.js';
import { readInputs } from './recorder.js';
import type { SyscallRecord, TraceEvent } from './trace-file.js';

/** Syscalls the replay re-executes instead of serving: they change state the emulator itself
 *  holds, and are deterministic given that state. */
const REEXECUTED = new Set([
  'brk', 'mmap', 'munmap', 'mprotect', 'madvise', 'mremap', 'arch_prctl', 'set_tid_address',
  'set_robust_list', 'rseq', 'exit', 'exit_group',
]);

const MAP_ANONYMOUS = 0x20;
const MAP_FIXED = 0x10;
/** How many earlier events a divergence report shows. */
export const CONTEXT_EVENTS = 8;

/** Where and why a replay stopped matching its recording. */
export class ReplayDivergence {
  constructor(
    /** The 0-based index of the recorded event that does not match. */
    readonly eventIndex: number,
    readonly reason: string,
    /** The recorded event expected there (null past the end of the trace). */
    readonly expected: TraceEvent | null,
    /** The call the guest made instead (null when it did something other than a syscall). */
    readonly actual: { ev: SyscallEvent; mem: GuestMemoryReader } | null,
    readonly icount: number,
    readonly rip: number,
    /** The last recorded events that did match, oldest first. */
    readonly context: { index: number; record: TraceEvent }[],
  ) {}
}

export class ReplayBackend implements SyscallBackend {
  /** Recorded events read from the trace and not yet matched. */
  readonly queue: TraceEvent[] = [];
  /** The trace has no more events to read. */
  traceEnded = false;
  /** Index of the next recorded event. */
  nextIndex = 0;
  private readonly matched: { index: number; record: TraceEvent }[] = [];
  /** Guest fds that are emtrace's own stdio, whose writes the replay shows again. */
  private readonly stdio = new Map<number, number>([
    [0, 0],
    [1, 1],
    [2, 2],
  ]);

  constructor(
    private readonly live: LiveSyscalls,
    private readonly machine: Machine,
    /** Repeat the guest's writes to its inherited stdout/stderr on ours. */
    private readonly echoOutput: boolean,
  ) {}

  ready(): boolean {
    return this.queue.length > 0 || this.traceEnded;
  }

  /** Takes the next recorded event (for the checks at the end of the run). */
  take(): TraceEvent | undefined {
    const event = this.queue.shift();
    if (event) this.remember(event);
    return event;
  }

  /** The events that matched last, for a divergence report. */
  recentContext(): { index: number; record: TraceEvent }[] {
    return [...this.matched];
  }

  perform(ev: SyscallEvent, mem: GuestMemoryReader): number {
    const expected = this.queue[0];
    if (!expected) throw this.diverge(ev, mem, null, 'the program makes a syscall after the end of the recording');
    if (expected.type !== 'syscall') throw this.diverge(ev, mem, expected, `the recording has a ${expected.type} event here`);
    const mismatch = this.compare(expected, ev, mem);
    if (mismatch) throw this.diverge(ev, mem, expected, mismatch);
    const name = syscallName(ev.nr);
    const result = REEXECUTED.has(name) ? this.reexecute(expected, ev, mem) : this.serve(expected, ev, mem);
    if (this.echoOutput) this.echo(name, ev, result, mem);
    this.trackStdio(name, ev, result);
    this.remember(this.queue.shift()!);
    return result;
  }

  private remember(record: TraceEvent): void {
    this.matched.push({ index: this.nextIndex++, record });
    if (this.matched.length > CONTEXT_EVENTS) this.matched.shift();
  }

  /** Why the call differs from the recorded one, or null when it matches. */
  private compare(rec: SyscallRecord, ev: SyscallEvent, mem: GuestMemoryReader): string | null {
    const want = rec.event;
    if (want.nr !== ev.nr) return `a different syscall: ${syscallName(ev.nr)} instead of ${rec.name}`;
    const used = syscallByNumber(ev.nr)?.nargs ?? 6;
    for (let k = 0; k < used; k++) {
      if (want.args[2 * k] !== ev.args[2 * k] || want.args[2 * k + 1] !== ev.args[2 * k + 1]) return `argument ${k + 1} differs`;
    }
    const inputs = readInputs(ev, mem);
    const recorded = rec.inputs;
    for (let k = 0; k < Math.max(inputs.length, recorded.length); k++) {
      const now = inputs[k];
      const then = recorded[k];
      if (!now || !then || now.addr !== then.addr || now.len !== then.len) return 'the memory it passes to the kernel differs';
      const difference = firstDifference(then, now);
      if (difference) return `the bytes it passes to the kernel differ (${difference})`;
    }
    if (want.rip !== ev.rip) return `it is made from a different instruction (rip 0x${want.rip.toString(16)} recorded)`;
    if (want.icount !== ev.icount) return `it comes after a different number of instructions (${want.icount} recorded, ${ev.icount} now)`;
    return null;
  }

  /** The recorded result, with the recorded bytes written back into guest memory. */
  private serve(rec: SyscallRecord, ev: SyscallEvent, mem: GuestMemoryReader): number {
    for (const range of rec.outputs) {
      try {
        this.machine.mem.writeBytes(range.addr, range.data);
      } catch {
        throw this.diverge(ev, mem, rec, `the kernel's recorded write to 0x${range.addr.toString(16)} does not fit the replayed memory`);
      }
    }
    return rec.event.ret;
  }

  /** Runs the call in the emulated kernel and checks its result against the recording. A file
   *  mapping is re-created as an anonymous one at the recorded address, then given the recorded
   *  file bytes: the file itself need not exist on this machine. */
  private reexecute(rec: SyscallRecord, ev: SyscallEvent, mem: GuestMemoryReader): number {
    const name = rec.name;
    let args = ev.args;
    const fileMapping = name === 'mmap' && !(argInt(args, 3) & MAP_ANONYMOUS) && rec.event.errno === 0;
    if (fileMapping) {
      args = args.slice();
      const at = rec.event.ret;
      args[0] = at % 4294967296;
      args[1] = Math.floor(at / 4294967296);
      args[6] = args[6] | MAP_ANONYMOUS | MAP_FIXED;
      args[8] = -1;
      args[9] = -1;
      args[10] = 0;
      args[11] = 0;
    }
    const result = this.live.execute(ev.nr, args);
    if (fileMapping) for (const range of rec.outputs) this.machine.mem.writeBytes(range.addr, range.data);
    const recorded = rec.event.ret;
    const exited = this.machine.process.exitStatus !== null;
    if (!exited && result !== recorded) {
      throw this.diverge(ev, mem, rec, `the emulated kernel returns ${result} where the recording has ${recorded}`);
    }
    return result;
  }

  /** Shows again what the guest wrote to emtrace's own stdout/stderr. */
  private echo(name: string, ev: SyscallEvent, result: number, mem: GuestMemoryReader): void {
    if (result <= 0) return;
    const host = this.stdio.get(argInt(ev.args, 0));
    if (host === undefined || host === 0) return;
    let data: Uint8Array | null = null;
    if (name === 'write' || name === 'pwrite64') data = mem.readBytes(argUlong(ev.args, 1), result);
    else if (name === 'writev' || name === 'pwritev' || name === 'pwritev2') data = gather(mem, argUlong(ev.args, 1), argInt(ev.args, 2), result);
    if (data) writeAll(host, data);
  }

  /** Follows which fds are still the inherited stdio through close/dup/open. */
  private trackStdio(name: string, ev: SyscallEvent, result: number): void {
    if (result < 0) return;
    const fd = argInt(ev.args, 0);
    if (name === 'close') this.stdio.delete(fd);
    else if (name === 'dup2' || name === 'dup3' || ((name === 'dup' || name === 'fcntl') && returnsFd(ev))) {
      const source = this.stdio.get(fd);
      if (source === undefined) this.stdio.delete(result);
      else this.stdio.set(result, source);
    } else if (returnsFd(ev)) this.stdio.delete(result);
  }

  private diverge(ev: SyscallEvent, mem: GuestMemoryReader | null, expected: TraceEvent | null, reason: string): ReplayDivergence {
    return new ReplayDivergence(this.nextIndex, reason, expected, mem ? { ev, mem } : null, ev.icount, ev.rip, this.recentContext());
  }
}

/** Where two recordings of the same range differ, as text; null when they are the same. */
function firstDifference(then: MemoryRange, now: MemoryRange): string | null {
  const at = `at 0x${then.addr.toString(16)}`;
  const shown = Math.min(then.data.length, now.data.length);
  for (let k = 0; k < shown; k++) {
    if (then.data[k] !== now.data[k]) {
      const byte = (b: number) => '0x' + b.toString(16).padStart(2, '0');
      return `${at}+${k}: ${byte(then.data[k])} recorded, ${byte(now.data[k])} now`;
    }
  }
  if (then.sha256 !== now.sha256) return `${at}, after its first ${shown} bytes`;
  return null;
}

/** The first `total` bytes described by an iovec array. */
function gather(mem: GuestMemoryReader, iovecs: number, count: number, total: number): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let left = total;
  for (let k = 0; k < count && left > 0; k++) {
    const entry = mem.readBytes(iovecs + 16 * k, 16);
    if (!entry) return null;
    const view = new DataView(entry.buffer, entry.byteOffset, 16);
    const base = view.getUint32(0, true) + view.getUint32(4, true) * 4294967296;
    const len = Math.min(left, view.getUint32(8, true) + view.getUint32(12, true) * 4294967296);
    const bytes = len > 0 ? mem.readBytes(base, len) : new Uint8Array(0);
    if (!bytes) return null;
    parts.push(bytes);
    left -= len;
  }
  return Buffer.concat(parts);
}

function writeAll(fd: number, data: Uint8Array): void {
  for (let done = 0; done < data.length; ) {
    try {
      done += fs.writeSync(fd, data, done, data.length - done);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}
