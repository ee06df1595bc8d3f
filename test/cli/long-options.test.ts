// strace's long options: each prints byte for byte what its short form prints (strace 6.1's
// `strace --help` lists them), and a long option after the program's name is the program's.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest } from '../support/run.js';
import { freshDir } from '../support/strace.js';

const scratch = freshDir('emtrace-long-options-');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let runs = 0;

/** fdops-musl under emtrace with OPTIONS: the trace, the exit status and stderr. */
function run(options: string[]): { log: string; status: number | null; stderr: string } {
  // A fresh directory each run, under the same relative name (-xx prints it in hex).
  const cwd = path.join(scratch, `r${++runs}`);
  fs.mkdirSync(path.join(cwd, 'work'), { recursive: true });
  const log = path.join(scratch, `${runs}.log`);
  const r = emtrace(['-o', log, ...options, guest('fdops-musl'), 'work'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  // With -y the directory's full name shows: the only difference between two runs.
  const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split(cwd + '/').join('CWD/') : '';
  return { log: text, status: r.status, stderr: r.stderr };
}

const PAIRS: [string[], string[]][] = [
  [['--trace=write,close'], ['-e', 'trace=write,close']],
  [['--trace', 'write,close'], ['-e', 'trace=write,close']],
  [['--status=failed'], ['-e', 'status=failed']],
  [['--signal=none'], ['-e', 'signal=none']],
  [['--abbrev=none'], ['-e', 'abbrev=none']],
  [['--verbose=none'], ['-e', 'verbose=none']],
  [['--raw=write'], ['-e', 'raw=write']],
  [['--read=3'], ['-e', 'read=3']],
  [['--write=4'], ['-e', 'write=4']],
  [['--inject=write:error=EIO:when=2'], ['-e', 'inject=write:error=EIO:when=2']],
  [['--fault=close:when=1'], ['-e', 'fault=close:when=1']],
  [['--quiet=exit'], ['-e', 'quiet=exit']],
  [['--quiet'], ['-q']],
  [['--decode-fds'], ['-y']],
  [['--decode-fds=path'], ['-y']],
  [['--decode-fds=all'], ['-yy']],
  [['--decode-fds=path,dev,pidfd,socket'], ['-yy']],
  [['--summary-only'], ['-c']],
  [['--summary'], ['-C']],
  [['--string-limit=5'], ['-s', '5']],
  [['--string-limit', '5'], ['-s', '5']],
  [['--relative-timestamps'], ['-r']],
  [['--relative-timestamps=us'], ['-r']],
  [['--absolute-timestamps'], ['-t']],
  [['--absolute-timestamps=time'], ['-t']],
  [['--absolute-timestamps=us'], ['-tt']],
  [['--absolute-timestamps=time,us'], ['-tt']],
  [['--absolute-timestamps=format:unix,precision:us'], ['-ttt']],
  [['--syscall-times'], ['-T']],
  [['--instruction-pointer'], ['-i']],
  [['--syscall-number'], ['-n']],
  [['--stack-trace'], ['-k']],
  [['--stack-traces'], ['-k']],
  [['--no-abbrev'], ['-v']],
  [['--const-print-style=raw'], ['-X', 'raw']],
  [['--columns=60'], ['-a', '60']],
  [['--strings-in-hex=non-ascii'], ['-x']],
  [['--strings-in-hex'], ['-xx']],
  [['--strings-in-hex=all'], ['-xx']],
  [['--successful-only'], ['-z']],
  [['--failed-only'], ['-Z']],
  [['--trace-path=work'], ['-P', 'work']],
];

describe('long options', () => {
  it.each(PAIRS.map(([long, short]) => [long.join(' '), long, short] as const))('%s', (_, long, short) => {
    const a = run(long);
    const b = run(short);
    expect(a.stderr).toBe(b.stderr);
    expect(a.status).toBe(b.status);
    expect(a.log).toBe(b.log);
    expect(a.log.length).toBeGreaterThan(0);
  });

  it('--output=FILE is -o FILE', () => {
    const dir = path.join(scratch, 'out');
    fs.mkdirSync(dir);
    const one = path.join(scratch, 'one.log');
    const two = path.join(scratch, 'two.log');
    const a = emtrace([`--output=${one}`, guest('fdops-musl'), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    const b = emtrace(['-o', two, guest('fdops-musl'), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    expect(a.status).toBe(b.status);
    expect(fs.readFileSync(one, 'utf8')).toBe(fs.readFileSync(two, 'utf8'));
  });

  it("after the program's name, a long option is the program's argument", () => {
    const log = path.join(scratch, 'arg.log');
    emtrace(['-o', log, '--trace=chdir', guest('fdops-musl'), '--trace=write'], { cwd: scratch, stdio: ['ignore', 'ignore', 'pipe'] });
    expect(fs.readFileSync(log, 'utf8')).toMatch(/^chdir\("--trace=write"\) +=/);
  });

  it('values emtrace cannot print are refused as usage errors', () => {
    for (const bad of ['--absolute-timestamps=ms', '--decode-fds=socket', '--syscall-times=ns', '--strings-in-hex=bogus']) {
      const r = emtrace([bad, guest('hello-asm')], { stdio: ['ignore', 'ignore', 'pipe'] });
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toMatch(/^emtrace: /);
    }
    const r = emtrace(['--trace'], { stdio: ['ignore', 'ignore', 'pipe'] });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("emtrace: option '--trace' argument missing\n");
  });
});
