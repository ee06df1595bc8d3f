// -f, -ff, --follow-forks and --output-separately against the real strace 6.1, for one process
// (the emulator runs one until fork is wired): the flags' rules, errors and warnings, and that
// with one process -f prints exactly what strace -f prints. The several-task output itself is
// checked in test/trace/follow-forks.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';
import { freshDir, normalize, STRACE_ENV, STRACE_SCRIPT } from '../support/strace.js';

const scratch = freshDir('emtrace-follow-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The real strace with `options` (which name their own -o), natively. */
function strace(options: string[], program = guest('hello-musl')): { stderr: string; status: number | null } {
  const r = native('bash', ['-c', STRACE_SCRIPT, 'bash', ...options, program], { env: STRACE_ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  return { stderr: r.stderr, status: r.status };
}

function ours(options: string[], program = guest('hello-musl')): { stderr: string; status: number | null } {
  const r = emtrace([...options, program], { env: STRACE_ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  return { stderr: r.stderr, status: r.status };
}

/** A log's lines without its pid column (the pids differ) and the execve emtrace never sees. */
function lines(log: string): string[] {
  const pids = log.split('\n').map((l) => /^(\d+) {1,5}/.exec(l)?.[1]);
  expect(new Set(pids.filter((p) => p !== undefined)).size).toBeLessThanOrEqual(1);
  return normalize(log.replace(/^\d+ +/gm, ''));
}

const read = (file: string): string => fs.readFileSync(file, 'utf8');

describe('-f with one process', () => {
  it('-f -o FILE: the pid column on every line, as strace -f -o (even with one process)', () => {
    const real = path.join(scratch, 'real-f');
    const mine = path.join(scratch, 'mine-f');
    strace(['-f', '-o', real]);
    ours(['-f', '-o', mine]);
    expect(read(mine)).toMatch(/^1000  exit_group\(0\) += \?\n1000  \+\+\+ exited with 0 \+\+\+\n$/m);
    expect(read(real).split('\n').every((l) => l === '' || /^\d+ {1,5}\S/.test(l))).toBe(true);
    expect(lines(read(mine))).toEqual(lines(read(real)));
  });

  it('-f on stderr: no `[pid N]` while only one task is traced', () => {
    const real = strace(['-f']);
    const mine = ours(['-f']);
    expect(real.stderr).not.toMatch(/\[pid/);
    expect(mine.stderr).toBe(ours([]).stderr);
    expect(normalize(mine.stderr)).toEqual(normalize(real.stderr));
  });

  it('--follow-forks is -f; -ff without -o is -f', () => {
    const f = path.join(scratch, 'f');
    const long = path.join(scratch, 'long');
    ours(['-f', '-o', f]);
    ours(['--follow-forks', '-o', long]);
    expect(read(long)).toBe(read(f));
    expect(ours(['-ff']).stderr).toBe(ours(['-f']).stderr);
  });
});

describe('-ff -o PREFIX: one file per task', () => {
  it('PREFIX.PID without pids, and no PREFIX file, as strace', () => {
    const realDir = freshDir('emtrace-ff-real-');
    const mineDir = freshDir('emtrace-ff-mine-');
    strace(['-ff', '-o', path.join(realDir, 'p')]);
    ours(['-ff', '-o', path.join(mineDir, 'p')]);
    const realFiles = fs.readdirSync(realDir);
    expect(realFiles).toHaveLength(1);
    expect(realFiles[0]).toMatch(/^p\.\d+$/);
    expect(fs.readdirSync(mineDir)).toEqual(['p.1000']);
    expect(normalize(read(path.join(mineDir, 'p.1000')))).toEqual(normalize(read(path.join(realDir, realFiles[0]))));
    // --follow-forks --output-separately is -ff.
    ours(['--follow-forks', '--output-separately', '-o', path.join(mineDir, 'q')]);
    expect(read(path.join(mineDir, 'q.1000'))).toBe(read(path.join(mineDir, 'p.1000')));
    fs.rmSync(realDir, { recursive: true });
    fs.rmSync(mineDir, { recursive: true });
  });

  it('--output-separately without -f: the first task to PREFIX.PID', () => {
    const dir = freshDir('emtrace-os-');
    ours(['--output-separately', '-o', path.join(dir, 'p')]);
    expect(fs.readdirSync(dir)).toEqual(['p.1000']);
    fs.rmSync(dir, { recursive: true });
  });

  it('--output-separately without -o: strace\'s warning, then as without it', () => {
    const real = strace(['--output-separately']);
    const mine = ours(['--output-separately']);
    const warning = '--output-separately has no effect without -o/--output';
    expect(real.stderr.split('\n')[0]).toBe(`strace: ${warning}`);
    expect(mine.stderr).toBe(`emtrace: ${warning}\n` + ours([]).stderr);
  });
});

describe("the flags' errors: strace's messages", () => {
  it.each([
    [['-f', '--follow-forks'], '-f and --follow-forks cannot be provided simultaneously'],
    [['-ff', '--output-separately'], '-ff and --output-separately cannot be provided simultaneously'],
    [['-ff', '-c'], '(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive'],
    [['--output-separately', '-C'], '(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive'],
  ])('%j', (options, message) => {
    const mine = ours(options);
    expect(mine.stderr).toBe(`emtrace: ${message}\n`);
    expect(mine.status).not.toBe(0);
    const real = native('strace', [...options, 'true']);
    expect(real.stderr.split('\n')[0]).toBe(`strace: ${message}`);
    expect(real.status).not.toBe(0);
  });
});

describe('dump and record with -f, -ff', () => {
  it('dump prints every task; -ff -o PREFIX splits by task; record --strace-output follows -f', () => {
    const dir = freshDir('emtrace-dump-ff-');
    const trace = path.join(dir, 't.jsonl');
    const text = path.join(dir, 'text');
    emtrace(['record', '-f', '-o', trace, '--strace-output', text, guest('hello-musl')], { env: STRACE_ENV, stdio: ['ignore', 'ignore', 'pipe'] });
    expect(read(text)).toMatch(/^1000  writev\(1, /m);
    const plain = emtrace(['dump', trace]).stdout;
    expect(plain).toMatch(/^writev\(1, /m);
    emtrace(['dump', '-ff', '-o', path.join(dir, 'd'), trace]);
    expect(read(path.join(dir, 'd.1000'))).toBe(plain);
    expect(fs.existsSync(path.join(dir, 'd'))).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});
