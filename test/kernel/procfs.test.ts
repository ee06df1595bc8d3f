// The emulated /proc, read by a guest (test/guests/src/procfs.c) under emtrace: the guest's own
// process and the fixed machine, never the host's, in Linux's formats, the same on every run.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuFlags, mapsLine } from '../../src/emulator/kernel/procfs.js';
import { UNAME } from '../../src/emulator/kernel/syscalls/process.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/emulator/memory.js';
import { emtrace, guest, ROOT } from '../support/run.js';

const FILES = [
  '/proc/self/maps',
  '/proc/self/status',
  '/proc/self/stat',
  '/proc/self/statm',
  '/proc/self/cmdline',
  '/proc/self/comm',
  '/proc/self/environ',
  '/proc/self/auxv',
  '@/proc/self/exe',
  '@/proc/self/cwd',
  '@/proc/self/root',
  '@/proc/self',
  '@/proc/self/fd/0',
  '@/proc/self/fd/3',
  '/proc/self/fd/',
  '/proc/self/',
  '/proc/',
  '/proc/self/task/1000/',
  '/proc/self/fdinfo/4',
  '/proc/cpuinfo',
  '/proc/meminfo',
  '/proc/mounts',
  '/proc/self/mountinfo',
  '/proc/uptime',
  '/proc/loadavg',
  '/proc/version',
  '/proc/sys/kernel/osrelease',
  '/proc/sys/kernel/hostname',
  '/proc/sys/kernel/ostype',
  '/proc/nonexistent',
  '/proc/1/status',
  '/proc/self/nothing',
];

interface Report {
  addresses: Record<string, number>;
  files: Map<string, string>;
  links: Map<string, string>;
  lists: Map<string, string[]>;
  errors: Map<string, number>;
}

/** Parses the guest's output (see procfs.c). */
function parse(stdout: string): Report {
  const lines = stdout.split('\n');
  const addresses: Record<string, number> = {};
  for (const [, key, value] of lines[0].matchAll(/(\w+)=(0x[0-9a-f]+|\d+)/g)) addresses[key] = Number(value);
  const report: Report = { addresses, files: new Map(), links: new Map(), lists: new Map(), errors: new Map() };
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k];
    let m: RegExpMatchArray | null;
    if ((m = /^== (\S+): error (\d+)$/.exec(line))) report.errors.set(m[1], Number(m[2]));
    else if ((m = /^== @(\S+) -> (.*)$/.exec(line))) report.links.set(m[1], m[2]);
    else if ((m = /^== (\S+) lists (.*)$/.exec(line))) report.lists.set(m[1], m[2].split(' '));
    else if ((m = /^== (\S+) \((\d+) bytes\)$/.exec(line))) {
      const body: string[] = [];
      for (k++; lines[k] !== '== end'; k++) body.push(lines[k]);
      report.files.set(m[1], body.join('\n'));
    }
  }
  return report;
}

