// CPU-heavy and syscall-heavy guests natively, under emtrace, and (when installed) under
// qemu-x86_64 and the real strace, with MIPS and the time ratios.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Table from 'cli-table3';
import { emtraceBin, guests, have, repeats, time } from './common.js';

/** 1 MB of text, the same on every run: words from a fixed pseudo-random sequence. */
function writeText(file, bytes) {
  const words = ['emulator', 'trace', 'syscall', 'kernel', 'replay', 'deterministic', 'page', 'block', 'flag', 'register', 'x86', 'linux'];
  let seed = 12345;
  const parts = [];
  for (let size = 0; size < bytes; ) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const word = words[seed % words.length] + (seed % 13 === 0 ? '\n' : ' ');
    parts.push(word);
    size += word.length;
  }
  fs.writeFileSync(file, parts.join('').slice(0, bytes));
}

export function workloads(scratch) {
  const text = path.join(scratch, 'text.txt');
  writeText(text, 1_000_000);
  const busybox = have('busybox') ? spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim() : null;
  const list = [
    { name: 'cpu-loop (musl)', program: 'cpu-loop-musl', args: ['20'] },
    { name: 'cpu-loop (glibc)', program: 'cpu-loop-glibc', args: ['20'] },
    ...(busybox
      ? [
          { name: 'busybox gzip -c (1 MB)', program: busybox, args: ['gzip', '-c', text] },
          { name: 'busybox md5sum (1 MB x 10)', program: busybox, args: ['md5sum', text, text, text, text, text, text, text, text, text, text] },
        ]
      : []),
    { name: 'syscall-loop (musl)', program: 'syscall-loop-musl', args: [path.join(scratch, 'records'), '20000'] },
    { name: 'syscall-loop (glibc)', program: 'syscall-loop-glibc', args: [path.join(scratch, 'records'), '20000'] },
  ];
  const hasQemu = have('qemu-x86_64');
  const hasStrace = have('strace');
  const table = new Table({
    style: { head: [], border: [] },
    head: ['workload', 'instructions', 'native s', 'emtrace s', 'emtrace MIPS', 'emtrace/native', 'qemu s', 'emtrace/qemu', 'strace s', 'emtrace/strace'],
  });
  for (const w of list) {
    const program = path.isAbsolute(w.program) ? w.program : path.join(guests, w.program);
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
}
