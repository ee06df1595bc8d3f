// The memory, vDSO, vsyscall and i386 guests (test/guests/src/mm.c, mm-fault.c, vdso.c,
// int80.S, vsyscall.S) natively, under the real strace and under emtrace: the same output, the
// same exit status, the same syscall lines (addresses, pids and random bytes masked), and traces
// that replay.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readExecutable } from '../../src/emulator/machine.js';
import { trace } from '../../src/run.js';
import { LineWriter } from '../../src/trace/line-writer.js';
import { emtrace, guest, have, native } from '../support/run.js';
import { emtraceRun, freshDir, normalize, STRACE_ENV, straceRun } from '../support/strace.js';

const scratch = freshDir('emtrace-kernelguests-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const LIBCS = ['musl', 'glibc'];
let runs = 0;

function workDir(): string {
  const dir = path.join(scratch, `work${runs++}`);
  fs.mkdirSync(dir);
  return dir;
}

function log(name: string): string {
  return path.join(scratch, `${name}.${runs++}.log`);
}

describe('strace is there to compare with', () => {
  it('is installed', () => expect(have('strace')).toBe(true));
});

describe('memory mappings (mm.c)', () => {
  it.each(LIBCS)('mm-%s prints what it prints natively', (libc) => {
    const expected = native(guest(`mm-${libc}`), [workDir()], { env: STRACE_ENV });
    const actual = emtrace(['-o', '/dev/null', guest(`mm-${libc}`), workDir()], { env: STRACE_ENV });
    expect(expected.stdout).toContain('0 failures');
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.status).toBe(0);
  });

  it.each(LIBCS)('mm-%s makes the calls strace shows', (libc) => {
    const dir = workDir();
    const expected = straceRun(guest(`mm-${libc}`), [dir], log('mm-strace'));
    const actual = emtraceRun(guest(`mm-${libc}`), [dir], log('mm-emtrace'));
    expect(actual.status).toBe(expected.status);
    const lines = (text: string) => normalize(text).map((l) => l.split(dir).join('DIR'));
    expect(lines(actual.log)).toEqual(lines(expected.log));
    expect(actual.log).toMatch(/^mremap\(0x[0-9a-f]+, 20480, 45056, 0\) = -1 ENOMEM/m);
    expect(actual.log).toMatch(/^mincore\(0x[0-9a-f]+, 16384, \[1, 0, 1, 0\]\) = 0$/m);
  });

  it.each(LIBCS)('mm-%s records and replays (file mappings from the trace)', (libc) => {
    const trace = path.join(scratch, `mm-${libc}.jsonl`);
    const dir = workDir();
    const recorded = emtrace(['record', '-o', trace, guest(`mm-${libc}`), dir], { env: STRACE_ENV });
    expect(recorded.status).toBe(0);
    const replayed = emtrace(['replay', '-q', trace], { env: STRACE_ENV });
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
    expect(replayed.status).toBe(0);
  });

  it('--max-memory makes mmap, brk and mremap fail with ENOMEM, as RLIMIT_AS does natively', () => {
    for (const libc of LIBCS) {
      const actual = emtrace(['--max-memory', '64m', '-o', '/dev/null', guest(`mm-${libc}`), workDir(), 'max-memory'], { env: STRACE_ENV });
      expect(actual.stdout).toBe('mmap failed after 63 MiB: ENOMEM\nbrk past the limit: refused\nmremap past the limit: ENOMEM\n');
      expect(actual.status).toBe(0);
    }
    const limited = native('bash', ['-c', 'ulimit -v 65536 && exec "$@"', 'bash', guest('mm-glibc'), workDir(), 'max-memory']);
    expect(limited.stdout).toBe('mmap failed after 63 MiB: ENOMEM\nbrk past the limit: refused\nmremap past the limit: ENOMEM\n');
    const bad = emtrace(['--max-memory', 'lots', guest('mm-musl')]);
    expect(bad.stderr).toMatch(/^emtrace: .*--max-memory must be a number of bytes/);
    expect(bad.status).toBe(2);
  });
});

