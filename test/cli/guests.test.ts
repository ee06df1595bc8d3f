// Every guest program prints under emtrace exactly what it prints natively (the host CPU and
// kernel are the oracle), and exits with the same status.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';

const LIBCS = ['musl', 'glibc'];
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', GREETING: 'hi there', LANG: 'C' };

function sameAsNative(program: string, args: string[], prepare?: () => string[]): void {
  const nativeArgs = prepare ? prepare() : args;
  const expected = native(guest(program), nativeArgs, { env });
  const emuArgs = prepare ? prepare() : args;
  const actual = emtrace(['-o', '/dev/null', guest(program), ...emuArgs], { env });
  expect(actual.stderr).toBe(expected.stderr);
  expect(actual.stdout).toBe(expected.stdout);
  expect(actual.status).toBe(expected.status);
}

describe('raw-syscall hello world', () => {
  it('prints hello world and exactly the strace lines', () => {
    const r = emtrace([guest('hello-asm')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('hello world\n');
    expect(r.stderr).toBe(
      'write(1, "hello world\\n", 12)           = 12\n' + 'exit(0)                                 = ?\n' + '+++ exited with 0 +++\n',
    );
  });
});

describe.each(LIBCS)('%s guests', (libc) => {
  it('hello', () => sameAsNative(`hello-${libc}`, []));

  it('args: argv, envp and the auxiliary vector', () => {
    sameAsNative(`args-${libc}`, []);
    sameAsNative(`args-${libc}`, ['one', 'two words', '', '--flag=x']);
  });

  it('files: write, read back, seek, stat, copy', () => {
    const dirs: string[] = [];
    sameAsNative(`files-${libc}`, [], () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-files-'));
      dirs.push(dir);
      return [dir];
    });
    // Both runs left the same files behind.
    const [a, b] = dirs;
    expect(fs.readFileSync(path.join(b, 'copy.txt'))).toEqual(fs.readFileSync(path.join(a, 'copy.txt')));
  });

  it('memory: brk and mmap growth', () => sameAsNative(`memory-${libc}`, []));

  it('selfmod: code generated at run time, run hot, rewritten and run again', () => sameAsNative(`selfmod-${libc}`, []));

  it('cpu-loop: integer work', () => sameAsNative(`cpu-loop-${libc}`, ['2']));

  it('syscall-loop: many small reads, writes and seeks', () => {
    sameAsNative(`syscall-loop-${libc}`, [], () => [path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-loop-')), 'records'), '500']);
  });

  it('exit status of a failing program', () => {
    const r = emtrace(['-o', '/dev/null', guest(`files-${libc}`)], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('usage: files DIR\n');
  });
});

it('a static-PIE executable', () => sameAsNative('hello-glibc-pie', []));
