// The streaming alignment of one process's lines in A and B: compare in lockstep; at a
// difference, look ahead at most `window` lines on each side for the cheapest point where the two
// agree again (resync.ts), emit the lines in between as a diff, and go on. Memory holds the
// window, the hunk being built (at most `maxHunkLines`) and `context` lines of context.
import type { LineBudget } from './queue.js';
import { LineQueue } from './queue.js';
import { alignBlock, resync } from './resync.js';
import type { OpKind } from './resync.js';
import type { Hunk } from './types.js';

export interface AlignSettings {
  context: number;
  window: number;
  /** Lines two inputs must agree on for a resynchronisation to count. */
  confirm: number;
  /** A hunk longer than this is cut (the next one follows it without context). */
  maxHunkLines: number;
}

/** Which inputs the aligner needs more lines from before it can go on. */
export interface Need {
  a: boolean;
  b: boolean;
}

export interface AlignCounts {
  onlyA: number;
  onlyB: number;
  changed: number;
  compared: number;
}

export class ProcessAligner {
  readonly a: LineQueue;
  readonly b: LineQueue;
  /** No more lines will come for this process from A / B. */
  aEnded = false;
  bEnded = false;
  readonly counts: AlignCounts = { onlyA: 0, onlyB: 0, changed: 0, compared: 0 };
  private aPos = 0;
  private bPos = 0;
  /** The last equal lines, the leading context of the next hunk. */
  private ring: string[] = [];
  private hunk: Hunk | null = null;
  /** Equal lines at the end of the open hunk. */
  private trailing = 0;
  private runDel = 0;
  private runAdd = 0;
  private finished = false;

  constructor(
    readonly proc: number,
    private readonly settings: AlignSettings,
    budget: LineBudget,
    private readonly emit: (hunk: Hunk) => void,
  ) {
    this.a = new LineQueue(budget);
    this.b = new LineQueue(budget);
  }

  /** Aligns all it can with the lines queued; says which inputs it waits for. When it waits for
   *  neither, both have ended and the process is done. */
  pump(): Need {
    const { a, b } = this;
    const W = this.settings.window;
    for (;;) {
      const na = a.length;
      const nb = b.length;
      if (na > 0 && nb > 0) {
        a.load(1);
        b.load(1);
        if (a.at(0) === b.at(0)) {
          b.shift();
          this.op(' ', a.shift());
          continue;
        }
        const needA = na < W && !this.aEnded;
        const needB = nb < W && !this.bEnded;
        if (needA || needB) return { a: needA, b: needB };
        this.resynchronise(Math.min(na, W), Math.min(nb, W));
        continue;
      }
      if (na === 0 && !this.aEnded) return { a: true, b: nb === 0 && !this.bEnded };
      if (nb === 0 && !this.bEnded) return { a: false, b: true };
      // One input has no more lines for this process: the other's are all its own.
      if (na > 0) while (a.length > 0) this.op('-', a.shift());
      else if (nb > 0) while (b.length > 0) this.op('+', b.shift());
      else {
        this.finish();
        return { a: false, b: false };
      }
    }
  }

  private resynchronise(wa: number, wb: number): void {
    const { a, b } = this;
    a.load(wa);
    b.load(wb);
    const A: string[] = [];
    const B: string[] = [];
    for (let k = 0; k < wa; k++) A.push(a.at(k));
    for (let k = 0; k < wb; k++) B.push(b.at(k));
    const { i, j } = resync(A, B, this.aEnded && a.length === wa, this.bEnded && b.length === wb, this.settings.confirm);
    for (const [kind, text] of alignBlock(A.slice(0, i), B.slice(0, j))) {
      if (kind !== '+') a.shift();
      if (kind !== '-') b.shift();
      this.op(kind, text);
    }
  }

  private op(kind: OpKind, text: string): void {
    if (kind === ' ') {
      this.endRun();
      this.counts.compared++;
      this.aPos++;
      this.bPos++;
      const U = this.settings.context;
      if (this.hunk !== null) {
        this.hunk.lines.push(' ' + text);
        this.hunk.aCount++;
        this.hunk.bCount++;
        if (++this.trailing > 2 * U) this.closeHunk(U);
      } else if (U > 0) {
        this.ring.push(text);
        if (this.ring.length > U) this.ring.shift();
      }
      return;
    }
    if (this.hunk === null) {
      const r = this.ring.length;
      this.hunk = {
        proc: this.proc,
        aStart: this.aPos - r + 1,
        aCount: r,
        bStart: this.bPos - r + 1,
        bCount: r,
        lines: this.ring.map((t) => ' ' + t),
      };
      this.ring = [];
    }
    this.hunk.lines.push(kind + text);
    this.trailing = 0;
    if (kind === '-') {
      this.aPos++;
      this.hunk.aCount++;
      this.runDel++;
    } else {
      this.bPos++;
      this.hunk.bCount++;
      this.runAdd++;
    }
    if (this.hunk.lines.length >= this.settings.maxHunkLines) this.closeHunk(0);
  }

  /** A run of changes ended: pair its deletions with its additions. */
  private endRun(): void {
    if (this.runDel === 0 && this.runAdd === 0) return;
    const paired = Math.min(this.runDel, this.runAdd);
    this.counts.changed += paired;
    this.counts.onlyA += this.runDel - paired;
    this.counts.onlyB += this.runAdd - paired;
    this.counts.compared += this.runDel + this.runAdd - paired;
    this.runDel = 0;
    this.runAdd = 0;
  }

  /** Emits the open hunk with at most `keep` of its trailing equal lines; the last `context`
   *  of those become the next hunk's leading context. */
  private closeHunk(keep: number): void {
    const h = this.hunk!;
    const cut = Math.max(0, this.trailing - keep);
    const removed = h.lines.splice(h.lines.length - cut, cut);
    h.aCount -= cut;
    h.bCount -= cut;
    this.ring = removed.slice(Math.max(0, removed.length - this.settings.context)).map((l) => l.slice(1));
    this.hunk = null;
    this.trailing = 0;
    // diff's convention: an empty side's start is the line before.
    if (h.aCount === 0) h.aStart--;
    if (h.bCount === 0) h.bStart--;
    this.emit(h);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.endRun();
    if (this.hunk !== null) this.closeHunk(this.settings.context);
    this.a.close();
    this.b.close();
  }
}
