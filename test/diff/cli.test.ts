// `emtrace diff` as a command: usage, exit status 2 and one `emtrace: …` line for every error.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runDiff, scratchDir, TraceBuilder } from './helpers.js';

const dir = scratchDir('diff-cli');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const good = new TraceBuilder().write(1, 'hi\n').exit(0).save(path.join(dir, 'good.trace'));
const log = path.join(FIXTURES, 'fork-f.log');

async function expectError(args: string[], message: string | RegExp): Promise<void> {
  const r = await runDiff(args);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  if (typeof message === 'string') expect(lines[0]).toBe(message);
  else expect(lines[0]).toMatch(message);
}

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

describe('emtrace diff errors (exit 2)', () => {
  it('a missing file', async () => {
    await expectError([good, '/no/such/trace'], 'emtrace: /no/such/trace: No such file or directory');
    await expectError(['/no/such/trace', good], 'emtrace: /no/such/trace: No such file or directory');
  });

  it('a directory', async () => {
    await expectError([good, dir], `emtrace: ${dir}: Is a directory`);
  });

  it('a malformed trace names the file and the line', async () => {
    const text = fs.readFileSync(good, 'utf8').split('\n');
    text.splice(2, 0, '{"type":"syscall","seq":');
    const bad = file('bad.trace', text.join('\n'));
    await expectError([good, bad], `emtrace: ${bad}:3: not valid JSON`);
    const badHeader = file('bad-header.trace', '{"type":"header","format":"emtrace-trace","version":7}\n');
    await expectError([badHeader, good], new RegExp(`^emtrace: ${badHeader}:1: trace format version 7 is not supported`));
  });

  it('a truncated gzip trace', async () => {
    const whole = zlib.gzipSync(fs.readFileSync(good));
    const cut = file('cut.trace.gz', whole.subarray(0, whole.length - 12));
    await expectError([good, cut], new RegExp(`^emtrace: ${cut}:\\d+: `));
  });

  it('an unparsable strace log line names the file and the line', async () => {
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    lines.splice(3, 0, 'this is not strace output');
    const bad = file('bad.log', lines.join('\n'));
    await expectError([log, bad], `emtrace: ${bad}:4: not an strace output line: "this is not strace output"`);
  });

  it('bad options', async () => {
    await expectError(['--ignore', 'nosuchcall', good, good], "emtrace: invalid system call 'nosuchcall'");
    await expectError(['-U', 'x', good, good], /^emtrace: option '-U, --unified <n>' argument 'x' is invalid\. -U must be an integer >= 0$/);
    await expectError([good], "emtrace: missing required argument 'B'");
    await expectError(['--frobnicate', good, good], "emtrace: unknown option '--frobnicate'");
  });
});

describe('emtrace diff usage', () => {
  it('--help prints the usage and exits 0', async () => {
    const r = await runDiff(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: emtrace diff \[options\] A B\n/);
    for (const option of ['--ignore <set>', '--exact', '--json', '-U, --unified <n>', '--window <n>']) expect(r.stdout).toContain(option);
  });

  it('a trace against an strace log: both are masked the same way (ADDR)', async () => {
    const t = new TraceBuilder().call('brk', [0], 0x4ac000).write(1, 'hi\n').exit(0).save(path.join(dir, 'brk.trace'));
    const l = file('brk.log', 'execve("./prog", ["./prog"], 0x7ffd463363e8 /* 35 vars */) = 0\nbrk(NULL) = 0x1f9c3000\nwrite(1, "hi\\n", 3) = 3\nexit_group(0) = ?\n+++ exited with 0 +++\n');
    expect(await runDiff([t, l])).toEqual({ status: 0, stdout: 'traces are the same (4 events compared)\n', stderr: '' });
  });
});
