// Running emtrace (the built CLI) and guest programs natively, for tests.
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const GUESTS = path.join(ROOT, 'test/guests/bin');
export const EMTRACE = path.join(ROOT, 'bin/emtrace.js');

export interface Outcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function outcome(r: ReturnType<typeof spawnSync>): Outcome {
  return { status: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Runs `emtrace ARGS...` (the CLI as npm install built it). */
export function emtrace(args: string[], options: SpawnSyncOptions = {}): Outcome {
  return outcome(spawnSync(process.execPath, [EMTRACE, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...options }));
}

/** Runs a program natively. */
export function native(command: string, args: string[], options: SpawnSyncOptions = {}): Outcome {
  return outcome(spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options }));
}

export function guest(name: string): string {
  return path.join(GUESTS, name);
}

/** True when a command is on PATH. */
export function have(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}
