// The same binary under the real strace (natively) and under emtrace gives the same syscall lines
// in the same order, after masking what legitimately differs between two runs: addresses (ASLR),
// pid values and random bytes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emtrace, guest, have, native } from '../support/run.js';
import { normalize } from '../support/strace.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-strace-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

function straceLog(program: string, args: string[], status = 0, options: string[] = []): string {
  const log = path.join(scratch, `${path.basename(program)}.strace`);
  // emtrace reports Linux's default limits (stack 8 MiB soft, unlimited hard; no core dumps);
  // give the native run the same.
  const r = native('sh', ['-c', 'ulimit -S -s 8192 && ulimit -c 0 && exec strace "$@"', 'sh', '-o', log, ...options, program, ...args], { env });
  // strace ends with the signal that killed its tracee.
  expect(r.status ?? 128 + os.constants.signals[r.signal!]).toBe(status);
  return fs.readFileSync(log, 'utf8');
}

function emtraceLog(program: string, args: string[], status = 0, options: string[] = []): string {
  const log = path.join(scratch, `${path.basename(program)}.emtrace`);
  const r = emtrace(['-o', log, ...options, program, ...args], { env });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(status);
  return fs.readFileSync(log, 'utf8');
}

describe('against the real strace', () => {
  it('strace is installed (CI installs it: .ci/run)', () => {
    expect(have('strace')).toBe(true);
  });

  it.each(['hello-musl', 'hello-glibc'])('%s: same syscall lines in the same order', (name) => {
    const expected = normalize(straceLog(guest(name), []));
    const actual = normalize(emtraceLog(guest(name), []));
    expect(expected.length).toBeGreaterThan(3);
    expect(actual).toEqual(expected);
  });

  it.each([
    ['fault-segv', 128 + 11],
    ['fault-ud2', 128 + 4],
  ])('%s: the signal line, the kill line and the exit status %i', (name, status) => {
    const expected = normalize(straceLog(guest(name), [], status));
    const actual = normalize(emtraceLog(guest(name), [], status));
    expect(expected.some((line) => line.startsWith('--- SIG'))).toBe(true);
    expect(actual).toEqual(expected);
  });

  it.each([
    ['-e trace=%file,writev', 'hello-glibc', ['-e', 'trace=%file,writev']],
    ['-e trace=%memory', 'memory-glibc', ['-e', 'trace=%memory']],
    ['-e trace=!brk,mmap', 'hello-glibc', ['-e', 'trace=!brk,mmap']],
    ['-e write (no trace=)', 'hello-glibc', ['-e', 'write']],
    ['-s 4', 'hello-musl', ['-s', '4']],
    ['-s 0 -e trace=write', 'files-glibc', ['-s', '0', '-e', 'trace=write']],
  ])('%s selects and abbreviates as strace does', (_label, name, options) => {
    const args = name.startsWith('files') ? [fs.mkdtempSync(path.join(scratch, 'files-'))] : [];
    const expected = normalize(straceLog(guest(name), args, 0, options));
    const actual = normalize(emtraceLog(guest(name), args, 0, options));
    expect(expected.length).toBeGreaterThan(1);
    expect(actual).toEqual(expected);
  });
});
