// -c, -C, -S, -U, -w: the summary table against the real strace 6.x's for the same binaries.
// Times differ (emtrace's come from the virtual clock), so time cells are masked; the header, the
// dividers, the column widths, the rows (names, calls, errors), their order and the total row
// must be strace's. strace also counts the execve that starts the guest, which emtrace (already
// running the loaded program) never sees: that row is taken out of strace's table.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emtrace, guest, have } from '../support/run.js';
import { emtraceRun, freshDir, straceRun } from '../support/strace.js';

const scratch = freshDir('emtrace-summary-');
const TIME_HEADERS = new Set(['% time', 'seconds', 'usecs/call', 'shortest', 'longest']);

interface Guest {
  name: string;
  /** Arguments; DIR stands for a fresh empty directory (each run gets its own). */
  args: string[];
}

const GUESTS: Guest[] = [
  { name: 'syscall-loop-musl', args: ['DIR/records', '50'] },
  { name: 'files-musl', args: ['DIR'] },
  { name: 'fsops-glibc', args: ['DIR'] },
  { name: 'determinism-musl', args: ['DIR'] },
];

function argsIn(g: Guest, dir = fs.mkdtempSync(path.join(scratch, 'run-'))): string[] {
  return g.args.map((a) => a.replace('DIR', dir));
}

let runs = 0;

/** The summary lines of `strace OPTIONS` on a guest. */
function straceSummary(g: Guest, options: string[], args = argsIn(g)): string[] {
  const r = straceRun(guest(g.name), args, path.join(scratch, `strace-${runs++}`), options);
  return r.log.trimEnd().split('\n');
}

/** The summary lines of `emtrace OPTIONS` on a guest. */
function emtraceSummary(g: Guest, options: string[], args = argsIn(g)): string[] {
  const r = emtraceRun(guest(g.name), args, path.join(scratch, `emtrace-${runs++}`), options);
  expect(r.stderr).toBe('');
  return r.log.trimEnd().split('\n');
}

