// emtrace dump: a recorded trace rendered as strace text, or as ltrace -S lines, and/or its -c
// summary.
import { personalityLine } from '../decode/index.js';
import type { FormatOptions } from '../decode/index.js';
import { ltraceBegin, ltraceExitedLine, ltraceFinish, ltraceKilledLine, ltraceNoReturn, ltraceSignalLine } from '../decode/ltrace/index.js';
import type { SyscallPredicate } from './filter.js';
import type { FollowOptions } from './follow.js';
import type { LineOutput } from './line-writer.js';
import { Symbolizer } from './backtrace.js';
import { traceBinary } from './replay.js';
import { defaultDisplay } from './strace-options.js';
import type { StraceDisplay } from './strace-options.js';
import { feedRecorded, StraceSink } from './strace-sink.js';
import { renderSummary, SummaryLayout, SyscallCounts } from './summary/index.js';
import { RecordedMemory, TraceEvent } from './trace-file.js';
import { TraceReader } from './trace-io.js';

export interface DumpOptions extends FormatOptions {
  selected?: SyscallPredicate;
  /** The lines: strace's, ltrace -S's, or none (-c). */
  style?: 'strace' | 'ltrace' | 'none';
  /** -c / -C: the summary table after the lines. A trace holds no call durations, so its
   *  times are the virtual system time: zero. */
  summary?: SummaryLayout;
  /** Announce ABI switches as strace does (`[ Process PID=… runs in 32 bit mode. ]`); default
   *  true. */
  personality?: boolean;
  /** strace's display options for strace lines (parseStraceOptions); by default `selected` and
   *  `stringLimit` with strace's defaults. */
  display?: StraceDisplay;
  /** -k: the traced binary when it is not where the trace says (its SHA-256 must match). */
  binary?: string;
  /** Which tasks print and where (-f, -ff); by default every task of the trace, `[pid N] `
   *  while several are alive, as strace -f on stderr. */
  follow?: FollowOptions;
}

/** A dump shows every task the trace holds. */
const FOLLOW_ALL: FollowOptions = { forks: true, pidColumn: false };

export async function dump(tracePath: string, out: LineOutput, options: DumpOptions = {}): Promise<void> {
  const reader = await TraceReader.open(tracePath);
  const selected = options.selected ?? (() => true);
  const personalities = new Map<number, 'x86_64' | 'i386'>();
  const counts = options.summary ? new SyscallCounts() : null;
  // strace lines come from the strace sink, fed each recorded event as the kernel would.
  const given = options.display ?? defaultDisplay({ selected, stringLimit: options.stringLimit ?? 32 });
  // No tracer attached to anything: a dump has no `Process N attached` messages.
  const display: StraceDisplay = { ...given, quiet: new Set([...given.quiet, 'attach']) };
  const symbolizer = display.stackTrace ? new Symbolizer(traceBinary(reader.header, tracePath, options.binary)) : null;
  const sink = (options.style ?? 'strace') === 'strace' ? new StraceSink(out, display, options.personality ?? true, symbolizer, options.follow ?? FOLLOW_ALL) : null;
  for await (const event of reader) {
    if (sink) feedRecorded(sink, event);
    else if (event.type === 'syscall' && options.style !== 'ltrace' && options.personality !== false && event.event.via === undefined) {
      const abi = event.event.abi ?? 'x86_64';
      if ((personalities.get(event.event.pid) ?? 'x86_64') !== abi) {
        personalities.set(event.event.pid, abi);
        out.line(personalityLine(event.event.pid, abi));
      }
    }
    if (event.type === 'syscall' && !selected(event.event.nr, event.event)) continue;
    if (event.type === 'syscall') counts?.add(event.event, 0);
    if (options.style === 'ltrace') out.line(ltraceLine(event, options));
  }
  if (counts) for (const line of renderSummary(counts, options.summary)) out.line(line);
}

/** One event as ltrace -S prints it: `SYS_write(1, "hi\n", 3)` then `= 3` at column 50. */
function ltraceLine(event: TraceEvent, options: FormatOptions): string {
  if (event.type === 'exit') {
    const s = event.status;
    return s.kind === 'exited' ? ltraceExitedLine(s.code) : ltraceKilledLine(s.signal);
  }
  if (event.type === 'signal') return ltraceSignalLine(event.signo);
  const pending = ltraceBegin(event.event, RecordedMemory.atEntry(event), options);
  // Nothing follows a call that never returned on its line: ltrace ends it at once.
  if (Number.isNaN(event.event.ret)) return ltraceNoReturn(pending);
  return ltraceFinish(pending, event.event, RecordedMemory.of(event), options);
}
