// Command-line wiring only: parse the arguments, call the library, set the exit code.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import { UserError } from '../errors.js';
import { findExecutable, readExecutable, shellStatus } from '../emulator/machine.js';
import { trace } from '../run.js';
import { selectSyscalls } from '../trace/filter.js';
import { LineWriter } from '../trace/line-writer.js';

const VERSION = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;

function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return n;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function traceCommand(): Command {
  return new Command('emtrace')
    .description('Run an x86-64 Linux program in emtrace\'s emulator and trace its system calls as strace does.')
    .usage('[options] PROG [ARGS...]')
    .version(VERSION, '-V, --version')
    .argument('<prog>', 'the program to run (a static x86-64 ELF executable)')
    .argument('[args...]', 'its arguments')
    .option('-o, --output <file>', 'write the trace to FILE instead of stderr')
    .option('-e, --expr <expr>', 'qualifying expression: trace=NAME,%CLASS,... (as strace -e)', collect, [] as string[])
    .option('-s, --string-limit <n>', 'print at most N bytes of each string (default 32)', integer('-s', 0), 32)
    .option('--seed <seed>', 'seed of the guest\'s randomness (AT_RANDOM, getrandom)', '0')
    .option('--stats', 'print instructions executed, wall time and MIPS to stderr at exit')
    .passThroughOptions()
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: (text) => fs.writeSync(1, text) });
}

/** Runs the CLI and returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const stderr = LineWriter.stderr();
  const command = traceCommand();
  try {
    command.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help, --version
      stderr.line(`emtrace: ${e.message.replace(/^error: /, '')}`);
      return 2;
    }
    throw e;
  }
  const [prog, args] = command.processedArgs as [string, string[]];
  const options = command.opts<{ output?: string; expr: string[]; stringLimit: number; seed: string; stats?: boolean }>();
  try {
    const selected = selectSyscalls(options.expr);
    const file = findExecutable(prog);
    const image = readExecutable(file);
    const output = options.output ? LineWriter.file(options.output) : stderr;
    const started = process.hrtime.bigint();
    const result = trace(image, {
      argv: [prog, ...args],
      env: Object.entries(process.env).map(([k, v]) => `${k}=${v}`),
      seed: options.seed,
      output,
      selected,
      stringLimit: options.stringLimit,
      diagnose: (message) => stderr.line(`emtrace: ${message}`),
    });
    output.close();
    if (options.stats) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      stderr.line(
        `emtrace: ${result.instructions} instructions in ${seconds.toFixed(3)} s: ${(result.instructions / seconds / 1e6).toFixed(1)} MIPS`,
      );
    }
    return shellStatus(result.status);
  } catch (e) {
    if (e instanceof UserError) {
      stderr.line(`emtrace: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
