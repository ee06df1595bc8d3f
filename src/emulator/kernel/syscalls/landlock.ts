// Landlock (ABI 2, Linux 6.1): rulesets are real descriptions (`anon_inode:[landlock-ruleset]`)
// holding their rules, checked as security/landlock/syscalls.c checks them; restrict_self
// records the domain on the process. The VFS does not enforce domains yet: the guest is told
// (a diagnostic) and support.ts notes it.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import { AnonInodeFile } from '../anon-inode.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';
import { CAP_SYS_ADMIN } from '../creds.js';
import { O_ACCMODE, O_RDONLY, O_RDWR, O_WRONLY } from '../files.js';
import type { Process } from '../process.js';
import { copyStructFromUser, viewOf } from '../user-struct.js';

export const LANDLOCK_ABI_VERSION = 2;
const LANDLOCK_CREATE_RULESET_VERSION = 1;
const LANDLOCK_RULE_PATH_BENEATH = 1;
/** LANDLOCK_ACCESS_FS_EXECUTE .. LANDLOCK_ACCESS_FS_REFER. */
const LANDLOCK_MASK_ACCESS_FS = (1 << 14) - 1;
const RULESET_ATTR_SIZE = 8;
const PAGE_SIZE = 4096;

interface PathRule {
  path: string;
  access: number;
}

export class LandlockRuleset extends AnonInodeFile {
  readonly rules: PathRule[] = [];

  constructor(
    readonly handledAccessFs: number,
    bootNs: bigint,
  ) {
    super('[landlock-ruleset]', O_RDWR, bootNs);
  }
}

const domains = new WeakMap<Process, LandlockRuleset[]>();

/** The rulesets restricting a process, oldest first. */
export function landlockDomain(proc: Process): readonly LandlockRuleset[] {
  return domains.get(proc) ?? [];
}

function createRuleset(c: SyscallContext): number {
  const addr = argUlong(c.args, 0);
  const size = argUlong(c.args, 1);
  const flags = argUint(c.args, 2);
  if (flags) {
    if (flags === LANDLOCK_CREATE_RULESET_VERSION && addr === 0 && size === 0) return LANDLOCK_ABI_VERSION;
    return -Errno.EINVAL;
  }
  if (addr === 0) return -Errno.EFAULT;
  if (size < RULESET_ATTR_SIZE) return -Errno.EINVAL;
  if (size > PAGE_SIZE) return -Errno.E2BIG;
  const attr = copyStructFromUser(c.proc, addr, size, RULESET_ATTR_SIZE);
  if (typeof attr === 'number') return attr;
  const handled = attr.getBigUint64(0, true);
  if ((handled | BigInt(LANDLOCK_MASK_ACCESS_FS)) !== BigInt(LANDLOCK_MASK_ACCESS_FS)) return -Errno.EINVAL;
  if (handled === 0n) return -Errno.ENOMSG;
  return c.proc.fds.allocate(new LandlockRuleset(Number(handled), c.proc.clock.bootRealtimeNs), true);
}

/** get_ruleset_from_fd: EBADF, EBADFD for another kind of file, EPERM without the access. */
function rulesetArg(c: SyscallContext, index: number, mode: 'read' | 'write'): LandlockRuleset | number {
  const file = c.proc.fds.get(argInt(c.args, index));
  if (!file) return -Errno.EBADF;
  if (!(file instanceof LandlockRuleset)) return -Errno.EBADFD;
  const access = file.flags & O_ACCMODE;
  if (mode === 'write' && access === O_RDONLY) return -Errno.EPERM;
  if (mode === 'read' && access === O_WRONLY) return -Errno.EPERM;
  return file;
}

function addRule(c: SyscallContext): number {
  if (argUint(c.args, 3) !== 0) return -Errno.EINVAL;
  const ruleset = rulesetArg(c, 0, 'write');
  if (typeof ruleset === 'number') return ruleset;
  if (argInt(c.args, 1) !== LANDLOCK_RULE_PATH_BENEATH) return -Errno.EINVAL;
  const attr = viewOf(c.proc.mem.readBytes(argUlong(c.args, 2), 12));
  const allowed = attr.getBigUint64(0, true);
  if (allowed === 0n) return -Errno.ENOMSG;
  if ((allowed | BigInt(ruleset.handledAccessFs)) !== BigInt(ruleset.handledAccessFs)) return -Errno.EINVAL;
  const parent = c.proc.fds.get(attr.getInt32(8, true));
  if (!parent) return -Errno.EBADF;
  // A ruleset, a pipe or any object outside the file system tree cannot anchor a rule.
  if (parent instanceof AnonInodeFile || !parent.path.startsWith('/')) return -Errno.EBADFD;
  ruleset.rules.push({ path: parent.path, access: Number(allowed) });
  return 0;
}

function restrictSelf(c: SyscallContext): number {
  if (!c.proc.noNewPrivs && !c.proc.identity.capable(CAP_SYS_ADMIN)) return -Errno.EPERM;
  if (argUint(c.args, 1) !== 0) return -Errno.EINVAL;
  const ruleset = rulesetArg(c, 0, 'read');
  if (typeof ruleset === 'number') return ruleset;
  const domain = [...landlockDomain(c.proc), ruleset];
  domains.set(c.proc, domain);
  c.proc.diagnose('landlock_restrict_self: the domain is recorded but emtrace does not enforce it');
  return 0;
}


export const LANDLOCK_SYSCALLS: Record<string, SyscallHandler> = {
  landlock_create_ruleset: createRuleset,
  landlock_add_rule: addRule,
  landlock_restrict_self: restrictSelf,
};
