// Runs generated cases natively and in the emulator (batched by scratch size) and collects the
// mismatches per form.
import { compareOutcomes, describeCase } from './compare.js';
import { runEmulated } from './emulate.js';
import { Form, GeneratedCase, generateCases, seedOf } from './generate.js';
import { runNative } from './native.js';

export interface FormResult {
  form: Form;
  cases: number;
  /** Reports of the first few mismatching cases. */
  failures: string[];
  mismatches: number;
}

/** Generates `count` cases per form, runs all of them on both sides and compares. With `compiled`
 *  the emulator compiles every snippet's block (jit/compile.ts) instead of interpreting it. */
export function differential(forms: Form[], count: number, compiled = false): Map<string, FormResult> {
  const cases: GeneratedCase[] = [];
  // EMTRACE_DIFF_SEED varies the cases (each form's are otherwise the same on every run).
  const salt = process.env.EMTRACE_DIFF_SEED ?? '';
  for (const form of forms) cases.push(...generateCases(form, count, seedOf(form.name + salt)));
  const results = new Map<string, FormResult>();
  for (const form of forms) results.set(form.name, { form, cases: 0, failures: [], mismatches: 0 });
  const byMemLen = new Map<number, GeneratedCase[]>();
  for (const c of cases) {
    const list = byMemLen.get(c.mem.length) ?? [];
    list.push(c);
    byMemLen.set(c.mem.length, list);
  }
  for (const [memLen, batch] of byMemLen) {
    const native = runNative(batch, memLen);
    const emulated = runEmulated(batch, compiled ? 1 : Infinity);
    batch.forEach((c, k) => {
      const result = results.get(c.form.name)!;
      result.cases++;
      const diffs = compareOutcomes(c, native[k]!, emulated[k]!, c.compare);
      if (diffs.length === 0) return;
      result.mismatches++;
      if (result.failures.length < 3) {
        const regs = [c.reg, c.rmReg].filter((r) => r >= 0 && r < 16);
        result.failures.push(`${c.form.name}\n${describeCase(c, [...new Set(regs)], c.form.x87 !== undefined)}\naddress: ${c.address >= 0 ? '0x' + c.address.toString(16) : '-'}\n  ${diffs.join('\n  ')}`);
      }
    });
  }
  return results;
}
