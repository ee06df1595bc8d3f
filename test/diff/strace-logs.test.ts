// strace text logs as diff inputs: the line syntax (prefixes, timestamps, durations,
// unfinished/resumed pairs) and real logs of one forking program (fixtures/fork.c, static glibc)
// written with -f, -ff, -t/-tt/-ttt/-r, -T, and to stderr.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffTraces, parseStraceLine } from '../../src/trace/diff/index.js';
import { FIXTURES, runDiff, scratchDir } from './helpers.js';

const fixture = (name: string): string => path.join(FIXTURES, name);
const dir = scratchDir('diff-logs');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function writeLog(text: string): string {
  const file = path.join(dir, `log${counter++}.txt`);
  fs.writeFileSync(file, text);
  return file;
}

describe('strace line syntax', () => {
  it('strips the pid prefix, the timestamp and the duration', () => {
    expect(parseStraceLine('3255  15:09:59.954155 set_tid_address(0x2b7ba650) = 3255 <0.000062>')).toEqual({
      pid: 3255, time: '15:09:59.954155', duration: '<0.000062>', kind: 'call', name: 'set_tid_address',
      text: 'set_tid_address(0x2b7ba650) = 3255',
    });
    expect(parseStraceLine('[pid  9068] wait4(-1,  <unfinished ...>')).toEqual({ pid: 9068, kind: 'unfinished', name: 'wait4', text: 'wait4(-1, ' });
    expect(parseStraceLine('9075       0.000697 brk(NULL)           = 0x351cd000')).toMatchObject({ pid: 9075, time: '0.000697', text: 'brk(NULL)           = 0x351cd000' });
    expect(parseStraceLine('     0.000031 brk(0x1e191d00)           = 0x1e191d00')).toMatchObject({ pid: null, time: '0.000031' });
    expect(parseStraceLine('1795792199.988248 brk(NULL)             = 0x24d1a000')).toMatchObject({ pid: null, time: '1795792199.988248' });
    expect(parseStraceLine('15:10:00 brk(NULL)                      = 0x3ebe7000')).toMatchObject({ pid: null, time: '15:10:00' });
    expect(parseStraceLine('3256  15:09:59.955937 <... set_robust_list resumed>) = 0 <0.000063>')).toEqual({
      pid: 3256, time: '15:09:59.955937', duration: '<0.000063>', kind: 'resumed', name: 'set_robust_list', text: ') = 0',
    });
    expect(parseStraceLine('--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=3257} ---')).toMatchObject({ kind: 'signal' });
    expect(parseStraceLine('[pid 5] +++ killed by SIGKILL +++')).toMatchObject({ pid: 5, kind: 'exit', text: '+++ killed by SIGKILL +++' });
    expect(parseStraceLine('exit_group(0)                           = ?')).toMatchObject({ kind: 'call', name: 'exit_group' });
    expect(parseStraceLine('15:10:00.123456 [00000000004017a5] getpid() = 5')).toMatchObject({ time: '15:10:00.123456 [00000000004017a5]', text: 'getpid() = 5' });
  });

  it('rejects what strace does not print', () => {
    expect(parseStraceLine('hello world')).toBeNull();
    expect(parseStraceLine(', child_tidptr=0x39517650) = 3335')).toBeNull();
    expect(parseStraceLine('write(1, "x", 1')).toBeNull();
  });
});

