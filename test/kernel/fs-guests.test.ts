// The file-system guests (test/guests/src/fsops.c, fdops.c) exercise file operations on their
// success and error paths and print what every call returned: run natively and under emtrace,
// each in a fresh empty directory, they must print the same. Under the real strace, the two runs
// must also make the same calls, printed the same (addresses, pids, times, inode numbers and the
// host file system's sizes masked).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest, have, native } from '../support/run.js';
import { emtraceRun, freshDir, normalizeFiles, straceRun } from '../support/strace.js';

const scratch = freshDir('emtrace-fsguests-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const GUESTS = ['fsops', 'fdops'].flatMap((name) => ['musl', 'glibc'].map((libc) => `${name}-${libc}`));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

/** A fresh empty directory for one run. */
function workDir(label: string): string {
  const dir = path.join(scratch, `${label}-${Math.random().toString(36).slice(2, 10)}`);
  fs.mkdirSync(dir);
  return dir;
}

describe('file-system guests print the same natively and under emtrace', () => {
  it.each(GUESTS)('%s', (name) => {
    const nativeDir = workDir(`${name}-n`);
    const emuDir = workDir(`${name}-e`);
    const expected = native(guest(name), [nativeDir], { env });
    const actual = emtrace(['-o', '/dev/null', guest(name), emuDir], { env });
    expect(expected.status).toBe(0);
    expect(actual.stderr).toBe('');
    expect(actual.status).toBe(0);
    const lines = (text: string, dir: string) => text.split(dir).join('DIR').split('\n');
    // Enough lines to have run everything (the guests print a line per call).
    expect(lines(expected.stdout, nativeDir).length).toBeGreaterThan(100);
    expect(lines(actual.stdout, emuDir)).toEqual(lines(expected.stdout, nativeDir));
  });
});

describe('file-system guests make the calls the real strace shows', () => {
  it('strace is installed', () => {
    expect(have('strace')).toBe(true);
  });

  it.each(GUESTS)('%s: the same lines in the same order', (name) => {
    // Names of the same length: getcwd returns the length of the path.
    const nativeDir = workDir(`${name}-n`);
    const emuDir = workDir(`${name}-e`);
    const expected = straceRun(guest(name), [nativeDir], path.join(scratch, `${name}.strace`));
    const actual = emtraceRun(guest(name), [emuDir], path.join(scratch, `${name}.emtrace`));
    expect(expected.status).toBe(0);
    expect(actual.stderr).toBe('');
    expect(actual.status).toBe(0);
    const want = normalizeFiles(expected.log, [nativeDir]);
    const got = normalizeFiles(actual.log, [emuDir]);
    expect(want.length).toBeGreaterThan(150);
    expect(got).toEqual(want);
  });
});

describe('file-system guests are deterministic', () => {
  it.each(GUESTS)('%s: two recordings are the same bytes; the recording dumps as it traced and replays', (name) => {
    const dir = path.join(scratch, `${name}-rec`);
    const record = (output: string) => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
      const r = emtrace(['record', '-o', output, '--strace-output', output + '.txt', guest(name), dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return fs.readFileSync(output, 'utf8');
    };
    const first = record(path.join(scratch, `${name}-1.jsonl`));
    const second = record(path.join(scratch, `${name}-2.jsonl`));
    expect(second).toBe(first);
    // The recording renders as the live trace printed it.
    const dumped = emtrace(['dump', path.join(scratch, `${name}-1.jsonl`)]);
    expect(dumped.stdout).toBe(fs.readFileSync(path.join(scratch, `${name}-1.jsonl.txt`), 'utf8'));
    fs.rmSync(dir, { recursive: true, force: true });
    const replay = emtrace(['replay', '-q', path.join(scratch, `${name}-1.jsonl`)], { env });
    expect(replay.stderr).toMatch(/^emtrace: replay reproduced the run: /);
    expect(replay.status).toBe(0);
  });
});
