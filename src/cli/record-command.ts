// `emtrace record -o FILE PROG [ARGS...]`: run a program and write a replayable trace.
import { findExecutable, readExecutable, shellStatus } from '../emulator/machine.js';
import { record } from '../run.js';
import { selectSyscalls } from '../trace/filter.js';
import { LineWriter } from '../trace/line-writer.js';
import { addFormatOptions, complain, environment, guarded, newCommand, parse, stderr } from './common.js';

export async function recordCommand(argv: string[]): Promise<number> {
  const command = addFormatOptions(
    newCommand('emtrace record')
      .description('Run a program and record everything the kernel gave it to a trace file (JSON Lines; gzip when FILE ends in .gz).')
      .usage('-o FILE [options] PROG [ARGS...]')
      .argument('<prog>', 'the program to run')
      .argument('[args...]', 'its arguments')
      .requiredOption('-o, --output <file>', 'the trace file to write'),
  )
    .option('--strace', 'also print strace text on stderr (-e and -s apply to it)')
    .option('--strace-output <file>', 'also print strace text, to FILE')
    .option('--seed <seed>', "seed of the guest's randomness (AT_RANDOM, getrandom, /dev/urandom)", '0')
    .option('--host-time', "the host's clocks instead of the virtual clock, and real sleeps (the run is no longer deterministic)")
    .option('--host-random', "the host's entropy instead of the seeded stream (the run is no longer deterministic)")
    .passThroughOptions();
  const done = parse(command, argv);
  if (done !== null) return done;
  const [prog, args] = command.processedArgs as [string, string[]];
  const options = command.opts<{ output: string; strace?: boolean; straceOutput?: string; expr: string[]; stringLimit: number; seed: string; hostTime?: boolean; hostRandom?: boolean }>();
  return guarded(1, () => {
    const selected = selectSyscalls(options.expr);
    const image = readExecutable(findExecutable(prog));
    const text = options.straceOutput ? LineWriter.file(options.straceOutput) : options.strace ? stderr : null;
    try {
      const result = record(image, {
        argv: [prog, ...args],
        env: environment(),
        seed: options.seed,
        hostTime: options.hostTime,
        hostRandom: options.hostRandom,
        output: options.output,
        strace: text ? { output: text, selected, stringLimit: options.stringLimit } : undefined,
        diagnose: complain,
      });
      return shellStatus(result.status);
    } finally {
      text?.close();
    }
  });
}
