// ltrace -S text: the formatter, and the names and prototypes it prints calls with.
export {
  LTRACE_RESULT_COLUMN, ltraceBegin, ltraceExitedLine, ltraceFinish, ltraceKilledLine, ltraceNoReturn, ltraceSignalLine,
} from './format.js';
export type { LtracePending } from './format.js';
export { ltraceSignalName, ltraceSyscallName, signalMessage } from './names.js';
export { DEFAULT_PROTOTYPE, ltracePrototype } from './prototypes.js';
export type { LtraceParam, LtracePrototype, LtraceType } from './prototypes.js';
