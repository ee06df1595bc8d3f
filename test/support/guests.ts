// Every guest program with arguments that make a short, complete run, for the tests that go over
// all of them (determinism, golden traces). `work` is an empty scratch directory the run may
// write in, recreated (same path) before each run.
import fs from 'node:fs';
import path from 'node:path';

export interface GuestRun {
  name: string;
  args: (work: string) => string[];
  /** The exit status it ends with. */
  status: number;
  /** Files to create in `work` before the run. */
  prepare?: (work: string) => void;
}

const INPUT_TEXT = 'emtrace reads this file and the replay does not need it\n'.repeat(40);

export const GUEST_RUNS: GuestRun[] = [
  { name: 'hello-asm', args: () => [], status: 0 },
  { name: 'fault-segv', args: () => [], status: 139 },
  { name: 'fault-ud2', args: () => [], status: 132 },
  { name: 'hello-glibc-pie', args: () => [], status: 0 },
  ...['musl', 'glibc'].flatMap((libc): GuestRun[] => [
    { name: `hello-${libc}`, args: () => [], status: 0 },
    { name: `args-${libc}`, args: () => ['one', 'two words', ''], status: 4 },
    { name: `files-${libc}`, args: (work) => [work], status: 0 },
    { name: `memory-${libc}`, args: () => [], status: 0 },
    { name: `cpu-loop-${libc}`, args: () => ['1'], status: 0 },
    { name: `syscall-loop-${libc}`, args: (work) => [path.join(work, 'records'), '50'], status: 0 },
    { name: `determinism-${libc}`, args: (work) => [work], status: 0 },
    {
      name: `input-${libc}`,
      args: (work) => [path.join(work, 'input.txt')],
      status: 0,
      prepare: (work) => fs.writeFileSync(path.join(work, 'input.txt'), INPUT_TEXT),
    },
  ]),
];

/** Empties (or creates) `work` and puts the run's input files in it. */
export function prepareWork(run: GuestRun, work: string): void {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  run.prepare?.(work);
}
