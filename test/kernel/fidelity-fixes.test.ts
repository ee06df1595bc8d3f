// Differences from Linux found by running strace's own test programs under emtrace: writing the
// running executable (ETXTBSY, not a truncated host binary), dup2/dup3 onto the same fd, and
// ppoll's unsigned int nfds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyscallHandler } from '../../src/emulator/kernel/context.js';
import { Errno } from '../../src/emulator/kernel/errno.js';
import type { Process } from '../../src/emulator/kernel/process.js';
import { ATTR_SYSCALLS } from '../../src/emulator/kernel/syscalls/attrs.js';
import { DESCRIPTOR_SYSCALLS } from '../../src/emulator/kernel/syscalls/descriptors.js';
import { IO_SYSCALLS } from '../../src/emulator/kernel/syscalls/io.js';
import { PATH_SYSCALLS } from '../../src/emulator/kernel/syscalls/paths.js';
import { POLL_SYSCALLS } from '../../src/emulator/kernel/syscalls/poll.js';
import { call, putString, putTimespec, SCRATCH, testProcess } from '../support/kernel.js';
import { emtrace, guest, have } from '../support/run.js';

const K: Record<string, SyscallHandler> = { ...IO_SYSCALLS, ...DESCRIPTOR_SYSCALLS, ...PATH_SYSCALLS, ...ATTR_SYSCALLS, ...POLL_SYSCALLS };
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-fidelity-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const AT_FDCWD = -100;
const O_RDONLY = 0;
const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;
const O_CLOEXEC = 0o2000000;
const STR = SCRATCH;
const STR2 = SCRATCH + 0x1000;
const BUF = SCRATCH + 0x2000;

/** A copy of a guest binary in a fresh directory (never the real one: a bug would truncate it). */
function exeCopy(name: string): string {
  const dir = fs.mkdtempSync(path.join(base, 'exe-'));
  const copy = path.join(dir, name);
  fs.copyFileSync(guest('hello-musl'), copy);
  fs.chmodSync(copy, 0o755);
  return copy;
}

describe('the running executable cannot be written (ETXTBSY)', () => {
  it('creat, open for writing, O_TRUNC and truncate fail; the file keeps its bytes', () => {
    const exe = exeCopy('prog');
    const size = fs.statSync(exe).size;
    const p = testProcess({ exePath: exe });
    putString(p, STR, exe);
    expect(call(p, K.creat, STR, 0o644)).toBe(-Errno.ETXTBSY);
    expect(call(p, K.openat, AT_FDCWD, STR, O_WRONLY)).toBe(-Errno.ETXTBSY);
    expect(call(p, K.openat, AT_FDCWD, STR, O_RDWR)).toBe(-Errno.ETXTBSY);
    expect(call(p, K.openat, AT_FDCWD, STR, O_RDONLY | O_TRUNC)).toBe(-Errno.ETXTBSY);
    expect(call(p, K.openat, AT_FDCWD, STR, O_WRONLY | O_CREAT | O_TRUNC, 0o644)).toBe(-Errno.ETXTBSY);
    expect(call(p, K.truncate, STR, 0)).toBe(-Errno.ETXTBSY);
    expect(fs.statSync(exe).size).toBe(size);
    // Reading it is fine.
    const fd = call(p, K.openat, AT_FDCWD, STR, O_RDONLY);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(call(p, K.close, fd)).toBe(0);
  });

  it('goes by file identity: a hard link and a symlink are refused, a lookalike path is not', () => {
    const exe = exeCopy('prog');
    const p = testProcess({ exePath: exe });
    const hard = path.join(path.dirname(exe), 'hard');
    const soft = path.join(path.dirname(exe), 'soft');
    fs.linkSync(exe, hard);
    fs.symlinkSync(exe, soft);
    putString(p, STR, hard);
    expect(call(p, K.openat, AT_FDCWD, STR, O_WRONLY | O_TRUNC)).toBe(-Errno.ETXTBSY);
    putString(p, STR, soft);
    expect(call(p, K.openat, AT_FDCWD, STR, O_RDWR)).toBe(-Errno.ETXTBSY);
    // Through a relative path from another cwd.
    p.cwd = path.dirname(exe);
    putString(p, STR, './prog');
    expect(call(p, K.creat, STR, 0o644)).toBe(-Errno.ETXTBSY);
    // A different file (another copy) is writable.
    const other = exeCopy('prog');
    putString(p, STR, other);
    const fd = call(p, K.openat, AT_FDCWD, STR, O_WRONLY | O_TRUNC);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(call(p, K.close, fd)).toBe(0);
    expect(fs.statSync(other).size).toBe(0);
    expect(fs.statSync(exe).size).toBeGreaterThan(0);
  });

  it('reopening a read-only fd of it through /proc/self/fd for writing fails too', () => {
    const exe = exeCopy('prog');
    const p = testProcess({ exePath: exe });
    putString(p, STR, exe);
    const fd = call(p, K.openat, AT_FDCWD, STR, O_RDONLY);
    expect(fd).toBeGreaterThanOrEqual(0);
    putString(p, STR2, `/proc/self/fd/${fd}`);
    expect(call(p, K.openat, AT_FDCWD, STR2, O_WRONLY | O_TRUNC)).toBe(-Errno.ETXTBSY);
    expect(fs.statSync(exe).size).toBeGreaterThan(0);
  });

  it.runIf(have('gcc'))('creat(argv[0]) under emtrace fails with ETXTBSY and leaves the binary alone', () => {
    const dir = fs.mkdtempSync(path.join(base, 'cc-'));
    const src = path.join(dir, 'creat-self.c');
    const exe = path.join(dir, 'creat-self');
    fs.writeFileSync(
      src,
      '#include <errno.h>\n#include <fcntl.h>\n#include <stdio.h>\n#include <string.h>\n#include <unistd.h>\n' +
        'int main(int argc, char **argv) {\n' +
        '  int fd = creat(argv[0], 0755);\n' +
        '  printf("creat=%d %s\\n", fd, fd < 0 ? strerror(errno) : "ok");\n' +
        '  fd = open(argv[0], O_RDWR);\n' +
        '  printf("open=%d %s\\n", fd, fd < 0 ? strerror(errno) : "ok");\n' +
        '  int t = truncate(argv[0], 0);\n' +
        '  printf("truncate=%d %s\\n", t, t < 0 ? strerror(errno) : "ok");\n' +
        '  return 0;\n}\n',
    );
    const cc = spawnSync('gcc', ['-static', '-O1', '-o', exe, src], { encoding: 'utf8' });
    expect(cc.status, cc.stderr).toBe(0);
    const size = fs.statSync(exe).size;
    const r = emtrace(['-o', '/dev/null', exe]);
    expect(r.stdout).toBe('creat=-1 Text file busy\nopen=-1 Text file busy\ntruncate=-1 Text file busy\n');
    expect(fs.statSync(exe).size).toBe(size);
  });
});

