// Compares a native outcome with the emulator's: the signal (number, si_code, si_addr, RIP),
// every GPR, the arithmetic flags and DF (minus the ones the SDM leaves undefined for the
// instruction), XMM0-15, MXCSR, the x87/MMX state (harness/x87.ts) and the scratch memory. Each
// difference becomes one line of text.
import {
  GPR_NAMES,
  getGpr,
  getMxcsr,
  getRflags,
  hex,
  Outcome,
  OFF_XMM,
  TestCase,
  xmmBytes,
  xmmText,
} from './machine.js';
import { compareX87, describeX87, X87Compare } from './x87.js';

/** The six arithmetic flags and DF. */
export const COMPARED_FLAGS = 0x8d5 | 0x400;

export interface CompareOptions {
  /** RFLAGS bits not to compare (undefined after the instruction). */
  undefinedFlags?: number;
  /** Byte ranges [from, to) of scratch memory not to compare. */
  ignoreMem?: [number, number][];
  /** Replaces the exact comparison of XMM registers; returns a description of a mismatch or null. */
  xmm?: (native: Outcome, emulated: Outcome, input: TestCase) => string | null;
  /** Compare si_addr of SIGSEGV (default true). */
  faultAddress?: boolean;
  /** How the x87/MMX state is compared (it always is: other instructions must leave it alone). */
  x87?: X87Compare;
}

const SIGNAL_NAMES: Record<number, string> = { 0: 'none', 4: 'SIGILL', 5: 'SIGTRAP', 7: 'SIGBUS', 8: 'SIGFPE', 11: 'SIGSEGV', 14: 'SIGALRM', [-1]: 'hung' };

function signalText(o: Outcome): string {
  return `${SIGNAL_NAMES[o.signal] ?? o.signal} code ${o.code} addr 0x${o.addr.toString(16)} rip 0x${o.rip.toString(16)}`;
}

/** The differences between two outcomes of the same case (empty when they agree). */
export function compareOutcomes(input: TestCase, native: Outcome, emulated: Outcome, options: CompareOptions = {}): string[] {
  const diffs: string[] = [];
  const checkAddr = options.faultAddress ?? true;
  if (
    native.signal !== emulated.signal ||
    native.code !== emulated.code ||
    native.rip !== emulated.rip ||
    (native.signal !== 0 && checkAddr && native.addr !== emulated.addr)
  )
    diffs.push(`signal: native ${signalText(native)}, emulated ${signalText(emulated)}`);
  for (let r = 0; r < 16; r++) {
    const a = getGpr(native.state, r);
    const b = getGpr(emulated.state, r);
    if (a !== b) diffs.push(`${GPR_NAMES[r]}: native 0x${a.toString(16)}, emulated 0x${b.toString(16)}`);
  }
  const mask = COMPARED_FLAGS & ~(options.undefinedFlags ?? 0);
  const fa = getRflags(native.state) & mask;
  const fb = getRflags(emulated.state) & mask;
  if (fa !== fb) diffs.push(`rflags: native 0x${fa.toString(16)}, emulated 0x${fb.toString(16)} (compared 0x${mask.toString(16)})`);
  if (options.xmm) {
    const d = options.xmm(native, emulated, input);
    if (d) diffs.push(d);
  } else {
    for (let r = 0; r < 16; r++) {
      const a = xmmBytes(native.state, r);
      const b = xmmBytes(emulated.state, r);
      if (!equalBytes(a, b)) diffs.push(`xmm${r}: native ${xmmText(a)}, emulated ${xmmText(b)}`);
    }
  }
  diffs.push(...compareX87(input, native, emulated, options.x87));
  const ma = getMxcsr(native.state);
  const mb = getMxcsr(emulated.state);
  if (ma !== mb) diffs.push(`mxcsr: native 0x${ma.toString(16)}, emulated 0x${mb.toString(16)}`);
  const ignore = options.ignoreMem ?? [];
  for (let k = 0; k < native.mem.length; k++) {
    if (native.mem[k] === emulated.mem[k] || ignore.some(([from, to]) => k >= from && k < to)) continue;
    const end = Math.min(native.mem.length, k + 16);
    diffs.push(`memory +0x${k.toString(16)}: native ${hex(native.mem.subarray(k, end))}, emulated ${hex(emulated.mem.subarray(k, end))}`);
    break;
  }
  return diffs;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** A readable dump of a case's input for a failure report. */
export function describeCase(c: TestCase, xmmRegs: number[] = [], x87 = false): string {
  const lines = [`code: ${hex(c.code)}`];
  const gprs = GPR_NAMES.map((n, r) => `${n}=${getGpr(c.state, r).toString(16)}`).join(' ');
  lines.push(`gprs: ${gprs}`);
  lines.push(`rflags=0x${getRflags(c.state).toString(16)} mxcsr=0x${getMxcsr(c.state).toString(16)}`);
  for (const r of xmmRegs) lines.push(`xmm${r}: ${xmmText(c.state.subarray(OFF_XMM + 16 * r, OFF_XMM + 16 * r + 16))}`);
  if (x87) lines.push(describeX87(c.state));
  return lines.join('\n');
}
