// What recording a trace file costs next to tracing to /dev/null, on the syscall-heavy guest,
// and how dump and diff hold up on a trace of a million events (time and peak memory).
import fs from 'node:fs';
import path from 'node:path';
import Table from 'cli-table3';
import { emtraceBin, guests, root, run, time } from './common.js';

export function recording(scratch) {
  const program = path.join(guests, 'syscall-loop-musl');
  const args = [path.join(scratch, 'records'), '20000'];
  const traced = time(process.execPath, [emtraceBin, '-o', '/dev/null', program, ...args]);
  const recorded = time(process.execPath, [emtraceBin, 'record', '-o', path.join(scratch, 'loop.jsonl'), program, ...args]);
  const gzipped = time(process.execPath, [emtraceBin, 'record', '-o', path.join(scratch, 'loop.jsonl.gz'), program, ...args]);
  const table = new Table({ style: { head: [], border: [] }, head: ['syscall-loop (musl), 60,000 syscalls', 'seconds', 'vs tracing to /dev/null'] });
  table.push(['trace to /dev/null', traced.seconds.toFixed(3), '1.00x']);
  table.push(['record to .jsonl', recorded.seconds.toFixed(3), (recorded.seconds / traced.seconds).toFixed(2) + 'x']);
  table.push(['record to .jsonl.gz', gzipped.seconds.toFixed(3), (gzipped.seconds / traced.seconds).toFixed(2) + 'x']);
  console.log(table.toString());

  // A million events: 333,334 records written, then sought and read back (3 syscalls each).
  const big = path.join(scratch, 'million.jsonl');
  const made = run(process.execPath, [emtraceBin, 'record', '-o', big, program, path.join(scratch, 'records'), '333334']);
  const events = fs.readFileSync(big, 'utf8').split('\n').length - 2;
  const rss = (command) => {
    const r = run(process.execPath, [path.join(root, 'bench/rss.js'), ...command]);
    const kib = Number(/maxrss-kib (\d+)\s*$/.exec(r.output.stderr)?.[1]);
    return { seconds: r.seconds, mib: kib / 1024 };
  };
  const dumped = rss(['dump', '-o', '/dev/null', big]);
  const diffed = rss(['diff', big, big]);
  const streaming = new Table({ style: { head: [], border: [] }, head: [`trace of ${events.toLocaleString('en-US')} events (${(fs.statSync(big).size / 1e6).toFixed(0)} MB)`, 'seconds', 'peak RSS MiB'] });
  streaming.push(['record', made.seconds.toFixed(1), '']);
  streaming.push(['emtrace dump', dumped.seconds.toFixed(1), dumped.mib.toFixed(0)]);
  streaming.push(['emtrace diff (against itself)', diffed.seconds.toFixed(1), diffed.mib.toFixed(0)]);
  console.log(streaming.toString());
}
