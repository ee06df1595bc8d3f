#!/usr/bin/env node
// npm run bench: runs the CPU-heavy and the syscall-heavy guests natively, under emtrace, and
// (when installed) under qemu-x86_64 and the real strace, all in this one run, and prints MIPS and
// the time ratios. Each measurement is the best of several runs (wall time of the whole command).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const guests = path.join(root, 'test/guests/bin');
const emtraceBin = path.join(root, 'bin/emtrace.js');
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-bench-'));

const workloads = [
  { name: 'cpu-loop (musl)', program: 'cpu-loop-musl', args: ['20'] },
  { name: 'cpu-loop (glibc)', program: 'cpu-loop-glibc', args: ['20'] },
  { name: 'syscall-loop (musl)', program: 'syscall-loop-musl', args: [path.join(scratch, 'records'), '20000'] },
  { name: 'syscall-loop (glibc)', program: 'syscall-loop-glibc', args: [path.join(scratch, 'records'), '20000'] },
];

function have(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Best wall time in seconds over the repeats; the last run's output. */
function time(command, args) {
  let best = Infinity;
  let last;
  for (let k = 0; k < repeats; k++) {
    const start = process.hrtime.bigint();
    last = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (last.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${last.status}): ${last.stderr}`);
    best = Math.min(best, seconds);
  }
  return { seconds: best, output: last };
}

const hasQemu = have('qemu-x86_64');
const hasStrace = have('strace');
const table = new Table({
  style: { head: [], border: [] },
  head: ['workload', 'instructions', 'native s', 'emtrace s', 'emtrace MIPS', 'emtrace/native', 'qemu s', 'emtrace/qemu', 'strace s', 'emtrace/strace'],
});

for (const w of workloads) {
  const program = path.join(guests, w.program);
  const nativeRun = time(program, w.args);
  // Traced, to a file, as a user would trace: the syscall-heavy case measures the tracer too.
  const traced = time(process.execPath, [emtraceBin, '--stats', '-o', path.join(scratch, 'trace.txt'), program, ...w.args]);
  if (traced.output.stdout !== nativeRun.output.stdout) throw new Error(`${w.name}: emtrace output differs from native`);
  const stats = /emtrace: (\d+) instructions in ([\d.]+) s/.exec(traced.output.stderr);
  const instructions = stats ? Number(stats[1]) : NaN;
  const insideSeconds = stats ? Number(stats[2]) : NaN;
  const qemu = hasQemu ? time('qemu-x86_64', [program, ...w.args]) : null;
  const strace = hasStrace ? time('strace', ['-o', path.join(scratch, 'strace.txt'), program, ...w.args]) : null;
  table.push([
    w.name,
    instructions.toLocaleString('en-US'),
    nativeRun.seconds.toFixed(3),
    traced.seconds.toFixed(3),
    (instructions / insideSeconds / 1e6).toFixed(1),
    (traced.seconds / nativeRun.seconds).toFixed(1) + 'x',
    qemu ? qemu.seconds.toFixed(3) : 'n/a',
    qemu ? (traced.seconds / qemu.seconds).toFixed(1) + 'x' : 'n/a',
    strace ? strace.seconds.toFixed(3) : 'n/a',
    strace ? (traced.seconds / strace.seconds).toFixed(2) + 'x' : 'n/a',
  ]);
}

console.log(table.toString());
console.log(
  `MIPS = guest instructions / emtrace's run time (excluding Node start-up); times are wall seconds of the whole command, best of ${repeats}.`,
);
fs.rmSync(scratch, { recursive: true, force: true });
