// The library's entry points: run a program in the emulator, optionally observed; trace it to
// strace-format text; record it to a replayable trace file.
import type { FormatOptions } from './decode/index.js';
import type { ElfImage } from './emulator/elf.js';
import { Machine, RunOptions, RunResult } from './emulator/machine.js';
import { ObserverGroup, SyscallObserver } from './trace/observer.js';
import type { SyscallPredicate } from './trace/filter.js';
import { traceHeader } from './trace/header.js';
import type { LineWriter } from './trace/line-writer.js';
import { TraceRecorder } from './trace/recorder.js';
import { StraceSink } from './trace/strace-sink.js';
import { TraceWriter } from './trace/trace-io.js';

export type ProgramOptions = Omit<RunOptions, 'observer' | 'backend'>;

/** Runs a program to its end, telling `observer` (if any) about every syscall. */
export function run(image: ElfImage, options: ProgramOptions & { observer?: SyscallObserver | null }): RunResult {
  return new Machine(image, options).run();
}

export interface StraceOptions extends FormatOptions {
  output: LineWriter;
  /** Which syscalls to print (selectSyscalls() turns strace's -e expressions into this);
   *  default all. */
  selected?: SyscallPredicate;
  /** Announce ABI switches (`[ Process PID=… runs in 32 bit mode. ]`); default true. strace does
   *  on stderr and not with -o. */
  personality?: boolean;
}

export function straceSink(options: StraceOptions): StraceSink {
  return new StraceSink(options.output, options.selected ?? (() => true), { stringLimit: options.stringLimit }, options.personality ?? true);
}

/** Runs a program and writes strace-format lines for the selected syscalls. */
export function trace(image: ElfImage, options: ProgramOptions & StraceOptions): RunResult {
  return run(image, { ...options, observer: straceSink(options) });
}

export interface RecordOptions extends ProgramOptions {
  /** The trace file to write (gzip when it ends in .gz). */
  output: string;
  /** Also print strace text as the program runs. */
  strace?: StraceOptions;
}

/** Runs a program and records every event to a trace file. The file is closed whatever happens,
 *  so everything before a crash of the guest or of emtrace is on disk. */
export function record(image: ElfImage, options: RecordOptions): RunResult {
  const writer = TraceWriter.create(options.output);
  try {
    const recorder = new TraceRecorder(writer);
    const observer = options.strace ? new ObserverGroup([recorder, straceSink(options.strace)]) : recorder;
    const machine = new Machine(image, { ...options, observer });
    writer.writeHeader(traceHeader(machine, { ...options, seed: options.seed ?? '0' }));
    return machine.run();
  } finally {
    writer.close();
  }
}
