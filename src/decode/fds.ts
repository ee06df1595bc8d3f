// Descriptors printed with what they refer to (strace -y, -yy), from the descriptions the event
// carries (SyscallEvent.fds at entry, newFds at exit; fd-args.ts says which those are).

import type { FdName } from '../trace/event.js';
import { AT_FDCWD } from './constants/open.js';
import { escapeBytes } from './strings.js';
import { styled } from './style.js';
import type { Call } from './types.js';

/** The kind of an `int[2]` the kernel fills with two new descriptors (pipe, pipe2). */
export const FD_PAIR_KIND = 'fd[2]';

/** The `<...>` text of a description: the path escaped as strace does (`<` and `>` in octal
 *  too), with -yy a device's `<char 1:3>`. */
function decoration(name: FdName, level: number): string {
  if (level >= 2 && name.detail !== undefined) return '<' + name.detail + '>';
  const bytes = Buffer.from(name.path, 'utf8');
  let text = '';
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x3c && bytes[i] !== 0x3e) continue;
    text += escapeBytes(bytes.subarray(start), i - start);
    if (i < bytes.length) {
      const next = bytes[i + 1];
      text += (next >= 0x30 && next <= 0x37 ? '\\0' : '\\') + bytes[i].toString(8);
    }
    start = i + 1;
  }
  const dev = level >= 2 && name.dev !== undefined ? '<' + name.dev + '>' : '';
  return '<' + text + dev + '>';
}

/** What `fd` referred to when the call was formatted: at entry the argument descriptors, at
 *  exit those it created first. */
function nameOf(c: Call, fd: number): FdName | undefined {
  const ev = c.ev;
  return (c.exiting ? ev.newFds?.[fd] : undefined) ?? ev.fds?.[fd];
}

/** strace's printfd: `3`, with -y `3</etc/passwd>`, with -yy `1</dev/null<char 1:3>>`. */
export function printFd(c: Call, fd: number): string {
  const level = c.opts.decodeFds;
  const name = level > 0 ? nameOf(c, fd) : undefined;
  return name === undefined ? String(fd) : fd + decoration(name, level);
}

/** A directory descriptor: `AT_FDCWD` (with -y, `AT_FDCWD</cwd>`) or printFd. */
export function printDirFd(c: Call, fd: number): string {
  if (fd !== AT_FDCWD) return printFd(c, fd);
  const level = c.opts.decodeFds;
  const name = level > 0 ? nameOf(c, fd) : undefined;
  return styled(String(fd), 'AT_FDCWD') + (name === undefined ? '' : decoration(name, level));
}
