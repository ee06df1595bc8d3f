// emtrace replay: re-executes the binary a trace names and serves every syscall from the trace,
// proving the run is reproduced (or showing the first event where it is not). No host file, clock
// or entropy is touched: a trace recorded on one machine replays on another.
import { beginCall, finishCall, exitedLine, joinLine, killedLine, signalLine } from '../decode/index.js';
import type { FormatOptions } from '../decode/index.js';
import { Machine, RunResult } from '../emulator/machine.js';
import type { ElfImage } from '../emulator/elf.js';
import type { ExitEvent, SignalEvent } from './event.js';
import { binaryCandidates, findBinary } from './header.js';
import { ObserverGroup, SyscallObserver } from './observer.js';
import { signalInfo } from './strace-sink.js';
import { ReplayBackend, ReplayDivergence } from './replay-backend.js';
import { RecordedMemory, SyscallRecord, TraceEvent } from './trace-file.js';
import type { TraceHeader } from './trace-file.js';
import { TraceReader } from './trace-io.js';

/** Events read ahead from the trace at a time. */
const READ_AHEAD = 1024;

export interface ReplayOptions extends FormatOptions {
  /** The binary to run instead of the one the header names (its sha256 must match). */
  binary?: string;
  /** Print strace lines as the replay goes; a function of the binary when the observer needs
   *  it (-k's symbols). */
  observer?: SyscallObserver | ((image: ElfImage) => SyscallObserver) | null;
  /** Show the guest's writes to stdout/stderr again (default true). */
  echoOutput?: boolean;
}

export type ReplayOutcome =
  | { kind: 'reproduced'; result: RunResult; events: number }
  | { kind: 'diverged'; divergence: ReplayDivergence; report: string[] };

export async function replay(tracePath: string, options: ReplayOptions = {}): Promise<ReplayOutcome> {
  const reader = await TraceReader.open(tracePath);
  const header = reader.header;
  const image = traceBinary(header, tracePath, options.binary);
  // Ends the trace has not been read as far as yet, checked once it is.
  const ending: ExitEvent[] = [];
  const endWatcher: SyscallObserver = {
    wants: () => false,
    enter: () => {},
    exit: () => {},
    // Every signal delivered and every thread's end is checked against the recording as it
    // happens.
    signal: (ev: SignalEvent) => backend.signalDelivered(ev),
    processExit: (ev: ExitEvent) => (backend.queue.length === 0 && !backend.traceEnded ? void ending.push(ev) : backend.exited(ev)),
  };
  const observer = typeof options.observer === 'function' ? options.observer(image) : options.observer;
  let backend!: ReplayBackend;
  const machine = new Machine(image, {
    argv: header.argv,
    env: header.env,
    seed: header.seed,
    cwd: header.cwd,
    execfn: header.binary.path,
    atRandom: new Uint8Array(Buffer.from(header.atRandom, 'base64')),
    maxMemory: header.maxMemory,
    chaos: header.chaos,
    identity: { uid: header.identity.uid, euid: header.identity.uid, gid: header.identity.gid, egid: header.identity.gid },
    observer: new ObserverGroup(observer ? [observer, endWatcher] : [endWatcher]),
    backend: (live, m) => (backend ??= new ReplayBackend(m, options.echoOutput ?? true)).forTask(live),
  });
  const diverged = (d: ReplayDivergence): ReplayOutcome => ({ kind: 'diverged', divergence: d, report: describeDivergence(d, machine, options) });

  let result: RunResult | null = null;
  try {
    while (!result) {
      result = machine.runUntilStall();
      if (!result) await refill(backend, reader);
    }
    for (const ev of ending) {
      if (backend.queue.length === 0) await refill(backend, reader);
      backend.exited(ev);
    }
  } catch (e) {
    if (e instanceof ReplayDivergence) return diverged(e);
    throw e;
  }
  if (backend.queue.length === 0) await refill(backend, reader);
  const extra = backend.queue[0];
  if (extra) {
    return diverged(new ReplayDivergence(backend.nextIndex, 'the program has ended but the recording goes on', extra, null, machine.cpu.icount, machine.cpu.rip, backend.recentContext()));
  }
  return { kind: 'reproduced', result, events: backend.nextIndex };
}

async function refill(backend: ReplayBackend, reader: TraceReader): Promise<void> {
  while (backend.queue.length < READ_AHEAD) {
    const event = await reader.next();
    if (!event) {
      backend.traceEnded = true;
      return;
    }
    backend.queue.push(event);
  }
}

/** The binary a trace was recorded from: `binary`, or where its header says (its SHA-256 must
 *  match); a UserError when it is not here. */
export function traceBinary(header: TraceHeader, tracePath: string, binary?: string): ElfImage {
  return findBinary(binary ? [binary] : binaryCandidates(header), header.binary.sha256, tracePath);
}

/** A recorded call as strace prints it: its entry from the memory as it was at entry, its exit
 *  from the memory as the kernel left it. */
export function formatRecorded(record: SyscallRecord, options: FormatOptions = {}): string {
  const done = finishCall(beginCall(record.event, RecordedMemory.atEntry(record), options), record.event, RecordedMemory.of(record), options);
  return joinLine(done.call, done.result);
}

/** One event as strace shows it. */
export function describeEvent(event: TraceEvent, options: FormatOptions = {}): string {
  switch (event.type) {
    case 'syscall':
      return formatRecorded(event, options);
    case 'signal':
      return signalLine(event.signo, signalInfo(event));
    case 'exit':
      return event.status.kind === 'exited' ? exitedLine(event.status.code) : killedLine(event.status.signal, event.status.coreDumped);
  }
}

/** The divergence report: where, what was expected, what happened, and the events before. */
function describeDivergence(d: ReplayDivergence, machine: Machine, options: FormatOptions): string[] {
  const lines = [`replay diverged at event ${d.eventIndex}: ${d.reason}`];
  lines.push(`  at instruction ${d.icount}, rip 0x${d.rip.toString(16)}${machine.symbolAt(d.rip)}`);
  lines.push(`  recorded: ${d.expected ? describeEvent(d.expected, options) : '(end of the recording)'}`);
  if (d.actual) {
    const pending = beginCall(d.actual.ev, d.actual.mem, options);
    lines.push(`  replayed: ${finishCall(pending, d.actual.ev, d.actual.mem, options).call}`);
  }
  if (d.context.length > 0) {
    lines.push('  before it:');
    for (const { index, record } of d.context) lines.push(`    #${index} ${describeEvent(record, options)}`);
  }
  return lines;
}
