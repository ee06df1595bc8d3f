// A process's credentials, as Linux keeps them in struct cred: the real, effective, saved and
// file-system user and group ids, the supplementary groups and the capability sets. The set*id
// calls (syscalls/creds.ts) change a copy and commit it, as prepare_creds/commit_creds do; the
// capability rules that follow uid changes are security/commoncap.c's.
//
// The rest of the kernel decides "privileged" by euid 0 (file permissions, mmap below
// mmap_min_addr...); the calls here ask the capability sets, which agree with that until a
// process drops capabilities with capset.
import type { ProcessIdentity } from '../loader.js';

export const CAP_CHOWN = 0;
export const CAP_DAC_OVERRIDE = 1;
export const CAP_DAC_READ_SEARCH = 2;
export const CAP_FOWNER = 3;
export const CAP_FSETID = 4;
export const CAP_SETGID = 6;
export const CAP_SETUID = 7;
export const CAP_SETPCAP = 8;
export const CAP_SYS_ADMIN = 21;
export const CAP_SYS_NICE = 23;
export const CAP_SYS_RESOURCE = 24;
export const CAP_MKNOD = 27;
export const CAP_MAC_OVERRIDE = 32;
export const CAP_WAKE_ALARM = 35;
export const CAP_BLOCK_SUSPEND = 36;
/** CAP_CHECKPOINT_RESTORE, the last capability Linux 6.1 knows. */
export const CAP_LAST_CAP = 40;
/** Every capability: what root has after exec, and the bounding set. */
export const CAP_FULL_SET = (1n << BigInt(CAP_LAST_CAP + 1)) - 1n;

export function capBit(cap: number): bigint {
  return 1n << BigInt(cap);
}

/** The capabilities that follow the file-system uid (CAP_FS_MASK). */
const CAP_FS_MASK = [CAP_CHOWN, CAP_MKNOD, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID, CAP_MAC_OVERRIDE].reduce(
  (mask, cap) => mask | capBit(cap),
  0n,
);

/** How the capabilities follow a change of ids (applied to the new credentials). */
export type CapFixup = (old: Credentials, next: Credentials) => void;

/** The user and group ids one struct cred holds, by role. */
export interface IdRoles {
  readonly real: 'uid' | 'gid';
  readonly effective: 'euid' | 'egid';
  readonly saved: 'suid' | 'sgid';
  readonly fs: 'fsuid' | 'fsgid';
  /** The capability that lets a process set these ids to anything. */
  readonly cap: number;
  /** The capability rules after a change of the ids, of the file-system id (users only). */
  readonly fixIds?: CapFixup;
  readonly fixFs?: CapFixup;
}

export const USER_IDS: IdRoles = {
  real: 'uid',
  effective: 'euid',
  saved: 'suid',
  fs: 'fsuid',
  cap: CAP_SETUID,
  fixIds: fixCapsAfterSetuid,
  fixFs: fixCapsAfterSetfsuid,
};
export const GROUP_IDS: IdRoles = { real: 'gid', effective: 'egid', saved: 'sgid', fs: 'fsgid', cap: CAP_SETGID };

export class Credentials implements ProcessIdentity {
  uid: number;
  euid: number;
  suid: number;
  fsuid: number;
  gid: number;
  egid: number;
  sgid: number;
  fsgid: number;
  /** Supplementary groups, sorted (setgroups sorts them). */
  groups: number[];
  effective: bigint;
  permitted: bigint;
  inheritable = 0n;
  bounding = CAP_FULL_SET;
  ambient = 0n;

  /** The credentials a program starts with, as exec gives them: saved and file-system ids equal
   *  to the effective ones; the primary group as the only supplementary group (what a login's
   *  initgroups gives a user in no other group); root with every capability. */
  constructor(identity: ProcessIdentity) {
    this.uid = identity.uid;
    this.euid = this.suid = this.fsuid = identity.euid;
    this.gid = identity.gid;
    this.egid = this.sgid = this.fsgid = identity.egid;
    this.groups = [identity.gid];
    this.permitted = identity.uid === 0 || identity.euid === 0 ? CAP_FULL_SET : 0n;
    this.effective = identity.euid === 0 ? this.permitted : 0n;
  }

  /** A copy to change (prepare_creds). */
  clone(): Credentials {
    const copy = Object.create(Credentials.prototype) as Credentials;
    return Object.assign(copy, this, { groups: [...this.groups] });
  }

  /** Takes the values of `next` (commit_creds). */
  assign(next: Credentials): void {
    Object.assign(this, next, { groups: [...next.groups] });
  }

  capable(cap: number): boolean {
    return (this.effective & capBit(cap)) !== 0n;
  }

  /** Whether `id` is one of the real, effective or saved ids of `roles`. */
  holds(roles: IdRoles, id: number): boolean {
    return id === this[roles.real] || id === this[roles.effective] || id === this[roles.saved];
  }
}

/**
 * cap_emulate_setxuid: after setuid, setreuid or setresuid, a process none of whose uids is 0
 * any more loses its capabilities; an effective uid leaving 0 empties the effective set, one
 * coming back to 0 refills it from the permitted set.
 */
export function fixCapsAfterSetuid(old: Credentials, next: Credentials): void {
  const wasRoot = old.uid === 0 || old.euid === 0 || old.suid === 0;
  if (wasRoot && next.uid !== 0 && next.euid !== 0 && next.suid !== 0) {
    next.permitted = 0n;
    next.effective = 0n;
    next.ambient = 0n;
  }
  if (old.euid === 0 && next.euid !== 0) next.effective = 0n;
  if (old.euid !== 0 && next.euid === 0) next.effective = next.permitted;
}

/** After setfsuid: the file-system capabilities follow the file-system uid to and from 0. */
export function fixCapsAfterSetfsuid(old: Credentials, next: Credentials): void {
  if (old.fsuid === 0 && next.fsuid !== 0) next.effective &= ~CAP_FS_MASK;
  if (old.fsuid !== 0 && next.fsuid === 0) next.effective |= next.permitted & CAP_FS_MASK;
}

/** Whether a change makes the process non-dumpable (commit_creds with suid_dumpable 0: new
 *  effective or file-system ids, or permitted capabilities it did not have). */
export function losesDumpable(old: Credentials, next: Credentials): boolean {
  const idsChanged = old.euid !== next.euid || old.egid !== next.egid || old.fsuid !== next.fsuid || old.fsgid !== next.fsgid;
  return idsChanged || (next.permitted & ~old.permitted) !== 0n;
}
