// `emtrace diff`: compare two traces or strace logs, in bounded memory.
//
//   diffTraces(pathA, pathB, options?): Promise<DiffSummary>   the library entry point
//   diffSources(a, b, options?)                                the same over opened inputs
//   openInput(path): Promise<EventSource>                      a trace file or strace log, by content
//   UnifiedRenderer / JsonRenderer                             the CLI's two renderings of hunks
//   summaryLine(summary)                                       `3 events differ: …` / `traces are the same (…)`
//
// Stages, one file each: open-input / trace-source / strace-log (inputs → DiffEvents),
// normalize (+ mappings, line-syntax), align (+ resync, queue), output.
export { diffSources, diffTraces, DEFAULT_CONTEXT, DEFAULT_WINDOW } from './diff.js';
export { openInput } from './open-input.js';
export { parseStraceLine, StraceLogSource } from './strace-log.js';
export { TraceSource } from './trace-source.js';
export { FdWriter, formatCount, hunkHeader, JsonRenderer, summaryLine, UnifiedRenderer } from './output.js';
export type { DiffRenderer } from './output.js';
export { MASK_THRESHOLD, Normalizer } from './normalize.js';
export { STACK_LOW } from './mappings.js';
export type { DiffEvent, DiffOptions, DiffSummary, EventSource, Hunk, NormalLine } from './types.js';
