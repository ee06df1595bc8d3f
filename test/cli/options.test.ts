// emtrace's own options and its determinism: the same program gives the same trace and the same
// instruction count on every run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emtrace, guest } from '../support/run.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-options-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

describe('options', () => {
  it('--stats reports instructions, time and MIPS on stderr', () => {
    const r = emtrace(['--stats', '-o', '/dev/null', guest('hello-asm')]);
    expect(r.status).toBe(0);
    // hello-asm executes exactly 8 instructions: 4 movs/lea and a syscall, then 2 and a syscall.
    expect(r.stderr).toMatch(/^emtrace: 8 instructions in \d+\.\d{3} s: \d+(\.\d)? MIPS\n$/);
  });

  it('-o writes the trace to a file and leaves stderr to the guest', () => {
    const log = path.join(scratch, 'hello.trace');
    const r = emtrace(['-o', log, guest('hello-asm')]);
    expect(r.stderr).toBe('');
    expect(fs.readFileSync(log, 'utf8')).toContain('write(1, "hello world\\n", 12)');
  });

  it('options after PROG belong to the guest', () => {
    const r = emtrace(['-o', '/dev/null', guest('args-musl'), '-s', '5', '--stats'], { env });
    expect(r.stdout).toContain('argv[1]=-s\nargv[2]=5\nargv[3]=--stats\n');
    expect(r.stderr).toBe('');
  });

  it('an unknown syscall name in -e is an error, as in strace', () => {
    const r = emtrace(['-e', 'trace=nosuchcall', guest('hello-asm')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^emtrace: invalid system call 'nosuchcall'\n$/);
  });
});

describe('determinism', () => {
  it.each(['hello-glibc', 'memory-glibc', 'args-musl'])('%s: two runs give byte-identical traces and instruction counts', (name) => {
    const runs = [1, 2].map((k) => {
      const log = path.join(scratch, `${name}.${k}`);
      const r = emtrace(['--stats', '-o', log, guest(name)], { env });
      expect(r.status).toBe(0);
      return { trace: fs.readFileSync(log, 'utf8'), instructions: /(\d+) instructions/.exec(r.stderr)?.[1] };
    });
    expect(runs[0].instructions).toBeDefined();
    expect(runs[1]).toEqual(runs[0]);
  });

  it('--seed changes the guest\'s random bytes and nothing else', () => {
    const trace = (seed: string) => {
      const log = path.join(scratch, `seed-${seed}`);
      emtrace(['--seed', seed, '-e', 'trace=getrandom', '-o', log, guest('hello-glibc')], { env });
      return fs.readFileSync(log, 'utf8');
    };
    expect(trace('1')).toBe(trace('1'));
    expect(trace('1')).not.toBe(trace('2'));
  });
});
