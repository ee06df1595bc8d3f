// The same differential tests with every snippet's block compiled (jit/compile.ts) rather than
// interpreted: compiled blocks inline the instruction templates with constant operands and keep
// flags symbolic, a second code path that must agree with the host CPU just as the interpreter
// does. Fewer cases per form than the interpreter's suites: compiling each snippet costs time.
import { FLAG_PAIR_FORMS } from './flag-pairs.js';
import { differentialSuite } from './harness/suite.js';
import { INTEGER_FORMS } from './integer-forms.js';

const CASES = Number(process.env.EMTRACE_COMPILED_CASES ?? 30);

differentialSuite('compiled blocks: integer instructions against the host CPU', INTEGER_FORMS, CASES, true);
differentialSuite('compiled blocks: flag-setting and flag-reading pairs against the host CPU', FLAG_PAIR_FORMS, CASES, true);
differentialSuite('interpreter: flag-setting and flag-reading pairs against the host CPU', FLAG_PAIR_FORMS, CASES);
