// --ltrace prints what the real `ltrace -S` (0.7.3, installed by .ci/run) prints for the same
// calls. ltrace cannot trace a static binary ("Couldn't find .dynsym or .dynstr"), so the guest
// test/guests/src/ltrace-calls.c is built twice here: dynamically for ltrace, statically for
// emtrace. Lines are compared from the guest's first write on (before it, the dynamic loader makes
// its own calls), with addresses and the pid masked; the `=` column is checked on the unmasked
// lines: each call is padded so `= ` starts at column 50, or follows it after one space.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emtrace, have, native, ROOT } from '../support/run.js';
import { freshDir } from '../support/strace.js';

const scratch = freshDir('emtrace-ltrace-');
const SOURCE = path.join(ROOT, 'test/guests/src/ltrace-calls.c');
const DYNAMIC = path.join(scratch, 'ltrace-calls-dynamic');
const STATIC = path.join(scratch, 'ltrace-calls-static');
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };
/** Inherited descriptors would shift the guest's fd numbers: close them (as support/strace.ts). */
const CLEAN_FDS = 'for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; ';

beforeAll(() => {
  for (const [out, flags] of [[DYNAMIC, []], [STATIC, ['-static']]] as const) {
    const r = native('gcc', ['-O0', ...flags, '-o', out, SOURCE]);
    expect(r.stderr).toBe('');
  }
});

/** The lines of `ltrace -S -L` (syscalls only) from the guest's first write on. */
function ltraceLines(args: string[]): string[] {
  const log = path.join(scratch, `ltrace-${args.join('-')}.log`);
  native('bash', ['-c', CLEAN_FDS + 'exec ltrace -S -L -o "$@"', 'bash', log, DYNAMIC, ...args], { cwd: scratch, env });
  return fromStart(fs.readFileSync(log, 'utf8'));
}

function emtraceLines(args: string[]): string[] {
  const log = path.join(scratch, `emtrace-${args.join('-')}.log`);
  native('bash', ['-c', CLEAN_FDS + `exec "${process.execPath}" "${path.join(ROOT, 'bin/emtrace.js')}" --ltrace -o "$@"`, 'bash', log, STATIC, ...args], { cwd: scratch, env });
  return fromStart(fs.readFileSync(log, 'utf8'));
}

function fromStart(log: string): string[] {
  const lines = log.trimEnd().split('\n');
  const start = lines.findIndex((line) => line.startsWith('SYS_write(1, "start\\n", 6)'));
  expect(start).toBeGreaterThanOrEqual(0);
  return lines.slice(start);
}

/** `=` at column 50: the call, padded with spaces to 49 characters, then `= RESULT`. */
function checkColumn(line: string): void {
  const m = /^(SYS_\w+\(.*\)) +(= .*)$/.exec(line);
  if (!m) return; // a signal, exit or unfinished line
  expect(line.indexOf(m[2], m[1].length)).toBe(Math.max(49, m[1].length + 1));
}

/** Addresses and the pid masked; the padding compared as one space (masking changes lengths). */
function masked(lines: string[]): string[] {
  const pid = /^SYS_getpid\(\) += (\d+)$/m.exec(lines.join('\n'))?.[1];
  return lines.map((line) => {
    let out = line.replace(/0x[0-9a-f]{6,}/g, 'ADDR').replace(/\) +=( |$)/, ') =$1');
    if (pid) out = out.replace(new RegExp(`\\b${pid}\\b`, 'g'), 'PID');
    return out;
  });
}

describe('--ltrace against ltrace -S', () => {
  it('ltrace and gcc are installed (CI installs them: .ci/run)', () => {
    expect(have('ltrace')).toBe(true);
    expect(have('gcc')).toBe(true);
  });

  it.each([
    ['exit', [], '+++ exited (status 3) +++'],
    ['SIGSEGV', ['segv'], '+++ killed by SIGSEGV +++'],
    ['SIGTERM', ['kill'], '+++ killed by SIGTERM +++'],
  ])('same lines, same `=` column, same end (%s)', (_label, args, end) => {
    const expected = ltraceLines(args);
    const actual = emtraceLines(args);
    for (const line of [...expected, ...actual]) checkColumn(line);
    expect(expected.at(-1)).toBe(end);
    expect(masked(actual)).toEqual(masked(expected));
  });

  it('covers the layouts that matter (so the comparison above means something)', () => {
    const lines = emtraceLines([]);
    expect(lines).toContain('SYS_write(1, "a\\tb\\001"\\\\ \\377 long string long string"..., 46) = 46');
    expect(lines).toContain('SYS_write(1, "0123456789abcdefghijklmnopqrstu\\n"..., 32) = 32');
    expect(lines).toContain('SYS_umask(022)                                   = 022');
    expect(lines).toContain('SYS_readv(-1, 0, 0)                              = 18446744073709551607');
    expect(lines).toContain('SYS_dup3(1, 0x186a0, 0, 0)                       = -9');
    expect(lines).toContain('SYS_read(3, "pipe data", 64)                     = 14');
    expect(lines.slice(-2)).toEqual(['SYS_exit_group(3 <no return ...>', '+++ exited (status 3) +++']);
    expect(emtraceLines(['segv']).slice(-2)).toEqual(['--- SIGSEGV (Segmentation fault) ---', '+++ killed by SIGSEGV +++']);
  });

  it('emtrace exits with the guest\'s status, and -e and -s apply to ltrace lines', () => {
    const r = emtrace(['--ltrace', '-e', 'trace=write', '-s', '3', STATIC], { cwd: scratch, env });
    expect(r.status).toBe(3);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('SYS_write(1, "sta"..., 6)                        = 6');
    expect(lines.every((line) => line.startsWith('SYS_write(') || line === '+++ exited (status 3) +++')).toBe(true);
  });
});
