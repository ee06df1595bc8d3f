// `emtrace replay FILE`: re-run the traced binary with every syscall served from the trace.
// Exit 0 when the run is reproduced, 1 when it diverges (with a report), 2 on bad input.
import { straceSink } from '../run.js';
import { UserError } from '../errors.js';
import { Symbolizer } from '../trace/backtrace.js';
import { LineWriter, NO_LINES } from '../trace/line-writer.js';
import { replay } from '../trace/replay.js';
import { addFormatOptions, complain, guarded, newCommand, parse, stderr } from './common.js';
import { addStraceOptions, followOptions, hasInjection, StraceFlagValues, straceDisplay } from './strace-flags.js';

export async function replayCommand(argv: string[]): Promise<number> {
  const command = addFormatOptions(
    newCommand('emtrace replay')
      .description('Replay a recorded trace: run the binary again, serve every syscall from the trace and check that each call matches.')
      .usage('[options] FILE')
      .argument('<file>', 'the trace file')
      .option('--binary <path>', 'the binary to run (default: the one the trace names; its sha256 must match)'),
  )
    .option('--strace', 'print strace lines on stderr as the replay goes (-e and -s apply to them)')
    .option('--strace-output <file>', 'print them to FILE')
    .option('-q, --quiet', "do not show the guest's output again");
  // Not strace's -q here: replay's -q is about the guest's output (-e quiet= still works).
  addStraceOptions(command, { quiet: false });
  const done = parse(command, argv);
  if (done !== null) return done;
  const [file] = command.processedArgs as [string];
  const options = command.opts<{ binary?: string; strace?: boolean; straceOutput?: string; quiet?: boolean } & StraceFlagValues>();
  return guarded(2, async () => {
    if (hasInjection(options.expr)) throw new UserError('-e inject', 'a replay serves what the recording holds: give it to emtrace or emtrace record');
    const { display, warning } = straceDisplay(command, options);
    if (warning) complain(warning);
    const { follow, warning: followWarning } = followOptions(options, options.straceOutput);
    if (followWarning) complain(followWarning);
    // -ff with --strace-output PREFIX writes PREFIX.PID files only, as strace.
    const text = follow.separate ? NO_LINES : options.straceOutput ? LineWriter.file(options.straceOutput) : options.strace ? stderr : null;
    try {
      const outcome = await replay(file, {
        binary: options.binary,
        stringLimit: options.stringLimit,
        echoOutput: !options.quiet,
        observer: text ? (image) => straceSink({ output: text, display, symbolizer: display.stackTrace ? new Symbolizer(image) : null, follow, personality: !options.straceOutput }) : null,
      });
      if (outcome.kind === 'reproduced') {
        stderr.line(`emtrace: replay reproduced the run: ${outcome.events} events, ${outcome.result.instructions} instructions`);
        return 0;
      }
      for (const line of outcome.report) stderr.line(line === outcome.report[0] ? `emtrace: ${line}` : line);
      return 1;
    } finally {
      text?.close();
    }
  });
}