describe('strace logs of a forking program', () => {
  it('-f -tt -T, -f, -f to stderr (unprefixed lines, [pid N]) all read as the same trace', async () => {
    const reference = fixture('fork-f-tt-T.log');
    for (const other of ['fork-f.log', 'fork-stderr-f.log']) {
      const r = await runDiff([reference, fixture(other)]);
      expect(r, other).toEqual({ status: 0, stdout: 'traces are the same (36 events compared)\n', stderr: '' });
    }
  });

  it('unfinished/resumed pairs are merged into one line, in their process', async () => {
    const log = writeLog(
      [
        '3256  15:09:59.955863 set_robust_list(0x2b7ba660, 24 <unfinished ...>',
        '3255  15:09:59.955916 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>',
        '3256  15:09:59.955937 <... set_robust_list resumed>) = 0 <0.000063>',
        '3255  15:09:59.956095 <... clone resumed>, child_tidptr=0x2b7ba650) = 3257 <0.000171>',
        '3256  15:09:59.956115 newfstatat(1, "",  <unfinished ...>',
        '3256  15:09:59.956195 <... newfstatat resumed>{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0 <0.000059>',
        '',
      ].join('\n'),
    );
    const empty = writeLog('');
    const exact = await diffTraces(empty, log, { exact: true });
    expect(exact.hunks!.map((h) => [h.proc, h.lines])).toEqual([
      [1, ['+15:09:59.955863 set_robust_list(0x2b7ba660, 24) = 0 <0.000063>',
        '+15:09:59.956115 newfstatat(1, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0 <0.000059>']],
      [2, ['+15:09:59.955916 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x2b7ba650) = 3257 <0.000171>']],
    ]);
    const normalized = await diffTraces(empty, log);
    expect(normalized.hunks!.map((h) => [h.proc, h.lines])).toEqual([
      [1, ['+set_robust_list(ADDR, 24) = 0', '+newfstatat(1, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0']],
      [2, ['+clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=ADDR) = 3']],
    ]);
  });

  it('-ff: each file is one process; -ttt without -f is the parent alone', async () => {
    expect((await runDiff([fixture('fork-ff-tt-T.9082'), fixture('fork-ttt.log')])).stdout).toBe('traces are the same (23 events compared)\n');
    const r = await runDiff([fixture('fork-ff-tt-T.9083'), fixture('fork-ff-tt-T.9084')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      [
        `--- ${fixture('fork-ff-tt-T.9083')}`,
        `+++ ${fixture('fork-ff-tt-T.9084')}`,
        '@@ -1,7 +1,7 @@ [pid 1]',
        ' set_robust_list(ADDR, 24) = 0',
        ' newfstatat(1, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0',
        ' ioctl(1, TCGETS, ADDR) = -1 ENOTTY (Inappropriate ioctl for device)',
        '-write(1, "child 0\\n", 8) = 8',
        '+write(1, "child 1\\n", 8) = 8',
        ' clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000000}, NULL) = 0',
        '-exit_group(3) = ?',
        '-+++ exited with 3 +++',
        '+exit_group(4) = ?',
        '++++ exited with 4 +++',
        '3 events differ: 0 only in A, 0 only in B, 3 changed; 7 events compared (processes: 1)',
        '',
      ].join('\n'),
    );
  });

  it('a real run-to-run difference: the -r run got a second SIGCHLD', async () => {
    const r = await runDiff(['-U', '1', fixture('fork-f.log'), fixture('fork-f-r.log')]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').slice(2)).toEqual([
      '@@ -18,2 +18,3 @@ [pid 1]',
      ' wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 2',
      '+--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---',
      ' wait4(-1, ADDR, 0, NULL) = -1 ECHILD (No child processes)',
      '1 event differs: 0 only in A, 1 only in B, 0 changed; 37 events compared (processes: 3)',
      '',
    ]);
  });

  it('pids in results, arguments and si_pid are renumbered; a changed child shows under its number', async () => {
    const log = fs.readFileSync(fixture('fork-f.log'), 'utf8');
    const edited = writeLog(
      log
        .replace('3264  write(1, "child 1\\n", 8 <unfinished ...>', '3264  write(1, "child 9\\n", 8 <unfinished ...>')
        .replace('3262  wait4(-1,  <unfinished ...>', '3262  getppid()                         = 3000\n3262  wait4(-1,  <unfinished ...>'),
    );
    const r = await runDiff(['-U', '1', fixture('fork-f.log'), edited]);
    expect(r.status).toBe(1);
    const body = r.stdout.split('\n').slice(2);
    // Hunks come as each is complete: process 3 ended before process 1's hunk did.
    expect(body).toEqual([
      '@@ -3,3 +3,3 @@ [pid 3]',
      ' ioctl(1, TCGETS, ADDR) = -1 ENOTTY (Inappropriate ioctl for device)',
      '-write(1, "child 1\\n", 8) = 8',
      '+write(1, "child 9\\n", 8) = 8',
      ' clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000000}, NULL) = 0',
      '@@ -15,2 +15,3 @@ [pid 1]',
      ' clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=ADDR) = 3',
      '+getppid() = 4',
      ' wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 4}], 0, NULL) = 3',
      '2 events differ: 0 only in A, 1 only in B, 1 changed; 37 events compared (processes: 3)',
      '',
    ]);
  });

  it('a call that never resumed ends as strace prints it: `<unfinished ...>) = ?`', async () => {
    const a = writeLog('[pid 7] read(0,  <unfinished ...>\n[pid 8] getpid() = 8\n[pid 7] +++ killed by SIGKILL +++\n');
    const b = writeLog('7 read(0,  <unfinished ...>) = ?\n7 +++ killed by SIGKILL +++\n8 getpid() = 8\n');
    expect((await runDiff([a, b])).stdout).toBe('traces are the same (3 events compared)\n');
  });

  it('--exact keeps timestamps and durations, so logs of two runs differ everywhere', async () => {
    const r = await runDiff(['--exact', '--json', fixture('fork-f-tt-T.log'), fixture('fork-f.log')]);
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout).summary;
    // The first process's execve stays too.
    expect(s).toMatchObject({ changed: 37, onlyA: 0, onlyB: 0, compared: 37, processes: 3, inputs: { a: 'log', b: 'log' } });
  });
});
