// Credentials: the real, effective, saved and file-system user and group ids (getresuid,
// setuid, setreuid, setresuid, setfsuid and the group forms), the supplementary groups and the
// capability sets (capget, capset), with Linux's permission rules (kernel/sys.c,
// kernel/capability.c). Each call changes a copy of the credentials and commits it (creds.ts).
// The user and group forms are the same code over two sets of id roles.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { StructWriter } from '../context.js';
import type { CapFixup, Credentials, IdRoles } from '../creds.js';
import { CAP_FULL_SET, CAP_SETGID, CAP_SETPCAP, GROUP_IDS, losesDumpable, USER_IDS } from '../creds.js';
import { Errno } from '../errno.js';
import type { Process } from '../process.js';

/** (uid_t)-1: "leave this id alone" (and never a valid id). */
const NO_ID = 0xffffffff;
const NGROUPS_MAX = 65536;

/** Makes `next` the process's credentials (commit_creds); user id changes take the
 *  capabilities along (`fix`). */
function commit(proc: Process, next: Credentials, fix?: CapFixup): number {
  const old = proc.identity;
  fix?.(old, next);
  if (losesDumpable(old, next)) proc.dumpable = 0;
  old.assign(next);
  return 0;
}

function writeU32s(proc: Process, addr: number, values: number[]): void {
  const w = new StructWriter(4 * values.length);
  values.forEach((v, k) => w.u32(4 * k, v));
  proc.mem.writeBytes(addr, w.bytes);
}

function readU32s(proc: Process, addr: number, count: number): number[] {
  const raw = proc.mem.readBytes(addr, 4 * count);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  return Array.from({ length: count }, (_, k) => view.getUint32(4 * k, true));
}

/** getresuid, getresgid: each id to its pointer, in order (a bad one stops there: EFAULT). */
function getResIds(roles: IdRoles): SyscallHandler {
  return (c) => {
    const id = c.proc.identity;
    [id[roles.real], id[roles.effective], id[roles.saved]].forEach((value, k) => writeU32s(c.proc, argUlong(c.args, k), [value]));
    return 0;
  };
}

/** setuid, setgid: with the capability, every id; without it, the effective and file-system
 *  ids, to the real or saved id. */
function setId(roles: IdRoles): SyscallHandler {
  return (c) => {
    const id = argUint(c.args, 0);
    if (id === NO_ID) return -Errno.EINVAL;
    const old = c.proc.identity;
    const next = old.clone();
    if (old.capable(roles.cap)) next[roles.real] = next[roles.saved] = id;
    else if (id !== old[roles.real] && id !== old[roles.saved]) return -Errno.EPERM;
    next[roles.effective] = next[roles.fs] = id;
    return commit(c.proc, next, roles.fixIds);
  };
}

/** setreuid, setregid: the real id to the real or effective one, the effective id to any of
 *  the three (anything with the capability); the saved id follows the effective one when the
 *  real id is set or the effective one leaves the real one. */
function setReIds(roles: IdRoles): SyscallHandler {
  return (c) => {
    const real = argUint(c.args, 0);
    const effective = argUint(c.args, 1);
    const old = c.proc.identity;
    const privileged = old.capable(roles.cap);
    const next = old.clone();
    if (real !== NO_ID) {
      if (!privileged && real !== old[roles.real] && real !== old[roles.effective]) return -Errno.EPERM;
      next[roles.real] = real;
    }
    if (effective !== NO_ID) {
      if (!privileged && !old.holds(roles, effective)) return -Errno.EPERM;
      next[roles.effective] = effective;
    }
    if (real !== NO_ID || (effective !== NO_ID && effective !== old[roles.real])) next[roles.saved] = next[roles.effective];
    next[roles.fs] = next[roles.effective];
    return commit(c.proc, next, roles.fixIds);
  };
}

/** setresuid, setresgid: each id to one of the current three (anything with the capability). */
function setResIds(roles: IdRoles): SyscallHandler {
  return (c) => {
    const ids = [argUint(c.args, 0), argUint(c.args, 1), argUint(c.args, 2)];
    const old = c.proc.identity;
    if (!old.capable(roles.cap) && ids.some((id) => id !== NO_ID && !old.holds(roles, id))) return -Errno.EPERM;
    const next = old.clone();
    [roles.real, roles.effective, roles.saved].forEach((role, k) => {
      if (ids[k] !== NO_ID) next[role] = ids[k];
    });
    next[roles.fs] = next[roles.effective];
    return commit(c.proc, next, roles.fixIds);
  };
}

/** setfsuid, setfsgid: the file-system id to one of the other ids (anything with the
 *  capability); never fails, returns the previous file-system id. */
function setFsId(roles: IdRoles): SyscallHandler {
  return (c) => {
    const id = argUint(c.args, 0);
    const old = c.proc.identity;
    const previous = old[roles.fs];
    if (id === NO_ID || id === previous) return previous;
    if (!old.holds(roles, id) && !old.capable(roles.cap)) return previous;
    const next = old.clone();
    next[roles.fs] = id;
    commit(c.proc, next, roles.fixFs);
    return previous;
  };
}

/** getgroups: the number of supplementary groups; with a size, the groups too (EINVAL when
 *  they do not fit). */
function getgroups(c: SyscallContext): number {
  const size = argInt(c.args, 0);
  if (size < 0) return -Errno.EINVAL;
  const groups = c.proc.identity.groups;
  if (size > 0) {
    if (groups.length > size) return -Errno.EINVAL;
    writeU32s(c.proc, argUlong(c.args, 1), groups);
  }
  return groups.length;
}

