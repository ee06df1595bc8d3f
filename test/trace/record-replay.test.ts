// Recording a guest writes a valid trace; replaying it reproduces the run without the host's
// files; changing the trace makes the replay point at the first event that no longer matches.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeLine } from '../../src/trace/trace-file.js';
import { emtrace, guest, native } from '../support/run.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-record-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

function recordGuest(name: string, args: string[] = [], file = path.join(scratch, `${name}.jsonl`)): string {
  const r = emtrace(['record', '-o', file, guest(name), ...args], { env });
  expect(r.stderr).toBe('');
  return file;
}

function lines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n');
}

describe('record', () => {
  it('writes a header and one valid line per event', () => {
    const file = recordGuest('hello-musl');
    const all = lines(file);
    const header = decodeLine(all[0], true);
    expect(header).toMatchObject({ type: 'header', format: 'emtrace-trace', version: 1, argv: [guest('hello-musl')] });
    const events = all.slice(1).map((line) => decodeLine(line, false));
    expect(events.map((e) => (e.type === 'syscall' ? e.name : e.type))).toEqual([
      'arch_prctl',
      'set_tid_address',
      'ioctl',
      'writev',
      'exit_group',
      'exit',
    ]);
    // writev's input: the iovec array and both buffers, byte for byte.
    const writev = events[3];
    if (writev.type !== 'syscall') throw new Error('not a syscall');
    expect(writev.inputs.map((r) => Buffer.from(r.data).toString('latin1'))).toContain('hello world');
  });

  it('gzips a trace whose name ends in .gz, readable by gunzip', () => {
    const file = recordGuest('hello-glibc', [], path.join(scratch, 'hello.jsonl.gz'));
    const plain = native('gzip', ['-dc', file]);
    expect(plain.status).toBe(0);
    expect(plain.stdout.split('\n')[0]).toContain('"format":"emtrace-trace"');
  });

  it('keeps every event before a crash of the guest', () => {
    const file = recordGuest('fault-segv');
    const events = lines(file).slice(1).map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['syscall', 'signal', 'exit']);
    expect(events[1]).toMatchObject({ signo: 11, code: 1, addr: '0x10' });
  });

  it('also prints strace text with --strace', () => {
    const file = path.join(scratch, 'both.jsonl');
    const r = emtrace(['record', '-o', file, '--strace', guest('hello-asm')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('write(1, "hello world\\n", 12)           = 12\nexit(0)                                 = ?\n+++ exited with 0 +++\n');
    expect(lines(file)).toHaveLength(4);
  });
});

describe('replay', () => {
  it.each(['hello-asm', 'hello-musl', 'hello-glibc', 'hello-glibc-pie', 'args-glibc', 'memory-musl', 'memory-glibc', 'fault-segv', 'fault-ud2'])(
    '%s: reproduces the recorded run',
    (name) => {
      const recorded = emtrace(['record', '-o', path.join(scratch, `${name}.replay.jsonl`), guest(name)], { env });
      const r = emtrace(['replay', path.join(scratch, `${name}.replay.jsonl`)]);
      expect(r.stderr).toMatch(/^emtrace: replay reproduced the run: \d+ events, \d+ instructions\n$/);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(recorded.stdout);
    },
  );

  it('does not need the files the program read: they are in the trace', () => {
    const dir = path.join(scratch, 'files-run');
    fs.mkdirSync(dir);
    const file = path.join(scratch, 'files.jsonl');
    const recorded = emtrace(['record', '-o', file, guest('files-glibc'), dir], { env });
    expect(recorded.status).toBe(0);
    fs.rmSync(dir, { recursive: true });
    const r = emtrace(['replay', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(recorded.stdout);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it.each(['musl', 'glibc'])('input-%s: the file, the clock and the entropy all come from the trace', (libc) => {
    const input = path.join(scratch, `input-${libc}.txt`);
    fs.writeFileSync(input, 'some input the replay machine does not have\n'.repeat(100));
    const file = path.join(scratch, `input-${libc}.jsonl`);
    const recorded = emtrace(['record', '-o', file, guest(`input-${libc}`), input], { env });
    expect(recorded.status).toBe(0);
    expect(recorded.stdout).toMatch(/^read 4400 bytes, checksum [0-9a-f]{16}\ntime 1893456000\.\d{6}, monotonic 100\.\d{9}\nrandom( [0-9a-f]{2}){8}\n$/);
    fs.rmSync(input);
    const r = emtrace(['replay', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(recorded.stdout);
    // Natively the program cannot even start without its file.
    expect(native(guest(`input-${libc}`), [input]).status).toBe(1);
  });

  it('reports the first event whose behaviour changes when a recorded read result is edited', () => {
    const dir = path.join(scratch, 'edit-run');
    fs.mkdirSync(dir);
    const file = path.join(scratch, 'edit.jsonl');
    emtrace(['record', '-o', file, guest('files-glibc'), dir], { env });
    const all = lines(file);
    // The first read of data.txt returns "line 000: ...": change its first byte to 'X'.
    const index = all.findIndex((l) => l.includes('"name":"read"') && l.includes('"out":[{'));
    expect(index).toBeGreaterThan(0);
    const event = JSON.parse(all[index]);
    const data = Buffer.from(event.out[0].data, 'base64');
    data[0] ^= 0x01;
    event.out[0].data = data.toString('base64');
    all[index] = JSON.stringify(event);
    const edited = path.join(scratch, 'edited.jsonl');
    fs.writeFileSync(edited, all.join('\n') + '\n');
    const r = emtrace(['replay', '-q', edited]);
    expect(r.status).toBe(1);
    const report = r.stderr.split('\n');
    // The edited read itself is served as recorded; what changes is the next call the program
    // makes with the data: the checksum it prints differs from the recorded output.
    expect(report[0]).toMatch(/^emtrace: replay diverged at event (\d+): /);
    const divergedAt = Number(/event (\d+)/.exec(report[0])![1]);
    expect(divergedAt).toBeGreaterThan(index - 1);
    expect(r.stderr).toMatch(/recorded: /);
    expect(r.stderr).toMatch(/before it:/);
  });

  it('refuses a binary that is not the recorded one', () => {
    const file = recordGuest('hello-musl', [], path.join(scratch, 'wrong-binary.jsonl'));
    const r = emtrace(['replay', '--binary', guest('hello-glibc'), file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^emtrace: .*hello-glibc: is not the binary the trace was recorded with/);
  });

  it('names the file and line of a malformed trace', () => {
    const file = recordGuest('hello-musl', [], path.join(scratch, 'malformed.jsonl'));
    const all = lines(file);
    all[3] = all[3].replace('"nr":', '"nr":"sixteen","x":');
    fs.writeFileSync(file, all.join('\n') + '\n');
    const r = emtrace(['replay', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`emtrace: ${file}:4: the line.nr must be an integer\n`);
  });
});

describe('dump', () => {
  it('renders a trace as the strace text of the run', () => {
    const file = path.join(scratch, 'dump.jsonl');
    const log = path.join(scratch, 'dump.strace');
    emtrace(['record', '-o', file, '--strace-output', log, guest('hello-glibc')], { env });
    const r = emtrace(['dump', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(fs.readFileSync(log, 'utf8'));
  });

  it('applies -e and -s', () => {
    const file = recordGuest('hello-musl', [], path.join(scratch, 'dump-e.jsonl'));
    const r = emtrace(['dump', '-e', 'trace=writev', '-s', '5', file]);
    expect(r.stdout).toBe('writev(1, [{iov_base="hello"..., iov_len=11}, {iov_base="\\n", iov_len=1}], 2) = 12\n+++ exited with 0 +++\n');
  });

  it('prints ltrace -S style lines', () => {
    const file = recordGuest('hello-asm', [], path.join(scratch, 'dump-l.jsonl'));
    const r = emtrace(['dump', '--ltrace', file]);
    // ltrace pads the call with spaces to 49 characters, then `= `: the `=` is at column 50
    // (counting from 1), as the real ltrace -S prints (test/cli/ltrace.test.ts compares them).
    const call = 'SYS_write(1, "hello world\\n", 12)';
    expect(r.stdout.split('\n')[0]).toBe(call + ' '.repeat(49 - call.length) + '= 12');
    expect(r.stdout).toContain('+++ exited (status 0) +++');
  });
});
