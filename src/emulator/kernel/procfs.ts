// The emulated /proc: never the host's (which would describe Node), always the guest's own
// process and the fixed machine it runs on. A file's text is made when it is opened (as a
// seq_file is on its first read) from the process (address space, fds, clock) and the fixed
// machine description (CPUID, uname, sysinfo), so it is the same on every run.
//
//   /proc/self -> <pid>, /proc/thread-self -> <pid>/task/<pid>, /proc/mounts -> self/mounts
//   /proc/<pid>/: auxv cmdline comm cwd environ exe fd/ fdinfo/ maps mountinfo mounts root stat
//                 statm status task/<pid>/ (the same entries for the one thread)
//   /proc/cpuinfo meminfo version uptime loadavg, /proc/sys/kernel/{osrelease,hostname,ostype,
//   version,domainname}
//
// Everything else under /proc does not exist (ENOENT).
import fs from 'node:fs';
import path from 'node:path';
import { cpuid, CPU_BRAND, CPU_FAMILY, CPU_MODEL, CPU_STEPPING, CPU_VENDOR } from '../cpu/cpuid.js';
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory.js';
import type { Mapping } from '../memory.js';
import { CLOCK_TICKS_PER_SEC, NSEC_PER_SEC, VIRTUAL_UPTIME_NS } from './clock.js';
import { Errno } from './errno.js';
import {
  DEFAULT_POLLMASK,
  DeviceNode,
  DirectoryEntry,
  DirectoryLike,
  FileKind,
  O_ACCMODE,
  O_CLOEXEC,
  O_RDONLY,
  OpenFile,
  SEEK_CUR,
  SEEK_END,
  SEEK_SET,
  StatInfo,
} from './files.js';
import type { FileKey } from './metadata.js';
import { fileKey } from './metadata.js';
import type { Process } from './process.js';
import type { Credentials } from './creds.js';
import { rtPolicy } from './sched.js';
import { MACHINE } from './syscalls/process.js';

/** The host "device" of /proc's inodes (no host device number is negative). */
export const PROCFS_DEV = -2n;

/** One entry of /proc. */
export interface ProcNode {
  type: 'dir' | 'file' | 'link';
  /** Permission bits. */
  perm: number;
  /** Owned by the process's user (its /proc/<pid> entries), not root. */
  own: boolean;
  /** A directory's entries and the lookup of one. */
  names?: () => string[];
  child?: (name: string) => ProcNode | null;
  /** A file's contents. */
  content?: () => string | Uint8Array;
  /** A link's target: a guest path, or (a "magic" link) the open description or host file it
   *  stands for. */
  target?: () => string | OpenFile | { host: string };
  /** An emulated device node (in the /dev of a --root tree that has none). */
  device?: DeviceNode;
}

function dir(names: string[] | (() => string[]), child: (name: string) => ProcNode | null, own = false, perm = 0o555): ProcNode {
  return { type: 'dir', perm, own, names: typeof names === 'function' ? names : () => names, child };
}

function file(content: () => string | Uint8Array, own = false, perm = 0o444): ProcNode {
  return { type: 'file', perm, own, content };
}

function link(target: () => string | OpenFile | { host: string }, own = true): ProcNode {
  return { type: 'link', perm: 0o777, own, target };
}

const ROOT_NAMES = ['cpuinfo', 'loadavg', 'meminfo', 'mounts', 'self', 'sys', 'thread-self', 'uptime', 'version'];

/** /proc itself. */
export function procRootNode(proc: Process): ProcNode {
  const pid = String(proc.pid);
  return dir(
    () => [...ROOT_NAMES, pid],
    (name) => {
      switch (name) {
        case 'self':
          return link(() => pid, false);
        case 'thread-self':
          return link(() => `${pid}/task/${pid}`, false);
        case 'mounts':
          return link(() => 'self/mounts', false);
        case 'cpuinfo':
          return file(cpuinfo);
        case 'meminfo':
          return file(meminfo);
        case 'version':
          return file(() => `Linux version ${proc.uts.release} (emtrace@emtrace) (gcc) ${proc.uts.version}\n`);
        case 'uptime':
          return file(() => uptime(proc));
        case 'loadavg':
          return file(() => `0.00 0.00 0.00 1/1 ${proc.pid}\n`);
        case 'sys':
          return sysDirectory(proc);
        case pid:
          return processDirectory(proc, false);
        default:
          return null;
      }
    },
  );
}

/** The node at a path below /proc (components after `proc`), or null. Symlinks on the way are
 *  not followed: the walk in vfs.ts does that. */
