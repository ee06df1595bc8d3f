// memfd_create (files in the emulator's memory: memfd.ts) and memfd_secret.
import { argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';
import { O_CLOEXEC, O_LARGEFILE, O_RDWR } from '../files.js';
import { F_SEAL_EXEC, F_SEAL_SEAL, MemfdFile, MemfdInode } from '../memfd.js';

/** memfd_create's flags (uapi memfd.h). */
const MFD_CLOEXEC = 0x1;
const MFD_ALLOW_SEALING = 0x2;
const MFD_HUGETLB = 0x4;
const MFD_NOEXEC_SEAL = 0x8;
const MFD_EXEC = 0x10;
const MFD_ALL_FLAGS = MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC;
/** With MFD_HUGETLB, the huge page size's log2 may be encoded in bits 26..31. */
const MFD_HUGE_BITS = 0x3f << 26;
/** NAME_MAX less the length of "memfd:". */
const MFD_NAME_MAX_LEN = 249;

function memfdCreate(c: SyscallContext): number {
  const flags = argUint(c.args, 1);
  const allowed = flags & MFD_HUGETLB ? MFD_ALL_FLAGS | MFD_HUGE_BITS : MFD_ALL_FLAGS;
  if (flags & ~allowed) return -Errno.EINVAL;
  if (flags & MFD_EXEC && flags & MFD_NOEXEC_SEAL) return -Errno.EINVAL;
  const proc = c.proc;
  const name = proc.mem.readCString(argUlong(c.args, 0), MFD_NAME_MAX_LEN + 1);
  if (!name.terminated) return name.faulted ? -Errno.EFAULT : -Errno.EINVAL;
  // Without MFD_ALLOW_SEALING the file is sealed against seals; MFD_NOEXEC_SEAL takes away the
  // exec bits for good (and allows sealing).
  let seals = flags & (MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL) ? 0 : F_SEAL_SEAL;
  let mode = 0o777;
  if (flags & MFD_NOEXEC_SEAL) {
    mode = 0o666;
    seals |= F_SEAL_EXEC;
  }
  // Inode numbers only need to be unique on their device: the pipe counter serves.
  const inode = new MemfdInode(
    proc.vfs.newPipeId(),
    Buffer.from(name.bytes).toString('utf8'),
    mode,
    seals,
    (flags & MFD_HUGETLB) !== 0,
    { uid: proc.identity.euid, gid: proc.identity.egid },
    proc.clock.realtimeNs(),
  );
  const file = new MemfdFile(inode, O_RDWR | O_LARGEFILE, () => proc.clock.realtimeNs());
  return proc.fds.allocate(file, (flags & MFD_CLOEXEC) !== 0);
}

/** memfd_secret's only flag. */
const SECRETMEM_FLAGS = O_CLOEXEC;

/** memfd_secret: the flags are checked; then, as on a kernel booted without secretmem (its
 *  memory must be removed from the kernel's own mappings, which an emulator cannot promise),
 *  ENOSYS. */
function memfdSecret(c: SyscallContext): number {
  if (argUint(c.args, 0) & ~SECRETMEM_FLAGS) return -Errno.EINVAL;
  return -Errno.ENOSYS;
}

export const MEMFD_SYSCALLS: Record<string, SyscallHandler> = {
  memfd_create: memfdCreate,
  memfd_secret: memfdSecret,
};
