// The same binary under the real strace (natively) and under emtrace gives the same syscall lines
// in the same order, after masking what legitimately differs between two runs: addresses (ASLR),
// pid values and random bytes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emtrace, guest, have, native } from '../support/run.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-strace-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

/** Calls whose (decimal) result is a pid or tid. */
const PID_RESULTS = /^(set_tid_address|getpid|gettid|getppid)\(/;

export function normalize(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('execve('))
    .map((line) => {
      // Masking changes lengths, so the padding before `=` is compared as one space.
      let out = line.replace(/0x[0-9a-f]+/g, '0xADDR').replace(/\) +=( |$)/, ') =$1');
      if (PID_RESULTS.test(out)) out = out.replace(/= \d+$/, '= PID');
      // getrandom's buffer is random bytes, printed in hex.
      if (out.startsWith('getrandom(')) out = out.replace(/"(\\x[0-9a-f]{2})+"/, '"RANDOM"');
      return out;
    });
}

function straceLog(program: string, args: string[]): string {
  const log = path.join(scratch, `${path.basename(program)}.strace`);
  // emtrace reports Linux's default stack limit (8 MiB soft, unlimited hard); give the native
  // run the same soft limit.
  const r = native('sh', ['-c', 'ulimit -S -s 8192 && exec strace -o "$0" "$@"', log, program, ...args], { env });
  expect(r.status).toBe(0);
  return fs.readFileSync(log, 'utf8');
}

function emtraceLog(program: string, args: string[]): string {
  const log = path.join(scratch, `${path.basename(program)}.emtrace`);
  const r = emtrace(['-o', log, program, ...args], { env });
  expect(r.status).toBe(0);
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
});
