// The same guest twice under emtrace gives byte-identical output and trace: the clock is virtual
// (a fixed epoch, 1 ns per instruction, sleeps that move it), /dev/urandom is seeded, the inode
// numbers and times of files the guest creates are virtual, and listings are sorted. The guest
// (test/guests/src/determinism.c) prints what it sees; real strace checks the lines' format.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emtrace, guest, have, native } from '../support/run.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-determinism-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

/** A fresh empty directory at a fixed path (so the two runs' traces name the same paths). */
function freshDir(name: string): string {
  const dir = path.join(scratch, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  return dir;
}

interface Run {
  stdout: string;
  trace: string;
  /** key=value pairs of the guest's output lines. */
  values: Map<string, string>;
  /** The host's view of a file the guest created: inode and mtime. */
  host: { ino: bigint; mtimeNs: bigint };
}

function runGuest(program: string, dirName: string, options: string[] = []): Run {
  const dir = freshDir(dirName);
  const log = path.join(scratch, `${dirName}.trace`);
  const r = emtrace(['-o', log, ...options, guest(program), dir], { env });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const values = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    for (const m of line.matchAll(/(\w+)=(\S+)/g)) if (!values.has(m[1])) values.set(m[1], m[2]);
    const label = /^(\w+) ino=/.exec(line);
    if (label) values.set(`stat:${label[1]}`, line);
  }
  const s = fs.statSync(path.join(dir, 'alfa'), { bigint: true });
  return { stdout: r.stdout, trace: fs.readFileSync(log, 'utf8'), values, host: { ino: s.ino, mtimeNs: s.mtimeNs } };
}

/** `1893456000.000028268` as nanoseconds. */
function nanos(value: string | undefined): bigint {
  const m = /^(\d+)\.(\d{9})$/.exec(value ?? '');
  if (!m) throw new Error(`not a seconds.nanoseconds value: ${value}`);
  return BigInt(m[1]) * 1_000_000_000n + BigInt(m[2]);
}

const EPOCH = 1_893_456_000n * 1_000_000_000n;
const MS = 1_000_000n;

