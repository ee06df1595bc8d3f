// The golden traces in traces/: every test guest recorded in a fixed setting (a fixed directory,
// environment, identity and stdio), so the recording is the same on any machine. The test
// records each guest again and requires the same bytes (the header's emtrace version aside), and
// `emtrace diff` to find no difference.
//
// Refresh them after a deliberate change with:  npm run traces:refresh
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUEST_RUNS, prepareWork } from '../support/guests.js';
import { emtrace, guest, ROOT } from '../support/run.js';

/** Where golden runs happen: a fixed path, because traces name the paths programs use. */
const HOME = '/tmp/emtrace-golden';
const GOLDEN = path.join(ROOT, 'traces');
const REFRESH = process.env.EMTRACE_REFRESH_TRACES === '1';
const ENV = { PATH: '/usr/bin:/bin', LANG: 'C', HOME: '/root' };
/** Input files get this mtime, so what the guest stats of them is the same everywhere. */
const INPUT_TIME = new Date('2020-01-01T00:00:00Z');

function recordGolden(name: string, args: string[], status: number): string {
  const output = path.join(HOME, 'new', `${name}.jsonl`);
  const r = emtrace(['record', '--uid', '1000', '--gid', '1000', '-o', output, `bin/${name}`, ...args], {
    cwd: HOME,
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(r.status).toBe(status);
  return output;
}

/** The trace without the version of emtrace that wrote it. */
function comparable(file: string): string {
  const [header, ...events] = fs.readFileSync(file, 'utf8').split('\n');
  const parsed = JSON.parse(header);
  delete parsed.emtrace;
  return [JSON.stringify(parsed), ...events].join('\n');
}

describe('golden traces', () => {
  fs.rmSync(HOME, { recursive: true, force: true });
  fs.mkdirSync(path.join(HOME, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(HOME, 'new'));

  it.each(GUEST_RUNS.map((run) => [run.name, run] as const))('%s', (name, run) => {
    fs.copyFileSync(guest(name), path.join(HOME, 'bin', name));
    fs.chmodSync(path.join(HOME, 'bin', name), 0o755);
    const work = path.join(HOME, 'work');
    prepareWork(run, work);
    for (const entry of fs.readdirSync(work)) fs.utimesSync(path.join(work, entry), INPUT_TIME, INPUT_TIME);
    fs.utimesSync(work, INPUT_TIME, INPUT_TIME);
    const fresh = recordGolden(name, run.args(work), run.status);
    const golden = path.join(GOLDEN, `${name}.jsonl`);
    if (REFRESH) {
      fs.copyFileSync(fresh, golden);
      return;
    }
    expect(fs.existsSync(golden), `${golden} is missing: npm run traces:refresh`).toBe(true);
    expect(comparable(fresh)).toBe(comparable(golden));
    // What a CI job would run: the diff of the golden against the new recording.
    const diff = emtrace(['diff', golden, fresh]);
    expect(diff.stdout).toMatch(/^traces are the same \([\d,]+ events compared\)\n$/);
    expect(diff.status).toBe(0);
  });
});
