// `emtrace diff [options] A B`: command-line wiring only. Exit status 0 when the inputs compare
// equal, 1 when they differ, 2 on an error (a bad option, a missing or malformed input).
import { Command, CommanderError } from 'commander';
import { collect, integer } from './common.js';
import { UserError } from '../errors.js';
import { parseTraceExpression } from '../trace/filter.js';
import type { SyscallPredicate } from '../trace/filter.js';
import { DEFAULT_CONTEXT, DEFAULT_WINDOW, diffTraces, FdWriter, JsonRenderer, UnifiedRenderer } from '../trace/diff/index.js';
import type { DiffRenderer } from '../trace/diff/index.js';
import { LineWriter } from '../trace/line-writer.js';

function diffCommandDefinition(stdout: (text: string) => void): Command {
  return new Command('diff')
    .name('emtrace diff')
    .description(
      'Compare two syscall traces: emtrace trace files (plain or gzip) or strace text logs (strace -o, ' +
        'emtrace -o), told apart by their content. Prints a unified diff of the strace lines of each process, ' +
        'after normalizing what differs between two runs of the same program (addresses, pids, random bytes, ' +
        'times). Exit status: 0 same, 1 different, 2 error.',
    )
    .usage('[options] A B')
    .argument('<A>', 'the reference trace or strace log')
    .argument('<B>', 'the trace or strace log to compare with it')
    .option('--ignore <set>', 'leave out syscalls in SET (strace -e trace= syntax: brk,mmap,%memory,/regex); repeatable', collect)
    .option('--exact', 'compare lines as printed: no normalization except the padding before "="')
    .option('--json', 'print the hunks and the summary as one JSON document')
    .option('-U, --unified <n>', 'lines of context around each change', integer('-U', 0), DEFAULT_CONTEXT)
    .option('--window <n>', 'lines of lookahead per side to realign after a change', integer('--window', 1), DEFAULT_WINDOW)
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: stdout });
}

/** Where the command writes; the defaults are emtrace's stdout (buffered) and stderr. */
export interface DiffCommandIO {
  stdout(text: string): void;
  /** One line, without its newline. */
  stderr(line: string): void;
}

/** Runs `emtrace diff` with the arguments after `diff`; returns the exit status. */
export async function diffCommand(argv: string[], io?: DiffCommandIO): Promise<number> {
  const fdOut = io === undefined ? new FdWriter(1) : null;
  const errWriter = io === undefined ? LineWriter.stderr() : null;
  const stdout = io?.stdout ?? fdOut!.write;
  const stderr = (line: string): void => {
    fdOut?.flush();
    if (io !== undefined) io.stderr(line);
    else errWriter!.line(line);
  };
  try {
    return await run(argv, stdout, stderr);
  } finally {
    fdOut?.flush();
  }
}

async function run(argv: string[], stdout: (text: string) => void, stderr: (line: string) => void): Promise<number> {
  const command = diffCommandDefinition(stdout);
  try {
    command.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help
      stderr(`emtrace: ${e.message.replace(/^error: /, '')}`);
      return 2;
    }
    throw e;
  }
  const [a, b] = command.processedArgs as [string, string];
  const options = command.opts<{ ignore?: string[]; exact?: boolean; json?: boolean; unified: number; window: number }>();
  try {
    let ignore: SyscallPredicate | undefined;
    for (const spec of options.ignore ?? []) {
      const p = parseTraceExpression(spec);
      const before = ignore;
      ignore = before === undefined ? p : (nr) => before(nr) || p(nr);
    }
    const renderer: DiffRenderer = options.json ? new JsonRenderer(stdout, a, b) : new UnifiedRenderer(stdout, a, b);
    const summary = await diffTraces(a, b, {
      exact: options.exact ?? false,
      ignore,
      context: options.unified,
      window: options.window,
      onHunk: (h) => renderer.hunk(h),
    });
    renderer.end(summary);
    return summary.same ? 0 : 1;
  } catch (e) {
    if (e instanceof UserError) {
      stderr(`emtrace: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