describe.each(['musl', 'glibc'])('determinism-%s', (libc) => {
  const program = `determinism-${libc}`;
  let first: Run;
  let second: Run;
  beforeAll(() => {
    first = runGuest(program, `${libc}-run`);
    second = runGuest(program, `${libc}-run`);
  });

  it('two runs print the same output and the same trace', () => {
    expect(second.stdout).toBe(first.stdout);
    expect(second.trace).toBe(first.trace);
    expect(first.trace).toMatch(/^clock_gettime\(CLOCK_REALTIME, \{tv_sec=1893456000, tv_nsec=\d+\}\) = 0$/m);
    expect(first.trace).toMatch(/^getdents64\(3, 0x[0-9a-f]+ \/\* 6 entries \*\/, \d+\) = 144$/m);
  });

  it('the clocks start at the documented epoch and uptime and advance with the instructions', () => {
    const v = first.values;
    const realtime = nanos(v.get('realtime'));
    expect(realtime).toBeGreaterThan(EPOCH);
    expect(realtime - EPOCH).toBeLessThan(10n * MS);
    const monotonic = nanos(v.get('monotonic'));
    expect(monotonic - 100_000n * MS).toBeGreaterThan(realtime - EPOCH);
    expect(monotonic - 100_000n * MS).toBeLessThan(10n * MS);
    expect(nanos(v.get('boottime'))).toBeGreaterThan(monotonic);
    expect(nanos(v.get('process_cputime'))).toBeGreaterThan(0n);
    expect(nanos(v.get('process_cputime'))).toBeLessThan(10n * MS);
    expect(nanos(v.get('realtime_coarse')) % (4n * MS)).toBe(0n);
    expect(v.get('res_monotonic')).toBe('0.000000001');
    expect(v.get('res_monotonic_coarse')).toBe('0.004000000');
    expect(v.get('bad_clock')).toBe('EINVAL');
    expect(v.get('gettimeofday')).toMatch(/^1893456000\.0\d{5}$/);
    expect(v.get('timezone')).toBe('0,0');
    expect([v.get('time'), v.get('time_ptr'), v.get('same')]).toEqual(['1893456000', '1893456000', '1']);
  });

  it('sleeps move the clock by the time slept, and no more than a little', () => {
    const v = first.values;
    const slept = BigInt(v.get('nanosleep_ns')!);
    expect(slept).toBeGreaterThanOrEqual(1500n * MS);
    expect(slept).toBeLessThan(1600n * MS);
    expect(v.get('rem')).toBe('77.77');
    const realtimeSleep = BigInt(v.get('clock_nanosleep_ns')!);
    expect(realtimeSleep).toBeGreaterThanOrEqual(100n * MS);
    expect(realtimeSleep).toBeLessThan(110n * MS);
    expect(BigInt(v.get('abstime_past_ns')!)).toBeLessThan(1n * MS);
    const late = BigInt(v.get('abstime_future_late_ns')!);
    expect(late).toBeGreaterThanOrEqual(0n);
    expect(late).toBeLessThan(1n * MS);
    expect(v.get('bad_nsec')).toBe('EINVAL');
  });

  it('CPU time comes from the instruction count', () => {
    const v = first.values;
    // The guest's loop runs some 10 to 30 million instructions: 1 to 3 ticks of 10 ms.
    expect(Number(v.get('times_utime'))).toBeGreaterThanOrEqual(1);
    expect(Number(v.get('times_utime'))).toBeLessThan(10);
    expect(v.get('times_stime')).toBe('0');
    expect(v.get('times_positive')).toBe('1');
    expect(v.get('rusage_utime')).toMatch(/^0\.0[1-9]\d{4}$/);
  });

  it('directory listings come back sorted, and seekdir and rewinddir work', () => {
    const listing = /^listing:(.*)$/m.exec(first.stdout)![1];
    const names = [...listing.matchAll(/ (\S+?)\(ino=/g)].map((m) => m[1]);
    expect(names).toEqual(['.', '..', 'alfa', 'beta', 'mid', 'zeta']);
    expect(first.stdout).toMatch(/^seekdir: beta again=1$/m);
    expect(first.stdout).toMatch(/^rewound: 6 entries \(first pass 6\)$/m);
    // d_ino is the inode number stat reports.
    const statIno = /^alfa ino=(\d+)/m.exec(first.stdout)![1];
    expect(listing).toContain(` alfa(ino=${statIno},type=8)`);
  });

  it('files created during the run have the same inode numbers and times in both runs', () => {
    // The host gave them other times (and perhaps other inodes) in the second run.
    expect(second.host.mtimeNs).not.toBe(first.host.mtimeNs);
    for (const name of ['zeta', 'alfa', 'mid', 'beta', 'dir']) {
      expect(second.values.get(`stat:${name}`)).toBe(first.values.get(`stat:${name}`));
    }
    const alfa = first.values.get('stat:alfa')!;
    const fields = Object.fromEntries([...alfa.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    expect(BigInt(fields.ino)).toBeLessThan(100n);
    expect(fields.dev).toMatch(/^0,(3[2-9]|4\d)$/);
    expect(fields.blksize).toBe('4096');
    expect(fields.blocks).toBe('8'); // 3618 bytes
    // Created after 1.8 s of sleeping.
    for (const time of ['atime', 'mtime', 'ctime']) {
      expect(nanos(fields[time]) - EPOCH).toBeGreaterThan(1800n * MS);
      expect(nanos(fields[time]) - EPOCH).toBeLessThan(1900n * MS);
    }
  });

  it('/dev/urandom is the seeded stream: the same for a seed, other for another seed', () => {
    const hex = first.values.get('urandom')!;
    expect(hex).toMatch(/^[0-9a-f]{32}$/);
    expect(second.values.get('urandom')).toBe(hex);
    const seeded = runGuest(program, `${libc}-seed`, ['--seed', '1']);
    expect(seeded.values.get('urandom')).toMatch(/^[0-9a-f]{32}$/);
    expect(seeded.values.get('urandom')).not.toBe(hex);
    expect(runGuest(program, `${libc}-seed`, ['--seed', '1']).values.get('urandom')).toBe(seeded.values.get('urandom'));
    expect(first.stdout).toMatch(/^urandom_rdev=1,9 mode=20666$/m);
    expect(first.stdout).toMatch(/^null write=5 read=0 rdev=1,3$/m);
    expect(first.stdout).toMatch(/^zero=1$/m);
  });

  it('clock and getdents64 lines have the real strace\'s format', () => {
    expect(have('strace')).toBe(true);
    const calls = ['clock_gettime', 'clock_getres', 'gettimeofday', 'nanosleep', 'clock_nanosleep', 'getdents64', 'sched_yield'];
    const filter = ['-e', `trace=${calls.join(',')}`];
    const nativeLog = path.join(scratch, `${libc}.strace`);
    const r = native('strace', ['-o', nativeLog, ...filter, guest(program), freshDir(`${libc}-native`)], { env });
    expect(r.status).toBe(0);
    const emtraceLog = path.join(scratch, `${libc}.emtrace`);
    expect(emtrace(['-o', emtraceLog, ...filter, guest(program), freshDir(`${libc}-emulated`)], { env }).status).toBe(0);
    const expected = maskTimes(fs.readFileSync(nativeLog, 'utf8'));
    const actual = maskTimes(fs.readFileSync(emtraceLog, 'utf8'));
    expect(expected.filter((line) => line.startsWith('clock_gettime(')).length).toBeGreaterThan(10);
    expect(expected.filter((line) => line.startsWith('getdents64(')).length).toBe(5);
    expect(actual).toEqual(expected);
  });
});

/** Masks the values that differ between a native and an emulated run: the numbers inside
 *  timespecs and timevals, and addresses. */
function maskTimes(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => line !== '')
    .map((line) =>
      line
        .replace(/(tv_sec|tv_nsec|tv_usec)=\d+/g, '$1=N')
        .replace(/0x[0-9a-f]+/g, '0xADDR')
        .replace(/\) +=( |$)/, ') =$1'),
    );
}
