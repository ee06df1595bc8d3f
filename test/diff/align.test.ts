// The streaming alignment: resynchronisation inside the window, the LCS of a skipped block, hunk
// boundaries, and queues that spill to disk when processes interleave very differently.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffSources } from '../../src/trace/diff/index.js';
import type { DiffEvent, EventSource, Hunk } from '../../src/trace/diff/index.js';
import { LineBudget, LineQueue } from '../../src/trace/diff/queue.js';
import { alignBlock, resync } from '../../src/trace/diff/resync.js';

/** Lines given directly, as an input adapter would produce them. */
class ArraySource implements EventSource {
  readonly kind = 'log';
  readonly path = 'array';
  private k = 0;
  constructor(private readonly events: DiffEvent[]) {}
  async next(): Promise<DiffEvent | null> {
    return this.events[this.k++] ?? null;
  }
  canonical(pid: number): number {
    return pid;
  }
}

const ev = (pid: number, text: string): DiffEvent => ({ pid, kind: 'syscall', text, line: 0 });
const seq = (n: number, f: (k: number) => string = (k) => `line ${k}`): string[] => Array.from({ length: n }, (_, k) => f(k));
const source = (lines: string[], pid = 1): ArraySource => new ArraySource(lines.map((t) => ev(pid, t)));

describe('resync and alignBlock', () => {
  it('resync finds the fewest lines to skip, confirmed over 3 lines', () => {
    expect(resync(['x', 'a', 'b', 'c'], ['a', 'b', 'c'], false, false, 3)).toEqual({ i: 1, j: 0 });
    expect(resync(['a', 'b', 'c'], ['y', 'z', 'a', 'b', 'c'], false, false, 3)).toEqual({ i: 0, j: 2 });
    // `a` alone matches early, but only `a b c` confirms.
    expect(resync(['x', 'a', 'q', 'a', 'b', 'c'], ['a', 'b', 'c'], false, false, 3)).toEqual({ i: 3, j: 0 });
    // At the end of both inputs a shorter run is enough.
    expect(resync(['x', 'a'], ['y', 'a'], true, true, 3)).toEqual({ i: 1, j: 1 });
    // Nothing in common: the whole windows.
    expect(resync(['x', 'y'], ['z'], false, false, 3)).toEqual({ i: 2, j: 1 });
  });

  it('alignBlock keeps shared lines as context, deletions before additions in each gap', () => {
    expect(alignBlock(['x1', 'c', 'x2', 'x3'], ['y1', 'c', 'y2'])).toEqual([
      ['-', 'x1'], ['+', 'y1'], [' ', 'c'], ['-', 'x2'], ['-', 'x3'], ['+', 'y2'],
    ]);
  });
});

describe('streaming alignment', () => {
  it('an insertion shorter than the window is found exactly', async () => {
    const a = seq(300);
    const b = [...a.slice(0, 100), ...seq(50, (k) => `extra ${k}`), ...a.slice(100)];
    const s = await diffSources(source(a), source(b), { window: 60 });
    expect(s).toMatchObject({ onlyA: 0, onlyB: 50, changed: 0, compared: 350 });
    expect(s.hunks!.map((h) => [h.aStart, h.aCount, h.bStart, h.bCount])).toEqual([[98, 6, 98, 56]]);
  });

  it('an insertion longer than the window is not realigned (the limit of bounded memory)', async () => {
    const a = seq(300);
    const b = [...a.slice(0, 100), ...seq(50, (k) => `extra ${k}`), ...a.slice(100)];
    const s = await diffSources(source(a), source(b), { window: 10 });
    expect(s.same).toBe(false);
    expect(s.differ).toBeGreaterThan(50);
  });

  it('a long run of changes is cut into adjacent hunks of bounded size', async () => {
    const hunks: Hunk[] = [];
    const s = await diffSources(source(seq(2500, (k) => `a ${k}`)), source(seq(2500, (k) => `b ${k}`)), { window: 10, onHunk: (h) => hunks.push(h) });
    expect(s).toMatchObject({ changed: 2500, compared: 2500 });
    expect(s.hunks).toBeUndefined();
    expect(hunks.every((h) => h.lines.length <= 1000)).toBe(true);
    expect(hunks.reduce((n, h) => n + h.lines.length, 0)).toBe(5000);
    for (let k = 1; k < hunks.length; k++) expect(hunks[k].aStart).toBe(hunks[k - 1].aStart + hunks[k - 1].aCount);
  });

  it('changes at the very start and end, and a side that ends early', async () => {
    const s = await diffSources(source(['x', 'a', 'b', 'c', 'y']), source(['a', 'b', 'c']), { context: 1 });
    expect(s.hunks!.map((h) => h.lines)).toEqual([['-x', ' a'], [' c', '-y']]);
    const empty = await diffSources(source([]), source(['a', 'b']));
    expect(empty.hunks).toEqual([{ proc: 1, aStart: 0, aCount: 0, bStart: 1, bCount: 2, lines: ['+a', '+b'] }]);
  });
});

describe('queues beyond the memory budget', () => {
  it('a LineQueue spills to a temporary file and gives the lines back in order', () => {
    const files: string[] = [];
    const budget = new (class extends LineBudget {
      override tempFile(): string {
        const f = super.tempFile();
        files.push(f);
        return f;
      }
    })(10);
    const q = new LineQueue(budget);
    const lines = seq(100_000, (k) => `line ${k} ${'é'.repeat(k % 7)}`);
    for (const l of lines.slice(0, 50_000)) q.push(l);
    expect(budget.used).toBe(10);
    expect(files).toHaveLength(1);
    const out: string[] = [];
    for (let k = 0; k < 20_000; k++) out.push(q.shift());
    for (const l of lines.slice(50_000)) q.push(l);
    q.load(500);
    expect(q.at(499)).toBe(lines[20_499]);
    while (q.length > 0) out.push(q.shift());
    expect(out).toEqual(lines);
    q.close();
    budget.dispose();
    expect(fs.existsSync(files[0])).toBe(false);
  });

  it('processes interleaved very differently still align, within the budget', async () => {
    const n = 3000;
    const p1 = seq(n, (k) => `one ${k}`);
    const p2 = seq(n, (k) => (k === 2000 ? 'two changed' : `two ${k}`));
    const a = [...p1.map((t) => ev(1, t)), ...p2.map((t) => ev(2, t))];
    const b: DiffEvent[] = [];
    for (let k = 0; k < n; k++) b.push(ev(1, p1[k]), ev(2, `two ${k}`));
    const s = await diffSources(new ArraySource(a), new ArraySource(b), { window: 50, memoryLines: 100, context: 0 });
    expect(s).toMatchObject({ changed: 1, onlyA: 0, onlyB: 0, compared: 2 * n, processes: 2 });
    expect(s.hunks).toEqual([{ proc: 2, aStart: 2001, aCount: 1, bStart: 2001, bCount: 1, lines: ['-two changed', '+two 2000'] }]);
  });
});