describe('protection faults (mm-fault.c)', () => {
  it.each(LIBCS.flatMap((libc) => ['write-ro', 'exec-nx', 'guard'].map((mode) => [libc, mode])))('mm-fault-%s %s: SIGSEGV as strace shows it, exit 139', (libc, mode) => {
    const expected = straceRun(guest(`mm-fault-${libc}`), [mode], log('fault-strace'));
    const actual = emtraceRun(guest(`mm-fault-${libc}`), [mode], log('fault-emtrace'));
    expect(expected.status).toBe(139);
    expect(actual.status).toBe(139);
    expect(actual.stdout).toBe(expected.stdout);
    const code = mode === 'guard' ? 'SEGV_MAPERR' : 'SEGV_ACCERR';
    expect(actual.log).toMatch(new RegExp(`^--- SIGSEGV \\{si_signo=SIGSEGV, si_code=${code}, si_addr=0x[0-9a-f]+\\} ---$`, 'm'));
    expect(normalize(actual.log)).toEqual(normalize(expected.log));
  });
});

describe('the vDSO (vdso.c)', () => {
  it.each(LIBCS)('vdso-%s prints what it prints natively', (libc) => {
    const expected = native(guest(`vdso-${libc}`), [], { env: STRACE_ENV });
    const actual = emtrace(['-o', '/dev/null', guest(`vdso-${libc}`)], { env: STRACE_ENV });
    expect(actual.stderr).toBe('');
    expect(actual.stdout).toBe(expected.stdout);
  });

  it.each(LIBCS)('vdso-%s: the trace shows the vDSO calls, with the values the program got', (libc) => {
    const out = log('vdso');
    const r = emtrace(['-o', out, guest(`vdso-${libc}`), 'values'], { env: STRACE_ENV });
    const trace = fs.readFileSync(out, 'utf8');
    const vdso = trace.split('\n').filter((l) => l.endsWith(' <vdso>'));
    expect(vdso.length).toBeGreaterThanOrEqual(4);
    // The first clock_gettime through the vDSO, then the same clock through the syscall.
    const [, sec, nsec] = /^clock_gettime\(CLOCK_MONOTONIC, \{tv_sec=(\d+), tv_nsec=(\d+)\}\) += 0 <vdso>$/m.exec(trace)!;
    const [, sec2, nsec2] = /^clock_gettime\(CLOCK_MONOTONIC, \{tv_sec=(\d+), tv_nsec=(\d+)\}\) += 0$/m.exec(trace)!;
    expect(r.stdout).toContain(`monotonic ${sec}.${nsec.padStart(9, '0')} then ${sec2}.${nsec2.padStart(9, '0')}\n`);
    // An invalid clock is the syscall the vDSO falls back to, as on Linux.
    expect(trace).toMatch(/^clock_gettime\(0x3039 \/\* CLOCK_\?\?\? \*\/, 0x[0-9a-f]+\) = -1 EINVAL \(Invalid argument\)$/m);
    expect(trace).toMatch(libc === 'glibc' ? /^gettimeofday\(\{tv_sec=\d+, tv_usec=\d+\}, NULL\) += 0 <vdso>$/m : /^getcpu\(\[0\], NULL, NULL\) += 0 <vdso>$/m);
  });

  it.each(LIBCS)('vdso-%s with --no-vdso: the lines the real strace shows', (libc) => {
    const expected = straceRun(guest(`vdso-${libc}`), [], log('vdso-strace'));
    const actual = emtraceRun(guest(`vdso-${libc}`), [], log('vdso-emtrace'), ['--no-vdso']);
    expect(actual.log).not.toContain('<vdso>');
    // The clock's readings differ (the virtual clock starts at 100 s); their shape does not.
    const lines = (text: string) => normalize(text).map((l) => l.replace(/tv_sec=\d+, tv_nsec=\d+/g, 'tv_sec=S, tv_nsec=N'));
    expect(lines(actual.log)).toEqual(lines(expected.log));
  });

  it.each(LIBCS)('vdso-%s: a vDSO call reads the clock the syscall reads (100 s + 1 ns an instruction)', (libc) => {
    const trace = path.join(scratch, `vdso-clock-${libc}.jsonl`);
    expect(emtrace(['record', '-o', trace, guest(`vdso-${libc}`)], { env: STRACE_ENV }).status).toBe(0);
    const events = fs.readFileSync(trace, 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l));
    const monotonic = events.filter((e) => e.name === 'clock_gettime' && e.args[0] === '0x1');
    expect(monotonic.map((e) => e.via ?? 'syscall').sort()).toEqual(['syscall', 'vdso']);
    for (const e of monotonic) {
      const out = Buffer.from(e.out[0].data, 'base64');
      const ns = out.readBigInt64LE(0) * 1_000_000_000n + out.readBigInt64LE(8);
      expect(ns).toBe(100_000_000_000n + BigInt(e.icount) + 1n);
    }
  });

  it.each(LIBCS)('vdso-%s without a vDSO (RunOptions.vdso false): the same answers, as syscalls', (libc) => {
    const outFile = path.join(scratch, `vdso-off-${libc}.out`);
    const traceFile = path.join(scratch, `vdso-off-${libc}.txt`);
    const fd = fs.openSync(outFile, 'w');
    const writer = LineWriter.file(traceFile);
    try {
      const result = trace(readExecutable(guest(`vdso-${libc}`)), { argv: ['vdso'], env: [], stdio: [0, fd, 2], vdso: false, output: writer });
      expect(result.status).toEqual({ kind: 'exited', code: 0 });
    } finally {
      writer.close();
      fs.closeSync(fd);
    }
    const expected = native(guest(`vdso-${libc}`), [], { env: STRACE_ENV }).stdout;
    expect(fs.readFileSync(outFile, 'utf8')).toBe(expected.replace('vdso present', 'vdso absent'));
    const lines = fs.readFileSync(traceFile, 'utf8');
    expect(lines).not.toContain('<vdso>');
    expect(lines).toMatch(/^clock_gettime\(CLOCK_MONOTONIC, \{tv_sec=100, tv_nsec=\d+\}\) += 0$/m);
  });

  it.each(LIBCS)('vdso-%s: recorded with "via":"vdso", replayed', (libc) => {
    const trace = path.join(scratch, `vdso-${libc}.jsonl`);
    expect(emtrace(['record', '-o', trace, guest(`vdso-${libc}`), 'values'], { env: STRACE_ENV }).status).toBe(0);
    expect(fs.readFileSync(trace, 'utf8')).toMatch(/"name":"clock_gettime","via":"vdso"/);
    const replayed = emtrace(['replay', trace], { env: STRACE_ENV });
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
    expect(replayed.status).toBe(0);
    const dumped = emtrace(['dump', '--no-vdso', trace]);
    expect(dumped.stdout).not.toContain('<vdso>');
  });
});

