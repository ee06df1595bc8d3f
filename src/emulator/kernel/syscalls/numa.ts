// NUMA memory policy on a machine with one node (node 0): set_mempolicy, get_mempolicy, mbind,
// migrate_pages, move_pages, set_mempolicy_home_node. Modes, flags and node masks are checked as
// mm/mempolicy.c checks them (CONFIG_NODES_SHIFT=10: 1024 possible nodes); the process's policy
// and each range's are kept and reported back. Every page is on node 0, so nothing ever moves.
import { argInt, argUint, argUlong } from '../../../trace/event.js';
import type { SyscallContext, SyscallHandler } from '../context.js';
import { Errno } from '../errno.js';
import type { Process } from '../process.js';
import { PAGE_SIZE } from '../../memory.js';
import { viewOf } from '../user-struct.js';

const MAX_NUMNODES = 1024;
const MPOL_DEFAULT = 0;
const MPOL_PREFERRED = 1;
const MPOL_BIND = 2;
const MPOL_INTERLEAVE = 3;
const MPOL_LOCAL = 4;
const MPOL_PREFERRED_MANY = 5;
const MPOL_MAX = 6;
const MPOL_F_STATIC_NODES = 1 << 15;
const MPOL_F_RELATIVE_NODES = 1 << 14;
const MPOL_F_NUMA_BALANCING = 1 << 13;
const MPOL_MODE_FLAGS = MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING;
const MPOL_F_NODE = 1;
const MPOL_F_ADDR = 2;
const MPOL_F_MEMS_ALLOWED = 4;
const MPOL_MF_STRICT = 1;
const MPOL_MF_MOVE = 2;
const MPOL_MF_MOVE_ALL = 4;
const MPOL_MF_VALID = MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL;

/** A policy: its mode, mode flags and (as given by the caller) node mask. */
interface Policy {
  mode: number;
  flags: number;
  /** The nodes of the mask that exist (node 0 or none). */
  node0: boolean;
}

interface RangePolicy extends Policy {
  start: number;
  end: number;
}

interface NumaState {
  task: Policy | null;
  ranges: RangePolicy[];
}

const states = new WeakMap<Process, NumaState>();

function stateOf(proc: Process): NumaState {
  let s = states.get(proc);
  if (!s) states.set(proc, (s = { task: null, ranges: [] }));
  return s;
}

/** sanitize_mpol_flags: [mode, flags] or -EINVAL. */
function splitMode(raw: number): [number, number] | number {
  const flags = raw & MPOL_MODE_FLAGS;
  const mode = (raw & ~MPOL_MODE_FLAGS) >>> 0;
  if (mode >= MPOL_MAX) return -Errno.EINVAL;
  if (flags & MPOL_F_STATIC_NODES && flags & MPOL_F_RELATIVE_NODES) return -Errno.EINVAL;
  if (flags & MPOL_F_NUMA_BALANCING && mode !== MPOL_BIND && mode !== MPOL_PREFERRED_MANY) return -Errno.EINVAL;
  return [mode, flags];
}

/** get_nodes: the mask of maxnode - 1 bits at addr, as a set of node numbers; -errno. */
function readNodes(proc: Process, addr: number, maxnodeArg: number): Set<number> | number {
  const nodes = new Set<number>();
  let maxnode = maxnodeArg - 1;
  if (maxnode <= 0 || addr === 0) return nodes;
  if (maxnode > PAGE_SIZE * 8) return -Errno.EINVAL;
  const words = Math.ceil(maxnode / 64);
  const view = viewOf(proc.mem.readBytes(addr, words * 8));
  for (let bit = 0; bit < maxnode; bit++) {
    if ((view.getUint8(bit >> 3) >> (bit & 7)) & 1) {
      if (bit >= MAX_NUMNODES) return -Errno.EINVAL;
      nodes.add(bit);
    }
  }
  return nodes;
}