function run(name: string): { report: Report; stdout: string } {
  const r = emtrace(['-o', '/dev/null', guest(name), ...FILES], { cwd: ROOT, env: { PATH: '/usr/bin:/bin', LANG: 'C' } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return { report: parse(r.stdout), stdout: r.stdout };
}

/** One /proc/<pid>/maps line: the fields, then the name from the 74th column (or, for
 *  anonymous memory, a trailing space after the inode). */
const MAPS_LINE = /^([0-9a-f]{8,})-([0-9a-f]{8,}) ([r-][w-][x-][ps]) ([0-9a-f]{8}) ([0-9a-f]{2}):([0-9a-f]{2}) (\d+) (.*)$/;

describe.each(['musl', 'glibc'])('/proc read by a %s guest', (libc) => {
  const name = `procfs-${libc}`;
  const { report, stdout } = run(name);
  const exe = path.join(ROOT, 'test/guests/bin', name);

  it('maps: every line in Linux format; the code, stack and heap mappings hold the addresses', () => {
    const text = report.files.get('/proc/self/maps')!;
    const mappings = text.split('\n').map((line) => {
      const m = MAPS_LINE.exec(line);
      expect(m, line).not.toBeNull();
      const [, start, end, perms, , , , , rest] = m!;
      const name = rest.trim();
      if (name === '') expect(rest).toBe('');
      else expect(line.indexOf(name), line).toBe(73);
      return { start: parseInt(start, 16), end: parseInt(end, 16), perms, name };
    });
    const holding = (addr: number) => mappings.find((m) => m.start <= addr && addr < m.end);
    expect(holding(report.addresses.main)).toMatchObject({ perms: 'r-xp', name: exe });
    expect(holding(report.addresses.local)).toMatchObject({ perms: 'rw-p', name: '[stack]' });
    expect(holding(report.addresses.heap)?.name).toMatch(/^\[heap\]$|^$/);
    expect(mappings.some((m) => m.name === '[heap]')).toBe(true);
    // Ascending and not overlapping.
    for (let k = 1; k < mappings.length; k++) expect(mappings[k].start).toBeGreaterThanOrEqual(mappings[k - 1].end);
  });

  it('status, stat and statm describe the guest process', () => {
    const status = Object.fromEntries(report.files.get('/proc/self/status')!.split('\n').map((l) => l.split(':\t')));
    expect(status).toMatchObject({ Name: name, Pid: '1000', PPid: '999', Tgid: '1000', State: 'R (running)', Threads: '1' });
    expect(status.VmSize).toMatch(/^ *\d+ kB$/);
    expect(Number.parseInt(status.VmRSS)).toBeGreaterThan(0);
    const stat = report.files.get('/proc/self/stat')!.split(' ');
    expect(stat).toHaveLength(52);
    expect(stat.slice(0, 4)).toEqual(['1000', `(${name})`, 'R', '999']);
    expect(Number(stat[22])).toBe(Number.parseInt(status.VmSize) * 1024);
    const statm = report.files.get('/proc/self/statm')!.split(' ').map(Number);
    expect(statm).toHaveLength(7);
    expect(statm[0] * 4).toBe(Number.parseInt(status.VmSize));
  });

  it('cmdline, comm, environ, auxv and the links', () => {
    expect(report.files.get('/proc/self/cmdline')).toBe([guest(name), ...FILES].join('\0') + '\0');
    expect(report.files.get('/proc/self/comm')).toBe(name);
    expect(report.files.get('/proc/self/environ')).toContain('LANG=C\0');
    expect(report.files.get('/proc/self/auxv')!.length).toBeGreaterThan(16 * 10);
    expect(report.links.get('/proc/self/exe')).toBe(exe);
    expect(report.links.get('/proc/self/cwd')).toBe(ROOT);
    expect(report.links.get('/proc/self/root')).toBe('/');
    expect(report.links.get('/proc/self')).toBe('1000');
    expect(report.links.get('/proc/self/fd/3')).toMatch(/^pipe:\[\d+\]$/);
    expect(report.links.get('/proc/self/fd/0')).toBeDefined();
  });

  it('directory listings of /proc, /proc/self and its fds', () => {
    expect(report.lists.get('/proc/')).toEqual(expect.arrayContaining(['.', '..', '1000', 'self', 'cpuinfo', 'meminfo', 'sys']));
    expect(report.lists.get('/proc/')).not.toContain('1');
    expect(report.lists.get('/proc/self/')).toEqual(expect.arrayContaining(['maps', 'status', 'stat', 'fd', 'exe', 'cwd', 'auxv']));
    expect(report.lists.get('/proc/self/fd/')).toEqual(expect.arrayContaining(['0', '1', '2', '3', '4', '5']));
    expect(report.lists.get('/proc/self/task/1000/')).toEqual(expect.arrayContaining(['status', 'maps']));
    expect(report.files.get('/proc/self/fdinfo/4')).toMatch(/^pos:\t0\nflags:\t01\nmnt_id:\t\d+\nino:\t\d+$/);
  });

  it('the machine: cpuinfo from CPUID, meminfo as sysinfo, uname in sys/kernel and version', () => {
    const cpuinfo = report.files.get('/proc/cpuinfo')!;
    expect(cpuinfo).toMatch(/^processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 15\n/);
    expect(cpuinfo).toContain('cache size\t: 8192 KB');
    expect(cpuinfo).toContain(`flags\t\t: ${cpuFlags().join(' ')}\n`);
    expect(cpuFlags()).toEqual(expect.arrayContaining(['fpu', 'tsc', 'cmov', 'mmx', 'sse', 'sse2', 'syscall', 'lm']));
    expect(report.files.get('/proc/meminfo')).toMatch(/^MemTotal: +8388608 kB\nMemFree: +6291456 kB\n/);
    expect(report.files.get('/proc/sys/kernel/osrelease')).toBe(UNAME.release);
    expect(report.files.get('/proc/sys/kernel/hostname')).toBe(UNAME.nodename);
    expect(report.files.get('/proc/sys/kernel/ostype')).toBe('Linux');
    expect(report.files.get('/proc/version')).toContain(`Linux version ${UNAME.release} `);
    expect(report.files.get('/proc/mounts')).toMatch(/^\/dev\/root \/ ext4 rw,relatime 0 0\n/);
    expect(report.files.get('/proc/self/mountinfo')).toMatch(/^21 1 0:\d+ \/ \/ rw/);
    expect(report.files.get('/proc/uptime')).toMatch(/^100\.\d\d \d+\.\d\d$/);
    expect(report.files.get('/proc/loadavg')).toBe('0.00 0.00 0.00 1/1 1000');
  });

  it('everything else under /proc does not exist, nor do other processes', () => {
    expect(report.errors.get('/proc/nonexistent')).toBe(2);
    expect(report.errors.get('/proc/1/status')).toBe(2);
    expect(report.errors.get('/proc/self/nothing')).toBe(2);
  });

  it('is the same on every run', () => {
    expect(run(name).stdout).toBe(stdout);
  });
});

describe('/proc/<pid>/maps lines', () => {
  const mapping = { start: 0x400000, end: 0x401000, prot: PROT_READ | PROT_EXEC, shared: false, name: '/bin/prog', fileOffset: 0x1000, device: '', inode: 0 };

  it('print the name in the 74th column, as show_map_vma pads it', () => {
    expect(mapsLine(mapping, { name: '/bin/prog', dev: 0x21n, ino: 7n })).toBe(
      '00400000-00401000 r-xp 00001000 00:21 7' + ' '.repeat(34) + '/bin/prog\n',
    );
  });

  it('end anonymous mappings after the inode and a space; long addresses push the name right', () => {
    const anon = { ...mapping, start: 0x7f0000000000, end: 0x7f0000001000, prot: PROT_READ | PROT_WRITE, name: '' };
    expect(mapsLine(anon, null)).toBe('7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n');
    expect(mapsLine({ ...anon, name: '[stack]' }, null)).toBe('7f0000000000-7f0000001000 rw-p 00000000 00:00 0' + ' '.repeat(26) + '[stack]\n');
    expect(mapsLine({ ...anon, shared: true, name: '/dev/zero' }, { name: '/dev/zero (deleted)', dev: 0x100020n, ino: 123456789012n })).toBe(
      '7f0000000000-7f0000001000 rw-s 00001000 00:120 123456789012' + ' '.repeat(14) + '/dev/zero (deleted)\n',
    );
  });
});