describe('int $0x80 from 64-bit code (int80.S)', () => {
  it('prints and exits as natively', () => {
    const expected = native(guest('int80'), []);
    const actual = emtrace(['-o', '/dev/null', guest('int80')]);
    expect(expected.status).toBe(0);
    expect(actual.status).toBe(0);
    expect(actual.stdout).toBe(expected.stdout);
  });

  it('is traced with i386 names and the personality lines, as strace prints them on stderr', () => {
    const expected = native('strace', [guest('int80')], { env: STRACE_ENV });
    const actual = emtrace([guest('int80')], { env: STRACE_ENV });
    const lines = (text: string) => normalize(text).map((l) => l.replace(/PID=\d+/, 'PID=N'));
    expect(lines(actual.stderr)).toEqual(lines(expected.stderr));
    expect(actual.stderr).toContain('[ Process PID=1000 runs in 32 bit mode. ]\nwrite(1, "hello from int 0x80\\n", 20)   = 20\n');
    expect(actual.stderr).toContain('[ Process PID=1000 runs in 64 bit mode. ]\ngetpid()');
  });

  it('with -o the personality lines are left out, as strace -o does', () => {
    const expected = straceRun(guest('int80'), [], log('int80-strace'));
    const actual = emtraceRun(guest('int80'), [], log('int80-emtrace'));
    expect(actual.log).not.toContain('[ Process');
    expect(normalize(actual.log)).toEqual(normalize(expected.log));
  });

  it('is recorded with "abi":"i386" and replays; dump shows the personality lines', () => {
    const trace = path.join(scratch, 'int80.jsonl');
    expect(emtrace(['record', '-o', trace, guest('int80')]).status).toBe(0);
    const text = fs.readFileSync(trace, 'utf8');
    expect(text).toMatch(/"nr":4,"name":"write","abi":"i386"/);
    expect(text).toMatch(/"nr":1,"name":"exit","abi":"i386"/);
    const replayed = emtrace(['replay', '-q', trace]);
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run/);
    expect(replayed.status).toBe(0);
    const dumped = emtrace(['dump', trace]).stdout.split('\n');
    expect(dumped[0]).toBe('[ Process PID=1000 runs in 32 bit mode. ]');
    expect(emtrace(['dump', '-e', 'trace=write@32', trace]).stdout).toMatch(/^write\(-1,/m);
    expect(emtrace(['dump', '-e', 'trace=getpid@64', trace]).stdout.match(/^getpid/gm)).toHaveLength(1);
  });
});

