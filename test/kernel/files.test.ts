// memfd files, flock, splice/tee/vmsplice, the advisory calls, extended attributes and inotify
// (test/guests/src/filex.c): natively and under emtrace the guest prints the same, and the lines
// of those calls equal the real strace's.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';
import { emtraceRun, freshDir, normalizeFiles, STRACE_ENV, straceRun } from '../support/strace.js';

const scratch = freshDir('emtrace-files-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const LIBCS = ['musl', 'glibc'];
let runs = 0;

/** Work directories of one length (paths appear in the output). */
function workDir(): string {
  const dir = path.join(scratch, `work${String(runs++).padStart(3, '0')}`);
  fs.mkdirSync(dir);
  return dir;
}

/** The calls these families implement, as strace names them. */
const FAMILY = /^(inotify_\w+|memfd_create|memfd_secret|flock|fadvise64|readahead|sync_file_range|syncfs|splice|tee|vmsplice|[lf]?(get|set|list|remove)xattr|fcntl\(\d+, F_(ADD|GET)_SEALS)\(?/;

describe('file calls (filex.c)', () => {
  it.each(LIBCS)('filex-%s prints what it prints natively', (libc) => {
    const expected = native(guest(`filex-${libc}`), [workDir()], { env: STRACE_ENV });
    const actual = emtrace(['-o', '/dev/null', guest(`filex-${libc}`), workDir()], { env: STRACE_ENV });
    expect(expected.status).toBe(0);
    expect(expected.stdout).toContain('read back HELLO memfd');
    expect(expected.stdout).toContain('vmspliced vm splice');
    expect(expected.stdout).toContain("wd 1 mask 0x80 len 16 name 'b' (cookie matches)");
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.status).toBe(0);
  });

  it.each(LIBCS)('filex-%s: the lines of these calls equal strace', (libc) => {
    const nativeDir = workDir();
    const ourDir = workDir();
    const expected = straceRun(guest(`filex-${libc}`), [nativeDir], path.join(scratch, `${libc}.strace`));
    const actual = emtraceRun(guest(`filex-${libc}`), [ourDir], path.join(scratch, `${libc}.emtrace`));
    const pick = (log: string, dir: string) => normalizeFiles(log, [dir]).filter((l) => FAMILY.test(l));
    const want = pick(expected.log, nativeDir);
    expect(want.length).toBeGreaterThan(60);
    expect(pick(actual.log, ourDir)).toEqual(want);
  });

  it.each(LIBCS)('filex-%s records and replays (memfd mappings, inotify queues)', (libc) => {
    const trace = path.join(scratch, `filex-${libc}.jsonl`);
    const recorded = emtrace(['record', '-o', trace, guest(`filex-${libc}`), workDir()], { env: STRACE_ENV });
    expect(recorded.status).toBe(0);
    const replayed = emtrace(['replay', '-q', trace], { env: STRACE_ENV });
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
    expect(replayed.status).toBe(0);
  });

  it('--read-only refuses setting and removing attributes (EROFS), reading still works', () => {
    const dir = workDir();
    fs.writeFileSync(path.join(dir, 'attrs'), '');
    const log = path.join(scratch, 'ro.log');
    emtrace(['--read-only', '-o', log, guest('filex-musl'), dir], { env: STRACE_ENV });
    const lines = fs.readFileSync(log, 'utf8');
    expect(lines).toMatch(/^setxattr\("[^"]*attrs", "user.color", "blue", 4, XATTR_CREATE\) = -1 EROFS/m);
    expect(lines).toMatch(/^getxattr\("[^"]*attrs", "user.color", 0x[0-9a-f]+, 64\) = -1 ENODATA/m);
    expect(lines).toMatch(/^removexattr\("[^"]*attrs", "user.color"\) = -1 EROFS/m);
  });
});
