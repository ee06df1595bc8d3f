// execve and execveat: the checks in Linux's order (the file first, then the argument and
// environment arrays, then the binary format: exec.ts), then the machine replaces the program
// in this process (Process.exec). On success the call returns 0 to the new program.
import { argInt, argUlong } from '../../../trace/event.js';
import type { SyscallContext } from '../context.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, readPath } from '../context.js';
import { Errno } from '../errno.js';
import { fitsArgumentSpace, prepareExec, readStringArray } from '../exec.js';
import type { Lookup } from '../vfs.js';
import type { Process } from '../process.js';
import type { ElfImage } from '../../elf.js';
import type { ExecRecord } from '../../../trace/event.js';
import { fdLookup } from './lookup.js';

const S_IFMT = 0o170000n;
const S_IFLNK = 0o120000n;

/** The name the new program is started by, as Linux's bprm->filename: the path, or
 *  /dev/fd/N[/path] for a path relative to a directory descriptor. */
function execName(dirfd: number, pathname: string): string {
  if (pathname.startsWith('/') || dirfd === AT_FDCWD) return pathname;
  return pathname === '' ? `/dev/fd/${dirfd}` : `/dev/fd/${dirfd}/${pathname}`;
}

/** What an execve call asks for, read from its arguments in Linux's order after the file
 *  checks: the arguments and environment, and the name the program is started by. */
interface ExecCall {
  argv: Uint8Array[];
  envp: Uint8Array[];
  filename: Uint8Array;
}

function readExecCall(proc: Process, dirfd: number, pathname: string, argvAddr: number, envpAddr: number): ExecCall | number {
  const argv = readStringArray(proc, argvAddr);
  if (typeof argv === 'number') return argv;
  const envp = readStringArray(proc, envpAddr);
  if (typeof envp === 'number') return envp;
  const filename = Buffer.from(execName(dirfd, pathname), 'utf8');
  if (!fitsArgumentSpace(proc, filename, argv, envp)) return -Errno.E2BIG;
  // A program started with no arguments gets an empty argv[0] (Linux 5.18 on).
  return { argv: argv.length === 0 ? [new Uint8Array(0)] : argv, envp, filename };
}

/** execve's and execveat's arguments, by position: dirfd, path, argv, envp, flags. */
function execArgs(name: string, args: Int32Array): [number, number, number, number, number] {
  return name === 'execveat'
    ? [argInt(args, 0), argUlong(args, 1), argUlong(args, 2), argUlong(args, 3), argInt(args, 4)]
    : [AT_FDCWD, argUlong(args, 0), argUlong(args, 1), argUlong(args, 2), 0];
}

function execAt(c: SyscallContext, name: string): number {
  const proc = c.proc;
  const [dirfd, pathAddr, argvAddr, envpAddr, flags] = execArgs(name, c.args);
  const pathname = readPath(proc, pathAddr);
  if (typeof pathname === 'number') return pathname;
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  let l: Lookup | number;
  if (pathname === '' && flags & AT_EMPTY_PATH && dirfd !== AT_FDCWD) {
    const file = proc.fds.get(dirfd);
    l = file ? fdLookup(file) : -Errno.EBADF;
  } else {
    l = proc.vfs.resolve(proc, dirfd, pathname, { follow: !(flags & AT_SYMLINK_NOFOLLOW) });
  }
  if (typeof l === 'number') return l;
  if (flags & AT_SYMLINK_NOFOLLOW && l.stat && (l.stat.mode & S_IFMT) === S_IFLNK) return -Errno.ELOOP;
  const call = readExecCall(proc, dirfd, pathname, argvAddr, envpAddr);
  if (typeof call === 'number') return call;
  const program = prepareExec(proc, l, call.filename, call.argv, call.envp, (interpreter) => proc.vfs.resolve(proc, AT_FDCWD, interpreter, { follow: true }));
  if (typeof program === 'number') return program;
  if (!proc.exec) return -Errno.ENOEXEC;
  proc.exec(program);
  return 0;
}

/**
 * A replay's execve: the program the recording started (`image`, found by the recorded path and
 * checksum) with the arguments the call passes, or those a `#!` line gave it. The file checks
 * ran in the recording; the files they looked at need not exist here.
 */
export function replayExec(proc: Process, name: string, args: Int32Array, started: ExecRecord, image: ElfImage): number {
  const [dirfd, pathAddr, argvAddr, envpAddr] = execArgs(name, args);
  const pathname = readPath(proc, pathAddr);
  if (typeof pathname === 'number') return pathname;
  const call = readExecCall(proc, dirfd, pathname, argvAddr, envpAddr);
  if (typeof call === 'number') return call;
  const argv = started.argv ? started.argv.map((a) => Buffer.from(a, 'latin1')) : call.argv;
  if (!proc.exec) return -Errno.ENOEXEC;
  proc.exec({ image, hostPath: started.path, filename: call.filename, argv, envp: call.envp, ...(started.argv ? { scriptArgv: true } : {}) });
  return 0;
}

export const EXEC_SYSCALLS = {
  execve: (c: SyscallContext) => execAt(c, 'execve'),
  execveat: (c: SyscallContext) => execAt(c, 'execveat'),
};