export function procNode(proc: Process, parts: string[]): ProcNode | null {
  let node: ProcNode | null = procRootNode(proc);
  for (const part of parts) {
    if (!node || node.type !== 'dir') return null;
    node = node.child!(part);
  }
  return node;
}

/** /proc/sys/kernel's names, each uname's field up to its first NUL. */
const KERNEL_FILES: Record<string, keyof Process['uts']> = {
  domainname: 'domainname',
  hostname: 'nodename',
  osrelease: 'release',
  ostype: 'sysname',
  version: 'version',
};

function sysDirectory(proc: Process): ProcNode {
  const kernel = dir(Object.keys(KERNEL_FILES), (name) => {
    const field = KERNEL_FILES[name];
    return field ? file(() => proc.uts[field].split('\0')[0] + '\n', false, 0o644) : null;
  });
  return dir(['kernel'], (name) => (name === 'kernel' ? kernel : null));
}

const PROCESS_NAMES = ['auxv', 'cmdline', 'comm', 'cwd', 'environ', 'exe', 'fd', 'fdinfo', 'maps', 'mountinfo', 'mounts', 'root', 'stat', 'statm', 'status', 'task'];

/** /proc/<pid> (and, with `thread`, /proc/<pid>/task/<tid>). */
function processDirectory(proc: Process, thread: boolean): ProcNode {
  const names = thread ? PROCESS_NAMES.filter((n) => n !== 'task') : PROCESS_NAMES;
  return dir(
    names,
    (name) => {
      switch (name) {
        case 'auxv':
          return file(() => auxv(proc), true, 0o400);
        case 'cmdline':
          return file(() => memoryArea(proc, proc.argArea), true);
        case 'environ':
          return file(() => memoryArea(proc, proc.envArea), true, 0o400);
        case 'comm':
          return file(() => proc.comm + '\n', true, 0o644);
        case 'cwd':
          return link(() => proc.cwd);
        case 'root':
          return link(() => '/');
        case 'exe':
          return link(() => proc.vfs.guestPath(proc.exePath) ?? { host: proc.exePath });
        case 'fd':
          return dir(() => proc.fds.openFds().map(String), (n) => fdLink(proc, n), true, 0o500);
        case 'fdinfo':
          return dir(() => proc.fds.openFds().map(String), (n) => fdInfo(proc, n), true, 0o500);
        case 'maps':
          return file(() => maps(proc), true);
        case 'mounts':
          return file(() => mounts(proc));
        case 'mountinfo':
          return file(() => mountinfo(proc));
        case 'stat':
          return file(() => stat(proc), true);
        case 'statm':
          return file(() => statm(proc), true);
        case 'status':
          return file(() => status(proc), true);
        case 'task':
          if (thread) return null;
          return dir(
            proc.group.threads.map((t) => String(t.tid)),
            (tid) => {
              const task = proc.group.threads.find((t) => String(t.tid) === tid);
              return task ? processDirectory(task, true) : null;
            },
            true,
          );
        default:
          return null;
      }
    },
    true,
  );
}

function fdNumber(name: string): number {
  return /^(0|[1-9]\d{0,9})$/.test(name) ? Number(name) : -1;
}

function fdLink(proc: Process, name: string): ProcNode | null {
  const fd = fdNumber(name);
  const f = proc.fds.get(fd);
  return f ? { ...link(() => f), perm: 0o700 } : null;
}

function fdInfo(proc: Process, name: string): ProcNode | null {
  const fd = fdNumber(name);
  const f = proc.fds.get(fd);
  if (!f) return null;
  return file(() => {
    const flags = f.flags | (proc.fds.isCloseOnExec(fd) ? O_CLOEXEC : 0);
    const s = f.stat();
    const ino = typeof s === 'number' ? 0n : proc.metadata.view(s).ino;
    return `pos:\t${f.tell?.() ?? 0}\nflags:\t0${flags.toString(8)}\nmnt_id:\t${mountId(f)}\nino:\t${ino}\n${f.fdinfo?.() ?? ''}`;
  }, true, 0o444);
}

function mountId(f: OpenFile): number {
  if (f.kind === 'pipe') return 14;
  if (f.kind === 'anon') return 15;
  if (f.kind === 'proc') return 22;
  return 21;
}

/** What readlink of /proc/<pid>/fd/N says. */
export function fdLinkText(f: OpenFile): string {
  return f.path;
}

// ---------------------------------------------------------------- machine-wide files

/** Linux's names of the CPUID feature bits, by [leaf, register (0 eax .. 3 edx), bit], in the
 *  order /proc/cpuinfo lists them (cpufeature word order). */
