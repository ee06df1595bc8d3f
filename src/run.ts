// The library's entry points: run a program in the emulator, optionally observed, or trace it
// to strace-format text.
import type { FormatOptions } from './decode/index.js';
import type { ElfImage } from './emulator/elf.js';
import { Machine, RunResult } from './emulator/machine.js';
import type { SyscallObserver } from './trace/observer.js';
import type { SyscallPredicate } from './trace/filter.js';
import type { LineWriter } from './trace/line-writer.js';
import { StraceSink } from './trace/strace-sink.js';

export interface ProgramOptions {
  argv: string[];
  env: string[];
  seed?: string;
  cwd?: string;
  diagnose?: (message: string) => void;
}

/** Runs a program to its end, telling `observer` (if any) about every syscall. */
export function run(image: ElfImage, options: ProgramOptions & { observer?: SyscallObserver | null }): RunResult {
  return new Machine(image, options).run();
}

export interface TraceOptions extends ProgramOptions, FormatOptions {
  output: LineWriter;
  /** Which syscalls to print (selectSyscalls() turns strace's -e expressions into this);
   *  default all. */
  selected?: SyscallPredicate;
}

/** Runs a program and writes strace-format lines for the selected syscalls. */
export function trace(image: ElfImage, options: TraceOptions): RunResult {
  const sink = new StraceSink(options.output, options.selected ?? (() => true), { stringLimit: options.stringLimit });
  return run(image, { ...options, observer: sink });
}
