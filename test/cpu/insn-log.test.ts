// --trace-insns writes the registers before every instruction in QEMU's `-d cpu` layout; for
// guests that run the same instructions under both, the logs agree register for register,
// except RSP (QEMU's user-mode stack lives elsewhere) and RCX/R11 (the kernel's SYSCALL path
// leaves the return address and RFLAGS there, as emtrace does; QEMU's user mode does not).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emtrace, guest, have, native } from '../support/run.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-insns-'));

/** The five register lines of each logged instruction, RSP masked, QEMU's trailing fields cut. */
function states(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => /^(RAX|RSI|R8 |R12|RIP)=/.test(line))
    .map((line) =>
      line
        .replace(/(RSP|RCX|R11)=[0-9a-f]{16}/g, '$1=*')
        .replace(/ CPL=3.*$/, ''),
    );
}

describe.skipIf(!have('qemu-x86_64'))('instruction log against qemu-x86_64 -singlestep -d cpu', () => {
  it.each([
    ['hello-asm', 0],
    ['fault-segv', 139],
  ])('%s: the same registers before every instruction', (name, status) => {
    const ours = path.join(scratch, `${name}.emtrace`);
    const theirs = path.join(scratch, `${name}.qemu`);
    const r = emtrace(['-o', '/dev/null', '--trace-insns', ours, guest(name)]);
    expect(r.status).toBe(status);
    native('qemu-x86_64', ['-cpu', 'qemu64', '-singlestep', '-d', 'cpu,nochain', '-D', theirs, guest(name)]);
    const expected = states(fs.readFileSync(theirs, 'utf8'));
    expect(expected.length).toBeGreaterThan(5 * 5);
    expect(states(fs.readFileSync(ours, 'utf8'))).toEqual(expected);
  });
});
