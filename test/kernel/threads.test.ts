// Threads (test/guests/src/pthreads.c): four pthreads with a mutex, a condition variable,
// thread-local storage and joins, under musl and glibc. The same output as natively, the same
// trace on every run (the scheduler is deterministic), and a replay that reproduces the run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';
import { freshDir } from '../support/strace.js';

const scratch = freshDir('emtrace-threads-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe.each(['musl', 'glibc'])('pthreads-%s', (libc) => {
  const program = guest(`pthreads-${libc}`);

  it('prints what it prints natively', () => {
    const expected = native(program, []);
    const actual = emtrace(['-o', '/dev/null', program]);
    expect(expected.stdout).toContain('counter 200000 (expected 200000)');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.status).toBe(0);
  });

  it('records the same bytes twice, and its replay reproduces the run', () => {
    const traces = [1, 2].map((k) => path.join(scratch, `${libc}-${k}.jsonl`));
    for (const trace of traces) expect(emtrace(['record', '-o', trace, program]).status).toBe(0);
    // (equals(): a deep comparison of two large buffers by the matcher is slow.)
    expect(fs.readFileSync(traces[0]).equals(fs.readFileSync(traces[1]))).toBe(true);
    const text = fs.readFileSync(traces[0], 'utf8');
    // Five threads made calls, and four ended before the process did.
    expect(new Set([...text.matchAll(/"tid":(\d+)/g)].map((m) => m[1])).size).toBe(5);
    expect(text.match(/"type":"exit","pid":1000,"tid":\d+/g)).toHaveLength(4);
    const replayed = emtrace(['replay', '-q', traces[0]]);
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
    expect(replayed.status).toBe(0);
  });

  it('-f shows each thread\'s calls with its tid and each thread\'s end, the process\'s last', () => {
    const log = path.join(scratch, `${libc}-f.txt`);
    expect(emtrace(['-f', '-o', log, program]).status).toBe(0);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    const ends = lines.filter((l) => l.includes('+++ exited with 0 +++')).map((l) => Number(l.split(' ')[0]));
    expect(ends).toHaveLength(5);
    expect(ends.at(-1)).toBe(1000);
    expect(lines.at(-1)).toBe('1000  +++ exited with 0 +++');
    const created = lines.map((l) => /^1000 +clone3?\(.*\) = (\d+)$/.exec(l)?.[1]).filter(Boolean);
    expect(created.map(Number)).toEqual([1001, 1002, 1003, 1004]);
  });
});

describe.each(['musl', 'glibc'])('threadbomb-%s', (libc) => {
  it('runaway thread creation is stopped by the task limit (EAGAIN), and every thread joins', () => {
    // Only under emtrace: natively nothing but the host's limits would stop it.
    const r = emtrace(['-o', '/dev/null', guest(`threadbomb-${libc}`)]);
    expect(r.stdout).toBe('pthread_create failed after 1023 threads: Resource temporarily unavailable\njoined 1023 threads\n');
    expect(r.status).toBe(0);
  });
});

describe('--chaos', () => {
  it('varies the schedule by its seed, the same for the same seed, and the replay follows it', () => {
    const program = guest('pthreads-glibc');
    const record = (seed: string, name: string): Buffer => {
      const trace = path.join(scratch, name);
      const r = emtrace(['record', '--chaos', seed, '-o', trace, program]);
      expect(r.stdout).toBe(native(program, []).stdout);
      return fs.readFileSync(trace);
    };
    const first = record('1', 'chaos-1a.jsonl');
    expect(first.equals(record('1', 'chaos-1b.jsonl'))).toBe(true);
    expect(first.equals(record('2', 'chaos-2.jsonl'))).toBe(false);
    expect(first.toString('utf8').split('\n')[0]).toContain('"chaos":"1"');
    const replayed = emtrace(['replay', '-q', path.join(scratch, 'chaos-2.jsonl')]);
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
  });
});
