// emtrace's own `-o` text log of a guest against the real `strace -o` log of the same static
// binary: after normalization only what the emulated kernel really does differently remains.
// Today that is nothing for these guests (also args-*, files-*, memory-musl, syscall-loop-*,
// hello-glibc-pie, fault-* when tried by hand); a difference found later is a kernel bug or a
// normalization gap, to be fixed or written down here.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emtrace, guest, have, native } from '../support/run.js';
import { runDiff, scratchDir } from './helpers.js';

const dir = scratchDir('diff-guests');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };
// The guest's stdout is /dev/null in both runs: what it is (a tty, a pipe, a socket) changes the
// calls libc makes.
const devNull = fs.openSync('/dev/null', 'w');
const stdio: ['ignore', number, 'pipe'] = ['ignore', devNull, 'pipe'];

function straceLog(name: string): string {
  const log = path.join(dir, `${name}.strace`);
  // emtrace reports Linux's default limits (8 MiB stack, no core dumps): give the native run the same.
  const r = native('sh', ['-c', 'ulimit -S -s 8192 && ulimit -c 0 && exec strace -o "$0" "$1"', log, guest(name)], { env, stdio });
  expect(r.status).toBe(0);
  return log;
}

function emtraceLog(name: string): string {
  const log = path.join(dir, `${name}.emtrace`);
  const r = emtrace(['-o', log, guest(name)], { env, stdio });
  expect(r.status).toBe(0);
  return log;
}

describe('emtrace -o against strace -o', () => {
  it('strace is installed', () => {
    expect(have('strace')).toBe(true);
  });

  it.each(['hello-glibc', 'hello-musl', 'memory-glibc'])('%s: no difference', async (name) => {
    const real = straceLog(name);
    const ours = emtraceLog(name);
    // The raw logs do differ (addresses, pid, random bytes, strace's execve line)...
    expect(fs.readFileSync(real, 'utf8')).not.toBe(fs.readFileSync(ours, 'utf8'));
    expect((await runDiff(['--exact', real, ours])).status).toBe(1);
    // ...and normalized they are the same, every line of emtrace's log compared.
    const events = fs.readFileSync(ours, 'utf8').split('\n').filter((l) => l !== '').length;
    expect(events).toBeGreaterThan(5);
    expect(await runDiff([real, ours])).toEqual({ status: 0, stdout: `traces are the same (${events} events compared)\n`, stderr: '' });
  });

  it('two different guests do differ', async () => {
    const r = await runDiff([straceLog('hello-glibc'), emtraceLog('memory-glibc')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^\+mmap\(NULL, \d+, PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_ANONYMOUS, -1, 0\) = ADDR$/m);
    expect(r.stdout).toContain('-write(1, "hello world\\n", 12) = 12\n');
  });

  it('recorded traces (emtrace record): against the strace log, its own text log, and a run with another environment', async () => {
    const record = (name: string, file: string, environment: Record<string, string>): string => {
      const trace = path.join(dir, file);
      const r = emtrace(['record', '-o', trace, guest(name)], { env: environment, stdio });
      expect(r.status).toBe(0);
      return trace;
    };
    for (const name of ['hello-glibc', 'memory-glibc']) {
      const trace = record(name, `${name}.trace`, env);
      const other = record(name, `${name}-env.trace.gz`, { ...env, EXTRA: 'x'.repeat(1000) });
      const events = fs.readFileSync(emtraceLog(name), 'utf8').split('\n').filter((l) => l !== '').length;
      const same = { status: 0, stdout: `traces are the same (${events} events compared)\n`, stderr: '' };
      expect(await runDiff([straceLog(name), trace])).toEqual(same);
      expect(await runDiff([trace, emtraceLog(name)])).toEqual(same);
      // Both traces: addresses named after mappings; the larger environment moved the stack.
      expect(await runDiff([trace, other])).toEqual(same);
      expect((await runDiff(['--exact', trace, other])).stdout).toMatch(/^-ioctl\(1, TCGETS, 0x7fff[0-9a-f]+\) = -1 ENOTTY/m);
    }
  });
});
