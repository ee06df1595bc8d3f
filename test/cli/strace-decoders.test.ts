// Issue 6's first acceptance item: a guest that makes over 100 different syscalls on their success
// and error paths (test/guests/src/syscalls.c), under the real strace and under emtrace, prints
// the same lines, after masking what legitimately differs between two runs: addresses, pids, the
// clocks' readings, random bytes, the work directory and inode numbers.
// Every line must be the same: emtrace's kernel answers each call as Linux does.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guest, have } from '../support/run.js';
import { emtraceRun, freshDir, normalizeFiles, straceRun } from '../support/strace.js';

const scratch = freshDir('emtrace-decoders-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Calls whose results (or written structs) are clock readings: every number masked. */
const CLOCK_READS = /^(clock_gettime|gettimeofday|time|times|getrusage|timer_gettime)\(/;
/** Calls whose arguments name the process itself. */
const PID_ARGS = /^(kill|tkill|tgkill)\(/;

/** The log's lines, normalized; strace's own first line (the traced program's execve) dropped. */
function lines(log: string, dir: string): string[] {
  const raw = log.split('\n');
  if (raw[0].startsWith('execve(')) raw.shift();
  // normalize() drops every execve line (the first one, in other tests); the guest's own are
  // kept by hiding them from it.
  const text = raw.map((l) => l.replace(/^execve\(/, 'Xexecve(')).join('\n');
  const pid = /^getpid\(\) += (\d+)$/m.exec(log)?.[1];
  return normalizeFiles(text, [dir]).map((l) => {
    let out = l.replace(/^Xexecve\(/, 'execve(');
    if (CLOCK_READS.test(out)) out = out.replace(/\d{4}-\d\d-\d\dT[\d:.]+[+-]\d{4}/g, 'DATE').replace(/\d+/g, 'N');
    if (pid !== undefined && PID_ARGS.test(out)) out = out.replace(new RegExp('\\b' + pid + '\\b', 'g'), 'PID');
    return out;
  });
}

describe('every decoder against the real strace', () => {
  it('strace is installed', () => expect(have('strace')).toBe(true));

  it.each(['glibc', 'musl'])('syscalls-%s: the same lines as strace', (libc) => {
    const program = guest(`syscalls-${libc}`);
    // Directories of the same length: getcwd returns the length.
    const nativeDir = fs.mkdtempSync(path.join(scratch, 'native-'));
    const ourDir = fs.mkdtempSync(path.join(scratch, 'ours---'));
    const expected = straceRun(program, [nativeDir], path.join(scratch, `${libc}.strace`));
    const actual = emtraceRun(program, [ourDir], path.join(scratch, `${libc}.emtrace`));
    expect(expected.stdout).toBe('done\n');
    expect(actual.stdout).toBe('done\n');
    expect(actual.status).toBe(expected.status);

    const want = lines(expected.log, nativeDir);
    const got = lines(actual.log, ourDir);
    const names = new Set(want.map((l) => /^(\w+)\(/.exec(l)?.[1]).filter((n) => n !== undefined));
    expect(names.size).toBeGreaterThanOrEqual(100);
    expect(got.length).toBe(want.length);

    let identical = 0;
    const mismatches: string[] = [];
    want.forEach((w, k) => {
      if (got[k] === w) identical++;
      else mismatches.push('strace:  ' + w + '\nemtrace: ' + got[k]);
    });
    console.log(`syscalls-${libc}: ${names.size} syscalls, ${want.length} lines: ${identical} identical`);
    expect(mismatches).toEqual([]);
  });
});
