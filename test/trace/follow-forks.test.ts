// strace -f / -ff output for several processes and threads, against real strace 6.1 logs
// (test/trace/follow/oracles.ts): the guests' events (follow/tasks.ts) are fed to the strace
// sink in the order each log shows, and the sink must print the log back, byte for byte.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dump } from '../../src/trace/dump.js';
import type { FollowOptions } from '../../src/trace/follow.js';
import type { LineOutput } from '../../src/trace/line-writer.js';
import { defaultDisplay, parseStraceOptions } from '../../src/trace/strace-options.js';
import type { StraceDisplay } from '../../src/trace/strace-options.js';
import { StraceSink } from '../../src/trace/strace-sink.js';
import { ORACLES } from './follow/oracles.js';
import { drive, scheduleOf, sequential } from './follow/schedule.js';
import type { Step } from './follow/schedule.js';
import { forkpipe, threads, vforkexec } from './follow/tasks.js';
import type { Tasks } from './follow/tasks.js';
import { TraceBuilder } from '../diff/helpers.js';

/** Lines written to an array. */
class Lines implements LineOutput {
  readonly lines: string[] = [];
  closed = false;
  line(text: string): void {
    this.lines.push(text);
  }
  close(): void {
    this.closed = true;
  }
  get text(): string {
    return this.lines.map((l) => l + '\n').join('');
  }
}

const TO_FILE: FollowOptions = { forks: true, pidColumn: true };
const TO_STDERR: FollowOptions = { forks: true, pidColumn: false };

interface Run {
  tasks: Tasks;
  steps: Step[];
  follow: FollowOptions;
  display?: StraceDisplay;
  messages?: boolean;
}

function print({ tasks, steps, follow, display = defaultDisplay(), messages = false }: Run): string {
  const out = new Lines();
  drive(new StraceSink(out, display, messages, null, follow), tasks, steps);
  return out.text;
}

/** The sink's output for the order `log` shows. */
function replay(log: string, tasks: Tasks, follow: FollowOptions, display?: StraceDisplay): string {
  return print({ tasks, steps: scheduleOf(log, tasks), follow, display });
}

describe('strace -f -o FILE: a pid column on every line', () => {
  it.each(['fp-o1', 'fp-o2', 'fp-o5', 'fp-o6'])('fork, pipe, wait4, kill (%s)', (name) => {
    expect(replay(ORACLES[name], forkpipe(), TO_FILE)).toBe(ORACLES[name]);
  });

  it.each(['th-o1', 'th-o2'])('threads: clone, futex, exit, exit_group with a thread in read (%s)', (name) => {
    expect(replay(ORACLES[name], threads(), TO_FILE)).toBe(ORACLES[name]);
  });

  it('vfork and execve', () => {
    expect(replay(ORACLES['vf-o1'], vforkexec(), TO_FILE)).toBe(ORACLES['vf-o1']);
  });

  it('-a 20: results aligned from the line start, pid column included', () => {
    const display = parseStraceOptions({ expressions: [], column: 20 });
    expect(replay(ORACLES['fp-a'], forkpipe(), TO_FILE, display)).toBe(ORACLES['fp-a']);
  });

  it('-T: the time a call took is on its resumed line, never on `<unfinished ...>` or `= ?`', () => {
    const display = parseStraceOptions({ expressions: [], syscallTimes: true });
    const times = (s: string): string => s.replace(/<\d+\.\d{6}>/g, '<T>');
    expect(times(replay(ORACLES['fp-T'], forkpipe(), TO_FILE, display))).toBe(times(ORACLES['fp-T']));
  });

  it('-e status=successful: a call is printed whole at its end, hidden calls never split a line', () => {
    const display = parseStraceOptions({ expressions: ['status=successful'] });
    expect(replay(ORACLES['fp-st'], forkpipe(), TO_FILE, display)).toBe(ORACLES['fp-st']);
  });

  it("-e status=: another task's `+++` line splits a held call as strace's memstream does", () => {
    // strace -f -o F -e status=successful (strace 6.1, pids 4476 and 4477): the child ended
    // between its parent's wait4 entry and exit.
    const tasks = forkpipe();
    const order: Step[] = [
      ...sequential(tasks, 1000).slice(0, 4),
      ...sequential(tasks, 1001).slice(0, 5),
      { tid: 1000, kind: 'enter' },
      { tid: 1001, kind: 'end' },
      { tid: 1000, kind: 'exit' },
    ];
    const display = parseStraceOptions({ expressions: ['status=successful'] });
    const text = print({ tasks, steps: order, follow: TO_FILE, display });
    expect(text.split('\n').slice(-5).join('\n')).toBe(
      [
        '1001  write(4, "hello", 5)              = 5',
        '1001  +++ exited with 3 +++',
        '1000  wait4(1001,  <unfinished ...>',
        '[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 1001',
        '',
      ].join('\n'),
    );
  });
});

