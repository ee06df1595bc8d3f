// Requests to create or wait for children that Linux refuses (test/guests/src/children.c):
// clone's flag rules, clone3's struct checks, wait4's and waitid's options give Linux's errno,
// natively and under emtrace, and strace shows the same calls.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';
import { emtraceRun, freshDir, normalize, STRACE_ENV, straceRun } from '../support/strace.js';

const scratch = freshDir('emtrace-children-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe.each(['musl', 'glibc'])('children-%s', (libc) => {
  it('gives the errno Linux gives for each refused request', () => {
    const expected = native(guest(`children-${libc}`), [], { env: STRACE_ENV });
    const actual = emtrace(['-o', '/dev/null', guest(`children-${libc}`)], { env: STRACE_ENV });
    expect(expected.stdout).toMatch(/^clone3 nonzero tail +-1 E2BIG$/m);
    expect(expected.stdout).not.toMatch(/ 0 $/m);
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.stderr).toBe('');
    expect(actual.status).toBe(0);
  });

  it('makes the calls strace shows', () => {
    const expected = straceRun(guest(`children-${libc}`), [], path.join(scratch, `${libc}.strace`));
    const actual = emtraceRun(guest(`children-${libc}`), [], path.join(scratch, `${libc}.emtrace`));
    expect(normalize(actual.log)).toEqual(normalize(expected.log));
    expect(actual.log).toMatch(/^clone3\(\{flags=CLONE_PARENT, exit_signal=SIGCHLD, stack=NULL, stack_size=0\}, 88\) += -1 EINVAL/m);
  });
});