/** mpol_new and mpol_set_nodemask: the policy, null for MPOL_DEFAULT, or -EINVAL. */
function makePolicy(mode: number, flags: number, nodes: Set<number>): Policy | null | number {
  if (mode === MPOL_DEFAULT) return nodes.size > 0 ? -Errno.EINVAL : null;
  if (mode === MPOL_PREFERRED && nodes.size === 0) {
    if (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) return -Errno.EINVAL;
    return { mode: MPOL_LOCAL, flags, node0: false };
  }
  if (mode === MPOL_LOCAL) {
    if (nodes.size > 0 || flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) return -Errno.EINVAL;
    return { mode, flags, node0: false };
  }
  if (nodes.size === 0) return -Errno.EINVAL;
  // Relative masks fold onto the allowed nodes (node 0); others keep only the nodes that exist.
  const node0 = flags & MPOL_F_RELATIVE_NODES ? true : nodes.has(0);
  if (!node0) return -Errno.EINVAL;
  return { mode, flags, node0 };
}

function setMempolicy(c: SyscallContext): number {
  const split = splitMode(argInt(c.args, 0));
  if (typeof split === 'number') return split;
  const nodes = readNodes(c.proc, argUlong(c.args, 1), argUlong(c.args, 2));
  if (typeof nodes === 'number') return nodes;
  const policy = makePolicy(split[0], split[1], nodes);
  if (typeof policy === 'number') return policy;
  stateOf(c.proc).task = policy;
  return 0;
}

/** The mapping containing addr, if any. */
function mappingAt(proc: Process, addr: number) {
  return proc.mem.mappings.find((m) => m.start <= addr && addr < m.end);
}

/** Whether [start, end) is mapped without a hole. */
function fullyMapped(proc: Process, start: number, end: number): boolean {
  let at = start;
  for (const m of proc.mem.mappings) {
    if (m.end <= at) continue;
    if (m.start > at) return false;
    at = m.end;
    if (at >= end) return true;
  }
  return at >= end;
}

function mbind(c: SyscallContext): number {
  const start = argUlong(c.args, 0);
  const split = splitMode(argInt(c.args, 2));
  if (typeof split === 'number') return split;
  const nodes = readNodes(c.proc, argUlong(c.args, 3), argUlong(c.args, 4));
  if (typeof nodes === 'number') return nodes;
  const flags = argUint(c.args, 5);
  if (flags & ~MPOL_MF_VALID) return -Errno.EINVAL;
  if (start % PAGE_SIZE) return -Errno.EINVAL;
  const end = start + Math.ceil(argUlong(c.args, 1) / PAGE_SIZE) * PAGE_SIZE;
  if (end < start) return -Errno.EINVAL;
  if (end === start) return 0;
  const policy = makePolicy(split[0], split[1], nodes);
  if (typeof policy === 'number') return policy;
  if (!fullyMapped(c.proc, start, end)) return -Errno.EFAULT;
  const s = stateOf(c.proc);
  s.ranges = s.ranges.flatMap((r) => {
    if (r.end <= start || r.start >= end) return [r];
    const parts: RangePolicy[] = [];
    if (r.start < start) parts.push({ ...r, end: start });
    if (r.end > end) parts.push({ ...r, start: end });
    return parts;
  });
  if (policy) s.ranges.push({ ...policy, start, end });
  return 0;
}

/** copy_nodes_to_user: the mask (node 0 set or not) as maxnode - 1 bits. */
function writeNodes(proc: Process, addr: number, maxnode: number, node0: boolean): number {
  const bytes = Math.ceil((maxnode - 1) / 64) * 8;
  if (bytes > 8 && bytes > PAGE_SIZE) return -Errno.EINVAL;
  const out = new Uint8Array(bytes);
  if (bytes > 0 && node0) out[0] = 1;
  proc.mem.writeBytes(addr, out);
  return 0;
}

