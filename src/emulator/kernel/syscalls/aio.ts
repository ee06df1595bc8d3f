// Linux native AIO (io_setup, io_destroy, io_submit, io_cancel, io_getevents, io_pgetevents).
// The emulated machine runs with fs.aio-max-nr = 0: every argument is checked as fs/aio.c checks
// it, and then io_setup finds no room for a context (EAGAIN), as Linux does with that setting;
// with no context, the calls that take one find none (EINVAL). Programs fall back to
// synchronous I/O.
import { argLong, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';
import { readU32, readU64 } from '../user-struct.js';

/** 0x10000000 / sizeof(struct io_event) */
const MAX_EVENTS = 0x10000000 / 32;
const KIOCB_KEY = 0;

function ioSetup(c: SyscallContext): number {
  const nr = argUlong(c.args, 0) >>> 0;
  const ctx = readU64(c.proc, argUlong(c.args, 1));
  if (ctx !== 0n || nr === 0) return -Errno.EINVAL;
  if (nr > MAX_EVENTS) return -Errno.EINVAL;
  return -Errno.EAGAIN;
}

/** lookup_ioctx: no context exists. */
function noContext(): number {
  return -Errno.EINVAL;
}

function ioSubmit(c: SyscallContext): number {
  if (argLong(c.args, 1) < 0) return -Errno.EINVAL;
  return noContext();
}

function ioCancel(c: SyscallContext): number {
  if (readU32(c.proc, argUlong(c.args, 1) + 4) !== KIOCB_KEY) return -Errno.EINVAL;
  return noContext();
}

function ioGetevents(c: SyscallContext): number {
  const timeout = argUlong(c.args, 4);
  if (timeout !== 0) c.proc.mem.readBytes(timeout, 16);
  return noContext();
}

function ioPgetevents(c: SyscallContext): number {
  const sigAddr = argUlong(c.args, 5);
  if (sigAddr !== 0) c.proc.mem.readBytes(sigAddr, 16);
  const timeout = argUlong(c.args, 4);
  if (timeout !== 0) c.proc.mem.readBytes(timeout, 16);
  return noContext();
}


export const AIO_SYSCALLS: Record<string, SyscallHandler> = {
  io_setup: ioSetup,
  io_destroy: noContext,
  io_submit: ioSubmit,
  io_cancel: ioCancel,
  io_getevents: ioGetevents,
  io_pgetevents: ioPgetevents,
};
