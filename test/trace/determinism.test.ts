// Two recordings of the same guest with the same inputs are byte-identical: every test guest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUEST_RUNS, prepareWork } from '../support/guests.js';
import { emtrace, guest } from '../support/run.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-twice-'));
const env = { PATH: '/usr/bin:/bin', LANG: 'C' };

describe('two recordings', () => {
  it.each(GUEST_RUNS.map((run) => [run.name, run] as const))('%s: byte-identical', (_name, run) => {
    const work = path.join(scratch, 'work');
    const traces = [1, 2].map((k) => {
      prepareWork(run, work);
      const file = path.join(scratch, `${run.name}.${k}.jsonl`);
      const r = emtrace(['record', '-o', file, guest(run.name), ...run.args(work)], { env, cwd: scratch });
      expect(r.status).toBe(run.status);
      return fs.readFileSync(file);
    });
    expect(traces[0].length).toBeGreaterThan(0);
    expect(traces[1].equals(traces[0])).toBe(true);
  });
});
