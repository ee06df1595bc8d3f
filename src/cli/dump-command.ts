// `emtrace dump FILE`: render a trace as strace text (or ltrace -S style).
import { dump } from '../trace/dump.js';
import { selectSyscalls } from '../trace/filter.js';
import { LineWriter } from '../trace/line-writer.js';
import { addFormatOptions, guarded, newCommand, parse } from './common.js';

export async function dumpCommand(argv: string[]): Promise<number> {
  const command = addFormatOptions(
    newCommand('emtrace dump')
      .description('Render a recorded trace as strace text.')
      .usage('[options] FILE')
      .argument('<file>', 'the trace file')
      .option('-o, --output <file>', 'write to FILE instead of stdout'),
  ).option('--ltrace', 'ltrace -S style lines (SYS_write(1, "hi", 2) = 2)');
  const done = parse(command, argv);
  if (done !== null) return done;
  const [file] = command.processedArgs as [string];
  const options = command.opts<{ output?: string; ltrace?: boolean; expr: string[]; stringLimit: number; vdso: boolean }>();
  return guarded(2, async () => {
    const selected = selectSyscalls(options.expr, { noVdso: !options.vdso });
    const output = options.output ? LineWriter.file(options.output) : LineWriter.stdout();
    try {
      await dump(file, output, { selected, stringLimit: options.stringLimit, style: options.ltrace ? 'ltrace' : 'strace', personality: !options.output });
      return 0;
    } finally {
      output.close();
    }
  });
}
