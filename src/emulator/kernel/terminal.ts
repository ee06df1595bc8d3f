// The host terminal behind a guest fd: its termios and window size, for the terminal ioctls.
// Node exposes neither termios nor TIOCGWINSZ for an arbitrary fd without putting it into
// non-blocking mode (tty.WriteStream does that to the fd it is given), so:
//
// - the window size comes from a tty.WriteStream over a second descriptor of the terminal
//   (opened through /proc/self/fd/N), which is closed again; the guest's fd is untouched;
// - termios comes from `stty -g` run on the terminal (and TCSETS* applies one with `stty`), read
//   once per terminal and then kept, updated by what the guest sets;
// - TIOCSWINSZ runs `stty rows R cols C`.
//
// When a query fails (no stty, an odd terminal), the answer is a freshly opened terminal's
// settings and 24x80 (or $LINES x $COLUMNS).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import tty from 'node:tty';

/** The kernel's struct termios (36 bytes): the four flag words, c_line, c_cc[19]. */
export const TERMIOS_SIZE = 36;
const NCCS = 19;

/** The termios a freshly opened terminal has (cooked mode, 38400 baud, 8 bits). */
export function defaultTermios(): Uint8Array {
  const t = new Uint8Array(TERMIOS_SIZE);
  const view = new DataView(t.buffer);
  view.setUint32(0, 0o2400, true); // c_iflag: ICRNL | IXON
  view.setUint32(4, 0o5, true); // c_oflag: OPOST | ONLCR
  view.setUint32(8, 0o277, true); // c_cflag: B38400 | CS8 | CREAD
  view.setUint32(12, 0o105073, true); // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  // c_line 0, then c_cc: INTR QUIT ERASE KILL EOF TIME MIN SWTC START STOP SUSP EOL REPRINT
  // DISCARD WERASE LNEXT EOL2
  const controlChars = [3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0];
  controlChars.forEach((ch, k) => (t[17 + k] = ch));
  return t;
}

/** Termios per terminal device (its rdev), as last read or set. */
const termiosCache = new Map<string, Uint8Array>();

function terminalKey(hostFd: number): string {
  try {
    return String(fs.fstatSync(hostFd, { bigint: true }).rdev);
  } catch {
    return `fd${hostFd}`;
  }
}

/** Runs stty on the terminal; its stdout, or null when it fails. */
function stty(hostFd: number, args: string[]): string | null {
  try {
    const r = spawnSync('stty', args, { stdio: [hostFd, 'pipe', 'ignore'], encoding: 'utf8', timeout: 5000 });
    return r.status === 0 ? r.stdout : null;
  } catch {
    return null;
  }
}

/** Parses `stty -g` (iflag:oflag:cflag:lflag:cc0:cc1:..., hex) into a struct termios. */
export function parseSttyG(text: string): Uint8Array | null {
  const fields = text.trim().split(':');
  if (fields.length < 4 + NCCS - 2 || fields.some((f) => !/^[0-9a-f]+$/i.test(f))) return null;
  const t = new Uint8Array(TERMIOS_SIZE);
  const view = new DataView(t.buffer);
  for (let k = 0; k < 4; k++) view.setUint32(4 * k, parseInt(fields[k], 16) >>> 0, true);
  for (let k = 0; k < NCCS && 4 + k < fields.length; k++) t[17 + k] = parseInt(fields[4 + k], 16) & 0xff;
  return t;
}

/** The `stty -g` text of a struct termios. */
export function formatSttyG(t: Uint8Array): string {
  const view = new DataView(t.buffer, t.byteOffset, TERMIOS_SIZE);
  const words = [0, 1, 2, 3].map((k) => view.getUint32(4 * k, true).toString(16));
  const cc = Array.from({ length: 32 }, (_, k) => (k < NCCS ? t[17 + k] : 0).toString(16));
  return [...words, ...cc].join(':');
}

/** TCGETS: the terminal's termios. */
export function terminalTermios(hostFd: number): Uint8Array {
  const key = terminalKey(hostFd);
  let t = termiosCache.get(key);
  if (!t) {
    const text = stty(hostFd, ['-g']);
    t = (text !== null ? parseSttyG(text) : null) ?? defaultTermios();
    termiosCache.set(key, t);
  }
  return t.slice();
}

/** TCSETS, TCSETSW, TCSETSF: applies a termios to the terminal. */
export function setTerminalTermios(hostFd: number, t: Uint8Array): void {
  termiosCache.set(terminalKey(hostFd), t.slice(0, TERMIOS_SIZE));
  stty(hostFd, [formatSttyG(t)]);
}

/** TIOCGWINSZ: rows and columns (and pixels, 0). */
export function terminalWindowSize(hostFd: number): { rows: number; cols: number } {
  let probe: number | null = null;
  try {
    probe = fs.openSync(`/proc/self/fd/${hostFd}`, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    const stream = new tty.WriteStream(probe);
    try {
      probe = null; // the stream owns (and closes) it now
      const [cols, rows] = stream.getWindowSize();
      if (Number.isInteger(rows) && Number.isInteger(cols)) return { rows, cols };
    } finally {
      stream.destroy();
    }
  } catch {
    // no size to be had this way
  } finally {
    if (probe !== null) {
      try {
        fs.closeSync(probe);
      } catch {
        // already closed
      }
    }
  }
  return { rows: Number(process.env.LINES) || 24, cols: Number(process.env.COLUMNS) || 80 };
}

/** TIOCSWINSZ. */
export function setTerminalWindowSize(hostFd: number, rows: number, cols: number): void {
  stty(hostFd, ['rows', String(rows), 'cols', String(cols)]);
}

/** Whether the terminal is emtrace's controlling terminal (the tty_nr of its /proc/self/stat). */
export function isControllingTerminal(hostFd: number): boolean {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'latin1');
    const ttyNr = BigInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[4]);
    return ttyNr !== 0n && fs.fstatSync(hostFd, { bigint: true }).rdev === ttyNr;
  } catch {
    return false;
  }
}
