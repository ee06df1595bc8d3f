// Differential test of the MMX semantics (cpu/x87/mmx.ts and the no-prefix rows of
// sse/bind-sse.ts) against the host CPU: every form in mmx-forms.ts, register and memory operands,
// compared on the MM registers and the whole x87 state they alias (TOP, tags, exponent bits),
// GPRs, XMM registers, MXCSR, memory and the signal raised.
import { differentialSuite } from './harness/suite.js';
import { MMX_FORMS } from './mmx-forms.js';

differentialSuite('MMX against the host CPU', MMX_FORMS, Number(process.env.EMTRACE_MMX_CASES ?? 400));