describe('the vsyscall page (vsyscall.S)', () => {
  it('runs as natively (vsyscall=xonly emulation)', () => {
    const expected = native(guest('vsyscall'), []);
    const actual = emtrace(['-o', '/dev/null', guest('vsyscall')]);
    expect(expected.status).toBe(0);
    expect(actual.status).toBe(0);
    expect(actual.stdout).toBe('vsyscall ok\n');
  });

  it('shows the calls marked <vsyscall>; --no-vdso gives strace\'s lines', () => {
    const actual = emtraceRun(guest('vsyscall'), [], log('vsyscall'));
    expect(actual.log).toMatch(/^gettimeofday\(\{tv_sec=1893456000, tv_usec=0\}, NULL\) = 0 <vsyscall>$/m);
    // strace's time(): the date after the result and the stored value (TZ=UTC).
    expect(actual.log).toMatch(/^time\(NULL\) += 1893456000 \(2030-01-01T00:00:00\+0000\) <vsyscall>$/m);
    expect(actual.log).toMatch(/^time\(\[1893456000 \/\* 2030-01-01T00:00:00\+0000 \*\/\]\) += 1893456000 \(2030-01-01T00:00:00\+0000\) <vsyscall>$/m);
    expect(actual.log).toMatch(/^getcpu\(\[0\], NULL, NULL\) += 0 <vsyscall>$/m);
    const expected = straceRun(guest('vsyscall'), [], log('vsyscall-strace'));
    const hidden = emtraceRun(guest('vsyscall'), [], log('vsyscall-hidden'), ['--no-vdso']);
    expect(normalize(hidden.log)).toEqual(normalize(expected.log));
  });
});

describe('--list-syscalls', () => {
  it('prints every x86-64 and i386 syscall with its support level', () => {
    const r = emtrace(['--list-syscalls']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^x86_64 +9 +mmap +partial +no huge pages/m);
    expect(r.stdout).toMatch(/^x86_64 +1 +write +full$/m);
    expect(r.stdout).toMatch(/^x86_64 +56 +clone +(ENOSYS|full|partial)/m);
    expect(r.stdout).toMatch(/^i386 +4 +write +full$/m);
    expect(r.stdout).toMatch(/^i386 +192 +mmap2 +partial/m);
    expect(r.stdout).toMatch(/^x86_64: \d+ full, \d+ partial, \d+ ENOSYS$/m);
  });
});
