// The summary's numbers and layout: a table the real strace 6.1 printed is rebuilt from its own
// figures (per syscall: total time, calls, errors) and must come out byte for byte; and the
// printf rounding strace's digits come from.
import { describe, expect, it } from 'vitest';
import { syscallNumber } from '../../src/decode/index.js';
import type { SyscallEvent } from '../../src/trace/event.js';
import { fixed } from '../../src/trace/summary/c-number.js';
import { parseColumns, parseSortBy, renderSummary, SyscallCounts } from '../../src/trace/summary/index.js';

/** `strace -c syscall-loop-glibc FILE 200`, natively (strace 6.1, Debian 12). */
const STRACE_TABLE = `\
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 48.48    0.002845          14       200           read
 48.44    0.002843          14       200           lseek
  1.65    0.000097          97         1           unlink
  0.63    0.000037          37         1           close
  0.31    0.000018          18         1           newfstatat
  0.27    0.000016           0       201           write
  0.22    0.000013          13         1         1 ioctl
  0.00    0.000000           0         1           mprotect
  0.00    0.000000           0         5           brk
  0.00    0.000000           0         1           execve
  0.00    0.000000           0         1           readlink
  0.00    0.000000           0         1           arch_prctl
  0.00    0.000000           0         1           set_tid_address
  0.00    0.000000           0         1           openat
  0.00    0.000000           0         1           set_robust_list
  0.00    0.000000           0         1           prlimit64
  0.00    0.000000           0         1           getrandom
  0.00    0.000000           0         1           rseq
------ ----------- ----------- --------- --------- ----------------
100.00    0.005869           9       620         1 total`;

function event(nr: number, errno: number, abi?: 'i386'): SyscallEvent {
  return { seq: 0, pid: 1000, tid: 1000, icount: 0, rip: 0, nr, args: new Int32Array(12), ret: -errno, errno, ...(abi ? { abi } : {}) };
}

/** Counts rebuilt from a strace table: each row's time on its first call, the others free
 *  (the sum and so the average are the same), its failures on its last calls. Rows are fed in
 *  reverse so the order of the output owes nothing to the order of the input. */
function countsOf(table: string): SyscallCounts {
  const counts = new SyscallCounts();
  const rows = table.split('\n').slice(2, -2).reverse();
  for (const row of rows) {
    const m = /^ *[\d.]+ +(\d+)\.(\d{6}) +\d+ +(\d+) +(\d*) (\w+)$/.exec(row)!;
    const [, sec, usec, calls, errors, name] = m;
    const nr = syscallNumber(name)!;
    for (let k = 0; k < Number(calls); k++) {
      const failed = k >= Number(calls) - Number(errors || 0);
      counts.add(event(nr, failed ? 25 : 0), k === 0 ? Number(sec) * 1e9 + Number(usec) * 1000 : 0);
    }
  }
  return counts;
}

describe('renderSummary', () => {
  it('rebuilds a real strace -c table byte for byte: percentages, averages, sort, ties, total', () => {
    expect(renderSummary(countsOf(STRACE_TABLE)).join('\n')).toBe(STRACE_TABLE);
  });

  it('-S name, -U: columns and order from the same figures', () => {
    const lines = renderSummary(countsOf(STRACE_TABLE), { sortBy: parseSortBy('name'), columns: parseColumns('calls,max-time,name,errors') });
    expect(lines.slice(0, 4)).toEqual([
      '    calls  longest syscall             errors',
      '--------- -------- ---------------- ---------',
      '        1 0.000000 arch_prctl                ',
      '        5 0.000000 brk                       ',
    ]);
    expect(lines.at(-1)).toBe('      620 0.002845 total                    1');
  });

  it('a call that never returned (exit_group) and an unknown number are not counted', () => {
    const counts = new SyscallCounts();
    counts.add({ ...event(231, 0), ret: NaN }, 0);
    counts.add(event(9999, 38), 0);
    expect(renderSummary(counts)).toEqual([]);
  });

  it('i386 calls get their own table after the heading strace prints', () => {
    const counts = new SyscallCounts();
    counts.add(event(39, 0), 0);
    counts.add(event(4, 9, 'i386'), 0);
    const lines = renderSummary(counts);
    expect(lines[5]).toBe('System call usage summary for 32 bit mode:');
    expect(lines[8]).toBe('  0.00    0.000000           0         1         1 write');
  });
});

describe('fixed (printf %.Nf)', () => {
  it.each([
    [0.125, 2, '0.12'], [0.135, 2, '0.14'], [12.125, 2, '12.12'], [0.0078125, 6, '0.007812'],
    [99.995, 2, '100.00'], [2.5, 0, '2'], [1.5, 0, '2'], [0, 6, '0.000000'], [1e-9, 6, '0.000000'], [0.0000005, 6, '0.000000'],
  ])('%d to %d places is %s, as glibc rounds (ties to even on the exact binary value)', (x, digits, text) => {
    expect(fixed(x, digits)).toBe(text);
  });
});
