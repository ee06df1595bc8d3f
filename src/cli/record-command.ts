// `emtrace record -o FILE PROG [ARGS...]`: run a program and write a replayable trace.
import { findExecutable, readExecutable, shellStatus } from '../emulator/machine.js';
import { record } from '../run.js';
import { Symbolizer } from '../trace/backtrace.js';
import { LineWriter, NO_LINES } from '../trace/line-writer.js';
import { addFormatOptions, addGuestOptions, GuestOptionValues, guestOptions, complain, environment, guarded, newCommand, parse, stderr } from './common.js';
import { addStraceOptions, followOptions, StraceFlagValues, straceDisplay, straceInjector } from './strace-flags.js';

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
  addStraceOptions(command);
  const done = parse(command, argv);
  if (done !== null) return done;
  const [prog, args] = command.processedArgs as [string, string[]];
  const options = command.opts<{ output: string; strace?: boolean; straceOutput?: string } & GuestOptionValues & StraceFlagValues>();
  return guarded(1, () => {
    const { display, warning } = straceDisplay(command, options);
    if (warning) complain(warning);
    const image = readExecutable(findExecutable(prog));
    const { follow, warning: followWarning } = followOptions(options, options.straceOutput);
    if (followWarning) complain(followWarning);
    // -ff with --strace-output PREFIX writes PREFIX.PID files only, as strace.
    const text = follow.separate ? NO_LINES : options.straceOutput ? LineWriter.file(options.straceOutput) : options.strace ? stderr : null;
    try {
      const result = record(image, {
        argv: [prog, ...args],
        env: environment(),
        ...guestOptions(options),
        output: options.output,
        strace: text ? { output: text, display, symbolizer: display.stackTrace ? new Symbolizer(image) : null, follow, personality: !options.straceOutput } : undefined,
        // Injected results are recorded as such: a replay serves them again.
        injector: straceInjector(options, display),
        diagnose: complain,
      });
      return shellStatus(result.status);
    } finally {
      text?.close();
    }
  });
}
