// `emtrace dump FILE`: render a trace as strace text (or ltrace -S style).
import { dump } from '../trace/dump.js';
import { UserError } from '../errors.js';
import { LineWriter, NO_LINES } from '../trace/line-writer.js';
import { addFormatOptions, complain, guarded, newCommand, parse } from './common.js';
import { addSummaryOptions, SummaryOptionValues, summaryRequest } from './summary-options.js';
import { addStraceOptions, followOptions, hasInjection, StraceFlagValues, straceDisplay } from './strace-flags.js';

export async function dumpCommand(argv: string[]): Promise<number> {
  const command = addFormatOptions(
    newCommand('emtrace dump')
      .description('Render a recorded trace as strace text.')
      .usage('[options] FILE')
      .argument('<file>', 'the trace file')
      .option('-o, --output <file>', 'write to FILE instead of stdout'),
  ).option('--ltrace', 'ltrace -S style lines (SYS_write(1, "hi", 2) = 2)');
  // No -w: a trace holds no call durations.
  addSummaryOptions(command, { wall: false });
  addStraceOptions(command).option('--binary <path>', 'for -k: the traced binary, when it is not where the trace says');
  const done = parse(command, argv);
  if (done !== null) return done;
  const [file] = command.processedArgs as [string];
  const options = command.opts<{ output?: string; ltrace?: boolean; expr: string[]; stringLimit: number; vdso: boolean; binary?: string } & SummaryOptionValues & StraceFlagValues>();
  const summary = summaryRequest(options);
  if ('error' in summary) {
    complain(summary.error);
    return 2;
  }
  if (summary.warning) complain(summary.warning);
  return guarded(2, async () => {
    if (hasInjection(options.expr)) throw new UserError('-e inject', 'a recorded trace cannot be injected into: give it to emtrace or emtrace record');
    const { display, warning } = straceDisplay(command, options);
    if (warning) complain(warning);
    const selected = display.selected;
    // A trace holds every task of the run: all are printed, as strace -f would have.
    const { follow, warning: followWarning } = followOptions(options, options.output, { summary: summary.layout !== undefined, always: true });
    if (followWarning) complain(followWarning);
    const output = follow.separate ? NO_LINES : options.output ? LineWriter.file(options.output) : LineWriter.stdout();
    try {
      await dump(file, output, { follow, selected, stringLimit: options.stringLimit, display, binary: options.binary, style: summary.only ? 'none' : options.ltrace ? 'ltrace' : 'strace', summary: summary.layout, personality: !options.output });
      return 0;
    } finally {
      output.close();
    }
  });
}
