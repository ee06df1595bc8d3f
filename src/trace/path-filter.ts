// strace -P PATH: a call is traced when a path it takes is PATH, or a descriptor it names refers
// to PATH (what the kernel described in SyscallEvent.fds), as strace's pathtrace_match compares
// them: the strings as they are.
import { argUlong } from './event.js';
import { fdsNamed } from '../decode/fd-args.js';
import type { GuestMemoryReader, SyscallEvent } from './event.js';
import { rowOf } from '../decode/index.js';

const AT_FDCWD = -100;
const PATH_MAX = 4096;

export function touchesPath(ev: SyscallEvent, mem: GuestMemoryReader, paths: readonly string[]): boolean {
  const specs = rowOf(ev)?.args;
  if (specs === undefined) return false;
  for (let i = 0; i < specs.length; i++) {
    const kind = specs[i].kind;
    if (kind === 'path') {
      const s = mem.readCString(argUlong(ev.args, i), PATH_MAX);
      if (s?.terminated && paths.includes(Buffer.from(s.bytes).toString('utf8'))) return true;
    }
  }
  // A descriptor it names (AT_FDCWD aside) that refers to one of the paths.
  return fdsNamed(ev, mem).some((fd) => fd !== AT_FDCWD && ev.fds?.[fd] !== undefined && paths.includes(ev.fds[fd].path));
}
