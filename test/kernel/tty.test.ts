// Terminal requests on a real terminal: script(1) gives the runs a pseudo-terminal, and a guest
// (test/guests/src/tty.c) reads and sets its termios, window size and process group, natively
// and under emtrace. Both must print the same and make the same ioctls (the process group
// masked). Without script(1) the tests have nothing to run on and are skipped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMTRACE, guest, have, native } from '../support/run.js';
import { normalize } from '../support/strace.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-tty-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Runs a shell command on a fresh pseudo-terminal of 33 rows and 101 columns. */
function onTerminal(command: string): void {
  const r = native('script', ['-qec', `stty rows 33 cols 101; ${command}`, '/dev/null'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', TZ: 'UTC' } });
  expect(r.status).toBe(0);
}

const shell = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe.skipIf(!have('script') || !have('stty'))('on a terminal', () => {
  it.each(['musl', 'glibc'])('%s: termios, window size and /dev/tty as natively', (libc) => {
    const prog = guest(`tty-${libc}`);
    const out = (name: string) => path.join(scratch, `${libc}-${name}`);
    const strace = have('strace') ? `strace -o ${shell(out('native.strace'))} ` : '';
    onTerminal(
      `${strace}${shell(prog)} > ${shell(out('native.out'))}; ` +
        `${shell(process.execPath)} ${shell(EMTRACE)} -o ${shell(out('emtrace.strace'))} ${shell(prog)} > ${shell(out('emtrace.out'))} 2> ${shell(out('emtrace.err'))}`,
    );
    const expected = fs.readFileSync(out('native.out'), 'utf8');
    expect(expected).toContain('rows=33 cols=101');
    expect(expected).toContain('tcsetattr raw: 0');
    expect(fs.readFileSync(out('emtrace.err'), 'utf8')).toBe('');
    expect(fs.readFileSync(out('emtrace.out'), 'utf8')).toBe(expected);
    if (!strace) return;
    const lines = (file: string) => normalize(fs.readFileSync(file, 'utf8')).map((l) => l.replace(/TIOCGPGRP, \[\d+\]/, 'TIOCGPGRP, [PGRP]'));
    const want = lines(out('native.strace'));
    expect(want.some((l) => l.startsWith('ioctl(0, TCGETS, {c_iflag='))).toBe(true);
    expect(lines(out('emtrace.strace'))).toEqual(want);
  });
});

describe('off a terminal', () => {
  it('the terminal requests answer ENOTTY', () => {
    const r = native(process.execPath, [EMTRACE, '-o', '/dev/null', guest('tty-musl')], { input: '' });
    expect(r.stdout).toBe('isatty: 0 0\ntcgetattr: Not a tty\n');
  });
});
