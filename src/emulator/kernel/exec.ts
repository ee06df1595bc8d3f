// What execve runs: the checks Linux's fs/exec.c makes before the point of no return, in its
// order, and the binary formats it knows: ELF (binfmt_elf) and `#!` scripts (binfmt_script).
// The result is a program the machine loads in place of the current one (Process.exec), or the
// errno the call fails with while the old program still runs.
import fs from 'node:fs';
import path from 'node:path';
import { parseElf, type ElfImage } from '../elf.js';
import { MemoryFault } from '../memory.js';
import { Errno } from './errno.js';
import { exists, type Lookup, mayAccess, X_OK } from './vfs.js';
import type { Process } from './process.js';

/** Longest single argument or environment string, with its NUL (MAX_ARG_STRLEN: 32 pages). */
export const MAX_ARG_STRLEN = 32 * 4096;
/** The floor of the argument space (ARG_MAX), whatever RLIMIT_STACK says. */
const ARG_MAX = 32 * 4096;
/** _STK_LIM / 4 * 3: the argument space's ceiling. */
const ARG_SPACE_CEILING = ((8 * 1024 * 1024) / 4) * 3;
/** How many interpreters deep a script may go (exec_binprm's loop ends at depth 5). */
const MAX_INTERPRETER_DEPTH = 5;
/** The bytes of the file the formats look at (BINPRM_BUF_SIZE). */
const BINPRM_BUF_SIZE = 256;
const RLIMIT_STACK = 3;

/** A program execve will start, everything about it checked. */
export interface ExecProgram {
  image: ElfImage;
  /** Host path of the ELF file that runs (/proc/self/exe; a script's interpreter). */
  hostPath: string;
  /** The name the program was started by (AT_EXECFN, comm): the path as given. */
  filename: Uint8Array;
  argv: Uint8Array[];
  envp: Uint8Array[];
  /** A `#!` line changed the arguments (a replay cannot know them from the call alone). */
  scriptArgv?: boolean;
}

/** Reads a NULL-terminated array of string pointers (argv, envp); a NULL array is empty. */
export function readStringArray(proc: Process, addr: number): Uint8Array[] | number {
  const strings: Uint8Array[] = [];
  if (addr === 0) return strings;
  const mem = proc.mem;
  for (let k = 0; ; k++) {
    let ptr: number;
    try {
      const lo = mem.read64(addr + 8 * k) >>> 0;
      ptr = (mem.hi >>> 0) * 4294967296 + lo;
    } catch (e) {
      if (e instanceof MemoryFault) return -Errno.EFAULT;
      throw e;
    }
    if (ptr === 0) return strings;
    const s = mem.readCString(ptr, MAX_ARG_STRLEN - 1);
    if (!s.terminated) return s.faulted ? -Errno.EFAULT : -Errno.E2BIG;
    strings.push(s.bytes.slice());
  }
}

/** Whether the strings fit the argument space Linux gives (bprm_stack_limits): a quarter of
 *  RLIMIT_STACK, at least ARG_MAX, at most 6 MiB, pointers included. */
export function fitsArgumentSpace(proc: Process, filename: Uint8Array, argv: Uint8Array[], envp: Uint8Array[]): boolean {
  const stackLimit = proc.limits[RLIMIT_STACK][0];
  const quarter = stackLimit >= 2n ** 53n ? Infinity : Number(stackLimit) / 4;
  const limit = Math.max(Math.min(ARG_SPACE_CEILING, quarter), ARG_MAX);
  const pointers = (Math.max(argv.length, 1) + envp.length) * 8;
  if (limit <= pointers) return false;
  let bytes = filename.length + 1;
  for (const s of [...argv, ...envp]) bytes += s.length + 1;
  return bytes <= limit - pointers;
}

/** do_open_execat's checks on a resolved path: it exists, is a regular file, and may be
 *  executed. Returns the host path, or -errno. */
function openExec(proc: Process, l: Lookup): string | number {
  if (!exists(l)) return -Errno.ENOENT;
  if (l.trailingSlash && !l.stat?.isDirectory()) return -Errno.ENOTDIR;
  // /proc entries, devices and descriptions without a host file are not regular files.
  if (l.host === null || l.virtual !== undefined && l.virtual.kind !== 'fd') return -Errno.EACCES;
  let st: fs.BigIntStats;
  try {
    st = fs.statSync(l.host, { bigint: true });
  } catch {
    return -Errno.ENOENT;
  }
  if (!st.isFile()) return -Errno.EACCES;
  if (!mayAccess(proc, st, X_OK)) return -Errno.EACCES;
  // The file itself (an fd's /proc/self/fd/N link resolved): /proc/self/exe names it.
  try {
    return fs.realpathSync(l.host);
  } catch {
    return -Errno.ENOENT;
  }
}

