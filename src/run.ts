// The library's entry points: run a program in the emulator, optionally observed; trace it to
// strace-format text; record it to a replayable trace file.
import type { FormatOptions } from './decode/index.js';
import type { ElfImage } from './emulator/elf.js';
import { Machine, RunOptions, RunResult } from './emulator/machine.js';
import { ObserverGroup, SyscallObserver } from './trace/observer.js';
import type { SyscallPredicate } from './trace/filter.js';
import { traceHeader } from './trace/header.js';
import type { FollowOptions } from './trace/follow.js';
import type { LineOutput } from './trace/line-writer.js';
import { TraceRecorder } from './trace/recorder.js';
import { StraceSink } from './trace/strace-sink.js';
import { defaultDisplay } from './trace/strace-options.js';
import type { StraceDisplay } from './trace/strace-options.js';
import type { Symbolizer } from './trace/backtrace.js';
import { LtraceSink } from './trace/ltrace-sink.js';
import { renderSummary, SummaryLayout, SummarySink } from './trace/summary/index.js';
import { TraceWriter } from './trace/trace-io.js';

export type ProgramOptions = Omit<RunOptions, 'observer' | 'backend'>;

/** Runs a program to its end, telling `observer` (if any) about every syscall. */
export function run(image: ElfImage, options: ProgramOptions & { observer?: SyscallObserver | null }): RunResult {
  return new Machine(image, options).run();
}

export interface StraceOptions extends FormatOptions {
  output: LineOutput;
  /** Which syscalls to print (selectSyscalls() turns strace's -e expressions into this);
   *  default all. */
  selected?: SyscallPredicate;
  /** Announce ABI switches (`[ Process PID=… runs in 32 bit mode. ]`); default true. strace does
   *  on stderr and not with -o. */
  personality?: boolean;
  /** strace's display options (parseStraceOptions); when given, `selected` and `stringLimit`
   *  are its. */
  display?: StraceDisplay;
  /** -k: the traced program's symbols. */
  symbolizer?: Symbolizer | null;
  /** -f, -ff: the tasks printed besides the first, and where (default: the first only). */
  follow?: FollowOptions;
}

export function straceSink(options: StraceOptions): StraceSink {
  const display = options.display ?? defaultDisplay({ selected: options.selected ?? (() => true), stringLimit: options.stringLimit ?? 32 });
  return new StraceSink(options.output, display, options.personality ?? true, options.symbolizer ?? null, options.follow);
}

export interface TraceOptions extends StraceOptions {
  /** The lines: strace's (default), ltrace -S's (--ltrace), or none (-c). */
  lines?: 'strace' | 'ltrace' | 'none';
  /** -c / -C: after the run, the summary table of the selected calls. */
  summary?: SummaryLayout & { wall?: boolean };
}

/** Runs a program and writes strace-format lines for the selected syscalls (or ltrace's, or
 *  only the -c summary at the end). */
export function trace(image: ElfImage, options: ProgramOptions & TraceOptions): RunResult {
  const selected = options.selected ?? (() => true);
  const sinks: SyscallObserver[] = [];
  if (options.lines === 'ltrace') sinks.push(new LtraceSink(options.output, selected, { stringLimit: options.stringLimit }));
  else if (options.lines !== 'none') sinks.push(straceSink(options));
  const summary = options.summary ? new SummarySink(selected, options.summary.wall) : null;
  if (summary) sinks.push(summary);
  const result = run(image, { ...options, observer: sinks.length === 1 ? sinks[0] : new ObserverGroup(sinks) });
  if (summary) for (const line of renderSummary(summary.counts, options.summary)) options.output.line(line);
  return result;
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
