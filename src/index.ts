// emtrace as a library: `import { run, trace, readExecutable } from 'emtrace'`.
export { run, trace, record, straceSink } from './run.js';
export type { ProgramOptions, StraceOptions, RecordOptions } from './run.js';
export { replay, describeEvent } from './trace/replay.js';
export type { ReplayOptions, ReplayOutcome } from './trace/replay.js';
export { TraceReader, TraceWriter, TraceFileError } from './trace/trace-io.js';
export type { TraceHeader, TraceEvent, SyscallRecord } from './trace/trace-file.js';
export { readExecutable, findExecutable, shellStatus } from './emulator/machine.js';
export type { RunResult } from './emulator/machine.js';
export type { SyscallEvent, GuestMemoryReader, SignalEvent, ExitEvent, ExitStatus, MemoryRange } from './trace/event.js';
export type { SyscallObserver, SyscallOutcome } from './trace/observer.js';
export { ObserverGroup } from './trace/observer.js';
export { LineWriter } from './trace/line-writer.js';
export { selectSyscalls } from './trace/filter.js';
export { UserError } from './errors.js';
export { diffTraces, diffSources, openInput } from './trace/diff/index.js';
export type { DiffOptions, DiffSummary, Hunk } from './trace/diff/index.js';
