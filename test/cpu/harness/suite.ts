// A vitest suite comparing a list of instruction forms with the host CPU: one test per form, all
// cases generated and run (natively, batched) once before the tests read their results.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Form } from './generate.js';
import { nativeAvailable } from './native.js';
import { differential, FormResult } from './run.js';

export function differentialSuite(title: string, forms: Form[], casesPerForm: number, compiled = false): void {
  describe.skipIf(!nativeAvailable())(title, () => {
    let results: Map<string, FormResult>;
    beforeAll(() => {
      results = differential(forms, casesPerForm, compiled);
    }, 900_000);

    it.each(forms.map((f) => f.name))('%s', (name) => {
      const result = results.get(name)!;
      expect(result.cases).toBe(casesPerForm);
      expect(result.failures.join('\n\n'), `${result.mismatches} of ${result.cases} cases differ`).toBe('');
    });
  });
}
