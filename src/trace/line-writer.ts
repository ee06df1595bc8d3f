// Writes trace text line by line, synchronously, so lines interleave with the guest's own output
// in the order things happened and nothing is lost if emtrace dies.
import fs from 'node:fs';
import { UserError } from '../errors.js';

/** Opens (creating or truncating) a file emtrace writes; a UserError naming it when it cannot. */
export function openForWriting(path: string): number {
  try {
    return fs.openSync(path, 'w');
  } catch (e) {
    throw new UserError(path, `cannot open for writing: ${(e as Error).message.replace(/^[A-Z]+: /, '')}`);
  }
}

/** Where text lines go: a LineWriter, or anything that takes lines (a test's array). */
export interface LineOutput {
  line(text: string): void;
  close(): void;
}

/** An output that drops its lines (strace -ff -o PREFIX writes no PREFIX file of its own). */
export const NO_LINES: LineOutput = { line: () => {}, close: () => {} };

export class LineWriter implements LineOutput {
  private constructor(
    private readonly fd: number,
    private readonly ownsFd: boolean,
  ) {}

  /** Lines to emtrace's stderr. */
  static stderr(): LineWriter {
    return new LineWriter(2, false);
  }

  /** Lines to emtrace's stdout. */
  static stdout(): LineWriter {
    return new LineWriter(1, false);
  }

  /** Lines to a file, created or truncated. */
  static file(path: string): LineWriter {
    return new LineWriter(openForWriting(path), true);
  }

  line(text: string): void {
    const data = Buffer.from(text + '\n', 'utf8');
    let done = 0;
    while (done < data.length) {
      try {
        done += fs.writeSync(this.fd, data, done, data.length - done);
      } catch (e) {
        // stderr may be non-blocking (shared with a terminal or a pipe): wait and retry.
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
  }

  close(): void {
    if (this.ownsFd) fs.closeSync(this.fd);
  }
}