const CPU_FLAGS: [number, number, number, string][] = [
  ...[
    'fpu', 'vme', 'de', 'pse', 'tsc', 'msr', 'pae', 'mce', 'cx8', 'apic', '', 'sep', 'mtrr', 'pge', 'mca', 'cmov',
    'pat', 'pse36', 'pn', 'clflush', '', 'dts', 'acpi', 'mmx', 'fxsr', 'sse', 'sse2', 'ss', 'ht', 'tm', 'ia64', 'pbe',
  ].map((name, bit): [number, number, number, string] => [1, 3, bit, name]),
  [0x80000001, 3, 11, 'syscall'],
  [0x80000001, 3, 19, 'mp'],
  [0x80000001, 3, 20, 'nx'],
  [0x80000001, 3, 22, 'mmxext'],
  [0x80000001, 3, 25, 'fxsr_opt'],
  [0x80000001, 3, 26, 'pdpe1gb'],
  [0x80000001, 3, 27, 'rdtscp'],
  [0x80000001, 3, 29, 'lm'],
  [0x80000001, 3, 30, '3dnowext'],
  [0x80000001, 3, 31, '3dnow'],
  ...[
    'pni', 'pclmulqdq', 'dtes64', 'monitor', 'ds_cpl', 'vmx', 'smx', 'est', 'tm2', 'ssse3', 'cid', 'sdbg', 'fma', 'cx16',
    'xtpr', 'pdcm', '', 'pcid', 'dca', 'sse4_1', 'sse4_2', 'x2apic', 'movbe', 'popcnt', 'tsc_deadline_timer', 'aes',
    'xsave', '', 'avx', 'f16c', 'rdrand', 'hypervisor',
  ].map((name, bit): [number, number, number, string] => [1, 2, bit, name]),
  ...[
    'lahf_lm', 'cmp_legacy', 'svm', 'extapic', 'cr8_legacy', 'abm', 'sse4a', 'misalignsse', '3dnowprefetch', 'osvw',
    'ibs', 'xop', 'skinit', 'wdt', '', 'lwp', 'fma4', 'tce', '', 'nodeid_msr', '', 'tbm', 'topoext',
  ].map((name, bit): [number, number, number, string] => [0x80000001, 2, bit, name]),
  ...[
    'fsgsbase', 'tsc_adjust', 'sgx', 'bmi1', 'hle', 'avx2', '', 'smep', 'bmi2', 'erms', 'invpcid', 'rtm', 'cqm', '',
    'mpx', 'rdt_a', 'avx512f', 'avx512dq', 'rdseed', 'adx', 'smap', 'avx512ifma', '', 'clflushopt', 'clwb', 'intel_pt',
    'avx512pf', 'avx512er', 'avx512cd', 'sha_ni', 'avx512bw', 'avx512vl',
  ].map((name, bit): [number, number, number, string] => [7, 1, bit, name]),
];

/** The feature flags CPUID advertises, by Linux's names. */
export function cpuFlags(): string[] {
  const maxLeaf = cpuid(0, 0)[0] >>> 0;
  const maxExtended = cpuid(0x80000000, 0)[0] >>> 0;
  const flags: string[] = [];
  for (const [leaf, reg, bit, name] of CPU_FLAGS) {
    if (!name) continue;
    if (leaf < 0x80000000 ? leaf > maxLeaf : leaf > maxExtended) continue;
    if ((cpuid(leaf, 0)[reg] >>> bit) & 1) flags.push(name);
  }
  return flags;
}

/** The L3 (or largest) cache, in KiB, from CPUID leaf 4. */
function cacheSizeKb(): number {
  let largest = 0;
  for (let sub = 0; sub < 16; sub++) {
    const [eax, ebx, ecx] = cpuid(4, sub);
    if ((eax & 0x1f) === 0) break;
    const ways = ((ebx >>> 22) & 0x3ff) + 1;
    const partitions = ((ebx >>> 12) & 0x3ff) + 1;
    const line = (ebx & 0xfff) + 1;
    const sets = (ecx >>> 0) + 1;
    largest = Math.max(largest, (ways * partitions * line * sets) / 1024);
  }
  return largest;
}

