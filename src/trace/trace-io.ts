// Writing and reading trace files (docs/trace-format.md). The writer puts every event on disk as
// it happens (plain files: one write per line; gzip: a member per 64 KiB and at close), so a
// crash loses nothing before it. The reader streams: memory stays bounded however long the trace.
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { UserError } from '../errors.js';
import { openForWriting } from './line-writer.js';
import { decodeLine, encodeEvent, TraceEvent, TraceFormatError, TraceHeader } from './trace-file.js';

const GZIP_BATCH = 64 * 1024;

export class TraceWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly gzip: boolean,
  ) {}

  /** Creates (or truncates) a trace file; gzip when the name ends in `.gz`. */
  static create(path: string): TraceWriter {
    return new TraceWriter(openForWriting(path), path.endsWith('.gz'));
  }

  writeHeader(header: TraceHeader): void {
    this.writeLine(JSON.stringify(header));
  }

  write(event: TraceEvent): void {
    this.writeLine(encodeEvent(event));
  }

  private writeLine(line: string): void {
    if (!this.gzip) {
      writeFully(this.fd, Buffer.from(line + '\n', 'utf8'));
      return;
    }
    this.pending.push(line + '\n');
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= GZIP_BATCH) this.flush();
  }

  /** Writes what is buffered (gzip: as one gzip member). */
  flush(): void {
    if (this.pending.length === 0) return;
    writeFully(this.fd, zlib.gzipSync(Buffer.from(this.pending.join(''), 'utf8')));
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    fs.closeSync(this.fd);
  }
}

function writeFully(fd: number, data: Buffer): void {
  for (let done = 0; done < data.length; ) done += fs.writeSync(fd, data, done, data.length - done);
}

/** A malformed or unreadable trace: `emtrace: FILE:LINE: why`. */
export class TraceFileError extends UserError {
  constructor(path: string, line: number | null, reason: string) {
    super(line === null ? path : `${path}:${line}`, reason);
  }
}

/** Reads a trace file as a stream of events, after its header. */
/** The decompressed stream of a gzip file. Its errors (data that ends early) reach the reader
 *  through readline; the listener here keeps one that comes after the reader stopped listening
 *  (a reader closed early) from being an uncaught exception. */
export function gunzipped(file: fs.ReadStream): zlib.Gunzip {
  const gunzip = file.pipe(zlib.createGunzip());
  gunzip.on('error', () => {});
  return gunzip;
}

export class TraceReader {
  private lineNumber = 1;

  private constructor(
    readonly path: string,
    readonly header: TraceHeader,
    private readonly lines: AsyncIterator<string>,
  ) {}

  static async open(path: string): Promise<TraceReader> {
    let stream: NodeJS.ReadableStream;
    try {
      const fd = fs.openSync(path, 'r');
      const magic = Buffer.alloc(2);
      const n = fs.readSync(fd, magic, 0, 2, 0);
      const gzip = n === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
      const file = fs.createReadStream('', { fd, start: 0 });
      stream = gzip ? gunzipped(file) : file;
      file.on('error', () => {});
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new TraceFileError(path, null, code === 'ENOENT' ? 'No such file or directory' : (e as Error).message);
    }
    const lines = readline.createInterface({ input: stream, crlfDelay: Infinity })[Symbol.asyncIterator]();
    const first = await nextLine(path, lines, 1);
    if (first === null) throw new TraceFileError(path, null, 'empty file: not an emtrace trace');
    let header: TraceHeader;
    try {
      header = decodeLine(first, true) as TraceHeader;
    } catch (e) {
      if (e instanceof TraceFormatError) throw new TraceFileError(path, 1, e.message);
      throw e;
    }
    return new TraceReader(path, header, lines);
  }

  /** The next event, or null at the end of the trace. */
  async next(): Promise<TraceEvent | null> {
    const text = await nextLine(this.path, this.lines, this.lineNumber + 1);
    if (text === null) return null;
    this.lineNumber++;
    try {
      return decodeLine(text, false) as TraceEvent;
    } catch (e) {
      if (e instanceof TraceFormatError) throw new TraceFileError(this.path, this.lineNumber, e.message);
      throw e;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TraceEvent> {
    for (let event = await this.next(); event !== null; event = await this.next()) yield event;
  }

  /** The line number of the last event returned. */
  get line(): number {
    return this.lineNumber;
  }
}

async function nextLine(path: string, lines: AsyncIterator<string>, lineNumber: number): Promise<string | null> {
  try {
    const r = await lines.next();
    return r.done ? null : r.value;
  } catch (e) {
    const message = (e as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? 'the compressed data ends early' : (e as Error).message;
    throw new TraceFileError(path, lineNumber, message);
  }
}
