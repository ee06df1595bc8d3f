// Bad input gets one line `emtrace: ...` on stderr and a non-zero exit, never a stack trace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emtrace, guest } from '../support/run.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-errors-'));

function expectOneLineError(args: string[], pattern: RegExp): void {
  const r = emtrace(args);
  expect(r.status).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^emtrace: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no JavaScript stack
}

describe('bad input', () => {
  it('a missing file', () => {
    expectOneLineError(['/no/such/file'], /^emtrace: \/no\/such\/file: No such file or directory$/);
  });

  it('a text file', () => {
    const text = path.join(scratch, 'notes.txt');
    fs.writeFileSync(text, 'just some text\n');
    expectOneLineError([text], /notes\.txt: not an ELF file$/);
  });

  it('a 32-bit ELF executable', () => {
    expectOneLineError([guest('hello-i386')], /hello-i386: 32-bit ELF file: only x86-64 \(ELF64\) executables are supported$/);
  });

  it('a truncated ELF executable', () => {
    const whole = fs.readFileSync(guest('hello-musl'));
    const cut = path.join(scratch, 'truncated');
    fs.writeFileSync(cut, whole.subarray(0, 2000), { mode: 0o755 });
    expectOneLineError([cut], /truncated: truncated ELF file \(segment \d+ extends past the end of the file\)$/);
  });

  it('an ELF header cut short', () => {
    const cut = path.join(scratch, 'header-only');
    fs.writeFileSync(cut, fs.readFileSync(guest('hello-musl')).subarray(0, 40));
    expectOneLineError([cut], /truncated ELF file \(header cut short\)$/);
  });

  it('a directory', () => {
    expectOneLineError([scratch], /is a directory$/);
  });

  it('an unknown option', () => {
    expectOneLineError(['--no-such-option', guest('hello-asm')], /unknown option '--no-such-option'/);
  });

  it('a missing program', () => {
    expectOneLineError([], /missing required argument 'prog'/);
  });

  it('an invalid -s value', () => {
    expectOneLineError(['-s', 'many', guest('hello-asm')], /-s must be an integer >= 0/);
  });
});
