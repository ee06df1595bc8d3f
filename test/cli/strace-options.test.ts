// strace's options, each checked against the real strace running the same binary natively (or,
// where the two cannot print the same values, against strace's format and emtrace's own
// determinism): -e trace/status/signal/abbrev/verbose/raw/read/write/inject/fault/quiet, -o, -s,
// -x, -xx, -X, -y, -yy, -v, -a, -t, -tt, -ttt, -r, -T, -i, -n, -k, -q, -qq, -z, -Z, -P; and
// that dump and replay --strace print what tracing printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest, have, native } from '../support/run.js';
import { freshDir, normalize, normalizeFiles, STRACE_ENV, STRACE_SCRIPT } from '../support/strace.js';

const scratch = freshDir('emtrace-strace-options-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const devNull = fs.openSync('/dev/null', 'w');

interface Run {
  log: string;
  status: number | null;
  stdout: string;
  stderr: string;
}

let runs = 0;

/** The guest under the real strace, natively: Linux's default limits, only stdio open, stdout
 *  /dev/null (or a pipe to read it back) as emtrace's. */
function straceOf(name: string, args: string[], options: string[], stdout: 'null' | 'pipe' = 'null'): Run {
  const log = path.join(scratch, `${++runs}.strace`);
  const r = native('bash', ['-c', STRACE_SCRIPT, 'bash', '-o', log, ...options, guest(name), ...args], {
    env: STRACE_ENV,
    stdio: ['ignore', stdout === 'null' ? devNull : 'pipe', 'pipe'],
  });
  return { log: fs.readFileSync(log, 'utf8'), status: r.status ?? 128 + os.constants.signals[r.signal!], stdout: r.stdout ?? '', stderr: r.stderr };
}

/** The guest under emtrace, the same way. */
function emtraceOf(name: string, args: string[], options: string[], stdout: 'null' | 'pipe' = 'null'): Run {
  const log = path.join(scratch, `${++runs}.emtrace`);
  const r = emtrace(['-o', log, ...options, guest(name), ...args], { env: STRACE_ENV, stdio: ['ignore', stdout === 'null' ? devNull : 'pipe', 'pipe'] });
  return { log: fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '', status: r.status, stdout: r.stdout ?? '', stderr: r.stderr };
}

/** strace's log without the execve line emtrace does not have (it starts after the exec), and
 *  the -k frame that follows it. */
function withoutExecve(log: string): string {
  const lines = log.split('\n');
  const at = lines.findIndex((l) => l.includes('execve('));
  if (at < 0) return log;
  let end = at + 1;
  while (lines[end]?.startsWith(' > ')) end++;
  return [...lines.slice(0, at), ...lines.slice(end)].join('\n');
}

/** Masks what differs between any two runs (normalize), pipe inode numbers and the pids a
 *  process sends its own signals to. */
function comparable(log: string, dirs: string[] = []): string[] {
  return normalizeFiles(withoutExecve(log), dirs).map((l) => l.replace(/pipe:\[\d+\]/g, 'pipe:[N]').replace(/^(t?g?kill)\(\d+(, \d+)?, /, '$1(PID, '));
}

/** The guest's scratch directory for the files-* and fdops-* guests: a fresh one per run at the
 *  same path, so both runs name the same paths. */
function workDir(): string {
  const dir = path.join(scratch, 'work');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  return dir;
}

/** Runs a guest under both with the same options; returns both logs, compared the usual way. */
function both(name: string, options: string[], opts: { args?: (dir: string) => string[]; status?: number; stdout?: 'null' | 'pipe'; minLines?: number; mask?: (line: string) => string } = {}) {
  const dir = workDir();
  const args = opts.args?.(dir) ?? [];
  const real = straceOf(name, args, options, opts.stdout);
  const dir2 = workDir();
  const ours = emtraceOf(name, opts.args?.(dir2) ?? [], options, opts.stdout);
  if (opts.status !== undefined) {
    expect(real.status).toBe(opts.status);
    expect(ours.status).toBe(opts.status);
  }
  return { real, ours, dirs: [dir, dir2] };
}

function expectSame(name: string, options: string[], opts: Parameters<typeof both>[2] = {}): { real: string[]; ours: string[] } {
  const { real, ours, dirs } = both(name, options, opts);
  const mask = opts.mask ?? ((l: string) => l);
  const r = comparable(real.log, dirs).map(mask);
  const o = comparable(ours.log, dirs).map(mask);
  expect(r.length).toBeGreaterThanOrEqual(opts.minLines ?? 3);
  expect(o).toEqual(r);
  return { real: r, ours: o };
}

const files = { args: (dir: string) => [dir], status: 0 };
/** signals-glibc's timers run on the host's clock natively (what is left of them, overruns and
 *  where a virtual timer fires differ): its signal calls, whose lines do not depend on them. */
const signals = { status: 0, minLines: 20 };
const signalCalls = ['-e', 'trace=rt_sigaction,rt_sigprocmask,rt_sigsuspend,kill,tgkill,sigaltstack'];

describe('strace options against the real strace', () => {
  it('strace is installed', () => {
    expect(have('strace')).toBe(true);
  });

  describe('-e trace=', () => {
    it.each([
      ['names and a class', 'trace=%file,lseek,close'],
      ['a regex', 'trace=/^(read|write)$'],
      ['negation', 'trace=!%memory'],
      ['?name that names nothing', 'trace=?nosuchcall,write'],
    ])('%s: %s', (_label, expr) => {
      const { ours } = expectSame('files-glibc', ['-e', expr], files);
      expect(ours.some((l) => l.startsWith('brk('))).toBe(false);
      expect(ours.some((l) => l.startsWith('write('))).toBe(!expr.includes('%file'));
    });

    it('an unknown name is strace\'s error', () => {
      const r = emtrace(['-e', 'trace=nosuchcall', guest('hello-musl')]);
      expect(r.stderr).toBe("emtrace: invalid system call 'nosuchcall'\n");
      expect(r.status).not.toBe(0);
    });
  });

  describe('-e status=, -z, -Z', () => {
    it.each([['-e', 'status=failed'], ['-e', 'status=unfinished'], ['-e', 'status=!successful'], ['-e', 'status=successful,failed'], ['-z'], ['-Z']])(
      '%s %s',
      (...options) => {
        const { ours } = expectSame('hello-musl', options.filter((o) => o !== undefined), { status: 0, minLines: 2 });
        expect(ours.length).toBeLessThan(6);
      },
    );

    it('-z -Z: the last wins, with strace\'s warning', () => {
      const { real, ours } = both('hello-musl', ['-z', '-Z']);
      expect(comparable(ours.log)).toEqual(comparable(real.log));
      expect(ours.stderr).toBe(real.stderr.replace(/^strace: /, 'emtrace: '));
      expect(ours.stderr).toContain('Only the last of -z/--successful-only/-Z/--failed-only');
    });
  });

  describe('-e signal=', () => {
    it.each([['signal=none'], ['signal=SIGILL'], ['signal=segv'], ['signal=!11']])('fault-segv, %s', (expr) => {
      const { real, ours } = both('fault-segv', ['-e', expr], { status: 139 });
      expect(comparable(ours.log)).toEqual(comparable(real.log));
      expect(comparable(ours.log).length).toBeGreaterThan(0);
    });

    it('signals-glibc, signal=SIGALRM,SIGUSR1: only those --- lines', () => {
      const { ours } = expectSame('signals-glibc', [...signalCalls, '-e', 'signal=SIGALRM,SIGUSR1'], signals);
      const shown = ours.filter((l) => l.startsWith('--- '));
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((l) => /^--- SIG(ALRM|USR1) /.test(l))).toBe(true);
    });
  });

  /** Stat's numbers that differ by nature between the host and the emulated kernel: devices and
   *  inodes (renumbered), times (virtual). */
  const maskStat = (l: string): string =>
    l
      .replace(/st_dev=makedev\([^)]*\)/g, 'st_dev=DEV')
      .replace(/(st_[amc]time)=\d+ \/\* [^*]* \*\//g, '$1=TIME')
      .replace(/(st_[amc]time_nsec)=\d+/g, '$1=NSEC');

  it.each([['-v'], ['-e', 'abbrev=none'], ['-e', 'abbrev=!newfstatat']])('%s %s: structs unabbreviated (stat whole)', (...options) => {
    const { real, ours, dirs } = both('files-glibc', options.filter((o) => o !== undefined), files);
    const r = comparable(real.log, dirs).map(maskStat);
    expect(comparable(ours.log, dirs).map(maskStat)).toEqual(r);
    expect(r.some((l) => l.includes('st_nlink=1, st_uid='))).toBe(true);
  });

  it.each(['files-glibc', 'signals-glibc'])('-e verbose=none, %s: structs as addresses', (name) => {
    const { ours } = expectSame(name, ['-e', 'verbose=none', ...(name === 'files-glibc' ? [] : signalCalls)], name === 'files-glibc' ? files : signals);
    expect(ours.some((l) => /^(newfstatat\(3, "", |rt_sigaction\(SIG[A-Z0-9]+, )0xADDR/.test(l))).toBe(true);
    expect(ours.some((l) => /^(newfstatat|rt_sigaction)\([^{]*\{/.test(l))).toBe(false);
  });

  it.each([['raw=all'], ['raw=lseek,newfstatat']])('-e %s: arguments and results in hex', (expr) => {
    const { ours } = expectSame('files-glibc', ['-e', expr], files);
    expect(ours).toContain('lseek(0xADDR, 0xADDR, 0) = 0xADDR');
  });

  it('-e read=3 -e write=4: hex dumps after reads and writes', () => {
    const { ours } = expectSame('files-glibc', ['-e', 'read=3', '-e', 'write=4'], files);
    expect(ours).toContain(' | 00000  74 68 65 20 71 75 69 63  6b 20 62 72 6f 77 6e 20  the quick brown  |');
  });

  it('-e write=1: writev dumps each buffer', () => {
    const { ours } = expectSame('hello-musl', ['-e', 'write=1'], { status: 0 });
    expect(ours).toContain(' * 11 bytes in buffer 0');
    expect(ours).toContain(' | 00000  0a                                                .                |');
  });

  describe('-e inject=, -e fault=', () => {
    it('error=: the call does not run, the line says (INJECTED)', () => {
      const { real, ours } = both('hello-musl', ['-e', 'inject=writev:error=EIO'], { stdout: 'pipe', status: 0 });
      expect(comparable(ours.log)).toEqual(comparable(real.log));
      expect(comparable(ours.log)).toContain('writev(1, [{iov_base="hello world", iov_len=11}, {iov_base="\\n", iov_len=1}], 2) = -1 EIO (Input/output error) (INJECTED)');
      expect(ours.stdout).toBe('');
      expect(real.stdout).toBe('');
    });

    it('fault=: ENOSYS by default', () => {
      const { ours } = expectSame('hello-musl', ['-e', 'fault=writev'], { status: 0 });
      expect(ours.some((l) => l.endsWith('= -1 ENOSYS (Function not implemented) (INJECTED)'))).toBe(true);
    });

    it('retval= with when=2..3 on the calls it counts', () => {
      const { ours } = expectSame('files-glibc', ['-e', 'inject=lseek:retval=550:when=2..3'], { args: (dir) => [dir] });
      expect(ours.filter((l) => l.includes('(INJECTED)'))).toEqual(['lseek(3, 0, SEEK_END) = 550 (INJECTED)']);
    });

    it('when=1+2: the first and every second after', () => {
      const { ours } = expectSame('files-glibc', ['-e', 'trace=write', '-e', 'inject=write:retval=4096:when=1+2'], { args: (dir) => [dir] });
      expect(ours.filter((l) => l.includes('(INJECTED)')).length).toBeGreaterThan(1);
    });

    it('signal=: the signal arrives as the call returns', () => {
      const { ours } = expectSame('hello-glibc', ['-e', 'inject=write:signal=SIGUSR1'], { status: 138 });
      expect(ours.slice(-2)).toEqual(['--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---', '+++ killed by SIGUSR1 +++']);
    });

    it('a call -e trace= leaves out is not injected', () => {
      const { real, ours } = both('hello-musl', ['-e', 'trace=write', '-e', 'inject=writev:error=EIO'], { stdout: 'pipe', status: 0 });
      expect(ours.stdout).toBe('hello world\n');
      expect(real.stdout).toBe('hello world\n');
    });

    it('a recording keeps the injected result: replay reproduces it, dump prints it', () => {
      const trace = path.join(scratch, 'injected.jsonl');
      const rec = emtrace(['record', '-o', trace, '-e', 'inject=writev:error=EIO', guest('hello-musl')], { stdio: ['ignore', 'pipe', 'pipe'] });
      expect(rec.stdout).toBe('');
      const dumped = emtrace(['dump', trace]);
      expect(dumped.stdout).toContain('= -1 EIO (Input/output error) (INJECTED)\n');
      const replayed = emtrace(['replay', '-q', trace]);
      expect(replayed.stderr).toMatch(/replay reproduced the run/);
      expect(replayed.status).toBe(0);
    });

    it.each([['inject=write'], ['inject=write:error=FOO'], ['inject=write:when=0:error=EIO'], ['inject=write:error=12345']])('%s: strace\'s error', (expr) => {
      const r = emtrace(['-e', expr, guest('hello-musl')]);
      expect(r.stderr).toBe(`emtrace: invalid inject argument '${expr.slice('inject='.length)}'\n`);
    });
  });

  it('-o FILE: the trace in the file, nothing on stderr', () => {
    const log = path.join(scratch, 'o.txt');
    const r = emtrace(['-o', log, guest('hello-musl')], { stdio: ['ignore', devNull, 'pipe'] });
    expect(r.stderr).toBe('');
    expect(fs.readFileSync(log, 'utf8')).toMatch(/^arch_prctl\(ARCH_SET_FS, 0x405658\) += 0\n/);
  });

  it.each([['-s', '5'], ['-s', '0']])('%s %s', (...options) => {
    const { ours } = expectSame('files-glibc', options, files);
    expect(ours.some((l) => l.includes('"..., '))).toBe(true);
  });

  it.each([['-x'], ['-xx']])('%s: strings in hex', (flag) => {
    // A string with a non-ASCII byte within the printed part: all in hex with -x and -xx.
    // (-s is large because argv[0], the guest's path, comes before the byte and its length varies.)
    const { ours } = expectSame('args-glibc', [flag, '-s', '4096', '-e', 'trace=write'], { args: () => ['caf\u00e9'], status: 2, stdout: 'pipe', minLines: 2 });
    expect(ours.find((l) => l.startsWith('write(1, "\\x61\\x72\\x67\\x63\\x3d\\x32\\x0a'))).toBeDefined();
    // An ASCII one (whitespace escapes are fine): in hex with -xx only.
    const hello = expectSame('hello-glibc', [flag, '-e', 'trace=write'], { status: 0, minLines: 2 }).ours;
    expect(hello[0]).toBe(flag === '-x' ? 'write(1, "hello world\\n", 12) = 12' : 'write(1, "\\x68\\x65\\x6c\\x6c\\x6f\\x20\\x77\\x6f\\x72\\x6c\\x64\\x0a", 12) = 12');
  });

  it.each([['raw'], ['abbrev'], ['verbose']])('-X %s', (style) => {
    const { ours } = expectSame('files-glibc', ['-X', style], files);
    const open = ours.find((l) => l.startsWith('openat('))!;
    expect(open).toBe(
      { raw: 'openat(-100, "DIR/data.txt", 0xADDR, 0666) = 3', abbrev: 'openat(AT_FDCWD, "DIR/data.txt", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3', verbose: 'openat(-100 /* AT_FDCWD */, "DIR/data.txt", 0xADDR /* O_WRONLY|O_CREAT|O_TRUNC */, 0666) = 3' }[style],
    );
  });

  it('-X verbose on signals: siginfo fields, sigaction flags', () => {
    const { ours } = expectSame('signals-glibc', [...signalCalls, '-X', 'verbose'], signals);
    expect(ours).toContain('--- SIGSEGV {si_signo=11 /* SIGSEGV */, si_code=0xADDR /* SEGV_MAPERR */, si_addr=0xADDR} ---');
  });

  it.each([['-y'], ['-yy']])('%s: descriptors with their paths (pipes, /dev/null)', (flag) => {
    const { ours } = expectSame('fdops-glibc', [flag], files);
    expect(ours).toContain('pipe2([3<pipe:[N]>, 4<pipe:[N]>], O_CLOEXEC) = 0');
    expect(ours.some((l) => l.startsWith(flag === '-y' ? 'write(1</dev/null>, ' : 'write(1</dev/null<char 1:3>>, '))).toBe(true);
    expect(ours.some((l) => l.startsWith('openat(AT_FDCWD<DIR>, "data", '))).toBe(true);
  });

  it('-y on files: results and AT_FDCWD', () => {
    const { ours } = expectSame('files-glibc', ['-y'], files);
    expect(ours).toContain('openat(AT_FDCWD<' + process.cwd() + '>, "DIR/data.txt", O_RDONLY) = 3<DIR/data.txt>');
  });

  it.each([['20'], ['60']])('-a %s: the column of " = "', (column) => {
    const { real, ours } = both('hello-musl', ['-a', column], { status: 0 });
    const columns = (log: string) => withoutExecve(log).split('\n').filter((l) => l.includes(') ') && !l.startsWith('set_tid')).map((l) => l.indexOf(' = ') === -1 ? l.indexOf('= ') : l.indexOf(' = '));
    expect(columns(ours.log)).toEqual(columns(real.log));
    expect(columns(ours.log)).toContain(Number(column) - 1);
  });

  /** A prefix and the rest of each line, split by a pattern. */
  const split = (log: string, prefix: RegExp): { prefixes: string[]; rest: string[] } => {
    const lines = withoutExecve(log).split('\n').filter((l) => l !== '');
    return { prefixes: lines.map((l) => prefix.exec(l)?.[0] ?? 'NONE'), rest: comparable(lines.map((l) => l.replace(prefix, '')).join('\n')) };
  };

  it.each([
    ['-i', /^\[(?:[0-9a-f?]{8}|[0-9a-f?]{16})\] /],
    ['-n', /^\[ *\d+\] /],
  ])('%s: strace\'s prefix, the same values (no ASLR in a static binary)', (flag, prefix) => {
    // int80 makes i386 calls: -i prints their addresses in 8 digits.
    for (const name of ['hello-musl', 'fault-segv', 'int80']) {
      const { real, ours } = both(name, [flag]);
      const r = split(real.log, prefix);
      const o = split(ours.log, prefix);
      expect(o.prefixes).toEqual(r.prefixes);
      expect(o.rest).toEqual(r.rest);
      expect(o.prefixes.every((p) => p !== 'NONE')).toBe(true);
    }
  });

  it('-k: the frame of each call, named from the ELF symbols as strace -k names it', () => {
    for (const name of ['hello-musl', 'files-musl']) {
      const { real, ours, dirs } = both(name, ['-k'], name === 'files-musl' ? files : { status: 0 });
      // strace's unwinder sometimes takes a word of the stack for a second frame
      // (` > unexpected_backtracing_error [0x206e776f7262206b]`): emtrace shows the call's own.
      const frames = (log: string) => withoutExecve(log).split('\n').filter((l) => l.startsWith(' > ') && !l.includes('unexpected_backtracing_error'));
      expect(frames(ours.log)).toEqual(frames(real.log));
      expect(frames(ours.log).length).toBeGreaterThan(3);
      if (name === 'hello-musl') expect(frames(ours.log)).toContain(` > ${guest(name)}(__stdio_write+0xa0) [0x2070]`);
      expect(comparable(ours.log, dirs)).toEqual(comparable(real.log, dirs).filter((l) => !l.includes('unexpected_backtracing_error')));
    }
  });

  it('-qq: no +++ exited line (the kill by a signal stays)', () => {
    expectSame('hello-musl', ['-qq'], { status: 0 });
    const { ours } = expectSame('fault-segv', ['-qq'], { status: 139 });
    expect(ours.at(-1)).toBe('+++ killed by SIGSEGV +++');
  });

  it('-q: no personality message', () => {
    const loud = emtrace([guest('int80')], { stdio: ['ignore', devNull, 'pipe'] });
    const quiet = emtrace(['-q', guest('int80')], { stdio: ['ignore', devNull, 'pipe'] });
    expect(loud.stderr).toMatch(/^\[ Process PID=1000 runs in 32 bit mode\. \]$/m);
    expect(quiet.stderr).not.toContain('[ Process PID');
    expect(quiet.stderr.split('\n')).toEqual(loud.stderr.split('\n').filter((l) => !l.startsWith('[ Process PID')));
    const real = native('strace', ['-q', guest('int80')], { stdio: ['ignore', devNull, 'pipe'] });
    expect(real.stderr).not.toContain('[ Process PID');
  });

  it.each([['data.txt'], ['copy.txt']])('-P DIR/%s: the calls that touch the path', (file) => {
    const { ours } = expectSame('files-glibc', ['-P', path.join(scratch, 'work', file)], files);
    expect(ours.some((l) => l.startsWith('read(3, '))).toBe(true);
    expect(ours.some((l) => l.startsWith('brk('))).toBe(false);
  });
});

describe('timestamps and durations from the virtual clock', () => {
  const runTwice = (options: string[]): string[] => {
    const a = emtraceOf('determinism-glibc', [workDir()], options).log;
    const b = emtraceOf('determinism-glibc', [workDir()], options).log;
    expect(a).toBe(b);
    return a.split('\n').filter((l) => l !== '');
  };

  it.each([
    ['-t', /^\d\d:\d\d:\d\d [a-z+]/],
    ['-tt', /^\d\d:\d\d:\d\d\.\d{6} [a-z+]/],
    ['-ttt', /^\d{10}\.\d{6} [a-z+]/],
    ['-r', /^ {0,5}\d+\.\d{6} [a-z+]/],
  ])('%s: strace\'s format, the same on every run', (flag, format) => {
    const ours = runTwice([flag]);
    const real = withoutExecve(straceOf('hello-musl', [], [flag]).log).split('\n').filter((l) => l !== '');
    expect(real.every((l) => format.test(l))).toBe(true);
    expect(ours.every((l) => format.test(l))).toBe(true);
  });

  it('-ttt starts at the virtual epoch, 2030-01-01T00:00:00Z; -t in the local zone (TZ)', () => {
    expect(runTwice(['-ttt'])[0]).toMatch(/^1893456000\.\d{6} /);
    expect(runTwice(['-t'])[0]).toMatch(/^00:00:00 /);
  });

  it('-r: 0 first, then the time since the previous line (the 1.5 s sleep shows)', () => {
    const lines = runTwice(['-r']);
    expect(lines[0]).toMatch(/^ {5}0\.000000 /);
    const after = lines.findIndex((l) => l.includes('nanosleep({tv_sec=1, tv_nsec=500000000}')) + 1;
    expect(lines[after]).toMatch(/^ {5}1\.5\d{5} /);
  });

  it('-t -r: the time of day, then the difference', () => {
    expect(runTwice(['-t', '-r'])[1]).toMatch(/^00:00:00 \(\+ {5}0\.\d{6}\) /);
  });

  it('-T: the time a call took, as strace -T (nanosleep\'s 1.5 s)', () => {
    const ours = runTwice(['-T']);
    const real = straceOf('determinism-glibc', [workDir()], ['-T', '-e', 'trace=nanosleep,exit_group']).log.split('\n');
    const sleep = (lines: string[]) => lines.find((l) => l.startsWith('nanosleep({tv_sec=1, tv_nsec=500000000}'));
    expect(sleep(ours)).toMatch(/ = 0 <1\.500000>$/);
    expect(sleep(real)).toMatch(/ = 0 <1\.5\d{5}>$/);
    expect(ours.filter((l) => / = [^?].*[^>]$/.test(l) && !l.startsWith('+++'))).toEqual([]);
    expect(ours.find((l) => l.startsWith('exit_group('))).toMatch(/= \?$/);
  });

  it('-i -n -tt together: strace\'s order of the prefixes', () => {
    const line = runTwice(['-tt', '-n', '-i'])[0];
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{6} \[ *\d+\] \[[0-9a-f]{16}\] brk\(NULL\)/);
  });
});

describe('dump and replay --strace print what tracing printed', () => {
  const options = ['-y', '-T', '-tt', '-n', '-i', '-X', 'verbose', '-e', 'read=3', '-e', 'status=!unfinished', '-k'];

  it('files-glibc', () => {
    const dir = workDir();
    const trace = path.join(scratch, 'files.jsonl');
    const live = emtraceOf('files-glibc', [dir], options).log;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    expect(emtrace(['record', '-o', trace, guest('files-glibc'), dir], { env: STRACE_ENV, stdio: ['ignore', devNull, 'pipe'] }).status).toBe(0);
    const dumped = emtrace(['dump', ...options, trace]);
    expect(dumped.stdout).toBe(live);
    const replayOut = path.join(scratch, 'replayed.txt');
    const replayed = emtrace(['replay', '-q', '--strace-output', replayOut, ...options, trace]);
    expect(replayed.status).toBe(0);
    expect(fs.readFileSync(replayOut, 'utf8')).toBe(live);
    expect(live).toContain('<0.000000>');
    expect(live).toContain(' | 00000  ');
  });

  it('determinism-glibc: recorded sleeps keep -T and -r', () => {
    const trace = path.join(scratch, 'determinism.jsonl');
    const dir = workDir();
    expect(emtrace(['record', '-o', trace, guest('determinism-glibc'), dir], { env: STRACE_ENV, stdio: ['ignore', devNull, 'pipe'] }).status).toBe(0);
    const live = emtraceOf('determinism-glibc', [workDir()], ['-T', '-r']).log;
    expect(emtrace(['dump', '-T', '-r', trace]).stdout).toBe(live);
    expect(live).toMatch(/ = 0 <1\.500000>\n/);
  });
});

describe('bad option values: strace\'s messages', () => {
  it.each([
    [['-X', 'foo'], "invalid -X argument: 'foo'"],
    [['-e', 'signal=FOO'], "invalid signal 'FOO'"],
    [['-e', 'status=foo'], "invalid status 'foo'"],
    [['-e', 'read=x'], "invalid descriptor 'x'"],
    [['-e', 'quiet=foo'], "invalid quiet 'foo'"],
    [['-e', 'abbrev=foo'], "invalid system call 'foo'"],
  ])('%j', (options, message) => {
    const r = emtrace([...options, guest('hello-musl')]);
    expect(r.stderr).toBe(`emtrace: ${message}\n`);
    expect(r.status).not.toBe(0);
    const real = native('strace', [...options, 'true']);
    expect(real.stderr.split('\n')[0]).toBe(`strace: ${message}`);
  });
});
