// Differential test of the x87 semantics (cpu/x87/) against the host CPU: every form in
// x87-forms.ts from random edge-biased x87 states, compared on the whole x87 state (registers bit
// for bit, FCW, FSW minus the bits the SDM leaves undefined, tags, the last-instruction pointers
// while an exception is pending), GPRs, flags, memory and the signal raised.
// Tolerance: the transcendental results (F2XM1 FYL2X FYL2XP1 FPATAN FPTAN FSIN FCOS FSINCOS) must
// be within 1 ulp of the host's; where the host is further off (its trigonometric argument
// reduction uses a ~68-bit pi), within 1 ulp of the exact value (harness/exact.ts). Everything
// else, FPREM/FPREM1/FSCALE/FXTRACT/FRNDINT/FSQRT included, is bit-identical.
import { differentialSuite } from './harness/suite.js';
import { X87_FORMS } from './x87-forms.js';

differentialSuite('x87 against the host CPU', X87_FORMS, Number(process.env.EMTRACE_X87_CASES ?? 600));