/** The character spans of the columns, from the divider under the header. */
function spans(divider: string): { start: number; end: number }[] {
  return [...divider.matchAll(/-+/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
}

/**
 * A table with its time cells masked (same width), strace's execve row taken out and the total
 * row's calls reduced by its count (padded to the column as strace pads it).
 */
function normalize(lines: string[], dropExecve: boolean): string[] {
  expect(lines.length).toBeGreaterThan(4);
  const [header, divider] = lines;
  const cols = spans(divider);
  const names = cols.map((c, k) => (k === cols.length - 1 ? header.slice(c.start) : header.slice(c.start, c.end)).trim());
  const cell = (line: string, name: string) => {
    const c = cols[names.indexOf(name)];
    return c && line.slice(c.start, c === cols.at(-1) ? undefined : c.end);
  };
  const callsCol = cols[names.indexOf('calls')];
  let removed = 0;
  const rows = lines.slice(2).filter((line) => {
    if (dropExecve && cell(line, 'syscall').trim() === 'execve') {
      removed = Number(cell(line, 'calls') ?? 0);
      return false;
    }
    return true;
  });
  return [header, divider, ...rows].map((line, i) => {
    if (i < 2 || line.startsWith('-')) return line;
    let out = line;
    cols.forEach((c, k) => {
      if (TIME_HEADERS.has(names[k])) out = out.slice(0, c.start) + '*'.repeat(c.end - c.start) + out.slice(c.end);
    });
    if (cell(out, 'syscall').trim() === 'total' && callsCol) {
      const calls = String(Number(cell(out, 'calls')) - removed).padStart(callsCol.end - callsCol.start);
      out = out.slice(0, callsCol.start) + calls + out.slice(callsCol.end);
    }
    return out;
  });
}

describe('-c against strace -c', () => {
  it('strace is installed (CI installs it: .ci/run)', () => {
    expect(have('strace')).toBe(true);
  });

  it.each(GUESTS)('$name: same header, dividers, widths, rows, order and total with -S calls', (g) => {
    const expected = normalize(straceSummary(g, ['-c', '-S', 'calls']), true);
    const actual = normalize(emtraceSummary(g, ['-c', '-S', 'calls']), false);
    expect(actual[0]).toBe('% time     seconds  usecs/call     calls    errors syscall');
    expect(actual).toEqual(expected);
  });

  it.each(GUESTS.slice(0, 3))('$name: the default sort (by time) has strace\'s rows; zero times keep syscall number order', (g) => {
    const expected = normalize(straceSummary(g, ['-c']), true);
    const actual = normalize(emtraceSummary(g, ['-c']), false);
    // strace's real times order its rows differently: compare the row set, then the order.
    const body = (t: string[]) => t.slice(2, -2).sort();
    expect(body(actual)).toEqual(body(expected));
    expect(actual.slice(0, 2)).toEqual(expected.slice(0, 2));
    expect(actual.slice(-2)).toEqual(expected.slice(-2));
    // emtrace's system times are all zero, so the stable sort leaves -S nothing's order.
    expect(actual).toEqual(normalize(emtraceSummary(g, ['-c', '-S', 'nothing']), false));
    expect(actual.slice(2, -2).every((row) => row.startsWith('******'))).toBe(true);
  });

  it('the time columns are zero (the emulated kernel spends no guest CPU time) with strace\'s total row', () => {
    const lines = emtraceSummary(GUESTS[1], ['-c']);
    expect(lines.slice(2, -2).every((row) => row.startsWith('  0.00    0.000000           0 '))).toBe(true);
    expect(lines.at(-1)).toMatch(/^100\.00    0\.000000           0 +\d+ +\d+ total$/);
  });
});

describe('-S', () => {
  it.each(['nothing', 'name', 'errors', 'calls', 'count'])('-S %s orders the rows as strace does', (key) => {
    const g = GUESTS[2];
    const expected = normalize(straceSummary(g, ['-c', '-S', key]), true);
    const actual = normalize(emtraceSummary(g, ['-c', '-S', key]), false);
    expect(actual).toEqual(expected);
  });

  it('an unknown key is strace\'s error', () => {
    const r = emtrace(['-c', '-S', 'speed', guest('hello-asm')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("invalid sortby: 'speed'");
  });

  it('without -c it warns, as strace, and traces as usual', () => {
    const r = emtrace(['-S', 'calls', guest('hello-asm')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('emtrace: -S/--summary-sort-by has no effect without (-c/--summary-only or -C/--summary)\n');
    expect(r.stderr).toContain('write(1, "hello world\\n", 12)');
  });
});

describe('-U', () => {
  it.each([
    ['name,calls,errors'],
    ['calls,errors,min-time,max-time,avg-time,total-time,time-percent'],
    ['errors,name,shortest,longest'],
    ['errors'],
  ])('-U %s: the columns, their headers and widths as strace prints them', (columns) => {
    const g = GUESTS[2];
    const expected = normalize(straceSummary(g, ['-c', '-S', 'calls', '-U', columns]), true);
    const actual = normalize(emtraceSummary(g, ['-c', '-S', 'calls', '-U', columns]), false);
    expect(actual).toEqual(expected);
  });

  it('unknown and repeated columns are strace\'s errors', () => {
    expect(emtrace(['-c', '-U', 'calls,speed', guest('hello-asm')]).stderr).toContain("unknown column name: 'speed'");
    expect(emtrace(['-c', '-U', 'calls,name,count', guest('hello-asm')]).stderr).toContain(
      "call summary column has been provided more than once: 'count' (-U option residual: 'count')",
    );
    const r = emtrace(['-U', 'calls', guest('hello-asm')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('emtrace: -U/--summary-columns must be given with (-c/--summary-only or -C/--summary)\n');
  });
});

describe('-C', () => {
  it('prints the trace lines, the exit line, then the table, as strace -C', () => {
    const g = GUESTS[0];
    // One directory for every run, so the lines name the same paths (the guest removes its file).
    const args = argsIn(g);
    const plain = emtraceRun(guest(g.name), args, path.join(scratch, 'plain')).log.trimEnd().split('\n');
    const both = emtraceSummary(g, ['-C'], args);
    expect(both.slice(0, plain.length)).toEqual(plain);
    expect(both.slice(plain.length)).toEqual(emtraceSummary(g, ['-c'], args));
    // strace -C: the same arrangement.
    const native = straceSummary(g, ['-C']);
    const exit = native.findIndex((line) => line.startsWith('+++ exited'));
    expect(native[exit + 1]).toBe(both[plain.length]);
    expect(plain.at(-1)).toBe('+++ exited with 0 +++');
  });

  it('-c and -C together are strace\'s usage error', () => {
    const r = emtrace(['-c', '-C', guest('hello-asm')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('emtrace: -c/--summary-only and -C/--summary are mutually exclusive\n');
  });
});

describe('-w', () => {
  const g = GUESTS[3];
  const row = (lines: string[], name: string) => lines.find((line) => line.endsWith(' ' + name))!.trim().split(/ +/);

  it('sums the virtual time from entry to exit: the guest\'s sleeps', () => {
    // determinism sleeps 1.5 s with nanosleep, then passes it a bad timespec (EINVAL, no sleep).
    const lines = emtraceSummary(g, ['-c', '-w', '-U', 'total-time,max-time,min-time,calls,errors,name']);
    expect(row(lines, 'nanosleep')).toEqual(['1.500000', '1.500000', '0.000000', '2', '1', 'nanosleep']);
    expect(row(lines, 'write')).toEqual(['0.000000', '0.000000', '0.000000', '1205', 'write']);
    // The layout is still strace's (-w changes what is measured, not the table).
    const native = straceSummary(g, ['-c', '-w', '-U', 'total-time,max-time,min-time,calls,errors,name']);
    expect(lines.slice(0, 2)).toEqual(native.slice(0, 2));
  });

  it('without -w the system time counts, and the emulated kernel spends none', () => {
    const lines = emtraceSummary(g, ['-c']);
    expect(row(lines, 'nanosleep').slice(0, 3)).toEqual(['0.00', '0.000000', '0']);
  });

  it('-w needs -c or -C, as in strace', () => {
    const r = emtrace(['-w', guest('hello-asm')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('emtrace: -w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)\n');
  });
});

describe('dump -c', () => {
  it('summarises a recorded trace exactly as -c summarised the run', () => {
    const g = GUESTS[1];
    const file = path.join(scratch, 'files.jsonl');
    const dir = fs.mkdtempSync(path.join(scratch, 'dump-'));
    expect(emtrace(['record', '-o', file, guest(g.name), dir]).status).toBe(0);
    const live = emtraceRun(guest(g.name), [fs.mkdtempSync(path.join(scratch, 'dump-'))], path.join(scratch, 'live'), ['-c', '-S', 'calls']).log;
    const r = emtrace(['dump', '-c', '-S', 'calls', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(live);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('-C prints the dump\'s lines then the table; -U picks its columns', () => {
    const file = path.join(scratch, 'hello.jsonl');
    expect(emtrace(['record', '-o', file, guest('hello-asm')]).status).toBe(0);
    const r = emtrace(['dump', '-C', '-U', 'calls,name', file]);
    expect(r.stdout).toBe(
      [
        'write(1, "hello world\\n", 12)           = 12',
        'exit(0)                                 = ?',
        '+++ exited with 0 +++',
        '    calls syscall',
        '--------- ----------------',
        '        1 write',
        '--------- ----------------',
        '        1 total',
        '',
      ].join('\n'),
    );
  });
});