/** The first BINPRM_BUF_SIZE bytes of the file, zero-padded, and the whole file. */
function readProgram(hostPath: string): { head: Uint8Array; data: Buffer } | number {
  let data: Buffer;
  try {
    data = fs.readFileSync(hostPath);
  } catch {
    return -Errno.EACCES;
  }
  const head = new Uint8Array(BINPRM_BUF_SIZE);
  head.set(data.subarray(0, BINPRM_BUF_SIZE));
  return { head, data };
}

const isSpaceTab = (b: number): boolean => b === 0x20 || b === 0x09;
const isTerminator = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0;

/** binfmt_script's reading of a `#!` line: the interpreter and its optional argument, or
 *  ENOEXEC when the line names none (or its name does not fit the buffer). */
export function parseShebang(head: Uint8Array): { interpreter: Uint8Array; argument: Uint8Array | null } | number {
  const bufEnd = BINPRM_BUF_SIZE - 1;
  let end = head.indexOf(0x0a);
  if (end < 0) {
    let k = 2;
    while (k < bufEnd && isSpaceTab(head[k])) k++;
    if (k >= bufEnd) return -Errno.ENOEXEC;
    while (k < bufEnd && !isTerminator(head[k])) k++;
    if (k >= bufEnd) return -Errno.ENOEXEC;
    end = bufEnd;
  }
  while (end > 2 && isSpaceTab(head[end - 1])) end--;
  let name = 2;
  while (name < end && isSpaceTab(head[name])) name++;
  if (name >= end) return -Errno.ENOEXEC;
  let sep = name;
  while (sep < end && !isTerminator(head[sep])) sep++;
  let argument: Uint8Array | null = null;
  if (sep < end && head[sep] !== 0) {
    let arg = sep;
    while (arg < end && isSpaceTab(head[arg])) arg++;
    if (arg < end) argument = cString(head.subarray(arg, end));
  }
  return { interpreter: cString(head.subarray(name, sep)), argument };
}

/** The bytes before the first NUL. */
function cString(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return (nul < 0 ? bytes : bytes.subarray(0, nul)).slice();
}

/** Why emtrace cannot load an ELF file Linux might run (a dynamically linked or 32-bit one),
 *  for the diagnostic; null for files Linux refuses too. */
function unsupportedElf(message: string): boolean {
  return /dynamically linked|32-bit/.test(message);
}

/**
 * The program an execve of `l` (named `filename` by the caller) runs with these arguments:
 * follows `#!` lines to an ELF executable. `resolve` looks up an interpreter's path.
 */
export function prepareExec(
  proc: Process,
  l: Lookup,
  filename: Uint8Array,
  argv: Uint8Array[],
  envp: Uint8Array[],
  resolve: (pathname: string) => Lookup | number,
): ExecProgram | number {
  let lookup = l;
  let args = argv;
  for (let depth = 0; ; depth++) {
    if (depth > MAX_INTERPRETER_DEPTH) return -Errno.ELOOP;
    const hostPath = openExec(proc, lookup);
    if (typeof hostPath === 'number') return hostPath;
    const program = readProgram(hostPath);
    if (typeof program === 'number') return program;
    const { head, data } = program;
    if (head[0] === 0x23 && head[1] === 0x21) {
      const shebang = parseShebang(head);
      if (typeof shebang === 'number') return shebang;
      // argv[0] gives way to the interpreter, its argument and the script's name.
      args = [shebang.interpreter, ...(shebang.argument ? [shebang.argument] : []), filename, ...args.slice(1)];
      if (!fitsArgumentSpace(proc, filename, args, envp)) return -Errno.E2BIG;
      const next = resolve(Buffer.from(shebang.interpreter).toString('utf8'));
      if (typeof next === 'number') return next;
      lookup = next;
      continue;
    }
    try {
      const image = parseElf(hostPath, data);
      return { image, hostPath, filename, argv: args, envp, ...(depth > 0 ? { scriptArgv: true } : {}) };
    } catch (e) {
      const message = (e as Error).message;
      if (unsupportedElf(message)) proc.diagnose(`execve of ${path.basename(hostPath)}: ${message.replace(/^[^:]*: /, '')}: the guest gets ENOEXEC`);
      return -Errno.ENOEXEC;
    }
  }
}
