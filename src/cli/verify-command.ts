// `emtrace verify PROG [ARGS...]`: record the program twice and diff the two runs (exit 0 when
// they are the same, 1 when they differ): Hermit's `run --verify`. Both runs get the same input:
// stdin is read once into a file both runs read; their stdout and stderr go to files (the first
// run's are shown at the end), so that the two runs see identical descriptors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tty from 'node:tty';
import { findExecutable, readExecutable } from '../emulator/machine.js';
import { record } from '../run.js';
import { addGuestOptions, complain, environment, GuestOptionValues, guarded, guestOptions, newCommand, parse, stderr } from './common.js';
import { diffCommand } from './diff-command.js';

export async function verifyCommand(argv: string[]): Promise<number> {
  const command = addGuestOptions(newCommand('emtrace verify'))
    .description('Record a program twice and compare the two recordings: a check that the run is deterministic.')
    .usage('[options] PROG [ARGS...]')
    .argument('<prog>', 'the program to run')
    .argument('[args...]', 'its arguments')
    .option('--keep <dir>', 'keep the two traces (run1.jsonl, run2.jsonl) in DIR')
    .passThroughOptions();
  const done = parse(command, argv);
  if (done !== null) return done;
  const [prog, args] = command.processedArgs as [string, string[]];
  const options = command.opts<{ keep?: string } & GuestOptionValues>();
  return guarded(2, async () => {
    const image = readExecutable(findExecutable(prog));
    const dir = options.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-verify-'));
    fs.mkdirSync(dir, { recursive: true });
    const stdinCopy = path.join(dir, 'stdin');
    fs.writeFileSync(stdinCopy, tty.isatty(0) ? '' : fs.readFileSync(0));
    const traces = [1, 2].map((k) => path.join(dir, `run${k}.jsonl`));
    try {
      for (const [k, output] of traces.entries()) {
        // The same file names in both runs: the descriptors' paths are part of what is compared.
        const stdio = [fs.openSync(stdinCopy, 'r'), fs.openSync(path.join(dir, 'stdout'), 'w'), fs.openSync(path.join(dir, 'stderr'), 'w')];
        try {
          record(image, { argv: [prog, ...args], env: environment(), ...guestOptions(options), output, stdio, diagnose: complain });
        } finally {
          stdio.forEach((fd) => fs.closeSync(fd));
        }
        if (k === 0) {
          fs.renameSync(path.join(dir, 'stdout'), path.join(dir, 'stdout.run1'));
          fs.renameSync(path.join(dir, 'stderr'), path.join(dir, 'stderr.run1'));
        }
      }
      fs.writeSync(1, fs.readFileSync(path.join(dir, 'stdout.run1')));
      fs.writeSync(2, fs.readFileSync(path.join(dir, 'stderr.run1')));
      // The two runs must match exactly: no normalization.
      const status = await diffCommand(['--exact', traces[0], traces[1]]);
      if (status === 0) stderr.line('emtrace: verify: the two runs are identical');
      else if (status === 1) stderr.line('emtrace: verify: the two runs differ');
      return status;
    } finally {
      if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