function cpuinfo(): string {
  const level = cpuid(0, 0)[0] >>> 0;
  const physical = cpuid(0x80000008, 0)[0];
  const fields: [string, string | number][] = [
    ['processor', 0],
    ['vendor_id', CPU_VENDOR],
    ['cpu family', CPU_FAMILY],
    ['model', CPU_MODEL],
    ['model name', CPU_BRAND],
    ['stepping', CPU_STEPPING],
    ['microcode', '0x1'],
    // The TSC counts instructions and the virtual clock advances 1 ns per instruction.
    ['cpu MHz', '1000.000'],
    ['cache size', `${cacheSizeKb()} KB`],
    ['physical id', 0],
    ['siblings', 1],
    ['core id', 0],
    ['cpu cores', 1],
    ['apicid', 0],
    ['initial apicid', 0],
    ['fpu', cpuFlags().includes('fpu') ? 'yes' : 'no'],
    ['fpu_exception', 'yes'],
    ['cpuid level', level],
    ['wp', 'yes'],
    ['flags', cpuFlags().join(' ')],
    ['bugs', ''],
    ['bogomips', '2000.00'],
    ['clflush size', ((cpuid(1, 0)[1] >>> 8) & 0xff) * 8],
    ['cache_alignment', 64],
    ['address sizes', `${physical & 0xff} bits physical, ${(physical >>> 8) & 0xff} bits virtual`],
    ['power management', ''],
  ];
  // Linux pads the names with tabs to 8 columns: "cpu family\t: 6", "model\t\t: 15".
  const lines = fields.map(([name, value]) => `${name}${name.length < 8 ? '\t\t' : '\t'}: ${value}`.replace(/: $/, ':'));
  return lines.join('\n') + '\n\n';
}

function meminfo(): string {
  const total = MACHINE.totalRam;
  const free = MACHINE.freeRam;
  const rows: [string, number][] = [
    ['MemTotal', total],
    ['MemFree', free],
    ['MemAvailable', free],
    ['Buffers', 0],
    ['Cached', 0],
    ['SwapCached', 0],
    ['Active', total - free],
    ['Inactive', 0],
    ['SwapTotal', 0],
    ['SwapFree', 0],
    ['Dirty', 0],
    ['Writeback', 0],
    ['AnonPages', total - free],
    ['Mapped', 0],
    ['Shmem', 0],
    ['CommitLimit', total / 2],
    ['Committed_AS', total - free],
    ['VmallocTotal', 34359738367 * 1024],
    ['VmallocUsed', 0],
    ['VmallocChunk', 0],
    ['HugePages_Total', -1],
    ['HugePages_Free', -1],
    ['Hugepagesize', 2048 * 1024],
  ];
  return rows
    .map(([name, value]) => {
      const label = (name + ':').padEnd(16);
      if (value < 0) return label + '0'.padStart(8);
      return label + String(Math.floor(value / 1024)).padStart(8) + ' kB';
    })
    .join('\n') + '\n';
}

function twoDecimals(ns: bigint): string {
  const centis = ns / 10_000_000n;
  return `${centis / 100n}.${String(centis % 100n).padStart(2, '0')}`;
}

function uptime(proc: Process): string {
  const up = proc.clock.read('boottime');
  // One CPU: idle whenever the guest was not running instructions.
  const idle = up - proc.clock.cpuTimeNs();
  return `${twoDecimals(up)} ${twoDecimals(idle > 0n ? idle : 0n)}\n`;
}

// ---------------------------------------------------------------- the process's files

function auxv(proc: Process): Uint8Array {
  const out = new Uint8Array((proc.auxv.length + 1) * 16);
  const view = new DataView(out.buffer);
  proc.auxv.forEach(([type, value], k) => {
    view.setBigUint64(16 * k, BigInt(type), true);
    view.setBigUint64(16 * k + 8, BigInt(value), true);
  });
  return out;
}

/** The bytes of the argument or environment strings, as they are now in guest memory. */
function memoryArea(proc: Process, area: { start: number; end: number }): Uint8Array {
  if (area.end <= area.start) return new Uint8Array(0);
  try {
    return proc.mem.readBytes(area.start, area.end - area.start);
  } catch {
    return new Uint8Array(0);
  }
}

/** True for the mappings of the executable (the loader names them after the file it read). */
function isExecutableMapping(proc: Process, m: Mapping): boolean {
  return m.name !== '' && !m.name.startsWith('[') && path.resolve(m.name) === proc.exePath;
}

/** The name /proc/<pid>/maps shows and the identity of a mapped file. */
function mappingFile(proc: Process, m: Mapping): { name: string; dev: bigint; ino: bigint } | null {
  if (m.name === '' || m.name.startsWith('[')) return null;
  const exe = isExecutableMapping(proc, m);
  const hostPath = exe ? proc.exePath : proc.vfs.hostPath(m.name);
  const name = exe ? (proc.vfs.guestPath(proc.exePath) ?? proc.exePath) : m.name;
  try {
    const s = fs.statSync(hostPath, { bigint: true });
    return { name, dev: proc.metadata.virtualDev(s.dev), ino: proc.metadata.virtualIno(s.dev, s.ino) };
  } catch {
    return { name: name + ' (deleted)', dev: 0n, ino: 0n };
  }
}

