// `emtrace record -o FILE PROG [ARGS...]`: run a program and write a replayable trace.
import { findExecutable, readExecutable, shellStatus } from '../emulator/machine.js';
import { record } from '../run.js';
import { selectSyscalls } from '../trace/filter.js';
import { LineWriter } from '../trace/line-writer.js';
import { addFormatOptions, addGuestOptions, GuestOptionValues, guestOptions, complain, environment, guarded, newCommand, parse, stderr } from './common.js';

export async function recordCommand(argv: string[]): Promise<number> {
  const command = addGuestOptions(addFormatOptions(
    newCommand('emtrace record')
      .description('Run a program and record everything the kernel gave it to a trace file (JSON Lines; gzip when FILE ends in .gz).')
      .usage('-o FILE [options] PROG [ARGS...]')
      .argument('<prog>', 'the program to run')
      .argument('[args...]', 'its arguments')
      .requiredOption('-o, --output <file>', 'the trace file to write'),
  ))
    .option('--strace', 'also print strace text on stderr (-e and -s apply to it)')
    .option('--strace-output <file>', 'also print strace text, to FILE')
    .passThroughOptions();
  const done = parse(command, argv);
  if (done !== null) return done;
  const [prog, args] = command.processedArgs as [string, string[]];
  const options = command.opts<{ output: string; strace?: boolean; straceOutput?: string; expr: string[]; stringLimit: number; vdso: boolean } & GuestOptionValues>();
  return guarded(1, () => {
    const selected = selectSyscalls(options.expr, { noVdso: !options.vdso });
    const image = readExecutable(findExecutable(prog));
    const text = options.straceOutput ? LineWriter.file(options.straceOutput) : options.strace ? stderr : null;
    try {
      const result = record(image, {
        argv: [prog, ...args],
        env: environment(),
        ...guestOptions(options),
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