function getMempolicy(c: SyscallContext): number {
  const policyAddr = argUlong(c.args, 0);
  const maskAddr = argUlong(c.args, 1);
  const maxnode = argUlong(c.args, 2);
  const addr = argUlong(c.args, 3);
  const flags = argUlong(c.args, 4);
  if (maskAddr !== 0 && maxnode < 1) return -Errno.EINVAL;
  if (flags & ~(MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED)) return -Errno.EINVAL;
  let mode: number;
  let node0: boolean;
  if (flags & MPOL_F_MEMS_ALLOWED) {
    if (flags & (MPOL_F_NODE | MPOL_F_ADDR)) return -Errno.EINVAL;
    mode = 0;
    node0 = true;
  } else {
    let policy: Policy | null = stateOf(c.proc).task;
    if (flags & MPOL_F_ADDR) {
      if (!mappingAt(c.proc, addr)) return -Errno.EFAULT;
      policy = stateOf(c.proc).ranges.find((r) => r.start <= addr && addr < r.end) ?? policy;
    } else if (addr !== 0) return -Errno.EINVAL;
    if (flags & MPOL_F_NODE) {
      // The node of the page at addr, or the next interleave node: both node 0.
      if (!(flags & MPOL_F_ADDR) && policy?.mode !== MPOL_INTERLEAVE) return -Errno.EINVAL;
      mode = 0;
    } else mode = policy ? policy.mode | (policy.flags & MPOL_MODE_FLAGS) : MPOL_DEFAULT;
    node0 = policy !== null && policy.mode !== MPOL_LOCAL && policy.node0;
  }
  if (policyAddr !== 0) c.proc.mem.writeBytes(policyAddr, new Uint8Array(new Int32Array([mode]).buffer));
  return maskAddr !== 0 ? writeNodes(c.proc, maskAddr, maxnode, node0) : 0;
}

function migratePages(c: SyscallContext): number {
  const maxnode = argUlong(c.args, 1);
  const from = readNodes(c.proc, argUlong(c.args, 2), maxnode);
  if (typeof from === 'number') return from;
  const to = readNodes(c.proc, argUlong(c.args, 3), maxnode);
  if (typeof to === 'number') return to;
  const pid = argInt(c.args, 0);
  if (pid !== 0 && pid !== c.proc.pid) return -Errno.ESRCH;
  // Every page is on node 0 and stays there: none is left unmigrated.
  return 0;
}

function movePages(c: SyscallContext): number {
  const flags = argInt(c.args, 5);
  if (flags & ~(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) return -Errno.EINVAL;
  const pid = argInt(c.args, 0);
  if (pid !== 0 && pid !== c.proc.pid) return -Errno.ESRCH;
  const count = argUlong(c.args, 1);
  const pages = argUlong(c.args, 2);
  const nodes = argUlong(c.args, 3);
  const status = argUlong(c.args, 4);
  for (let k = 0; k < count; k++) {
    const page = Number(viewOf(c.proc.mem.readBytes(pages + 8 * k, 8)).getBigUint64(0, true));
    if (nodes !== 0) {
      const node = viewOf(c.proc.mem.readBytes(nodes + 4 * k, 4)).getInt32(0, true);
      if (node < 0 || node >= MAX_NUMNODES || node !== 0) return -Errno.ENODEV;
    }
    // A mapped page is on node 0 (whether touched yet or not, emtrace's pages are all there).
    const where = mappingAt(c.proc, page) ? 0 : -Errno.EFAULT;
    c.proc.mem.writeBytes(status + 4 * k, new Uint8Array(new Int32Array([where]).buffer));
  }
  return 0;
}

function setMempolicyHomeNode(c: SyscallContext): number {
  const start = argUlong(c.args, 0);
  if (start % PAGE_SIZE) return -Errno.EINVAL;
  if (argUlong(c.args, 3) !== 0) return -Errno.EINVAL;
  if (argUlong(c.args, 2) !== 0) return -Errno.EINVAL;
  const end = start + Math.ceil(argUlong(c.args, 1) / PAGE_SIZE) * PAGE_SIZE;
  if (end < start) return -Errno.EINVAL;
  for (const r of stateOf(c.proc).ranges) {
    if (r.end <= start || r.start >= end) continue;
    if (r.mode !== MPOL_BIND && r.mode !== MPOL_PREFERRED_MANY) return -Errno.EOPNOTSUPP;
  }
  return 0;
}

export const NUMA_SYSCALLS: Record<string, SyscallHandler> = {
  set_mempolicy: setMempolicy,
  get_mempolicy: getMempolicy,
  mbind,
  migrate_pages: migratePages,
  move_pages: movePages,
  set_mempolicy_home_node: setMempolicyHomeNode,
};