function hex(n: number | bigint, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** One line of /proc/<pid>/maps, as show_map_vma prints it: the fields, then the name in the
 *  74th column (anonymous mappings end after the inode and a space). */
export function mapsLine(m: Mapping, file: { name: string; dev: bigint; ino: bigint } | null, name = file?.name ?? m.name): string {
  const dev = file?.dev ?? 0n;
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  const perms =
    (m.prot & PROT_READ ? 'r' : '-') + (m.prot & PROT_WRITE ? 'w' : '-') + (m.prot & PROT_EXEC ? 'x' : '-') + (m.shared ? 's' : 'p');
  const prefix = `${hex(m.start, 8)}-${hex(m.end, 8)} ${perms} ${hex(file ? m.fileOffset : 0, 8)} ${hex(major, 2)}:${hex(minor, 2)} ${file?.ino ?? 0n} `;
  if (!name) return prefix + '\n';
  return (prefix.length < 72 ? prefix.padEnd(72) : prefix) + ' ' + name + '\n';
}

function maps(proc: Process): string {
  return proc.mem.mappings.map((m) => mapsLine(m, mappingFile(proc, m))).join('');
}

const MOUNT_OPTIONS = 'relatime';

function mounts(proc: Process): string {
  const rw = proc.vfs.readOnly ? 'ro' : 'rw';
  return `/dev/root / ext4 ${rw},${MOUNT_OPTIONS} 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n`;
}

function mountinfo(proc: Process): string {
  const rw = proc.vfs.readOnly ? 'ro' : 'rw';
  const rootDev = proc.metadata.virtualDev(rootHostDev(proc));
  const procDev = proc.metadata.virtualDev(PROCFS_DEV);
  const devText = (d: bigint) => `${Number((d >> 8n) & 0xfffn)}:${Number((d & 0xffn) | ((d >> 12n) & ~0xffn))}`;
  return (
    `21 1 ${devText(rootDev)} / / ${rw},${MOUNT_OPTIONS} shared:1 - ext4 /dev/root ${rw}\n` +
    `22 21 ${devText(procDev)} / /proc rw,nosuid,nodev,noexec,relatime shared:2 - proc proc rw\n`
  );
}

function rootHostDev(proc: Process): bigint {
  try {
    return fs.statSync(proc.vfs.root, { bigint: true }).dev;
  } catch {
    return 0n;
  }
}

/** Sizes of the address space, in bytes. */
interface MemoryUse {
  size: number;
  rss: number;
  rssAnon: number;
  rssFile: number;
  data: number;
  stack: number;
  exe: number;
  startCode: number;
  endCode: number;
  startData: number;
  endData: number;
}

/** The high-water marks /proc has reported (VmPeak, VmHWM), per process. */
const peaks = new WeakMap<Process, { size: number; rss: number }>();

function memoryUse(proc: Process): MemoryUse {
  const use: MemoryUse = { size: 0, rss: 0, rssAnon: 0, rssFile: 0, data: 0, stack: 0, exe: 0, startCode: 0, endCode: 0, startData: 0, endData: 0 };
  for (const m of proc.mem.mappings) {
    const bytes = m.end - m.start;
    use.size += bytes;
    const resident = proc.mem.residentPagesIn(m.start, m.end) * PAGE_SIZE;
    const fileBacked = m.name !== '' && !m.name.startsWith('[');
    if (fileBacked && !(m.prot & PROT_WRITE)) use.rssFile += resident;
    else use.rssAnon += resident;
    if (m.name === '[stack]') use.stack += bytes;
    else if (m.prot & PROT_WRITE && !m.shared) use.data += bytes;
    if (isExecutableMapping(proc, m)) {
      if (m.prot & PROT_EXEC) {
        use.exe += bytes;
        if (!use.startCode) use.startCode = m.start;
        use.endCode = m.end;
      }
      if (m.prot & PROT_WRITE) {
        if (!use.startData) use.startData = m.start;
        use.endData = m.end;
      }
    }
  }
  use.rss = use.rssAnon + use.rssFile;
  const peak = peaks.get(proc) ?? { size: 0, rss: 0 };
  peak.size = Math.max(peak.size, use.size);
  peak.rss = Math.max(peak.rss, use.rss);
  peaks.set(proc, peak);
  return use;
}

function vm(bytes: number): string {
  return `${String(Math.floor(bytes / 1024)).padStart(8)} kB`;
}

/** A capability set as /proc/<pid>/status shows it. */
function capHex(set: bigint): string {
  return set.toString(16).padStart(16, '0');
}

/** The status lines of the credentials: real, effective, saved, file-system ids; the groups
 *  (each followed by a space, as Linux prints them); the capability sets. */
function credentialRows(id: Credentials): Record<string, string> {
  return {
    Uid: [id.uid, id.euid, id.suid, id.fsuid].join('\t'),
    Gid: [id.gid, id.egid, id.sgid, id.fsgid].join('\t'),
    Groups: id.groups.map((g) => `${g} `).join('') || ' ',
    CapInh: capHex(id.inheritable),
    CapPrm: capHex(id.permitted),
    CapEff: capHex(id.effective),
    CapBnd: capHex(id.bounding),
    CapAmb: capHex(id.ambient),
  };
}

function status(proc: Process): string {
  const use = memoryUse(proc);
  const peak = peaks.get(proc)!;
  const cred = credentialRows(proc.identity);
  const rows: [string, string | number][] = [
    ['Name', proc.comm],
    ['Umask', '0' + proc.umask.toString(8).padStart(3, '0')],
    ['State', 'R (running)'],
    ['Tgid', proc.pid],
    ['Ngid', 0],
    ['Pid', proc.pid],
    ['PPid', proc.ppid],
    ['TracerPid', 0],
    ['Uid', cred.Uid],
    ['Gid', cred.Gid],
    ['FDSize', Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(1, ...proc.fds.openFds().map((fd) => fd + 1)))))],
    ['Groups', cred.Groups],
    ['NStgid', proc.pid],
    ['NSpid', proc.pid],
    ['NSpgid', proc.pgid],
    ['NSsid', proc.sid],
    ['VmPeak', vm(peak.size)],
    ['VmSize', vm(use.size)],
    ['VmLck', vm(0)],
    ['VmPin', vm(0)],
    ['VmHWM', vm(peak.rss)],
    ['VmRSS', vm(use.rss)],
    ['RssAnon', vm(use.rssAnon)],
    ['RssFile', vm(use.rssFile)],
    ['RssShmem', vm(0)],
    ['VmData', vm(use.data)],
    ['VmStk', vm(use.stack)],
    ['VmExe', vm(use.exe)],
    ['VmLib', vm(0)],
    ['VmPTE', vm(4096 * Math.ceil(use.size / (512 * PAGE_SIZE)))],
    ['VmSwap', vm(0)],
    ['HugetlbPages', vm(0)],
    ['CoreDumping', 0],
    ['THP_enabled', 1],
    ['Threads', proc.group.threads.length],
    ['SigQ', `0/${proc.limits[11][0]}`],
    ['SigPnd', '0000000000000000'],
    ['ShdPnd', '0000000000000000'],
    ['SigBlk', '0000000000000000'],
    ['SigIgn', '0000000000000000'],
    ['SigCgt', '0000000000000000'],
    ['CapInh', cred.CapInh],
    ['CapPrm', cred.CapPrm],
    ['CapEff', cred.CapEff],
    ['CapBnd', cred.CapBnd],
    ['CapAmb', cred.CapAmb],
    ['NoNewPrivs', proc.noNewPrivs ? 1 : 0],
    ['Seccomp', 0],
    ['Seccomp_filters', 0],
    ['Speculation_Store_Bypass', 'thread vulnerable'],
    ['SpeculationIndirectBranch', 'conditional enabled'],
    ['Cpus_allowed', 1],
    ['Cpus_allowed_list', 0],
    ['Mems_allowed', '00000000,00000001'],
    ['Mems_allowed_list', 0],
    ['voluntary_ctxt_switches', 0],
    ['nonvoluntary_ctxt_switches', 0],
  ];
  return rows.map(([name, value]) => `${name}:\t${value}`).join('\n') + '\n';
}

