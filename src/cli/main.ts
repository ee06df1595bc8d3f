// Command-line wiring only: pick the command, parse its arguments, call the library, return the
// exit status. `emtrace PROG ...` traces; `emtrace record|replay|dump|diff|verify ...` do the rest;
// `emtrace --list-syscalls` prints what the kernel implements.
import { diffCommand } from './diff-command.js';
import { dumpCommand } from './dump-command.js';
import { listSyscallsCommand } from './list-syscalls-command.js';
import { recordCommand } from './record-command.js';
import { replayCommand } from './replay-command.js';
import { traceCommand } from './trace-command.js';
import { verifyCommand } from './verify-command.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  record: recordCommand,
  replay: replayCommand,
  dump: dumpCommand,
  diff: diffCommand,
  verify: verifyCommand,
};

/** Runs the CLI and returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--list-syscalls') return listSyscallsCommand();
  const command = COMMANDS[argv[0]];
  return command ? command(argv.slice(1)) : traceCommand(argv);
}
