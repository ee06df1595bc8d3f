// seccomp filters as Linux applies them: a program that allows only read, write and exit and then
// calls getpid is killed by SIGSYS; RET_TRAP delivers SIGSYS with si_syscall; RET_ERRNO fails the
// call; strict mode kills with SIGKILL. Each against the real strace of the same binary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-seccomp-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

/** The lines after the filter's installation, addresses masked. */
function tail(log: string): string[] {
  const lines = log.split('\n').filter(Boolean);
  const from = lines.findIndex((l) => l.startsWith('seccomp('));
  return lines.slice(from + 1).map((l) => l.replace(/0x[0-9a-f]+/g, 'ADDR').replace(/\) +=( |$)/, ') =$1'));
}

describe.each(['musl', 'glibc'])('seccomp (%s)', (libc) => {
  it.each([
    ['kill', 128 + 31],
    ['trap', 128 + 31],
    ['errno', 0],
    ['strict', 128 + 9],
  ])('%s: the same end as under Linux', (mode, status) => {
    const program = guest(`seccomp-${libc}`);
    const nativeLog = path.join(scratch, `${libc}-${mode}.strace`);
    const n = native('sh', ['-c', 'ulimit -c 0 && exec strace -o "$0" "$@"', nativeLog, program, mode], { env });
    const ours = path.join(scratch, `${libc}-${mode}.emtrace`);
    const e = emtrace(['-o', ours, program, mode], { env });
    expect(e.status).toBe(status);
    expect(e.stdout).toBe(n.stdout);
    expect(tail(fs.readFileSync(ours, 'utf8'))).toEqual(tail(fs.readFileSync(nativeLog, 'utf8')));
  });

  it('a recorded run with a filter replays', () => {
    const file = path.join(scratch, `${libc}.jsonl`);
    emtrace(['record', '-o', file, guest(`seccomp-${libc}`), 'trap'], { env });
    const r = emtrace(['replay', '-q', file]);
    expect(r.stderr).toMatch(/replay reproduced the run/);
    expect(r.status).toBe(0);
  });
});
