// The two renderings of a diff, written as hunks arrive:
//
// text (a unified diff, then one summary line):
//   --- A
//   +++ B
//   @@ -4,7 +4,7 @@ [pid 1]
//    brk(NULL) = heap
//   -write(1, "hello\n", 6) = 6
//   +write(1, "hullo\n", 6) = 6
//   1 event differs: 0 only in A, 0 only in B, 1 changed; 18 events compared (processes: 1)
// or, for inputs that compare equal, only
//   traces are the same (18 events compared)
//
// JSON (one document):
//   {"a":"A","b":"B","hunks":[
//   {"process":1,"a":{"start":4,"count":7},"b":{"start":4,"count":7},"lines":[" …","-…","+…"]}
//   ],"summary":{"same":false,"differ":1,"onlyA":0,"onlyB":0,"changed":1,"compared":18,"processes":1,
//   "inputs":{"a":"trace","b":"log"}}}
import type { DiffSummary, Hunk } from './types.js';

/** 1234567 → `1,234,567`. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

export function summaryLine(s: DiffSummary): string {
  if (s.same) return `traces are the same (${formatCount(s.compared)} events compared)`;
  const verb = s.differ === 1 ? 'event differs' : 'events differ';
  return (
    `${formatCount(s.differ)} ${verb}: ${formatCount(s.onlyA)} only in A, ${formatCount(s.onlyB)} only in B, ` +
    `${formatCount(s.changed)} changed; ${formatCount(s.compared)} events compared (processes: ${formatCount(s.processes)})`
  );
}

function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}

/** `@@ -4,7 +4,7 @@ [pid 1]`: lines are the process's event numbers, counted from 1. */
export function hunkHeader(h: Hunk): string {
  return `@@ -${range(h.aStart, h.aCount)} +${range(h.bStart, h.bCount)} @@ [pid ${h.proc}]`;
}

export interface DiffRenderer {
  hunk(h: Hunk): void;
  end(summary: DiffSummary): void;
}

export class UnifiedRenderer implements DiffRenderer {
  private started = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly labelA: string,
    private readonly labelB: string,
  ) {}

  hunk(h: Hunk): void {
    if (!this.started) {
      this.write(`--- ${this.labelA}\n+++ ${this.labelB}\n`);
      this.started = true;
    }
    this.write(hunkHeader(h) + '\n' + h.lines.join('\n') + '\n');
  }

  end(summary: DiffSummary): void {
    this.write(summaryLine(summary) + '\n');
  }
}

export class JsonRenderer implements DiffRenderer {
  private count = 0;
  private started = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly labelA: string,
    private readonly labelB: string,
  ) {}

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.write(`{"a":${JSON.stringify(this.labelA)},"b":${JSON.stringify(this.labelB)},"hunks":[`);
  }

  hunk(h: Hunk): void {
    this.start();
    const json = {
      process: h.proc,
      a: { start: h.aStart, count: h.aCount },
      b: { start: h.bStart, count: h.bCount },
      lines: h.lines,
    };
    this.write((this.count++ === 0 ? '\n' : ',\n') + JSON.stringify(json));
  }

  end(s: DiffSummary): void {
    this.start();
    const summary = {
      same: s.same,
      differ: s.differ,
      onlyA: s.onlyA,
      onlyB: s.onlyB,
      changed: s.changed,
      compared: s.compared,
      processes: s.processes,
      inputs: s.inputs,
    };
    this.write(`${this.count > 0 ? '\n' : ''}],"summary":${JSON.stringify(summary)}}\n`);
  }
}

export { FdWriter } from '../fd-writer.js';
