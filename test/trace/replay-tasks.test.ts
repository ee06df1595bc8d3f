// Replays of runs with several processes and threads: the tasks run on the same deterministic
// scheduler, the calls that create and wait for tasks run again, and every recorded event is
// matched in its recorded order. Each run's replay must reproduce it; a changed order is found.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest } from '../support/run.js';
import { freshDir, STRACE_ENV } from '../support/strace.js';

const scratch = freshDir('emtrace-replay-tasks-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Recordings of several tasks: what each has the processes and threads do. */
const RUNS: [string, string[]][] = [
  ['a pipe between processes, a child killed by a signal (forkpipe)', ['forkpipe']],
  ['sleeps on the scheduler and a pause ended by another process (sleeps)', ['sleeps']],
  ['sockets between processes (sockfork)', ['sockfork']],
  ['fork, vfork, exec and wait statuses (forkexec)', ['forkexec']],
  ['poll, select and epoll_wait on pipes another process writes (pollfork)', ['pollfork']],
  ['job control: stops, continues and a kill (jobs)', ['jobs']],
  ['threads: a blocked read under a thread ended by exit_group (threads)', ['threads']],
];

describe.each(RUNS.flatMap(([what, [name]]) => ['musl', 'glibc'].map((libc) => [`${name}-${libc}`, what])))('%s', (program, what) => {
  it(`replays: ${what}`, () => {
    const trace = path.join(scratch, `${program}.jsonl`);
    expect(emtrace(['record', '-o', trace, guest(program)], { env: STRACE_ENV }).stderr).toBe('');
    const replayed = emtrace(['replay', '-q', trace]);
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
    expect(replayed.status).toBe(0);
  });
});

describe('busybox sh', () => {
  it('a recorded pipeline of four processes replays', () => {
    const trace = path.join(scratch, 'sh.jsonl');
    const script = 'printf "pear\\napple\\npear\\n" | busybox sort | busybox uniq | busybox wc -l';
    const recorded = emtrace(['record', '-o', trace, 'busybox', 'sh', '-c', script], { env: STRACE_ENV });
    expect(recorded.stdout).toBe('2\n');
    const replayed = emtrace(['replay', trace]);
    expect(replayed.stdout).toBe('2\n');
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
  });

  it('a trace whose events are put in another order diverges at the first one out of place', () => {
    const trace = path.join(scratch, 'forkpipe.jsonl');
    expect(emtrace(['record', '-o', trace, guest('forkpipe-musl')]).stderr).toBe('');
    const lines = fs.readFileSync(trace, 'utf8').trimEnd().split('\n');
    // The child's write (which ends the parent's read) moved after the parent's read.
    const write = lines.findIndex((l) => l.includes('"tid":1001') && l.includes('"name":"write"'));
    const read = lines.findIndex((l) => l.includes('"tid":1000') && l.includes('"name":"read"'));
    expect(write).toBeGreaterThan(0);
    expect(read).toBeGreaterThan(write);
    const [moved] = lines.splice(write, 1);
    lines.splice(read, 0, moved);
    const swapped = path.join(scratch, 'swapped.jsonl');
    fs.writeFileSync(swapped, lines.join('\n') + '\n');
    const replayed = emtrace(['replay', '-q', swapped]);
    expect(replayed.status).not.toBe(0);
    expect(replayed.stderr).toMatch(/replay diverged at event \d+: /);
  });
});
