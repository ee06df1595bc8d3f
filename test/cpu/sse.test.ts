// Differential test of the SSE/SSE2 semantics against the host CPU: every form in sse-forms.ts,
// register and memory operands, a few hundred edge-biased random cases each, compared on all
// GPRs, flags, XMM registers, MXCSR, scratch memory and the signal raised.
import { differentialSuite } from './harness/suite.js';
import { FENCE_FORMS, PREFIX_FORMS, SSE_FORMS } from './sse-forms.js';

differentialSuite('SSE/SSE2 against the host CPU', [...SSE_FORMS, ...FENCE_FORMS, ...PREFIX_FORMS], Number(process.env.EMTRACE_SSE_CASES ?? 300));