function ticks(ns: bigint): bigint {
  return ns / (NSEC_PER_SEC / CLOCK_TICKS_PER_SEC);
}

/** /proc/<pid>/stat: the 52 fields of do_task_stat. */
function stat(proc: Process): string {
  const use = memoryUse(proc);
  const rssLimit = proc.limits[5][0];
  const fields: (string | number | bigint)[] = [
    proc.pid,
    `(${proc.comm})`,
    'R',
    proc.ppid,
    proc.pgid,
    proc.sid, // session
    0, // tty_nr
    -1, // tpgid
    0, // flags
    proc.mem.residentBytes / PAGE_SIZE, // minflt: one fault per page touched
    0,
    0,
    0,
    ticks(proc.clock.cpuTimeNs()), // utime
    0, // stime
    0,
    0,
    // priority: 20 + nice, or -1 - the real-time priority
    rtPolicy(proc.sched.policy) ? -1 - proc.sched.rtPriority : 20 + proc.sched.nice,
    proc.sched.nice,
    proc.group.threads.length, // num_threads
    0,
    ticks(VIRTUAL_UPTIME_NS), // starttime
    use.size, // vsize
    use.rss / PAGE_SIZE, // rss
    rssLimit, // rsslim
    use.startCode,
    use.endCode,
    proc.stackStart, // startstack
    0, // kstkesp
    0, // kstkeip
    0, // signal
    0, // blocked
    0, // sigignore
    0, // sigcatch
    0, // wchan
    0,
    0,
    17, // exit_signal: SIGCHLD
    0, // processor
    proc.sched.rtPriority,
    proc.sched.policy,
    0, // delayacct_blkio_ticks
    0, // guest_time
    0, // cguest_time
    use.startData,
    use.endData,
    proc.brkStart,
    proc.argArea.start,
    proc.argArea.end,
    proc.envArea.start,
    proc.envArea.end,
    0, // exit_code
  ];
  return fields.join(' ') + '\n';
}

