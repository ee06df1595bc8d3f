// Calls this kernel answers with ENOSYS on purpose, as Linux does: those Linux 6.x no longer
// implements, and those of features the emulated kernel is configured without, chosen as on the
// machine the oracle tests run on: no loadable modules (CONFIG_MODULES=n), no kexec
// (CONFIG_KEXEC=n, CONFIG_KEXEC_FILE=n), no uselib (CONFIG_USELIB=n), no I/O port access
// (CONFIG_X86_IOPL_IOPERM=n).
import type { SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';

const notConfigured: SyscallHandler = () => -Errno.ENOSYS;

/** Why each is ENOSYS (support.ts shows it). */
export const CONFIGURED_OUT: Readonly<Record<string, string>> = {
  init_module: 'CONFIG_MODULES=n',
  finit_module: 'CONFIG_MODULES=n',
  delete_module: 'CONFIG_MODULES=n',
  kexec_load: 'CONFIG_KEXEC=n',
  kexec_file_load: 'CONFIG_KEXEC_FILE=n',
  uselib: 'CONFIG_USELIB=n',
  ioperm: 'CONFIG_X86_IOPL_IOPERM=n',
  iopl: 'CONFIG_X86_IOPL_IOPERM=n',
  create_module: 'not in Linux since 2.6',
  get_kernel_syms: 'not in Linux since 2.6',
  query_module: 'not in Linux since 2.6',
  nfsservctl: 'not in Linux since 3.1',
  _sysctl: 'not in Linux since 5.5',
  lookup_dcookie: 'not in Linux since 6.7',
  getpmsg: 'never implemented by Linux',
  putpmsg: 'never implemented by Linux',
  afs_syscall: 'never implemented by Linux',
  tuxcall: 'never implemented by Linux',
  security: 'never implemented by Linux',
  vserver: 'never implemented by Linux',
};

export const CONFIGURED_OUT_SYSCALLS: Record<string, SyscallHandler> = Object.fromEntries(
  Object.keys(CONFIGURED_OUT).map((name) => [name, notConfigured]),
);
