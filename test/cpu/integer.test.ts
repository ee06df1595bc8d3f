// Differential test of the general-purpose instruction semantics (cpu/ops/*.ts) against the host
// CPU: every form in integer-forms.ts, in each operand size, register and memory operands.
import { differentialSuite } from './harness/suite.js';
import { INTEGER_FORMS } from './integer-forms.js';

differentialSuite('integer instructions against the host CPU', INTEGER_FORMS, Number(process.env.EMTRACE_INT_CASES ?? 150));