function statm(proc: Process): string {
  const use = memoryUse(proc);
  const pages = (bytes: number) => Math.floor(bytes / PAGE_SIZE);
  return `${pages(use.size)} ${pages(use.rss)} ${pages(use.rssFile)} ${pages(use.exe)} 0 ${pages(use.data + use.stack)} 0\n`;
}

// ---------------------------------------------------------------- open files of /proc

/** What stat reports for a /proc entry (before metadata.view makes it the guest's). */
export function procStat(proc: Process, guest: string, node: ProcNode): StatInfo {
  const typeBits = node.type === 'dir' ? 0o040000 : node.type === 'link' ? 0o120000 : 0o100000;
  const owner = node.own ? { uid: proc.identity.euid, gid: proc.identity.egid } : { uid: 0, gid: 0 };
  const time = proc.clock.startRealtimeNs;
  const nlink = node.type === 'dir' ? BigInt(2 + (node.names?.().length ?? 0)) : 1n;
  return {
    dev: PROCFS_DEV,
    ino: proc.vfs.procIno(guest),
    mode: typeBits | node.perm,
    nlink: node.type === 'dir' ? nlink : 1n,
    ...owner,
    rdev: 0n,
    size: node.type === 'link' ? BigInt(Buffer.byteLength(linkText(node))) : 0n,
    blksize: 1024n,
    blocks: 0n,
    atimeNs: time,
    mtimeNs: time,
    ctimeNs: time,
  };
}

/** The text readlink gives for a /proc link. */
export function linkText(node: ProcNode): string {
  const target = node.target!();
  if (typeof target === 'string') return target;
  if ('host' in target) return target.host;
  return fdLinkText(target);
}

/** An open /proc file: its text, made at open. */
export class ProcFile implements OpenFile {
  readonly kind: FileKind = 'proc';
  readonly hostFd = null;
  private position = 0;
  private readonly data: Uint8Array;

  constructor(
    readonly path: string,
    public flags: number,
    content: string | Uint8Array,
    private readonly info: StatInfo,
  ) {
    this.data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  }

  read(into: Uint8Array): number {
    const n = this.pread(into, this.position);
    if (n > 0) this.position += n;
    return n;
  }

  write(): number {
    return (this.flags & O_ACCMODE) === O_RDONLY ? -Errno.EBADF : -Errno.EACCES;
  }

  pread(into: Uint8Array, position: number): number {
    if ((this.flags & O_ACCMODE) !== O_RDONLY && (this.flags & O_ACCMODE) !== 2) return -Errno.EBADF;
    if (position >= this.data.length) return 0;
    const n = Math.min(into.length, this.data.length - position);
    into.set(this.data.subarray(position, position + n));
    return n;
  }

  pwrite(): number {
    return this.write();
  }

  seek(offset: number, whence: number): number {
    let base: number;
    if (whence === SEEK_SET) base = 0;
    else if (whence === SEEK_CUR) base = this.position;
    else if (whence === SEEK_END) base = this.data.length;
    else return -Errno.EINVAL;
    if (base + offset < 0) return -Errno.EINVAL;
    this.position = base + offset;
    return this.position;
  }

  stat(): StatInfo {
    return this.info;
  }

  hostKey(): FileKey {
    return fileKey(this.info.dev, this.info.ino);
  }

  tell(): number {
    return this.position;
  }

  poll(): number {
    return DEFAULT_POLLMASK;
  }

  readable(): number {
    return Math.max(0, this.data.length - this.position);
  }

  close(): void {}
}

