// execve and execveat in one process (test/guests/src/exec.c): the errors before the point of no
// return, `#!` scripts, what a new program keeps and loses, execveat of a descriptor; natively,
// under the real strace and under emtrace, and a recording that replays.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';
import { emtraceRun, freshDir, normalize, STRACE_ENV, straceRun } from '../support/strace.js';

const scratch = freshDir('emtrace-exec-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const LIBCS = ['musl', 'glibc'];
let dirs = 0;

/** A fresh work directory, its name as long as every other one's (getcwd's length shows). */
function workDir(): string {
  const dir = path.join(scratch, `w${String(dirs++).padStart(3, '0')}`);
  fs.mkdirSync(dir);
  return dir;
}

/** The lines after strace's own execve of the program, with the directory and the pid masked
 *  (the guest's own execve lines kept). */
function lines(log: string, dir: string): string[] {
  const raw = log.split('\n');
  if (raw[0].startsWith('execve(')) raw.shift();
  const pid = /^getpid\(\) += (\d+)$/m.exec(log)?.[1] ?? 'none';
  const text = raw.map((l) => l.replace(/^execve\(/, 'Xexecve(')).join('\n');
  return normalize(text).map((l) =>
    l
      .replace(/^Xexecve\(/, 'execve(')
      .split(dir)
      .join('DIR')
      .replace(new RegExp(`"${pid}"`, 'g'), '"PID"'),
  );
}

describe('execve (exec.c)', () => {
  it.each(LIBCS)('exec-%s prints what it prints natively', (libc) => {
    const expected = native(guest(`exec-${libc}`), [workDir()], { env: STRACE_ENV });
    const actual = emtrace(['-o', '/dev/null', guest(`exec-${libc}`), workDir()], { env: STRACE_ENV });
    expect(expected.stdout).toContain('fd stage argc=1 argv[0]=""');
    expect(expected.stdout).toMatch(/^interpreter loop: -1 (Symbolic link loop|Too many levels of symbolic links)$/m);
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.status).toBe(expected.status);
    expect(actual.status).toBe(7);
  });

  it.each(LIBCS)('exec-%s makes the calls strace shows, through three programs', (libc) => {
    const nativeDir = workDir();
    const ourDir = workDir();
    const expected = straceRun(guest(`exec-${libc}`), [nativeDir], path.join(scratch, `${libc}.strace`));
    const actual = emtraceRun(guest(`exec-${libc}`), [ourDir], path.join(scratch, `${libc}.emtrace`));
    const want = lines(expected.log, nativeDir);
    const got = lines(actual.log, ourDir);
    // readlink of /proc/self/exe differs only in the guest binary's path length.
    expect(got).toEqual(want);
    expect(got.filter((l) => /^execve(at)?\(.*\) = 0$/.test(l))).toHaveLength(2);
  });

  it.each(LIBCS)('exec-%s records and replays', (libc) => {
    const trace = path.join(scratch, `exec-${libc}.jsonl`);
    const recorded = emtrace(['record', '-o', trace, guest(`exec-${libc}`), workDir()], { env: STRACE_ENV });
    expect(recorded.status).toBe(7);
    const replayed = emtrace(['replay', trace], { env: STRACE_ENV });
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
    expect(replayed.stdout).toBe(recorded.stdout);
  });

  it('busybox sh: exec replaces the shell with another static program', () => {
    const expected = native('busybox', ['sh', '-c', 'exec busybox echo "replaced $0"']);
    const actual = emtrace(['-e', 'trace=execve', 'busybox', 'sh', '-c', 'exec busybox echo "replaced $0"']);
    expect(expected.stdout).toBe('replaced sh\n');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.stderr).toMatch(/^execve\("\/proc\/self\/exe", \["busybox", "echo", "replaced sh"\], 0x[0-9a-f]+ \/\* \d+ vars \*\/\) = 0$/m);
    expect(actual.status).toBe(0);
  });

  it('a dynamically linked program: ENOEXEC, and emtrace says why', () => {
    const actual = emtrace(['-e', 'trace=execve', 'busybox', 'sh', '-c', `exec ${process.execPath} --version`]);
    expect(actual.stderr).toMatch(/emtrace: execve of node: dynamically linked executable/);
    expect(actual.stderr).toMatch(/execve\(".*node", \[.*\], .*\) = -1 ENOEXEC \(Exec format error\)/);
    expect(actual.status).not.toBe(0);
  });
});
