// `emtrace [options] PROG [ARGS...]`: run a program and print its syscalls as strace does.
import { findExecutable, readExecutable, shellStatus } from '../emulator/machine.js';
import { trace } from '../run.js';
import { Symbolizer } from '../trace/backtrace.js';
import { LineWriter, NO_LINES, openForWriting } from '../trace/line-writer.js';
import { FdWriter } from '../trace/fd-writer.js';
import { formatInstructionState } from '../emulator/cpu/insn-log.js';
import { VERSION } from '../version.js';
import { addFormatOptions, addGuestOptions, GuestOptionValues, guestOptions, complain, environment, guarded, newCommand, parse, stderr } from './common.js';
import { addSummaryOptions, SummaryOptionValues, summaryRequest } from './summary-options.js';
import { addStraceOptions, followOptions, StraceFlagValues, straceDisplay, straceInjector } from './strace-flags.js';

export async function traceCommand(argv: string[]): Promise<number> {
  const command = addGuestOptions(addFormatOptions(
    newCommand('emtrace')
      .description("Run an x86-64 Linux program in emtrace's emulator and trace its system calls as strace does.")
      .usage('[options] PROG [ARGS...]\n       emtrace record|replay|dump|diff|verify ... (see emtrace COMMAND --help)\n       emtrace --list-syscalls   (what the emulated kernel implements)')
      .version(VERSION, '-V, --version')
      .argument('<prog>', 'the program to run (a static x86-64 ELF executable)')
      .argument('[args...]', 'its arguments')
      .option('-o, --output <file>', 'write the trace to FILE instead of stderr'),
  ))
    .option('--stats', 'print instructions executed, wall time and MIPS to stderr at exit')
    .option('--trace-insns <file>', "log the registers before every instruction to FILE, in the layout of QEMU's -d cpu")
    .passThroughOptions();
  addSummaryOptions(command, { wall: true }).option('--ltrace', 'print ltrace -S style lines (SYS_write(1, "hi", 2) = 2) instead of strace\'s');
  addStraceOptions(command);
  const done = parse(command, argv);
  if (done !== null) return done;
  const [prog, args] = command.processedArgs as [string, string[]];
  const options = command.opts<{ output?: string; expr: string[]; stringLimit: number; stats?: boolean; traceInsns?: string; vdso: boolean; ltrace?: boolean } & GuestOptionValues & SummaryOptionValues & StraceFlagValues>();
  const summary = summaryRequest(options);
  if ('error' in summary) {
    complain(summary.error);
    return 2;
  }
  if (summary.warning) complain(summary.warning);
  return guarded(1, () => {
    const { display, warning } = straceDisplay(command, options);
    if (warning) complain(warning);
    const { follow, warning: followWarning } = followOptions(options, options.output, { summary: summary.layout !== undefined });
    if (followWarning) complain(followWarning);
    const selected = display.selected;
    const image = readExecutable(findExecutable(prog));
    // -ff -o PREFIX writes PREFIX.PID files only, as strace.
    const output = follow.separate ? NO_LINES : options.output ? LineWriter.file(options.output) : stderr;
    const insnLog = options.traceInsns ? new FdWriter(openForWriting(options.traceInsns)) : null;
    const started = process.hrtime.bigint();
    try {
      const result = trace(image, {
        argv: [prog, ...args],
        env: environment(),
        ...guestOptions(options),
        output,
        selected,
        stringLimit: options.stringLimit,
        display,
        symbolizer: display.stackTrace ? new Symbolizer(image) : null,
        follow,
        injector: straceInjector(options, display),
        lines: summary.only ? 'none' : options.ltrace ? 'ltrace' : 'strace',
        summary: summary.layout,
        // strace shows ABI switches on stderr, not with -o (which implies -e quiet=personality).
        personality: !options.output,
        diagnose: complain,
        beforeInstruction: insnLog ? (cpu) => insnLog.write(formatInstructionState(cpu) + '\n') : undefined,
      });
      if (options.stats) {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        complain(`${result.instructions} instructions in ${seconds.toFixed(3)} s: ${(result.instructions / seconds / 1e6).toFixed(1)} MIPS`);
      }
      return shellStatus(result.status);
    } finally {
      output.close();
      insnLog?.flush();
    }
  });
}
