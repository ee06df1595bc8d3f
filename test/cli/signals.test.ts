// The signals guest (test/guests/src/signals.c) natively, under the real strace and under
// emtrace: the same output and exit status; the same syscall and signal lines once addresses,
// pids and measured times are masked; and every recording replays.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emtrace, guest, native } from '../support/run.js';
import { normalize } from '../support/strace.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-signals-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' };

/** The scenarios and how each ends: all that return (no argument), and the fatal ones. */
const RUNS: [string, number][] = [
  ['', 0],
  ['blocked-term', 128 + 15],
  ['bad-stack', 128 + 11],
  ['blocked-segv', 128 + 11],
  ['sigkill', 128 + 9],
];

/** What differs between two runs beyond the shared masks (addresses, pids): pids in arguments
 *  and siginfo, and what depends on the host's timing (time left, timer overruns, the register a
 *  timer signal interrupted). */
function normalizeSignals(log: string): string[] {
  return normalize(log).map((line) => {
    let out = line.replace(/\bsi_pid=\d+/g, 'si_pid=PID').replace(/^(kill|tkill)\(\d+/, '$1(PID').replace(/^tgkill\(\d+, \d+/, 'tgkill(PID, PID');
    out = out.replace(/\btv_(sec|nsec|usec)=\d+/g, 'tv_$1=N').replace(/\bsi_overrun=\d+/, 'si_overrun=N');
    if (out.startsWith('rt_sigreturn(') || out.startsWith('timer_getoverrun(')) out = out.replace(/= \d+$/, '= N');
    return out;
  });
}

function exitStatus(r: { status: number | null; signal: NodeJS.Signals | null }): number {
  return r.status ?? 128 + os.constants.signals[r.signal!];
}

describe.each(['musl', 'glibc'])('signals-%s', (libc) => {
  const program = guest(`signals-${libc}`);

  it.each(RUNS)('%j: output, status, strace lines and replay as natively', (scenario, status) => {
    const args = scenario ? [scenario] : [];
    const name = `${libc}-${scenario || 'all'}`;
    const direct = native(program, args, { env });
    expect(exitStatus(direct)).toBe(status);

    const straceLog = path.join(scratch, `${name}.strace`);
    const traced = native('sh', ['-c', 'ulimit -S -s 8192 && ulimit -c 0 && exec strace "$@"', 'sh', '-o', straceLog, program, ...args], { env });
    expect(exitStatus(traced)).toBe(status);

    const trace = path.join(scratch, `${name}.jsonl`);
    const ours = path.join(scratch, `${name}.emtrace`);
    const recorded = emtrace(['record', '-o', trace, '--strace-output', ours, program, ...args], { env });
    expect(recorded.stderr).toBe('');
    expect(recorded.status).toBe(status);
    expect(recorded.stdout).toBe(direct.stdout);

    const expected = normalizeSignals(fs.readFileSync(straceLog, 'utf8'));
    // (SIGKILL is never reported: only the kill line shows it.)
    expect(expected.some((line) => /^(--- SIG|\+\+\+ killed by SIGKILL)/.test(line))).toBe(true);
    expect(normalizeSignals(fs.readFileSync(ours, 'utf8'))).toEqual(expected);

    const replayed = emtrace(['replay', trace]);
    expect(replayed.stderr).toMatch(/^emtrace: replay reproduced the run: \d+ events, \d+ instructions\n$/);
    expect(replayed.status).toBe(0);
    expect(replayed.stdout).toBe(direct.stdout);
  });
});

describe('asynchronous signals in a replay', () => {
  it('are delivered at the recorded instruction: moved, the replay reports the divergence', () => {
    const trace = path.join(scratch, 'musl-all.jsonl');
    if (!fs.existsSync(trace)) emtrace(['record', '-o', trace, guest('signals-musl')], { env });
    const lines = fs.readFileSync(trace, 'utf8').trimEnd().split('\n');
    // The SIGVTALRM of ITIMER_VIRTUAL arrives in the middle of a computation.
    const index = lines.findIndex((l) => l.includes('"type":"signal"') && l.includes('"signo":26'));
    expect(index).toBeGreaterThan(0);
    const event = JSON.parse(lines[index]);
    expect(event.async).toBe(true);
    event.icount = '0x' + (parseInt(event.icount, 16) + 1).toString(16);
    lines[index] = JSON.stringify(event);
    const edited = path.join(scratch, 'moved-signal.jsonl');
    fs.writeFileSync(edited, lines.join('\n') + '\n');
    const r = emtrace(['replay', '-q', edited]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^emtrace: replay diverged at event \d+: /);
    expect(r.stderr).toContain('--- SIGVTALRM {si_signo=SIGVTALRM, si_code=SI_KERNEL} ---');
  });
});
