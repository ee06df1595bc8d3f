// Turning templates into functions: one interpreter function per template shape (operands read
// from the Insn), and one function per hot basic block (operands inlined as constants, flags kept
// symbolic until something outside the block could see them, other instructions called through
// their own functions).
import { condition, getCF } from '../flags.js';
import type { Exec, Insn } from '../insn.js';
import { canonical, ea } from '../operands.js';
import type { Cpu } from '../state.js';
import { Gen } from './gen.js';
import { alu32, alu64, shift32, shift64 } from './templates.js';
import type { Template } from './templates.js';

/** What generated code calls by name. */
const HELPERS = {
  ea,
  canonical,
  condition,
  getCF,
  wrap32: (a: number) => a - Math.floor(a / 4294967296) * 4294967296,
};
const HELPER_NAMES = Object.keys(HELPERS).join(', ');
const PROLOGUE = 'const r = c.regs, r8 = c.regs8, r16 = c.regs16, m = c.mem;';

const genericCache = new Map<string, Exec>();

/** The interpreter's function for the template's shape of this instruction. */
export function genericExec(template: Template, insn: Insn): Exec {
  const key = `${template.name}:${template.shape(insn)}`;
  let exec = genericCache.get(key);
  if (!exec) {
    const g = new Gen('generic', insn);
    template.emit(g);
    g.storeFlags();
    const name = key.replace(/[^A-Za-z0-9]/g, '_');
    const source = `const { ${HELPER_NAMES} } = H;\nreturn function ${name}(c, i) {\n${PROLOGUE}\n${g.code()}\n};`;
    exec = new Function('H', source)(HELPERS) as Exec;
    genericCache.set(key, exec);
  }
  return exec;
}

/** How many times a self-looping block goes round before returning to the run loop. */
export const SELF_LOOP_ITERATIONS = 1024;

/** A compiled block. On an exception it records in cpu.faultIndex which instruction raised it. */
export type CompiledBlock = (cpu: Cpu) => void;

export function compileBlock(insns: readonly Insn[]): CompiledBlock {
  const g = new Gen('block', insns[0], 0);
  const bindings: string[] = [];
  insns.forEach((insn, k) => {
    g.next(insn, k);
    bindings.push(`const i${k} = insns[${k}];`);
    const template = insn.template as Template | null;
    if (template) {
      g.emit(`// ${template.name}`);
      template.emit(g);
    } else {
      bindings.push(`const e${k} = insns[${k}].exec;`);
      g.mayFault();
      g.emit(`e${k}(c, i${k});`);
      g.flagsInCpu();
    }
  });
  g.storeFlags();
  // A block that jumps back to its own start (an inner loop) loops inside its function, up to a
  // bound so the run loop still gets to check for stop requests.
  const start = insns[0].rip;
  const last = insns[insns.length - 1];
  const selfLoop = last.template?.branches === true && last.target === start && insns.every((i) => i.template !== null);
  // It stops when code was written meanwhile (the block may be stale: self-modifying code).
  const body = selfLoop
    ? `const codeVersion = c.codeVersion;
  for (let iterations = 1; ; iterations++) {
${g.code()}
    if (c.rip !== ${start} || iterations === ${SELF_LOOP_ITERATIONS} || c.codeVersion !== codeVersion) break;
    c.icount += ${insns.length};
    c.rip = ${last.next};
  }`
    : g.code();
  const source = `const { ${HELPER_NAMES} } = H;
${bindings.join('\n')}
return function block(c) {
  ${PROLOGUE}
  let k = 0;
  try {
${body}
  } catch (e) {
    c.faultIndex = k;
    throw e;
  }
};`;
  return new Function('H', 'insns', source)(HELPERS, insns) as CompiledBlock;
}

/** A plain function of (c, `params`) from a template fragment: `emit` writes the fragment into g
 *  and returns the statements that return its result (run once at start-up, not per instruction). */
function plainFunction<T>(name: string, params: string, emit: (g: Gen) => string): T {
  const g = new Gen('generic', null as unknown as Insn);
  const result = emit(g);
  g.storeFlags();
  const source = `const { ${HELPER_NAMES} } = H;\nreturn function ${name}(c, ${params}) {\n${g.code()}\n${result}\n};`;
  return new Function('H', source)(HELPERS) as T;
}

/** The ALU operations as plain functions, from the same templates, for the instructions whose
 *  own semantics use them (XADD, CMPXCHG, CMPS, SCAS). */
export type Alu32 = (c: Cpu, a: number, b: number) => number;
/** Returns the low half; the high half is left in c.hi. */
export type Alu64 = (c: Cpu, aLo: number, aHi: number, bLo: number, bHi: number) => number;

export function aluFunction32(op: number, size: number): Alu32 {
  return plainFunction(`alu_${op}_${size}`, 'a, b', (g) => `return ${alu32(g, op, size, 'a', 'b')};`);
}

export function aluFunction64(op: number): Alu64 {
  return plainFunction(`alu_${op}_8`, 'aLo, aHi, bLo, bHi', (g) => {
    const [lo, hi] = alu64(g, op, 'aLo', 'aHi', 'bLo', 'bHi');
    return `c.hi = ${hi};\nreturn ${lo};`;
  });
}

/** SHL/SHR/SAR as plain functions, from the same templates, for counts known only at run time
 *  (CL): count nonzero and masked. */
export type Shift32 = (c: Cpu, value: number, n: number) => number;
export type Shift64 = (c: Cpu, lo: number, hi: number, n: number) => number;

export function shiftFunction32(kind: number, size: number): Shift32 {
  return plainFunction(`shift_${kind}_${size}`, 'value, n', (g) => `return ${shift32(g, kind, size, 'value', 'n')};`);
}

export function shiftFunction64(kind: number): Shift64 {
  return plainFunction(`shift_${kind}_8`, 'lo, hi, n', (g) => {
    const [lo, hi] = shift64(g, kind, 'lo', 'hi', 'n');
    return `c.hi = ${hi};\nreturn ${lo};`;
  });
}
