// Comparing emtrace's strace lines with the real strace's: the normalization that masks what
// legitimately differs between two runs (addresses, pids, random bytes, times), and the runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emtrace, native } from './run.js';

/** Calls whose (decimal) result is a pid or tid. */
const PID_RESULTS = /^(set_tid_address|getpid|gettid|getppid)\(/;

export function normalize(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('execve('))
    .map((line) => {
      // Masking changes lengths, so the padding before `=` is compared as one space.
      let out = line.replace(/0x[0-9a-f]+/g, '0xADDR').replace(/\) +=( |$)/, ') =$1');
      if (PID_RESULTS.test(out)) out = out.replace(/= \d+$/, '= PID');
      // getrandom's buffer is random bytes, printed in hex.
      if (out.startsWith('getrandom(')) out = out.replace(/"(\\x[0-9a-f]{2})+"/, '"RANDOM"');
      return out;
    });
}

/**
 * The file-system guests' lines also name pids in arguments (F_SETOWN, lock owners), times
 * (the time a wait left), inode numbers and the host file system's sizes (statfs): masked too.
 */
export function normalizeFiles(log: string, dirs: string[]): string[] {
  return normalize(log).map((line) => {
    let out = line;
    for (const dir of dirs) out = out.split(dir).join('DIR');
    out = out.replace(/(l_pid=|pid=|F_SETOWN, )\d+/g, '$1PID');
    out = out.replace(/left \{[^}]*\}/g, 'left {TIME}');
    out = out.replace(/(st_ino|stx_ino|d_ino)=\d+/g, '$1=INO');
    if (out.startsWith('statfs(') || out.startsWith('fstatfs(')) out = out.replace(/\{f_type=.*\}\) =/, '{STATFS}) =');
    return out;
  });
}

/** The environment both runs get (UTC: strace prints file times in local time). */
export const STRACE_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', TZ: 'UTC' };

/** bash arguments `strace ARGS...` runs under: Linux's default limits, only stdio open (bash:
 *  dash cannot close fds above 9; fds the test runner leaked to us would shift the guest's fd
 *  numbers), and exactly STRACE_ENV (bash exports PWD and SHLVL, which emtrace's guest lacks). */
export const STRACE_SCRIPT =
  'ulimit -S -s 8192 && ulimit -c 0 && for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec env -u PWD -u SHLVL strace "$@"';

/** Runs a program natively under the real strace (Linux's default limits, no inherited fds
 *  beyond stdio); returns the log and the exit status. */
export function straceRun(program: string, args: string[], log: string, options: string[] = []): { log: string; status: number | null; stdout: string } {
  const r = native('bash', ['-c', STRACE_SCRIPT, 'bash', '-o', log, ...options, program, ...args], { env: STRACE_ENV });
  return { log: fs.readFileSync(log, 'utf8'), status: r.status ?? 128 + os.constants.signals[r.signal!], stdout: r.stdout };
}

/** Runs a program under emtrace with its trace to a file. */
export function emtraceRun(program: string, args: string[], log: string, options: string[] = []): { log: string; status: number | null; stdout: string; stderr: string } {
  const r = emtrace(['-o', log, ...options, program, ...args], { env: STRACE_ENV });
  return { log: fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '', status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh empty directory under the system's temporary directory. */
export function freshDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
