// Several processes in one emulator (test/guests/src/forkexec.c, busybox sh): fork, vfork, a
// pipe between processes, execve in a child, wait statuses; the same output as natively, the
// same trace on every run, and a replay that reproduces the run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';
import { emtraceRun, freshDir, normalize, STRACE_ENV, straceRun } from '../support/strace.js';

const scratch = freshDir('emtrace-fork-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/**
 * A `-f -o` log (`PID  line` each) as each process's calls in order: an `<unfinished ...>` call
 * joined with its `<... resumed>` rest, pids renamed P1, P2... in creation order (the first
 * process, then the results of fork, vfork and clone as the log shows them), then normalize()'d.
 * strace's execve of the traced program and SIGCHLD lines are left out (emtrace discards signals
 * a process ignores, as Linux does for an untraced one).
 */
function perProcess(log: string): string[][] {
  const calls = new Map<string, string[]>();
  const open = new Map<string, string>();
  const created: string[] = [];
  for (const line of log.split('\n')) {
    const m = /^(\d+) +(.*)$/.exec(line);
    if (!m) continue;
    const [, pid, rest] = m;
    if (created.length === 0) created.push(pid);
    if (!calls.has(pid)) calls.set(pid, []);
    if (rest.startsWith('--- SIGCHLD')) continue;
    const unfinished = /^(.*) <unfinished \.\.\.>$/.exec(rest);
    if (unfinished) {
      open.set(pid, unfinished[1]);
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(rest);
    const call = resumed ? open.get(pid)! + resumed[1] : rest;
    const child = /^(?:v?fork|clone3?)\(.*\) += (\d+)$/.exec(call);
    if (child) created.push(child[1]);
    calls.get(pid)!.push(call);
  }
  // (The environment strace's shell passes has a few more variables than emtrace's.)
  const rename = (text: string): string => created.reduce((t, pid, k) => t.replace(new RegExp(`\\b${pid}\\b`, 'g'), `P${k + 1}`), text).replace(/\/\* \d+ vars \*\//, '/* N vars */');
  return created.map((pid) => {
    const lines = (calls.get(pid) ?? []).map(rename).filter((l, k) => !(pid === created[0] && k === 0 && l.startsWith('execve(')));
    // normalize() drops execve lines: keep the children's (an exec'd program).
    return normalize(lines.map((l) => l.replace(/^execve\(/, 'Xexecve(')).join('\n')).map((l) => l.replace(/^Xexecve\(/, 'execve('));
  });
}

describe.each(['musl', 'glibc'])('forkexec-%s', (libc) => {
  it('-f: each process makes the calls strace -f shows, in the same order', () => {
    const program = guest(`forkexec-${libc}`);
    const expected = straceRun(program, [], path.join(scratch, `${libc}-f.strace`), ['-f']);
    const actual = emtraceRun(program, [], path.join(scratch, `${libc}-f.emtrace`), ['-f']);
    expect(actual.stdout).toBe(expected.stdout);
    const want = perProcess(expected.log);
    const got = perProcess(actual.log);
    expect(want).toHaveLength(5);
    expect(got).toEqual(want);
  });

  const program = guest(`forkexec-${libc}`);

  it('prints what it prints natively', () => {
    const expected = native(program, [], { env: STRACE_ENV });
    const actual = emtrace(['-o', '/dev/null', program], { env: STRACE_ENV });
    expect(expected.stdout).toContain('read from the child: one two three (14 bytes)');
    expect(expected.stdout).toContain('killed: killed by signal 11');
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.status).toBe(0);
  });

  it('two recordings are the same bytes; the replay reproduces the run', () => {
    const traces = [1, 2].map((k) => path.join(scratch, `${libc}-${k}.jsonl`));
    for (const trace of traces) expect(emtrace(['record', '-o', trace, program], { env: STRACE_ENV }).status).toBe(0);
    expect(fs.readFileSync(traces[0])).toEqual(fs.readFileSync(traces[1]));
    const text = fs.readFileSync(traces[0], 'utf8');
    expect(new Set([...text.matchAll(/"pid":(\d+)/g)].map((m) => m[1])).size).toBe(5);
    const replayed = emtrace(['replay', '-q', traces[0]]);
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
    expect(replayed.status).toBe(0);
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

/** Guests whose output under emtrace must be their native output, with the text it must be. */
const NATIVE_OUTPUTS: [string, string, string][] = [
  ['sleeps', 'sleeping children wake in deadline order while the others run; pause ends with a signal', 'parent first\nchild B after 100 ms\nchild A after 400 ms\nchild C woke from pause\ndone\n'],
  ['sockfork', 'sockets between processes: recv, accept and connect wait for the other process', 'echo: PING PONG\nfrom the server: served\n'],
  ['jobs', 'job control: a stopped child is seen with WUNTRACED and WSTOPPED, SIGCONT continues it (WCONTINUED), SIGKILL ends it stopped; SIGTSTP does not stop an orphaned group', 'wait4(WUNTRACED): stopped by signal 19\nWNOHANG while stopped: 0\nwait4(WCONTINUED): continued\nwaitid(WSTOPPED): code CLD_STOPPED, status 19\nwaitid(WCONTINUED): code CLD_CONTINUED, status 18\nwait4: exited with 7\nsecond child: stopped by signal 19\nsecond child after SIGKILL: killed by signal 9\nSIGTSTP in an orphaned group: exited with 3\n'],
  ['pollfork', 'poll, select and epoll_wait on pipes another process writes wait for it on the scheduler; a short timeout ends first', 'poll with a 10 ms timeout: 0\npoll without a timeout: 1, revents POLLIN: 1\nselect: 1, set: 1\nepoll_wait: 1, data 42\nchild exited with 0\n'],
  ['sessions', 'process groups and sessions: setpgid, getpgid, setsid and getsid between a parent and its child', 'getpgid(child) after fork: the parent\'s group\nsetpgid(child, child): 0\ngetpgid(child): the child\'s pid\nsetpgid(child, no such group): Operation not permitted\nsetpgid(child, the parent\'s group): 0\ngetpgid(child) again: the parent\'s group\nsetpgid(no such process, 0): No such process\nsetpgid(0, -1): Invalid argument\nchild getpgid(0): the parent\'s group\nchild setsid: the child\'s pid\nchild getsid(0): the child\'s pid\nchild getpgrp: the child\'s pid\nchild setpgid(0, 0) as a session leader: Operation not permitted\nchild setpgid(parent, parent): No such process\ngetsid(child): the child\'s pid\nsetpgid(child in another session, child): Operation not permitted\ngetpgid(reaped child): No such process\nsetsid as a group leader: Operation not permitted\n'],
];

describe.each(NATIVE_OUTPUTS.flatMap(([name, what, text]) => ['musl', 'glibc'].map((libc) => [`${name}-${libc}`, what, text])))('%s', (program, what, text) => {
  it(what, () => {
    const expected = native(guest(program), [], { env: STRACE_ENV });
    const actual = emtrace(['-o', '/dev/null', guest(program)], { env: STRACE_ENV });
    expect(expected.stdout).toBe(text);
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
  });
});

describe('limits', () => {
  it('a fork bomb is stopped by the task limit (EAGAIN), and every child is reaped', () => {
    // Only under emtrace: natively, as root, nothing but the host's limits would stop it.
    const r = emtrace(['-o', '/dev/null', guest('forkbomb-musl')], { env: STRACE_ENV });
    expect(r.stdout).toBe('fork failed after 1023 children: Resource temporarily unavailable\nreaped 1023 children, 1023 saw the end of the pipe\n');
    expect(r.status).toBe(0);
  });

  it('RLIMIT_NPROC stops a user without CAP_SYS_RESOURCE at its limit', () => {
    const r = emtrace(['-o', '/dev/null', guest('forkbomb-musl'), '5'], { env: STRACE_ENV });
    expect(r.stdout).toBe('fork failed after 4 children: Resource temporarily unavailable\nreaped 4 children, 4 saw the end of the pipe\n');
  });
});
