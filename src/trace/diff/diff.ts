// diffTraces(A, B): reads both inputs as streams, normalizes each line, routes it to its
// process's aligner, and reads next from whichever input the aligners are waiting for (both in
// turn when both are wanted), so the output depends only on the inputs and memory only on the
// window and on how differently the inputs interleave their processes.
import { ProcessAligner } from './align.js';
import type { AlignSettings } from './align.js';
import { Normalizer } from './normalize.js';
import { openInput } from './open-input.js';
import { LineBudget } from './queue.js';
import { TraceSource } from './trace-source.js';
import type { DiffOptions, DiffSummary, EventSource, Hunk } from './types.js';

export const DEFAULT_CONTEXT = 3;
export const DEFAULT_WINDOW = 2000;
/** Lines two inputs must agree on after a difference before the alignment trusts the match. */
const CONFIRM = 3;
const DEFAULT_MEMORY_LINES = 200_000;

/** Compares two traces or strace logs (paths); see DiffOptions, normalize.ts for the rules and
 *  output.ts for the renderings. Throws UserError for a missing or malformed input. */
export async function diffTraces(pathA: string, pathB: string, options: DiffOptions = {}): Promise<DiffSummary> {
  const a = await openInput(pathA);
  const b = await openInput(pathB);
  return diffSources(a, b, options);
}

/** The same, over inputs already opened. */
export async function diffSources(srcA: EventSource, srcB: EventSource, options: DiffOptions = {}): Promise<DiffSummary> {
  const addresses = srcA.kind === 'trace' && srcB.kind === 'trace' ? 'map' : 'mask';
  const normalizer = (src: EventSource): Normalizer =>
    new Normalizer(src, {
      exact: options.exact ?? false,
      addresses,
      ignore: options.ignore,
      firstPid: src instanceof TraceSource ? src.firstPid : undefined,
    });
  const normA = normalizer(srcA);
  const normB = normalizer(srcB);
  const window = Math.max(1, options.window ?? DEFAULT_WINDOW);
  const settings: AlignSettings = {
    context: Math.max(0, options.context ?? DEFAULT_CONTEXT),
    window,
    confirm: CONFIRM,
    maxHunkLines: Math.max(4 * window, 1000),
  };
  const hunks: Hunk[] = [];
  const emit = options.onHunk ?? ((h: Hunk) => hunks.push(h));
  const budget = new LineBudget(Math.max(options.memoryLines ?? DEFAULT_MEMORY_LINES, 2 * window));
  const aligners: ProcessAligner[] = [];
  const waitingA = new Set<ProcessAligner>();
  const waitingB = new Set<ProcessAligner>();
  let endedA = false;
  let endedB = false;

  const pump = (al: ProcessAligner): void => {
    const need = al.pump();
    if (need.a) waitingA.add(al);
    else waitingA.delete(al);
    if (need.b) waitingB.add(al);
    else waitingB.delete(al);
  };
  const used = new Set<number>();
  const alignerOf = (proc: number): ProcessAligner => {
    used.add(proc);
    while (aligners.length < proc) {
      const al = new ProcessAligner(aligners.length + 1, settings, budget, emit);
      al.aEnded = endedA;
      al.bEnded = endedB;
      aligners.push(al);
    }
    return aligners[proc - 1];
  };

  try {
    let turn = 0;
    while (!endedA || !endedB) {
      const wantA = !endedA && waitingA.size > 0;
      const wantB = !endedB && waitingB.size > 0;
      let fromA: boolean;
      if (wantA !== wantB) fromA = wantA;
      else if (endedA || endedB) fromA = !endedA;
      else fromA = (turn ^= 1) === 1;
      const ev = await (fromA ? srcA : srcB).next();
      if (ev === null) {
        if (fromA) endedA = true;
        else endedB = true;
        for (const al of aligners) {
          if (fromA) al.aEnded = true;
          else al.bEnded = true;
          pump(al);
        }
        continue;
      }
      const line = (fromA ? normA : normB).normalize(ev);
      if (line === null) continue;
      const al = alignerOf(line.proc);
      (fromA ? al.a : al.b).push(line.text);
      if (line.last) {
        if (fromA) al.aEnded = true;
        else al.bEnded = true;
      }
      pump(al);
    }
    for (const al of aligners) pump(al);
  } finally {
    for (const al of aligners) {
      al.a.close();
      al.b.close();
    }
    budget.dispose();
  }

  const total = { onlyA: 0, onlyB: 0, changed: 0, compared: 0 };
  for (const al of aligners) {
    total.onlyA += al.counts.onlyA;
    total.onlyB += al.counts.onlyB;
    total.changed += al.counts.changed;
    total.compared += al.counts.compared;
  }
  const differ = total.onlyA + total.onlyB + total.changed;
  const summary: DiffSummary = {
    ...total,
    differ,
    same: differ === 0,
    processes: used.size,
    inputs: { a: srcA.kind, b: srcB.kind },
  };
  if (options.onHunk === undefined) summary.hunks = hunks;
  return summary;
}
