// emtrace as a library: `import { run, trace, readExecutable } from 'emtrace'`.
export { run, trace } from './run.js';
export type { ProgramOptions, TraceOptions } from './run.js';
export { readExecutable, findExecutable, shellStatus } from './emulator/machine.js';
export type { RunResult } from './emulator/machine.js';
export type { SyscallEvent, GuestMemoryReader } from './trace/event.js';
export type { SyscallObserver, ExitStatus, SignalInfo } from './trace/observer.js';
export { LineWriter } from './trace/line-writer.js';
export { selectSyscalls } from './trace/filter.js';
export { UserError } from './errors.js';
