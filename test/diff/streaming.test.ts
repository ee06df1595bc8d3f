// Two generated traces of 200,000 events each with a few differences spread out: all are found,
// and memory does not grow with the length of the traces. Heap use is measured after a full GC
// at each hunk (the differences are spread over the whole run) and compared with the heap
// before the diff; keeping every rendered line (2 x 200,000 strings of ~50 bytes) would add
// well over 30 MB.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { diffTraces } from '../../src/trace/diff/index.js';
import type { Hunk } from '../../src/trace/diff/index.js';
import { TraceWriter } from '../../src/trace/trace-io.js';
import { header, scratchDir } from './helpers.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const EVENTS = 200_000;
const dir = scratchDir('diff-stream');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A trace of `EVENTS` writes; `edit(k)` may change event k's text, or drop it (null), or add
 *  a line after it (`[text, extra]`). */
function generate(file: string, edit: (k: number) => string | null | [string, string] = (k) => text(k)): string {
  const w = TraceWriter.create(file);
  w.writeHeader(header(1000));
  let seq = 0;
  const write = (s: string): void => {
    const data = new TextEncoder().encode(s);
    const args = new Int32Array(12);
    args[0] = 1;
    args[2] = 0x402000;
    args[4] = data.length;
    w.write({
      type: 'syscall',
      event: { seq, pid: 1000, tid: 1000, icount: seq * 50, rip: 0x401000, nr: 1, args, ret: data.length, errno: 0 },
      name: 'write',
      inputs: [{ addr: 0x402000, len: data.length, data }],
      outputs: [],
    });
    seq++;
  };
  for (let k = 0; k < EVENTS; k++) {
    const e = edit(k);
    if (e === null) continue;
    if (Array.isArray(e)) e.forEach(write);
    else write(e);
  }
  w.write({ type: 'exit', pid: 1000, icount: seq * 50, status: { kind: 'exited', code: 0 } });
  w.close();
  return file;
}

const text = (k: number): string => `record ${String(k).padStart(6, '0')} of the run\n`;
const CHANGED = [1_000, 50_000, 120_000, 199_000];

describe('a diff of two 200,000-event traces', () => {
  it('finds the few differences in bounded memory', async () => {
    const a = generate(path.join(dir, 'a.trace'));
    const b = generate(path.join(dir, 'b.trace.gz'), (k) =>
      CHANGED.includes(k) ? `changed ${k}\n` : k === 80_000 ? [text(k), 'inserted\n'] : k === 150_000 ? null : text(k),
    );
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const rss0 = process.memoryUsage().rss;
    let heapMax = 0;
    let rssMax = 0;
    const hunks: Hunk[] = [];
    const summary = await diffTraces(a, b, {
      context: 1,
      onHunk: (h) => {
        hunks.push(h);
        gc();
        heapMax = Math.max(heapMax, process.memoryUsage().heapUsed - heap0);
        rssMax = Math.max(rssMax, process.memoryUsage().rss - rss0);
      },
    });
    expect(summary).toMatchObject({ changed: 4, onlyA: 1, onlyB: 1, compared: EVENTS + 2, processes: 1 });
    expect(hunks.map((h) => h.lines.filter((l) => l[0] !== ' '))).toEqual([
      ['-write(1, "record 001000 of the run\\n", 25) = 25', '+write(1, "changed 1000\\n", 13) = 13'],
      ['-write(1, "record 050000 of the run\\n", 25) = 25', '+write(1, "changed 50000\\n", 14) = 14'],
      ['+write(1, "inserted\\n", 9) = 9'],
      ['-write(1, "record 120000 of the run\\n", 25) = 25', '+write(1, "changed 120000\\n", 15) = 15'],
      ['-write(1, "record 150000 of the run\\n", 25) = 25'],
      ['-write(1, "record 199000 of the run\\n", 25) = 25', '+write(1, "changed 199000\\n", 15) = 15'],
    ]);
    expect(hunks.map((h) => h.aStart)).toEqual([1_000, 50_000, 80_001, 120_000, 150_000, 199_000]);
    console.log(`diff of 2 x ${EVENTS} events: heap +${(heapMax / 1e6).toFixed(1)} MB after GC, rss +${(rssMax / 1e6).toFixed(1)} MB`);
    expect(heapMax).toBeLessThan(12e6);
    expect(rssMax).toBeLessThan(40e6);
  });
});
