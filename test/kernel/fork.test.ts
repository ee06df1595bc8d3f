// Several processes in one emulator (test/guests/src/forkexec.c, busybox sh): fork, vfork, a
// pipe between processes, execve in a child, wait statuses; the same output as natively, the
// same trace on every run, and a replay that says plainly it cannot follow several processes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';
import { freshDir, STRACE_ENV } from '../support/strace.js';

const scratch = freshDir('emtrace-fork-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe.each(['musl', 'glibc'])('forkexec-%s', (libc) => {
  const program = guest(`forkexec-${libc}`);

  it('prints what it prints natively', () => {
    const expected = native(program, [], { env: STRACE_ENV });
    const actual = emtrace(['-o', '/dev/null', program], { env: STRACE_ENV });
    expect(expected.stdout).toContain('read from the child: one two three (14 bytes)');
    expect(expected.stdout).toContain('killed: killed by signal 15');
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.status).toBe(0);
  });

  it('two recordings are the same bytes; a replay refuses several processes plainly', () => {
    const traces = [1, 2].map((k) => path.join(scratch, `${libc}-${k}.jsonl`));
    for (const trace of traces) expect(emtrace(['record', '-o', trace, program], { env: STRACE_ENV }).status).toBe(0);
    expect(fs.readFileSync(traces[0])).toEqual(fs.readFileSync(traces[1]));
    const text = fs.readFileSync(traces[0], 'utf8');
    expect(new Set([...text.matchAll(/"pid":(\d+)/g)].map((m) => m[1])).size).toBe(5);
    const replayed = emtrace(['replay', '-q', traces[0]]);
    expect(replayed.stderr).toMatch(/the recording has several processes: replaying those is not supported yet/);
    expect(replayed.status).not.toBe(0);
  });
});

describe('busybox sh', () => {
  it.each([
    ['a pipeline', 'busybox echo a b c | busybox wc -w'],
    ['a three-stage pipeline', 'printf "pear\\napple\\npear\\nfig\\n" | busybox sort | busybox uniq | busybox wc -l'],
    ['command substitution', 'echo "got $(busybox echo sub) and $(echo builtin)"'],
    ['exit statuses of children', 'busybox false; echo "false gave $?"; busybox sh -c "exit 3"; echo "sh gave $?"'],
    ['a loop over children', 'for w in x y z; do busybox echo "<$w>"; done'],
  ])('%s: the native output', (_name, script) => {
    const expected = native('busybox', ['sh', '-c', script], { env: STRACE_ENV });
    const actual = emtrace(['-o', '/dev/null', 'busybox', 'sh', '-c', script], { env: STRACE_ENV });
    expect(expected.stdout.length).toBeGreaterThan(0);
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.status).toBe(expected.status);
  });
});