describe('strace -f on stderr: `[pid N] ` while more than one task is traced', () => {
  it.each(['fp-e4', 'fp-e6'])('fork, pipe, wait4, kill (%s)', (name) => {
    expect(replay(ORACLES[name], forkpipe(), TO_STDERR)).toBe(ORACLES[name]);
  });

  it.each(['th-e2', 'th-e3'])('threads (%s)', (name) => {
    expect(replay(ORACLES[name], threads(), TO_STDERR)).toBe(ORACLES[name]);
  });

  it('vfork and execve', () => {
    expect(replay(ORACLES['vf-e1'], vforkexec(), TO_STDERR)).toBe(ORACLES['vf-e1']);
  });

  it('`Process N attached` on a line of its own when a task starts (not with -o: it implies -q)', () => {
    const tasks = forkpipe();
    const steps = scheduleOf(ORACLES['fp-e4'], tasks);
    const lines = print({ tasks, steps, follow: TO_STDERR, messages: true }).split('\n');
    expect(lines.slice(1, 4)).toEqual(['fork()                                  = 1001', 'emtrace: Process 1001 attached', '[pid  1001] gettid()                    = 1001']);
    expect(lines.filter((l) => l.includes('attached'))).toEqual(['emtrace: Process 1001 attached', 'emtrace: Process 1002 attached']);
    const quiet = parseStraceOptions({ expressions: [], quiet: 1 });
    expect(print({ tasks: forkpipe(), steps, follow: TO_STDERR, messages: true, display: quiet })).toBe(ORACLES['fp-e4']);
  });

  it("vfork: the child's first event comes before the parent's exit, and starts it", () => {
    const tasks = vforkexec();
    const lines = print({ tasks, steps: scheduleOf(ORACLES['vf-e1'], tasks), follow: TO_STDERR, messages: true }).split('\n');
    expect(lines.slice(0, 3)).toEqual(['vfork( <unfinished ...>', 'emtrace: Process 1001 attached', lines[2]]);
    expect(lines[2]).toMatch(/^\[pid  1001\] execve\(/);
  });
});

describe('without -f: only the first task', () => {
  it("children's events are left out", () => {
    const tasks = forkpipe({ sigchldFirst: true });
    // The order of the log, each child's events at once after the parent's fork.
    const parent = scheduleOf(ORACLES['fp-nofo'], new Map([[1000, tasks.get(1000)!]]));
    const steps = parent.flatMap((s, k) => (s.kind === 'call' && k === 1 ? [s, ...sequential(tasks, 1001)] : k === 6 ? [s, ...sequential(tasks, 1002)] : [s]));
    expect(print({ tasks, steps, follow: { forks: false, pidColumn: false } })).toBe(ORACLES['fp-nofo']);
  });

  it('threads other than the first are left out', () => {
    const tasks = threads();
    const text = print({ tasks, steps: scheduleOf(ORACLES['th-o1'], tasks), follow: { forks: false, pidColumn: false } });
    expect(text).not.toMatch(/write\(1|read\(3|FUTEX_WAKE/);
    expect(text).toMatch(/^exit_group\(0\) += \?\n\+\+\+ exited with 0 \+\+\+\n$/m);
  });
});

describe('strace -ff -o PREFIX: PREFIX.TID per task, without pids', () => {
  function separately(log: string, tasks: Tasks, forks = true): Map<number, Lines> {
    const files = new Map<number, Lines>();
    const follow: FollowOptions = {
      forks,
      pidColumn: false,
      separate: (tid) => {
        const out = new Lines();
        files.set(tid, out);
        return out;
      },
    };
    const shared = new Lines();
    drive(new StraceSink(shared, defaultDisplay(), false, null, follow), tasks, scheduleOf(log, tasks));
    expect(shared.lines).toEqual([]);
    return files;
  }

  it('forkpipe: each file as strace wrote it, whatever the interleaving', () => {
    for (const log of ['fp-o1', 'fp-o6']) {
      const files = separately(ORACLES[log], forkpipe());
      expect([...files.keys()]).toEqual([1000, 1001, 1002]);
      for (const [tid, out] of files) {
        expect(out.text).toBe(ORACLES[`ff-fp.${tid}`]);
        expect(out.closed).toBe(true);
      }
    }
  });

  it('threads: a thread dying in read is `read(3,  <unfinished ...>) = ?` in its own file', () => {
    const files = separately(ORACLES['th-o1'], threads());
    for (const [tid, out] of files) expect(out.text).toBe(ORACLES[`ff-th.${tid}`]);
  });

  it('--output-separately without -f: one file, the first task', () => {
    const tasks = forkpipe({ sigchldFirst: true });
    const files = new Map<number, Lines>();
    const follow: FollowOptions = { forks: false, pidColumn: false, separate: (tid) => files.set(tid, new Lines()).get(tid)! };
    const parent = scheduleOf(ORACLES['ff-os.1000'], new Map([[1000, tasks.get(1000)!]]));
    drive(new StraceSink(new Lines(), defaultDisplay(), false, null, follow), tasks, [...parent, ...sequential(tasks, 1001), ...sequential(tasks, 1002)]);
    expect([...files.keys()]).toEqual([1000]);
    expect(files.get(1000)!.text).toBe(ORACLES['ff-os.1000']);
  });
});

describe('dump of a trace with several tasks', () => {
  it('prints every task, `[pid N] ` while more than one is alive, as strace -f on stderr', async () => {
    const child = 1001;
    const trace = new TraceBuilder(1000)
      .call('fork', [], child)
      .write(1, 'one\n', { tid: child })
      .exit(0, child)
      .call('wait4', [child, 0, 0, 0], child)
      .exit(0)
      .save(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-dump-f-')), 't.trace'));
    const out = new Lines();
    await dump(trace, out);
    expect(out.text).toBe(
      [
        'fork()                                  = 1001',
        '[pid  1001] write(1, "one\\n", 4)        = 4',
        '[pid  1001] exit_group(0)               = ?',
        '[pid  1001] +++ exited with 0 +++',
        'wait4(1001, NULL, 0, NULL)              = 1001',
        'exit_group(0)                           = ?',
        '+++ exited with 0 +++',
        '',
      ].join('\n'),
    );
    fs.rmSync(path.dirname(trace), { recursive: true });
  });
});
