// Helpers the benchmark sections share.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const guests = path.join(root, 'test/guests/bin');
export const emtraceBin = path.join(root, 'bin/emtrace.js');
export const repeats = Number(process.env.BENCH_REPEATS ?? 3);

export function have(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Runs a command once; throws unless it exits with `expected` (default 0). */
export function run(command, args, expected = 0) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== expected) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return { seconds, output: result };
}

/** Best wall time in seconds over the repeats, and the last run's output. */
export function time(command, args) {
  let best = Infinity;
  let last;
  for (let k = 0; k < repeats; k++) {
    last = run(command, args);
    best = Math.min(best, last.seconds);
  }
  return { seconds: best, output: last.output };
}
