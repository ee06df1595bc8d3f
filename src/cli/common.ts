// What the subcommands share: commander set-up with one-line errors, the option groups several
// commands take, and turning errors into exit statuses.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import type { RunOptions } from '../emulator/machine.js';
import { UserError } from '../errors.js';
import { LineWriter } from '../trace/line-writer.js';

export const stderr = LineWriter.stderr();

/** Prints `emtrace: message` on stderr. */
export function complain(message: string): void {
  stderr.line(`emtrace: ${message}`);
}

/** A commander Command that reports errors as one line and never exits the process itself. */
export function newCommand(name: string): Command {
  return new Command(name)
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: (text) => fs.writeSync(1, text) });
}

/** Rewrites a command's argv before commander sees it (strace's long options: strace-flags.ts). */
export const argvRewriters = new WeakMap<Command, (argv: string[]) => string[]>();

/** Parses argv; returns null when the command is done (help, version) or the exit status of a
 *  usage error (2). */
export function parse(command: Command, argv: string[]): number | null {
  try {
    const rewrite = argvRewriters.get(command);
    command.parse(rewrite ? rewrite(argv) : argv, { from: 'user' });
    return null;
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.exitCode === 0) return 0; // --help, --version
    complain(e.message.replace(/^error: /, ''));
    return 2;
  }
}

export function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return n;
  };
}

/** Commander's reducer for a repeatable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** -e and -s, as strace takes them, and --no-vdso. */
export function addFormatOptions(command: Command): Command {
  return command
    .option('-e, --expr <expr>', 'qualifying expression, as strace -e: trace=, status=, signal=, abbrev=, verbose=, raw=, read=, write=, quiet=, inject=, fault=', collect, [] as string[])
    .option('-s, --string-limit <n>', 'print at most N bytes of each string (default 32)', integer('-s', 0), 32)
    .option('--no-vdso', "leave out the vDSO and vsyscall calls (marked <vdso>, <vsyscall>), which strace cannot see");
}

/** A byte count: digits, optionally followed by k, m or g (KiB, MiB, GiB). */
export function byteCount(name: string) {
  return (value: string): number => {
    const m = /^(\d+)([kmg]?)(i?b)?$/i.exec(value.trim());
    if (!m) throw new InvalidArgumentError(`${name} must be a number of bytes (optionally with k, m or g)`);
    const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
    const n = Number(m[1]) * scale;
    if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number of bytes`);
    return n;
  };
}

/** Runs a command body, turning a UserError into `emtrace: …` and the given status. */
export async function guarded(errorStatus: number, body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UserError) {
      complain(e.message);
      return errorStatus;
    }
    throw e;
  }
}

/** The environment as NAME=value strings, in the order the process got it. */
export function environment(): string[] {
  return Object.entries(process.env).map(([k, v]) => `${k}=${v}`);
}

/** The options that decide what the guest sees: its entropy, clock and identity. */
export function addGuestOptions(command: Command): Command {
  return command
    .option('--seed <seed>', "seed of the guest's randomness (AT_RANDOM, getrandom, /dev/urandom)", '0')
    .option('--chaos <seed>', "vary the schedule of processes and threads with this seed (Hermit's chaos mode: slices of random length, a random runnable task next); the same seed gives the same schedule, and a recording keeps it")
    .option('--host-time', "the host's clocks instead of the virtual clock, and real sleeps (the run is no longer deterministic)")
    .option('--host-random', "the host's entropy instead of the seeded stream (the run is no longer deterministic)")
    .option('--uid <uid>', "the user id the guest runs as (files emtrace's user owns appear owned by it)", integer('--uid', 0))
    .option('--gid <gid>', 'the group id the guest runs as (likewise for the group)', integer('--gid', 0))
    .option('--root <dir>', "make DIR the guest's / (as chroot: no path, .. or symlink leads out of it)")
    .option('--read-only', 'refuse every change to the file tree (EROFS); the host stays unchanged')
    .option('--max-memory <bytes>', 'limit the guest\'s mapped memory (mmap, brk, mremap and stack growth fail with ENOMEM past it; k, m, g suffixes)', byteCount('--max-memory'))
    .option('--uname-release <release>', "the kernel release uname and /proc report (as qemu-user's -r; default 6.1.0-emtrace)", utsName('--uname-release'))
    .option('--hostname <name>', 'the host name uname and /proc/sys/kernel/hostname report (default emtrace)', utsName('--hostname'));
}

/** A uname field: at most 64 bytes of UTF-8 (__NEW_UTS_LEN), no NUL. */
function utsName(name: string) {
  return (value: string): string => {
    if (Buffer.byteLength(value, 'utf8') > 64 || value.includes('\0')) throw new InvalidArgumentError(`${name} must be at most 64 bytes`);
    return value;
  };
}

export interface GuestOptionValues {
  seed: string;
  chaos?: string;
  hostTime?: boolean;
  hostRandom?: boolean;
  uid?: number;
  gid?: number;
  root?: string;
  readOnly?: boolean;
  maxMemory?: number;
  unameRelease?: string;
  hostname?: string;
}

/** The RunOptions fields addGuestOptions' values stand for. */
export function guestOptions(
  values: GuestOptionValues,
): Pick<RunOptions, 'seed' | 'chaos' | 'hostTime' | 'hostRandom' | 'identity' | 'root' | 'readOnly' | 'maxMemory' | 'uname'> {
  const user = os.userInfo();
  const uid = values.uid ?? user.uid;
  const gid = values.gid ?? user.gid;
  const identity = values.uid === undefined && values.gid === undefined ? undefined : { uid, euid: uid, gid, egid: gid };
  const uname = values.unameRelease === undefined && values.hostname === undefined ? undefined : unameOf(values);
  return { seed: values.seed, chaos: values.chaos, hostTime: values.hostTime, hostRandom: values.hostRandom, identity, root: values.root, readOnly: values.readOnly, maxMemory: values.maxMemory, uname };
}

/** --uname-release and --hostname as RunOptions.uname (only the ones given). */
function unameOf(values: GuestOptionValues): NonNullable<RunOptions['uname']> {
  return {
    ...(values.unameRelease !== undefined ? { release: values.unameRelease } : {}),
    ...(values.hostname !== undefined ? { nodename: values.hostname } : {}),
  };
}