/** setgroups: needs CAP_SETGID; the kernel keeps the list sorted. */
function setgroups(c: SyscallContext): number {
  const proc = c.proc;
  if (!proc.identity.capable(CAP_SETGID)) return -Errno.EPERM;
  const size = argUint(c.args, 0);
  if (size > NGROUPS_MAX) return -Errno.EINVAL;
  const groups = readU32s(proc, argUlong(c.args, 1), size);
  // (gid_t)-1 is no group.
  if (groups.includes(NO_ID)) return -Errno.EINVAL;
  const next = proc.identity.clone();
  next.groups = groups.sort((a, b) => a - b);
  return commit(proc, next);
}

// ---------------------------------------------------------------- capabilities

const LINUX_CAPABILITY_VERSION_1 = 0x19980330;
const LINUX_CAPABILITY_VERSION_2 = 0x20071026;
const LINUX_CAPABILITY_VERSION_3 = 0x20080522;
/** How many 32-bit words of each set a header version carries. */
const CAP_WORDS: Readonly<Record<number, number>> = {
  [LINUX_CAPABILITY_VERSION_1]: 1,
  [LINUX_CAPABILITY_VERSION_2]: 2,
  [LINUX_CAPABILITY_VERSION_3]: 2,
};
/** struct __user_cap_data_struct: effective, permitted, inheritable. */
const CAP_DATA_SIZE = 12;

/** cap_validate_magic: the words of each set the header's version carries, or -EINVAL after
 *  writing the version the kernel prefers into the header. */
function capWords(proc: Process, header: number): number {
  const [version] = readU32s(proc, header, 1);
  const words = CAP_WORDS[version];
  if (words !== undefined) return words;
  writeU32s(proc, header, [LINUX_CAPABILITY_VERSION_3]);
  return -Errno.EINVAL;
}

function headerPid(proc: Process, header: number): number {
  return readU32s(proc, header + 4, 1)[0] | 0;
}

/** The 32-bit word `k` of a capability set. */
function word(set: bigint, k: number): number {
  return Number((set >> BigInt(32 * k)) & 0xffffffffn);
}

function capget(c: SyscallContext): number {
  const { proc, args } = c;
  const header = argUlong(args, 0);
  const data = argUlong(args, 1);
  const words = capWords(proc, header);
  // A null data pointer asks only for the version: an unknown one was answered in the header.
  if (data === 0) return 0;
  if (words < 0) return words;
  const pid = headerPid(proc, header);
  if (pid < 0) return -Errno.EINVAL;
  if (pid !== 0 && pid !== proc.pid) return -Errno.ESRCH;
  const id = proc.identity;
  const values: number[] = [];
  for (let k = 0; k < words; k++) values.push(word(id.effective, k), word(id.permitted, k), word(id.inheritable, k));
  writeU32s(proc, data, values);
  return 0;
}

/** Reads the sets capset gives: `words` 32-bit words each, the rest 0, unknown bits dropped. */
function readCapSets(proc: Process, data: number, words: number): { effective: bigint; permitted: bigint; inheritable: bigint } {
  const raw = readU32s(proc, data, (words * CAP_DATA_SIZE) / 4);
  const set = (field: number) => {
    let value = 0n;
    for (let k = 0; k < words; k++) value |= BigInt(raw[3 * k + field]) << BigInt(32 * k);
    return value & CAP_FULL_SET;
  };
  return { effective: set(0), permitted: set(1), inheritable: set(2) };
}

/** capset (cap_capset): no capability the process does not have can enter its permitted or
 *  (without CAP_SETPCAP) its inheritable set, nor one outside the bounding set; the effective
 *  set must stay within the permitted one. Only the process itself can be changed. */
function capset(c: SyscallContext): number {
  const { proc, args } = c;
  const header = argUlong(args, 0);
  const words = capWords(proc, header);
  if (words < 0) return words;
  const pid = headerPid(proc, header);
  if (pid !== 0 && pid !== proc.pid) return -Errno.EPERM;
  const sets = readCapSets(proc, argUlong(args, 1), words);
  const old = proc.identity;
  const within = (set: bigint, allowed: bigint) => (set & ~allowed) === 0n;
  if (!old.capable(CAP_SETPCAP) && !within(sets.inheritable, old.inheritable | old.permitted)) return -Errno.EPERM;
  if (!within(sets.inheritable, old.inheritable | old.bounding)) return -Errno.EPERM;
  if (!within(sets.permitted, old.permitted)) return -Errno.EPERM;
  if (!within(sets.effective, sets.permitted)) return -Errno.EPERM;
  const next = old.clone();
  Object.assign(next, sets);
  next.ambient &= sets.permitted & sets.inheritable;
  return commit(proc, next);
}

export const CREDS_SYSCALLS: Record<string, SyscallHandler> = {
  getresuid: getResIds(USER_IDS),
  getresgid: getResIds(GROUP_IDS),
  setuid: setId(USER_IDS),
  setgid: setId(GROUP_IDS),
  setreuid: setReIds(USER_IDS),
  setregid: setReIds(GROUP_IDS),
  setresuid: setResIds(USER_IDS),
  setresgid: setResIds(GROUP_IDS),
  setfsuid: setFsId(USER_IDS),
  setfsgid: setFsId(GROUP_IDS),
  getgroups,
  setgroups,
  capget,
  capset,
};
