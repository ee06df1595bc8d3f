// Runs test cases on the host CPU: compiles native/runner.c with the system cc (once per process,
// into a temporary directory) and feeds it a batch of cases on stdin.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Outcome, STATE_SIZE, TestCase, view } from './machine.js';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '..', 'native', 'runner.c');

let runnerPath: string | undefined;

/** True when the host can run the native side (an x86-64 Linux machine with a C compiler). */
export function nativeAvailable(): boolean {
  if (process.platform !== 'linux' || process.arch !== 'x64') return false;
  return spawnSync('cc', ['--version']).status === 0;
}

function runner(): string {
  if (runnerPath) return runnerPath;
  const dir = mkdtempSync(join(tmpdir(), 'emtrace-native-'));
  const out = join(dir, 'runner');
  const cc = spawnSync('cc', ['-O1', '-o', out, SOURCE], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc failed on ${SOURCE}:\n${cc.stderr}`);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  runnerPath = out;
  return out;
}

/** Runs every case natively. All cases of a batch share one scratch size (memLen). */
export function runNative(cases: TestCase[], memLen: number): Outcome[] {
  let size = 12;
  for (const c of cases) size += 4 + c.code.length + STATE_SIZE + memLen;
  const input = new Uint8Array(size);
  const v = view(input);
  input.set([0x45, 0x4d, 0x54, 0x31]); // 'EMT1'
  v.setUint32(4, cases.length, true);
  v.setUint32(8, memLen, true);
  let at = 12;
  for (const c of cases) {
    if (c.mem.length !== memLen) throw new Error(`case memory is ${c.mem.length} bytes, batch says ${memLen}`);
    v.setUint32(at, c.code.length, true);
    input.set(c.code, at + 4);
    at += 4 + c.code.length;
    input.set(c.state, at);
    input.set(c.mem, at + STATE_SIZE);
    at += STATE_SIZE + memLen;
  }
  const result = spawnSync(runner(), [], { input, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`native runner failed (${result.status ?? result.signal}): ${result.stderr}`);
  const out = new Uint8Array(result.stdout.buffer, result.stdout.byteOffset, result.stdout.byteLength);
  const record = 24 + STATE_SIZE + memLen;
  if (out.length !== record * cases.length) throw new Error(`native runner wrote ${out.length} bytes, expected ${record * cases.length}`);
  const outcomes: Outcome[] = [];
  for (let k = 0; k < cases.length; k++) {
    const base = k * record;
    const rv = view(out.subarray(base, base + 24));
    outcomes.push({
      signal: rv.getInt32(0, true),
      code: rv.getInt32(4, true),
      addr: rv.getBigUint64(8, true),
      rip: rv.getBigUint64(16, true),
      state: out.slice(base + 24, base + 24 + STATE_SIZE),
      mem: out.slice(base + 24 + STATE_SIZE, base + record),
    });
  }
  return outcomes;
}
