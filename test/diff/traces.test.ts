// `emtrace diff` on trace files written by hand: same, different, what normalization hides and
// what it keeps, and the options.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffTraces } from '../../src/trace/diff/index.js';
import { runDiff, scratchDir, TraceBuilder } from './helpers.js';

const dir = scratchDir('diff-traces');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Layout {
  pid?: number;
  heap?: number;
  mmap?: number;
  greeting?: string;
  random?: string;
}

/** A small program's trace: a glibc-like start, a mapping used and freed, two writes. */
function program(l: Layout = {}): TraceBuilder {
  const heap = l.heap ?? 0x4ac000;
  const map = l.mmap ?? 0x7ffff7ff0000;
  const t = new TraceBuilder(l.pid ?? 1000);
  t.call('brk', [0], heap)
    .call('brk', [heap + 0xd00], heap + 0xd00)
    .call('arch_prctl', [0x1002, heap + 0x380], 0)
    .call('set_tid_address', [heap + 0x650], t.pid)
    .call('getrandom', [heap + 0x10, 8, 1], 8, { out: [[heap + 0x10, l.random ?? '\x01\x02\x03\x04\x05\x06\x07\x08']] })
    .call('mmap', [0, 8192, 3, 0x22, -1, 0], map)
    .call('mprotect', [map + 0x1000, 4096, 1], 0)
    .call('ioctl', [1, 0x5401, 0x7fffffffe430], 0, { errno: 25 })
    .write(1, l.greeting ?? 'hello\n')
    .call('munmap', [map, 8192], 0)
    .write(1, 'bye\n')
    .exit(0);
  return t;
}

let counter = 0;
const save = (t: TraceBuilder, ext = '.trace'): string => t.save(path.join(dir, `t${counter++}${ext}`));

