// emtrace dump: a recorded trace rendered as strace text, or as ltrace -S lines.
import { beginCall, finishCall, joinLine, personalityLine } from '../decode/index.js';
import type { FormatOptions } from '../decode/index.js';
import type { SyscallPredicate } from './filter.js';
import type { LineWriter } from './line-writer.js';
import { describeEvent } from './replay.js';
import { RecordedMemory, TraceEvent } from './trace-file.js';
import { TraceReader } from './trace-io.js';

export interface DumpOptions extends FormatOptions {
  selected?: SyscallPredicate;
  style?: 'strace' | 'ltrace';
  /** Announce ABI switches as strace does (`[ Process PID=… runs in 32 bit mode. ]`); default
   *  true. */
  personality?: boolean;
}

/** ltrace puts results at column 50 (5/8 of an 80-column screen). */
const LTRACE_RESULT_COLUMN = 50;

export async function dump(tracePath: string, out: LineWriter, options: DumpOptions = {}): Promise<void> {
  const reader = await TraceReader.open(tracePath);
  const selected = options.selected ?? (() => true);
  const personalities = new Map<number, 'x86_64' | 'i386'>();
  for await (const event of reader) {
    if (event.type === 'syscall' && options.style !== 'ltrace' && options.personality !== false && event.event.via === undefined) {
      const abi = event.event.abi ?? 'x86_64';
      if ((personalities.get(event.event.pid) ?? 'x86_64') !== abi) {
        personalities.set(event.event.pid, abi);
        out.line(personalityLine(event.event.pid, abi));
      }
    }
    if (event.type === 'syscall' && !selected(event.event.nr, event.event)) continue;
    out.line(options.style === 'ltrace' ? ltraceLine(event, options) : describeEvent(event, options));
  }
}

/** One event as ltrace -S prints it: `SYS_write(1, "hi\n", 3) = 3`, results in decimal. */
function ltraceLine(event: TraceEvent, options: FormatOptions): string {
  if (event.type === 'exit') {
    const s = event.status;
    return s.kind === 'exited' ? `+++ exited (status ${s.code}) +++` : describeEvent(event);
  }
  if (event.type === 'signal') return describeEvent(event);
  const done = finishCall(beginCall(event.event, RecordedMemory.atEntry(event), options), event.event, RecordedMemory.of(event), options);
  const call = 'SYS_' + done.call;
  const ret = Number.isNaN(event.event.ret) ? '<no return ...>' : String(event.event.ret);
  const line = joinLine(call, '= ' + ret);
  // joinLine aligns at strace's column 40; ltrace's is 50.
  const pad = LTRACE_RESULT_COLUMN - (call.length + 1);
  return pad > 0 ? call + ' '.repeat(pad + 1) + '= ' + ret : line;
}
