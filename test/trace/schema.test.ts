// The trace format's JSON Schema, checked by an independent validator (Ajv) against every golden
// trace, and emtrace's own compiled validator agreeing with it on valid and broken lines.
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { decodeLine, TraceFormatError } from '../../src/trace/trace-file.js';
import { ROOT } from '../support/run.js';

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/trace-format.schema.json'), 'utf8'));
// Strict, except that `required` inside a oneOf may name properties declared beside it.
const ajv = new Ajv2020.default({ strict: true, strictRequired: false });
const validate = ajv.compile(schema);
const goldens = fs.readdirSync(path.join(ROOT, 'traces')).filter((f) => f.endsWith('.jsonl'));

function ours(line: string, first: boolean): boolean {
  try {
    decodeLine(line, first);
    return true;
  } catch (e) {
    if (e instanceof TraceFormatError) return false;
    throw e;
  }
}

describe('trace format schema', () => {
  it('is a valid JSON Schema (draft 2020-12) that Ajv compiles', () => {
    expect(typeof validate).toBe('function');
  });

  it.each(goldens)('every line of traces/%s is valid for Ajv and for emtrace', (file) => {
    const lines = fs.readFileSync(path.join(ROOT, 'traces', file), 'utf8').trimEnd().split('\n');
    lines.forEach((line, k) => {
      expect(validate(JSON.parse(line)), `${file}:${k + 1}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(ours(line, k === 0)).toBe(true);
    });
  });

  it('both reject the same broken lines', () => {
    const sample = fs.readFileSync(path.join(ROOT, 'traces/hello-musl.jsonl'), 'utf8').split('\n');
    const event = JSON.parse(sample[4]);
    const broken = [
      { ...event, args: event.args.slice(1) },
      { ...event, nr: '1' },
      { ...event, rip: '401000' },
      { ...event, type: 'sycall' },
      { ...event, in: [{ addr: '0x10' }] },
      { ...event, out: [{ addr: '0x10', data: 'not base64!' }] },
      { type: 'exit', pid: 1000, icount: '0x1', status: { kind: 'exited', code: 256 } },
      { type: 'signal', pid: 1000, tid: 1000, icount: '0x1', rip: '0x1', signo: 0, code: 1 },
    ];
    for (const value of broken) {
      expect(validate(value), JSON.stringify(value)).toBe(false);
      expect(ours(JSON.stringify(value), false), JSON.stringify(value)).toBe(false);
    }
  });
});
