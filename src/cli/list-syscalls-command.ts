// `emtrace --list-syscalls`: every x86-64 and i386 syscall with how fully the emulated kernel
// implements it (full, partial with a note, or ENOSYS).
import fs from 'node:fs';
import { formatSupportTable } from '../emulator/kernel/support.js';

export async function listSyscallsCommand(): Promise<number> {
  fs.writeSync(1, formatSupportTable());
  return 0;
}