describe('emtrace diff on trace files', () => {
  it('a trace against itself: exit 0, no hunks, one line', async () => {
    const a = save(program());
    const r = await runDiff([a, a]);
    expect(r).toEqual({ status: 0, stdout: 'traces are the same (13 events compared)\n', stderr: '' });
    const s = await diffTraces(a, a);
    expect(s.same).toBe(true);
    expect(s.hunks).toEqual([]);
    expect(s.inputs).toEqual({ a: 'trace', b: 'trace' });
  });

  it('another heap, mmap address, pid and random bytes compare the same', async () => {
    const a = save(program());
    const b = save(program({ pid: 4242, heap: 0x1f9c3000, mmap: 0x7f150ef35000, random: 'abcdefgh' }));
    const r = await runDiff([a, b]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('traces are the same (13 events compared)\n');
    // With --exact every one of those shows.
    const exact = await runDiff(['--exact', a, b]);
    expect(exact.status).toBe(1);
    expect(exact.stdout).toContain('-brk(NULL) = 0x4ac000\n');
    expect(exact.stdout).toContain('+brk(NULL) = 0x1f9c3000\n');
    expect(exact.stdout).toContain('-set_tid_address(0x4ac650) = 1000\n');
    expect(exact.stdout).toContain('+set_tid_address(0x1f9c3650) = 4242\n');
  });

  it('addresses are named after their mapping: heap, mmap#N, stack', async () => {
    const a = save(program());
    const b = save(program({ greeting: 'hullo\n' }));
    const s = await diffTraces(a, b, { context: 20 });
    expect(s.hunks).toHaveLength(1);
    expect(s.hunks![0].lines).toEqual([
      ' brk(NULL) = heap',
      ' brk(heap+0xd00) = heap+0xd00',
      ' arch_prctl(ARCH_SET_FS, heap+0x380) = 0',
      ' set_tid_address(heap+0x650) = 1',
      ' getrandom(RANDOM, 8, GRND_NONBLOCK) = 8',
      ' mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = mmap#1',
      ' mprotect(mmap#1+0x1000, 4096, PROT_READ) = 0',
      ' ioctl(1, TCGETS, stack) = -1 ENOTTY (Inappropriate ioctl for device)',
      '-write(1, "hello\\n", 6) = 6',
      '+write(1, "hullo\\n", 6) = 6',
      ' munmap(mmap#1, 8192) = 0',
      ' write(1, "bye\\n", 4) = 4',
      ' exit_group(0) = ?',
      ' +++ exited with 0 +++',
    ]);
  });

  it('two different programs: exit 1 and a readable unified diff', async () => {
    const a = save(program());
    const other = new TraceBuilder(1000)
      .call('brk', [0], 0x4ac000)
      .call('brk', [0x4acd00], 0x4acd00)
      .call('arch_prctl', [0x1002, 0x4ac380], 0)
      .call('set_tid_address', [0x4ac650], 1000)
      .call('openat', [-100, 0x402100, 0], -1, { errno: 2, in: [[0x402100, '/etc/nothing\0']] })
      .write(2, 'no config\n')
      .exit(1);
    const b = save(other);
    const r = await runDiff([a, b]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        `--- ${a}`,
        `+++ ${b}`,
        '@@ -2,12 +2,7 @@ [pid 1]',
        ' brk(heap+0xd00) = heap+0xd00',
        ' arch_prctl(ARCH_SET_FS, heap+0x380) = 0',
        ' set_tid_address(heap+0x650) = 1',
        '-getrandom(RANDOM, 8, GRND_NONBLOCK) = 8',
        '-mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = mmap#1',
        '-mprotect(mmap#1+0x1000, 4096, PROT_READ) = 0',
        '-ioctl(1, TCGETS, stack) = -1 ENOTTY (Inappropriate ioctl for device)',
        '-write(1, "hello\\n", 6) = 6',
        '-munmap(mmap#1, 8192) = 0',
        '-write(1, "bye\\n", 4) = 4',
        '-exit_group(0) = ?',
        '-+++ exited with 0 +++',
        '+openat(AT_FDCWD, "/etc/nothing", O_RDONLY) = -1 ENOENT (No such file or directory)',
        '+write(2, "no config\\n", 10) = 10',
        '+exit_group(1) = ?',
        '++++ exited with 1 +++',
        '9 events differ: 5 only in A, 0 only in B, 4 changed; 13 events compared (processes: 1)',
        '',
      ].join('\n'),
    );
  });

  it('stack addresses are relative to the first one seen (the initial stack moves with the environment)', async () => {
    const t = (sp: number): TraceBuilder =>
      new TraceBuilder()
        .call('ioctl', [1, 0x5401, sp - 0x40], 0, { errno: 25 })
        .call('newfstatat', [1, 0x402100, sp - 0x100, 0x1000], 0, { in: [[0x402100, '\0']] })
        .exit(0);
    const a = save(t(0x7fffffffe430));
    const s = await diffTraces(a, save(t(0x7fffffffda10)));
    expect(s.same).toBe(true);
    const exact = await diffTraces(a, save(t(0x7fffffffe430)), { exact: true });
    expect(exact.same).toBe(true);
    const shifted = new TraceBuilder()
      .call('ioctl', [1, 0x5401, 0x7fffffffe430 - 0x40], 0, { errno: 25 })
      .call('newfstatat', [1, 0x402100, 0x7fffffffe430 - 0x108, 0x1000], 0, { in: [[0x402100, '\0']] })
      .exit(0);
    const d = await diffTraces(a, save(shifted), { context: 0 });
    expect(d.hunks!.map((h) => h.lines)).toEqual([
      ['-newfstatat(1, "", stack-0xc0, AT_EMPTY_PATH) = 0', '+newfstatat(1, "", stack-0xc8, AT_EMPTY_PATH) = 0'],
    ]);
  });

  it('a gzip trace reads like the plain one', async () => {
    const a = save(program());
    const b = save(program({ heap: 0x600000 }), '.trace.gz');
    expect(fs.readFileSync(b)[0]).toBe(0x1f);
    expect((await runDiff([a, b])).status).toBe(0);
  });

  it('a different mapping used is a difference (mmap#2, not mmap#1)', async () => {
    const t = (second: boolean): TraceBuilder =>
      new TraceBuilder()
        .call('mmap', [0, 4096, 3, 0x22, -1, 0], 0x7ffff7ff0000)
        .call('mmap', [0, 4096, 3, 0x22, -1, 0], 0x7ffff7fe0000)
        .call('munmap', [second ? 0x7ffff7fe0000 : 0x7ffff7ff0000, 4096], 0)
        .exit(0);
    const s = await diffTraces(save(t(false)), save(t(true)), { context: 0 });
    expect(s.hunks!.map((h) => h.lines)).toEqual([['-munmap(mmap#1, 4096) = 0', '+munmap(mmap#2, 4096) = 0']]);
  });

  it('processes are numbered by first appearance and aligned with their counterpart', async () => {
    const t = (pid: number, childText: string): TraceBuilder => {
      const child = pid + 7;
      return new TraceBuilder(pid)
        .call('getpid', [], pid)
        .call('fork', [], child)
        .write(1, 'child\n', { tid: child })
        .call('getppid', [], pid, { tid: child })
        .write(1, childText, { tid: child })
        .exit(0, child)
        .call('wait4', [child, 0, 0, 0], child)
        .exit(0);
    };
    const a = save(t(1000, 'same\n'));
    expect((await runDiff([a, save(t(3000, 'same\n'))])).stdout).toBe('traces are the same (10 events compared)\n');
    const r = await runDiff(['-U', '1', a, save(t(3000, 'other\n'))]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      ['@@ -2,3 +2,3 @@ [pid 2]', ' getppid() = 1', '-write(1, "same\\n", 5) = 5', '+write(1, "other\\n", 6) = 6', ' exit_group(0) = ?'].join('\n'),
    );
    expect(r.stdout).toMatch(/1 event differs: 0 only in A, 0 only in B, 1 changed; 10 events compared \(processes: 2\)\n$/);
  });

  it('--ignore drops the syscalls of a trace expression on both sides', async () => {
    const a = save(program());
    const b = save(new TraceBuilder().call('brk', [0], 0x4ac000).write(1, 'hello\n').write(1, 'bye\n').exit(0));
    expect((await runDiff([a, b])).status).toBe(1);
    const r = await runDiff(['--ignore', '%memory,arch_prctl', '--ignore', 'set_tid_address,getrandom,ioctl', a, b]);
    expect(r).toEqual({ status: 0, stdout: 'traces are the same (4 events compared)\n', stderr: '' });
  });

  it('--json: the hunks and the summary as one document', async () => {
    const a = save(program());
    const b = save(program({ greeting: 'hullo\n' }));
    const r = await runDiff(['--json', '-U', '1', a, b]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      a,
      b,
      hunks: [
        {
          process: 1,
          a: { start: 8, count: 3 },
          b: { start: 8, count: 3 },
          lines: [
            ' ioctl(1, TCGETS, stack) = -1 ENOTTY (Inappropriate ioctl for device)',
            '-write(1, "hello\\n", 6) = 6',
            '+write(1, "hullo\\n", 6) = 6',
            ' munmap(mmap#1, 8192) = 0',
          ],
        },
      ],
      summary: { same: false, differ: 1, onlyA: 0, onlyB: 0, changed: 1, compared: 13, processes: 1, inputs: { a: 'trace', b: 'trace' } },
    });
    const same = await runDiff(['--json', a, a]);
    expect(same.status).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ hunks: [], summary: { same: true, compared: 13 } });
  });

  it('-U sets the context; changes closer than twice that share a hunk', async () => {
    const lines = (changed: number[]): TraceBuilder => {
      const t = new TraceBuilder();
      for (let k = 0; k < 20; k++) t.write(1, changed.includes(k) ? `changed ${k}\n` : `line ${k}\n`);
      return t.exit(0);
    };
    const a = save(lines([]));
    const b = save(lines([5, 10]));
    const headers = async (args: string[]): Promise<string[]> => (await runDiff([...args, a, b])).stdout.split('\n').filter((l) => l.startsWith('@@'));
    expect(await headers([])).toEqual(['@@ -3,12 +3,12 @@ [pid 1]']);
    expect(await headers(['-U', '2'])).toEqual(['@@ -4,10 +4,10 @@ [pid 1]']);
    expect(await headers(['-U', '1'])).toEqual(['@@ -5,3 +5,3 @@ [pid 1]', '@@ -10,3 +10,3 @@ [pid 1]']);
    expect(await headers(['-U', '0'])).toEqual(['@@ -6 +6 @@ [pid 1]', '@@ -11 +11 @@ [pid 1]']);
    const u0 = (await runDiff(['-U', '0', a, b])).stdout;
    expect(u0).toContain('@@ -6 +6 @@ [pid 1]\n-write(1, "line 5\\n", 7) = 7\n+write(1, "changed 5\\n", 10) = 10\n@@');
  });
});
