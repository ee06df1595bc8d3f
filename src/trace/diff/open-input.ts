// Opens one input of `emtrace diff` and decides by its content what it is: a trace file (its first
// line is a JSON object, the header; plain or gzip) or an strace text log (anything else; gzip
// is accepted too).
import fs from 'node:fs';
import readline from 'node:readline';
import { gunzipped, TraceFileError, TraceReader } from '../trace-io.js';
import { StraceLogSource } from './strace-log.js';
import { TraceSource } from './trace-source.js';
import type { EventSource } from './types.js';

function lineStream(path: string): { lines: AsyncIterator<string>; close: () => void } {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
    if (fs.fstatSync(fd).isDirectory()) {
      fs.closeSync(fd);
      throw Object.assign(new Error('Is a directory'), { code: 'EISDIR' });
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'No such file or directory'
      : code === 'EACCES' ? 'Permission denied'
      : code === 'EISDIR' ? 'Is a directory'
      : (e as Error).message;
    throw new TraceFileError(path, null, reason);
  }
  const magic = Buffer.alloc(2);
  const n = fs.readSync(fd, magic, 0, 2, 0);
  const file = fs.createReadStream('', { fd, start: 0 });
  file.on('error', () => {});
  const stream = n === 2 && magic[0] === 0x1f && magic[1] === 0x8b ? gunzipped(file) : file;
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  return {
    lines: rl[Symbol.asyncIterator](),
    close: () => {
      rl.close();
      file.destroy();
      if (stream !== file) stream.destroy();
    },
  };
}

/** Opens `path` as a trace or an strace log. Throws TraceFileError (a UserError) naming the file
 *  (and line) when it cannot be read or its header is malformed. */
export async function openInput(path: string): Promise<EventSource> {
  const { lines, close } = lineStream(path);
  let first: IteratorResult<string>;
  try {
    first = await lines.next();
  } catch (e) {
    close();
    const message = (e as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? 'the compressed data ends early' : (e as Error).message;
    throw new TraceFileError(path, 1, message);
  }
  if (!first.done && first.value.trimStart().startsWith('{')) {
    close();
    return new TraceSource(await TraceReader.open(path));
  }
  return new StraceLogSource(path, lines, first.done ? null : first.value);
}