describe('dup2 and dup3 onto the same fd', () => {
  it('dup2(fd, fd) returns fd when open, EBADF when not; dup3(fd, fd, 0) is EINVAL', () => {
    const p = testProcess();
    putString(p, STR, '/dev/null');
    const fd = call(p, K.openat, AT_FDCWD, STR, O_RDONLY);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(call(p, K.dup2, fd, fd)).toBe(fd);
    // strace's dup2 test fills the upper halves of the registers: the kernel takes unsigned ints.
    expect(call(p, K.dup2, 0xdefaced00000000n | BigInt(fd), 0xdefaced00000000n | BigInt(fd))).toBe(fd);
    expect(call(p, K.dup2, 77, 77)).toBe(-Errno.EBADF);
    expect(call(p, K.dup2, -1, -1)).toBe(-Errno.EBADF);
    expect(call(p, K.dup3, fd, fd, 0)).toBe(-Errno.EINVAL);
    expect(call(p, K.dup3, fd, fd, O_CLOEXEC)).toBe(-Errno.EINVAL);
    expect(call(p, K.dup3, 77, 77, 0)).toBe(-Errno.EINVAL);
  });
});

describe('ppoll', () => {
  const SIGSET = SCRATCH + 0x800;
  const TS = SCRATCH + 0x900;
  const FDS = SCRATCH + 0xa00;

  function pipeFds(p: Process): [number, number] {
    expect(call(p, K.pipe2, BUF, 0)).toBe(0);
    const b = p.mem.readBytes(BUF, 8);
    const view = new DataView(b.buffer, b.byteOffset, 8);
    return [view.getInt32(0, true), view.getInt32(4, true)];
  }

  function putPollfds(p: Process, entries: [number, number][]): void {
    const b = new Uint8Array(8 * entries.length);
    const view = new DataView(b.buffer);
    entries.forEach(([fd, events], k) => {
      view.setInt32(8 * k, fd, true);
      view.setUint16(8 * k + 4, events, true);
    });
    p.mem.writeBytes(FDS, b);
  }

  it('nfds is an unsigned int: garbage in the upper half of the register is ignored (strace ppoll.c)', () => {
    const p = testProcess();
    const [r, w] = pipeFds(p);
    putPollfds(p, [
      [r, 0x1 | 0x2],
      [w, 0x4],
    ]);
    putTimespec(p, TS, 42, 999_999_999);
    p.mem.writeBytes(SIGSET, new Uint8Array(8));
    // F8ILL_KULONG_MASK | 2
    expect(call(p, K.ppoll, FDS, 0xffffffff00000002n, TS, SIGSET, 8)).toBe(1);
    expect(call(p, K.poll, FDS, 0xffffffff00000002n, 0)).toBe(1);
  });

  it('checks the sigset size only with a mask, and the timespec', () => {
    const p = testProcess();
    putTimespec(p, TS, 0, 999);
    p.mem.writeBytes(SIGSET, new Uint8Array(8));
    expect(call(p, K.ppoll, 0, 0, TS, 0, 0xdeadbeefbadc0dedn)).toBe(0);
    expect(call(p, K.ppoll, 0, 0, TS, SIGSET, 8)).toBe(0);
    expect(call(p, K.ppoll, 0, 0, TS, SIGSET, 16)).toBe(-Errno.EINVAL);
    putTimespec(p, TS, 0xdeadbeef, 0xfacefeed);
    expect(call(p, K.ppoll, 0, 0, TS, 0, 8)).toBe(-Errno.EINVAL);
    putTimespec(p, TS, -1, 0);
    expect(call(p, K.ppoll, 0, 0, TS, 0, 8)).toBe(-Errno.EINVAL);
    putTimespec(p, TS, 0, -1);
    expect(call(p, K.ppoll, 0, 0, TS, 0, 8)).toBe(-Errno.EINVAL);
    // nfds above the fd limit (after truncation to 32 bits) is EINVAL.
    expect(call(p, K.ppoll, 0, 0xdeadbeeffacefeedn, 0, 0, 0xdeadbeefbadc0dedn)).toBe(-Errno.EINVAL);
  });
});