/** An open /proc directory. */
export class ProcDirectory implements DirectoryLike {
  readonly kind = 'directory';
  readonly hostFd = null;
  position = 0;
  private entries: DirectoryEntry[] | null = null;

  constructor(
    private readonly proc: Process,
    readonly path: string,
    public flags: number,
    private readonly node: ProcNode,
    private readonly info: StatInfo,
  ) {}

  listing(): DirectoryEntry[] {
    if (this.entries) return this.entries;
    const names = [...this.node.names!()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const parent = this.path === '/proc' ? null : path.posix.dirname(this.path);
    const entries: DirectoryEntry[] = [
      { name: Buffer.from('.'), hostDev: PROCFS_DEV, hostIno: this.proc.vfs.procIno(this.path), type: 4 },
      // The parent of /proc is the root directory, which is on the host.
      parent === null ? rootEntry(this.proc) : { name: Buffer.from('..'), hostDev: PROCFS_DEV, hostIno: this.proc.vfs.procIno(parent), type: 4 },
    ];
    for (const name of names) {
      const child = this.node.child!(name);
      if (!child) continue;
      const type = child.type === 'dir' ? 4 : child.type === 'link' ? 10 : child.device ? 2 : 8;
      const hostIno = this.proc.vfs.procIno(`${this.path}/${name}`);
      entries.push({ name: Buffer.from(name), hostDev: PROCFS_DEV, hostIno, type });
    }
    this.entries = entries;
    return entries;
  }

  read(): number {
    return -Errno.EISDIR;
  }

  write(): number {
    return -Errno.EBADF;
  }

  pread(): number {
    return -Errno.EISDIR;
  }

  pwrite(): number {
    return -Errno.EBADF;
  }

  seek(offset: number, whence: number): number {
    const target = whence === SEEK_SET ? offset : whence === SEEK_CUR ? this.position + offset : -1;
    if (target < 0) return -Errno.EINVAL;
    if (target === 0) this.entries = null;
    this.position = target;
    return target;
  }

  stat(): StatInfo {
    return this.info;
  }

  hostKey(): FileKey {
    return fileKey(this.info.dev, this.info.ino);
  }

  tell(): number {
    return this.position;
  }

  poll(): number {
    return DEFAULT_POLLMASK;
  }

  close(): void {}
}

function rootEntry(proc: Process): DirectoryEntry {
  try {
    const s = fs.statSync(proc.vfs.root, { bigint: true });
    return { name: Buffer.from('..'), hostDev: s.dev, hostIno: s.ino, type: 4 };
  } catch {
    return { name: Buffer.from('..'), hostDev: PROCFS_DEV, hostIno: 0n, type: 4 };
  }
}

/** Opens a /proc entry (not a link: the walk followed those). */
export function openProc(proc: Process, guest: string, node: ProcNode, flags: number): OpenFile | number {
  const info = procStat(proc, guest, node);
  if (node.type === 'dir') {
    if ((flags & O_ACCMODE) !== O_RDONLY) return -Errno.EISDIR;
    return new ProcDirectory(proc, guest, flags, node, info);
  }
  if (node.type !== 'file' || !node.content) return -Errno.ENOENT;
  // The sysctl files and comm are writable by root/the owner on Linux; here they are not.
  if ((flags & O_ACCMODE) !== O_RDONLY) return -Errno.EACCES;
  return new ProcFile(guest, flags, node.content(), info);
}

/** Where the initial stack's argument and environment strings lie (/proc/self/cmdline and
 *  environ read them there, as Linux reads mm->arg_start..arg_end): from the argv and envp
 *  pointers the loader put at the stack pointer. */
export function stringAreas(
  mem: { readBytes(addr: number, len: number): Uint8Array; readCString(addr: number, max: number): { bytes: Uint8Array } },
  sp: number,
): { argArea: { start: number; end: number }; envArea: { start: number; end: number } } {
  const word = (addr: number): number => {
    const b = mem.readBytes(addr, 8);
    const view = new DataView(b.buffer, b.byteOffset, 8);
    return view.getUint32(0, true) + view.getUint32(4, true) * 4294967296;
  };
  const area = (first: number, count: number, fallback: number): { start: number; end: number } => {
    if (count === 0) return { start: fallback, end: fallback };
    const start = word(first);
    const lastString = word(first + 8 * (count - 1));
    return { start, end: lastString + mem.readCString(lastString, 1 << 17).bytes.length + 1 };
  };
  const argc = word(sp);
  const argArea = area(sp + 8, argc, 0);
  const envp = sp + 8 * (argc + 2);
  let envc = 0;
  while (word(envp + 8 * envc) !== 0) envc++;
  const envArea = area(envp, envc, argArea.end);
  return { argArea, envArea };
}
