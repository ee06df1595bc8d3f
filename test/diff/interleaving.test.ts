// Several tasks whose events interleave differently in A and B (another schedule, another
// tracer's timing): the diff aligns each task's events with its counterpart, whatever the
// interleaving, in traces and in strace logs.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDiff, scratchDir, TraceBuilder } from './helpers.js';
import { ORACLES } from '../trace/follow/oracles.js';

const dir = scratchDir('diff-interleaving');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const save = (t: TraceBuilder): string => t.save(path.join(dir, `t${counter++}.trace`));
function writeLog(text: string): string {
  const file = path.join(dir, `log${counter++}.txt`);
  fs.writeFileSync(file, text);
  return file;
}

/** A parent that forks and reaps a child which writes twice; `childFirst`: the child's events
 *  come before the parent's wait4 and exit. */
function forked(pid: number, childFirst: boolean, text = 'two\n'): TraceBuilder {
  const child = pid + 1;
  const t = new TraceBuilder(pid).call('fork', [], child);
  const childPart = (): void => {
    t.write(1, 'one\n', { tid: child }).write(1, text, { tid: child }).exit(0, child);
  };
  if (childFirst) childPart();
  t.call('getpid', [], pid);
  if (!childFirst) childPart();
  return t.call('wait4', [child, 0, 0, 0], child).exit(0);
}

describe('tasks interleaved differently', () => {
  it('traces: the same events in another order are the same', async () => {
    const r = await runDiff([save(forked(1000, false)), save(forked(2000, true))]);
    expect(r).toEqual({ status: 0, stdout: 'traces are the same (9 events compared)\n', stderr: '' });
  });

  it("traces: a difference is reported in its task, at its place in that task's events", async () => {
    const r = await runDiff(['-U', '0', save(forked(1000, false)), save(forked(1000, true, 'other\n'))]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(['@@ -2 +2 @@ [pid 2]', '-write(1, "two\\n", 4) = 4', '+write(1, "other\\n", 6) = 6'].join('\n'));
  });

  it('strace -f logs of four schedules, to a file and to stderr, are the same run', async () => {
    const reference = writeLog(ORACLES['fp-o1']);
    for (const other of ['fp-o2', 'fp-o5', 'fp-o6', 'fp-e4', 'fp-e6']) {
      const r = await runDiff([reference, writeLog(ORACLES[other])]);
      expect(r, other).toEqual({ status: 0, stdout: 'traces are the same (23 events compared)\n', stderr: '' });
    }
  });

  it("emtrace's `Process N attached` messages are skipped as strace's are", async () => {
    const withMessage = ORACLES['fp-e4'].replace('[pid  1001] gettid()', 'emtrace: Process 1001 attached\n[pid  1001] gettid()');
    const r = await runDiff([writeLog(ORACLES['fp-e4']), writeLog(withMessage)]);
    expect(r.status).toBe(0);
  });
});
